<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [1, 2, 3, 4];
unset($a[1]);
unset($a[3]);
echo count($a), "\n";

<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [];
$a[] = 1;
$a["x"] = 2;
$a[] = 3;
unset($a["x"]);
echo count($a), "\n";

<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [1, 2, 3];
unset($a[2]);
$a[] = 4;
var_dump($a);

<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$x = "s";
$a = [1];
$a[] = &$x;
$x = "t";
var_dump($a);

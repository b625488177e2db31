<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [-3 => 1, -7 => 2];
$a[] = 3;
var_dump($a);

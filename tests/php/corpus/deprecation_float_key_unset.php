<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [1 => "x", 2 => "y"];
unset($a[1.5]);
var_dump($a);

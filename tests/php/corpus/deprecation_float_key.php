<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [1.5 => "a"];
$b = [];
$b[2.7] = "b";
var_dump($a);
var_dump($b);

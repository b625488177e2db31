<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = ["x" => "a"];
$b = $a;
$b["x"] .= "b";
var_dump($a);
var_dump($b);

<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = ["x" => ["y" => 1]];
$b = $a;
$b["x"]["z"] = 2;
var_dump($a);
var_dump($b);

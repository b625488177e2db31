<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = ["a" => 1, "b" => 2, "c" => 3];
unset($a["b"]);
$a["b"] = 4;
var_dump($a);

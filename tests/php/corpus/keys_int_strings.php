<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = ["1" => "a", "01" => "b", "-1" => "c", "-0" => "d", " 1" => "e", "1 " => "f"];
var_dump($a);

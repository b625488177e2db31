<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = ["k" => 1];
$r = &$a["k"];
$b = $a;
$a["k"] = 2;
var_dump($b);

<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [new Node("a")];
$b = $a;
$o = $b[0];
$o->name = "B";
var_dump($a);

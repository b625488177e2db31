<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = new Node("a");
$b = new Node("b");
$c = new Node("c");
unset($a);
unset($c);
$d = new Node("d");
$e = new Node("e");
var_dump($d);
var_dump($e);

<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = ["o" => new Node("o"), "p" => new Node("p")];
var_dump($a);

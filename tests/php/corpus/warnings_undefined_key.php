<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [1];
$x = $a[5];
$y = $a["k"];
var_dump($x);
var_dump($y);

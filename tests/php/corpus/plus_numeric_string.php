<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$s = "10";
$s += 5;
var_dump($s);
$t = "1.5";
$t += 1;
var_dump($t);

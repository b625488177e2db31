<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [0 => "a", 1 => "b", 2 => "c"];
unset($a[1]);
$a[1] = "B";
var_dump($a);

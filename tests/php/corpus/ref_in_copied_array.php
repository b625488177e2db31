<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [1, 2];
$r = &$a[0];
$b = $a;
$b[0] = 99;
var_dump($a);
var_dump($b);

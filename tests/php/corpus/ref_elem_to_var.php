<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$x = 5;
$a = [];
$a[0] = &$x;
$x = 6;
var_dump($a);
$a[0] = 7;
echo $x, "\n";

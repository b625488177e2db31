<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [1];
$b = $a;
$c = $b;
$c[] = 2;
$b[] = 3;
var_dump($a);
var_dump($b);
var_dump($c);

<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = 1;
$b = &$a;
$b = 2;
echo $a, "\n";
var_dump($a);

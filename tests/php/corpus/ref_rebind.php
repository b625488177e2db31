<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = 1;
$b = 2;
$c = &$a;
$c = &$b;
$c = 3;
echo $a, "\n";
echo $b, "\n";

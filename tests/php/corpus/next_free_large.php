<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [100 => 1];
$a[] = 2;
$a[50] = 3;
$a[] = 4;
var_dump($a);

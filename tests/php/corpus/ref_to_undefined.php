<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$b = &$a;
var_dump($a);
var_dump($b);
$b = 1;
var_dump($a);

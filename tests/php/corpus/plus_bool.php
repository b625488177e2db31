<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$b = true;
$b += 1;
var_dump($b);
$c = false;
$c += 1;
var_dump($c);

<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [];
$a[1.0] = "a";
$a[2.5] = "b";
$a[-1.9] = "c";
var_dump($a);

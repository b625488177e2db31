<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [];
$r = &$a["k"];
var_dump($a);
$r = 3;
var_dump($a);

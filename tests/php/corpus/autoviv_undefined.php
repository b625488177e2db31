<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$u["a"]["b"] = 1;
$v[0][] = 2;
var_dump($u);
var_dump($v);

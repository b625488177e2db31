<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
var_dump(0.1);
var_dump(1.0);
var_dump(-0.0);
var_dump(0.30000000000000004);
var_dump(100000000000000000000.0);
var_dump(1.5);
var_dump(123456789.12345678);

<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
var_dump(10000000000000000000);
var_dump(1000000000000000.0);
var_dump(999999999999999.0);
var_dump(0.0001);
var_dump(0.00001);
var_dump(0.000012345);

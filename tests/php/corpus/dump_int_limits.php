<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
var_dump(9223372036854775807);
var_dump(-9223372036854775807);
var_dump(-9223372036854775808);
var_dump(9223372036854775808);

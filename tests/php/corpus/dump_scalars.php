<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
var_dump(null);
var_dump(true);
var_dump(false);
var_dump(0);
var_dump(-7);
var_dump("");
var_dump("a b");

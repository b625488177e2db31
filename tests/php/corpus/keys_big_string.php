<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = [];
$a["9223372036854775807"] = 1;
$a["9223372036854775808"] = 2;
$a["-9223372036854775808"] = 3;
$a["-9223372036854775809"] = 4;
var_dump($a);

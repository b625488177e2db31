<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$i = 9223372036854775807;
$i += 1;
var_dump($i);
echo $i, "\n";

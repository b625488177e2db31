<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = "hello";
$b = $a;
$b[0] = "j";
echo $a, "\n";
echo $b, "\n";

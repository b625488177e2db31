<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = ["x" => "y", 1 => 2.5];
echo $a["x"], "\n";
echo $a[1], "\n";
echo $a[7], "\n";

<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$s = "hello";
echo $s[0], "\n";
echo $s[4], "\n";
echo $s[-1], "\n";
echo $s["2"], "\n";

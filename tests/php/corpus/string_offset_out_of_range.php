<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$s = "abc";
echo $s[3], "\n";
echo $s[-4], "\n";

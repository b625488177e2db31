<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$s = "abc";
$s[1] = "X";
echo $s, "\n";
$s[5] = "Y";
var_dump($s);

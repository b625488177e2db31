<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$s = "a";
$s .= 1;
$s .= 1.5;
$s .= true;
$s .= false;
$s .= null;
echo $s, "\n";

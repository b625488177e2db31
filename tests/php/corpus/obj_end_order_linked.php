<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = new Node("a");
$b = new Node("b");
$a->next = $b;
unset($b);
$c = new Node("c");

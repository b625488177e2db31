<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = new Node("a");
$b = new Node("b");
$c = new Node("c");
$c->next = $b;
$b->next = $a;
unset($a);
unset($b);

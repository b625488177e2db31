<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = new Node("a");
$a->next = $a;
unset($a);
echo gc_collect_cycles(), "\n";
$b = new Node("b");
var_dump($b);

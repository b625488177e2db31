<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = new Node("a");
$a->next = $a;
$b = new Node("b");
$b->next = $b;
unset($b);
unset($a);
echo gc_collect_cycles(), "\n";

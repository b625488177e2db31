<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = new Node("a");
$b = new Node("b");
$c = new Node("c");
$d = new Node("d");
$a->next = $b;
$b->next = $c;
$c->next = $d;
$d->next = $a;
unset($c);
unset($a);
unset($d);
unset($b);
echo gc_collect_cycles(), "\n";

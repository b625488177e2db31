<?php
// clone and __clone: shallow vs deep copies of object trees with arrays inside.
class Leaf { public $data; public function __construct($n) { $this->data = array_fill(0, 10, $n); } }
class Tree { public array $leaves = []; public ?Tree $child = null;
  public function __clone() { foreach ($this->leaves as $k => $l) $this->leaves[$k] = clone $l; if ($this->child) $this->child = clone $this->child; } }
$t = new Tree; for ($i = 0; $i < 1000; $i++) $t->leaves[] = new Leaf($i);
$t->child = new Tree; $t->child->leaves[] = new Leaf(-1);
$copies = [];
for ($i = 0; $i < 50; $i++) $copies[] = clone $t;
$copies[3]->leaves[5]->data[0] = 'changed';
$copies[3]->child->leaves[0]->data[0] = 'deep';
echo $t->leaves[5]->data[0], ' ', $copies[3]->leaves[5]->data[0], ' ', $t->child->leaves[0]->data[0], ' ', $copies[4]->child->leaves[0]->data[0], "\n";
$shallow = new stdClass; $shallow->obj = new stdClass; $shallow->obj->v = 1;
$s2 = clone $shallow; $s2->obj->v = 2; echo $shallow->obj->v, "\n";
unset($copies);
$dt = new DateTime('2020-01-01 00:00:00', new DateTimeZone('UTC')); $dt2 = clone $dt; $dt2->modify('+1 year'); echo $dt->format('Y'), $dt2->format('Y'), "\n";
$ao = new ArrayObject([1, 2, 3]); $ao2 = clone $ao; $ao2[] = 4; echo count($ao), count($ao2), "\n";
echo spl_object_id($t) > 0 ? 'id' : 'noid', "\n";

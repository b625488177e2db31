<?php
// SPL data structures: SplFixedArray, SplDoublyLinkedList, SplQueue/Stack, heaps, SplObjectStorage, ArrayObject.
$f = new SplFixedArray(200000);
for ($i = 0; $i < 200000; $i++) $f[$i] = $i;
echo $f->getSize(), ' ', $f[199999], "\n";
$f->setSize(10); echo count($f), "\n";
$q = new SplQueue;
for ($i = 0; $i < 100000; $i++) $q->enqueue("j$i");
for ($i = 0; $i < 99990; $i++) $q->dequeue();
echo count($q), ' ', $q->dequeue(), "\n";
$st = new SplStack; foreach (range(1, 5) as $x) $st->push($x); echo $st->pop(), $st->top(), "\n";
$h = new SplMinHeap; mt_srand(7); for ($i = 0; $i < 50000; $i++) $h->insert(mt_rand(0, 1000000));
$prev = -1; $ok = true; for ($i = 0; $i < 1000; $i++) { $x = $h->extract(); if ($x < $prev) $ok = false; $prev = $x; }
echo $ok ? 'heap ok' : 'heap bad', ' ', count($h), "\n";
$pq = new SplPriorityQueue; foreach (['low' => 1, 'high' => 10, 'mid' => 5] as $k => $p) $pq->insert($k, $p);
echo $pq->extract(), "\n";
$s = new SplObjectStorage; $objs = [];
for ($i = 0; $i < 10000; $i++) { $o = new stdClass; $o->i = $i; $objs[] = $o; $s[$o] = "data$i"; }
echo count($s), ' ', $s[$objs[1234]], "\n";
foreach (array_slice($objs, 0, 5000) as $o) $s->detach($o);
echo count($s), "\n";
$ao = new ArrayObject(['b' => 2, 'a' => 1]); $ao['c'] = 3; $ao->ksort();
echo json_encode($ao->getArrayCopy()), ' ', count($ao), "\n";
$it = new LimitIterator(new ArrayIterator(range(1, 100)), 10, 5);
echo implode(',', iterator_to_array($it, false)), "\n";
$ll = new SplDoublyLinkedList; for ($i = 0; $i < 1000; $i++) $ll->push($i); $ll->offsetUnset(500);
echo $ll->count(), ' ', $ll[500], "\n";

<?php
// gc-heavy: cyclic garbage (object rings, self-referencing arrays) so the cycle collector runs
// again and again, with a slowly growing set of survivors.
final class Ring { public $next; public $data; }
$survivors = [];
$check = 0;
for ($round = 0; $round < 200; $round++) {
    for ($i = 0; $i < 10000; $i++) {
        $a = new Ring; $b = new Ring; $c = new Ring;
        $a->next = $b; $b->next = $c; $c->next = $a;
        $a->data = ['round' => $round, 'i' => $i];
        if ($i % 500 === 0) $survivors[] = $a;
    }
    for ($i = 0; $i < 3000; $i++) { $arr = ['v' => $i]; $arr['self'] = &$arr; }
    unset($a, $b, $c, $arr);
    $check += count($survivors);
}
$st = gc_status();
echo "gc_heavy $check ", $st['runs'] > 0 ? 'collected' : 'idle', "\n";

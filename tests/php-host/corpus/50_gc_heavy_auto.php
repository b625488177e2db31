<?php
// Cyclic garbage made faster than anything else: the collector runs by itself many times.
class N { public $peer; public $payload; }
$made = 0;
for ($round = 0; $round < 30; $round++) {
    $keep = [];
    for ($i = 0; $i < 10000; $i++) {
        $a = new N; $b = new N; $c = new N;
        $a->peer = $b; $b->peer = $c; $c->peer = $a;
        $a->payload = [$i, "p$i"];
        if ($i % 100 === 0) $keep[] = $a;
        $made += 3;
    }
    unset($a, $b, $c);
}
$st = gc_status();
echo $made, ' ', $st['runs'] >= 5 ? 'runs>=5' : 'runs<5', ' ', $st['collected'] > 500000 ? 'collected>500k' : 'collected<=500k', "\n";
unset($keep);
echo gc_collect_cycles(), "\n";
$arrays = [];
for ($i = 0; $i < 50000; $i++) { $x = ['self' => null, 'v' => $i]; $x['self'] = &$x; unset($x); }
echo gc_collect_cycles() >= 0 ? "ok\n" : '';

<?php
// One request of the repeat test: builds and frees a lot (small, large and huge blocks,
// objects, cycles, strings), then prints a line that must be the same in every request.
class ChurnNode { public $next; public $data; }
$sum = 0;
for ($round = 0; $round < 2; $round++) {
    $a = range(1, 20000);
    $h = [];
    foreach ($a as $i) $h["k$i"] = str_repeat('v', $i % 64);
    $sum += count($h);
    unset($a, $h);
    $first = $prev = new ChurnNode;
    for ($i = 0; $i < 2000; $i++) { $n = new ChurnNode; $n->data = [$i, "d$i"]; $prev->next = $n; $prev = $n; }
    $prev->next = $first;            // a cycle for the collector
    unset($first, $prev, $n);
    $sum += gc_collect_cycles();
    $s = '';
    for ($i = 0; $i < 2000; $i++) $s .= "line $i\n";
    $big = str_repeat($s, 200);      // a huge block (> 2 MiB)
    $sum += strlen($big) % 1000;
    unset($s, $big);
    $json = json_encode(array_fill(0, 2000, ['a' => 1, 'b' => 'two']));
    $sum += count(json_decode($json, true));
}
static $requests = 0;
echo "churn $sum ", ++$requests, "\n";   // statics do not survive a request: always 1

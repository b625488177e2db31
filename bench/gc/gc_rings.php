<?php
// zmem gc_bench counterpart: 1,000,000 garbage nodes closed into rings of $argv[1] nodes.
// Only the gc_collect_cycles() call is timed (hrtime around it).
//   php -n -d memory_limit=-1 bench/gc/gc_rings.php 1000 [total]
final class Node { public $next; }

$ring = (int)($argv[1] ?? 1000);
$total = (int)($argv[2] ?? 1000000);
gc_disable();                       // the automatic collector must not run while building
$mem0 = memory_get_usage();
for ($r = 0; $r < intdiv($total, $ring); $r++) {
    $first = new Node;
    $cur = $first;
    for ($i = 1; $i < $ring; $i++) {
        $cur->next = new Node;
        $cur = $cur->next;
    }
    $cur->next = $first;
}
unset($first, $cur);
$roots = gc_status()['roots'];
$graph = memory_get_usage() - $mem0;

$t = hrtime(true);
$n = gc_collect_cycles();
$dt = hrtime(true) - $t;

$mem1 = memory_get_usage();
printf("php ring/%d nodes=%d roots=%d freed=%d time_ms=%.3f ns_per_node=%.2f mem_delta=%d bytes_per_node=%.1f\n",
    $ring, $total, $roots, $n, $dt / 1e6, $dt / $total, $mem1 - $mem0, $graph / $total);

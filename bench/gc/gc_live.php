<?php
// zmem gc_bench counterpart: a live graph of 1,000,000 nodes (1,000 rings of 1,000, each held
// by an element of $keep), every node a possible root; the timed collection frees nothing.
//   php -n -d memory_limit=-1 bench/gc/gc_live.php [total]
final class Node { public $next; }

$ring = 1000;
$total = (int)($argv[1] ?? 1000000);
gc_disable();
$mem0 = memory_get_usage();
$keep = [];
for ($r = 0; $r < intdiv($total, $ring); $r++) {
    $first = new Node;
    $cur = $first;
    for ($i = 1; $i < $ring; $i++) {
        $cur->next = new Node;
        $cur = $cur->next;
    }
    $cur->next = $first;
    $keep[] = $first;
}
unset($first, $cur);
$roots = gc_status()['roots'];
$graph = memory_get_usage() - $mem0;

$t = hrtime(true);
$n = gc_collect_cycles();
$dt = hrtime(true) - $t;

// Check that everything survived: walk every ring once.
$alive = 0;
foreach ($keep as $f) { $c = $f; do { $alive++; $c = $c->next; } while ($c !== $f); }
printf("php live nodes=%d roots=%d freed=%d alive=%d time_ms=%.3f ns_per_node=%.2f bytes_per_node=%.1f\n",
    $total, $roots, $n, $alive, $dt / 1e6, $dt / $total, $graph / $total);

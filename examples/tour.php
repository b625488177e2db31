<?php
// A short tour of PHP's request memory, run on a zmem heap:
//     build/release/bin/zmem-php --zmem-report examples/tour.php
// (scripts/run does exactly that).  Every emalloc/efree of this request goes to zmem;
// memory_get_usage() reads zmem's figures, and --zmem-report prints the heap's own report on
// stderr when the request ends.  Compare: zmem-php --allocator=zend examples/tour.php, or php -n.

function kib(int $bytes): string { return sprintf('%+.1f KiB', $bytes / 1024); }
function step(string $what, int $before): void { printf("  %-46s %12s\n", $what, kib(memory_get_usage() - $before)); }

echo "zmem tour: PHP ", PHP_VERSION, "\n\n";

// 1. Copy-on-write: assigning an array copies nothing; the first write separates.
echo "1. copy-on-write\n";
$m = memory_get_usage();
$a = range(1, 100000);
step('$a = range(1, 100000)', $m);
$m = memory_get_usage();
$b = $a;
step('$b = $a            (shared, no copy)', $m);
$m = memory_get_usage();
$b[] = 'one more';
step('$b[] = ...         (separated: a real copy)', $m);
printf("  count(\$a) = %d, count(\$b) = %d\n", count($a), count($b));
$m = memory_get_usage();
unset($b);
step('unset($b)          (the copy is freed)', $m);

// 2. References: two names, one value; a reference inside an array survives copying it.
echo "\n2. references\n";
$x = ['n' => 1];
$r = &$x['n'];
$copy = $x;            // $copy['n'] is the same reference as $x['n']
$r = 42;
printf("  \$x['n'] = %d, \$copy['n'] = %d   (one slot, shared through the reference)\n", $x['n'], $copy['n']);
unset($r);
$m = memory_get_usage();
$big = str_repeat('z', 1 << 20);
$alias = &$big;
step('$alias = &$big      (1 MiB string, no copy)', $m);
$alias .= '!';
printf("  strlen(\$big) = %d after appending through \$alias\n", strlen($big));
unset($big, $alias);

// 3. A cycle: unreachable, but each object keeps the other alive until the collector runs.
echo "\n3. a reference cycle, collected\n";
class Node { public ?Node $peer = null; public string $payload; }
gc_disable();                          // so that the collector does not run on its own meanwhile
$m = memory_get_usage();
for ($i = 0; $i < 10000; $i++) {
    $p = new Node; $q = new Node;
    $p->peer = $q; $q->peer = $p;      // p <-> q
    $p->payload = str_repeat('p', 100);
}
unset($p, $q);
step('10,000 unreachable pairs (still allocated)', $m);
gc_enable();
$collected = gc_collect_cycles();
step("gc_collect_cycles(): $collected values freed", $m);
echo "  (what stays is PHP's object store, grown to hold 20,000 handles)\n";

// 4. The figures PHP reports, from zmem's heap.
echo "\n4. memory figures\n";
printf("  memory_get_usage()          %10d bytes in live blocks\n", memory_get_usage());
printf("  memory_get_usage(true)      %10d bytes mapped from the OS\n", memory_get_usage(true));
printf("  memory_get_peak_usage()     %10d\n", memory_get_peak_usage());
printf("  memory_get_peak_usage(true) %10d\n", memory_get_peak_usage(true));
printf("  memory_limit                %10s\n", ini_get('memory_limit'));
echo "\nThe heap's own report follows on stderr (--zmem-report), after the request ends.\n";

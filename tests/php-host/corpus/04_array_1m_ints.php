<?php
// Arrays of 1M elements: packed arrays built by append, range, array_fill, then reduced.
$a = [];
for ($i = 0; $i < 1000000; $i++) {
    $a[] = $i;
}
echo count($a), ' ', array_sum($a), "\n";
$b = range(1, 1000000);
echo count($b), ' ', $b[999999], ' ', array_sum($b), "\n";
$c = array_fill(0, 1000000, 0.5);
echo count($c), ' ', array_sum($c), "\n";
unset($a, $c);
$d = array_reverse($b);
echo $d[0], ' ', $d[999999], "\n";
$e = array_slice($b, 500000, 10);
echo implode(',', $e), "\n";
$b[] = 'tail';
echo count($b), ' ', $b[1000000], "\n";

<?php
// Sorting: sort/rsort/usort/uasort/uksort/ksort/asort/array_multisort/natsort with seeded data.
mt_srand(12345);
$a = [];
for ($i = 0; $i < 150000; $i++) $a[] = mt_rand();
$b = $a; sort($b);
echo $b[0], ' ', $b[75000], ' ', $b[149999], "\n";
$c = $a; rsort($c); echo $c[0] === $b[149999] ? 'ok' : 'bad', "\n";
$d = array_slice($a, 0, 50000); usort($d, fn($x, $y) => ($x % 1000) <=> ($y % 1000) ?: $x <=> $y);
echo $d[0], ' ', $d[49999], "\n";
$s = []; for ($i = 0; $i < 50000; $i++) $s["key" . mt_rand(0, 1 << 30)] = mt_rand(0, 100);
$t = $s; ksort($t); echo array_key_first($t), "\n";
$t = $s; asort($t); echo reset($t), ' ', count($t), "\n";
$t = $s; arsort($t); echo reset($t), "\n";
$t = $s; uksort($t, fn($x, $y) => strlen($x) <=> strlen($y) ?: strcmp($x, $y)); echo array_key_last($t), "\n";
$strs = []; for ($i = 0; $i < 50000; $i++) $strs[] = "file" . mt_rand(0, 100000) . ".txt";
$n = $strs; natsort($n); echo reset($n), ' ', end($n), "\n";
$n = $strs; sort($n, SORT_STRING | SORT_FLAG_CASE); echo $n[0], "\n";
$d1 = []; $d2 = []; for ($i = 0; $i < 20000; $i++) { $d1[] = mt_rand(0, 50); $d2[] = "v$i"; }
array_multisort($d1, SORT_DESC, $d2, SORT_ASC);
echo $d1[0], ' ', $d2[0], ' ', $d1[19999], ' ', $d2[19999], "\n";
$objs = []; for ($i = 0; $i < 20000; $i++) { $o = new stdClass; $o->k = mt_rand(0, 1000); $o->i = $i; $objs[] = $o; }
usort($objs, fn($x, $y) => [$x->k, $x->i] <=> [$y->k, $y->i]);
echo $objs[0]->k, ':', $objs[0]->i, ' ', $objs[19999]->k, "\n";
$stable = array_map(fn($i) => ['g' => $i % 3, 'i' => $i], range(0, 20));
usort($stable, fn($x, $y) => $x['g'] <=> $y['g']);
echo implode(',', array_column($stable, 'i')), "\n";

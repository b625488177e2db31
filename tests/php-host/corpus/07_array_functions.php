<?php
// The array library: map/filter/reduce/merge/splice/combine/flip/chunk/column.
$a = range(1, 200000);
$sq = array_map(fn($x) => $x * $x, $a);
$ev = array_filter($sq, fn($x) => $x % 2 === 0);
echo count($ev), ' ', array_reduce($ev, fn($c, $x) => ($c + $x) % 1000000007, 0), "\n";
$m = array_merge($a, $sq, ['x' => 1]);
echo count($m), "\n";
array_splice($m, 10, 100000, ['ins1', 'ins2']);
echo count($m), ' ', $m[10], ' ', $m[12], "\n";
$keys = array_map(fn($i) => "key$i", range(0, 9999));
$comb = array_combine($keys, range(0, 9999));
$flip = array_flip($comb);
echo $flip[5000], ' ', count(array_chunk($comb, 7, true)), "\n";
$rows = [];
for ($i = 0; $i < 20000; $i++) $rows[] = ['id' => $i, 'name' => "n$i", 'g' => $i % 10];
$col = array_column($rows, 'name', 'id');
echo $col[19999], ' ', count(array_count_values(array_column($rows, 'g'))), "\n";
echo implode(',', array_unique([3, 1, 3, 2, 1, '2', 'a', 'A'])), "\n";
echo implode(',', array_diff(range(1, 20), range(1, 20, 3))), "\n";
echo implode(',', array_intersect_key(['a' => 1, 'b' => 2, 'c' => 3], ['a' => 0, 'c' => 0])), "\n";
echo json_encode(array_pad([1, 2], 5, 0)), json_encode(array_fill_keys(['x', 'y'], [])), "\n";

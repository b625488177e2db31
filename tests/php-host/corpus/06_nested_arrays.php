<?php
// Nested arrays: a 3-level tree of arrays, walked recursively, copied and modified.
function build($depth, $width) {
    if ($depth === 0) return ['leaf' => $width, 'data' => str_repeat('d', $width)];
    $n = [];
    for ($i = 0; $i < $width; $i++) $n["c$i"] = build($depth - 1, $width);
    return $n;
}
function count_leaves($n) {
    if (isset($n['leaf'])) return 1;
    $c = 0;
    foreach ($n as $child) $c += count_leaves($child);
    return $c;
}
$t = build(4, 12);
echo count_leaves($t), "\n";
$u = $t;
$u['c0']['c0']['c0']['c0']['leaf'] = -1;
echo $t['c0']['c0']['c0']['c0']['leaf'], ' ', $u['c0']['c0']['c0']['c0']['leaf'], "\n";
echo count($t, COUNT_RECURSIVE), "\n";
$grid = [];
for ($y = 0; $y < 300; $y++) for ($x = 0; $x < 300; $x++) $grid[$y][$x] = $x * $y;
echo array_sum(array_map('array_sum', $grid)), "\n";
array_walk_recursive($t, function (&$v, $k) { if ($k === 'leaf') $v *= 2; });
echo $t['c11']['c11']['c11']['c11']['leaf'], "\n";
print_r(array_slice(build(1, 2), 0, 2));

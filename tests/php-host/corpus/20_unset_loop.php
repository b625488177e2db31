<?php
// unset-heavy loops: fill and empty arrays, unset properties, shrink strings, repeated.
$total = 0;
for ($round = 0; $round < 20; $round++) {
    $a = [];
    for ($i = 0; $i < 20000; $i++) $a["k$i"] = str_repeat('v', $i % 300);
    foreach (array_keys($a) as $k) if (strlen($k) % 2) unset($a[$k]);
    $total += count($a);
    unset($a);
}
echo $total, "\n";
$h = [];
for ($i = 0; $i < 200000; $i++) { $h[$i] = $i; if ($i >= 100) unset($h[$i - 100]); }
echo count($h), ' ', array_key_first($h), "\n";
$o = new stdClass;
for ($i = 0; $i < 10000; $i++) { $o->{"p$i"} = $i; if ($i % 2) unset($o->{"p$i"}); }
echo count(get_object_vars($o)), "\n";
$queue = [];
for ($i = 0; $i < 100000; $i++) { $queue[] = [$i, "x$i"]; if (count($queue) > 50) array_shift($queue); }
echo count($queue), ' ', $queue[0][0], "\n";
$s = str_repeat('a', 1 << 20);
for ($i = 0; $i < 100; $i++) { $s = substr($s, 0, -10000); }
echo strlen($s), "\n";
$vars = [];
for ($i = 0; $i < 1000; $i++) { ${"v$i"} = $i; }
for ($i = 0; $i < 1000; $i += 3) { unset(${"v$i"}); }
echo isset($v3) ? 'y' : 'n', isset($v4) ? 'y' : 'n', "\n";

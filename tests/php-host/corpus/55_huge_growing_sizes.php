<?php
// Huge blocks of ever larger sizes, each freed before the next: whatever an allocator keeps
// cached must not push the request over memory_limit (128M; peak usage stays ~61 MiB).
ini_set('memory_limit', '128M');
for ($i = 3; $i <= 60; $i++) {
    $s = str_repeat('x', $i << 20);
    if (strlen($s) !== $i << 20) echo "bad length at $i\n";
    unset($s);
}
var_dump(memory_get_peak_usage() < 64 << 20, memory_get_peak_usage(true) <= 128 << 20);
// Then shrinking sizes, and two alive at once.
for ($i = 40; $i >= 3; $i -= 3) { $a = str_repeat('a', $i << 20); $b = str_repeat('b', ($i >> 1) << 20); unset($a, $b); }
echo "done\n";

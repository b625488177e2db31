<?php
// WeakMap and WeakReference: entries vanish when the key object dies.
$wm = new WeakMap;
$keys = [];
for ($i = 0; $i < 10000; $i++) { $k = new stdClass; $keys[] = $k; $wm[$k] = str_repeat('v', 64); }
echo count($wm), "\n";
$keys = array_slice($keys, 0, 100);
unset($k);
echo count($wm), "\n";
$keys = [];
echo count($wm), "\n";
$o = new stdClass;
$wr = WeakReference::create($o);
var_dump($wr->get() === $o);
unset($o);
var_dump($wr->get());
// Cycle through a WeakMap value that references its key.
$wm2 = new WeakMap;
$a = new stdClass; $wm2[$a] = [$a];
unset($a);
echo count($wm2), ' ', gc_collect_cycles() >= 0 ? 'ok' : '', ' ', count($wm2), "\n";

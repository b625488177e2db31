<?php
// 1M-element hash (string keys) and a sparse int-keyed hash; lookups and deletes.
$h = [];
for ($i = 0; $i < 1000000; $i++) {
    $h['k' . $i] = $i;
}
echo count($h), ' ', $h['k123456'], ' ', isset($h['k1000000']) ? 'y' : 'n', "\n";
for ($i = 0; $i < 1000000; $i += 2) {
    unset($h['k' . $i]);
}
echo count($h), ' ', array_key_first($h), ' ', array_key_last($h), "\n";
$sparse = [];
for ($i = 0; $i < 300000; $i++) {
    $sparse[$i * 7919 % 1000003] = $i;
}
ksort($sparse);
echo count($sparse), ' ', array_key_first($sparse), ' ', array_key_last($sparse), "\n";

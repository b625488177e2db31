<?php
// Array building: packed and hash arrays grown element by element, copied, filtered and dropped.
$check = 0;
for ($round = 0; $round < 20; $round++) {
    $packed = [];
    for ($i = 0; $i < 400000; $i++) $packed[] = $i * $round;
    $hash = [];
    for ($i = 0; $i < 150000; $i++) $hash["key_{$round}_$i"] = [$i, $i + 1];
    $copy = $packed;
    $copy[] = -1;                                  // separation: a full copy
    $even = array_filter($packed, fn($v) => ($v & 1) === 0);
    $keys = array_keys($hash);
    $check += count($packed) + count($hash) + count($even) + count($keys) + count($copy);
    unset($packed, $hash, $copy, $even, $keys);
}
echo "array_build $check\n";

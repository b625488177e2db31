<?php
// String concatenation: .= growth through every size class, interpolation, implode, substr.
$check = 0;
for ($round = 0; $round < 45; $round++) {
    $s = '';
    for ($i = 0; $i < 150000; $i++) $s .= "row $i of round $round;";
    $parts = [];
    for ($i = 0; $i < 100000; $i++) $parts[] = 'p' . $i . '-' . ($i * 7);
    $joined = implode(',', $parts);
    $pieces = explode(';', $s);
    $upper = strtoupper(substr($s, 0, 1 << 20));
    $check += strlen($s) + strlen($joined) + count($pieces) + strlen($upper);
    unset($s, $parts, $joined, $pieces, $upper);
}
echo "string_concat $check\n";

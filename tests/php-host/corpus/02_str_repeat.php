<?php
// str_repeat across size classes: small, page-sized, multi-page, huge (> 2 MiB).
foreach ([0, 1, 7, 8, 15, 16, 100, 1000, 3072, 4096, 8192, 100000, 1 << 20, 3 << 20, 10 << 20] as $n) {
    $s = str_repeat('ab', $n >> 1) . ($n & 1 ? 'c' : '');
    echo $n, ' ', strlen($s), ' ', crc32($s), "\n";
}
$big = str_repeat('0123456789', 2000000);
echo strlen($big), ' ', substr($big, 12345, 10), ' ', md5($big), "\n";
unset($big);
// Many repeats of the same big size: the huge-block path reused over and over.
$acc = 0;
for ($i = 0; $i < 50; $i++) {
    $s = str_repeat('x', 4 << 20);
    $acc += strlen($s);
    unset($s);
}
echo $acc, "\n";

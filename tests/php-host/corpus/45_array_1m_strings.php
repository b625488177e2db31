<?php
// 1M small strings in an array (one small-bin allocation each), then string operations over all of them.
$a = [];
for ($i = 0; $i < 1000000; $i++) $a[] = 'v' . $i;
echo count($a), ' ', $a[999999], "\n";
$len = 0; foreach ($a as $s) $len += strlen($s); echo $len, "\n";
$u = array_map('strtoupper', array_slice($a, 0, 200000));
echo $u[199999], "\n";
unset($u);
$a = array_filter($a, fn($s) => $s[strlen($s) - 1] === '7');
echo count($a), ' ', array_key_last($a), "\n";
$j = implode('', $a);
echo strlen($j), "\n";

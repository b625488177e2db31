<?php
// Huge blocks grown by realloc: a string appended to past several MiB, arrays past 2 MiB of buckets.
$s = '';
$piece = str_repeat('0123456789abcdef', 4096); // 64 KiB
for ($i = 0; $i < 200; $i++) $s .= $piece;  // grows through small, large and huge sizes
echo strlen($s), ' ', crc32($s), "\n";
$s .= $s;
echo strlen($s), "\n";
$s = substr($s, 100);
echo strlen($s), "\n";
unset($s);
$a = [];
for ($i = 0; $i < 600000; $i++) $a["k$i"] = $i; // hash table grows past 16 MiB
echo count($a), "\n";
$a = [];
$b = array_fill(0, 3000000, 1);
echo array_sum($b), "\n";
$b = array_slice($b, 0, 10);
echo count($b), "\n";
$str = str_repeat('x', 5 << 20);
for ($i = 0; $i < 10; $i++) { $str .= 'y'; $str = rtrim($str, 'y'); }
echo strlen($str), "\n";

<?php
// json with large string values (huge blocks) and escaped content.
$big = str_repeat("line with \"quotes\" and \\ backslash\n", 100000);
$j = json_encode(['big' => $big, 'list' => array_fill(0, 50000, 'abc')]);
echo strlen($j), ' ', crc32($j), "\n";
$d = json_decode($j, true);
echo strlen($d['big']), ' ', count($d['list']), ' ', $d['big'] === $big ? 'same' : 'diff', "\n";
$numbers = json_encode(range(0.5, 100000.5, 1.0));
echo strlen($numbers), ' ', array_sum(json_decode($numbers)), "\n";
$bigint = json_decode('[12345678901234567890]', false, 512, JSON_BIGINT_AS_STRING);
var_dump($bigint);

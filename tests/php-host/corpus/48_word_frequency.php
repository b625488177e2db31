<?php
// A small text-processing workload: tokenise, count, sort by frequency, top-N.
mt_srand(77);
$vocab = [];
for ($i = 0; $i < 5000; $i++) { $w = ''; $l = mt_rand(2, 10); for ($k = 0; $k < $l; $k++) $w .= chr(mt_rand(97, 122)); $vocab[] = $w; }
$words = [];
for ($i = 0; $i < 300000; $i++) $words[] = $vocab[(int)(sqrt(mt_rand(0, 24999999)))];
$text = implode(' ', $words);
$freq = array_count_values(str_word_count($text, 1));
arsort($freq);
$top = array_slice($freq, 0, 5, true);
echo json_encode($top), "\n";
$byLen = [];
foreach ($freq as $w => $c) $byLen[strlen($w)][] = $w;
ksort($byLen);
foreach ($byLen as $l => $ws) echo $l, ':', count($ws), ' ';
echo "\n";
$bigrams = [];
for ($i = 0; $i < 100000; $i++) { $k = $words[$i] . ' ' . $words[$i + 1]; $bigrams[$k] = ($bigrams[$k] ?? 0) + 1; }
echo count($bigrams), ' ', max($bigrams), "\n";

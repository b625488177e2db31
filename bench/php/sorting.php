<?php
// Sorting: ints, strings, records with a user comparator, keyed sorts; data rebuilt each round.
mt_srand(1);
$check = 0;
for ($round = 0; $round < 3; $round++) {
    $ints = [];
    for ($i = 0; $i < 300000; $i++) $ints[] = mt_rand();
    $strs = array_map(fn($v) => 'k' . dechex($v), array_slice($ints, 0, 150000));
    $records = [];
    for ($i = 0; $i < 50000; $i++) $records[] = ['score' => mt_rand(0, 1000), 'name' => "n$i"];
    sort($ints);
    sort($strs, SORT_STRING);
    usort($records, fn($a, $b) => $b['score'] <=> $a['score'] ?: strcmp($a['name'], $b['name']));
    $assoc = array_combine($strs, range(1, count($strs)));
    ksort($assoc);
    arsort($assoc);
    $check += $ints[1000] % 1000 + strlen($strs[0]) + $records[0]['score'] + count($assoc);
    unset($ints, $strs, $records, $assoc);
}
echo "sorting $check\n";

<?php
// json round trips: documents of nested arrays/objects encoded and decoded repeatedly.
$doc = [];
for ($i = 0; $i < 20000; $i++) {
    $doc[] = ['id' => $i, 'name' => "customer $i", 'email' => "c$i@example.com", 'active' => $i % 3 !== 0,
              'balance' => $i * 1.25, 'tags' => ['t' . ($i % 10), 't' . ($i % 7)], 'address' => ['city' => 'City ' . ($i % 100), 'zip' => sprintf('%05d', $i)]];
}
$check = 0;
for ($round = 0; $round < 15; $round++) {
    $json = json_encode($doc);
    $assoc = json_decode($json, true);
    $objects = json_decode($json);
    $again = json_encode($objects, JSON_PRETTY_PRINT);
    $check += strlen($json) + count($assoc) + count($objects) + strlen($again);
    unset($json, $assoc, $objects, $again);
}
echo "json_roundtrip $check\n";

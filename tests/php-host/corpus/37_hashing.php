<?php
// Hash functions over large inputs: md5, sha1, hash(), hash_hmac, crc32, incremental hashing.
$data = '';
for ($i = 0; $i < 100000; $i++) $data .= pack('N', $i * 2654435761 & 0xffffffff);
echo strlen($data), "\n";
foreach (['md5', 'sha1', 'sha256', 'sha512', 'crc32b', 'xxh64', 'murmur3f', 'fnv1a64'] as $algo) echo $algo, ' ', hash($algo, $data), "\n";
echo hash_hmac('sha256', $data, 'key'), "\n";
$ctx = hash_init('sha256');
for ($i = 0; $i < 1000; $i++) hash_update($ctx, substr($data, $i * 400, 400));
echo hash_final($ctx), ' ', hash('sha256', $data) === hash('sha256', substr($data, 0, 400000) . substr($data, 400000)) ? 'same' : 'diff', "\n";
echo bin2hex(hash_pbkdf2('sha1', 'password', 'salt', 1000, 20, true)), "\n";
echo hash_equals(md5('a'), md5('a')) ? 'eq' : 'ne', ' ', crc32('The quick brown fox jumped over the lazy dog.'), "\n";
echo count(hash_algos()) > 40 ? 'many algos' : 'few algos', "\n";

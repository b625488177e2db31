<?php
// preg_match / preg_match_all / preg_split / named groups over generated text.
$lines = [];
for ($i = 0; $i < 30000; $i++) $lines[] = sprintf('%04d-%02d-%02d user%d@example%d.com status=%s', 2000 + $i % 25, 1 + $i % 12, 1 + $i % 28, $i, $i % 7, $i % 3 ? 'ok' : 'fail');
$text = implode("\n", $lines);
echo preg_match_all('/(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})/', $text, $m), ' ', $m['y'][29999], "\n";
echo preg_match_all('/status=fail/', $text), "\n";
preg_match('/user(\d+)@example(\d)\.com/', $lines[12345], $mm);
echo json_encode($mm), "\n";
$words = preg_split('/[\s@.=-]+/', $text, -1, PREG_SPLIT_NO_EMPTY);
echo count($words), ' ', $words[5], "\n";
$parts = preg_split('/(\d)/', 'a1b2c3', -1, PREG_SPLIT_DELIM_CAPTURE | PREG_SPLIT_OFFSET_CAPTURE);
echo json_encode($parts), "\n";
echo count(preg_grep('/^20(0[0-9])/', $lines)), "\n";
var_dump(preg_match('/(/', 'x'));
echo preg_last_error(), ' ', preg_last_error_msg(), "\n";
echo preg_quote('a.b*c?d[e]'), "\n";
// A new pattern each time: the PCRE cache fills and evicts (4096 entries).
$hits = 0;
for ($i = 0; $i < 6000; $i++) $hits += preg_match("/x{$i}y/", "ax{$i}yb");
echo $hits, "\n";
echo preg_match('/^(\w+\s?)*$/u', str_repeat('word ', 2000)), "\n";
echo preg_match('/\p{Lu}\p{Ll}+/u', 'Ärger über Öl', $u), ' ', $u[0], "\n";

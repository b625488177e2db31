<?php
// String building: .= in loops, implode, interpolation, heredoc.
$s = '';
for ($i = 0; $i < 200000; $i++) {
    $s .= $i . ',';
}
echo strlen($s), ' ', md5($s), "\n";

$parts = [];
for ($i = 0; $i < 100000; $i++) {
    $parts[] = "item-$i";
}
$joined = implode('|', $parts);
echo strlen($joined), ' ', crc32($joined), "\n";

$name = 'world';
$t = '';
for ($i = 0; $i < 50000; $i++) {
    $t .= "hello {$name} #{$i}\n";
}
echo strlen($t), ' ', sha1($t), "\n";

$h = <<<EOT
Name: $name
Count: {$i}
EOT;
echo $h, "\n";

// Build and throw away many mid-sized strings.
$total = 0;
for ($i = 0; $i < 20000; $i++) {
    $x = str_repeat(chr(65 + $i % 26), $i % 700) . sprintf('%05d', $i);
    $total += strlen($x);
}
echo $total, "\n";

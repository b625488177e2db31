<?php
// sprintf/number_format/str_pad: formatting makes many short-lived strings.
$out = [];
for ($i = 0; $i < 50000; $i++) {
    $out[] = sprintf('%08.3f|%-10s|%x|%b|%e', $i / 7, "n$i", $i, $i & 255, $i * 1.5);
}
echo count($out), ' ', md5(implode("\n", $out)), "\n";
echo $out[0], "\n", $out[49999], "\n";
echo number_format(1234567.891, 2), ' ', number_format(1234567.891, 2, ',', '.'), "\n";
echo str_pad('x', 20, '-=', STR_PAD_BOTH), "\n";
printf("%'*10s|%+d|%05.1f|%u\n", 'pad', 42, 3.14159, 3);
echo vsprintf("%s-%s-%s\n", ['a', 'b', 'c']);
$w = wordwrap(str_repeat('lorem ipsum dolor sit amet ', 2000), 60, "\n", true);
echo substr_count($w, "\n"), ' ', md5($w), "\n";

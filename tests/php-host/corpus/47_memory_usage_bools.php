<?php
// memory_get_usage & co. answer consistently (printed only as booleans).
$u0 = memory_get_usage();
$r0 = memory_get_usage(true);
var_dump($u0 > 0, $r0 > 0, $r0 >= $u0, $r0 % 4096 === 0);
$big = range(1, 500000);
$u1 = memory_get_usage();
var_dump($u1 > $u0 + 500000 * 8, memory_get_usage(true) >= $u1);
var_dump(memory_get_peak_usage() >= $u1, memory_get_peak_usage(true) >= memory_get_usage(true));
unset($big);
$u2 = memory_get_usage();
var_dump($u2 < $u1, memory_get_peak_usage() >= $u1);
memory_reset_peak_usage();
var_dump(memory_get_peak_usage() < $u1);
$s = str_repeat('x', 10 << 20);
var_dump(memory_get_usage() >= 10 << 20, memory_get_peak_usage() >= 10 << 20);
unset($s);
var_dump(memory_get_usage() < 10 << 20);
var_dump(is_int(memory_get_usage()), is_int(memory_get_peak_usage(true)));

<?php
// ini_set('memory_limit'): raise, lower, -1, invalid values; allocation within the new limit.
echo ini_get('memory_limit'), "\n";
var_dump(ini_set('memory_limit', '256M'));
echo ini_get('memory_limit'), "\n";
$s = str_repeat('a', 150 << 20);
echo strlen($s), "\n";
unset($s);
var_dump(ini_set('memory_limit', '-1'));
$t = str_repeat('b', 200 << 20);
echo strlen($t), "\n";
unset($t);
var_dump(ini_set('memory_limit', '64M'));
echo ini_get('memory_limit'), "\n";
var_dump(ini_set('memory_limit', '1G'));
echo ini_get('memory_limit'), "\n";
var_dump(ini_set('memory_limit', '128M'));
ini_restore('memory_limit');
echo ini_get('memory_limit'), "\n";
var_dump(memory_get_usage() > 0, memory_get_usage(true) >= memory_get_usage(), memory_get_peak_usage() >= memory_get_usage());

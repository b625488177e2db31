<?php
// Warnings, notices and deprecations go through PHP's error path (allocating messages).
echo $undef1 ?? 'coalesced', "\n";
$arr = [];
echo @$arr['missing'], "|\n";
echo $arr['missing'], "|\n";
$str = 'abc';
echo $str[10] ?? 'none', "\n";
echo intdiv(7, 2), ' ', 7 % 3, "\n";
$r = "5 apples" + 3;
echo $r, "\n";
echo strlen(null), "\n";
set_error_handler(function ($no, $msg, $file, $line) { echo "handler: [$no] $msg at line $line\n"; return true; });
for ($i = 0; $i < 3; $i++) echo $undefined_in_loop;
echo [] . '', "\n";
trigger_error('custom notice', E_USER_NOTICE);
trigger_error('custom warning', E_USER_WARNING);
trigger_error(str_repeat('long ', 1000), E_USER_DEPRECATED);
restore_error_handler();
$count = 0;
set_error_handler(function () use (&$count) { $count++; return true; });
for ($i = 0; $i < 100000; $i++) { $x = $nope[$i]; }
restore_error_handler();
echo $count, "\n";
trigger_error('last one', E_USER_WARNING);
echo error_get_last()['message'], "\n";

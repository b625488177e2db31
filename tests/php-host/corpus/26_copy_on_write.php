<?php
// Copy-on-write: copies share until written; separation on write; arrays passed to functions.
$a = range(1, 100000);
$b = $a;
$before = memory_get_usage();
$c = $a;                       // no copy yet
var_dump(memory_get_usage() - $before < 1024);
$c[] = 1;                      // separation: a full copy
var_dump(memory_get_usage() - $before > 100000 * 8);
function reader(array $x) { return count($x); }
function writer(array $x) { $x[0] = 'w'; return $x[0]; }
echo reader($a), ' ', writer($a), ' ', $a[0], "\n";
$s = str_repeat('s', 1 << 20);
$t = $s;
$t[0] = 'T';
echo $s[0], $t[0], "\n";
$o = new stdClass; $o->arr = $a;
$o2 = clone $o;
$o2->arr[] = 'x';
echo count($o->arr), ' ', count($o2->arr), "\n";
$nested = ['in' => ['deep' => range(1, 10)]];
$n2 = $nested;
$n2['in']['deep'][] = 11;
echo count($nested['in']['deep']), ' ', count($n2['in']['deep']), "\n";
$copies = [];
for ($i = 0; $i < 1000; $i++) $copies[] = $a;   // 1000 references to one array
echo count($copies), ' ', $copies[999][99999], "\n";
$copies[500][] = 'sep';
echo count($copies[500]), ' ', count($copies[501]), "\n";

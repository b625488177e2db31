<?php
// Deep recursion: the VM stack grows page by page and shrinks again.
function depth($n) { return $n === 0 ? 0 : 1 + depth($n - 1); }
echo depth(50000), "\n";
function sum_list($n, $acc = []) { if ($n === 0) return count($acc); $acc[] = $n; return sum_list($n - 1, $acc); }
echo sum_list(1000), "\n";
function ackermann($m, $n) { if ($m == 0) return $n + 1; if ($n == 0) return ackermann($m - 1, 1); return ackermann($m - 1, ackermann($m, $n - 1)); }
echo ackermann(2, 500), "\n";
function fib($n) { return $n < 2 ? $n : fib($n - 1) + fib($n - 2); }
echo fib(23), "\n";
$many = function ($n) use (&$many) { $locals = [$n, $n + 1, "s$n"]; return $n === 0 ? 0 : count($locals) + $many($n - 1); };
echo $many(20000), "\n";
$many = null;
for ($i = 0; $i < 20; $i++) depth(10000);
echo "done\n";

<?php
// Closures: captured variables, by-reference captures, arrow functions, bind, static closures, callables.
$counter = function () { static $n = 0; return ++$n; };
for ($i = 0; $i < 5; $i++) $counter();
echo $counter(), "\n";
$make = fn($k) => fn($x) => $x * $k;
$fs = [];
for ($i = 0; $i < 10000; $i++) $fs[] = $make($i);
$s = 0; foreach ($fs as $i => $f) $s += $f(2);
echo $s, "\n";
$total = 0;
$add = function ($x) use (&$total) { $total += $x; };
array_map($add, range(1, 1000));
echo $total, "\n";
class Ctx { private $secret = 'hidden'; }
$peek = function () { return $this->secret; };
echo Closure::bind($peek, new Ctx, Ctx::class)(), "\n";
$compose = fn(callable ...$f) => fn($x) => array_reduce($f, fn($acc, $g) => $g($acc), $x);
echo $compose('strrev', 'strtoupper', fn($s) => "<$s>")('abc'), "\n";
$fc = strlen(...);
echo $fc('hello'), "\n";
$bigCapture = str_repeat('z', 100000);
$closures = [];
for ($i = 0; $i < 1000; $i++) $closures[] = function () use ($bigCapture, $i) { return strlen($bigCapture) + $i; };
echo $closures[999](), "\n";
unset($closures);
$rec = function ($n) use (&$rec) { return $n <= 1 ? 1 : $n * $rec($n - 1); };
echo $rec(20), "\n";
$rec = null;
echo (new ReflectionFunction($make))->getNumberOfParameters(), "\n";

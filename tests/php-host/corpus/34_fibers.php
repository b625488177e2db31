<?php
// Fibers: many fibers started, suspended, resumed and abandoned.
$fibers = [];
for ($i = 0; $i < 200; $i++) {
    $fibers[$i] = new Fiber(function ($start) {
        $x = $start;
        $buf = [];
        for ($k = 0; $k < 10; $k++) { $buf[] = str_repeat('f', 100); $x += Fiber::suspend($x); }
        return $x;
    });
}
$sum = 0;
foreach ($fibers as $i => $f) $sum += $f->start($i);
for ($round = 0; $round < 9; $round++) foreach ($fibers as $f) $sum += $f->resume(1);
foreach ($fibers as $f) { $f->resume(1); $sum += $f->getReturn(); }
echo $sum, "\n";
$abandoned = [];
for ($i = 0; $i < 100; $i++) { $f = new Fiber(function () { $local = range(1, 100); try { Fiber::suspend(1); } finally { $GLOBALS['cleaned']++; } }); $f->start(); $abandoned[] = $f; }
$cleaned = 0;
$abandoned = [];
echo $cleaned, "\n";
$f = new Fiber(function () { throw new RuntimeException('in fiber'); });
try { $f->start(); } catch (RuntimeException $e) { echo $e->getMessage(), "\n"; }
$gen = (function () { $v = yield 1; echo "got $v\n"; yield 2; })();
$fib = new Fiber(function () use ($gen) { $gen->current(); Fiber::suspend(); $gen->send('hi'); });
$fib->start(); $fib->resume();
var_dump($fib->isTerminated());

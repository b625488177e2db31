<?php
// call_user_func_array, variadics and spreads over large argument lists, func_get_args, static::.
function sum(...$n) { return array_sum($n); }
echo sum(...range(1, 50000)), "\n";
function args() { return count(func_get_args()); }
echo args(...array_fill(0, 10000, 'x')), "\n";
echo call_user_func_array('sum', range(1, 1000)), "\n";
$fns = ['strtoupper', 'strrev', 'ucfirst', fn($s) => "$s!", [new ArrayObject([]), 'count']];
foreach ($fns as $f) echo is_callable($f) ? 'c' : 'n'; echo "\n";
class A { public static function create() { return new static; } public function name() { return static::class; } }
class B extends A {}
echo B::create()->name(), ' ', A::create()->name(), "\n";
$partial = fn($a) => fn($b) => fn($c) => $a . $b . $c;
echo $partial('x')('y')('z'), "\n";
echo implode(',', array_map(null, [1, 2], ['a', 'b'])[1]), "\n";
$method = [new B, 'name']; echo $method(), "\n";
echo (new ReflectionMethod('A', 'create'))->isStatic() ? 'static' : 'inst', "\n";

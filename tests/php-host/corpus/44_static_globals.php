<?php
// Static properties, static variables, globals and constants that grow during the request.
class Registry { public static array $items = []; const LIMIT = 50000; public static function add($k, $v) { static::$items[$k] = $v; } }
for ($i = 0; $i < Registry::LIMIT; $i++) Registry::add("r$i", [$i]);
echo count(Registry::$items), "\n";
function memo($n) { static $cache = []; if (isset($cache[$n])) return $cache[$n]; return $cache[$n] = $n < 2 ? $n : memo($n - 1) + memo($n - 2); }
echo memo(90), "\n";
$GLOBALS['dyn'] = range(1, 1000);
function readGlobal() { return count($GLOBALS['dyn']); } echo readGlobal(), "\n";
define('BIG_CONST', str_repeat('c', 10000));
const ARR_CONST = ['a' => [1, 2, 3]];
echo strlen(BIG_CONST), ' ', ARR_CONST['a'][2], ' ', defined('BIG_CONST') ? 'defined' : '', "\n";
for ($i = 0; $i < 1000; $i++) define("C_$i", $i * 2);
echo constant('C_999'), "\n";
class Counter { private static $n = 0; public static function next() { return ++self::$n; } }
for ($i = 0; $i < 100000; $i++) Counter::next(); echo Counter::next(), "\n";
Registry::$items = [];
echo count(Registry::$items), "\n";

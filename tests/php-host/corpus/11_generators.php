<?php
// Generators: yield, keys, send, yield from, generators holding big state, early destruction.
function nums($n) { for ($i = 0; $i < $n; $i++) yield $i => $i * 2; }
$s = 0; foreach (nums(500000) as $k => $v) $s += $v - $k;
echo $s, "\n";
function chunks($n) { $buf = []; for ($i = 0; $i < $n; $i++) { $buf[] = str_repeat('c', 50); if (count($buf) === 1000) { yield $buf; $buf = []; } } if ($buf) yield $buf; }
$c = 0; foreach (chunks(123456) as $b) $c += count($b);
echo $c, "\n";
function acc() { $total = 0; while (true) { $x = yield $total; if ($x === null) return $total; $total += $x; } }
$g = acc(); $g->current();
for ($i = 1; $i <= 100; $i++) $g->send($i);
echo $g->current(), "\n";
function inner() { yield 1; yield 2; return 'r'; }
function outer() { $r = yield from inner(); yield 3; yield $r; }
foreach (outer() as $k => $v) echo "$k=>$v ";
echo "\n";
// Many generators abandoned half way (destroyed while suspended, with live locals).
function holder($i) { $local = array_fill(0, 100, $i); try { yield 1; yield 2; } finally { $GLOBALS['fin']++; } }
$fin = 0;
for ($i = 0; $i < 10000; $i++) { $h = holder($i); $h->current(); }
unset($h);
echo $fin, "\n";
$gen = (function () { yield from ['a' => 1, 'b' => 2]; yield from new ArrayIterator(['c' => 3]); })();
echo json_encode(iterator_to_array($gen)), "\n";

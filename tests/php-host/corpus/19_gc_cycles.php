<?php
// Reference cycles: self-references, object pairs, arrays referencing themselves; gc_collect_cycles counts.
class P { public $other; public $pad; }
function make_pairs($n) { for ($i = 0; $i < $n; $i++) { $a = new P; $b = new P; $a->other = $b; $b->other = $a; $a->pad = str_repeat('x', 100); } }
gc_collect_cycles();
gc_disable();
make_pairs(5000);
echo gc_collect_cycles(), "\n";
gc_enable();
$self = new P; $self->other = $self; unset($self);
echo gc_collect_cycles(), "\n";
$arr = []; $arr[0] = &$arr; unset($arr);
echo gc_collect_cycles(), "\n";
class D { public $me; public static $destructed = 0; public function __destruct() { self::$destructed++; } }
for ($i = 0; $i < 1000; $i++) { $d = new D; $d->me = $d; }
unset($d);
gc_collect_cycles();
echo D::$destructed, "\n";
// Automatic collection: 100k cycles with gc enabled, the root buffer fills and runs.
make_pairs(100000);
$st = gc_status();
echo $st['runs'] > 0 ? 'gc ran' : 'gc idle', ' ', $st['collected'] >= 100000 ? 'many' : 'few', "\n";
echo gc_enabled() ? 'on' : 'off', "\n";
// Closures capturing themselves.
for ($i = 0; $i < 1000; $i++) { $f = function () use (&$f) { return $f; }; }
unset($f);
echo gc_collect_cycles(), "\n";

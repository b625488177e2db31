<?php
// Destructors: order on unset, on reassignment, on scope exit, at script end, objects revived in __destruct.
class T { public static $log = []; public function __construct(public $n) {} public function __destruct() { T::$log[] = $this->n; if (!is_int($this->n)) echo "destroy {$this->n}\n"; } }
function scope() { $a = new T('local'); echo "in scope\n"; }
scope();
$x = new T('x'); $x = new T('x2');
$arr = [new T('a0'), new T('a1'), new T('a2')];
unset($arr[1]);
$arr = null;
class Reviver { public static $saved; public function __destruct() { echo "revive\n"; self::$saved = $this; } }
$r = new Reviver; unset($r);
echo Reviver::$saved instanceof Reviver ? "revived\n" : "gone\n";
for ($i = 0; $i < 30000; $i++) { $t = new T($i); }
echo count(T::$log) > 30000 ? "many\n" : "few\n";
$end1 = new T('end1');
$end2 = new T('end2');
echo "script end\n";

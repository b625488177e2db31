<?php
// eval-defined functions and classes, anonymous classes, dynamic calls and variable variables.
for ($i = 0; $i < 200; $i++) eval("function gen_fn_$i(\$x) { return \$x + $i; }");
$s = 0; for ($i = 0; $i < 200; $i++) $s += ("gen_fn_$i")(1); echo $s, "\n";
eval('class EvalClass { public function hi() { return "hi from eval"; } }');
echo (new EvalClass)->hi(), "\n";
$objs = []; for ($i = 0; $i < 10000; $i++) $objs[] = new class($i) { public function __construct(public $v) {} public function twice() { return $this->v * 2; } };
echo $objs[9999]->twice(), ' ', str_contains(get_class($objs[0]), 'class@anonymous') ? 'anon' : 'named', "\n";
$m = 'twice'; echo $objs[5]->$m(), ' ', call_user_func([$objs[6], 'twice']), ' ', call_user_func_array('max', [1, 9, 3]), "\n";
$name = 'dynamicVar'; $$name = 'vv'; echo $dynamicVar, "\n";
$r = eval('return array_sum(range(1, 100));'); echo $r, "\n";
try { eval('this is not php'); } catch (ParseError $e) { echo 'ParseError: ', $e->getMessage(), ' line ', $e->getLine(), "\n"; }
echo is_callable('gen_fn_5') ? 'callable' : 'no', ' ', function_exists('gen_fn_200') ? 'exists' : 'missing', "\n";

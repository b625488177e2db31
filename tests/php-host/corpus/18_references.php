<?php
// References: &$ in foreach, reference arrays, reference to array elements, refs across functions.
$a = range(1, 100000);
foreach ($a as &$v) $v *= 2;
unset($v);
echo array_sum($a), "\n";
$b = [1, 2, 3];
$ref = &$b[1];
$c = $b;          // the referenced slot is shared by both copies
$c[1] = 'changed';
echo json_encode($b), json_encode($c), "\n";
unset($ref);
function addOne(array &$arr) { $arr[] = count($arr); }
$x = [];
for ($i = 0; $i < 10000; $i++) addOne($x);
echo count($x), ' ', $x[9999], "\n";
$matrix = array_fill(0, 100, array_fill(0, 100, 0));
foreach ($matrix as $i => &$row) foreach ($row as $j => &$cell) $cell = $i * $j;
unset($row, $cell);
echo $matrix[99][99], "\n";
$obj = new stdClass; $obj->list = [];
$l = &$obj->list;
for ($i = 0; $i < 1000; $i++) $l[] = $i;
echo count($obj->list), "\n";
$s1 = 'a'; $s2 = &$s1; $s2 .= 'b'; echo $s1, "\n";
$arr = ['x' => ['y' => 1]];
$deep = &$arr['x']['y']; $deep = 42; unset($deep);
echo $arr['x']['y'], "\n";
function &getRef(array &$a, $k) { return $a[$k]; }
$data = ['k' => 1]; $r = &getRef($data, 'k'); $r = 99; echo $data['k'], "\n";
$refs = [];
for ($i = 0; $i < 50000; $i++) { $val = $i; $refs[] = &$val; unset($val); }
echo array_sum($refs), "\n";
$g = 1; function useGlobal() { global $g; $g++; $GLOBALS['h'] = 'set'; } useGlobal(); echo $g, $h, "\n";
var_dump($b);

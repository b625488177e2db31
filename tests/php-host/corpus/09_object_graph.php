<?php
// Object graphs: a binary tree, a doubly linked list, and a graph with back references.
class Node { public $left; public $right; public function __construct(public int $v) {} }
function insert(?Node $n, int $v): Node {
    if ($n === null) return new Node($v);
    if ($v < $n->v) $n->left = insert($n->left, $v); else $n->right = insert($n->right, $v);
    return $n;
}
function height(?Node $n): int { return $n === null ? 0 : 1 + max(height($n->left), height($n->right)); }
function inorder(?Node $n, array &$out): void { if ($n) { inorder($n->left, $out); $out[] = $n->v; inorder($n->right, $out); } }
mt_srand(42);
$root = null;
for ($i = 0; $i < 50000; $i++) $root = insert($root, mt_rand(0, 1000000));
$out = [];
inorder($root, $out);
echo count($out), ' ', height($root), ' ', $out[0], ' ', $out[49999], "\n";
class LNode { public $prev; public $next; public function __construct(public $val) {} }
$head = new LNode(0); $cur = $head;
for ($i = 1; $i < 100000; $i++) { $n = new LNode($i); $n->prev = $cur; $cur->next = $n; $cur = $n; }
$sum = 0; for ($p = $cur; $p; $p = $p->prev) $sum += $p->val;
echo $sum, "\n";
// Break the list apart (cycles between neighbours) and let gc find it.
$head = $cur = $n = $p = null;
echo gc_collect_cycles() > 0 ? "collected\n" : "nothing\n";
class G { public array $edges = []; public function __construct(public string $id) {} }
$nodes = [];
for ($i = 0; $i < 5000; $i++) $nodes[$i] = new G("g$i");
for ($i = 0; $i < 5000; $i++) for ($k = 1; $k <= 5; $k++) $nodes[$i]->edges[] = $nodes[($i * $k + 17) % 5000];
$deg = array_fill(0, 5000, 0);
foreach ($nodes as $n) foreach ($n->edges as $e) $deg[(int)substr($e->id, 1)]++;
echo max($deg), ' ', min($deg), "\n";
$nodes = null;
echo gc_collect_cycles(), "\n";

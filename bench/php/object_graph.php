<?php
// Object graphs: trees of small objects built, walked and released (acyclic, refcount frees).
final class TreeNode {
    public ?TreeNode $left = null;
    public ?TreeNode $right = null;
    public function __construct(public int $value, public array $tags = []) {}
}
function build(int $depth, int $v): TreeNode {
    $n = new TreeNode($v, ['d' => $depth]);
    if ($depth > 0) { $n->left = build($depth - 1, 2 * $v); $n->right = build($depth - 1, 2 * $v + 1); }
    return $n;
}
function checksum(?TreeNode $n): int { return $n === null ? 0 : ($n->value & 0xff) + checksum($n->left) + checksum($n->right); }
$check = 0;
for ($round = 0; $round < 10; $round++) {
    $keep = [];
    for ($t = 0; $t < 8; $t++) {
        $tree = build(14, $t + 1);
        $check += checksum($tree);
        if ($t % 3 === 0) $keep[] = $tree;        // some trees live longer
    }
    unset($tree, $keep);
}
echo "object_graph $check\n";

<?php
// serialize/unserialize with objects, references, __serialize/__unserialize, __sleep/__wakeup, var_export.
class Pt { public function __construct(public $x = 0, public $y = 0) {} }
class Custom { public $items = []; public function __serialize(): array { return ['n' => count($this->items), 'items' => $this->items]; } public function __unserialize(array $d): void { $this->items = $d['items']; } }
class Sleepy { public $keep = 1; public $drop = 2; public function __sleep() { return ['keep']; } public function __wakeup() { $this->drop = 'woke'; } }
$data = [];
for ($i = 0; $i < 20000; $i++) $data[] = new Pt($i, $i * 2);
$data['self'] = &$data[0];
$c = new Custom; $c->items = range(1, 1000); $data['custom'] = $c;
$data['sleepy'] = new Sleepy;
$ser = serialize($data);
echo strlen($ser), ' ', md5($ser), "\n";
$back = unserialize($ser);
echo count($back), ' ', $back[19999]->y, ' ', count($back['custom']->items), ' ', $back['sleepy']->drop, "\n";
$back['self']->x = 'shared';
echo $back[0]->x, "\n";
var_dump(unserialize('a:1:{i:0;O:8:"stdClass":1:{s:1:"a";i:1;}}'));
var_dump(@unserialize('garbage'));
echo var_export(['a' => 1, 'b' => [true, null, 1.5, 'q\'uote']], true), "\n";
var_export(new Pt(1, 2)); echo "\n";
$restricted = unserialize(serialize(new Pt(3, 4)), ['allowed_classes' => false]);
echo get_class($restricted), "\n";

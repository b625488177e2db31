<?php
// Objects: classes, inheritance, interfaces, traits, static members, __get/__set, dynamic properties.
interface Shape { public function area(): float; }
trait Named { public string $name = ''; public function describe(): string { return static::class . "({$this->name})"; } }
abstract class Base implements Shape {
    use Named;
    public static int $made = 0;
    public function __construct() { static::$made++; }
}
final class Rect extends Base {
    public function __construct(public float $w, public float $h) { parent::__construct(); $this->name = "{$w}x{$h}"; }
    public function area(): float { return $this->w * $this->h; }
}
final class Circle extends Base {
    public function __construct(private float $r) { parent::__construct(); $this->name = "r=$r"; }
    public function area(): float { return round(M_PI * $this->r ** 2, 4); }
}
$shapes = [];
for ($i = 0; $i < 100000; $i++) {
    $shapes[] = $i % 2 ? new Rect($i % 13, $i % 7) : new Circle($i % 5);
}
$sum = 0;
foreach ($shapes as $s) $sum += $s->area();
echo Base::$made, ' ', round($sum, 2), "\n";
echo $shapes[1]->describe(), ' ', $shapes[2]->describe(), "\n";
class Magic {
    private array $data = [];
    public function __get($n) { return $this->data[$n] ?? "no $n"; }
    public function __set($n, $v) { $this->data[$n] = $v; }
    public function __isset($n) { return isset($this->data[$n]); }
    public function __unset($n) { unset($this->data[$n]); }
    public function __call($m, $a) { return $m . '(' . implode(',', $a) . ')'; }
    public static function __callStatic($m, $a) { return "static $m"; }
    public function __toString(): string { return 'Magic[' . implode(',', array_keys($this->data)) . ']'; }
}
$m = new Magic;
$m->a = 1; $m->b = str_repeat('b', 100);
echo $m->a, ' ', strlen($m->b), ' ', $m->zz, ' ', isset($m->a) ? 'set' : 'unset', "\n";
unset($m->a);
echo $m, ' ', $m->foo(1, 2), ' ', Magic::bar(), "\n";
class Dyn {}
$d = new Dyn;
$d->x = 5; // deprecated in 8.2
var_dump($d);
$o = (object)['a' => 1, 'b' => [1, 2]];
$o->c = 'c';
var_dump($o, get_object_vars($o));
unset($shapes);
echo "done\n";

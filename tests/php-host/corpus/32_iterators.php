<?php
// Iterator and IteratorAggregate implementations, nested iterators, yield inside methods.
class Range implements Iterator { private $i; public function __construct(private int $a, private int $b) { $this->i = $a; }
  public function current(): mixed { return $this->i; } public function key(): mixed { return $this->i - $this->a; }
  public function next(): void { $this->i++; } public function rewind(): void { $this->i = $this->a; } public function valid(): bool { return $this->i <= $this->b; } }
$s = 0; foreach (new Range(1, 300000) as $k => $v) $s += $v - $k; echo $s, "\n";
class Bag implements IteratorAggregate, Countable, ArrayAccess {
  private $items = [];
  public function getIterator(): Iterator { foreach ($this->items as $k => $v) yield $k => $v; }
  public function count(): int { return count($this->items); }
  public function offsetExists($o): bool { return isset($this->items[$o]); }
  public function offsetGet($o): mixed { return $this->items[$o]; }
  public function offsetSet($o, $v): void { if ($o === null) $this->items[] = $v; else $this->items[$o] = $v; }
  public function offsetUnset($o): void { unset($this->items[$o]); }
}
$b = new Bag; for ($i = 0; $i < 50000; $i++) $b[] = "i$i"; unset($b[0]); $b['named'] = 'n';
echo count($b), ' ', $b[49999], ' ', isset($b[0]) ? 'y' : 'n', "\n";
$c = 0; foreach ($b as $v) $c++; echo $c, "\n";
$ai = new ArrayIterator(range(1, 20));
$f = new CallbackFilterIterator($ai, fn($v) => $v % 3 === 0);
echo implode(',', iterator_to_array($f, false)), "\n";
$multi = new MultipleIterator(); $multi->attachIterator(new ArrayIterator([1, 2, 3])); $multi->attachIterator(new ArrayIterator(['a', 'b', 'c']));
foreach ($multi as $vals) echo implode('', $vals), ' '; echo "\n";
$ri = new RecursiveIteratorIterator(new RecursiveArrayIterator([1, [2, [3, [4]]], 5]));
echo implode(',', iterator_to_array($ri, false)), "\n";
$app = new AppendIterator; $app->append(new ArrayIterator([1, 2])); $app->append(new ArrayIterator([3])); echo iterator_count($app), "\n";

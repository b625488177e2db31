<?php
// PHP 8.1/8.2 features: enums, readonly properties and classes, first-class callables, never, new in initializers.
enum Suit: string { case Hearts = 'H'; case Spades = 'S';
  public function color(): string { return match ($this) { Suit::Hearts => 'Red', Suit::Spades => 'Black' }; }
  public static function fromChar(string $c): self { return self::from($c); } }
echo Suit::fromChar('H')->color(), ' ', Suit::tryFrom('X') === null ? 'null' : 'x', ' ', count(Suit::cases()), "\n";
var_dump(Suit::Spades);
readonly class Money { public function __construct(public int $amount, public string $cur) {} public function add(Money $o): static { return new static($this->amount + $o->amount, $this->cur); } }
$m = new Money(0, 'EUR');
for ($i = 0; $i < 100000; $i++) $m = $m->add(new Money(1, 'EUR'));
echo $m->amount, ' ', $m->cur, "\n";
try { $m->amount = 5; } catch (Error $e) { echo $e->getMessage(), "\n"; }
class Svc { public function __construct(private Logger $l = new Logger) {} public function run() { return $this->l->log('x'); } }
class Logger { public function log($m) { return "log:$m"; } }
echo (new Svc)->run(), "\n";
function never_returns(): never { throw new Exception('never'); }
try { never_returns(); } catch (Exception $e) { echo $e->getMessage(), "\n"; }
echo match (true) { 5 > 3 => 'gt', default => 'le' }, "\n";
$nullsafe = null; echo $nullsafe?->foo?->bar ?? 'nullsafe', "\n";
function named(int $a, int $b = 2, int ...$rest) { return "$a-$b-" . implode(',', $rest); }
echo named(b: 5, a: 1), ' ', named(1, 2, 3, 4), ' ', named(...[1, 2, 3]), "\n";
$arr = ['a' => 1, ...['b' => 2, 'c' => 3]]; echo json_encode($arr), "\n";
enum Status: int { case Active = 1; case Off = 0; const DEFAULT = self::Active; }
echo Status::DEFAULT->name, ' ', Status::from(0)->name, "\n";
var_dump(Suit::Hearts instanceof UnitEnum, Suit::Hearts instanceof BackedEnum);

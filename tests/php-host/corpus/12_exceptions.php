<?php
// Exceptions: throw/catch/finally, chaining, custom classes, traces, many thrown in a loop.
class AppError extends RuntimeException { public function __construct(string $m, public array $ctx = [], ?Throwable $prev = null) { parent::__construct($m, 7, $prev); } }
function fail($i) { if ($i % 3 === 0) throw new InvalidArgumentException("bad $i"); if ($i % 3 === 1) throw new AppError("app $i", ['i' => $i, 'pad' => str_repeat('p', 200)]); return $i; }
$counts = ['ia' => 0, 'app' => 0, 'ok' => 0, 'fin' => 0];
for ($i = 0; $i < 100000; $i++) {
    try { fail($i); $counts['ok']++; }
    catch (InvalidArgumentException $e) { $counts['ia']++; }
    catch (AppError $e) { $counts['app']++; }
    finally { $counts['fin']++; }
}
echo json_encode($counts), "\n";
try {
    try { throw new LogicException('inner'); }
    catch (LogicException $e) { throw new AppError('outer', [], $e); }
} catch (AppError $e) {
    echo get_class($e), ':', $e->getMessage(), ':', $e->getCode(), ':', $e->getPrevious()->getMessage(), ':', $e->getLine(), "\n";
}
function deep($n) { if ($n === 0) throw new Exception('deep'); deep($n - 1); }
try { deep(50); } catch (Exception $e) { echo count($e->getTrace()), "\n"; }
function f() { try { return 'try'; } finally { echo "finally runs\n"; } }
echo f(), "\n";
try { intdiv(1, 0); } catch (DivisionByZeroError $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
try { null->foo(); } catch (Error $e) { echo $e->getMessage(), "\n"; }
try { (function (int $x) {})('abc'); } catch (TypeError $e) { echo substr($e->getMessage(), 0, 60), "\n"; }
$e = new Exception('str');
echo substr((string)$e, 0, 25), "\n";

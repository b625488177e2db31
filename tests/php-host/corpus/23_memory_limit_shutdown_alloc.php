<?php
// After memory exhaustion, shutdown functions still run and may allocate (destructors do not run after a fatal error).
class Guard { public function __destruct() { echo "destructor: ", strlen(str_repeat('d', 1000)), "\n"; } }
$g = new Guard;
register_shutdown_function(function () {
    $e = error_get_last();
    echo "shutdown: type ", $e['type'], ' ', strpos($e['message'], 'Allowed memory size') === 0 ? 'limit' : 'other', "\n";
    $tmp = array_fill(0, 1000, 'x');
    echo "allocated ", count($tmp), "\n";
});
ini_set('memory_limit', '8M');
$chunks = [];
while (true) $chunks[] = str_repeat('c', 100000);

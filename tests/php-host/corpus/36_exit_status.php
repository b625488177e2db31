<?php
// exit() with a status, output buffers flushed, shutdown functions and destructors run after exit.
class E { public function __destruct() { echo "destructor after exit\n"; } }
$e = new E;
register_shutdown_function(fn() => print("shutdown 1\n"));
register_shutdown_function(function () { echo "shutdown 2 ", count(array_fill(0, 1000, 1)), "\n"; });
ob_start();
echo "buffered ";
echo str_repeat('.', 10), "\n";
exit(3);

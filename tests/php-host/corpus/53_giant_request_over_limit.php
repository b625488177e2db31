<?php
// A request far beyond memory_limit (and beyond any machine): str_pad to PHP_INT_MAX bytes
// must end in the memory-limit fatal error, not an out-of-memory abort.  The "tried to
// allocate" figure is normalised by run_corpus.sh.
echo "before\n";
register_shutdown_function(function () { echo "shutdown: ", error_get_last()['type'], "\n"; });
$p = str_pad('x', PHP_INT_MAX);
echo "not reached\n";

<?php
// memory_limit exhaustion by an ever-growing array (many small allocations, then a packed grow).
ini_set('memory_limit', '32M');
register_shutdown_function(function () { echo "shutdown function ran\n"; });
$a = [];
for ($i = 0; ; $i++) {
    $a[] = "element number $i";
    if ($i % 100000 === 0) echo "at ", $i, "\n";
}

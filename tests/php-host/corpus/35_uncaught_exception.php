<?php
// An uncaught exception: PHP's fatal error text with the script path and a stack trace; exit status 255.
function thrower($x) { throw new DomainException("uncaught with " . strlen($x)); }
$big = str_repeat('b', 1 << 20);
echo "start\n";
thrower($big);
echo "not reached\n";

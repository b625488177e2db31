<?php
// Size overflow in allocation requests: PHP's own checks before the allocator; the last one
// is PHP's "Possible integer overflow in memory allocation" fatal error.
try { $a = array_fill(0, PHP_INT_MAX, 0); } catch (Throwable $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
try { $a = range(0, PHP_INT_MAX); } catch (Throwable $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
echo "still running\n";
$s = str_repeat('ab', PHP_INT_MAX);
echo "not reached\n";

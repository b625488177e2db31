<?php
// NOT in the corpus yet: zmem-php differs from php -n here (reported; move into corpus/ once
// fixed).  With memory_limit=-1, ZendMM's limit is ZEND_LONG_MAX (9223372036854775807), so a
// request above it is the memory-limit fatal error:
//   Fatal error: Allowed memory size of 9223372036854775807 bytes exhausted (tried to allocate 9223372036854775808 bytes)
// zmem-php maps -1 to an unlimited zmem heap (limit 0), so the same request reaches the OS and
// is zmem's out-of-memory error instead:
//   Fatal error: Out of memory (allocated 2097152 bytes) (tried to allocate 9223372036854775808 bytes)
ini_set('memory_limit', '-1');
echo "before\n";
$p = str_pad('x', PHP_INT_MAX - 100);
echo "not reached\n";

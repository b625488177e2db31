<?php
// memory_limit exhaustion by one huge string. The "tried to allocate N bytes" figure is
// normalised by run_corpus.sh (allocators may round differently).
ini_set('memory_limit', '16M');
echo ini_get('memory_limit'), "\n";
$keep = str_repeat('k', 1 << 20);
echo "before\n";
$s = str_repeat('x', 32 << 20);
echo "not reached\n";

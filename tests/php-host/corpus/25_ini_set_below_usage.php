<?php
// ini_set('memory_limit') below the current usage fails with a warning (usage figure normalised).
$keep = str_repeat('k', 8 << 20);
var_dump(ini_set('memory_limit', '2M'));
echo ini_get('memory_limit'), "\n";
$more = str_repeat('m', 8 << 20);
echo strlen($keep) + strlen($more), "\n";
unset($keep, $more);
var_dump(ini_set('memory_limit', '4M'));
echo ini_get('memory_limit'), "\n";
try { $x = str_repeat('y', 8 << 20); } finally { echo "finally\n"; }

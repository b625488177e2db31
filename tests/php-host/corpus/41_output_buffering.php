<?php
// Output buffering: nested buffers, callbacks, big buffered output, ob_get_clean in loops.
ob_start();
for ($i = 0; $i < 100000; $i++) echo $i, ' ';
$out = ob_get_clean();
echo strlen($out), ' ', md5($out), "\n";
ob_start(fn($buf) => strtoupper($buf));
echo "this is upper\n";
ob_start();
echo "inner ";
$inner = ob_get_contents();
ob_end_clean();
echo "after inner: $inner\n";
ob_end_flush();
$lens = 0;
for ($i = 0; $i < 20000; $i++) { ob_start(); echo str_repeat('x', $i % 500); $lens += strlen(ob_get_clean()); }
echo $lens, "\n";
echo ob_get_level(), "\n";
ob_start(null, 4096);
echo str_repeat('chunked ', 2000), "\n";
ob_end_flush();
echo json_encode(ob_list_handlers()), "\n";
printf("%s\n", print_r(['print_r' => [1, 2]], true));
ob_start();
var_dump(['x' => 1.5, 'y' => [null, false]]);
echo strrev(ob_get_clean()), "\n";

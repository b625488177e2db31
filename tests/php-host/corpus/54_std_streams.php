<?php
// STDOUT/STDERR/php://output interleaved (run_corpus.sh compares them combined, in order),
// file_put_contents/file_get_contents through php://memory and php://temp streams.
for ($i = 0; $i < 5; $i++) {
    echo "echo $i\n";
    fwrite(STDERR, "stderr $i\n");
    fwrite(STDOUT, "stdout $i\n");
    file_put_contents('php://output', "output $i\n");
}
$m = fopen('php://memory', 'w+');
for ($i = 0; $i < 10000; $i++) fwrite($m, "line $i\n");
rewind($m);
$n = 0; while (($l = fgets($m)) !== false) $n++;
fclose($m);
echo $n, "\n";
$t = fopen('php://temp/maxmemory:1024', 'w+');
fwrite($t, str_repeat('t', 100000));
echo ftell($t), ' ', strlen(stream_get_contents($t, -1, 0)), "\n";
fclose($t);
var_dump(is_resource(STDIN), get_resource_type(STDOUT));

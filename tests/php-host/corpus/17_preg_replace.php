<?php
// preg_replace / preg_replace_callback / preg_replace_callback_array on large inputs.
$s = str_repeat('The quick brown fox jumps over the lazy dog. ', 20000);
$r = preg_replace('/\b(\w)(\w*)\b/', '$2$1ay', $s);
echo strlen($r), ' ', md5($r), "\n";
$c = preg_replace_callback('/\b\w{5}\b/', fn($m) => strtoupper($m[0]), $s, -1, $count);
echo $count, ' ', substr($c, 0, 45), "\n";
$arr = preg_replace_callback_array(['/quick/' => fn($m) => 'slow', '/lazy/' => fn($m) => 'busy'], array_fill(0, 1000, 'quick lazy'));
echo count($arr), ' ', $arr[999], "\n";
echo preg_replace(['/a/', '/b/'], ['b', 'c'], 'aabb'), "\n";
echo preg_replace('/\s+/', ' ', "  many   spaces\n\there  "), "|\n";
$tpl = str_repeat('Hello {name}, you owe {amount} to {who}. ', 5000);
$vars = ['name' => 'Ann', 'amount' => '$5', 'who' => 'Bob'];
$out = preg_replace_callback('/\{(\w+)\}/', fn($m) => $vars[$m[1]], $tpl);
echo strlen($out), ' ', substr($out, 0, 40), "\n";
echo str_replace(['Ann', 'Bob'], ['Bob', 'Ann'], substr($out, 0, 40)), "\n";
echo strtr('Hi all', ['Hi' => 'Hello', 'all' => 'everyone']), "\n";

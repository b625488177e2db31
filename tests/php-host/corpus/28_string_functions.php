<?php
// The string library: explode/implode, substr, str_replace, case, trim, ucwords, similar_text, levenshtein, soundex, strrev.
$csv = implode("\n", array_map(fn($i) => "$i,name$i," . ($i * 3) . ",\"quoted, $i\"", range(1, 20000)));
$rows = array_map('str_getcsv', explode("\n", $csv));
echo count($rows), ' ', $rows[19999][3], "\n";
$s = str_repeat('Hello World ', 50000);
echo strlen(strtoupper($s)), ' ', substr_count(strtolower($s), 'world'), ' ', strlen(str_replace('World', 'PHP', $s)), "\n";
echo ucwords('hello big wide world'), ' ', ucfirst('abc'), ' ', lcfirst('ABC'), "\n";
echo trim("  \t x \n"), '|', rtrim('xxyy', 'y'), '|', ltrim('0012', '0'), "\n";
echo similar_text('World', 'Word'), ' ', levenshtein('kitten', 'sitting'), ' ', soundex('Robert'), ' ', metaphone('Thompson'), "\n";
echo strrev('abcdef'), ' ', str_word_count('The quick brown'), ' ', nl2br("a\nb"), "\n";
echo htmlspecialchars('<a href="x">&</a>'), ' ', strip_tags('<b>bold</b> text'), "\n";
echo addslashes("O'Re\"il"), ' ', stripslashes('O\\\'Re'), ' ', quotemeta('1+1=2?'), "\n";
echo chunk_split('abcdefgh', 3, '-'), ' ', implode(',', str_split('abcdefg', 3)), "\n";
echo substr_replace('Hello', 'J', 0, 1), ' ', str_contains('haystack', 'st') ? 'y' : 'n', str_starts_with('abc', 'ab') ? 'y' : 'n', str_ends_with('abc', 'bc') ? 'y' : 'n', "\n";
echo strncasecmp('Hello', 'hELLO', 5), ' ', strnatcmp('img12', 'img10'), ' ', strcmp('a', 'b'), "\n";
echo sprintf('%s', implode(' ', array_map('bin2hex', ['ab', 'cd']))), ' ', hex2bin('4142'), "\n";
echo base64_encode(str_repeat("\x00\xff", 10)), ' ', strlen(base64_decode(base64_encode(str_repeat('z', 1 << 20)))), "\n";
echo urlencode('a b&c=d/é'), ' ', rawurlencode('a b'), ' ', http_build_query(['a' => [1, 2], 'b' => 'x y']), "\n";
$u = parse_url('https://user:pw@host:8080/p/a/t/h?query=1#frag'); echo json_encode($u), "\n";
parse_str('a[]=1&a[]=2&b[c]=3', $out); echo json_encode($out), "\n";
echo str_word_count(str_repeat('alpha beta ', 100000)), "\n";

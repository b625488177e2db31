<?php
// json_encode/json_decode: big nested documents, objects vs assoc, flags, errors.
$doc = [];
for ($i = 0; $i < 10000; $i++) {
    $doc[] = ['id' => $i, 'name' => "user$i", 'tags' => ['a', 'b', "t$i"], 'score' => $i / 3, 'active' => $i % 2 === 0, 'meta' => null, 'nested' => ['x' => ['y' => ['z' => $i]]]];
}
$json = json_encode($doc);
echo strlen($json), ' ', md5($json), "\n";
$back = json_decode($json, true);
echo count($back), ' ', $back[9999]['nested']['x']['y']['z'], ' ', $back === $doc ? 'same' : 'diff', "\n";
$obj = json_decode($json);
echo get_class($obj[5]), ' ', $obj[5]->tags[2], "\n";
unset($back, $obj);
for ($r = 0; $r < 3; $r++) { $json = json_encode(json_decode($json)); }
echo md5($json), "\n";
echo json_encode(['ü' => "é\u{1F600}", 'slash' => '/a/b', 'f' => 1.0, 'e' => []], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION), "\n";
echo json_encode(['a' => [1, 2, ['b' => 3]]], JSON_PRETTY_PRINT), "\n";
var_dump(json_decode('{"a":'), json_last_error(), json_last_error_msg());
try { json_decode('[1,2', false, 512, JSON_THROW_ON_ERROR); } catch (JsonException $e) { echo get_class($e), ' ', $e->getMessage(), "\n"; }
var_dump(json_decode(str_repeat('[', 600) . str_repeat(']', 600)));
echo json_last_error_msg(), "\n";
class J implements JsonSerializable { public function __construct(private $v) {} public function jsonSerialize(): mixed { return ['wrapped' => $this->v]; } }
echo json_encode(array_map(fn($i) => new J($i), range(1, 3))), "\n";

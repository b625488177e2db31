<?php
// Seeded randomness (deterministic): mt_rand, rand, shuffle, array_rand, str_shuffle, Random\Randomizer(Mt19937).
mt_srand(2024);
$a = []; for ($i = 0; $i < 100000; $i++) $a[] = mt_rand(1, 100);
echo array_sum($a), ' ', $a[99999], "\n";
srand(99); echo rand(), ' ', rand(1, 6), "\n";
mt_srand(5); $d = range(1, 50); shuffle($d); echo implode(',', array_slice($d, 0, 10)), "\n";
mt_srand(6); echo json_encode(array_rand(array_flip(range('a', 'z')), 3)), ' ', str_shuffle('abcdefgh'), "\n";
$r = new Random\Randomizer(new Random\Engine\Mt19937(42));
echo $r->getInt(1, 1000), ' ', bin2hex($r->getBytes(8)), ' ', implode(',', $r->shuffleArray([1, 2, 3, 4, 5])), ' ', $r->shuffleBytes('abcdef'), "\n";
$x = new Random\Randomizer(new Random\Engine\Xoshiro256StarStar(7));
$s = 0; for ($i = 0; $i < 100000; $i++) $s += $x->getInt(0, 9); echo $s, "\n";
$p = new Random\Randomizer(new Random\Engine\PcgOneseq128XslRr64(3)); echo $p->nextInt(), "\n";
echo strlen(random_bytes(1000)), ' ', is_int(random_int(0, 10)) ? 'int' : 'x', "\n";
$e = new Random\Engine\Mt19937(1); $c = clone $e; echo $e->generate() === $c->generate() ? 'same' : 'diff', "\n";
echo strlen(serialize(new Random\Engine\Mt19937(1))), "\n";

<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
echo 10000000000000000000000000.0, "\n";
echo 9223372036854775808, "\n";
echo -9223372036854775808, "\n";
echo 1.23456789012345678, "\n";
echo 99999999999999.99, "\n";
echo 999999999999999.9, "\n";

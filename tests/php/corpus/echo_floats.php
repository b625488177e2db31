<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
echo 0.1, "\n";
echo 1.0, "\n";
echo 2.5, "\n";
echo -0.0, "\n";
echo 100000000000000.0, "\n";
echo 1000000000000000.0, "\n";
echo 123456789012345.678, "\n";
echo 0.0001, "\n";
echo 0.00001, "\n";
echo 0.30000000000000004, "\n";

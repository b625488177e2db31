<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
echo true, "\n";
echo false, "\n";
echo null, "\n";
echo 42, "\n";
echo -42, "\n";
echo "str", "\n";
echo 'sq', "\n";

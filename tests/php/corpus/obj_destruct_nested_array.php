<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$a = ["k" => [new Node("in")], "j" => new Node("j")];
$a = null;
echo "end", "\n";

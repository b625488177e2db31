<?php
class Node { public $name; public $next = null; public $data = null; function __construct($name) { $this->name = $name; } function __destruct() { echo "destruct ", $this->name, "\n"; } }
$x = [new Node("h1")];
$y = [new Node("h2")];
$x[] = new Node("h3");

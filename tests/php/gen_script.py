#!/usr/bin/env python3
"""Seeded generator of straight-line programs in the zmem-run PHP subset.

gen_script.py SEED [--no-objects] [--statements N]  prints one script.
Every line it emits is in the grammar of reference/php-subset.md; the
programs work over a handful of variables with assignments, by-reference
assignments, element writes, appends, unsets, object links, dumps and
collections, so copy-on-write, references inside arrays, key normalisation
and destructor order all get exercised.  The same seed always gives the same
script (random.Random(seed), no other source of randomness).
"""
import random
import sys

CLASS_LINE = ('class Node { public $name; public $next = null; public $data = null; '
              'function __construct($name) { $this->name = $name; } '
              'function __destruct() { echo "destruct ", $this->name, "\\n"; } }')

VARS = ['$a', '$b', '$c', '$d', '$e']
KEYS = ['0', '1', '2', '-1', '"a"', '"b"', '"1"', '"01"', 'true', 'null', '1.5', '"x y"']
KEY_WEIGHTS = [8, 8, 4, 2, 6, 4, 2, 1, 1, 1, 1, 1]
STRINGS = ['"x"', '"ab"', "'q\\n'", '"1"', '"12"', '""', '"7 up"', '"héllo"', '"a\\nb"']
PROPS = ['name', 'next', 'data']


class Gen:
    def __init__(self, seed, objects):
        self.r = random.Random(seed)
        self.objects = objects
        self.nodes = 0

    def var(self):
        return self.r.choice(VARS)

    def key(self):
        return self.r.choices(KEYS, KEY_WEIGHTS)[0]

    def scalar(self):
        r = self.r.random()
        if r < 0.35:
            return str(self.r.choice([0, 1, 2, 3, 7, 42, -1, 9223372036854775807, -9223372036854775807]))
        if r < 0.6:
            return self.r.choice(STRINGS)
        if r < 0.7:
            return self.r.choice(['null', 'true', 'false'])
        if r < 0.8:
            return self.r.choice(['1.5', '0.1', '-0.0', '100000000000000000000.0', '2.0', '0.00001'])
        return str(self.r.randint(0, 99))

    def node(self):
        self.nodes += 1
        return 'new Node("n%d")' % self.nodes

    def value(self, depth=0):
        r = self.r.random()
        if self.objects and r < 0.15:
            return self.node()
        if r < 0.35 and depth < 2:
            n = self.r.randint(0, 3)
            elems = []
            for _ in range(n):
                v = self.value(depth + 1)
                if self.r.random() < 0.4:
                    elems.append('%s => %s' % (self.key(), v))
                else:
                    elems.append(v)
            return '[' + ', '.join(elems) + ']'
        return self.scalar()

    def expr(self):
        r = self.r.random()
        if r < 0.4:
            return self.value()
        if r < 0.7:
            return self.var()
        if r < 0.9 or not self.objects:
            return '%s[%s]' % (self.var(), self.key())
        return '%s->%s' % (self.var(), self.r.choice(PROPS))

    def statement(self):
        v, w = self.var(), self.var()
        k, k2 = self.key(), self.key()
        choices = [
            (10, lambda: '%s = %s;' % (v, self.expr())),
            (4, lambda: '%s = &%s;' % (v, w)),
            (3, lambda: '%s = &%s[%s];' % (v, w, k)),
            (10, lambda: '%s[%s] = %s;' % (v, k, self.expr())),
            (6, lambda: '%s[] = %s;' % (v, self.expr())),
            (3, lambda: '%s[%s][%s] = %s;' % (v, k, k2, self.expr())),
            (2, lambda: '%s[%s][] = %s;' % (v, k, self.expr())),
            (3, lambda: '%s[%s] = &%s;' % (v, k, w)),
            (2, lambda: '%s[] = &%s;' % (v, w)),
            (3, lambda: '%s .= %s;' % (v, self.expr())),
            (3, lambda: '%s += %s;' % (v, self.r.choice(['1', '2', '-1', '100', '9223372036854775807']))),
            (2, lambda: '%s[%s] .= %s;' % (v, k, self.expr())),
            (5, lambda: 'unset(%s);' % v),
            (5, lambda: 'unset(%s[%s]);' % (v, k)),
            (6, lambda: 'var_dump(%s);' % self.expr()),
            (4, lambda: 'echo %s, "\\n";' % self.expr()),
            (3, lambda: 'echo count(%s), "\\n";' % v),
        ]
        if self.objects:
            choices += [
                (6, lambda: '%s = %s;' % (v, self.node())),
                (6, lambda: '%s->%s = %s;' % (v, self.r.choice(['next', 'data']), self.r.choice([w, w, self.expr()]))),
                # name only takes scalars: an object name would make the destructor throw.
                (1, lambda: '%s->name = %s;' % (v, self.scalar())),
                # ->name never becomes a reference either: the variable could later hold an object.
                (2, lambda: '%s->%s = &%s;' % (v, self.r.choice(['next', 'data']), w)),
                (1, lambda: '%s->extra = %s;' % (v, self.expr())),
                (3, lambda: 'echo gc_collect_cycles(), "\\n";'),
            ]
        weights = [c[0] for c in choices]
        return self.r.choices(choices, weights)[0][1]()

    def script(self, n):
        lines = ['<?php', CLASS_LINE]
        # Start with a few definitions so that most statements act on values.
        for var in VARS[:3]:
            lines.append('%s = %s;' % (var, self.value()))
        for _ in range(n):
            lines.append(self.statement())
        return '\n'.join(lines) + '\n'


def generate(seed, objects=True, statements=None):
    g = Gen(seed, objects)
    n = statements if statements is not None else g.r.randint(5, 30)
    return g.script(n)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__.strip(), file=sys.stderr)
        return 64
    seed = int(args[0])
    objects = '--no-objects' not in args
    n = None
    if '--statements' in args:
        n = int(args[args.index('--statements') + 1])
    sys.stdout.write(generate(seed, objects, n))
    return 0


if __name__ == '__main__':
    sys.exit(main())

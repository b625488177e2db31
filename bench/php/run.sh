#!/usr/bin/env bash
# bench/php/run.sh [ZMEM_PHP] [SCRIPT...]
#
# Times each bench/php/*.php (or the SCRIPTs given) under three commands:
#     zmem   ZMEM_PHP -n SCRIPT                    (PHP 8.2 with request memory on zmem)
#     zend   ZMEM_PHP --allocator=zend -n SCRIPT   (the same binary on ZendMM)
#     php    php -n SCRIPT                          (Debian's php-cli, for reference)
# with hyperfine (--warmup 1, --runs $RUNS, default 5; JSON in $OUT, default
# bench/php/results), and each command's peak RSS with /usr/bin/time -f %M (the median of
# $RSS_RUNS runs, default 3).  Checks first that the three print the same output.
# Prints a table: mean wall time, mean CPU time (user+sys, less sensitive to other load on
# the machine), peak RSS, and the ratios zmem / zend.  The totals row sums the scripts.
# ZMEM_PHP defaults to build/release/bin/zmem-php (cmake --preset release &&
# cmake --build build/release --target zmem-php).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
zmem_php=${1:-$root/build/release/bin/zmem-php}
shift || true
runs=${RUNS:-5}
rss_runs=${RSS_RUNS:-3}
out=${OUT:-$here/results}
php_bin=${PHP_BIN:-php}
mkdir -p "$out"

if [[ $# -gt 0 ]]; then scripts=("$@"); else scripts=("$here"/*.php); fi
for tool in hyperfine /usr/bin/time python3 "$php_bin" "$zmem_php"; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 1; }
done

median_rss() { # command...: median of rss_runs peak RSS figures (KiB)
  local i
  for ((i = 0; i < rss_runs; i++)); do
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
  done | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

for script in "${scripts[@]}"; do
  name=$(basename "$script" .php)
  a=$("$zmem_php" -n "$script")
  b=$("$zmem_php" --allocator=zend -n "$script")
  c=$("$php_bin" -n "$script")
  if [[ $a != "$b" ]] || [[ $a != "$c" ]]; then
    echo "run.sh: $name: outputs differ (zmem: $a | zend: $b | php: $c)" >&2
    exit 1
  fi
  echo "== $name: $a" >&2
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$out/$name.json" \
    -n zmem "$zmem_php -n $script" \
    -n zend "$zmem_php --allocator=zend -n $script" \
    -n php "$php_bin -n $script" >&2
  {
    echo "zmem $(median_rss "$zmem_php" -n "$script")"
    echo "zend $(median_rss "$zmem_php" --allocator=zend -n "$script")"
    echo "php $(median_rss "$php_bin" -n "$script")"
  } >"$out/$name.rss"
done

python3 - "$out" "${scripts[@]}" <<'PY'
import json, os, sys
out, scripts = sys.argv[1], sys.argv[2:]
rows, tot = [], {k: [0.0, 0.0, 0] for k in ("zmem", "zend", "php")}
for s in scripts:
    name = os.path.splitext(os.path.basename(s))[0]
    res = {r["command"]: r for r in json.load(open(os.path.join(out, name + ".json")))["results"]}
    rss = dict(line.split() for line in open(os.path.join(out, name + ".rss")))
    row = {"name": name}
    for k in ("zmem", "zend", "php"):
        wall, cpu, mem = res[k]["mean"], res[k]["user"] + res[k]["system"], int(rss[k])
        row[k] = (wall, cpu, mem, res[k]["stddev"] or 0.0)
        tot[k][0] += wall; tot[k][1] += cpu; tot[k][2] += mem
    rows.append(row)
def line(name, z, e, p):
    return (f"| {name} | {z[0]:.3f} | {e[0]:.3f} | {p[0]:.3f} | **{z[0] / e[0]:.3f}** | {z[1]:.3f} | {e[1]:.3f} | "
            f"**{z[1] / e[1]:.3f}** | {z[2]} | {e[2]} | {p[2]} | **{z[2] / e[2]:.3f}** |")
print("| script | zmem wall s | zend wall s | php wall s | wall zmem/zend | zmem CPU s | zend CPU s | CPU zmem/zend "
      "| zmem RSS KiB | zend RSS KiB | php RSS KiB | RSS zmem/zend |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    print(line(r["name"], r["zmem"], r["zend"], r["php"]))
print(line("**total**", tot["zmem"], tot["zend"], tot["php"]))
print()
print("wall: hyperfine mean (± stddev) — " + ", ".join(
    f"{r['name']} zmem ±{r['zmem'][3]:.3f} zend ±{r['zend'][3]:.3f}" for r in rows))
PY

#!/bin/sh
# Instructions and simulated cache misses per element for each value_bench workload, zmem
# against zend_hash, counted by cachegrind: the figure that does not move with the machine's
# load or with where the kernel put the pages (which the CPU times of this VM do, by 10-20 %).
#
#   bench/cachegrind_values.sh [value_bench binary] [workloads...]
#
# Runs each workload under valgrind --tool=cachegrind with --passes=1 and --passes=3 and prints
# (count(3) - count(1)) / 2 / 1M: start-up, key making and each workload's set-up are the same
# in both runs and cancel, leaving one steady-state pass over the 1M elements.  Two runs at a
# time (one per core); about 2.5 minutes on 2 cores.  Files stay in $CACHEGRIND_DIR (default
# /tmp/zmem-cachegrind), e.g. for cg_annotate $CACHEGRIND_DIR/Iterate.zmem.3.out
set -eu

if [ "${1:-}" = --one ]; then # --one workload side passes: one counted run (the parallel jobs)
  valgrind --tool=cachegrind --cache-sim=yes --cachegrind-out-file="$CG_OUT/$2.$3.$4.out" \
    "$CG_BIN" --passes="$4" --benchmark_filter="^BM_$2/$3/" >"$CG_OUT/$2.$3.$4.log" 2>&1 ||
    { echo "$2/$3 --passes=$4: failed, see $CG_OUT/$2.$3.$4.log" >&2; exit 255; }
  exit 0
fi

CG_BIN=${1:-build/release/bin/value_bench}
[ $# -gt 0 ] && shift
workloads=${*:-Append InsertStrings LookupHit LookupMiss DeleteReinsert Iterate CopyThenWrite}
CG_OUT=${CACHEGRIND_DIR:-/tmp/zmem-cachegrind}
export CG_BIN CG_OUT
out=$CG_OUT
mkdir -p "$out"

for w in $workloads; do
  for side in zmem zend; do
    for n in 1 3; do echo "$w $side $n"; done
  done
done | xargs -P 2 -n 3 sh "$0" --one

# per_elem workload side: "Ir D1-misses LL-misses" per element of one pass, from the summary
# lines of the 3-pass run minus the 1-pass run (columns named by each file's events line)
per_elem() {
  awk '/^events:/ { for (i = 2; i <= NF; i++) col[$i] = i }
       /^summary:/ { s = FILENAME ~ /[.]3[.]out$/ ? 1 : -1
                     ir += s * $col["Ir"]; d1 += s * ($col["D1mr"] + $col["D1mw"]); ll += s * ($col["DLmr"] + $col["DLmw"]) }
       END { printf "%.1f %.2f %.2f", ir / 2e6, d1 / 2e6, ll / 2e6 }' "$out/$1.$2.1.out" "$out/$1.$2.3.out"
}

first=${workloads%% *}
sed -n 's/^desc: //p' "$out/$first.zmem.1.out" | grep -i cache || true
printf '| workload | Ir zmem | Ir zend | **Ir ratio** | D1 misses zmem / zend | LL misses zmem / zend |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: |\n'
for w in $workloads; do
  set -- $(per_elem "$w" zmem) $(per_elem "$w" zend)
  awk -v w="$w" -v zi="$1" -v zd="$2" -v zl="$3" -v pi="$4" -v pd="$5" -v pl="$6" \
    'BEGIN { printf "| %s | %s | %s | **%.2f** | %s / %s | %s / %s |\n", w, zi, pi, zi / pi, zd, pd, zl, pl }'
done

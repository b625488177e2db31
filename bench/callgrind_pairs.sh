#!/bin/sh
# Instructions per alloc+free pair (workload 1 of heap_bench: sizes uniform in 8..512),
# counted by callgrind.
#
#   bench/callgrind_pairs.sh [heap_bench binary] [allocators...]
#
# Runs `heap_bench --pairs=<alloc> N` under valgrind --tool=callgrind for N = 1e6 and 2e6 and
# prints (Ir(2e6) - Ir(1e6)) / 1e6: start-up (dynamic loading, libphp, heap creation, the size
# table) is the same in both runs and cancels.  `none` is the benchmark loop on a bump pointer:
# its figure (a handful of instructions) is included in every other row.
# The callgrind files stay in $CALLGRIND_DIR (default /tmp/zmem-callgrind), e.g. for
#   callgrind_annotate --auto=yes $CALLGRIND_DIR/zmem.2000000.out
set -eu

bin=${1:-build/release/bin/heap_bench}
[ $# -gt 0 ] && shift
allocators=${*:-none zendmm zmem glibc mimalloc pmr}
out=${CALLGRIND_DIR:-/tmp/zmem-callgrind}
n1=1000000
n2=2000000
mkdir -p "$out"

total() { # total instructions (Ir) recorded in a callgrind output file
  awk '/^(summary|totals):/ { print $2; exit }' "$1"
}

printf '| allocator | Ir, %s pairs | Ir, %s pairs | instructions per pair |\n' $n1 $n2
printf '| --- | ---: | ---: | ---: |\n'
for a in $allocators; do
  for n in $n1 $n2; do
    valgrind --tool=callgrind --callgrind-out-file="$out/$a.$n.out" \
      "$bin" --pairs="$a" $n >"$out/$a.$n.log" 2>&1 || { echo "$a: failed, see $out/$a.$n.log" >&2; exit 1; }
  done
  i1=$(total "$out/$a.$n1.out")
  i2=$(total "$out/$a.$n2.out")
  awk -v a="$a" -v i1="$i1" -v i2="$i2" -v d="$((n2 - n1))" \
    'BEGIN { printf "| %s | %d | %d | %.1f |\n", a, i1, i2, (i2 - i1) / d }'
done

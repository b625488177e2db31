#!/usr/bin/env bash
# Runs every tests/php/corpus/*.php through zmem-run and compares stdout+stderr
# and the exit status with the checked-in .expect file (php 8.2's output, the
# corpus directory written as %DIR%).  With ZMEM_DEBUG=1 in the environment the
# leak report must stay silent too.
# Usage: run_corpus.sh ZMEM_RUN [NAME.php ...]
# Prints one line per failing script and a last line "N passed, N failed".
set -uo pipefail
run=$(realpath "$1")
shift
cd "$(dirname "$0")/corpus"
dir=$(pwd -P)
if (($# == 0)); then set -- *.php; fi
passed=0
failed=0
for f in "$@"; do
  f=$(basename "$f")
  expect="${f%.php}.expect"
  got=$(timeout 20 "$run" "$dir/$f" 2>&1; echo "[exit $?]")
  got=$(printf '%s\n' "$got" | sed "s#$dir/#%DIR%/#g")
  if [[ "$got" == "$(cat "$expect")" ]] && ! grep -q 'memory leaks detected\|ERROR: AddressSanitizer\|runtime error:' <<<"$got"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $f"
    if [[ -n "${VERBOSE:-}" ]]; then diff <(printf '%s\n' "$got") "$expect" | head -20; fi
  fi
done
echo "$passed passed, $failed failed"
((failed == 0))

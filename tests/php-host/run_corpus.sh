#!/usr/bin/env bash
# run_corpus.sh ZMEM_PHP [--asan] [SCRIPT...]
#
# Runs every tests/php-host/corpus/*.php (or the SCRIPTs given) twice, with the same path:
#     php      -n -d error_reporting=-1 -d display_errors=1 FILE
#     ZMEM_PHP -n -d error_reporting=-1 -d display_errors=1 FILE
# and compares stdout+stderr (combined, in order) and the exit status.  One line per script,
# then exactly "N passed, N failed"; exit status 1 if anything failed.
#
# Normalised before comparing (the only figures that depend on the allocator):
#   - "(tried to allocate N bytes)" in the memory-limit fatal error: ZendMM reports the size
#     it asked for after its own rounding (pages, chunks), zmem after its own;
#   - "(Current memory usage is N bytes)" in ini_set('memory_limit')'s warning: each heap's
#     real usage.
# The corpus itself prints no other memory figures (only booleans about them).
#
# --asan: ZMEM_PHP is an AddressSanitizer (+UBSan) build.  ASAN_OPTIONS defaults to
# detect_leaks=1:halt_on_error=1 (unless the caller set ASAN_OPTIONS): every ASan error and
# every LeakSanitizer report at exit changes the exit status and fails the script.  Leak
# detection stays on because libphp8.2 with the modules loaded under -n leaked nothing at exit
# in our runs; should another PHP build's extensions leak at exit, run with
# ASAN_OPTIONS=detect_leaks=0 (request memory is checked by check_debug_leaks.sh as well).
# PHP_BIN overrides the reference php (default: php).  CORPUS_TIMEOUT (seconds, default 60)
# bounds each run.
set -u

if [[ $# -lt 1 ]]; then
  echo "usage: $0 ZMEM_PHP [--asan] [SCRIPT...]" >&2
  exit 2
fi
zmem_php=$1
shift
asan=0
if [[ ${1:-} == --asan ]]; then
  asan=1
  shift
fi
here=$(cd "$(dirname "$0")" && pwd)
php_bin=${PHP_BIN:-php}
timeout_s=${CORPUS_TIMEOUT:-60}

if ((asan)); then
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
fi

if [[ $# -gt 0 ]]; then
  scripts=("$@")
else
  scripts=("$here"/corpus/*.php)
fi

normalise() {
  sed -E -e 's/\(tried to allocate [0-9]+ bytes\)/(tried to allocate N bytes)/g' \
    -e 's/\(Current memory usage is [0-9]+ bytes\)/(Current memory usage is N bytes)/g'
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(-n -d error_reporting=-1 -d display_errors=1)
passed=0
failed=0
for script in "${scripts[@]}"; do
  name=$(basename "$script")
  timeout "$timeout_s" "$php_bin" "${flags[@]}" "$script" >"$work/php.out" 2>&1 </dev/null
  php_rc=$?
  timeout "$timeout_s" "$zmem_php" "${flags[@]}" "$script" >"$work/zmem.out" 2>&1 </dev/null
  zmem_rc=$?
  normalise <"$work/php.out" >"$work/php.norm"
  normalise <"$work/zmem.out" >"$work/zmem.norm"
  if [[ $php_rc -eq $zmem_rc ]] && cmp -s "$work/php.norm" "$work/zmem.norm"; then
    passed=$((passed + 1))
    printf 'ok    %s (exit %d)\n' "$name" "$zmem_rc"
  else
    failed=$((failed + 1))
    printf 'FAIL  %s (php exit %d, zmem-php exit %d)\n' "$name" "$php_rc" "$zmem_rc"
    diff -u --label "php -n" --label "zmem-php" "$work/php.norm" "$work/zmem.norm" | head -n 40 | sed 's/^/      /'
  fi
done
echo "$passed passed, $failed failed"
((failed == 0))

#!/usr/bin/env bash
# Regenerates tests/php/corpus/*.expect with PHP 8.2:
#   php -n -d error_reporting=-1 -d display_errors=1 /abs/path/NAME.php
# run from the corpus directory.  An .expect file holds stdout and stderr
# together, then a last line "[exit N]" with php's exit status; the corpus
# directory's absolute path is written as %DIR%.
# Usage: tests/php/regenerate.sh [NAME.php ...]   (default: every script)
set -euo pipefail
php=${PHP:-php}
cd "$(dirname "$0")/corpus"
dir=$(pwd -P)
if (($# == 0)); then set -- *.php; fi
for f in "$@"; do
  f=$(basename "$f")
  out=$("$php" -n -d error_reporting=-1 -d display_errors=1 "$dir/$f" 2>&1; echo "[exit $?]") || true
  # The script's directory is stored as %DIR% so the files do not depend on the checkout.
  printf '%s\n' "$out" | sed "s#$dir/#%DIR%/#g" > "${f%.php}.expect"
done
echo "regenerated $# expected outputs with $("$php" -r 'echo PHP_VERSION;')"

#!/bin/sh
# Every tracked C file must be as clang-format (.clang-format) leaves it.
# `make format` fixes what this reports.
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check-format: clang-format is not installed"; exit 1; }
if git rev-parse --git-dir >/dev/null 2>&1; then
  files=$(git ls-files '*.c' '*.h' | grep -v '^tests/vendor/')
else
  files=$(find lib cli tests bench tools bindings -name '*.[ch]' -not -path 'tests/vendor/*' -not -path '*/node_modules/*' 2>/dev/null)
fi
bad=0
for f in $files; do
  n=$(clang-format --dry-run "$f" 2>&1 | grep -c 'warning:')
  [ "$n" -gt 0 ] && { echo "$f: $n clang-format differences"; bad=1; }
done
[ $bad -eq 0 ] && echo "check-format: clean" || echo "run 'make format' to fix"
exit $bad

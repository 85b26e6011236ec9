#!/bin/sh
# The repository must build and test with nothing beside it: no tracked
# build, test, bench or packaging file may name a path outside the checkout
# (a sibling folder of the checkout, or a machine's absolute working
# directories: the patterns below). Vendored data is exempt from the
# word search but is itself checked by its SHA256SUMS.
cd "$(dirname "$0")/.."
bad=0
if git rev-parse --git-dir >/dev/null 2>&1; then
  files=$(git ls-files Makefile '*.mk' '.ci/*' 'scripts/*' 'tests/*' 'bench/*' \
    'cli/*' 'lib/*' 'tools/*' 'debian/*' 'bindings/*' 'docs/*')
else # an unpacked source tarball (a package build): the same folders
  files=$(find Makefile .ci scripts tests bench cli lib tools debian bindings docs \
    -type f -not -path '*/node_modules/*' -not -path 'tests/out/*' 2>/dev/null)
fi
files=$(echo "$files" |
  grep -vE '^tests/(vendor|decode|golden|fuzz/seeds|data|http/data)/|^scripts/check-self-contained\.sh$')
hits=$(echo "$files" | tr '\n' '\0' | xargs -0 grep -nE '\.\./shared|/work/|/tmp/studio' 2>/dev/null)
[ -n "$hits" ] && { echo "files that reach outside the repository:"; echo "$hits"; bad=1; }
(cd tests/vendor && sha256sum --quiet -c SHA256SUMS) || { echo "tests/vendor differs from its SHA256SUMS"; bad=1; }
[ $bad -eq 0 ] && echo "check-self-contained: clean"
exit $bad

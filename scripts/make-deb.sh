#!/bin/sh
# make deb: builds the Debian packages in OUTDIR (build/deb) from a copy of
# the source, so dpkg-buildpackage's files (which it writes beside the
# source tree) stay inside build/, then runs lintian on them.
# Usage: scripts/make-deb.sh OUTDIR
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/deb}
version=$(sed -n '1s/^quire (\([^)]*\)).*/\1/p' debian/changelog)
src=$out/quire-$version
rm -rf "$out"
mkdir -p "$src"
# The tracked files as they are in the work tree (from a git checkout), else
# everything but build output.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z | xargs -0 tar -c --no-recursion --ignore-failed-read -f - 2>/dev/null | tar -x -C "$src"
else
  tar -c --exclude='./build*' --exclude=./tests/out --exclude='*/node_modules' -f - . | tar -x -C "$src"
fi
(cd "$src" && dpkg-buildpackage -us -uc -b)
changes=$(ls "$out"/quire_*.changes)
# Errors fail the build; warnings are printed for people.
lintian --fail-on error --info "$changes"
echo "make deb: $(cd "$out" && ls ./*.deb | tr '\n' ' ')"

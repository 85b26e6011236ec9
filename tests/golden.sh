#!/bin/sh
# make golden: rewrites every golden file (decoder trees, text and HTML
# output) from the current build. Review the diff before committing it.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
QUIRE=$PWD/$BUILD/quire
UPDATE_GOLDEN=1
export BUILD QUIRE UPDATE_GOLDEN
TEST_OUT=$(mktemp -d)
export TEST_OUT
"$BUILD/tests/test_decode" | tail -n 1
sh tests/suites/text.sh | tail -n 1
sh tests/suites/html.sh | tail -n 1
rm -rf "$TEST_OUT"
git status --short tests/decode tests/golden

#!/bin/sh
# Install the Debian 12 packages quire needs to build and test, only those missing.
# Usage: scripts/deps.sh [build|test|bench|deb]   (test and bench include the
# levels before them; deb is build plus the packaging tools)
set -eu
level=${1:-test}

build="build-essential pkg-config libjansson-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
libcairo2-dev libpango1.0-dev libfontconfig-dev libpng-dev libhpdf-dev libcurl4-openssl-dev
libunibreak-dev libfribidi-dev fonts-dejavu-core fonts-wqy-microhei scdoc python3"
test="poppler-utils qpdf python3 python3-jsonschema python3-cffi python3-pytest mypy chromium tmux default-jre-headless
valgrind clang clang-format mupdf-tools mandoc groff-base man-db fish zsh parallel"
bench="pandoc weasyprint wkhtmltopdf"
# make deb: the packaging tools (with the build level).
deb="dpkg-dev debhelper lintian libfribidi-dev"

want=$build
case $level in
  build) ;;
  test) want="$build $test" ;;
  bench) want="$build $test $bench" ;;
  deb) want="$build $deb" ;;
  *) echo "usage: $0 [build|test|bench|deb]" >&2; exit 2 ;;
esac

missing=
for p in $want; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done
# Node.js (for the Nu Html Checker, npm package vnu-jar, and the Node binding
# bindings/node, which takes koffi from npm) ships on the machine
# image; Debian's npm conflicts with that build, so only add it where neither exists.
if [ "$level" != build ] && ! command -v npm >/dev/null 2>&1; then
  missing="$missing npm"
fi
[ -z "$missing" ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "quire: installing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null

# debian/ without building the packages (make deb does that, minutes):
# what `make install` writes in Debian's layout is what the .install files
# ship, each file in exactly one package; the versions and the soname agree
# with the Makefile; every Debian package the build needs is a
# Build-Depends. A few seconds.
. tests/lib.sh
T=$TEST_OUT
multi=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
root=$T/root
make --no-print-directory BUILD="$BUILD" PDF="${PDF:-all}" FETCH="${FETCH:-1}" SANITIZE="${SANITIZE:-0}" \
  install DESTDIR="$root" PREFIX=/usr LIBDIR="/usr/lib/$multi" \
  ZSHCOMPDIR=/usr/share/zsh/vendor-completions >"$T/install.log" 2>&1
check "make install in Debian's layout" [ $? -eq 0 ]
(cd "$root" && find . -type f -o -type l | sed 's|^\./||' | sort) >"$T/installed"

# Each pattern of debian/PKG.install, as dh_install reads it (globs).
: >"$T/claimed"
for f in debian/*.install; do
  pkg=$(basename "$f" .install)
  while read -r pat; do
    [ -n "$pat" ] || continue
    # The Debian packages are built with cairo; a lean build (PDF=haru)
    # installs no cairo engine module for this pattern to match.
    case "$pat" in */quire0/cairo.so | */quire0/cairo-pango.so) [ "${PDF:-all}" = haru ] && continue ;; esac
    n=0
    for p in $(cd "$root" && eval "ls -d $pat" 2>/dev/null); do
      echo "$p $pkg" >>"$T/claimed"
      n=$((n + 1))
    done
    check "$f: '$pat' matches an installed file" [ $n -gt 0 ]
  done <"$f"
done
unclaimed=$(cut -d' ' -f1 "$T/claimed" | sort | comm -23 "$T/installed" -)
check "every installed file is in a package: ${unclaimed:-ok}" [ -z "$unclaimed" ]
twice=$(cut -d' ' -f1 "$T/claimed" | sort | uniq -d)
check "no file is in two packages: ${twice:-ok}" [ -z "$twice" ]
if [ "${PDF:-all}" != haru ]; then
  check "the engine's pango module goes to libquire0" grep -q "^usr/lib/$multi/quire0/cairo-pango.so libquire0\$" "$T/claimed"
fi
check "the shared library goes to libquire0" grep -q "^usr/lib/$multi/libquire.so.0 libquire0\$" "$T/claimed"
check "the header goes to libquire-dev" grep -q '^usr/include/quire.h libquire-dev$' "$T/claimed"
check "the command goes to quire" grep -q '^usr/bin/quire quire$' "$T/claimed"

version=$(sed -n 's/^VERSION = //p' Makefile)
soversion=$(sed -n 's/^SOVERSION = //p' Makefile)
check "debian/changelog's version is the Makefile's ($version)" \
  grep -q "^quire ($version[)-]" debian/changelog
check "the runtime package is named after the soname (libquire$soversion)" \
  grep -q "^Package: libquire$soversion\$" debian/control
check "debian/rules is executable" [ -x debian/rules ]

# Build-Depends against scripts/deps.sh's build level (the tools of the
# build itself aside), so the package builds wherever make does.
bdeps=$(awk '/^Build-Depends:/ { f = 1 } f && /^[A-Z]/ && !/^Build-Depends:/ { f = 0 } f' debian/control |
  tr ',|' '\n\n' | sed 's/^Build-Depends://; s/(.*//; s/:any//; s/ //g' | grep .)
build=$(sh -c '. /dev/stdin; echo $build' <<EOF
$(sed -n '/^build="/,/"$/p' scripts/deps.sh)
EOF
)
check "scripts/deps.sh's build level was read" [ -n "$build" ]
for p in $build; do
  case $p in build-essential | fonts-*) continue ;; esac
  case " $(echo $bdeps) " in
  *" $p "*) ok ;;
  *) fail "Build-Depends lacks $p (in scripts/deps.sh build)" ;;
  esac
done
done_suite

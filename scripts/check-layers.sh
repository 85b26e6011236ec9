#!/bin/sh
# The layering gate, generated from the tables in docs/architecture.md:
# every #include in lib/FOLDER/*.c and *.h must name the folder itself,
# core (lib/core/, internal.h, quire.h) or a folder (or header) the
# "Folders" table allows; outside libraries' headers only where the
# "Libraries" table allows them; cli/ includes quire.h and its own headers.
cd "$(dirname "$0")/.."
doc=docs/architecture.md
[ -f "$doc" ] || { echo "check-layers: $doc is missing"; exit 1; }

# "folder allowed..." lines from the table between two markers.
table() {
  awk -v b="<!-- $1:begin -->" -v e="<!-- $1:end -->" '
    $0 == b { on = 1; next }
    $0 == e { on = 0 }
    on && /^\| `/ {
      gsub(/`/, ""); n = split($0, f, "|")
      key = f[2]; gsub(/ /, "", key)
      vals = f[3]; gsub(/,/, " ", vals)
      print key, vals
    }' "$doc"
}

layers=$(table layers)
libs=$(table libraries)
[ -n "$layers" ] && [ -n "$libs" ] || { echo "check-layers: no tables in $doc"; exit 1; }

bad=0
for dir in lib/*/; do
  folder=$(basename "$dir")
  [ "$folder" = include ] && continue
  allowed=$(echo "$layers" | awk -v f="$folder" '$1 == f { $1 = ""; print }')
  if [ -z "$allowed" ]; then
    echo "layering: lib/$folder/ is not in $doc"
    bad=1
    continue
  fi
  for file in "$dir"*.c "$dir"*.h; do
    [ -f "$file" ] || continue
    # project headers: #include "x/y.h" or "internal.h"
    for inc in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$file"); do
      case $inc in
      internal.h | quire.h | core/*) continue ;;
      */*) ;;
      *) continue ;; # a header beside the file (same folder)
      esac
      top=${inc%%/*}
      [ "$top" = "$folder" ] && continue
      ok=0
      for a in $allowed; do
        [ "$a" = "$top" ] || [ "$a" = "$inc" ] && ok=1
      done
      [ $ok = 1 ] || { echo "layering: $file includes \"$inc\" ($folder may use: $allowed)"; bad=1; }
    done
    # outside libraries: #include <...>
    for inc in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*<\([^>]*\)>.*/\1/p' "$file"); do
      rule=$(echo "$libs" | while read -r key folders; do
        case $inc in "$key"*) echo "$folders"; break ;; esac
      done)
      [ -z "$rule" ] && continue
      case " $rule " in
      *" $folder "*) ;;
      *) echo "layering: $file includes <$inc> (only: $rule)"; bad=1 ;;
      esac
    done
  done
done

# quire.h (core) declares the model's public getters, so an include check
# alone would let any folder walk a document: folders that may not use
# model/ must not call quire_doc_*, quire_node_* or quire_iter_* either.
for dir in lib/*/; do
  folder=$(basename "$dir")
  case $folder in include | model) continue ;; esac
  allowed=$(echo "$layers" | awk -v f="$folder" '$1 == f { $1 = ""; print }')
  case " $allowed " in *" model "*) continue ;; esac
  hits=$(grep -nE '\bquire_(doc|node|iter)_[a-z_]+[ \t]*\(' "$dir"*.c "$dir"*.h 2>/dev/null)
  [ -n "$hits" ] && { echo "layering: lib/$folder/ uses the document model:"; echo "$hits"; bad=1; }
done

# core's own headers outside lib/core/: internal.h may use quire.h only,
# and the public header no project header at all (an installed quire.h
# has nothing beside it).
for inc in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' lib/internal.h); do
  [ "$inc" = quire.h ] || { echo "layering: lib/internal.h includes \"$inc\" (core: quire.h only)"; bad=1; }
done
for inc in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' lib/include/quire.h); do
  echo "layering: lib/include/quire.h includes \"$inc\" (the public header stands alone)"
  bad=1
done

# cli/ is compiled with -Ilib/include and no other include path, so a
# private header cannot even be found: read the flags make would use.
tmpb=/nonexistent/check-layers-build
objs=$(for f in cli/*.c; do [ -f "$f" ] && printf '%s ' "$tmpb/${f%.c}.o"; done)
flags=$(make -n -B BUILD=$tmpb $objs 2>/dev/null | grep -e ' -c cli/' |
  tr ' ' '\n' | grep -E '^-(I|isystem|iquote|include|idirafter)' | sort -u)
if [ -z "$objs" ] || [ "$flags" != "-Ilib/include" ]; then
  echo "layering: cli/ must be compiled with -Ilib/include only; make uses:" $flags
  bad=1
fi

# cli/: the public header and its own headers only.
for file in cli/*.c cli/*.h; do
  [ -f "$file" ] || continue
  for inc in $(sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$file"); do
    case $inc in
    quire.h) ;;
    */*) echo "layering: $file includes \"$inc\" (cli/ may use quire.h only)"; bad=1 ;;
    *) [ -f "cli/$inc" ] || { echo "layering: $file includes \"$inc\" (not a cli/ header)"; bad=1; } ;;
    esac
  done
done

[ $bad -eq 0 ] && echo "check-layers: clean ($(echo "$layers" | wc -l) folders)"
exit $bad

# House rules that a grep can check (scripts/check-banned.sh).
. tests/lib.sh
check "banned calls, printing in lib/, layering" scripts/check-banned.sh
check "the layering gate catches planted upward includes" scripts/check-layers-selftest.sh
check "nothing refers to a path outside the repository" scripts/check-self-contained.sh
check "every C file is clang-formatted (make format)" scripts/check-format.sh
done_suite

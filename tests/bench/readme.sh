#!/bin/sh
# make bench-readme: put the summary of the last `make bench` into README.md,
# in place of what stands between the lines <!-- bench:begin --> and
# <!-- bench:end --> (the prose around them is kept as written).
#
#   tests/bench/readme.sh SUMMARY.md README.md
#
# The README is rewritten through a temporary file and a rename: an error
# leaves it as it was.
set -eu

if [ $# -ne 2 ]; then
    echo "usage: tests/bench/readme.sh SUMMARY.md README.md" >&2
    exit 2
fi
sum=$1 readme=$2
if [ ! -s "$sum" ]; then
    echo "bench-readme: $sum not found or empty; run 'make bench' first" >&2
    exit 2
fi
begins=$(grep -c '^<!-- bench:begin -->$' "$readme" || true)
ends=$(grep -c '^<!-- bench:end -->$' "$readme" || true)
if [ "$begins" != 1 ] || [ "$ends" != 1 ]; then
    echo "bench-readme: $readme: needs exactly one '<!-- bench:begin -->' line and one '<!-- bench:end -->' line" \
        "(found $begins and $ends)" >&2
    exit 2
fi
tmp=$readme.bench.tmp
trap 'rm -f "$tmp"' EXIT
if ! awk -v sum="$sum" '
    /^<!-- bench:begin -->$/ {
        print; print ""
        while ((getline line < sum) > 0) print line
        print ""
        inside = 1; seen = 1; next
    }
    /^<!-- bench:end -->$/ { if (!inside) exit 3; inside = 0 }
    !inside
    END { if (!seen || inside) exit 3 }' "$readme" >"$tmp"; then
    echo "bench-readme: $readme: '<!-- bench:end -->' must come after '<!-- bench:begin -->'" >&2
    exit 2
fi
mv "$tmp" "$readme"
trap - EXIT
echo "bench-readme: $readme now carries $sum"

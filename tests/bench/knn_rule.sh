#!/bin/bash
# The k-d tree against the blocked scan, dimension by dimension: the
# measurement behind KNN_BRUTE_DIM in src/kernels/knn.c.
#   tests/bench/knn_rule.sh [BUILD_DIR] (after make; N and K from the
#   environment: KNN_RULE_N, default "5000 50000", KNN_RULE_K, default 6)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-$repo/build}
[ -f "$build/libaugment.a" ] || { echo "knn_rule.sh: build first (make)" >&2; exit 2; }
bin=$(mktemp "${TMPDIR:-/tmp}/knn_rule.XXXXXX")
trap 'rm -f "$bin"' EXIT
${CC:-cc} -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -I"$repo/include" -I"$repo/src" \
    -o "$bin" "$here/knn_rule.c" "$build/libaugment.a" -lm -lpthread
for n in ${KNN_RULE_N:-5000 50000}; do
    "$bin" "$n" "${KNN_RULE_K:-6}"
done

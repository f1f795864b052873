#!/bin/sh
# Every fuzz target's seed corpus (tests/fuzz/corpus/<target>/, the files
# found by fuzzing among them) through the target's own checks, built
# without libFuzzer (tests/fuzz/replay.c) by the same build as the suite:
# under ASan and UBSan in make check-sanitize, so a finding once fixed
# stays fixed.
. "$(dirname "$0")/lib/common.sh"

replay=$(dirname "$AUGMENT")/replay
for src in "$ROOT"/tests/fuzz/fuzz_*.c; do
    t=$(basename "$src" .c)
    if [ ! -x "$replay/$t" ]; then
        fail "$t: no replay binary at $replay/$t (make test builds it)"
        continue
    fi
    n=$(ls "$ROOT/tests/fuzz/corpus/$t" | wc -l)
    if [ "$n" -eq 0 ]; then
        fail "$t: an empty seed corpus"
        continue
    fi
    if [ -n "$VALGRIND" ]; then
        set -- valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect "$replay/$t"
    else
        set -- "$replay/$t"
    fi
    if "$@" "$ROOT/tests/fuzz/corpus/$t"/* >out.txt 2>&1; then
        pass
    else
        fail "$t: the seed corpus ($n files) fails: $(grep -m1 -E 'ERROR|runtime error|Abort|abort' out.txt)"
        tail -n 5 out.txt | sed 's/^/    /'
    fi
done
finish

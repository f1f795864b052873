#!/bin/sh
# Run every unit test program and every end-to-end script once; print one
# closing line "N passed, N failed" and exit non-zero if anything failed.
# VALGRIND=1 runs each unit program under valgrind (leaks are errors).
build=${1:-build}
passed=0
failed=0
failures=""

run() {
    name=$1; shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures="$failures $name"
    fi
}

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    if [ -n "$VALGRIND" ]; then
        run "$(basename "$t")" valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect "$t"
    else
        run "$(basename "$t")" "$t"
    fi
done

for s in tests/e2e/*.sh; do
    [ -f "$s" ] || continue
    echo "[ e2e ] $s"
    run "$(basename "$s")" env AUGMENT="$build/augment" VALGRIND="$VALGRIND" sh "$s"
done

echo "test programs: $passed passed, $failed failed"
[ -z "$failures" ] || echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

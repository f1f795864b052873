# Shared by the end-to-end scripts (sourced, never run on its own: it lives
# in lib/ so that tests/run.sh, which runs tests/e2e/*.sh, does not pick it up).
#
# Gives each script: $ROOT (the repo), $DATA (tests/data), $EDGE (the
# loader's edge cases), $CAT (a small RGB PNG), $T (a fresh temporary folder
# removed on exit, and the current folder once this is sourced), aug (the
# binary, under valgrind when VALGRIND=1), run (aug with stdout/stderr
# captured and $rc set), usage (a usage error), a family of check_* helpers
# that print one FAIL line per failed check, and finish.

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$ROOT/tests/data
EDGE=$DATA/edge
CAT=$DATA/img/cat.png
: "${AUGMENT:=$ROOT/build/augment}"
case $AUGMENT in
/*) ;;
*) AUGMENT=$(pwd)/$AUGMENT ;;
esac
if [ ! -x "$AUGMENT" ]; then
    echo "FAIL: no augment binary at $AUGMENT (set AUGMENT=/path/to/augment)"
    exit 1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/augment-e2e.XXXXXX") || exit 1
# valgrind's reports go to files of their own, so that they are seen even
# for runs whose stderr a script discards, and never skew its line counts
VG=$(mktemp -d "${TMPDIR:-/tmp}/augment-e2e-vg.XXXXXX") || exit 1
trap 'rm -rf "$T" "$VG"' EXIT
trap 'exit 1' INT TERM HUP
cd "$T" || exit 1

NAME=$(basename "$0" .sh)
FAILS=0
CHECKS=0

aug() {
    if [ -n "$VALGRIND" ]; then
        valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect --log-file="$VG/vg.%p" "$AUGMENT" "$@"
    else
        "$AUGMENT" "$@"
    fi
}

# run ARGS...: the binary with stdout in $T/stdout, stderr in $T/stderr,
# the exit status in $rc and the command line in $cmd (for messages).
run() {
    cmd="augment $*"
    aug "$@" >"$T/stdout" 2>"$T/stderr"
    rc=$?
}

fail() {
    FAILS=$((FAILS + 1))
    echo "FAIL [$NAME]: $*"
}

pass() {
    CHECKS=$((CHECKS + 1))
}

# The last run's stderr, indented, to explain a failure.
show_err() {
    sed -n '1,5s/^/    stderr: /p' "$T/stderr"
}

check_rc() { # EXPECTED WHAT
    if [ "$rc" -eq "$1" ]; then
        pass
    else
        fail "$2: '$cmd' exited $rc, expected $1"
        show_err
    fi
}

check_err() { # PATTERN WHAT  (fixed string, searched in the last stderr)
    if grep -qF -- "$1" "$T/stderr"; then
        pass
    else
        fail "$2: stderr of '$cmd' does not mention '$1'"
        show_err
    fi
}

check_err_lines() { # COUNT WHAT  (exact number of stderr lines)
    n=$(wc -l <"$T/stderr" | tr -d ' ')
    if [ "$n" -eq "$1" ]; then
        pass
    else
        fail "$2: '$cmd' printed $n stderr lines, expected $1"
        show_err
    fi
}

check_file() { # PATH WHAT
    if [ -f "$1" ] && [ -s "$1" ]; then pass; else fail "$2: $1 missing or empty"; fi
}

check_absent() { # PATH WHAT
    if [ -e "$1" ]; then fail "$2: $1 exists but should not"; else pass; fi
}

check_same() { # A B WHAT  (byte-identical files)
    if cmp -s "$1" "$2"; then pass; else fail "$3: $1 and $2 differ"; fi
}

check_differ() { # A B WHAT
    if [ -f "$1" ] && [ -f "$2" ] && ! cmp -s "$1" "$2"; then
        pass
    else
        fail "$3: $1 and $2 should both exist and differ"
    fi
}

check_eq() { # GOT WANT WHAT
    if [ "$1" = "$2" ]; then pass; else fail "$3: got '$1', expected '$2'"; fi
}

# No hidden (temporary) files anywhere under a folder (.hidden.png is a
# fixture the scripts plant on purpose).
check_no_temp() { # DIR WHAT
    left=$(find "$1" -name '.*' ! -name . ! -name .hidden.png 2>/dev/null | head -3)
    if [ -z "$left" ]; then pass; else fail "$2: temporary files left: $left"; fi
}

# A usage error: exit status 2 and a message that names what was wrong.
usage() { # EXPECTED-IN-MESSAGE ARGS...
    want=$1
    shift
    run "$@"
    check_rc 2 "usage error"
    check_err "$want" "usage error message"
}

# The first bytes of a file, in hex (no spaces).
magic() { # FILE NBYTES
    od -An -tx1 -N"$2" "$1" 2>/dev/null | tr -d ' \n'
}

finish() {
    for f in "$VG"/vg.*; do
        [ -s "$f" ] || continue
        fail "valgrind reported errors:"
        sed 's/^/    /' "$f" | head -n 30
    done
    if [ "$FAILS" -ne 0 ]; then
        echo "$NAME: $FAILS of $((CHECKS + FAILS)) checks failed"
        exit 1
    fi
    echo "$NAME: all $CHECKS checks passed"
    exit 0
}

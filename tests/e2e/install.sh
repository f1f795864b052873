#!/bin/sh
# The README's C program is real: install the library into a temporary
# folder (make install DESTDIR=...), build examples/rotate.c against the
# installed tree with pkg-config, run it, and check that it rotates as
# the command-line tool does (same seed, key and copy: the same angle, so
# the same bytes).
. "$(dirname "$0")/lib/common.sh"

build=$(dirname "$AUGMENT")
D=$T/dest
if make -C "$ROOT" --no-print-directory -s install BUILD="$build" DESTDIR="$D" \
    PREFIX=/usr/local >install.log 2>&1; then
    pass
else
    fail "make install DESTDIR=$D: $(tail -n 3 install.log)"
    finish
fi
for f in bin/augment lib/libaugment.a lib/libaugment.so lib/pkgconfig/augment.pc \
    include/augment/augment.h include/augment/ops.h share/man/man1/augment.1; do
    check_file "$D/usr/local/$f" "installed"
done
# The man page: generated option lists, nothing left of the template's
# markers, every option of every command's --help in it, valid roff.
MAN=$D/usr/local/share/man/man1/augment.1
check_eq "$(grep -c '@OPTIONS' "$MAN")" 0 "no template marker left in the man page"
missing=""
if command -v groff >/dev/null 2>&1; then
    groff -man -Tascii "$MAN" 2>/dev/null | sed 's/.\x08//g' >man.txt
    for cmd in $("$AUGMENT" --help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 {print $1}'); do
        for opt in $("$AUGMENT" "$cmd" --help | grep -o -- '--[a-z0-9-]*' | sort -u); do
            grep -q -e "$opt" man.txt || missing="$missing $cmd:$opt"
        done
    done
fi
check_eq "$missing" "" "every option of every command is in the man page"
if command -v groff >/dev/null 2>&1; then
    check_eq "$(groff -man -ww -z "$MAN" 2>&1 | head -3)" "" "groff reads the man page without a warning"
fi

# One boundary: the shared library exports exactly the public API, every
# symbol declared in an installed header, no internal aug_ function, no stb.
nm -D --defined-only "$D/usr/local/lib/libaugment.so" | awk '{print $3}' | sort >exported.txt
check_eq "$(grep -v '^aug_' exported.txt | head -3)" "" "every exported symbol is aug_*"
undeclared=""
for sym in $(cat exported.txt); do
    grep -Eq "^[A-Za-z_].*[ *]$sym(\(|\[)" "$D"/usr/local/include/augment/*.h || undeclared="$undeclared $sym"
done
check_eq "$undeclared" "" "every exported symbol is declared in a public header"
missing=""
for sym in aug_decode aug_encode aug_load aug_save aug_rotate aug_chain_parse aug_plan_apply \
    aug_opt_parse aug_smote aug_csv_load_table aug_stage_options; do
    grep -qx "$sym" exported.txt || missing="$missing $sym"
done
check_eq "$missing" "" "the public API is exported"
for sym in aug_read_file aug_jpeg_decode aug_stb_load aug_op_flip aug_inputs_add stbi_load_from_memory; do
    grep -qx "$sym" exported.txt && fail "$sym (internal) is exported" || pass
done
# (in the sanitizer build, ASan adds its own __odr_asan.* symbols)
nm "$D/usr/local/lib/libaugment.a" 2>/dev/null | awk '$2 ~ /^[TDRB]$/ {print $3}' |
    grep -v -e '^aug_' -e '^__odr_asan' >static.txt
check_eq "$(head -3 static.txt)" "" "libaugment.a defines no global symbol outside aug_ (stb is static)"
if ! command -v pkg-config >/dev/null 2>&1; then
    fail "pkg-config is not installed (apt-get install pkg-config)"
    finish
fi
export PKG_CONFIG_PATH="$D/usr/local/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D"
check_eq "$(pkg-config --modversion augment)" "$("$AUGMENT" --version | cut -d' ' -f2)" \
    "pkg-config knows the installed version"
# shellcheck disable=SC2046 # pkg-config's output is meant to be split
if ${CC:-cc} $SAN -Wall -Wextra -Werror "$ROOT/examples/rotate.c" \
    $(pkg-config --cflags --libs augment) -o rotate >cc.log 2>&1; then
    pass
else
    fail "examples/rotate.c does not build against the installed library: $(head -n 3 cc.log)"
    finish
fi
cp "$CAT" cat.png
LD_LIBRARY_PATH="$D/usr/local/lib" ./rotate cat.png rotated.png >run.out 2>&1
rc=$?
check_eq "$rc" 0 "the example runs: $(cat run.out)"
check_eq "$(magic rotated.png 4)" 89504e47 "the example writes a PNG"
aug rotate --range -10:10 -s 42 cat.png -o cli.png 2>/dev/null
check_same rotated.png cli.png "the example and augment rotate --range -10:10 -s 42 agree"
LD_LIBRARY_PATH="$D/usr/local/lib" ./rotate does_not_exist.png x.png >run.out 2>&1
check_eq "$?" 1 "the example reports a missing file"
grep -q "does_not_exist.png: cannot open" run.out && pass || fail "its message: $(cat run.out)"
finish

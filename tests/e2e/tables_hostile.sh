#!/bin/sh
# Hostile and odd tables: the reader's limits (a 50 MB one-line header is
# refused at the column limit, in bounded memory), old Mac line ends (a
# lone CR), byte order marks doubled at the start or in the middle, and the
# files a table command writes aimed at each other or at the input, through
# names, links and stdin. Every refusal happens before anything is written.
. "$(dirname "$0")/lib/common.sh"

IRIS=$DATA/iris.csv

# ---- limits ----
# 8,000,000 columns, 70 MB on one line: refused where field 1,048,577 starts.
# Its byte offset: c0..c9 take 3 bytes each with the comma, c10..c99 4,
# ... c1000000..c1048575 9: 30 + 360 + 4500 + 54000 + 630000 + 7200000 +
# 48576 * 9 = 8326074, so column 8326075.
awk 'BEGIN { for (i = 0; i < 8000000; i++) printf "c%d,", i; print "label" }' >wide.csv
printf '1,2,x\n' >>wide.csv
WIDE_MSG="wide.csv:1:8326075: more than 1048576 fields in one record (the limit)"
for tool in smote mixup; do
    if [ -z "$SAN$VALGRIND" ]; then
        # 100 MB of address space: the old reader needed 700 MB for this
        (ulimit -v 100000 && aug $tool wide.csv -o wide_out.csv) >"$T/stdout" 2>"$T/stderr"
        rc=$?
        cmd="augment $tool wide.csv -o wide_out.csv (ulimit -v 100000)"
    else
        run $tool wide.csv -o wide_out.csv
    fi
    check_rc 1 "$tool: a 50 MB header"
    check_eq "$(cat "$T/stderr")" "augment $tool: $WIDE_MSG" "$tool: the column limit, where it is passed"
    check_absent wide_out.csv "$tool: no output after the column limit"
done
rm -f wide.csv

# A field of 1 MiB + 1 byte (the limit is 1 MiB), in the second row.
{ printf 'a,b,label\n1,'; head -c 1048577 /dev/zero | tr '\0' 7; printf ',x\n'; } >longcell.csv
run smote longcell.csv -o long_out.csv
check_rc 1 "a field over 1 MiB"
check_err "longcell.csv:2:3: a field longer than 1048576 bytes (the limit)" "the field limit, at the field"
check_absent long_out.csv "no output after the field limit"
# ... and one of exactly 1 MiB is a number like any other (a categorical
# column, being text: SMOTE-NC copies it).
{ printf 'a,b,label\n'; for i in 1 2 3 4 5 6; do printf '%s,' $i; head -c 1048576 /dev/zero | tr '\0' q; printf ',%s\n' $((i % 3 ? 0 : 1)); done; } >mib.csv
run smote --k 1 --categorical b mib.csv -o mib_out.csv
check_rc 0 "a field of exactly 1 MiB"
rm -f longcell.csv mib.csv mib_out.csv

# ---- old Mac line ends: a lone CR ----
# The same table with LF and with CR ends: the same rows (the LF run is the
# reference), and the CR run writes CR only, its own rows byte for byte.
printf 'a,b,label\n1,2,x\n2,3,x\n3,5,x\n4,4,x\n5,1,y\n6,2,y\n' >lf.csv
tr '\n' '\r' <lf.csv >cr.csv
run smote --k 1 --seed 5 --manifest lf_man.csv lf.csv -o lf_out.csv
check_rc 0 "smote on LF lines"
run smote --k 1 --seed 5 --manifest cr_man.csv cr.csv -o cr_out.csv
check_rc 0 "smote on CR-only lines (old Mac)"
check_eq "$(wc -l <lf_out.csv | tr -d ' ')" 9 "the LF run: 4 + 4 rows and the header"
check_eq "$(tr -cd '\n' <cr_out.csv | wc -c | tr -d ' ')" 0 "the CR run writes no LF"
check_eq "$(tr -cd '\r' <cr_out.csv | wc -c | tr -d ' ')" 9 "the CR run ends every line with CR"
head -c "$(wc -c <cr.csv)" cr_out.csv | cmp -s - cr.csv && pass || fail "the CR file's rows are its bytes"
tr '\r' '\n' <cr_out.csv | cmp -s - lf_out.csv && pass || fail "CR lines give the rows LF lines give"
check_same cr_man.csv lf_man.csv "CR lines give the manifest LF lines give"
run mixup --seed 2 -n 5 cr.csv -o cr_mix.csv
check_rc 0 "mixup on CR-only lines"
check_eq "$(wc -l <cr_mix.csv | tr -d ' ')" 6 "mixup on CR lines: 5 rows and the header"

# ---- byte order marks ----
printf '\357\273\277a,b,label\n1,2,x\n2,3,y\n' >one.csv
printf '\357\273\277a,b,label\n3,4,x\n4,5,y\n' >two.csv
cat one.csv two.csv >joined.csv
run smote joined.csv -o joined_out.csv
check_rc 1 "two files joined"
check_eq "$(cat "$T/stderr")" \
    "augment smote: joined.csv:4:1: a byte-order mark in the middle of the file (were two files joined?)" \
    "a BOM in the middle is named for what it is"
check_absent joined_out.csv "no output for a joined file"
# Two BOMs at the start: both go, the first column is 'label', and the
# output starts with one.
printf '\357\273\277\357\273\277label,a,b\nx,1,2\nx,2,3\nx,3,1\ny,5,5\ny,6,4\n' >bom2.csv
run smote --label label --k 1 bom2.csv -o bom2_out.csv
check_rc 0 "two BOMs at the start"
check_eq "$(magic bom2_out.csv 9)" "efbbbf6c6162656c2c" "the output starts with one BOM and the header"
check_eq "$(sed -n '1p' bom2_out.csv | cut -d, -f2-)" "a,b" "the other columns"
check_eq "$(grep -c '^y,' bom2_out.csv)" 3 "the minority grown: the label column was found"

# ---- what a table command writes: distinct from each other and the input ----
cp "$IRIS" iris.csv
cp "$IRIS" iris_ref.csv
echo keep >kept.csv
cp kept.csv kept_ref.csv
mkdir -p sub
ln -s kept.csv soft.csv
ln kept.csv hard.csv
# refuse WHAT ARGS...: exit 2, the message, iris.csv and kept.csv as they
# were, no manifest or output made.
refuse() {
    want=$1
    shift
    usage "$want" "$@"
    check_same iris.csv iris_ref.csv "$*: the input untouched"
    check_same kept.csv kept_ref.csv "$*: an existing file untouched"
    check_absent new.csv "$*: nothing written"
    check_no_temp . "$*: no temporary left"
}
SAME="are the same file: one would replace the other"
for tool in smote mixup; do
    refuse "-o new.csv and --manifest new.csv $SAME" $tool iris.csv -o new.csv --manifest new.csv
    refuse "-o kept.csv and --manifest kept.csv $SAME" $tool iris.csv -o kept.csv --manifest kept.csv
    refuse "-o kept.csv and --manifest soft.csv $SAME" $tool iris.csv -o kept.csv --manifest soft.csv
    refuse "-o hard.csv and --manifest kept.csv $SAME" $tool iris.csv -o hard.csv --manifest kept.csv
    refuse "-o sub/../new.csv and --manifest ./new.csv $SAME" $tool iris.csv -o sub/../new.csv --manifest ./new.csv
    refuse "-o - and --manifest - $SAME" $tool iris.csv -o - --manifest -
    refuse "refusing to write iris.csv over the input iris.csv" $tool iris.csv -o iris.csv
    refuse "refusing to write ./iris.csv over the input iris.csv" $tool iris.csv -o new.csv --manifest ./iris.csv
    ln -s iris.csv in_link.csv
    refuse "refusing to write iris.csv over the input in_link.csv" $tool in_link.csv -o iris.csv
    rm -f in_link.csv
done
for tool in smote mixup; do
    aug $tool - -o iris.csv <iris.csv >"$T/stdout" 2>"$T/stderr"
    rc=$?
    cmd="augment $tool - -o iris.csv <iris.csv"
    check_rc 2 "$cmd"
    check_err "refusing to write iris.csv over the input (standard input is that file)" "$cmd: says so"
    check_same iris.csv iris_ref.csv "$cmd: the input untouched"
done
# Every SMOTE method and undersampler meets the same check before its work.
for m in smote borderline1 borderline2 svm adasyn kmeans smoten polyfit prowsyn ipf; do
    refuse "-o new.csv and --manifest new.csv $SAME" smote --method $m iris.csv -o new.csv --manifest new.csv
done
for u in random tomek enn; do
    refuse "-o new.csv and --manifest new.csv $SAME" smote --undersample $u iris.csv -o new.csv --manifest new.csv
    refuse "refusing to write iris.csv over the input iris.csv" smote --undersample $u iris.csv -o iris.csv
done
# A dry run writes only its manifest: that one is checked, -o is not written.
refuse "refusing to write iris.csv over the input iris.csv" smote --dry-run iris.csv --manifest iris.csv
refuse "refusing to write iris.csv over the input iris.csv" mixup --dry-run iris.csv --manifest iris.csv
run smote --dry-run iris.csv -o out.csv --manifest out.csv
check_rc 0 "a dry run: -o is not written, so the manifest may take its name"
# Distinct names still work, the manifest beside the output.
run smote iris.csv -o out.csv --manifest man.csv
check_rc 0 "distinct output and manifest"
check_eq "$(head -n 1 man.csv | tr -d '\r')" "row,base,neighbor,gap,detail" "the manifest is a manifest"
check_eq "$(head -n 1 out.csv | cut -d, -f5 | tr -d '\r')" "label" "the output is the table"

# The image runs compare their manifest and labels.csv the same way: a
# manifest hard-linked to the labels.csv of a previous run is one file.
mkdir -p set/a set/b
cp "$DATA/digits/0/0000.png" set/a/
cp "$DATA/digits/1/0001.png" set/b/
run mixup set -o imgout
check_rc 0 "mixup on an image set"
ln imgout/labels.csv labels_link.csv
cp imgout/labels.csv labels_ref.csv
usage "labels_link.csv is given for two files of this run" mixup set -o imgout --manifest labels_link.csv
check_same imgout/labels.csv labels_ref.csv "labels.csv untouched"

finish

#!/bin/sh
# The table commands (smote, mixup on a CSV): imbalanced-learn's strategy
# counts, bad tables with their messages and exit statuses, flags, seeds.
# The values of the new rows are checked in tests/unit/test_cli_tables.c.
. "$(dirname "$0")/lib/common.sh"

WINE=$DATA/wine.csv # class_0 59, class_1 71, class_2 48
BC=$DATA/breast_cancer.csv # benign 357, malignant 212

# Rows per class of a CSV whose label is the last field: "a b c" in class order.
counts() { # FILE [DELIM]
    tr -d '\r' <"$1" 2>/dev/null | awk -F"${2:-,}" 'NR > 1 { n[$NF]++ }
        END { s = ""; for (c in n) s = s c "=" n[c] "\n"; printf "%s", s }' | sort | tr '\n' ' ' | sed 's/ $//'
}

# ---- SMOTE strategies, as imbalanced-learn counts them ----
strategy() { # SPEC EXPECTED-COUNTS
    run smote --strategy "$1" "$WINE" -o "strat.csv"
    check_rc 0 "--strategy $1"
    check_eq "$(counts strat.csv)" "$2" "--strategy $1 on wine"
    rm -f strat.csv
}
strategy auto "class_0=71 class_1=71 class_2=71"
strategy not-majority "class_0=71 class_1=71 class_2=71"
strategy minority "class_0=59 class_1=71 class_2=71"
strategy not-minority "class_0=71 class_1=71 class_2=48"
strategy all "class_0=71 class_1=71 class_2=71"
strategy "class_0=80,class_2=60" "class_0=80 class_1=71 class_2=60"
strategy "class_1=71" "class_0=59 class_1=71 class_2=48"
run smote "$WINE" -o default.csv
check_eq "$(counts default.csv)" "class_0=71 class_1=71 class_2=71" "the default strategy is auto"
run smote "$BC" -o bc.csv
check_rc 0 "smote breast_cancer"
check_eq "$(counts bc.csv)" "benign=357 malignant=357" "breast_cancer balanced"
# a ratio (binary only): minority = int(0.8 * 357) = 285
run smote --strategy 0.8 "$BC" -o bc_ratio.csv
check_rc 0 "--strategy 0.8 on a binary table"
check_eq "$(counts bc_ratio.csv)" "benign=357 malignant=285" "--strategy 0.8"
usage "--strategy" smote --strategy 0.5 "$WINE" -o bad.csv
usage "class_9" smote --strategy class_9=100 "$WINE" -o bad.csv
usage "--strategy" smote --strategy sometimes "$WINE" -o bad.csv
usage "class_1" smote --strategy class_1=10 "$WINE" -o bad.csv
usage "--k" smote --k 0 "$WINE" -o bad.csv
usage "-o" smote "$WINE"
usage "TABLE" smote "$WINE" "$BC" -o bad.csv
check_absent bad.csv "usage errors write nothing"

# ---- output layout: originals first, unchanged text; --only-synthetic ----
head -n 179 default.csv >head.csv
tr -d '\r' <"$WINE" >wine_lf.csv
if cmp -s head.csv wine_lf.csv || cmp -s head.csv "$WINE"; then
    pass
else
    # numbers may be reprinted (shortest round trip): compare numerically
    if paste -d'|' head.csv wine_lf.csv | awk -F'|' '{
            na = split($1, a, ","); nb = split($2, b, ",");
            if (na != nb) exit 1;
            for (i = 1; i < na; i++) if (a[i] + 0 != b[i] + 0) exit 1;
            if (a[na] != b[na]) exit 1 }'; then
        pass
    else
        fail "smote output does not start with the original rows"
    fi
fi
check_eq "$(wc -l <default.csv | tr -d ' ')" 214 "smote wine: header + 178 + 35 rows"
run smote --only-synthetic --manifest only.csv "$WINE" -o only_syn.csv
check_rc 0 "--only-synthetic"
check_eq "$(counts only_syn.csv)" "class_0=12 class_2=23" "--only-synthetic writes the new rows only"
check_eq "$(head -n 1 only.csv | tr -d '\r')" "row,base,neighbor,gap,detail" "smote manifest header"
check_eq "$(sed -n 2p only.csv | cut -d, -f1)" 0 "--only-synthetic manifest rows count from 0"
run smote --manifest man.csv "$WINE" -o withman.csv
check_eq "$(wc -l <man.csv | tr -d ' ')" 36 "smote manifest: one row per synthetic row"
check_eq "$(sed -n 2p man.csv | cut -d, -f1)" 178 "smote manifest rows index the output's data rows"

# ---- --precision, --delimiter, --no-header, --label, stdin ----
run smote --precision 3 "$WINE" -o prec.csv
check_rc 0 "--precision 3"
long=$(tail -n 35 prec.csv | tr ',' '\n' | grep -E '^-?[0-9.eE+-]+$' |
    awk '{ s = $0; sub(/[eE].*/, "", s); gsub(/[-.]/, "", s); sub(/^0+/, "", s); if (length(s) > 3) print }' | head -n 3)
check_eq "$long" "" "--precision 3: new values have at most 3 significant digits"
head -n 179 prec.csv | cmp -s - head.csv && pass || fail "--precision leaves the original rows as they were"
# the same table with ';', no header, the label first
tr -d '\r' <"$WINE" | tail -n +2 | awk -F, -v OFS=';' '{ l = $NF; NF--; print l, $0 }' >semi.csv
run smote --delimiter ';' --no-header --label 0 semi.csv -o semi_out.csv
check_rc 0 "--delimiter ; --no-header --label 0"
# no header in, no header out: the first line is the first row
n=$(awk -F';' '{ n[$1]++ } END { print n["class_0"], n["class_1"], n["class_2"] }' semi_out.csv 2>/dev/null)
check_eq "$n" "71 71 71" "';' table with the label first"
check_eq "$(head -n 1 semi_out.csv)" "$(head -n 1 semi.csv)" "--no-header: the output starts with the first row"
run smote --label label "$WINE" -o bylabel.csv
check_same bylabel.csv default.csv "--label by name"
run smote --label 13 "$WINE" -o byindex.csv
check_same byindex.csv default.csv "--label by index"
aug smote - -o stdin.csv <"$WINE" 2>/dev/null
check_eq "$(counts stdin.csv)" "class_0=71 class_1=71 class_2=71" "a table from stdin"

# ---- seeds ----
run smote --seed 5 "$WINE" -o seed5a.csv
run smote --seed 5 "$WINE" -o seed5b.csv
run smote --seed 6 "$WINE" -o seed6.csv
check_same seed5a.csv seed5b.csv "smote: same seed, same bytes"
check_differ seed5a.csv seed6.csv "smote: another seed, other rows"
cp "$WINE" elsewhere.csv
mkdir -p sub
cp "$WINE" sub/wine.csv
run smote --seed 5 sub/wine.csv -o seed5c.csv
check_same seed5a.csv seed5c.csv "smote: the table's folder does not change the rows"
run mixup --seed 5 -n 40 "$WINE" -o mix5a.csv
run mixup --seed 5 -n 40 "$WINE" -o mix5b.csv
run mixup --seed 6 -n 40 "$WINE" -o mix6.csv
check_same mix5a.csv mix5b.csv "mixup: same seed, same bytes"
check_differ mix5a.csv mix6.csv "mixup: another seed, other rows"

# ---- mixup on tables: shape ----
run mixup "$WINE" -o mix_default.csv --manifest mixman.csv
check_rc 0 "mixup on a table"
check_eq "$(head -n 1 mix_default.csv | tr -d '\r' | cut -d, -f13-)" \
    "proline,label_class_0,label_class_1,label_class_2" "mixup soft-label columns"
check_eq "$(wc -l <mix_default.csv | tr -d ' ')" 179 "mixup writes as many rows as the table by default"
check_eq "$(head -n 1 mixman.csv | tr -d '\r')" "row,row_a,row_b,lambda" "mixup manifest header"
run mixup -n 7 --append "$WINE" -o mix_append.csv --manifest appman.csv
check_eq "$(wc -l <mix_append.csv | tr -d ' ')" 186 "--append: originals + 7 mixed rows"
check_eq "$(sed -n 2p appman.csv | cut -d, -f1)" 178 "--append: manifest rows index the mixed rows"
usage "--format" mixup --format png "$WINE" -o bad.csv
usage "--alpha" mixup --alpha 0 "$WINE" -o bad.csv
usage "--strategy" mixup --strategy auto "$WINE" -o bad.csv

# ---- bad tables: message, status, no output, no temporaries ----
bad() { # FILE STATUS WHAT PATTERN... (every pattern must be in the message)
    f=$1
    want=$2
    what=$3
    shift 3
    for c in smote mixup; do
        run $c "$f" -o "out_$c.csv" --manifest "man_$c.csv"
        check_rc "$want" "$c on $what"
        for p in "$@"; do check_err "$p" "$c on $what"; done
        check_absent "out_$c.csv" "$c on $what: no output"
        check_absent "man_$c.csv" "$c on $what: no manifest"
    done
}
printf 'a,b,label\n1,2,x\n3,4\n5,6,y\n' >ragged.csv
bad ragged.csv 1 "a ragged row" "ragged.csv:3"
# a numeric column holding text further down: the file, line and column
printf 'a,b,label\n1,2,x\n3,zz,y\n' >text.csv
bad text.csv 1 "text in a numeric column" "text.csv:3:3" "'b'" "zz" "--categorical"
# a decimal comma is said to be one
printf 'a;b;label\n1;2,5;x\n' >comma.csv
for c in smote mixup; do
    run $c --delimiter ';' comma.csv -o "out_$c.csv"
    check_rc 1 "$c on a decimal comma"
    check_err "comma.csv:2:3" "$c on a decimal comma: the place"
    check_err "decimal comma" "$c on a decimal comma: what it is"
    check_absent "out_$c.csv" "$c on a decimal comma: no output"
done
: >empty.csv
bad empty.csv 1 "an empty file" "empty.csv"
bad nonexistent.csv 1 "a missing file" "nonexistent.csv"
run smote --label nope "$WINE" -o nolabel.csv
[ "$rc" -ne 0 ] && pass || fail "--label nope exited 0"
check_err "nope" "--label nope names the column"
check_absent nolabel.csv "--label nope: no output"
# a class with n <= k: named with n and k, and --k suggested
{
    echo "a,b,label"
    for i in 1 2 3 4 5 6 7 8 9 10; do echo "$i,$((i * i)),big"; done
    echo "1,5,tiny"
    echo "2,7,tiny"
    echo "4,1,tiny"
} >tiny.csv
run smote tiny.csv -o tiny_out.csv --manifest tiny_man.csv
check_rc 1 "a class with n <= k"
check_err "tiny" "small class named"
check_err "3" "small class size given"
check_err "5" "k given"
check_err "--k" "--k suggested"
check_absent tiny_out.csv "a class with n <= k: no output"
check_absent tiny_man.csv "a class with n <= k: no manifest"
run smote --k 2 tiny.csv -o tiny_k2.csv
check_rc 0 "the same table with --k 2"
check_eq "$(counts tiny_k2.csv)" "big=10 tiny=10" "--k 2 grows the small class"
run smote --k 3 tiny.csv -o tiny_k3.csv
check_rc 1 "n = k is refused too"
# a class that is not grown may be small
run smote --strategy minority --k 5 tiny.csv -o tiny_min.csv
check_rc 1 "minority is the tiny class: still too small"
check_no_temp "$T" "failed table runs"

# ---- never over the input ----
cp "$WINE" self.csv
run smote self.csv -o self.csv
check_rc 2 "smote writing over its input"
check_same self.csv "$WINE" "smote leaves its input untouched"
cp "$WINE" self.csv
run mixup self.csv -o ./self.csv
check_rc 2 "mixup writing over its input"
check_same self.csv "$WINE" "mixup leaves its input untouched"
cp "$WINE" self.csv
run smote self.csv -o out.csv --manifest self.csv
check_rc 2 "smote writing its manifest over its input"
check_same self.csv "$WINE" "smote leaves its input untouched"

# ---- the original rows are the input's bytes: CRLF, quotes, a BOM ----
printf '\357\273\277a,"b c",label\r\n1,"x, y",p\r\n2,plain,p\r\n3,"x, y",p\r\n4,z,q\r\n5,"x, y",q\r\n6,z,q\r\n7,z,q\r\n' >raw.csv
run smote --k 1 --categorical "b c" raw.csv -o raw_out.csv
check_rc 0 "smote on a table with a BOM, CRLF and quoted categories"
head -c $(wc -c <raw.csv) raw_out.csv | cmp -s - raw.csv && pass || fail "the original rows are not the input's bytes"
check_eq "$(tail -n 1 raw_out.csv | od -An -c | tr -d ' \n' | tail -c 4)" '\r\n' "new rows end as the input's lines (CRLF)"
tail -n 1 raw_out.csv | grep -q -e '"x, y"' -e ',z,' -e ',plain,' && pass || fail "a new row's category is one of the input's cells, quotes kept"

# ---- TSV by extension ----
tr ',' '\t' <"$WINE" >wine.tsv
run smote wine.tsv -o wine_out.tsv
check_rc 0 "smote on a .tsv"
check_eq "$(counts wine_out.tsv '\t')" "class_0=71 class_1=71 class_2=71" ".tsv read and written with tabs"
run smote wine.tsv -o wine_out.csv
check_eq "$(counts wine_out.csv)" "class_0=71 class_1=71 class_2=71" ".tsv in, .csv out: commas"
check_eq "$(head -n 2 wine_out.csv | tail -n 1 | tr -d '\r')" "14.23,1.71,2.43,15.6,127,2.8,3.06,0.28,2.29,5.64,1.04,3.92,1065,class_0" ".tsv to .csv: the rows re-written"

# ---- hints ----
run smote --delimiter ';' "$WINE" -o hint.csv
check_rc 1 "a comma table read with ';'"
check_err "try --delimiter ','" "a header of one column suggests --delimiter"
printf 'species,w,h\n' >labelfirst.csv
for i in 1 2 3 4 5 6 7 8; do printf 'setosa,%s,%s\nother,%s,%s\n' $i $((i * 3)) $((i + 20)) $((i * 7)) >>labelfirst.csv; done
run smote labelfirst.csv -o hint.csv
check_rc 1 "numbers taken for the label"
check_err "--label species" "a text first column and numeric labels suggest --label"
run smote --label species labelfirst.csv -o hint.csv
check_rc 0 "the same with --label species"

# ---- counts that could not be written are refused up front ----
run smote --strategy class_0=2305843009213694003 "$WINE" -o huge.csv --manifest huge_m.csv
check_rc 1 "a count past any table"
check_err "2305843009213694003" "the count is named"
check_absent huge.csv "a refused count: no output"
run smote --strategy class_0=230584300921369 "$WINE" -o huge.csv
check_rc 1 "a count past the disk"
check_err "free" "the space it would take is named"
run smote --method ipf --strategy class_0=230584300921369 "$WINE" -o huge.csv
check_rc 1 "a count past memory"
check_err "of memory" "the memory it would take is named"

# ---- the SMOTE family, undersampling, --dry-run ----
for m in borderline1 borderline2 svm adasyn kmeans polyfit prowsyn ipf; do
    run smote --method $m "$BC" -o fam.csv --manifest fam_m.csv
    check_rc 0 "--method $m"
done
usage "--m applies" smote --method smote --m 4 "$WINE" -o bad.csv
usage "--topology" smote --method svm --topology bus "$WINE" -o bad.csv
usage "--method" smote --method nope "$WINE" -o bad.csv
usage "--undersample" smote --under-strategy all "$WINE" -o bad.csv
run smote --undersample tomek "$BC" -o tomek.csv --manifest tomek_m.csv
check_rc 0 "--undersample tomek"
# the input rows less those removed, then the new rows kept
kept_new=$(awk -F, 'NR > 1 && $1 != ""' tomek_m.csv | wc -l)
check_eq "$(grep -c 'removed=tomek' tomek_m.csv)" "$(( $(wc -l <"$BC") - ($(wc -l <tomek.csv) - kept_new) ))" "every input row Tomek removed is in the manifest"
run smote --dry-run --seed 3 "$WINE"
check_rc 0 "--dry-run"
cp "$T/stdout" dry.csv
run smote --seed 3 --manifest dry_ref.csv "$WINE" -o dry_ref_out.csv
check_same dry.csv dry_ref.csv "--dry-run prints the manifest the run writes"
run smote --dry-run "$WINE" -o dry_out.csv
check_absent dry_out.csv "--dry-run writes no table"

# ---- mixup with categorical columns ----
run mixup raw.csv -o mix_cat.csv
check_rc 1 "mixup on categorical columns"
check_err "'b c'" "the categorical column is named"
check_err "--categorical-from" "and the way out"
run mixup --categorical-from a -n 5 raw.csv -o mix_cat.csv --manifest mix_cat_m.csv
check_rc 0 "--categorical-from a"
# row r mixes row r mod rows (a): its category is a's
awk -F, 'NR > 1 { print $2 }' mix_cat.csv | tr -d '"' >mix_cats.txt
check_eq "$(head -n 1 mix_cats.txt)" "x" "--categorical-from a: row 0 takes row 0's category"

# ---- a table larger than the memory it may use: the majority streams ----
# 6,000,000 rows of one class: a 71 MB file, some 240 MB held as a table;
# the process may map 64 MB. The minority grows to 2000 rows, and every
# original row is copied as it is read. (Not under the sanitizers or valgrind: they reserve
# more address space than any such limit.)
if [ -z "$SAN$VALGRIND" ]; then
    awk 'BEGIN { print "a,b,label"; for (i = 0; i < 6000000; i++) printf "%d,%d,big\n", i % 977, i % 1009;
                 for (i = 0; i < 300; i++) printf "%d,%d,small\n", i % 17, i % 19 }' >big.csv
    (ulimit -v 65536 && aug smote --strategy small=2000 big.csv -o big_out.csv) 2>"$T/stderr"
    rc=$?
    check_rc 0 "a majority larger than the memory limit streams through"
    check_eq "$(counts big_out.csv)" "big=6000000 small=2000" "every original row and the new ones"
    head -n 6000301 big_out.csv | cmp -s - big.csv && pass || fail "the streamed rows are the input's"
    (ulimit -v 65536 && aug smote --method borderline1 --strategy small=2000 big.csv -o big_held.csv) 2>"$T/stderr"
    rc=$?
    check_rc 1 "a method that holds every row does not fit under the same limit"
    check_err "memory" "and says why"
    rm -f big.csv big_out.csv big_held.csv
fi

finish

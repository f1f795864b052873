#!/usr/bin/env bash
# make bench: augment against its peers, all measured in this same run on
# this machine, reported as times and ratios (peer / augment: above 1 means
# augment is faster). Nothing here asserts a time; a peer that is not
# installed is reported as skipped, never installed from here.
#
#   tests/bench/bench.sh BUILD_DIR
#
# Environment: BENCH_RUNS (3; best of N), BENCH_IMAGES (200), BENCH_SIZE
# (512), BENCH_SMOTE_ROWS (200000), BENCH_SMOTE_BIG (1000000; 0 skips it),
# BENCH_ONLY (e.g. "flip smote": any of
# flip rotate noise smote threads resize color randaugment), PYTHON (a python3 to try first), BENCH_CACHE
# (where generated inputs are kept between runs; "none" to regenerate),
# BENCH_NO_HYPERFINE=1 (time with the plain loop even if hyperfine is here).
set -u

build=${1:-build}
if [ ! -x "$build/augment" ]; then
    echo "bench: $build/augment not found; run 'make' first" >&2
    exit 2
fi
aug=$(cd "$build" && pwd)/augment
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=${BENCH_RUNS:-3}
nimg=${BENCH_IMAGES:-200}
size=${BENCH_SIZE:-512}
rows=${BENCH_SMOTE_ROWS:-200000}
big_rows=${BENCH_SMOTE_BIG:-1000000}
only=" ${BENCH_ONLY:-flip rotate noise smote threads resize color randaugment} "
work=$(mktemp -d "${TMPDIR:-/tmp}/augment-bench.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
started=$(date +%s)

wanted() { case "$only" in *" $1 "*) return 0 ;; esac; return 1; }

# The first python3 that imports all the given modules: `python3` on PATH
# may be a private interpreter without the distribution's packages.
pick_python() {
    local py
    for py in ${PYTHON:-} python3 /usr/bin/python3; do
        command -v "$py" >/dev/null 2>&1 || continue
        if "$py" -c 'import sys
for m in sys.argv[1:]: __import__(m)' "$@" >/dev/null 2>&1; then
            echo "$py"
            return 0
        fi
    done
    return 1
}

pyversion() { "$1" -c "import $2 as m; print(m.__version__)" 2>/dev/null; }

# ---- timing --------------------------------------------------------------
# measure OUT CMD...: run CMD $runs times, OUT emptied before each run.
# Sets m_wall (best wall seconds), m_cpu (user+sys of that run), m_rss
# (peak RSS in MB over the runs, "-" when unknown) and m_ok (0 on failure).
# hyperfine when installed (with --prepare for OUT), else a plain loop.
measure() {
    local out=$1
    shift
    m_wall=- m_cpu=- m_rss=- m_ok=1
    if [ -n "${use_hyperfine:-}" ] && command -v hyperfine >/dev/null 2>&1; then
        local cmd prep
        cmd=$(printf '%q ' "$@")
        prep="rm -rf $(printf '%q' "$out") && mkdir -p $(printf '%q' "$out")"
        if ! hyperfine -S bash --runs "$runs" --style none --prepare "$prep" \
            --export-csv "$work/hf.csv" -- "$cmd" >"$work/log" 2>&1; then
            m_ok=0
            return
        fi
        # command,mean,stddev,median,user,system,min,max (from the end: the
        # command may hold commas)
        read -r m_wall m_cpu < <(awk -F, 'NR == 2 { printf "%.3f %.3f\n", $(NF-1), $(NF-3) + $(NF-2) }' "$work/hf.csv")
        return
    fi
    local i t0 t1 wall u s m best=
    for ((i = 0; i < runs; i++)); do
        rm -rf "$out"
        mkdir -p "$out"
        t0=$(date +%s%N)
        if [ -x /usr/bin/time ]; then
            /usr/bin/time -f '%U %S %M' -o "$work/time" "$@" >"$work/log" 2>&1 || { m_ok=0; return; }
            read -r u s m < <(tail -n 1 "$work/time")
        else
            local TIMEFORMAT='%U %S'
            { time "$@" >"$work/log" 2>&1 || { m_ok=0; return; }; } 2>"$work/time"
            read -r u s < <(tail -n 1 "$work/time")
            m=
        fi
        t1=$(date +%s%N)
        wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
        if [ -z "$best" ] || awk -v w="$wall" -v b="$best" 'BEGIN { exit !(w < b) }'; then
            best=$wall
            m_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
        fi
        if [ -n "$m" ]; then
            m_rss=$(awk -v m="$m" -v r="$m_rss" 'BEGIN { m /= 1024; if (r != "-" && r > m) m = r; printf "%.0f", m }')
        fi
    done
    m_wall=$best
}

ratio() { # peer base -> peer/base
    awk -v p="$1" -v b="$2" 'BEGIN { if (p == "-" || b == "-" || b <= 0) print "-"; else printf "%.2f", p / b }'
}

# ---- tables --------------------------------------------------------------
img_head() {
    echo
    echo "== $1"
    printf '  %-34s %8s %8s %11s %10s %9s\n' tool "wall s" "cpu s" "peer/aug" "cpu ratio" "out MB"
}
img_row() { printf '  %-34s %8s %8s %11s %10s %9s\n' "$@"; }

# image_tool NAME OUT CMD...: measure, check that every output exists, print.
# The first tool of a table is augment: its times are the base of the ratios.
image_tool() {
    local name=$1 out=$2
    shift 2
    measure "$out" "$@"
    local n
    n=$(find "$out" -type f 2>/dev/null | wc -l)
    if [ "$m_ok" != 1 ] || [ "$n" -ne "$nimg" ]; then
        img_row "$name" "failed ($n of $nimg outputs; $(tail -n 1 "$work/log" | cut -c1-60))"
        [ "$name" = "${base_name:-}" ] && base_wall=- base_cpu=-
        return
    fi
    local mb
    mb=$(find "$out" -type f -exec cat {} + | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')
    if [ "$name" = "${base_name:-}" ]; then
        base_wall=$m_wall base_cpu=$m_cpu
    fi
    img_row "$name" "$m_wall" "$m_cpu" "$(ratio "$m_wall" "$base_wall")" "$(ratio "$m_cpu" "$base_cpu")" "$mb"
}

skip() { printf '  %-34s skipped (install %s)\n' "$1" "$2"; }

# ---- machine and peers ---------------------------------------------------
py_pil=$(pick_python PIL) || py_pil=
py_cv=$(pick_python cv2 numpy) || py_cv=
py_np_pil=$(pick_python PIL numpy) || py_np_pil=
py_imb=$(pick_python imblearn pandas) || py_imb=
magick=
if command -v mogrify >/dev/null 2>&1 && mogrify -version 2>/dev/null | grep -q ImageMagick; then
    magick=$(mogrify -version | sed -n 's/^Version: ImageMagick \([^ ]*\).*/\1/p')
fi
[ -z "${BENCH_NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null 2>&1 && use_hyperfine=1

echo "augment bench: $("$aug" --version), $(nproc 2>/dev/null || echo '?') cores," \
    "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (other work on the machine inflates every time)"
echo "timing: best wall of $runs runs$([ -n "${use_hyperfine:-}" ] && echo " (hyperfine; cpu = mean user+sys)" || echo " (cpu = user+sys of that run)"); peer/aug = peer wall / augment wall, above 1 = augment faster"
peer_version() { if [ -n "$1" ]; then pyversion "$1" "$2"; else echo missing; fi; }
echo "peers: Pillow $(peer_version "$py_pil" PIL), OpenCV $(peer_version "$py_cv" cv2)," \
    "ImageMagick ${magick:-missing}, imbalanced-learn $(peer_version "$py_imb" imblearn)," \
    "numpy $(peer_version "$(pick_python numpy)" numpy); every tool single-threaded"
# One thread everywhere (augment with -j 1): the ratios compare code, not
# core counts. Section 4 measures what augment's threads add.
export OMP_NUM_THREADS=1 MAGICK_THREAD_LIMIT=1 OPENBLAS_NUM_THREADS=1

# What a peer pays once per process before its first image (interpreter +
# imports), included in its times below: it matters for small jobs only.
startup() { # NAME PYTHON MODULES
    [ -n "$2" ] || return 0
    measure "$work/none" "$2" -c "import $3"
    [ "$m_ok" = 1 ] && printf ' %s %ss' "$1" "$m_wall"
}
echo "peer startup (python + imports, best of $runs, part of each peer's time):$(startup Pillow "$py_pil" PIL.Image)$(startup OpenCV "$py_cv" 'cv2, numpy')$(startup imbalanced-learn "$py_imb" 'pandas, imblearn.over_sampling')"

# ---- image inputs --------------------------------------------------------
photos=/work/shared/data/images/photos
[ -d "$photos" ] || photos=$repo/examples/photos
py_gen=$(pick_python PIL) || py_gen=$(pick_python cv2) || py_gen=
imgs=
if wanted flip || wanted rotate || wanted noise || wanted threads || wanted resize ||
    wanted color || wanted randaugment; then
    if [ -z "$py_gen" ]; then
        echo
        echo "== image workloads skipped: making the inputs needs python3 with python3-pil or python3-opencv"
    else
        # Generated once per generator version, photo set and size, then kept.
        key=$( { cat "$here/gen_images.py"; ls -l "$photos"; echo "$nimg $size $py_gen"; } | cksum | cut -d' ' -f1)
        cache=${BENCH_CACHE:-${TMPDIR:-/tmp}/augment-bench-cache}
        [ "$cache" = none ] && cache=$work/cache
        imgs=$cache/images-$key
        if [ ! -f "$imgs/done" ]; then
            echo "making $nimg images ${size}x$size from $photos (JPEG q90 and PNG) into $imgs ..."
            rm -rf "$cache"/images-* # older sizes or generators: never reused
            mkdir -p "$imgs"
            if ! "$py_gen" "$here/gen_images.py" "$photos" "$imgs" "$nimg" "$size"; then
                echo "bench: could not make the image inputs" >&2
                imgs=
            else
                touch "$imgs/done"
            fi
        fi
        # Warm the page cache so the first tool does not pay for the disk.
        [ -n "$imgs" ] && cat "$imgs"/jpg/* "$imgs"/png/* >/dev/null
    fi
fi

# ---- 1. flip -------------------------------------------------------------
if [ -n "$imgs" ] && wanted flip; then
    for fmt in jpg png; do
        in=$imgs/$fmt
        insize=$(cat "$in"/* | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')
        if [ $fmt = jpg ]; then
            img_head "1a. decode + horizontal flip + encode, $nimg JPEG ${size}x$size in/out, quality 90 (input $insize MB)"
            # ImageMagick turns chroma subsampling off at quality >= 90;
            # 2x2 keeps it doing the same work as the others (4:2:0).
            q=(--quality 90) mq=(-quality 90 -sampling-factor 2x2) zl=("" "" "")
        else
            img_head "1b. decode + horizontal flip + encode, $nimg PNG ${size}x$size in/out (input $insize MB)"
            q=() mq=() zl=(" (zlib 6)" " (zlib 1)" " (zlib 7)")
        fi
        base_name="augment flip"
        image_tool "augment flip" "$work/out" "$aug" flip -q -j 1 "${q[@]}" "$in" -o "$work/out"
        if [ -n "$py_pil" ]; then
            image_tool "Pillow${zl[0]}" "$work/out" "$py_pil" "$here/peer_pillow.py" flip "$in" "$work/out"
        else skip Pillow python3-pil; fi
        if [ -n "$py_cv" ]; then
            image_tool "OpenCV, 1 thread${zl[1]}" "$work/out" "$py_cv" "$here/peer_opencv.py" flip "$in" "$work/out"
        else skip OpenCV python3-opencv; fi
        if [ -n "$magick" ]; then
            image_tool "ImageMagick mogrify -flop${zl[2]}" "$work/out" mogrify -path "$work/out" -flop "${mq[@]}" "$in"/*
        else skip "ImageMagick mogrify" imagemagick; fi
    done
fi

# ---- 2. rotate and noise on JPEG -----------------------------------------
if [ -n "$imgs" ] && wanted rotate; then
    img_head "2a. rotate 30 degrees, bilinear, same size, black corners: $nimg JPEG ${size}x$size, quality 90"
    base_name="augment rotate --angle 30"
    image_tool "augment rotate --angle 30" "$work/out" "$aug" rotate -q -j 1 --angle 30 --quality 90 "$imgs/jpg" -o "$work/out"
    if [ -n "$py_cv" ]; then
        image_tool "OpenCV warpAffine INTER_LINEAR" "$work/out" "$py_cv" "$here/peer_opencv.py" rotate "$imgs/jpg" "$work/out"
    else skip OpenCV python3-opencv; fi
    if [ -n "$py_pil" ]; then
        image_tool "Pillow rotate(30, BILINEAR)" "$work/out" "$py_pil" "$here/peer_pillow.py" rotate "$imgs/jpg" "$work/out"
    else skip Pillow python3-pil; fi
fi

if [ -n "$imgs" ] && wanted noise; then
    img_head "2b. gaussian noise sigma 10 (one draw per pixel): $nimg JPEG ${size}x$size, quality 90"
    base_name="augment noise --sigma 10"
    image_tool "augment noise --sigma 10" "$work/out" "$aug" noise -q -j 1 --sigma 10 --quality 90 "$imgs/jpg" -o "$work/out"
    if [ -n "$py_cv" ]; then
        image_tool "OpenCV io + numpy noise" "$work/out" "$py_cv" "$here/peer_opencv.py" noise "$imgs/jpg" "$work/out"
    else skip "OpenCV + numpy" "python3-opencv python3-numpy"; fi
    if [ -n "$py_np_pil" ]; then
        image_tool "Pillow io + numpy noise" "$work/out" "$py_np_pil" "$here/peer_pillow.py" noise "$imgs/jpg" "$work/out"
    else skip "Pillow + numpy" "python3-pil python3-numpy"; fi
fi

# ---- 3. SMOTE ------------------------------------------------------------
tab_head() {
    echo
    echo "== $1"
    printf '  %-34s %8s %8s %11s %10s %9s\n' tool "wall s" "cpu s" "peer/aug" "peak MB" "rows out"
}

# table_tool NAME OUT.csv CMD...: as image_tool, with peak RSS and rows out.
table_tool() {
    local name=$1 out=$2
    shift 2
    local saved=${use_hyperfine:-}
    use_hyperfine= # the plain loop: it also reads the peak RSS
    measure "$work/tab" "$@"
    use_hyperfine=$saved
    if [ "$m_ok" != 1 ] || [ ! -s "$out" ]; then
        img_row "$name" "failed: $(tail -n 1 "$work/log" | cut -c1-70)"
        [ "$name" = "$base_name" ] && base_wall=-
        return
    fi
    [ "$name" = "$base_name" ] && base_wall=$m_wall
    img_row "$name" "$m_wall" "$m_cpu" "$(ratio "$m_wall" "$base_wall")" "$m_rss" "$(($(wc -l <"$out") - 1))"
    grep -h 'phases' "$work/log" | sed 's/^/      /'
}

smote_case() { # TITLE CSV
    tab_head "$1"
    base_name="augment smote"
    table_tool "augment smote" "$work/tab/out.csv" "$aug" smote -q -j 1 "$2" -o "$work/tab/out.csv"
    if [ -n "$py_imb" ]; then
        table_tool "imbalanced-learn + pandas" "$work/tab/out.csv" "$py_imb" "$here/peer_imblearn.py" "$2" "$work/tab/out.csv"
    else skip imbalanced-learn "python3-imblearn python3-pandas"; fi
}

# one_run OUT CMD...: wall seconds and peak RSS (MB) of one run into
# r_wall, r_rss (r_wall "-" on failure).
one_run() {
    local out=$1
    shift
    rm -f "$out"
    if ! /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/log" 2>&1 || [ ! -s "$out" ]; then
        r_wall=- r_rss=-
        return
    fi
    read -r r_wall r_rss < <(tail -n 1 "$work/time")
    r_rss=$(awk -v m="$r_rss" 'BEGIN { printf "%.0f", m / 1024 }')
}

better() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(b == "" || b == "-" || (a != "-" && a < b)) }'; }

# table_race TITLE CSV: augment smote -j 1 and imbalanced-learn + pandas,
# alternated run by run so the machine's other load hits both alike; the
# best wall and the largest peak RSS of each, the ratios augment / peer of
# both (the goal: at most 0.1x the time and 0.25x the memory), and then
# augment on every core.
table_race() {
    local title=$1 csv=$2 i aw= ar=0 pw= pr=0 jw= rows_a= rows_p=
    mkdir -p "$work/tab"
    tab_head "$title"
    for ((i = 0; i < runs; i++)); do
        one_run "$work/tab/a.csv" "$aug" smote -q -j 1 "$csv" -o "$work/tab/a.csv"
        if [ "$r_wall" != - ]; then
            better "$r_wall" "$aw" && aw=$r_wall
            [ "$r_rss" -gt "$ar" ] && ar=$r_rss
            rows_a=$(($(wc -l <"$work/tab/a.csv") - 1))
        fi
        if [ -n "$py_imb" ]; then
            one_run "$work/tab/p.csv" "$py_imb" "$here/peer_imblearn.py" "$csv" "$work/tab/p.csv"
            if [ "$r_wall" != - ]; then
                better "$r_wall" "$pw" && pw=$r_wall
                [ "$r_rss" -gt "$pr" ] && pr=$r_rss
                rows_p=$(($(wc -l <"$work/tab/p.csv") - 1))
            fi
        fi
        one_run "$work/tab/j.csv" "$aug" smote -q -j "$ncores" "$csv" -o "$work/tab/j.csv"
        [ "$r_wall" != - ] && better "$r_wall" "$jw" && jw=$r_wall
    done
    [ -z "$aw" ] && aw=- ar=-
    img_row "augment smote -j 1" "$aw" "" "" "$ar" "${rows_a:--}"
    if [ -n "$py_imb" ]; then
        [ -z "$pw" ] && pw=- pr=-
        img_row "imbalanced-learn + pandas" "$pw" "" "$(ratio "$pw" "$aw")" "$pr" "${rows_p:--}"
        printf '  %-34s time %sx, peak memory %sx (goal: at most 0.1x and 0.25x)\n' \
            "augment / imbalanced-learn:" "$(ratio "$aw" "$pw")" "$(ratio "$ar" "$pr")"
    else skip imbalanced-learn "python3-imblearn python3-pandas"; fi
    img_row "augment smote -j $ncores" "${jw:--}" "" "" "" ""
}

if wanted smote; then
    py_tab=$(pick_python numpy) || py_tab=$(pick_python) || py_tab=
    ncores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
    if [ -z "$py_tab" ]; then
        echo
        echo "== SMOTE ${rows}-row table skipped: making it needs python3"
    else
        for n in $rows $big_rows; do
            [ "$n" -gt 0 ] || continue
            "$py_tab" "$here/gen_table.py" "$work/table.csv" "$n"
            mb=$(wc -c <"$work/table.csv" | awk '{ printf "%.0f", $1 / 1e6 }')
            table_race "3a. SMOTE k=5, strategy auto: $n x 20 floats, 3 classes (89.4% / 7.3% / 3.3%), $mb MB CSV; read + SMOTE + write, alternated, best of $runs" "$work/table.csv"
        done
        rm -f "$work/table.csv" "$work/tab/"*.csv
    fi
    bc=/work/shared/data/tabular/breast_cancer.csv
    [ -f "$bc" ] || bc=$repo/examples/tables/breast_cancer.csv
    if [ -f "$bc" ]; then
        smote_case "3b. SMOTE k=5 on breast_cancer.csv ($(($(wc -l <"$bc") - 1)) x 30, 2 classes): startup dominates" "$bc"
    fi
fi

# ---- 4. threads ------------------------------------------------------------
# -j 1 against every core, alternated run by run (the machine's other load
# then hits both alike), best of the runs each.
speedup() { # TITLE ARGS...
    local title=$1 best1= bestn= i w
    shift
    for ((i = 0; i < runs; i++)); do
        for j in 1 $ncores; do
            rm -rf "$work/out"
            local t0 t1
            t0=$(date +%s%N)
            "$aug" "$@" -q -j $j -o "$work/out" >/dev/null 2>&1 || { echo "  $title: failed"; return; }
            t1=$(date +%s%N)
            w=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
            if [ $j = 1 ]; then
                best1=$(awk -v w="$w" -v b="$best1" 'BEGIN { print (b == "" || w < b) ? w : b }')
            else
                bestn=$(awk -v w="$w" -v b="$bestn" 'BEGIN { print (b == "" || w < b) ? w : b }')
            fi
        done
    done
    printf '  %-44s %8s %8s %9s\n' "$title" "$best1" "$bestn" "$(ratio "$best1" "$bestn")x"
}
ncores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
if [ -n "$imgs" ] && wanted threads; then
    echo
    echo "== 4. threads: -j 1 against -j $ncores (every core), $nimg JPEG ${size}x$size, alternated, best of $runs"
    printf '  %-44s %8s %8s %9s\n' workload "-j 1 s" "-j $ncores s" "speed-up"
    speedup "flip, JPEG in/out" flip --quality 90 "$imgs/jpg"
    speedup "rotate 30 degrees, JPEG in/out" rotate --angle 30 --quality 90 "$imgs/jpg"
    speedup "chain rotate | flip | noise, JPEG in/out" chain 'rotate --range -15:15 | flip --prob 0.5 | noise --sigma 8' --quality 90 "$imgs/jpg"
fi

# ---- 5. resize, color, randaugment ----------------------------------------
# Whole process (decode + op + encode, a JPEG folder, one thread each), then
# the kernels alone: the same images decoded once into memory, the op run
# over them round after round, best round per image (tests/bench/op_kernels.c
# against tests/bench/peer_op_kernels.py), the tools alternated round by round.
py_tv=$(pick_python torchvision PIL) || py_tv=
kernel_bin=
if [ -n "$imgs" ] && { wanted resize || wanted color || wanted randaugment; }; then
    # shellcheck disable=SC2086
    if ${CC:-cc} -O2 -I"$repo/include" -o "$work/op_kernels" "$here/op_kernels.c" "$build/libaugment.a" \
        ${LDLIBS:--ldeflate -lturbojpeg -lwebp -ltiff -lm} 2>"$work/cc.log"; then
        kernel_bin=$work/op_kernels
    else
        echo "bench: could not build tests/bench/op_kernels.c: $(head -c 200 "$work/cc.log")" >&2
    fi
fi
kcount=${BENCH_KERNEL_IMAGES:-40}
# kernel_row NAME BASE_MS CMD...: best of $runs (each a best of 3 rounds)
kernel_ms() {
    local best= i v
    for ((i = 0; i < runs; i++)); do
        v=$("$@" 2>/dev/null) || { echo -; return; }
        best=$(awk -v v="$v" -v b="$best" 'BEGIN { print (b == "" || v < b) ? v : b }')
    done
    echo "$best"
}
kernel_head() {
    echo "  kernel only, $kcount images ${size}x$size in memory, one thread (ms per image):"
    printf '    %-36s %10s %11s\n' tool "ms/image" "peer/aug"
}
kernel_pair() { # TITLE CHAIN PEER_OP PEER_NAME [PEER_OP2 PEER_NAME2]
    local title=$1 chain=$2 a p
    shift 2
    [ -n "$kernel_bin" ] || { echo "    (kernel harness not built)"; return; }
    a=$(kernel_ms "$kernel_bin" "$imgs/jpg" "$kcount" 3 "$chain")
    printf '    %-36s %10s %11s\n' "augment $title" "$a" "1.00"
    while [ $# -ge 2 ]; do
        if [ -n "$py_tv" ] || [ "$1" = resize-cv2 ] || [ "$1" = resize-pil ]; then
            local py=$py_tv
            [ "$1" = resize-cv2 ] && py=$py_cv
            [ "$1" = resize-pil ] && py=$py_pil
            if [ -n "$py" ]; then
                p=$(kernel_ms "$py" "$here/peer_op_kernels.py" "$1" "$imgs/jpg" "$kcount" 3)
                printf '    %-36s %10s %11s\n' "$2" "$p" "$(ratio "$p" "$a")"
            else
                printf '    %-36s skipped\n' "$2"
            fi
        fi
        shift 2
    done
}

if [ -n "$imgs" ] && wanted resize; then
    img_head "5a. resize ${size}x$size -> 224x224, bilinear, antialiased: $nimg JPEG, quality 90"
    base_name="augment resize --size 224"
    image_tool "augment resize --size 224" "$work/out" "$aug" resize -q -j 1 --size 224 --quality 90 "$imgs/jpg" -o "$work/out"
    if [ -n "$py_pil" ]; then
        image_tool "Pillow resize BILINEAR (antialias)" "$work/out" "$py_pil" "$here/peer_pillow.py" resize "$imgs/jpg" "$work/out"
    else skip Pillow python3-pil; fi
    if [ -n "$py_cv" ]; then
        image_tool "OpenCV resize INTER_AREA" "$work/out" "$py_cv" "$here/peer_opencv.py" resize "$imgs/jpg" "$work/out"
    else skip OpenCV python3-opencv; fi
    kernel_head
    kernel_pair "resize --size 224" "resize --size 224" resize-pil "Pillow resize BILINEAR" resize-cv2 "OpenCV resize INTER_AREA"
fi

if [ -n "$imgs" ] && wanted color; then
    img_head "5b. ColorJitter 0.4/0.4/0.4/0.1 (random order, hue through HSV): $nimg JPEG ${size}x$size, quality 90"
    cj="--brightness 0.4 --contrast 0.4 --saturation 0.4 --hue 0.1"
    base_name="augment color"
    # shellcheck disable=SC2086
    image_tool "augment color" "$work/out" "$aug" color -q -j 1 $cj --quality 90 "$imgs/jpg" -o "$work/out"
    if [ -n "$py_tv" ]; then
        image_tool "torchvision ColorJitter (PIL)" "$work/out" "$py_tv" "$here/peer_torchvision.py" color "$imgs/jpg" "$work/out"
    else skip torchvision python3-torchvision; fi
    kernel_head
    kernel_pair "color" "color $cj" color "torchvision ColorJitter (PIL)"
fi

if [ -n "$imgs" ] && wanted randaugment; then
    img_head "5c. RandAugment, 2 ops at magnitude 9: $nimg JPEG ${size}x$size, quality 90"
    base_name="augment randaugment"
    image_tool "augment randaugment" "$work/out" "$aug" randaugment -q -j 1 --quality 90 "$imgs/jpg" -o "$work/out"
    if [ -n "$py_tv" ]; then
        image_tool "torchvision RandAugment (PIL)" "$work/out" "$py_tv" "$here/peer_torchvision.py" randaugment "$imgs/jpg" "$work/out"
    else skip torchvision python3-torchvision; fi
    kernel_head
    kernel_pair "randaugment" "randaugment" randaugment "torchvision RandAugment (PIL)"
fi

echo
echo "bench done in $(($(date +%s) - started)) s; load average now: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"

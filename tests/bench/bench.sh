#!/usr/bin/env bash
# make bench: augment against its peers, all measured in this same run on
# this machine, reported as times and ratios (peer / augment: above 1 means
# augment is faster). Nothing here asserts a time; a peer that is not
# installed is reported as skipped, never installed from here.
#
#   tests/bench/bench.sh BUILD_DIR [SUMMARY.md]
#
# Every table runs its tools interleaved: round 1 runs tool 1, tool 2, ...
# tool k, round 2 the same, and so on; each tool keeps its best wall time
# over the rounds, with the cpu time (user+sys) and peak RSS of that run
# (/usr/bin/time when present). The machine is shared: a noisy second slows
# one round of one tool, and the best of the rounds leaves it out, so a
# ratio does not depend on which tool happened to run during it. hyperfine
# is not used: it runs all the runs of one command before the next command,
# which cannot interleave. Each tool's output is checked after every run (a
# folder of exactly BENCH_IMAGES files, or a non-empty CSV); a tool that
# fails is shown as failed and the others go on.
#
# SUMMARY.md, when given, receives the tables in markdown (workloads, the
# kernels, the targets of issue 10); `make bench-readme` splices it into
# README.md between the bench markers (tests/bench/readme.sh).
#
# Environment: BENCH_RUNS (3; rounds, best of N), BENCH_IMAGES (200),
# BENCH_SIZE (512), BENCH_SMOTE_ROWS (200000), BENCH_SMOTE_BIG (1000000;
# 0 skips it), BENCH_ONLY (e.g. "flip
# smote": any of flip rotate noise smote threads resize color randaugment
# kernels), BENCH_KERNEL_IMAGES (40: images in memory for the kernels alone
# and the decoders), BENCH_KERNEL_REPS (20: repetitions of a kernel per
# round, a third of that on 4000x3000), PYTHON (a python3 to try first),
# BENCH_CACHE (where generated inputs are kept between runs; "none" to
# regenerate), CC and LDLIBS (to build the C harnesses against libaugment.a).
set -u

build=${1:-build}
md_out=${2:-}
if [ ! -x "$build/augment" ] || [ ! -f "$build/libaugment.a" ]; then
    echo "bench: $build/augment not found; run 'make' first" >&2
    exit 2
fi
aug=$(cd "$build" && pwd)/augment
lib=$(cd "$build" && pwd)/libaugment.a
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
runs=${BENCH_RUNS:-3}
nimg=${BENCH_IMAGES:-200}
size=${BENCH_SIZE:-512}
rows=${BENCH_SMOTE_ROWS:-200000}
big_rows=${BENCH_SMOTE_BIG:-1000000}
kcount=${BENCH_KERNEL_IMAGES:-40}
kreps=${BENCH_KERNEL_REPS:-20}
only=" ${BENCH_ONLY:-flip rotate noise smote threads resize color randaugment kernels} "
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

# ---- arithmetic ------------------------------------------------------------
ratio() { # A B -> A/B with 2 decimals, "-" when either is unknown
    awk -v p="$1" -v b="$2" 'BEGIN { if (p == "-" || p == "" || b == "-" || b == "" || b <= 0) print "-"; else printf "%.2f", p / b }'
}
secs() { awk -v n="$1" 'BEGIN { printf "%.3f", n / 1e9 }'; } # ns -> s
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# ---- one timed run ---------------------------------------------------------
# run_once CMD: CMD is a shell-quoted command line (printf %q); its stdout
# and stderr go to $work/log. Sets r_ok (0 on a non-zero exit), r_ns (wall
# nanoseconds), r_u r_s (user and sys seconds), r_kb (peak RSS in KB, empty
# when unknown).
run_once() {
    local t0 t1 m=
    r_ok=1 r_u=0 r_s=0
    t0=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
        eval "/usr/bin/time -f '%U %S %M' -o \"\$work/time\" $1" >"$work/log" 2>&1 </dev/null || r_ok=0
        t1=$(date +%s%N)
        read -r r_u r_s m < <(tail -n 1 "$work/time")
    else
        local TIMEFORMAT='%U %S'
        { time eval "$1" >"$work/log" 2>&1 </dev/null || r_ok=0; } 2>"$work/time"
        t1=$(date +%s%N)
        read -r r_u r_s < <(tail -n 1 "$work/time")
    fi
    r_ns=$((t1 - t0))
    r_kb=$m
}

# ---- results, kept for the summary and the targets -------------------------
# Fields of a stored row are split by US (0x1f): a title may hold "|".
US=$'\x1f'

# R[ID.KEY.FIELD]: FIELD wall (s, or ms for the kernels alone), cpu, mb
# (peak RSS), out (bytes or rows), state ("ok", or why not). tables: the
# table ids in the order run; R[ID.keys], R[ID.kind], R[ID.title].
declare -A R
tables=()

# ---- interleaved tables ----------------------------------------------------
# tbl_begin KIND TITLE: a new table. KIND: img (a folder of $nimg images out
# in $work/out), img_mb (the same, output sizes carried to the summary) or
# tab (a CSV out in $work/tab/out.csv). The id is the title's number ("1a").
# tbl_tool KEY NAME CMD...: a tool (KEY: aug... for augment rows, else the
# peer's column: pillow opencv magick tv imb). The first is the base.
# tbl_skip KEY NAME PACKAGES: a peer that is not installed.
# tbl_run: the rounds, then the table.
tbl_begin() {
    tb_kind=$1 tb_title=$2 tb_id=${2%%.*}
    t_key=() t_name=() t_cmd=() t_state=() t_ns=() t_cpu=() t_kb=() t_out=() t_note=()
}

tbl_tool() {
    local i=${#t_key[@]}
    t_key[i]=$1 t_name[i]=$2
    shift 2
    t_cmd[i]=$(printf '%q ' "$@")
    t_state[i]=run t_ns[i]='' t_cpu[i]=- t_kb[i]='' t_out[i]=- t_note[i]=''
}

tbl_skip() {
    local i=${#t_key[@]}
    t_key[i]=$1 t_name[i]=$2 t_cmd[i]=
    t_state[i]="skipped (install $3)" t_ns[i]='' t_cpu[i]=- t_kb[i]='' t_out[i]=- t_note[i]=''
}

# the output of tool run just now: sets c_ok, c_out (bytes or rows), c_why
tbl_check() {
    c_ok=1 c_out=- c_why=
    if [ "$tb_kind" = tab ]; then
        if [ "$r_ok" != 1 ] || [ ! -s "$work/tab/out.csv" ]; then
            c_ok=0 c_why="$([ "$r_ok" = 1 ] || echo 'exit status; ')no CSV"
        else
            c_out=$(($(wc -l <"$work/tab/out.csv") - 1))
        fi
        return
    fi
    local n
    n=$(find "$work/out" -type f | wc -l)
    if [ "$r_ok" != 1 ] || [ "$n" -ne "$nimg" ]; then
        c_ok=0 c_why="$([ "$r_ok" = 1 ] || echo 'exit status; ')$n of $nimg outputs"
    else
        c_out=$(find "$work/out" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
    fi
}

tbl_run() {
    local r i
    for ((r = 0; r < runs; r++)); do
        for i in "${!t_key[@]}"; do
            [ "${t_state[i]}" = run ] || continue
            rm -rf "$work/out" "$work/tab"
            mkdir -p "$work/out" "$work/tab"
            run_once "${t_cmd[i]}"
            tbl_check
            if [ "$c_ok" != 1 ]; then
                t_state[i]="failed ($c_why; $(grep -v '^ *$' "$work/log" | tail -n 1 | cut -c1-60))"
                continue
            fi
            if [ -z "${t_ns[i]}" ] || [ "$r_ns" -lt "${t_ns[i]}" ]; then
                t_ns[i]=$r_ns t_kb[i]=$r_kb t_out[i]=$c_out
                t_cpu[i]=$(awk -v u="$r_u" -v s="$r_s" 'BEGIN { printf "%.2f", u + s }')
                t_note[i]=$(grep -h 'phases' "$work/log")
            fi
        done
    done
    rm -rf "$work/out" "$work/tab"
    tbl_print
}

tbl_print() {
    local i wall mb out bw=- bc=- last=out\ MB
    [ "$tb_kind" = tab ] && last="rows out"
    echo
    echo "== $tb_title"
    printf '  %-36s %8s %8s %8s %9s %9s %9s\n' tool "wall s" "cpu s" "peak MB" "peer/aug" "cpu ratio" "$last"
    if [ "${t_state[0]}" = run ] && [ -n "${t_ns[0]}" ]; then
        bw=$(secs "${t_ns[0]}") bc=${t_cpu[0]}
    fi
    tables+=("$tb_id")
    R[$tb_id.kind]=$tb_kind R[$tb_id.title]=$tb_title R[$tb_id.keys]=${t_key[*]}
    for i in "${!t_key[@]}"; do
        local k=$tb_id.${t_key[i]}
        R[$k.name]=${t_name[i]}
        if [ "${t_state[i]}" != run ] || [ -z "${t_ns[i]}" ]; then
            [ "${t_state[i]}" = run ] && t_state[i]="failed (no run)"
            printf '  %-36s %s\n' "${t_name[i]}" "${t_state[i]}"
            R[$k.state]=${t_state[i]}
            continue
        fi
        wall=$(secs "${t_ns[i]}")
        mb=-
        [ -n "${t_kb[i]}" ] && mb=$(awk -v k="${t_kb[i]}" 'BEGIN { printf "%.0f", k / 1024 }')
        out=${t_out[i]}
        [ "$tb_kind" != tab ] && out=$(awk -v b="$out" 'BEGIN { printf "%.1f", b / 1e6 }')
        printf '  %-36s %8s %8s %8s %9s %9s %9s\n' "${t_name[i]}" "$wall" "${t_cpu[i]}" "$mb" \
            "$(ratio "$wall" "$bw")" "$(ratio "${t_cpu[i]}" "$bc")" "$out"
        [ -n "${t_note[i]}" ] && printf '%s\n' "${t_note[i]}" | sed 's/^/      /'
        R[$k.state]=ok R[$k.wall]=$wall R[$k.cpu]=${t_cpu[i]} R[$k.mb]=$mb R[$k.out]=${t_out[i]}
    done
}

# ---- machine and peers -----------------------------------------------------
py_pil=$(pick_python PIL) || py_pil=
py_cv=$(pick_python cv2 numpy) || py_cv=
py_np_pil=$(pick_python PIL numpy) || py_np_pil=
py_imb=$(pick_python imblearn pandas) || py_imb=
py_tv=$(pick_python torchvision PIL) || py_tv=
py_np=$(pick_python numpy) || py_np=
magick=
if command -v mogrify >/dev/null 2>&1 && mogrify -version 2>/dev/null | grep -q ImageMagick; then
    magick=$(mogrify -version | sed -n 's/^Version: ImageMagick \([^ ]*\).*/\1/p')
fi
peer_version() { if [ -n "$1" ]; then pyversion "$1" "$2"; else echo missing; fi; }
v_pil=$(peer_version "$py_pil" PIL) v_cv=$(peer_version "$py_cv" cv2)
v_imb=$(peer_version "$py_imb" imblearn) v_tv=$(peer_version "$py_tv" torchvision)
v_np=$(peer_version "$py_np" numpy)
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
ncores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
load0=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)

echo "augment bench: $("$aug" --version), $ncores cores, $cpu"
echo "load average at start: $load0 (other work on the machine inflates every time)"
echo "timing: $runs interleaved rounds (each tool once per round, in turn), best wall per tool;" \
    "cpu = user+sys$([ -x /usr/bin/time ] && echo ", peak MB = max RSS") of that run;" \
    "peer/aug = peer wall / augment wall, above 1 = augment faster"
echo "peers: Pillow $v_pil, OpenCV $v_cv, ImageMagick ${magick:-missing}, imbalanced-learn $v_imb," \
    "torchvision $v_tv, numpy $v_np; every tool single-threaded"
# One thread everywhere (augment with -j 1): the ratios compare code, not
# core counts. Section 4 measures what augment's threads add.
export OMP_NUM_THREADS=1 MAGICK_THREAD_LIMIT=1 OPENBLAS_NUM_THREADS=1

# What a peer pays once per process before its first image (interpreter +
# imports), included in its times below: it matters for small jobs only.
startup() { # NAME PYTHON MODULES
    [ -n "$2" ] || return 0
    local i best=
    for ((i = 0; i < runs; i++)); do
        run_once "$(printf '%q ' "$2" -c "import $3")"
        [ "$r_ok" = 1 ] || return 0
        [ -z "$best" ] || [ "$r_ns" -lt "$best" ] && best=$r_ns
    done
    printf ' %s %ss' "$1" "$(secs "$best")"
}
echo "peer startup (python + imports, best of $runs, part of each peer's time):$(startup Pillow "$py_pil" PIL.Image)$(startup OpenCV "$py_cv" 'cv2, numpy')$(startup imbalanced-learn "$py_imb" 'pandas, imblearn.over_sampling')"

# ---- image inputs ----------------------------------------------------------
photos=/work/shared/data/images/photos
[ -d "$photos" ] || photos=$repo/examples/photos
py_gen=$(pick_python PIL) || py_gen=$(pick_python cv2) || py_gen=
imgs=
if wanted flip || wanted rotate || wanted noise || wanted threads || wanted resize ||
    wanted color || wanted randaugment || wanted kernels; then
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

# ---- 1. flip ---------------------------------------------------------------
lossless_note=
if [ -n "$imgs" ] && wanted flip; then
    for fmt in jpg png; do
        in=$imgs/$fmt
        insize=$(cat "$in"/* | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')
        if [ $fmt = jpg ]; then
            # Which path the default takes, from the manifest of a dry run.
            nl=$("$aug" flip --dry-run -q -j 1 "$in" -o "$work/out" 2>/dev/null | awk -F, 'NR > 1 && $NF == "lossless"' | wc -l)
            lossless_note="$nl of $nimg path=lossless"
            tbl_begin img "1a. decode + horizontal flip + encode, $nimg JPEG ${size}x$size in/out, quality 90 (input $insize MB); augment's default flips the DCT coefficients (manifest: $lossless_note)"
            tbl_tool aug "augment flip (lossless)" "$aug" flip -q -j 1 --quality 90 "$in" -o "$work/out"
            tbl_tool aug_reencode "augment flip --reencode (pixels)" "$aug" flip -q -j 1 --reencode --quality 90 "$in" -o "$work/out"
            # ImageMagick turns chroma subsampling off at quality >= 90;
            # 2x2 keeps it doing the same work as the others (4:2:0).
            mq=(-quality 90 -sampling-factor 2x2) zl=("" "" "")
        else
            tbl_begin img_mb "1b. decode + horizontal flip + encode, $nimg PNG ${size}x$size in/out (input $insize MB)"
            tbl_tool aug "augment flip (--png-level 2)" "$aug" flip -q -j 1 "$in" -o "$work/out"
            mq=() zl=(" (zlib 6)" " (zlib 1)" " (zlib 7)")
        fi
        if [ -n "$py_pil" ]; then
            tbl_tool pillow "Pillow${zl[0]}" "$py_pil" "$here/peer_pillow.py" flip "$in" "$work/out"
        else tbl_skip pillow Pillow python3-pil; fi
        if [ -n "$py_cv" ]; then
            tbl_tool opencv "OpenCV, 1 thread${zl[1]}" "$py_cv" "$here/peer_opencv.py" flip "$in" "$work/out"
        else tbl_skip opencv OpenCV python3-opencv; fi
        if [ -n "$magick" ]; then
            tbl_tool magick "ImageMagick mogrify -flop${zl[2]}" mogrify -path "$work/out" -flop "${mq[@]}" "$in"/*
        else tbl_skip magick "ImageMagick mogrify" imagemagick; fi
        tbl_run
    done
fi

# ---- 2. rotate and noise on JPEG -------------------------------------------
if [ -n "$imgs" ] && wanted rotate; then
    tbl_begin img "2a. rotate 30 degrees, bilinear, same size, black corners: $nimg JPEG ${size}x$size, quality 90"
    tbl_tool aug "augment rotate --angle 30" "$aug" rotate -q -j 1 --angle 30 --quality 90 "$imgs/jpg" -o "$work/out"
    if [ -n "$py_cv" ]; then
        tbl_tool opencv "OpenCV warpAffine INTER_LINEAR" "$py_cv" "$here/peer_opencv.py" rotate "$imgs/jpg" "$work/out"
    else tbl_skip opencv OpenCV python3-opencv; fi
    if [ -n "$py_pil" ]; then
        tbl_tool pillow "Pillow rotate(30, BILINEAR)" "$py_pil" "$here/peer_pillow.py" rotate "$imgs/jpg" "$work/out"
    else tbl_skip pillow Pillow python3-pil; fi
    tbl_run
fi

if [ -n "$imgs" ] && wanted noise; then
    tbl_begin img "2b. gaussian noise sigma 10 (one draw per pixel): $nimg JPEG ${size}x$size, quality 90"
    tbl_tool aug "augment noise --sigma 10" "$aug" noise -q -j 1 --sigma 10 --quality 90 "$imgs/jpg" -o "$work/out"
    if [ -n "$py_cv" ]; then
        tbl_tool opencv "OpenCV io + numpy noise" "$py_cv" "$here/peer_opencv.py" noise "$imgs/jpg" "$work/out"
    else tbl_skip opencv "OpenCV + numpy" "python3-opencv python3-numpy"; fi
    if [ -n "$py_np_pil" ]; then
        tbl_tool pillow "Pillow io + numpy noise" "$py_np_pil" "$here/peer_pillow.py" noise "$imgs/jpg" "$work/out"
    else tbl_skip pillow "Pillow + numpy" "python3-pil python3-numpy"; fi
    tbl_run
fi

# ---- 3. SMOTE --------------------------------------------------------------
smote_case() { # TITLE CSV [all]: "all" adds augment on every core
    tbl_begin tab "$1"
    tbl_tool aug "augment smote" "$aug" smote -q -j 1 "$2" -o "$work/tab/out.csv"
    if [ -n "$py_imb" ]; then
        tbl_tool imb "imbalanced-learn + pandas" "$py_imb" "$here/peer_imblearn.py" "$2" "$work/tab/out.csv"
    else tbl_skip imb imbalanced-learn "python3-imblearn python3-pandas"; fi
    [ "${3:-}" = all ] && [ "$ncores" -gt 1 ] &&
        tbl_tool aug_j "augment smote -j $ncores" "$aug" smote -q -j "$ncores" "$2" -o "$work/tab/out.csv"
    tbl_run
}

# The table path's goal: with -j 1, at most 0.1x imbalanced-learn +
# pandas' time and 0.25x its peak memory, both measured in this run.
smote_ratios() { # ID
    [ "${R[$1.aug.state]:-}" = ok ] && [ "${R[$1.imb.state]:-}" = ok ] || return 0
    local aw=${R[$1.aug.wall]} ar=${R[$1.aug.mb]} pw=${R[$1.imb.wall]} pr=${R[$1.imb.mb]}
    printf '  %-36s time %sx, peak memory %sx (goal: at most 0.1x and 0.25x)\n' \
        "augment -j 1 / imbalanced-learn:" "$(ratio "$aw" "$pw")" "$(ratio "$ar" "$pr")"
}

if wanted smote; then
    py_tab=$(pick_python numpy) || py_tab=$(pick_python) || py_tab=
    if [ -z "$py_tab" ]; then
        echo
        echo "== SMOTE ${rows}-row table skipped: making it needs python3"
    else
        for t in "3a $rows" "3c $big_rows"; do
            read -r tid n <<<"$t"
            [ "$n" -gt 0 ] || continue
            "$py_tab" "$here/gen_table.py" "$work/table.csv" "$n"
            mb=$(wc -c <"$work/table.csv" | awk '{ printf "%.0f", $1 / 1e6 }')
            smote_case "$tid. SMOTE k=5, strategy auto: $n x 20 floats, 3 classes (89.4% / 7.3% / 3.3%), $mb MB CSV; read + SMOTE + write" "$work/table.csv" all
            smote_ratios "$tid"
        done
        rm -f "$work/table.csv"
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
threads=()
speedup() { # TITLE ARGS...
    local title=$1 best1='' bestn='' i j
    shift
    for ((i = 0; i < runs; i++)); do
        for j in 1 "$ncores"; do
            rm -rf "$work/out"
            run_once "$(printf '%q ' "$aug" "$@" -q -j "$j" -o "$work/out")"
            if [ "$r_ok" != 1 ]; then
                printf '  %-44s failed: %s\n' "$title" "$(tail -n 1 "$work/log" | cut -c1-60)"
                return
            fi
            if [ "$j" = 1 ] && { [ -z "$best1" ] || [ "$r_ns" -lt "$best1" ]; }; then best1=$r_ns; fi
            if [ "$j" != 1 ] && { [ -z "$bestn" ] || [ "$r_ns" -lt "$bestn" ]; }; then bestn=$r_ns; fi
        done
    done
    rm -rf "$work/out"
    best1=$(secs "$best1") bestn=$(secs "$bestn")
    printf '  %-44s %8s %8s %9s\n' "$title" "$best1" "$bestn" "$(ratio "$best1" "$bestn")x"
    threads+=("$title$US$best1$US$bestn$US$(ratio "$best1" "$bestn")")
}
if [ -n "$imgs" ] && wanted threads; then
    echo
    echo "== 4. threads: -j 1 against -j $ncores (every core), $nimg JPEG ${size}x$size, alternated, best of $runs"
    printf '  %-44s %8s %8s %9s\n' workload "-j 1 s" "-j $ncores s" "speed-up"
    speedup "flip, JPEG in/out (lossless)" flip "$imgs/jpg"
    speedup "flip --reencode, JPEG in/out" flip --reencode --quality 90 "$imgs/jpg"
    speedup "rotate 30 degrees, JPEG in/out" rotate --angle 30 --quality 90 "$imgs/jpg"
    speedup "chain rotate | flip | noise, JPEG in/out" chain 'rotate --range -15:15 | flip --prob 0.5 | noise --sigma 8' --quality 90 "$imgs/jpg"
fi

# ---- C harnesses -----------------------------------------------------------
build_harness() { # NAME -> $work/NAME from tests/bench/NAME.c, or nothing
    # shellcheck disable=SC2086
    if ${CC:-cc} -O2 -I"$repo/include" -o "$work/$1" "$here/$1.c" "$lib" \
        ${LDLIBS:--ldeflate -lturbojpeg -lwebp -ltiff -lm} 2>"$work/cc.log"; then
        echo "$work/$1"
    else
        echo "bench: could not build tests/bench/$1.c: $(head -c 200 "$work/cc.log")" >&2
    fi
}

# best_of_rounds OUT CMD...: run CMD (which prints "NAME SIZE MS" lines) and
# append its lines to OUT; a failure leaves a line in $work/kfail.
kround() {
    local out=$1
    shift
    "$@" >>"$out" 2>"$work/klog" || echo "$(basename "$1"): $(tail -n 1 "$work/klog" | cut -c1-80)" >>"$work/kfail"
}
# the best (smallest) MS per NAME SIZE, in the order first seen
kbest() { awk '{ k = $1 " " $2; if (!(k in b)) { o[n++] = k; b[k] = $3 } else if ($3 + 0 < b[k] + 0) b[k] = $3 }
    END { for (i = 0; i < n; i++) print o[i], b[o[i]] }' "$@" 2>/dev/null; }

# ---- 5. resize, color, randaugment -----------------------------------------
# Whole process (decode + op + encode, a JPEG folder, one thread each), then
# the kernels alone: the same images decoded once into memory, the op run
# over them round after round (tests/bench/op_kernels.c against
# tests/bench/peer_op_kernels.py), augment and the peers alternated round by
# round, best round per image.
op_bin=
if [ -n "$imgs" ] && { wanted resize || wanted color || wanted randaugment; }; then
    op_bin=$(build_harness op_kernels)
fi
kernel_pair() { # ID TITLE CHAIN [PEER_OP KEY PEER_NAME]...
    local id=$1 title=$2 chain=$3 r i v
    shift 3
    local keys=(aug) names=("augment $title") cmds=() best=() state=()
    if [ -n "$op_bin" ]; then
        cmds+=("$(printf '%q ' "$op_bin" "$imgs/jpg" "$kcount" 3 "$chain")") state+=(run)
    else
        cmds+=("") state+=("failed (tests/bench/op_kernels.c did not build)")
    fi
    while [ $# -ge 3 ]; do
        local py=$py_tv need=python3-torchvision
        [ "$1" = resize-cv2 ] && py=$py_cv need=python3-opencv
        [ "$1" = resize-pil ] && py=$py_pil need=python3-pil
        keys+=("$2") names+=("$3")
        if [ -n "$py" ]; then
            cmds+=("$(printf '%q ' "$py" "$here/peer_op_kernels.py" "$1" "$imgs/jpg" "$kcount" 3)") state+=(run)
        else
            cmds+=("") state+=("skipped (install $need)")
        fi
        shift 3
    done
    for ((r = 0; r < runs; r++)); do
        for i in "${!keys[@]}"; do
            [ "${state[i]}" = run ] || continue
            if ! v=$(eval "${cmds[i]}" 2>"$work/klog") || [ -z "$v" ]; then
                state[i]="failed ($(tail -n 1 "$work/klog" | cut -c1-60))"
                continue
            fi
            if [ -z "${best[i]:-}" ] || lt "$v" "${best[i]}"; then best[i]=$v; fi
        done
    done
    echo "  kernel only, $kcount images ${size}x$size in memory, one thread, interleaved, best of $runs rounds:"
    printf '    %-36s %10s %11s\n' tool "ms/image" "peer/aug"
    tables+=("$id")
    R[$id.kind]=ms R[$id.title]="$title, kernel only" R[$id.keys]=${keys[*]}
    for i in "${!keys[@]}"; do
        local k=$id.${keys[i]}
        R[$k.name]=${names[i]}
        if [ "${state[i]}" != run ] || [ -z "${best[i]:-}" ]; then
            printf '    %-36s %s\n' "${names[i]}" "${state[i]}"
            R[$k.state]=${state[i]}
            continue
        fi
        printf '    %-36s %10s %11s\n' "${names[i]}" "${best[i]}" "$(ratio "${best[i]}" "${best[0]:--}")"
        R[$k.state]=ok R[$k.wall]=${best[i]}
    done
}

if [ -n "$imgs" ] && wanted resize; then
    tbl_begin img "5a. resize ${size}x$size -> 224x224, bilinear, antialiased: $nimg JPEG, quality 90"
    tbl_tool aug "augment resize --size 224" "$aug" resize -q -j 1 --size 224 --quality 90 "$imgs/jpg" -o "$work/out"
    if [ -n "$py_pil" ]; then
        tbl_tool pillow "Pillow resize BILINEAR (antialias)" "$py_pil" "$here/peer_pillow.py" resize "$imgs/jpg" "$work/out"
    else tbl_skip pillow Pillow python3-pil; fi
    if [ -n "$py_cv" ]; then
        tbl_tool opencv "OpenCV resize INTER_AREA" "$py_cv" "$here/peer_opencv.py" resize "$imgs/jpg" "$work/out"
    else tbl_skip opencv OpenCV python3-opencv; fi
    tbl_run
    kernel_pair 5a_k "resize --size 224" "resize --size 224" \
        resize-pil pillow "Pillow resize BILINEAR" resize-cv2 opencv "OpenCV resize INTER_AREA"
fi

if [ -n "$imgs" ] && wanted color; then
    tbl_begin img "5b. ColorJitter 0.4/0.4/0.4/0.1 (random order, hue through HSV): $nimg JPEG ${size}x$size, quality 90"
    cj="--brightness 0.4 --contrast 0.4 --saturation 0.4 --hue 0.1"
    # shellcheck disable=SC2086
    tbl_tool aug "augment color" "$aug" color -q -j 1 $cj --quality 90 "$imgs/jpg" -o "$work/out"
    if [ -n "$py_tv" ]; then
        tbl_tool tv "torchvision ColorJitter (PIL)" "$py_tv" "$here/peer_torchvision.py" color "$imgs/jpg" "$work/out"
    else tbl_skip tv torchvision python3-torchvision; fi
    tbl_run
    kernel_pair 5b_k "color" "color $cj" color tv "torchvision ColorJitter (PIL)"
fi

if [ -n "$imgs" ] && wanted randaugment; then
    tbl_begin img "5c. RandAugment, 2 ops at magnitude 9: $nimg JPEG ${size}x$size, quality 90"
    tbl_tool aug "augment randaugment" "$aug" randaugment -q -j 1 --quality 90 "$imgs/jpg" -o "$work/out"
    if [ -n "$py_tv" ]; then
        tbl_tool tv "torchvision RandAugment (PIL)" "$py_tv" "$here/peer_torchvision.py" randaugment "$imgs/jpg" "$work/out"
    else tbl_skip tv torchvision python3-torchvision; fi
    tbl_run
    kernel_pair 5c_k "randaugment" "randaugment" randaugment tv "torchvision RandAugment (PIL)"
fi

# ---- 6. kernels alone ------------------------------------------------------
# tests/bench/kernels.c and tests/bench/peer_kernels.py, alternated round by
# round, each kernel's best over every repetition of every round. Each line
# of the table: augment's kernel, the peer doing the same work, and the
# floor the hardware sets for it (memcpy of the same bytes for a flip, one
# memset per row for a constant erase, the generator's bytes for a random
# erase).
# KERNEL PEER FLOOR (- for none); decode rows have two peers.
kernel_spec='memcpy numpy_copy -
flip_h cv2_flip_h memcpy
flip_h_c1 cv2_flip_h_c1 memcpy_c1
flip_h_c4 cv2_flip_h_c4 memcpy_c4
flip_v cv2_flip_v memcpy
rotate_bilinear cv2_warpaffine_bilinear -
rotate_bicubic cv2_warpaffine_bicubic -
noise_per_channel cv2_randn_add -
noise_shared numpy_noise_shared_f32 -
erase_constant numpy_slice_fill memset_rect
erase_random numpy_slice_random rng_rect
decode_PNG pillow_decode_png -
decode_PNG cv2_decode_png -
decode_JPEG pillow_decode_jpeg -
decode_JPEG cv2_decode_jpeg -'
declare -A KA KP KR KF # augment's and the peer's best ms; peer/aug and aug/floor ratios
krows=()
if wanted kernels; then
    kbin=$(build_harness kernels)
    py_k=$(pick_python numpy cv2) || py_k=$py_np
    dec_png=() dec_jpg=()
    if [ -n "$imgs" ]; then
        mapfile -t dec_png < <(find "$imgs/png" -type f | sort | head -n "$kcount")
        mapfile -t dec_jpg < <(find "$imgs/jpg" -type f | sort | head -n "$kcount")
    fi
    : >"$work/ka" && : >"$work/kp" && : >"$work/kfail"
    for ((r = 0; r < runs; r++)); do
        [ -n "$kbin" ] && kround "$work/ka" "$kbin" "$kreps"
        [ -n "$py_k" ] && kround "$work/kp" "$py_k" "$here/peer_kernels.py" "$kreps"
        for set in png jpg; do
            if [ "$set" = png ]; then files=("${dec_png[@]}"); else files=("${dec_jpg[@]}"); fi
            [ ${#files[@]} -gt 0 ] || continue
            [ -n "$kbin" ] && kround "$work/ka" "$kbin" decode 3 "${files[@]}"
            [ -n "$py_k" ] && kround "$work/kp" "$py_k" "$here/peer_kernels.py" decode 3 "${files[@]}"
        done
    done
    while read -r n s v; do KA[$n $s]=$v; done < <(kbest "$work/ka")
    while read -r n s v; do KP[$n $s]=$v; done < <(kbest "$work/kp")
    echo
    echo "== 6. kernels alone: one thread, images in memory (random RGB, flips also 1 and 4 channels), $runs interleaved rounds, best of each kernel's repetitions; decoding: the first $kcount files of each folder, from memory, best per file"
    [ -s "$work/kfail" ] && sort -u "$work/kfail" | sed 's/^/  failed: /'
    [ -n "$kbin" ] || echo "  augment's harness (tests/bench/kernels.c) did not build"
    [ -n "$py_k" ] || echo "  peers skipped (install python3-numpy python3-opencv python3-pil)"
    [ -n "$py_k" ] && [ "$py_k" = "$py_np" ] && ! pick_python cv2 >/dev/null &&
        echo "  OpenCV rows skipped (install python3-opencv)"
    printf '  %-18s %-10s %9s  %-24s %9s %8s  %-11s %9s %9s\n' kernel size "aug ms" peer "peer ms" "peer/aug" floor "floor ms" "aug/floor"
    for sz in 512x512 4000x3000 per-image; do
        while read -r kn pn fn; do
            [ -n "${KA[$kn $sz]:-}" ] || [ -n "${KP[$pn $sz]:-}" ] || continue
            a=${KA[$kn $sz]:--} p=${KP[$pn $sz]:--} f=-
            [ "$fn" != - ] && f=${KA[$fn $sz]:--}
            shown=$sz
            [ "$sz" = per-image ] && shown="${size}x$size"
            pr=$(ratio "$p" "$a") fr=$(ratio "$a" "$f")
            printf '  %-18s %-10s %9s  %-24s %9s %8s  %-11s %9s %9s\n' "$kn" "$shown" "$a" \
                "$([ "$p" = - ] && echo "$pn (skipped)" || echo "$pn")" "$p" "$pr" "$fn" "$f" "$([ "$fn" = - ] && echo || echo "$fr")"
            krows+=("$kn$US$shown$US$a$US$pn$US$p$US$pr$US$fn$US$f$US$([ "$fn" = - ] && echo || echo "$fr")")
            KR[$kn $sz $pn]=$pr
            [ "$fn" != - ] && KF[$kn $sz]=$fr
        done <<<"$kernel_spec"
    done
fi

# ---- targets (issue 10) ----------------------------------------------------
# Each target as measured in this run: the ratio, the goal, met or not.
tg=()
target() { # LABEL MEASURED OP GOAL [NOTE]: OP >= or <=; MEASURED "-" = skipped
    local st
    if [ "$3" = ref ]; then
        st=reference
    elif [ -z "$2" ] || [ "$2" = - ]; then
        case "${5:-}" in failed*) st=$5 ;; *) st="skipped${5:+ ($5)}" ;; esac
    elif awk -v m="$2" -v g="$4" -v op="$3" 'BEGIN { exit !(op == ">=" ? m >= g : m <= g) }'; then
        st=met
    else
        st="not met"
    fi
    tg+=("$1$US${2:--}$US$([ "$3" = ref ] && echo - || echo "$3 $4")$US$st")
}
# R value of a finished table row, "-" when not run or failed
rv() { if [ "${R[$1.$2.state]:-}" = ok ]; then echo "${R[$1.$2.$3]}"; else echo -; fi; }
why() { # ID KEY [ID KEY]...: why the first row without a value has none
    local s
    while [ $# -ge 2 ]; do
        s=${R[$1.$2.state]:-}
        case "$s" in
        ok) shift 2 ;;
        "") echo "not run" && return ;;
        skipped*) s=${s#skipped (} && echo "${s%)}" && return ;;
        *) echo "$s" | cut -c1-50 && return ;;
        esac
    done
}

target "JPEG folder flip, lossless path: Pillow / augment" "$(ratio "$(rv 1a pillow wall)" "$(rv 1a aug wall)")" ">=" 3 \
    "$(why 1a pillow 1a aug)"
target "JPEG folder flip, pixel path (--reencode): Pillow / augment" "$(ratio "$(rv 1a pillow wall)" "$(rv 1a aug_reencode wall)")" ref -
target "PNG folder flip: OpenCV / augment" "$(ratio "$(rv 1b opencv wall)" "$(rv 1b aug wall)")" ">=" 1 "$(why 1b opencv 1b aug)"
target "PNG folder flip: augment bytes / Pillow bytes" "$(ratio "$(rv 1b aug out)" "$(rv 1b pillow out)")" "<=" 1 "$(why 1b pillow 1b aug)"
kskip() { if ! wanted kernels; then echo "not run"; else echo "tools missing"; fi; }
target "PNG decode: Pillow / augment" "${KR[decode_PNG per-image pillow_decode_png]:--}" ">=" 1 "$(kskip)"
for sz in 512x512 4000x3000; do
    for c in "" _c1 _c4; do
        ch=3
        [ -n "$c" ] && ch=${c#_c}
        target "flip_h $ch ch $sz: cv2.flip / augment" "${KR[flip_h$c $sz cv2_flip_h$c]:--}" ">=" 1 "$(kskip)"
        target "flip_h $ch ch $sz: augment / memcpy" "${KF[flip_h$c $sz]:--}" "<=" 3 "$(kskip)"
    done
    target "flip_v $sz: augment / memcpy" "${KF[flip_v $sz]:--}" "<=" 1.5 "$(kskip)"
done
for sz in 512x512 4000x3000; do
    target "rotate bilinear $sz: warpAffine / augment" "${KR[rotate_bilinear $sz cv2_warpaffine_bilinear]:--}" ">=" 1 "$(kskip)"
    target "rotate bicubic $sz: warpAffine / augment" "${KR[rotate_bicubic $sz cv2_warpaffine_bicubic]:--}" ">=" 1 "$(kskip)"
done
for sz in 512x512 4000x3000; do
    target "noise per channel $sz: cv2.randn+add / augment" "${KR[noise_per_channel $sz cv2_randn_add]:--}" ">=" 1 "$(kskip)"
    target "noise shared $sz: numpy float32 / augment" "${KR[noise_shared $sz numpy_noise_shared_f32]:--}" ">=" 1 "$(kskip)"
done
for sz in 512x512 4000x3000; do
    target "erase constant $sz: augment / memset per row" "${KF[erase_constant $sz]:--}" "<=" 1.5 "$(kskip)"
    target "erase random $sz: augment / generator bytes" "${KF[erase_random $sz]:--}" "<=" 1.5 "$(kskip)"
done
for t in "${threads[@]}"; do
    IFS=$US read -r tt _ _ tr <<<"$t"
    target "-j $ncores speed-up: $tt" "$tr" ref -
done

echo
echo "== targets (issue 10): ratios from this run"
printf '  %-58s %9s %8s  %s\n' target measured goal status
for t in "${tg[@]}"; do
    IFS=$US read -r a b c d <<<"$t"
    printf '  %-58s %9s %8s  %s\n' "$a" "$b" "$c" "$d"
done

# ---- the summary in markdown -----------------------------------------------
# README.md's measured tables: the workloads (augment's time, each peer's
# ratio to it), augment's -j speed-up, the kernels, the targets.
declare -A md_label=(
    [1a]="flip, JPEG in/out" [1b]="flip, PNG in/out" [2a]="rotate 30 degrees bilinear, JPEG"
    [2b]="gaussian noise sigma 10, JPEG" [3a]="SMOTE $rows x 20, CSV to CSV"
    [3b]="SMOTE breast_cancer.csv" [3c]="SMOTE $big_rows x 20, CSV to CSV" [5a]="resize to 224x224 bilinear antialiased"
    [5b]="ColorJitter 0.4/0.4/0.4/0.1" [5c]="RandAugment 2 ops at magnitude 9"
    [5a_k]="the same, kernel only" [5b_k]="the same, kernel only" [5c_k]="the same, kernel only"
)
md_cell() { # ID KEY BASEKEY -> a workload table cell
    local id=$1 k=$2 b=$3 kind=${R[$1.kind]} s=${R[$1.$2.state]:-}
    if [ "$s" != ok ]; then
        case "$s" in skipped*) echo skipped ;; *) echo failed ;; esac
        return
    fi
    local unit=s extra=
    [ "$kind" = ms ] && unit=ms
    [ "$kind" = img_mb ] && extra=$(awk -v b="${R[$id.$k.out]}" 'BEGIN { printf "%.1f MB", b / 1e6 }')
    [ "$kind" = tab ] && [ "${R[$id.$k.mb]}" != - ] && extra="${R[$id.$k.mb]} MB peak"
    if [ "$k" = "$b" ]; then
        echo "${R[$id.$k.wall]} $unit${extra:+, $extra}$([ "$kind" = img_mb ] && echo " out")"
    else
        echo "$(ratio "${R[$id.$k.wall]}" "$(rv "$id" "$b" wall)")${extra:+ ($extra)}"
    fi
}
major() { # " 4.6" from 4.6.0, " 6.9" from 6.9.11-60, nothing when missing
    case "$1" in "" | missing) ;; *) echo " $(echo "$1" | cut -d. -f1-2)" ;; esac
}
write_md() {
    local id k b label cols=(pillow opencv magick tv imb)
    local -A head=([pillow]="Pillow$(major "$v_pil")" [opencv]="OpenCV$(major "$v_cv")"
        [magick]="ImageMagick$(major "$magick")" [tv]="torchvision$(major "$v_tv")" [imb]="imbalanced-learn$(major "$v_imb")")
    local -A used=()
    : >"$work/md_rows"
    for id in "${tables[@]}"; do
        label=${md_label[$id]:-$(echo "${R[$id.title]#*. }" | cut -d: -f1)}
        for b in ${R[$id.keys]}; do
            case "$b" in aug*) ;; *) continue ;; esac
            local line
            if [ "$b" = aug ]; then line=$label; else line="the same, ${R[$id.$b.name]#augment }"; fi
            line="$line	$(md_cell "$id" "$b" "$b")"
            for k in "${cols[@]}"; do
                if [[ " ${R[$id.keys]} " == *" $k "* ]]; then
                    line="$line	$(md_cell "$id" "$k" "$b")"
                    used[$k]=1
                else
                    line="$line	"
                fi
            done
            printf '%s\n' "$line" >>"$work/md_rows"
        done
    done
    {
        echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d): $ncores cores ($cpu), load average $load0 at the start"
        echo "and $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) at the end (other work on the machine: a load near $ncores leaves augment's"
        echo "threads no idle core); $runs interleaved rounds, best of each; ratios are peer / augment, above 1 = augment faster."
        if [ ${#tables[@]} -gt 0 ]; then
            echo
            local hdr="| workload | augment |" sep="|---|---|"
            for k in "${cols[@]}"; do
                [ -n "${used[$k]:-}" ] || continue
                hdr="$hdr ${head[$k]} |" sep="$sep---|"
            done
            echo "$hdr"
            echo "$sep"
            awk -F '\t' -v u="$(for k in "${cols[@]}"; do [ -n "${used[$k]:-}" ] && printf 1 || printf 0; done)" '{
                gsub(/\|/, "\\|", $1); s = "| " $1 " | " $2 " |"
                for (i = 1; i <= length(u); i++) if (substr(u, i, 1) == "1") s = s " " $(i + 2) " |"
                print s }' "$work/md_rows"
        fi
        if [ ${#threads[@]} -gt 0 ]; then
            echo
            echo "| augment's threads, $nimg JPEG | -j 1 | -j $ncores | speed-up |"
            echo "|---|---|---|---|"
            for t in "${threads[@]}"; do
                IFS=$US read -r a b c d <<<"$t"
                echo "| ${a//|/\\|} | $b s | $c s | ${d}x |"
            done
        fi
        if [ ${#krows[@]} -gt 0 ]; then
            echo
            echo "Kernels alone, one thread, in memory (ms; decoding: per image, the first $kcount files):"
            echo
            echo "| kernel | size | augment ms | peer | peer ms | peer / augment | floor | floor ms | augment / floor |"
            echo "|---|---|---|---|---|---|---|---|---|"
            for t in "${krows[@]}"; do
                IFS=$US read -r a b c d e f g h i <<<"$t"
                [ "$g" = - ] && g='' h=''
                echo "| $a | $b | $c | $d | $e | $f | $g | $h | $i |"
            done
        fi
        if [ ${#tg[@]} -gt 0 ]; then
            echo
            echo "| target (issue 10) | measured | goal | status |"
            echo "|---|---|---|---|"
            for t in "${tg[@]}"; do
                IFS=$US read -r a b c d <<<"$t"
                echo "| ${a//|/\\|} | $b | $c | $d |"
            done
        fi
    } >"$work/bench.md"
    mkdir -p "$(dirname "$md_out")" && mv "$work/bench.md" "$md_out" && echo "summary written to $md_out"
}
if [ -n "$md_out" ]; then
    echo
    write_md
fi

echo
echo "bench done in $(($(date +%s) - started)) s; load average now: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"

#!/usr/bin/env bash
# Benchmark docgen against Hugo and against the floor program, side by side, on one machine.
#
#   bench/compare.sh [--elements N] [--runs R] [--only docgen,hugo,floor] [--scaling]
#
# Generates the synthetic element-guide corpus (bench/gen-corpus, 8 pages per element), converts
# it into an equivalent Hugo site (bench/hugo-site), then times R clean builds of each tool with
# the output on a RAM disk, after one untimed warm-up build each. Runs are interleaved (docgen,
# hugo, floor, docgen, ...) so that a slow patch of a noisy machine hits every tool alike.
# Prints median/min/max wall time, median CPU time and peak RSS per tool, and the ratios the
# performance goal is stated in. --scaling times the tools (default: docgen) at N/10 and N
# elements and prints the growth ratio instead. See bench/README.md.
#
# It installs nothing: a missing tool is reported with the command that installs it.
# Environment: BENCH_DIR (default /dev/shm/docgen-bench) holds corpora and outputs;
# DOCGEN_BIN / FLOOR_BIN use prebuilt binaries instead of building them with cargo.
set -euo pipefail

BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_SRC")
BENCH_DIR=${BENCH_DIR:-/dev/shm/docgen-bench}
ELEMENTS=1250
RUNS=5
ONLY=""
SCALING=0

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

die() { echo "compare.sh: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
    case $1 in
        --elements) [[ $# -ge 2 ]] || die "--elements needs a number"; ELEMENTS=$2; shift 2 ;;
        --elements=*) ELEMENTS=${1#*=}; shift ;;
        --runs) [[ $# -ge 2 ]] || die "--runs needs a number"; RUNS=$2; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        --only) [[ $# -ge 2 ]] || die "--only needs a list such as docgen,floor"; ONLY=$2; shift 2 ;;
        --only=*) ONLY=${1#*=}; shift ;;
        --scaling) SCALING=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
[[ $ELEMENTS =~ ^[1-9][0-9]*$ ]] || die "--elements must be a positive integer, not '$ELEMENTS'"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$RUNS'"
if [[ $SCALING == 1 && $ELEMENTS -lt 10 ]]; then
    die "--scaling compares N/10 with N elements: --elements must be at least 10"
fi

# The tools to run, in a fixed order whatever the order given to --only.
if [[ -z $ONLY ]]; then
    if [[ $SCALING == 1 ]]; then ONLY=docgen; else ONLY=docgen,hugo,floor; fi
fi
TOOLS=()
IFS=, read -r -a wanted <<<"$ONLY"
for w in "${wanted[@]}"; do
    case $w in docgen|hugo|floor) ;; *) die "--only: unknown tool '$w' (docgen, hugo, floor)" ;; esac
done
for t in docgen hugo floor; do
    for w in "${wanted[@]}"; do [[ $w == "$t" ]] && TOOLS+=("$t") && break; done
done
has_tool() { local t; for t in "${TOOLS[@]}"; do [[ $t == "$1" ]] && return 0; done; return 1; }

# --- Prerequisites: report every missing one, install none -------------------------------------
# shellcheck source=bench/lib.sh
source "$BENCH_SRC/lib.sh"
need_common
if has_tool hugo; then need hugo "hugo (Debian's package):  apt-get install hugo"; fi
if { has_tool docgen && [[ -z ${DOCGEN_BIN:-} ]]; } || { has_tool floor && [[ -z ${FLOOR_BIN:-} ]]; }; then
    need cargo "cargo (to build docgen and the floor program):  https://rustup.rs"
fi
report_missing compare.sh "Install them (as root, after apt-get update) and run again, or narrow the run with --only."
check_ram_disk compare.sh "$BENCH_DIR"

# --- Build --------------------------------------------------------------------------------------
target_dir=${CARGO_TARGET_DIR:-target}
[[ $target_dir == /* ]] || target_dir=$ROOT/$target_dir
DOCGEN=${DOCGEN_BIN:-$target_dir/release/docgen}
FLOOR=${FLOOR_BIN:-$target_dir/release/examples/floor}
build_args=()
if has_tool docgen && [[ -z ${DOCGEN_BIN:-} ]]; then build_args+=(--bin docgen); fi
if has_tool floor && [[ -z ${FLOOR_BIN:-} ]]; then build_args+=(--example floor); fi
if [[ ${#build_args[@]} -gt 0 ]]; then
    echo "== cargo build --release ${build_args[*]}"
    (cd "$ROOT" && cargo build --release "${build_args[@]}") || die "cargo build failed"
fi
if has_tool docgen; then [[ -x $DOCGEN ]] || die "no docgen binary at $DOCGEN"; fi
if has_tool floor; then [[ -x $FLOOR ]] || die "no floor binary at $FLOOR"; fi

# --- Corpus -------------------------------------------------------------------------------------
mkdir -p "$BENCH_DIR"
fingerprint() { cat "$@" | sha256sum | cut -d' ' -f1; }

# prepare_corpus N: makes $BENCH_DIR/corpus-N/site (gen-corpus) and corpus-N/hugo (hugo-site),
# reusing each while the script that made it is unchanged (a stamp file records its hash); a
# half-written tree is never reused, as it is written aside and moved into place when complete.
prepare_corpus() {
    local n=$1 dir=$BENCH_DIR/corpus-$1 site_stamp hugo_stamp tmp
    site_stamp="$n $(fingerprint "$BENCH_SRC/gen-corpus")"
    hugo_stamp="$n $(fingerprint "$BENCH_SRC/gen-corpus" "$BENCH_SRC/hugo-site")"
    mkdir -p "$dir"
    if [[ -f $dir/site.stamp && $(cat "$dir/site.stamp") == "$site_stamp" ]]; then
        echo "== reusing corpus $dir/site"
    else
        echo "== generating corpus: $n elements into $dir/site"
        rm -rf "$dir/site" "$dir/site.stamp" "$dir/hugo" "$dir/hugo.stamp"
        tmp=$(mktemp -d "$BENCH_DIR/tmp-site-$n.XXXXXX")
        python3 "$BENCH_SRC/gen-corpus" --elements "$n" --out "$tmp/site"
        mv "$tmp/site" "$dir/site" && rmdir "$tmp"
        echo "$site_stamp" >"$dir/site.stamp"
    fi
    if has_tool hugo; then
        if [[ -f $dir/hugo.stamp && $(cat "$dir/hugo.stamp") == "$hugo_stamp" ]]; then
            echo "== reusing Hugo site $dir/hugo"
        else
            echo "== converting to a Hugo site: $dir/hugo"
            rm -rf "$dir/hugo" "$dir/hugo.stamp"
            tmp=$(mktemp -d "$BENCH_DIR/tmp-hugo-$n.XXXXXX")
            python3 "$BENCH_SRC/hugo-site" "$dir/site" "$tmp/hugo"
            mv "$tmp/hugo" "$dir/hugo" && rmdir "$tmp"
            echo "$hugo_stamp" >"$dir/hugo.stamp"
        fi
    fi
}

# --- Timing -------------------------------------------------------------------------------------
RESULTS=$(mktemp "$BENCH_DIR/results.XXXXXX")
LOG=$BENCH_DIR/last-build.log
trap 'rm -f "$RESULTS"' EXIT

# run_tool TOOL N OUT: one clean build of corpus N into OUT; prints "wall_s peak_kib cpu_s load1".
run_tool() {
    local tool=$1 dir=$BENCH_DIR/corpus-$2 out=$3 cmd
    case $tool in
        docgen) cmd=("$DOCGEN" build --root "$dir/site" --output "$out") ;;
        hugo) cmd=(hugo --source "$dir/hugo" --destination "$out" --noBuildLock) ;;
        floor) cmd=("$FLOOR" "$dir/site" "$out") ;;
    esac
    rm -rf "$out"
    if ! timed "$LOG" "${cmd[@]}"; then
        echo "compare.sh: $tool failed: ${cmd[*]}" >&2
        tail -n 20 "$LOG" >&2
        exit 1
    fi
}

# bench N: a warm-up and RUNS timed builds of every tool on corpus N, interleaved; appends
# "N tool wall kib cpu load pages files" lines to RESULTS.
bench() {
    local n=$1 tool out r m pages files
    for tool in "${TOOLS[@]}"; do
        out=$BENCH_DIR/out-$tool
        echo "== $tool, $n elements: warm-up"
        run_tool "$tool" "$n" "$out" >/dev/null
        if [[ $tool != hugo ]]; then echo "   $(tail -n 1 "$LOG")"; fi
    done
    for ((r = 1; r <= RUNS; r++)); do
        for tool in "${TOOLS[@]}"; do
            out=$BENCH_DIR/out-$tool
            m=$(run_tool "$tool" "$n" "$out")
            pages=$(find "$out" -type f -name '*.html' | wc -l)
            files=$(find "$out" -type f ! -name '*.html' | wc -l)
            printf '   run %d/%d  %-6s %s s  %s KiB  cpu %s s  load %s\n' "$r" "$RUNS" "$tool" $m
            echo "$n $tool $m $pages $files" >>"$RESULTS"
        done
    done
    for tool in "${TOOLS[@]}"; do rm -rf "$BENCH_DIR/out-$tool"; done
}

echo "== machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; output in $BENCH_DIR"
LOAD_BEFORE=$(loadavg)
echo "== load average before: $LOAD_BEFORE (other work on the machine slows every tool; see README)"
has_tool hugo && echo "== $(hugo version)"
if [[ $SCALING == 1 ]]; then
    small=$((ELEMENTS / 10))
    prepare_corpus "$small"
    prepare_corpus "$ELEMENTS"
    bench "$small"
    bench "$ELEMENTS"
else
    prepare_corpus "$ELEMENTS"
    bench "$ELEMENTS"
fi

# --- Report -------------------------------------------------------------------------------------
LOAD_AFTER=$(loadavg)
echo "== load average after: $LOAD_AFTER"
python3 - "$RESULTS" "$SCALING" "$RUNS" "${LOAD_BEFORE%% *}" "${LOAD_AFTER%% *}" <<'EOF'
import os
import statistics
import sys
from collections import defaultdict

path, scaling, runs = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3])
load_before, load_after = float(sys.argv[4]), float(sys.argv[5])
rows = defaultdict(list)
for line in open(path):
    n, tool, wall, kib, cpu, _load, pages, files = line.split()
    rows[int(n), tool].append((float(wall), int(kib), float(cpu), int(pages), int(files)))

def med(values):
    return statistics.median(values)

stats = {}
for (n, tool), rs in rows.items():
    walls = [r[0] for r in rs]
    stats[n, tool] = dict(med=med(walls), min=min(walls), max=max(walls), cpu=med([r[2] for r in rs]),
                          mib=med([r[1] for r in rs]) / 1024, pages=rs[-1][3], files=rs[-1][4])

order = {"docgen": 0, "hugo": 1, "floor": 2}
print()
print(f"Results: {runs} clean builds each (after one warm-up), wall time in seconds, peak RSS in MiB")
print(f"{'elements':>8}  {'tool':<7}{'median':>8}{'min':>8}{'max':>8}{'cpu':>8}{'peak MiB':>10}"
      f"{'pages':>8}{'files':>8}")
for (n, tool), s in sorted(stats.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
    print(f"{n:>8}  {tool:<7}{s['med']:>8.3f}{s['min']:>8.3f}{s['max']:>8.3f}{s['cpu']:>8.2f}"
          f"{s['mib']:>10.1f}{s['pages']:>8}{s['files']:>8}")
print("(pages: .html files written; files: everything else; cpu: median user+sys seconds)")

def verdict(ok):
    return "ok" if ok else "MISSED"

print()
if scaling:
    small, big = sorted({n for n, _ in stats})
    print(f"Scaling, at {big} elements / at {small} elements (goal for median wall time: <= 11):")
    for tool in sorted({t for _, t in stats}, key=order.get):
        ratio = stats[big, tool]["med"] / stats[small, tool]["med"]
        cpu = stats[big, tool]["cpu"] / max(stats[small, tool]["cpu"], 0.01)
        print(f"  {tool:<7} wall {ratio:6.2f}  {verdict(ratio <= 11):<6}  (cpu {cpu:.2f})")
else:
    (n,) = {n for n, _ in stats}
    s = {tool: v for (_, tool), v in stats.items()}
    print("Ratios of median wall times (compare only figures from the same run):")
    if "docgen" in s and "hugo" in s:
        r = s["hugo"]["med"] / s["docgen"]["med"]
        print(f"  hugo / docgen  {r:6.2f}  (goal >= 2.0)  {verdict(r >= 2.0)}")
    if "docgen" in s and "floor" in s:
        r = s["docgen"]["med"] / s["floor"]["med"]
        print(f"  docgen / floor {r:6.2f}  (goal <= 1.5)  {verdict(r <= 1.5)}")
    if "hugo" in s and "floor" in s:
        print(f"  hugo / floor   {s['hugo']['med'] / s['floor']['med']:6.2f}")
    if "docgen" in s:
        mib = s["docgen"]["mib"]
        print(f"  docgen peak    {mib:6.1f} MiB  (goal < 300 MiB)  {verdict(mib < 300)}")
if max(load_before, load_after) > 1.0:
    print()
    print(f"WARNING: the machine was busy (1-minute load average {load_before:.2f} before, "
          f"{load_after:.2f} after, on {os.cpu_count()} cores):")
    print("  other processes competed for the cores; these figures are not trustworthy. Run again")
    print("  on a quiet machine (see bench/README.md).")
EOF

#!/usr/bin/env bash
# Benchmark docgen against Jekyll on the same Jekyll-era guide site, side by side.
#
#   bench/jekyll-compare.sh [--elements N] [--runs R]
#
# Generates the element-guide corpus (bench/gen-corpus, 8 pages per element; default 125
# elements, 1,001 pages), turns it into a Jekyll site with includes, data files and Liquid
# variables (bench/jekyll-site), imports that with `docgen import jekyll` into a docgen site, and
# then times R clean builds of each, interleaved (docgen, jekyll, docgen, …) after one untimed
# warm-up build each, output on a RAM disk. Jekyll's caches (.jekyll-cache, .jekyll-metadata) are
# deleted before each of its builds, as docgen's output is, so both builds are clean. Prints each
# run with the load average, then median/min/max wall time, median CPU time and peak RSS per
# tool, and Jekyll / docgen against the goal (≥ 10) three ways: medians, minimums (the runs the
# machine disturbed least) and the median of each run's pair (a docgen build and the Jekyll build
# right after it, which share the machine's mood). See bench/README.md.
#
# It installs nothing: a missing tool is reported with the command that installs it.
# Environment: BENCH_DIR (default /dev/shm/docgen-bench) holds corpora and outputs; DOCGEN_BIN
# uses a prebuilt docgen instead of building it with cargo.
set -euo pipefail

BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_SRC")
BENCH_DIR=${BENCH_DIR:-/dev/shm/docgen-bench}
ELEMENTS=125
RUNS=5
GOAL=10

die() { echo "jekyll-compare.sh: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
    case $1 in
        --elements) [[ $# -ge 2 ]] || die "--elements needs a number"; ELEMENTS=$2; shift 2 ;;
        --elements=*) ELEMENTS=${1#*=}; shift ;;
        --runs) [[ $# -ge 2 ]] || die "--runs needs a number"; RUNS=$2; shift 2 ;;
        --runs=*) RUNS=${1#*=}; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (try --help)" ;;
    esac
done
[[ $ELEMENTS =~ ^[1-9][0-9]*$ ]] || die "--elements must be a positive integer, not '$ELEMENTS'"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$RUNS'"

# shellcheck source=bench/lib.sh
source "$BENCH_SRC/lib.sh"
need_common
need jekyll "jekyll (Debian's package):  apt-get install jekyll"
if [[ -z ${DOCGEN_BIN:-} ]]; then need cargo "cargo (to build docgen):  https://rustup.rs"; fi
report_missing jekyll-compare.sh
check_ram_disk jekyll-compare.sh "$BENCH_DIR"

if [[ -z ${DOCGEN_BIN:-} ]]; then
    (cd "$ROOT" && cargo build --release --quiet --bin docgen)
    DOCGEN_BIN=$ROOT/target/release/docgen
fi

# The corpus, its Jekyll form and the docgen import of that, cached until a script changes.
CORPUS=$BENCH_DIR/jekyll-$ELEMENTS
stamp=$(cat "$BENCH_SRC/gen-corpus" "$BENCH_SRC/jekyll-site" "$DOCGEN_BIN" | sha256sum | cut -c1-16)
if [[ ! -f $CORPUS/stamp || $(cat "$CORPUS/stamp") != "$stamp" ]]; then
    rm -rf "$CORPUS"
    mkdir -p "$CORPUS"
    python3 "$BENCH_SRC/gen-corpus" --elements "$ELEMENTS" --out "$CORPUS/site" >/dev/null
    python3 "$BENCH_SRC/jekyll-site" "$CORPUS/site" "$CORPUS/jekyll"
    "$DOCGEN_BIN" import jekyll "$CORPUS/jekyll" "$CORPUS/docgen" >"$CORPUS/import-report.txt"
    echo "$stamp" >"$CORPUS/stamp"
fi
pages=$(find "$CORPUS/jekyll" -name '*.md' -not -path '*/_*' | wc -l)
echo "corpus: $ELEMENTS elements, $pages pages — $CORPUS/jekyll (Jekyll), $CORPUS/docgen (its import)"
echo "jekyll: $(jekyll --version)   docgen: $DOCGEN_BIN"

OUT=$BENCH_DIR/jekyll-out
LOG=$BENCH_DIR/jekyll-last-build.log
run_tool() { # tool → prints "wall_s peak_kib cpu_s load1"
    local tool=$1 cmd
    rm -rf "$OUT" "$CORPUS/jekyll/.jekyll-cache" "$CORPUS/jekyll/.jekyll-metadata"
    case $tool in
        docgen) cmd=("$DOCGEN_BIN" build --quiet --root "$CORPUS/docgen" --output "$OUT") ;;
        jekyll) cmd=(jekyll build --quiet --source "$CORPUS/jekyll" --destination "$OUT") ;;
    esac
    if ! timed "$LOG" "${cmd[@]}"; then
        echo "jekyll-compare.sh: $tool failed: ${cmd[*]}" >&2
        tail -n 20 "$LOG" >&2
        exit 1
    fi
}

LOAD_BEFORE=$(loadavg)
echo "machine: $(nproc) cores; load average before: $LOAD_BEFORE"
declare -A RESULTS
for tool in docgen jekyll; do run_tool "$tool" >/dev/null; done   # warm-up
for ((r = 1; r <= RUNS; r++)); do
    for tool in docgen jekyll; do
        line=$(run_tool "$tool")
        printf 'run %d %-7s %s s wall, %s KiB peak, %s s cpu, load %s\n' "$r" "$tool" $line
        RESULTS[$tool]+="$line;"
    done
done
rm -rf "$OUT"
LOAD_AFTER=$(loadavg)
echo "load average after: $LOAD_AFTER"

python3 - "$GOAL" "${RESULTS[docgen]}" "${RESULTS[jekyll]}" "${LOAD_BEFORE%% *}" "${LOAD_AFTER%% *}" <<'EOF'
import os, statistics, sys
goal = float(sys.argv[1])
def parse(s):
    return [tuple(float(x) for x in run.split()) for run in s.strip(";").split(";")]
rows = {"docgen": parse(sys.argv[2]), "jekyll": parse(sys.argv[3])}
loads = [r[3] for runs in rows.values() for r in runs] + [float(sys.argv[4]), float(sys.argv[5])]
print(f"\n{'tool':<8} {'median s':>9} {'min s':>7} {'max s':>7} {'cpu s':>7} {'peak MiB':>9}")
med, low = {}, {}
for tool, runs in rows.items():
    walls = [r[0] for r in runs]
    med[tool], low[tool] = statistics.median(walls), min(walls)
    print(f"{tool:<8} {med[tool]:>9.2f} {low[tool]:>7.2f} {max(walls):>7.2f} "
          f"{statistics.median(r[2] for r in runs):>7.2f} {statistics.median(r[1] for r in runs) / 1024:>9.0f}")
def verdict(ratio):
    return "ok" if ratio >= goal else "MISSED"
ratio = med["jekyll"] / med["docgen"]
fastest = low["jekyll"] / low["docgen"]
paired = statistics.median(j[0] / d[0] for d, j in zip(rows["docgen"], rows["jekyll"]))
print(f"\nJekyll / docgen (goal >= {goal:.0f}x):")
print(f"  medians        {ratio:5.1f}x  {verdict(ratio)}")
print(f"  minimums       {fastest:5.1f}x  {verdict(fastest)}")
print(f"  paired runs    {paired:5.1f}x  {verdict(paired)}  (median of each run's Jekyll / docgen)")
print(f"load average (1 min) during the runs: {min(loads):.2f} to {max(loads):.2f} on {os.cpu_count()} cores")
if max(loads) > 1.0:
    print("WARNING: the machine was busy: other processes competed for the cores and Jekyll's and")
    print("  docgen's times swing with them; trust the ratios only when the three agree, or rerun")
    print("  on a quiet machine.")
EOF

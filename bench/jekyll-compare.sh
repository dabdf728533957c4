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
# deleted before each of its builds, as docgen's output is, so both builds are clean. Prints
# median/min/max wall time, median CPU time and peak RSS per tool, and Jekyll / docgen against the
# goal (≥ 10). See bench/README.md.
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

missing=()
command -v python3 >/dev/null 2>&1 || missing+=("python3 (the corpus generator):  apt-get install python3")
if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time --version 2>&1 | grep -q GNU; then
    missing+=("GNU time at /usr/bin/time (wall time and peak memory):  apt-get install time")
fi
command -v jekyll >/dev/null 2>&1 || missing+=("jekyll (Debian's package):  apt-get install jekyll")
if [[ -z ${DOCGEN_BIN:-} ]]; then
    command -v cargo >/dev/null 2>&1 || missing+=("cargo (to build docgen):  https://rustup.rs")
fi
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "jekyll-compare.sh: missing prerequisites (nothing was installed):" >&2
    for m in "${missing[@]}"; do echo "  - $m" >&2; done
    exit 1
fi

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
run_tool() { # tool → prints "wall cpu maxrss_kib"
    local tool=$1 stats start end
    rm -rf "$OUT" "$CORPUS/jekyll/.jekyll-cache" "$CORPUS/jekyll/.jekyll-metadata"
    stats=$(mktemp)
    start=$EPOCHREALTIME
    case $tool in
        docgen) /usr/bin/time -f '%U %S %M' -o "$stats" "$DOCGEN_BIN" build --quiet --root "$CORPUS/docgen" --output "$OUT" >/dev/null ;;
        jekyll) /usr/bin/time -f '%U %S %M' -o "$stats" jekyll build --quiet --source "$CORPUS/jekyll" --destination "$OUT" >/dev/null ;;
    esac
    end=$EPOCHREALTIME
    read -r user sys rss <"$stats"
    rm -f "$stats"
    python3 -c "print(f'{$end - $start:.3f} {$user + $sys:.2f} $rss')"
}

declare -A RESULTS
for tool in docgen jekyll; do run_tool "$tool" >/dev/null; done   # warm-up
for ((r = 1; r <= RUNS; r++)); do
    for tool in docgen jekyll; do
        line=$(run_tool "$tool")
        printf 'run %d %-7s %s s wall, %s s cpu, %s KiB peak\n' "$r" "$tool" $line
        RESULTS[$tool]+="$line;"
    done
done

python3 - "$GOAL" "${RESULTS[docgen]}" "${RESULTS[jekyll]}" <<'EOF'
import statistics, sys
goal = float(sys.argv[1])
def parse(s):
    return [tuple(float(x) for x in run.split()) for run in s.strip(";").split(";")]
rows = {"docgen": parse(sys.argv[2]), "jekyll": parse(sys.argv[3])}
print(f"\n{'tool':<8} {'median s':>9} {'min s':>7} {'max s':>7} {'cpu s':>7} {'peak MiB':>9}")
med = {}
for tool, runs in rows.items():
    walls = [r[0] for r in runs]
    med[tool] = statistics.median(walls)
    print(f"{tool:<8} {med[tool]:>9.2f} {min(walls):>7.2f} {max(walls):>7.2f} "
          f"{statistics.median(r[1] for r in runs):>7.2f} {statistics.median(r[2] for r in runs) / 1024:>9.0f}")
ratio = med["jekyll"] / med["docgen"]
print(f"\nJekyll / docgen: {ratio:.1f}x  (goal >= {goal:.0f}x: {'ok' if ratio >= goal else 'MISSED'})")
EOF

#!/usr/bin/env bash
# What the search index costs a clean build: the CPU time (user + sys) of `docgen build` of the
# bench site with search on, against the same site with `search = false`, in alternating runs.
# The share is (with - without) / with, from the medians, from the fastest runs, and as the median of
# the runs' own shares (a run: one build with, one without, seconds apart); issue #13's budget is 10 %.
#
#   bench/search-cost.sh [--runs N] [--elements N] [--corpus DIR] BINARY...
#
# The corpus is generated (bench/gen-corpus, 1,250 elements: 10,001 pages) into
# $BENCH_DIR/search-cost-N/site (BENCH_DIR defaults to /dev/shm/docgen-bench), with a twin
# `nos` whose docgen.toml says `search = false`; `--corpus DIR` uses DIR/site and DIR/nos as
# they are.
# Several binaries (say, before and after a change) are measured in the same run, interleaved
# run by run, so a busy moment of the machine hits each alike: compare their shares from one
# run, not across runs. See bench/README.md, "Search index cost".
set -euo pipefail

runs=5
elements=1250
corpus=
bins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --elements) elements=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 1 ;;
    *) bins+=("$(realpath "$1")"); shift ;;
  esac
done
if [ ${#bins[@]} -eq 0 ]; then
  sed -n '2,15p' "$0" >&2
  exit 1
fi
if [ ! -x /usr/bin/time ]; then
  echo "needs GNU time at /usr/bin/time: apt-get install time" >&2
  exit 1
fi

here=$(cd "$(dirname "$0")" && pwd)
dir=${corpus:-${BENCH_DIR:-/dev/shm/docgen-bench}/search-cost-$elements}
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
search_twins "$dir" "$elements" "$corpus"

# CPU seconds of one clean build of $2 by $1, into a fresh folder.
build() {
  local out="$dir/out"
  rm -rf "$out"
  /usr/bin/time -o "$dir/time" -f "%U %S %e" "$1" build --quiet --root "$dir/$2" --output "$out" \
    > /dev/null 2> "$dir/stderr" || { echo "build failed:" >&2; cat "$dir/stderr" >&2; exit 1; }
  awk '{ printf "%.2f %.2f", $1 + $2, $3 }' < "$dir/time"
  rm -rf "$out"
}

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
fastest() { printf '%s\n' "$@" | sort -n | head -1; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# One untimed build each: page cache, CPU frequency.
for bin in "${bins[@]}"; do build "$bin" site > /dev/null; done
share() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", 100 * (a - b) / a }'; }
declare -A with without with_wall without_wall shares wall_shares
for run in $(seq "$runs"); do
  for n in "${!bins[@]}"; do
    read -r w ww <<< "$(build "${bins[$n]}" site)"
    read -r o ow <<< "$(build "${bins[$n]}" nos)"
    shares[$n]="${shares[$n]:-} $(share "$w" "$o" | tr -d %)"
    wall_shares[$n]="${wall_shares[$n]:-} $(share "$ww" "$ow" | tr -d %)"
    with[$n]="${with[$n]:-} $w"
    without[$n]="${without[$n]:-} $o"
    with_wall[$n]="${with_wall[$n]:-} $ww"
    without_wall[$n]="${without_wall[$n]:-} $ow"
    echo "run $run  ${bins[$n]}  CPU with $w s  without $o s  share $(share "$w" "$o")  (wall $ww / $ow s)"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
# The medians, then the fastest run of each: on a shared machine other tenants slow a build
# down and never speed it up, so the fastest runs are the least disturbed (read both).
for pick in median fastest; do
  printf '%-50s %9s %9s %7s %9s %9s %7s\n' "binary ($pick)" "CPU with" without share \
    "wall with" without share
  for n in "${!bins[@]}"; do
    # shellcheck disable=SC2086
    a=$($pick ${with[$n]}); b=$($pick ${without[$n]})
    # shellcheck disable=SC2086
    c=$($pick ${with_wall[$n]}); d=$($pick ${without_wall[$n]})
    printf '%-50s %9s %9s %7s %9s %9s %7s\n' "${bins[$n]}" "$a" "$b" "$(share "$a" "$b")" \
      "$c" "$d" "$(share "$c" "$d")"
  done
done
# The share of each run (a build with and one without, seconds apart), then their median: a
# busy stretch of the machine that slows both builds of a run moves it less than it moves the
# medians above, taken apart.
printf '%-50s %9s %9s\n' "binary (median of the runs' shares)" "CPU" wall
for n in "${!bins[@]}"; do
  # shellcheck disable=SC2086
  printf '%-50s %8s%% %8s%%\n' "${bins[$n]}" "$(median ${shares[$n]})" "$(median ${wall_shares[$n]})"
done

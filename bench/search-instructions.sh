#!/usr/bin/env bash
# What the search index costs a clean build, in instructions: `valgrind --tool=callgrind` of a
# one-thread `docgen build` of the bench corpus with search on, and of its twin with
# `search = false`, per binary. Unlike CPU seconds (search-cost.sh), instruction counts do not
# move with the machine's load, so a change of a point shows, and two binaries can be compared
# across runs. They leave out the kernel's work (file creation, page faults) and say nothing
# about wall time: read them next to search-cost.sh.
#
#   bench/search-instructions.sh [--elements N] [--corpus DIR] BINARY...
#
# The corpus is generated (bench/gen-corpus, 125 elements: 1,001 pages; callgrind runs a build
# about 50 times slower) into $BENCH_DIR/search-instructions-N/{site,nos} as search-cost.sh does;
# `--corpus DIR` uses DIR/site and DIR/nos. Prints per binary both totals, the difference and
# the share (with - without) / with, then where it goes: the own instructions of the search
# module's functions by part (the std and libc code they call, memcpy, allocation, a Markdown
# parser, are not in them), and the growth of the output check's. Needs valgrind.
set -euo pipefail

elements=125
corpus=
bins=()
while [ $# -gt 0 ]; do
  case "$1" in
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
command -v valgrind > /dev/null || { echo "needs valgrind: apt-get install valgrind" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
dir=${corpus:-${BENCH_DIR:-/dev/shm/docgen-bench}/search-instructions-$elements}
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
search_twins "$dir" "$elements" "$corpus"
work=$(mktemp -d "${TMPDIR:-/dev/shm}/search-instructions.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Instructions of one clean one-thread build of $2 by $1; the profile kept as $work/$3.
count() {
  rm -rf "$work/out"
  RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$work/$3" \
    "$1" build --quiet --root "$dir/$2" --output "$work/out" > /dev/null 2> "$work/log" \
    || { echo "build failed:" >&2; cat "$work/log" >&2; exit 1; }
  rm -rf "$work/out"
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/log"
}

# Where the instructions of profiles $1 (search on) and $2 (off) go: self costs (each
# function's own instructions, inlined code included) summed by what the function belongs to.
# Self costs, not inclusive ones: with rayon the inclusive cost of a function depends on which
# thread ran its parallel parts, its own cost does not.
parts() {
  callgrind_annotate --auto=no --threshold=100 "$1" 2> /dev/null > "$work/self-with"
  callgrind_annotate --auto=no --threshold=100 "$2" 2> /dev/null > "$work/self-without"
  python3 - "$work/self-with" "$work/self-without" <<'EOF'
import re
import sys


def load(path):
    costs, total = {}, 0
    for line in open(path, errors="replace"):
        m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(\S.*?)(?: \[.*\])?$", line)
        if not m:
            continue
        count = int(m.group(1).replace(",", ""))
        if "PROGRAM TOTALS" in line:
            total = count
        elif ":" in m.group(2):
            # file:function, the file being where the code (maybe inlined) was written.
            key = tuple(m.group(2).split(":", 1))
            costs[key] = costs.get(key, 0) + count
    return costs, total


(with_search, total), (without, _) = load(sys.argv[1]), load(sys.argv[2])
# A search function's own instructions (the std code inlined into it too), and the search
# module's code inlined elsewhere (the shards' parallel parts run as rayon closures, named
# `call_mut`).
rows = [
    ("the search module's own code (docgen::search)", r"^docgen::search::", r"(^|/)src/search(\.rs|/)"),
    ("  words counted (Stems)", r"^docgen::search::terms::", r"(^|/)src/search/terms\.rs"),
    ("  section text from the render's events, or read alone (extract)", r"^docgen::search::extract::", r"(^|/)src/search/extract\.rs"),
    ("  fragment JSON, manifest and shards (shards)", r"^docgen::search::shards::", r"(^|/)src/search/shards\.rs"),
    ("  records (index_page)", r"^docgen::search::(index_page|lines)", r"(^|/)src/search\.rs"),
]
for label, function_pattern, file_pattern in rows:
    value = sum(
        v
        for (file, f), v in with_search.items()
        if re.search(function_pattern, f)
        or (not f.startswith("docgen::search::") and re.search(file_pattern, file))
    )
    print(f"  {value / 1e6:8.1f} M  {100 * value / total:4.1f} %  {label}")
# Outside the index: every page carries the search box, which the output check reads (the
# HTML tokenizer).
for label, pattern in [
    ("output check: HTML tokenizer and raw_html (html5gum, raw_html, output_links)",
     r"^(html5gum::|docgen::raw_html|docgen::output_links)"),
]:
    a = sum(v for (_, f), v in with_search.items() if re.search(pattern, f))
    b = sum(v for (_, f), v in without.items() if re.search(pattern, f))
    print(f"  {(a - b) / 1e6:+8.1f} M  {100 * (a - b) / total:4.1f} %  {label}, with against without")
EOF
}

for n in "${!bins[@]}"; do
  bin=${bins[$n]}
  with=$(count "$bin" site "with-$n")
  without=$(count "$bin" nos "without-$n")
  echo "$bin"
  awk -v a="$with" -v b="$without" 'BEGIN {
    printf "  with search %.1f M, without %.1f M, difference %.1f M: share %.1f %%\n",
      a / 1e6, b / 1e6, (a - b) / 1e6, 100 * (a - b) / a }'
  parts "$work/with-$n" "$work/without-$n"
done

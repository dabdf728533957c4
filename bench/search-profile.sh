#!/usr/bin/env bash
# The search index's share of one clean build, from CPU samples: `perf record` of
# `docgen build SITE`, then the share of samples whose stack passes through the index stage
# (`write_search`, `Site::search_index`) and through its parts. Unlike the A/B CPU times of
# search-cost.sh, a share taken inside one process hardly moves when other jobs load the machine (both parts slow
# alike). It misses what search costs outside that stage (the reserved-folder check, the box
# in every page, memory): read it next to search-cost.sh, not instead of it.
#
#   bench/search-profile.sh BINARY SITE_DIR [FREQUENCY]
#
# Needs `perf` (Debian: apt-get install linux-perf) and python3; the binary should carry debug
# info (the release profile does).
set -euo pipefail
bin=$(realpath "$1")
site=$2
freq=${3:-299}
tmp=$(mktemp -d "${TMPDIR:-/dev/shm}/search-profile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
perf record -q -F "$freq" --call-graph dwarf,32768 -o "$tmp/perf.data" \
  "$bin" build --quiet --root "$site" --output "$tmp/out" > /dev/null 2>&1
perf script -i "$tmp/perf.data" -F ip,sym 2> /dev/null > "$tmp/stacks.txt"
python3 - "$tmp/stacks.txt" <<'EOF'
import re
import sys

samples, current = [], []
for line in open(sys.argv[1], errors="replace"):
    if line.strip():
        current.append(line.strip())
    elif current:
        samples.append(current)
        current = []
if current:
    samples.append(current)
total = len(samples)
parts = [
    ("index stage (write_search / search_index)", None),
    ("  page records and fragments (index_page)", "search::index_page"),
    ("    section text (extract::sections)", "extract::sections"),
    ("    its Markdown parse", None),
    ("    words counted (for_each_word, Stems)", None),
    ("    fragment JSON", "fragment_json"),
    ("  fragment files written (OutputDir::write)", None),
    ("  manifest and shards (shard_files)", "shard_files"),
    ("  kernel page clearing for fresh memory (clear_page)", "clear_page"),
]


def stage(s):
    # The stage's own frames, and its rayon workers' closures.
    return any("write_search" in f or "search_index" in f or "SearchIndex::write" in f for f in s)


def stage_and(name):
    return lambda s: stage(s) and any(name in f for f in s)


def share(test):
    return 100 * sum(1 for s in samples if test(s)) / total


def through(name):
    return lambda s: any(name in f for f in s)


print(f"{total} samples")
for label, name in parts:
    if "index stage" in label:
        test = stage
    elif name is not None:
        test = stage_and(name)
    elif "parse" in label:
        test = lambda s: through("extract::sections")(s) and through("pulldown_cmark")(s)
    elif "words" in label:
        test = lambda s: through("search::index_page")(s) and (
            through("for_each_word")(s) or through("Stems::")(s))
    else:
        test = lambda s: stage(s) and through("OutputDir::write")(s)
    print(f"{share(test):5.1f}%  {label}")
EOF

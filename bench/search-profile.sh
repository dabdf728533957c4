#!/usr/bin/env bash
# The search index's share of one clean build, from CPU samples: `perf record` of
# `docgen build SITE`, then the share of samples whose stack passes through the index's code
# (the section text read from the render's events; records, fragments and files made in the
# write stage) and through its parts. Unlike the A/B CPU times of
# search-cost.sh, a share taken inside one process hardly moves when other jobs load the machine (both parts slow
# alike). It misses what search costs outside its code (the output check and the writes of
# the search box in every page, memory): read it next to search-cost.sh and
# search-instructions.sh, not instead of them.
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
    ("search index, all its parts", None),
    ("  page records and fragments (index_page, in the write stage)", "search::index_page"),
    ("    words counted (Stems::count_words)", "Stems::count_words"),
    ("    fragment JSON", "fragment_json"),
    ("  section text from the render's events (Sections::event)", "Sections::event"),
    ("  section text read alone (extract::sections: pages the render did not index)", "extract::sections"),
    ("  records, fragment files, manifest and shards (search_index)", "search_index"),
    ("    records given the site's numbers (Vocabulary::adopt)", "Vocabulary::adopt"),
    ("    manifest and shards (shard_files)", "shard_files"),
]
# The frames whose samples are the index's: the sections are read in the render stage, while
# each page renders; records, fragments and files are made in the write stage.
SEARCH = ("search::index_page", "Sections::event", "extract::sections", "SearchIndex::write",
          "search_index", "shard_files")


def names(name):
    # A whole name: `extract::sections` must not match `extract::sections_while`, the frame
    # that wraps a page's whole render.
    return re.compile(re.escape(name) + r"(?![A-Za-z0-9_])")


SEARCH_NAMES = [names(name) for name in SEARCH]


def search(s):
    return any(any(name.search(f) for name in SEARCH_NAMES) for f in s)


def share(test):
    return 100 * sum(1 for s in samples if test(s)) / total


def through(name):
    whole = names(name)
    return lambda s: any(whole.search(f) for f in s)


print(f"{total} samples")
for label, name in parts:
    test = search if name is None else through(name)
    print(f"{share(test):5.1f}%  {label}")
EOF

#!/usr/bin/env bash
# Worst cases of link handling and diagnostics (issue #11, "linear worst cases"): pages holding
# 100,000 links on one line, broken or valid, in ASCII or surrounded by non-ASCII text, and
# 10,000 identical broken links; the same among Liquid (every link located through the page's
# templating source map), and 20,000 undefined variables among non-ASCII text with
# `undefined_variables = "warn"`. Each case is a small site with one hostile page among a few
# ordinary ones; `docgen check` must finish in well under a second with memory proportional to
# the page. Prints wall seconds, peak RSS and the exit code per case and format.
#
#   bench/hostile-links.sh                     # builds target/release/docgen first
#   DOCGEN_BIN=/path/to/docgen bench/hostile-links.sh
#   bench/hostile-links.sh --runs 3 --cases broken-ascii,valid-utf8
#   DOCGEN_BIN="before=/tmp/docgen-old after=target/release/docgen" bench/hostile-links.sh --runs 5
#
# With several binaries (`label=path`, space-separated) the runs alternate between them, so a
# busy machine slows each alike; with more than one run the medians are printed too, and the
# load average before and after.
#
# Needs python3 and GNU time at /usr/bin/time (Debian package `time`).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
runs=1
cases="broken-ascii,broken-utf8,valid-ascii,valid-utf8,identical,liquid-utf8,undefined-utf8"
formats="human,json"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --cases) cases="$2"; shift 2 ;;
        --formats) formats="$2"; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
missing=0
for tool in python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; missing=1; }
done
[ -x /usr/bin/time ] || { echo "install GNU time: apt-get install time" >&2; missing=1; }
[ "$missing" = 0 ] || exit 1

dir="${BENCH_DIR:-/dev/shm/docgen-bench}/hostile-links"
if [ -z "${DOCGEN_BIN:-}" ]; then
    (cd "$here/.." && cargo build --release --bin docgen >&2)
    DOCGEN_BIN="$here/../target/release/docgen"
fi

# One site per case: docgen.toml, a home page, a guide, and content/hostile.md.
python3 - "$dir" <<'EOF'
import os, sys
root = sys.argv[1]
N = 100_000
utf8 = "Überprüfen Sie die Verbindung — 接続を確認 "
cases = {
    # 100,000 distinct broken targets on one line.
    "broken-ascii": "".join(f"[x](missing-{n}.html) " for n in range(N)),
    "broken-utf8": "".join(f"{utf8}[x](missing-{n}.html) " for n in range(N)),
    # 100,000 links that resolve, on one line.
    "valid-ascii": "[guide](guide.md) " * N,
    "valid-utf8": f"{utf8}[guide](guide.md) " * N,
    # 10,000 identical broken links, one per line.
    "identical": "See the [setup guide](setp.html) first.\n" * 10_000,
    # 100,000 valid links among non-ASCII text in a page with Liquid: each link's place comes
    # through the templating source map.
    "liquid-utf8": "{{ page.title }} " + f"{utf8}[guide](guide.md) " * N,
    # 20,000 undefined variables on one line among non-ASCII text (a warning each, as Jekyll
    # renders them empty; the first 200 listed).
    "undefined-utf8": "".join(f"{utf8}{{{{ page.v{n} }}}} " for n in range(20_000)),
}
# docgen.toml lines of a case beyond the common ones.
settings = {"undefined-utf8": 'undefined_variables = "warn"\n'}
for name, body in cases.items():
    site = os.path.join(root, name)
    os.makedirs(os.path.join(site, "content"), exist_ok=True)
    files = {
        "docgen.toml": 'title = "Hostile"\nbase_url = "https://docs.example.com"\n'
        + settings.get(name, ""),
        "content/index.md": "---\ntitle: Home\n---\n# Home\n\nSee the [guide](guide.md).\n",
        "content/guide.md": "---\ntitle: Guide\n---\n# Guide\n\nBack [home](index.md).\n",
        "content/hostile.md": f"---\ntitle: Hostile\n---\n# Hostile\n\n{body}\n",
    }
    for rel, text in files.items():
        path = os.path.join(site, rel)
        try:
            with open(path, encoding="utf-8") as f:
                if f.read() == text:
                    continue
        except FileNotFoundError:
            pass
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
EOF

bins=()
for spec in $DOCGEN_BIN; do
    case "$spec" in
        *=*) bins+=("$spec") ;;
        *) bins+=("docgen=$spec") ;;
    esac
done
results="$dir/results.txt"
: >"$results"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-15s %-6s %8s %9s %5s %12s\n' binary case format wall_s peak_MiB exit output_KiB
IFS=, read -ra case_list <<<"$cases"
IFS=, read -ra format_list <<<"$formats"
for name in "${case_list[@]}"; do
    for format in "${format_list[@]}"; do
        for _ in $(seq "$runs"); do
            for spec in "${bins[@]}"; do
                label="${spec%%=*}"
                bin="${spec#*=}"
                site="$dir/$name"
                start=$EPOCHREALTIME
                set +e
                /usr/bin/time -f '%M' -o "$dir/time.txt" \
                    "$bin" check --root "$site" --format "$format" --color never \
                    >"$dir/stdout.txt" 2>"$dir/stderr.txt"
                code=$?
                set -e
                end=$EPOCHREALTIME
                rss=$(tail -1 "$dir/time.txt")
                wall=$(python3 -c "print(f'{$end - $start:.3f}')")
                size=$(( ($(stat -c %s "$dir/stderr.txt") + $(stat -c %s "$dir/stdout.txt")) / 1024 ))
                printf '%-8s %-15s %-6s %8s %9s %5s %12s\n' "$label" "$name" "$format" "$wall" \
                    "$((rss / 1024))" "$code" "$size"
                echo "$label $name $format $wall $((rss / 1024))" >>"$results"
            done
        done
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$runs" -gt 1 ]; then
    echo
    echo "medians of $runs runs (wall seconds, peak MiB)"
    python3 - "$results" <<'EOF'
import statistics, sys
rows, labels = {}, []
for line in open(sys.argv[1]):
    label, case, fmt, wall, rss = line.split()
    if label not in labels:
        labels.append(label)
    rows.setdefault((case, fmt), {}).setdefault(label, []).append((float(wall), int(rss)))
print(f"{'case':13} {'format':6} " + " ".join(f"{l:>16}" for l in labels))
for (case, fmt), by in rows.items():
    cells = []
    for l in labels:
        runs = by.get(l, [])
        wall = statistics.median(r[0] for r in runs)
        rss = statistics.median(r[1] for r in runs)
        cells.append(f"{wall:8.3f} {rss:7.0f}")
    print(f"{case:13} {fmt:6} " + " ".join(cells))
EOF
fi

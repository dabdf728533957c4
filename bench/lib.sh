# Shared by the benchmark drivers (compare.sh, jekyll-compare.sh, search-cost.sh,
# search-instructions.sh), which source it: checks that report every missing prerequisite with
# the command that installs it (and install none), the RAM-disk check, one clean timed build of
# a command, the load average, and the search benchmarks' twin corpora.
# shellcheck shell=bash

MISSING=()

# need COMMAND HINT: records HINT unless COMMAND is on the PATH.
need() { command -v "$1" >/dev/null 2>&1 || MISSING+=("$2"); }

# need_common: what every driver needs — python3 (the corpus generator and the report) and GNU
# time (CPU time and peak memory).
need_common() {
    need python3 "python3 (the corpus generator):  apt-get install python3"
    if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time --version 2>&1 | grep -q GNU; then
        MISSING+=("GNU time at /usr/bin/time (wall time and peak memory):  apt-get install time")
    fi
}

# report_missing SCRIPT [ADVICE]: lists what is missing and exits 1, or returns when nothing is.
report_missing() {
    [[ ${#MISSING[@]} -eq 0 ]] && return 0
    echo "$1: missing prerequisites (nothing was installed):" >&2
    local m
    for m in "${MISSING[@]}"; do echo "  - $m" >&2; done
    [[ -n ${2:-} ]] && echo "$2" >&2
    exit 1
}

# check_ram_disk SCRIPT DIR: DIR's parent must exist; warns when it is not a tmpfs.
check_ram_disk() {
    local parent
    parent=$(dirname "$2")
    [[ -d $parent ]] || { echo "$1: $parent does not exist; set BENCH_DIR to a folder on a RAM disk (tmpfs)" >&2; exit 1; }
    case $(df --output=fstype "$parent" 2>/dev/null | tail -1) in
        tmpfs|ramfs) ;;
        *) echo "$1: warning: $2 is not on a RAM disk; disk I/O will blur the figures" >&2 ;;
    esac
}

# timed LOG CMD...: runs CMD once with its output in LOG; prints "wall_s peak_kib cpu_s load1"
# (wall time from bash's EPOCHREALTIME, peak RSS and user+sys CPU from GNU time, the 1-minute
# load average when it ended). Returns CMD's status.
timed() {
    local log=$1 timefile start end kib user sys
    shift
    timefile=$(mktemp)
    start=$EPOCHREALTIME
    if ! /usr/bin/time -f '%M %U %S' -o "$timefile" "$@" >"$log" 2>&1; then
        rm -f "$timefile"
        return 1
    fi
    end=$EPOCHREALTIME
    # The last line: GNU time puts a child's "Command exited..." note before its own line.
    read -r kib user sys < <(tail -n 1 "$timefile")
    rm -f "$timefile"
    python3 -c "import sys; s, e, u, y = map(float, sys.argv[1:5]); print(f'{e - s:.3f} $kib {u + y:.2f} ' + sys.argv[5])" \
        "$start" "$end" "$user" "$sys" "$(loadavg1)"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
loadavg1() { cut -d' ' -f1 /proc/loadavg; }

# search_twins DIR ELEMENTS CORPUS: the search benchmarks' corpus DIR/site and its twin DIR/nos,
# whose docgen.toml says `search = false` and whose content is hard links to the first one's
# (docgen only reads it). With CORPUS (a `--corpus` given), DIR is that folder, used as it is;
# otherwise the corpus is generated (`gen-corpus --elements ELEMENTS`) and kept, and made again
# when gen-corpus changes.
search_twins() {
    local dir=$1 elements=$2 corpus=$3 here kind
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    if [[ -n $corpus ]]; then
        for kind in site nos; do
            [[ -d $dir/$kind/content ]] || { echo "no $dir/$kind/content" >&2; exit 1; }
        done
    elif [[ ! -f $dir/stamp ]] || [[ "$(cat "$dir/stamp")" != "$(sha1sum < "$here/gen-corpus")" ]]; then
        rm -rf "$dir"
        mkdir -p "$dir"
        python3 "$here/gen-corpus" --elements "$elements" --out "$dir/site" > /dev/null
        mkdir -p "$dir/nos"
        cp -al "$dir/site/content" "$dir/nos/content"
        grep -v '^search' "$dir/site/docgen.toml" > "$dir/nos/docgen.toml"
        echo 'search = false' >> "$dir/nos/docgen.toml"
        sha1sum < "$here/gen-corpus" > "$dir/stamp"
    fi
}

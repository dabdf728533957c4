#!/bin/sh
# Seeds the fuzz corpora from the example site (run from the repository root): every page for
# the page targets, the site's URLs and some hostile ones for the request-path checker.
set -e
for target in front_matter markdown_links liquid; do
    mkdir -p "fuzz/corpus/$target"
    find content includes -type f \( -name '*.md' -o -name '*.html' \) | while read -r f; do
        cp "$f" "fuzz/corpus/$target/$(echo "$f" | tr '/' '_')"
    done
done
mkdir -p fuzz/corpus/request_path
i=0
for path in / /index.html /elements/box/ /elements/box /img/a%20b.png /%2e%2e/etc/passwd \
    /a/./b.html /.docgen-output '/a%5c..%5cb' /C:/x //etc /caf%C3%A9.html '/%ff'; do
    printf '%s' "$path" > "fuzz/corpus/request_path/seed-$i"
    i=$((i + 1))
done

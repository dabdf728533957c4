//! Tests of the raw-HTML scan: the links, ids and nesting problems found in HTML blocks and inline tags.

use super::*;

fn refs(html: &str) -> Vec<(String, &'static str, String)> {
    let mut found = Vec::new();
    for_each_start_tag(html, |tag| {
        for r in url_refs(tag, html) {
            found.push((r.url.clone(), r.attr, html[r.span.clone()].to_string()));
        }
    });
    found
}

#[test]
fn url_attributes_in_every_quoting_with_entities_decoded() {
    let html = "<a href=#set-up>x</a><a href='events.html'>y</a>\
                    <a href=\"a.html?x=1&amp;y=2\">z</a><img alt=\"\" src=img/logo.png>\
                    <video src=v.mp4 poster=p.jpg></video><object data=o.svg></object>\
                    <link rel=stylesheet href=\" s.css \"><script src=app.js></script>\
                    <div href=not-a-link></div><a name=top></a><a href=\"\">self</a>";
    let found = refs(html);
    let urls: Vec<(&str, &str)> = found.iter().map(|(u, a, _)| (u.as_str(), *a)).collect();
    assert_eq!(
        urls,
        [
            ("#set-up", "a href"),
            ("events.html", "a href"),
            ("a.html?x=1&y=2", "a href"),
            ("img/logo.png", "img src"),
            ("v.mp4", "video src"),
            ("p.jpg", "video poster"),
            ("o.svg", "object data"),
            ("s.css", "link href"),
            ("app.js", "script src"),
        ]
    );
    // Spans point at what was written: the entity as written, the URL without its spaces.
    assert_eq!(found[2].2, "a.html?x=1&amp;y=2");
    assert_eq!(found[7].2, "s.css");
    assert_eq!(found[0].2, "#set-up");
}

#[test]
fn every_srcset_candidate_is_a_url() {
    let html = "<img srcset=\"small.png 1x, big.png 2x,huge.png  640w,a,b.png\">";
    let found = refs(html);
    let urls: Vec<&str> = found.iter().map(|(u, _, _)| u.as_str()).collect();
    // As in browsers, a comma inside a URL is part of it: only trailing commas separate.
    assert_eq!(urls, ["small.png", "big.png", "huge.png", "a,b.png"]);
    assert_eq!(found[1].2, "big.png");
    assert_eq!(
        srcset_candidates("x.png (a,b) 1x, y.png"),
        [0..5, 16..21],
        "commas inside parentheses belong to the descriptor"
    );
    assert_eq!(
        rewrite_srcset(
            "a.png 1x, b.png 2x",
            &["/x/a.png".into(), "/x/b.png".into()]
        ),
        "/x/a.png 1x, /x/b.png 2x"
    );
}

#[test]
fn script_text_is_not_markup() {
    let html = "<script>if (a<b && c>d) { x = '<a href=\"no.html\">'; }</script><a href=yes.html>";
    let urls: Vec<String> = refs(html).into_iter().map(|(u, _, _)| u).collect();
    assert_eq!(urls, ["yes.html"]);
}

#[test]
fn ids_and_names_are_anchors() {
    let mut ids = Vec::new();
    for_each_start_tag(
        "<a id=\"legacy\"></a><div name='old' id=x&amp;y></div><p id=\"\">",
        |tag| ids.extend(anchor_ids(tag).map(str::to_string)),
    );
    assert_eq!(ids, ["legacy", "old", "x&y"]);
}

#[test]
fn edits_requote_and_escape_values() {
    let html = "<a href=x.md class=c><img src='y.png'><a href=\"z\">";
    let mut edits = Vec::new();
    for_each_start_tag(html, |tag| {
        for r in url_refs(tag, html) {
            edits.push(Edit {
                span: r.value_span,
                value: format!("/new/{}?a=1&b=2", r.url),
            });
        }
    });
    assert_eq!(
        apply_edits(html, edits),
        "<a href=\"/new/x.md?a=1&amp;b=2\" class=c><img src=\"/new/y.png?a=1&amp;b=2\"><a href=\"/new/z?a=1&amp;b=2\">"
    );
}

#[test]
fn the_fast_scan_of_rendered_pages_finds_what_the_tokenizer_finds() {
    let html = "<!doctype html><html><head><title>a <a href=no.html></title>\
            <script>if (a<b) { s = '<a href=\"no2.html\">'; }</script>\
            <link rel=stylesheet href=\"/t.css\"></head><body><!-- <a href=no3.html> -->\
            <p title=\"x > y\" id=p1>t</p><a class=x href='/a.html?x=1&amp;y=2'>\
            <svg viewBox=\"0 0 1 1\"><path d=\"M0 0\"/></svg><img srcset=\"a.png 1x, b.png 2x\">\
            <STYLE>.a{background:url(<a href=no4.html>)}</STYLE><a name=old><area href=m.html>";
    let collect = |fast: bool| {
        let mut found = Vec::new();
        let mut visit = |tag: &StartTag| {
            for r in url_refs(tag, html) {
                found.push((r.url.clone(), html[r.span.clone()].to_string()));
            }
            for id in anchor_ids(tag) {
                found.push((format!("#{id}"), String::new()));
            }
        };
        if fast {
            for_each_link_tag(html, &mut visit);
        } else {
            for_each_start_tag(html, &mut visit);
        }
        found
    };
    let fast = collect(true);
    assert_eq!(fast, collect(false));
    let urls: Vec<&str> = fast.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(
        urls,
        [
            "/t.css",
            "#p1",
            "/a.html?x=1&y=2",
            "a.png",
            "b.png",
            "#old",
            "m.html"
        ]
    );
    assert_eq!(
        fast[2].1, "/a.html?x=1&amp;y=2",
        "spans are positions in the page"
    );
}

#[test]
fn hostile_markup_does_not_panic() {
    for html in [
        "<a href=",
        "<a href=\"unterminated",
        "<img srcset=\",,,\">",
        "<a href='x' href='y'>",
        "<<a =x href=é.html>",
        "<!-- <a href=c.html> -->",
        "<a href='x>",
        "<script src=x.js>",
        "<!--",
        "<a",
    ] {
        let _ = refs(html);
        for_each_link_tag(html, |_| {});
    }
    assert_eq!(
        refs("<a href='x' href='y'>")[0].0,
        "x",
        "the first value wins"
    );
    assert!(refs("<!-- <a href=c.html> -->").is_empty());
}

#[test]
fn must_close_tags_are_read_as_a_browser_reads_them() {
    let marks = |html: &str| -> Vec<String> {
        must_close_tags(html)
            .into_iter()
            .map(|m| {
                format!(
                    "{}{}@{}",
                    if m.end { "/" } else { "" },
                    m.name,
                    m.span.start
                )
            })
            .collect()
    };
    assert_eq!(
        marks("<div class=\"a>b\"><p>x<br><SPAN>y</span></DIV>"),
        ["div@0", "span@25", "/span@32", "/div@39"]
    );
    assert_eq!(
        marks("<!-- <div> --><div/><img src=x><li>"),
        Vec::<String>::new()
    );
    assert_eq!(marks("<script>\"</div>\"</script><b>"), ["b@25"]);
    assert_eq!(marks("a < b and <3 and </ div>"), Vec::<String>::new());
}

#[test]
fn plain_tags_are_read_alone_as_in_the_run_of_the_page() {
    for (text, plain) in [
        ("<a href=\"x.html\">", true),
        ("<a href='x.html' class=c>", true),
        ("<a href = \"x\" hidden>", true),
        ("<br/>", true),
        ("<a href=x/>", true),
        ("<a hidden/>", true),
        ("<DIV ID=Upper>", true),
        ("<a href=\"a&amp;b\">", true),
        ("<a href=\"x > y\">", true),
        ("<a =\">", false),
        ("<a b==c>", false),
        ("<a href=\"x\"class=y>", false),
        ("<a href=\"x\"/ id=y>", false),
        ("<a href='x>", false),
        ("<a href=x", false),
        ("<a href=x\"y>", false),
        ("<a/b>", false),
        ("<a b\"c=d>", false),
        ("<a:b c=d>", false),
    ] {
        let read = read_plain_tag(text);
        assert_eq!(read.is_some(), plain, "{text}");
        if let Some(tag) = read {
            // What the tokenizer reads of the same text in a page.
            let page = format!("<p id=before>{text}<p id=after>");
            let mut tags = Vec::new();
            for_each_start_tag(&page, |t| tags.push(t.clone()));
            let in_page = &tags[1];
            assert_eq!(tag.name, in_page.name, "{text}");
            let attrs = |t: &StartTag| -> Vec<(String, String)> {
                t.attrs
                    .iter()
                    .map(|a| (a.name.clone(), a.value.clone()))
                    .collect()
            };
            assert_eq!(attrs(&tag), attrs(in_page), "{text}");
            assert_eq!(tags[2].attr("id").map(|a| a.value.as_str()), Some("after"));
        }
    }
    assert_eq!(
        read_plain_tag("<a href=x/>")
            .unwrap()
            .attr("href")
            .unwrap()
            .value,
        "x/",
        "a slash ends an unquoted value only at the tag's end, as part of it"
    );
}

#[test]
fn link_tag_spans_are_the_tags_the_fast_scan_reads() {
    let html = "<p>t</p><a href=a.html>a</a><!-- <a href=c.html> --><span id=s>x</span>\
                <script>'<a href=d.html>'</script><div class=x></div><img src=i.png";
    let spans: Vec<&str> = link_tag_spans(html).into_iter().map(|r| &html[r]).collect();
    assert_eq!(
        spans,
        [
            "<a href=a.html>",
            "<span id=s>",
            "<script>",
            "<img src=i.png"
        ]
    );
}

#[test]
fn plain_tags_read_from_their_bytes_as_the_tokenizer_reads_them() {
    // A fixed seed's plain and odd tags: where a tag is plain, reading it from its bytes gives
    // the tokenizer's reading (names, values and where each value was written).
    let pieces = [
        "<a", "<IMG", "<div", " ", "\t", "\n", "href", "ID", "src", "data-x", "=", "\"", "'",
        "x.html", "#f", "a b", "/", "é", "&amp;", "&", "\r\n", ">", "`", "<", "HREF",
    ];
    let mut seed: u64 = 0xfeed;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let mut plain = 0;
    for _ in 0..20000 {
        let mut text = String::new();
        if next() % 2 == 0 {
            let len = 1 + next() % 12;
            text.extend((0..len).map(|_| pieces[next() % pieces.len()]));
        } else {
            // Shaped like a tag: a name, then attributes with or without values.
            let names = ["a", "IMG", "h2", "x-y"];
            let attrs = ["href", "ID", "src", "data-x", "é", "HREF", "name"];
            let values = ["x.html", "\"a b\"", "'#f'", "\"\"", "x/", "\"&amp;\"", "é"];
            let gaps = [" ", "\t", "\n", "  ", "\r\n"];
            text.push('<');
            text.push_str(names[next() % names.len()]);
            for _ in 0..next() % 5 {
                text.push_str(gaps[next() % gaps.len()]);
                text.push_str(attrs[next() % attrs.len()]);
                if next() % 3 > 0 {
                    text.push_str(["=", " = ", "=\n"][next() % 3]);
                    text.push_str(values[next() % values.len()]);
                }
            }
            text.push_str(["", "/", " /", " "][next() % 4]);
        }
        text.push('>');
        let Some(tag) = read_plain_tag(&text) else {
            continue;
        };
        plain += 1;
        let mut tokenized = Vec::new();
        tokenize(&text, false, &|at| at, |t| tokenized.push(t.clone()));
        assert_eq!(tokenized.len(), 1, "{text:?}");
        assert_eq!(tag, tokenized[0], "{text:?}");
        let mut both = StartTag::default();
        assert!(read_plain_tags(&[&text, "<a href=\"y\">"], |n, t| {
            if n == 0 {
                both = t.clone()
            }
        }));
        assert_eq!(both, tag, "{text:?} among others");
    }
    assert!(plain > 5000, "{plain} plain tags of 20000");
}

/// Every text of up to `len` bytes over `alphabet`.
fn every_text(alphabet: &[u8], len: usize) -> Vec<Vec<u8>> {
    let mut texts = vec![Vec::new()];
    let mut last = texts.clone();
    for _ in 0..len {
        last = last
            .iter()
            .flat_map(|t| {
                alphabet.iter().map(move |&b| {
                    let mut t = t.clone();
                    t.push(b);
                    t
                })
            })
            .collect();
        texts.extend(last.iter().cloned());
    }
    texts
}

#[test]
fn a_tag_ends_at_the_first_gt_outside_a_quoted_value_as_byte_by_byte() {
    // The tokenizer's reading, one byte at a time: a quote opens a value only after `=`.
    fn byte_by_byte(bytes: &[u8], from: usize) -> usize {
        let mut i = from;
        let mut after_equals = false;
        while i < bytes.len() {
            match bytes[i] {
                b'>' => return i + 1,
                b'=' => after_equals = true,
                b'"' | b'\'' if after_equals => {
                    let quote = bytes[i];
                    i = bytes[i + 1..]
                        .iter()
                        .position(|&b| b == quote)
                        .map_or(bytes.len(), |p| i + 1 + p);
                    after_equals = false;
                }
                b if b.is_ascii_whitespace() => {}
                _ => after_equals = false,
            }
            i += 1;
        }
        bytes.len()
    }
    for text in every_text(b"a=\"'> ", 7) {
        let tag = [b"<a ".as_slice(), &text, b" x>"].concat();
        assert_eq!(
            tag_end(&tag, 2),
            byte_by_byte(&tag, 2),
            "{:?}",
            String::from_utf8_lossy(&tag)
        );
    }
}

#[test]
fn an_id_attribute_is_seen_in_any_case_with_spaces_around_its_equals() {
    fn byte_by_byte(tag: &[u8]) -> bool {
        (1..tag.len()).any(|at| {
            tag[at..].len() >= 2
                && tag[at..at + 2].eq_ignore_ascii_case(b"id")
                && tag[at - 1].is_ascii_whitespace()
                && tag[at + 2..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'=')
        })
    }
    for text in every_text(b"iId= x\t", 6) {
        let tag = [b"<p".as_slice(), &text, b">"].concat();
        assert_eq!(
            has_attr(&tag, b"id"),
            byte_by_byte(&tag),
            "{:?}",
            String::from_utf8_lossy(&tag)
        );
    }
    assert!(has_attr(b"<div ID = \"top\">", b"id"));
    assert!(!has_attr(b"<div data-id=\"top\" valid>", b"id"));
}

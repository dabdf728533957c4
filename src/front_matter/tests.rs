//! Table tests of splitting and reading front matter, failure cases included.

use super::*;

fn parse_ok(text: &str) -> FrontMatter {
    let parsed = parse("p.md", text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    parsed.front
}

#[test]
fn reads_every_known_key() {
    let front = parse_ok(
        "---\nheading: Citrix GoToWebinar\nseo: Overview | GoToWebinar\ntitle: Overview\n\
         description: Webinars\nlayout: sidebarelementdoc\nbreadcrumbs: /docs/elements.html\n\
         parent: Back to Element Guides\nelementId: 1743\norder: 5\nsitemap: false\ndraft: true\n\
         elementKey: gotowebinar\n---\nBody",
    );
    assert_eq!(front.heading.as_deref(), Some("Citrix GoToWebinar"));
    assert_eq!(front.seo.as_deref(), Some("Overview | GoToWebinar"));
    assert_eq!(front.layout.as_deref(), Some("sidebarelementdoc"));
    assert_eq!(front.breadcrumbs.as_deref(), Some("/docs/elements.html"));
    assert_eq!(front.parent.as_deref(), Some("Back to Element Guides"));
    assert_eq!(front.element_id.as_deref(), Some("1743"));
    assert_eq!(front.order, Some(5));
    assert!(!front.sitemap);
    assert!(front.draft);
    assert_eq!(front.extra["elementKey"], "gotowebinar");
    assert_eq!(front.line_of("order"), 10);
}

#[test]
fn redirect_from_takes_one_path_or_a_list() {
    let front = parse_ok("---\nredirect_from: /old.html\n---\n");
    assert_eq!(front.redirect_from, ["/old.html"]);
    let front = parse_ok("---\ntitle: T\nredirect_from:\n  - /a.html\n  - /b/\n---\n");
    assert_eq!(front.redirect_from, ["/a.html", "/b/"]);
    assert_eq!(front.line_of("redirect_from"), 3);
    assert!(front.extra.is_empty());
}

#[test]
fn body_follows_the_closing_line() {
    let parsed = parse("p.md", "---\ntitle: A\n---\n# Hello\n");
    assert_eq!(parsed.body, "# Hello\n");
    assert_eq!(parsed.body_offset, 17);
}

#[test]
fn no_front_matter_is_fine() {
    let parsed = parse("p.md", "# Just Markdown\n\n---\n");
    assert_eq!(parsed.body_offset, 0);
    assert!(parsed.diagnostics.is_empty());
    assert!(parsed.front.sitemap);
}

#[test]
fn element_id_may_be_text() {
    assert_eq!(
        parse_ok("---\nelementId: \"gtw-1\"\n---\n")
            .element_id
            .as_deref(),
        Some("gtw-1")
    );
}

#[test]
fn numbers_written_as_jekyll_era_pages_write_them_are_read() {
    // `elementId: 41.0` (a spreadsheet export) is element 41; `order: "1"` (quoted by an
    // editor, or by a script that wrote every value as a string) is order 1.
    let front = parse_ok("---\nelementId: 41.0\norder: \"1\"\n---\n");
    assert_eq!(front.element_id.as_deref(), Some("41"));
    assert_eq!(front.order, Some(1));
    let front = parse_ok("---\nelementId: 4.5\norder: ' -3 '\n---\n");
    assert_eq!(front.element_id.as_deref(), Some("4.5"));
    assert_eq!(front.order, Some(-3));
    assert_eq!(parse_ok("---\norder: 7.0\n---\n").order, Some(7));
}

#[test]
fn flow_collections_nested_too_deep_are_refused_at_once_at_their_place() {
    // libyaml's scanner is quadratic in this depth: 100,000 took minutes.
    let deep = format!(
        "---\ntitle: T\nx: {}1{}\n---\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let parsed = parse("p.md", &deep);
    assert_eq!(
        parsed
            .diagnostics
            .iter()
            .map(|d| d.headline())
            .collect::<Vec<_>>(),
        ["p.md:3:132: invalid YAML: lists and maps nest more than 128 deep"]
    );
    let data = format!("a: {}1{}\n", "{b: ".repeat(50_000), "}".repeat(50_000));
    let error = yaml_data("data/x.yml", &data).unwrap_err();
    assert_eq!(
        error.headline(),
        "data/x.yml:1:516: invalid YAML: lists and maps nest more than 128 deep"
    );
    // Brackets in quotes, comments and plain text after an apostrophe are not nesting.
    let many = "[".repeat(200);
    for text in [
        format!("a: \"{many}\"\n"),
        format!("a: '{many}'\n"),
        format!("a: 1 # {many}\n"),
        format!("a: It's {}\nb: '{many}'\n", "x"),
        format!("a: \"\\\"{many}\"\n"),
        format!("a: {}1{}\n", "[".repeat(100), "]".repeat(100)),
    ] {
        assert!(yaml_data("x.yml", &text).is_ok(), "{text}");
    }
}

#[test]
fn failures_point_at_the_line() {
    // (front matter, expected line, expected message fragment)
    let cases = [
        (
            "---\ntitle: A\norder: five\n---\n",
            3,
            "`order` must be an integer (found \"five\")",
        ),
        ("---\norder: 2.5\n---\n", 2, "`order` must be an integer"),
        (
            "---\ndraft: yes please\n---\n",
            2,
            "`draft` must be true or false",
        ),
        (
            "---\ntitle: [a, b]\n---\n",
            2,
            "`title` must be text (found a list)",
        ),
        (
            "---\ntitle: A\nheading: \"open\n---\n",
            3,
            "invalid YAML: found unexpected end of stream, while scanning a quoted scalar",
        ),
        ("---\ntitle: a\n  bad: indent\n---\n", 3, "invalid YAML"),
        ("---\ntitle: A\n", 1, "front matter is never closed"),
        (
            "---\ntitle: A\nredirect_from: 3\n---\n",
            3,
            "`redirect_from` must be a path or a list of paths (found 3)",
        ),
        (
            "---\nredirect_from:\n  - /a.html\n  - {x: 1}\n---\n",
            2,
            "`redirect_from` must be a path or a list of paths (found a list)",
        ),
        (
            "---\n- a\n- b\n---\n",
            2,
            "front matter must be `key: value` lines",
        ),
    ];
    for (text, line, fragment) in cases {
        let parsed = parse("p.md", text);
        assert_eq!(
            parsed.diagnostics.len(),
            1,
            "{text:?}: {:?}",
            parsed.diagnostics
        );
        let d = &parsed.diagnostics[0];
        assert!(d.is_error());
        assert_eq!(d.line, line, "{text:?}: {d}");
        assert!(d.message.contains(fragment), "{text:?}: {}", d.message);
    }
}

#[test]
fn a_bad_key_keeps_the_others() {
    let parsed = parse(
        "p.md",
        "---\ntitle: Kept\norder: five\nheading: Also kept\n---\n",
    );
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.front.title.as_deref(), Some("Kept"));
    assert_eq!(parsed.front.heading.as_deref(), Some("Also kept"));
}

#[test]
fn near_misses_of_known_keys_warn_with_a_suggestion() {
    let parsed = parse(
        "p.md",
        "---\noder: 3\nTitle: X\nelementid: 4\napiKey: k\nelementKey: e\n---\n",
    );
    let found: Vec<_> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str(), d.suggestion.as_deref().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            (2, "unknown front matter key `oder`", "order"),
            (3, "unknown front matter key `Title`", "title"),
            (4, "unknown front matter key `elementid`", "elementId"),
        ]
    );
    assert!(parsed.diagnostics.iter().all(|d| !d.is_error()));
    assert_eq!(parsed.front.extra["oder"], 3);
    assert_eq!(parsed.front.extra["apiKey"], "k");
}

#[test]
fn templating_can_be_turned_off_per_page() {
    assert!(
        parse_ok(
            "---
title: A
---
"
        )
        .templating
    );
    assert!(
        !parse_ok(
            "---
templating: false
---
"
        )
        .templating
    );
    let parsed = parse(
        "p.md",
        "---
templating: no thanks
---
",
    );
    assert_eq!(
        parsed.diagnostics[0].message,
        "`templating` must be true or false (found \"no thanks\")"
    );
}

#[test]
fn yaml_data_files_read_as_json_or_fail_at_their_line() {
    let json = yaml_data("data/g.yml", "element: An API connector\nlist: [1, 2]\n").unwrap();
    assert_eq!(json["element"], "An API connector");
    assert_eq!(json["list"][1], 2);
    let d = yaml_data("data/g.yml", "a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
    assert_eq!(d.file, "data/g.yml");
    assert!(d.message.starts_with("invalid YAML"), "{}", d.message);
    assert!(d.line >= 2, "{d}");
}

#[test]
fn byte_order_mark_is_skipped() {
    let front = parse_ok("\u{feff}---\ntitle: B\n---\n");
    assert_eq!(front.title.as_deref(), Some("B"));
}

#[test]
fn a_key_given_twice_is_reported_where_it_is_given_again() {
    // (front matter, line, column, first line in the note)
    let cases = [
        // Copy-pasted front matter: the second `order` is the one to look at, not line 2.
        (
            "---\nheading: Box\ntitle: T\norder: 5\norder: 6\n---\n",
            5,
            1,
            4,
        ),
        (
            "---\ntitle: T\nextra:\n  a: 1\n  b: 2\n  a: 3\n---\n",
            6,
            3,
            4,
        ),
        ("---\n\"title\": T\n# again\ntitle: U\n---\n", 4, 1, 2),
        (
            "---\nlinks:\n  - url: /a.html\n    name: A\n    url: /b.html\n---\n",
            5,
            5,
            3,
        ),
    ];
    for (text, line, column, first) in cases {
        let parsed = parse("p.md", text);
        let [d] = parsed.diagnostics.as_slice() else {
            panic!("{text}: {:?}", parsed.diagnostics)
        };
        assert!(
            d.message.starts_with("invalid YAML: ")
                && d.message.contains("duplicate entry with key"),
            "{text}: {}",
            d.message
        );
        assert_eq!((d.line, d.column), (line, column), "{text}");
        assert_eq!(
            d.notes,
            [format!(
                "the key is first given on line {first}; Jekyll's YAML reader keeps the last value without a word: delete the one you do not mean"
            )],
            "{text}"
        );
    }
    // A data file's duplicate too.
    let e = yaml_data("data/x.yml", "- key: box\n  name: Box\n  name: Boxx\n").unwrap_err();
    assert_eq!((e.line, e.column), (3, 3), "{}", e.message);
}

//! Both passes together: what the scan records and what the render writes agree on every link
//! and heading, in the constructs where two passes over Markdown could disagree.

use super::*;

fn doc(body: &str) -> Document {
    scan("p.md", body, 0)
}

/// Renders `body` with each link resolved to `/r/<dest>`, to see which link went where.
fn html(body: &str) -> String {
    let d = doc(body);
    let links = ResolvedLinks::new(&d, |l| format!("/r/{}", l.dest));
    render_html(body, 0, &d, &links, &Highlighter::new())
}

/// The values of the `href`, `src` and `srcset` attributes of `html`, in order.
fn urls(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = ["href=\"", "src=\"", "srcset=\""]
        .iter()
        .filter_map(|attr| rest.find(attr).map(|i| (i, attr.len())))
        .min()
    {
        let value = &rest[at.0 + at.1..];
        let end = value.find('"').expect("a closed attribute");
        // A word ending in `src` or `href` (`data-src`) is not one of them.
        let before = rest[..at.0].chars().last();
        if before.is_none_or(|c| c == ' ' || c == '\n') {
            found.push(value[..end].to_string());
        }
        rest = &value[end..];
    }
    found
}

/// `body` rendered with resolved links, and its URLs.
fn rendered_urls(body: &str) -> Vec<String> {
    urls(&html(body))
}

#[test]
fn links_and_images_get_their_resolved_urls() {
    let out = html("[a](x.html \"T\") ![alt *b*](i.png) <https://e.com> <me@e.com>");
    assert!(
        out.contains(r#"<a href="/r/x.html" title="T">a</a>"#),
        "{out}"
    );
    assert!(out.contains(r#"<img src="/r/i.png" alt="alt b">"#), "{out}");
    assert!(
        out.contains(r#"<a href="/r/https://e.com">https://e.com</a>"#),
        "{out}"
    );
    assert!(out.contains(r#"<a href="/r/mailto:me@e.com">"#), "{out}");
}

#[test]
fn without_resolutions_links_keep_their_destination() {
    let out = markdownify("[a](x.html) <me@e.com>", &Highlighter::new());
    assert_eq!(
        out,
        "<p><a href=\"x.html\">a</a> <a href=\"mailto:me@e.com\">me@e.com</a></p>\n"
    );
}

#[test]
fn filled_hrefs_are_attribute_escaped() {
    let d = doc("[a](x)");
    let links = ResolvedLinks::new(&d, |_| "/a?b=1&c=\"2\"".to_string());
    assert_eq!(
        render_html("[a](x)", 0, &d, &links, &Highlighter::new()),
        "<p><a href=\"/a?b=1&amp;c=&quot;2&quot;\">a</a></p>\n"
    );
}

#[test]
fn headings_get_unique_ids_and_self_links() {
    let body = "# Title\n\n## Setup\n\n## Setup\n\n### Custom {#my-id}\n\n## Setup\n";
    let d = doc(body);
    let ids: Vec<_> = d.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["title", "setup", "setup-1", "my-id", "setup-2"]);
    assert_eq!(d.title.as_deref(), Some("Title"));
    assert!(d.has_anchor("my-id"));
    let html = html(body);
    assert!(html.contains(
            "<h2 id=\"setup-1\">Setup<a class=\"heading-anchor\" href=\"#setup-1\" aria-label=\"Link to this section\">#</a></h2>"
        ), "{html}");
    assert!(html.contains("<h3 id=\"my-id\">Custom<a"), "{html}");
}

#[test]
fn toc_nests_by_level_and_skips_the_title() {
    let d = doc("# T\n## A\n### A1\n### A2\n#### deep\n## B\n");
    let toc = d.toc();
    assert_eq!(toc.len(), 2);
    assert_eq!(toc[0].title, "A");
    assert_eq!(toc[0].children.len(), 2);
    assert_eq!(toc[0].children[1].children[0].id, "deep");
    assert!(toc[1].children.is_empty());
}

#[test]
fn links_inside_headings_and_tables_work() {
    let out = html("## See [x](a.html)\n\n| a | b |\n|---|---|\n| [y](b.html) | 1 |\n");
    assert!(
        out.contains(r#"<h2 id="see-x">See <a href="/r/a.html">x</a>"#),
        "{out}"
    );
    assert!(
        out.contains(r#"<td><a href="/r/b.html">y</a></td>"#),
        "{out}"
    );
}

#[test]
fn code_is_highlighted_and_never_parsed_for_links() {
    let out = html("```json\n{\"a\": \"[x](y.html)\"}\n```\n\n```\nplain <b>\n```\n");
    assert!(
        out.contains("<pre class=\"code\" data-lang=\"json\" tabindex=\"0\""),
        "{out}"
    );
    assert!(
        out.contains("aria-label=\"Code\"><code>plain &lt;b&gt;\n</code></pre>"),
        "{out}"
    );
    assert!(doc("```md\n[x](y.html)\n```").links.is_empty());
}

#[test]
fn extensions_are_on() {
    let out = html("~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1].\n\n[^1]: The note.\n");
    assert!(out.contains("<del>old</del>"), "{out}");
    assert!(out.contains("“quoted”"), "{out}");
    assert!(out.contains("type=\"checkbox\""), "{out}");
    assert!(out.contains("footnote-reference"), "{out}");
    assert!(doc("Note[^n].\n\n[^n]: x\n").has_anchor("n"));
}

#[test]
fn raw_html_links_inside_markdown_are_resolved_where_written() {
    let body = "Intro [md](a.html) with <a href=\"b.html\">inline</a> and [md2](c.html).\n\n\
                <div class=\"box\">\n  <a href=\"d.html\"\n     title=\"two lines\">block</a>\n  \
                <img src=\"e.png\" srcset=\"e.png 1x, e@2.png 2x\">\n</div>\n\n[last](f.html)\n";
    assert_eq!(
        rendered_urls(body),
        [
            "/r/a.html",
            "/r/b.html",
            "/r/c.html",
            "/r/d.html",
            "/r/e.png",
            "/r/e.png 1x, /r/e@2.png 2x",
            "/r/f.html"
        ]
    );
    assert_eq!(
        doc(body)
            .links
            .iter()
            .map(|l| l.html.unwrap_or("md"))
            .collect::<Vec<_>>(),
        [
            "md",
            "a href",
            "md",
            "a href",
            "img src",
            "img srcset",
            "img srcset",
            "md"
        ]
    );
}

#[test]
fn kramdown_markdown_attributes_and_attribute_lists_keep_links_in_step() {
    let body = "[before](a.html)\n\n\
                <div markdown=\"1\" class=\"alert\">\n**Note:** see [inside](b.html) and <a href=\"c.html\">raw</a>.\n</div>\n\n\
                <span markdown=\"span\">[span](d.html)</span>\n\n\
                | a |\n|---|\n| [cell](e.html) |\n{: .table .table-striped}\n\n\
                ## Heading {#custom}\n\n\
                ### PUT /instances/{id} [put](f.html)\n\n[after](g.html)\n";
    assert_eq!(
        rendered_urls(body)
            .into_iter()
            .filter(|u| !u.starts_with('#'))
            .collect::<Vec<_>>(),
        [
            "/r/a.html",
            "/r/b.html",
            "/r/c.html",
            "/r/d.html",
            "/r/e.html",
            "/r/f.html",
            "/r/g.html"
        ]
    );
    let out = html(body);
    assert!(!out.contains("{:"), "{out}");
    assert!(out.contains("<h2 id=\"custom\">"), "{out}");
    assert!(
        out.contains("<h3 id=\"put-instancesid-put\">PUT /instances/{id} <a"),
        "{out}"
    );
}

#[test]
fn links_in_callouts_are_resolved() {
    let body = "> [!WARNING]\n> Read [the limits](limits.html) first.\n\n\
                > **Tip:** try [the sandbox](sandbox.html).\n";
    let out = html(body);
    assert!(out.contains("callout--warning"), "{out}");
    assert!(out.contains("callout--tip"), "{out}");
    assert_eq!(rendered_urls(body), ["/r/limits.html", "/r/sandbox.html"]);
}

#[test]
fn footnotes_and_their_links_stay_in_step() {
    let body = "See[^a] [one](1.html).\n\n[^a]: A note with [two](2.html) and <https://three.example>.\n\n[four](4.html)\n";
    let out = html(body);
    let resolved: Vec<String> = urls(&out)
        .into_iter()
        .filter(|u| !u.starts_with('#'))
        .collect();
    assert_eq!(
        resolved,
        [
            "/r/1.html",
            "/r/2.html",
            "/r/https://three.example",
            "/r/4.html"
        ]
    );
    assert!(out.contains("href=\"#a\""), "{out}");
}

#[test]
fn autolinks_are_links() {
    let body = "<https://a.example/x?y=1> and <ops@example.com>, then [[Events]].\n";
    assert_eq!(
        rendered_urls(body),
        [
            "/r/https://a.example/x?y=1",
            "/r/mailto:ops@example.com",
            "/r/Events"
        ]
    );
}

#[test]
fn reference_links_defined_after_use_are_resolved() {
    let body = "First [guide][g], then [again][g] and [Setup].\n\n[g]: guide.html \"Guide\"\n[setup]: setup.html\n";
    let d = doc(body);
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    assert_eq!(
        rendered_urls(body),
        ["/r/guide.html", "/r/guide.html", "/r/setup.html"]
    );
    // Each use is its own link, placed where it is written.
    assert_eq!(
        d.links.iter().map(|l| l.column).collect::<Vec<_>>(),
        [7, 24, 39]
    );
}

#[test]
fn image_links_inside_links_are_two_links() {
    let body = "[![Logo](logo.png \"L\")](home.html) and [text ![icon](i.svg) more](page.html)\n";
    let d = doc(body);
    let found: Vec<_> = d
        .links
        .iter()
        .map(|l| (l.kind, l.dest.as_str(), l.text.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (LinkKind::Link, "home.html", ""),
            (LinkKind::Image, "logo.png", "Logo"),
            (LinkKind::Link, "page.html", "text  more"),
            (LinkKind::Image, "i.svg", "icon"),
        ]
    );
    let out = html(body);
    assert!(
        out.contains(
            "<a href=\"/r/home.html\"><img src=\"/r/logo.png\" alt=\"Logo\" title=\"L\"></a>"
        ),
        "{out}"
    );
    assert_eq!(
        urls(&out),
        ["/r/home.html", "/r/logo.png", "/r/page.html", "/r/i.svg"]
    );
}

#[test]
fn images_in_headings_keep_the_heading() {
    let body = "# Title\n\n## ![logo](l.png) Box [API](api.html)\n\ntext\n";
    let d = doc(body);
    let ids: Vec<_> = d.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["title", "box-api"]);
    let out = html(body);
    assert!(
        out.contains("<h2 id=\"box-api\"><img src=\"/r/l.png\" alt=\"logo\"> Box <a href=\"/r/api.html\">API</a><a class=\"heading-anchor\""),
        "{out}"
    );
}

#[test]
fn a_lifted_title_keeps_its_links_and_id() {
    let body = "# Connect [Box](box.html) {#connect}\n\n## Next [step](next.html)\n";
    let d = doc(body);
    assert!(d.starts_with_title);
    let links = ResolvedLinks::new(&d, |l| format!("/r/{}", l.dest));
    let rendered = render_body(body, 0, &d, &links, &Highlighter::new());
    let title = rendered.title.expect("lifted");
    assert_eq!(title.id, "connect");
    assert_eq!(title.html, "Connect <a href=\"/r/box.html\">Box</a>");
    assert!(
        title.heading.starts_with("<h1 id=\"connect\">"),
        "{}",
        title.heading
    );
    assert!(
        rendered
            .html
            .starts_with("<h2 id=\"next-step\">Next <a href=\"/r/next.html\">"),
        "{}",
        rendered.html
    );
    // Not lifted, the heading stays in place.
    let html = render_html(body, 0, &d, &links, &Highlighter::new());
    assert!(html.starts_with(&title.heading), "{html}");
}

#[test]
fn both_passes_agree_on_links_and_ids() {
    let body =
        "# T\n\n## A\n\n## A\n\n[x](1) ![y](2) [[Z]]\n\n```json\n[\"[w](3)\"]\n```\n\n[v](4)\n";
    let d = doc(body);
    assert_eq!(d.links.len(), 4);
    let hrefs = ["/1", "/2", "/3", "/4"];
    let links = ResolvedLinks::new(&d, |l| hrefs[l.id.index()].to_string());
    let out = render_html(body, 0, &d, &links, &Highlighter::new());
    for (n, href) in hrefs.iter().enumerate() {
        assert_eq!(
            out.matches(&format!("\"{href}\"")).count(),
            1,
            "link {n}: {out}"
        );
    }
    assert!(out.contains("<h2 id=\"a-1\">"), "{out}");
}

#[test]
fn html_pages_resolve_their_urls() {
    let text = "---\ntitle: x\n---\n<p><a href=\"a.html\">a</a> <img src=\"b.png\"></p>\n";
    let d = scan_raw_html(text, 17, &plain(text));
    assert_eq!(d.links.len(), 2);
    let links = ResolvedLinks::new(&d, |l| format!("/r/{}", l.dest));
    assert_eq!(
        render_raw_html(text, 17, &d, &links, &Highlighter::new()),
        "<p><a href=\"/r/a.html\">a</a> <img src=\"/r/b.png\"></p>\n"
    );
}

#[test]
#[should_panic(expected = "a link the scan did not see")]
#[cfg(debug_assertions)]
fn a_link_the_scan_did_not_see_is_a_bug() {
    // The outline of another text: its link is not where this text's link is.
    let d = doc("Some words first, then [x](a.html)\n");
    render_html(
        "[y](b.html)\n",
        0,
        &d,
        &ResolvedLinks::default(),
        &Highlighter::new(),
    );
}

#[test]
#[should_panic(expected = "the render met 1 of the scan's 2 links")]
#[cfg(debug_assertions)]
fn a_link_the_render_did_not_meet_is_a_bug() {
    let text = "[x](a.html) [y](b.html)\n";
    let d = doc(text);
    render_html(
        "[x](a.html)\n",
        0,
        &d,
        &ResolvedLinks::default(),
        &Highlighter::new(),
    );
}

//! Navigation for pages outside elements: sections from the folder tree (sidebar, breadcrumbs
//! through nested folders, previous/next in reading order), the header navigation by default
//! and from `[[nav]]`, and the live preview keeping all of it current.

mod common;

use common::{TestSite, assert_same_files, between, guide};
use docgen::config::Overrides;
use docgen::highlight::Highlighter;
use docgen::session::{Change, Session};

/// A Jekyll-era site: a home page, an elements index and one element, a `guides/` folder with
/// an index page and a nested `advanced/` folder, and a `reference/` folder without an index
/// page (pages with raw HTML and kramdown habits, some without `order`).
fn site() -> TestSite {
    TestSite::new()
        .page("index.md", "---\ntitle: Home\n---\nWelcome.\n")
        .page(
            "elements.md",
            "---\ntitle: Element Guides\nlayout: elements\n---\n",
        )
        .page(
            "elements/box/index.md",
            &guide("Box", "Overview", 1, "Box.\n"),
        )
        .page(
            "guides/index.md",
            "---\ntitle: User Guides\nlayout: docs\norder: 1\n---\nAll the guides.\n",
        )
        .page(
            "guides/getting-started.md",
            "---\ntitle: Getting Started\nlayout: docs\norder: 1\nbreadcrumbs: /index.html\nparent: Back to Home\n---\n<div class=\"intro\">Start here.</div>\n\n## Secrets {#secrets}\n",
        )
        .page(
            "guides/ceql.md",
            "---\ntitle: CEQL Queries\nlayout: docs\norder: 2\n---\nSee [[Getting Started]].\n{: .lead}\n",
        )
        .page(
            "guides/advanced/index.md",
            "---\ntitle: Advanced\norder: 3\n---\nDeeper.\n",
        )
        .page(
            "guides/advanced/paging.md",
            "---\ntitle: Paging\nlayout: docs\n---\nPages.\n",
        )
        .page(
            "guides/advanced/bulk.md",
            "---\ntitle: Bulk Jobs\nlayout: docs\n---\nBulk.\n",
        )
        .page("reference/api.md", "# API\n\nThe API.\n")
        .page("reference/errors.md", "# Errors\n\nCodes.\n")
}

/// The text of every link in `html`, in order.
fn link_texts(html: &str) -> Vec<String> {
    html.split("<a ")
        .skip(1)
        .map(|a| {
            let text = &a[a.find('>').unwrap() + 1..a.find("</a>").unwrap()];
            let current = if a.starts_with("class=\"sidebar__link is-current")
                || a.contains("aria-current=\"page\">")
            {
                "*"
            } else {
                ""
            };
            format!("{current}{}", text.trim())
        })
        .collect()
}

fn sidebar(html: &str) -> Vec<String> {
    link_texts(between(html, "<nav id=\"sidebar\"", "</nav>"))
}

fn crumbs(html: &str) -> Vec<String> {
    between(html, "<nav class=\"breadcrumbs\"", "</nav>")
        .split("<li>")
        .skip(1)
        .map(|li| {
            let text = li.split("</li>").next().unwrap();
            let text = text.rsplit_once("\">").map_or(text, |(_, t)| t);
            text.split('<').next().unwrap().to_string()
        })
        .collect()
}

fn header(html: &str) -> Vec<String> {
    link_texts(between(html, "<nav class=\"site-nav\"", "</nav>"))
}

#[test]
fn pages_outside_elements_get_their_section_sidebar_crumbs_and_neighbours() {
    let built = site().build().clean();
    let paging = built.html("guides/advanced/paging.html");
    assert_eq!(
        sidebar(&paging),
        [
            "User Guides",
            "Getting Started",
            "CEQL Queries",
            "Advanced",
            "Bulk Jobs",
            "*Paging",
            "Close menu"
        ],
        "the top section, the sub-section holding the page expanded"
    );
    assert!(
        paging.contains("class=\"layout layout--sidebar\""),
        "{paging}"
    );
    assert_eq!(
        crumbs(&paging),
        ["Home", "User Guides", "Advanced", "Paging"]
    );
    let pager = between(&paging, "<nav class=\"pager\"", "</nav>");
    assert!(
        pager.contains("href=\"/guides/advanced/bulk.html\" rel=\"prev\"")
            && !pager.contains("rel=\"next\""),
        "reading order ends with the last page of the top section: {pager}"
    );

    let ceql = built.html("guides/ceql.html");
    assert_eq!(
        sidebar(&ceql),
        [
            "User Guides",
            "Getting Started",
            "*CEQL Queries",
            "Advanced",
            "Close menu"
        ],
        "a closed sub-section shows only its name"
    );
    let pager = between(&ceql, "<nav class=\"pager\"", "</nav>");
    assert!(pager.contains("href=\"/guides/getting-started.html\" rel=\"prev\""));
    assert!(pager.contains("href=\"/guides/advanced/\" rel=\"next\""));

    // A section's index page ends the breadcrumbs; a `parent` that is home is not repeated.
    assert_eq!(
        crumbs(&built.html("guides/advanced/index.html")),
        ["Home", "User Guides", "Advanced"]
    );
    assert_eq!(
        crumbs(&built.html("guides/getting-started.html")),
        ["Home", "User Guides", "Getting Started"]
    );
    assert_eq!(sidebar(&built.html("guides/index.html"))[0], "*User Guides");

    // A folder without an index page: named after the folder, reached through its first page.
    let errors = built.html("reference/errors.html");
    assert_eq!(
        sidebar(&errors),
        ["Reference", "API", "*Errors", "Close menu"]
    );
    assert_eq!(crumbs(&errors), ["Home", "Reference", "Errors"]);

    // Pages in content/ and element guides keep what they had.
    assert!(!built.html("index.html").contains("id=\"sidebar\""));
    let overview = built.html("elements/box/index.html");
    assert!(
        overview.contains("aria-label=\"Element guides\""),
        "{overview}"
    );
    assert!(!overview.contains("section-nav"), "{overview}");

    // The header: the elements index first, then the top sections by order and title.
    assert_eq!(
        header(&paging),
        ["Element Guides", "User Guides", "Reference"]
    );
    assert!(
        between(&paging, "<nav class=\"site-nav\"", "</nav>")
            .contains("class=\"site-nav__link is-active\" href=\"/guides/\""),
        "the section's link is marked"
    );
    assert!(
        between(&overview, "<nav class=\"site-nav\"", "</nav>")
            .contains("class=\"site-nav__link is-active\" href=\"/elements.html\""),
        "element pages mark the elements index"
    );
}

#[test]
fn nav_in_docgen_toml_sets_the_header_and_reports_what_it_cannot_find() {
    let built = site()
        .file(
            "docgen.toml",
            "title = \"Docs\"\nbase_url = \"https://docs.example.com/docs\"\n\n\
             [[nav]]\ntitle = \"Reference\"\nurl = \"/reference/\"\n\n\
             [[nav]]\ntitle = \"Guides\"\nurl = \"guides\"\n\n\
             [[nav]]\ntitle = \"CEQL\"\nurl = \"@/guides/ceql.md\"\n\n\
             [[nav]]\ntitle = \"Status\"\nurl = \"https://status.example.com/\"\n",
        )
        .build()
        .clean();
    let html = built.html("guides/advanced/paging.html");
    let nav = between(&html, "<nav class=\"site-nav\"", "</nav>");
    assert_eq!(header(&html), ["Reference", "Guides", "CEQL", "Status"]);
    for href in [
        "href=\"/docs/reference/api.html\"",
        "class=\"site-nav__link is-active\" href=\"/docs/guides/\"",
        "href=\"/docs/guides/ceql.html\"",
        "href=\"https://status.example.com/\"",
    ] {
        assert!(nav.contains(href), "{href} in {nav}");
    }

    let broken = site()
        .file(
            "docgen.toml",
            "title = \"Docs\"\n\n[[nav]]\ntitle = \"Guides\"\nurl = \"/guidse/getting-started.html\"\n",
        )
        .build();
    broken.reports(
        "docgen.toml:5:7: [[nav]] \"Guides\": url \"/guidse/getting-started.html\" — did you mean \"/guides/getting-started.html\"?",
    );
    assert!(
        broken.report.output.is_none(),
        "check passing means build writes, and failing means it does not"
    );

    let unknown = docgen::config::Config::parse(
        std::path::Path::new("/site"),
        "title = \"Docs\"\n\n[[nav]]\ntitle = \"Guides\"\nlink = \"/guides/\"\n",
        &Overrides::default(),
    )
    .unwrap_err();
    assert_eq!(
        (unknown.line, unknown.message.as_str()),
        (5, "unknown field `link`, expected `title` or `url`")
    );
}

#[test]
fn the_preview_re_renders_a_section_when_a_title_or_order_changes() {
    let site = site().file(
        "docgen.toml",
        "title = \"Docs\"\nbase_url = \"https://docs.example.com\"\n",
    );
    let out = tempfile::tempdir().unwrap();
    let highlighter = Highlighter::new();
    let (mut session, _) =
        Session::open(site.root(), Overrides::default(), out.path(), &highlighter).unwrap();
    let mut edit = |rel: &str, text: &str| {
        std::fs::write(site.root().join("content").join(rel), text).unwrap();
        session
            .apply(&[Change::Page(rel.to_string())], &highlighter)
            .unwrap()
    };
    // A title: the pages of its top section are rendered again; those showing it change.
    let rebuild = edit(
        "guides/advanced/bulk.md",
        "---\ntitle: Bulk Exports\nlayout: docs\n---\nBulk.\n",
    );
    let mut written = rebuild.written.clone();
    written.sort();
    assert_eq!(
        written,
        [
            "guides/advanced/bulk.html",
            "guides/advanced/index.html",
            "guides/advanced/paging.html",
            "search-index/index.json",
            "search-index/p/guides.advanced.json",
            "search-index/r/0.json",
            "search-index/t/0.json",
        ],
        "the other guides show the closed sub-section only"
    );
    assert_eq!(
        rebuild.rendered, 6,
        "the top section's pages are rendered, not the reference section's"
    );
    let paging = std::fs::read_to_string(out.path().join("guides/advanced/paging.html")).unwrap();
    assert!(paging.contains(">Bulk Exports</a>"), "{paging}");

    // An order: the sidebar and the neighbours move.
    edit(
        "guides/advanced/paging.md",
        "---\ntitle: Paging\nlayout: docs\norder: 1\n---\nPages.\n",
    );
    let paging = std::fs::read_to_string(out.path().join("guides/advanced/paging.html")).unwrap();
    assert_eq!(
        sidebar(&paging)[4..6],
        ["*Paging".to_string(), "Bulk Exports".to_string()]
    );
    // A section's title is in the header of every page.
    let rebuild = edit(
        "guides/index.md",
        "---\ntitle: Handbook\nlayout: docs\norder: 1\n---\nAll the guides.\n",
    );
    assert!(rebuild.rendered >= 11, "every page: {}", rebuild.rendered);
    assert_eq!(
        header(&std::fs::read_to_string(out.path().join("reference/api.html")).unwrap()),
        ["Element Guides", "Handbook", "*Reference"]
    );
    // A new page joins its section.
    edit("reference/limits.md", "# Limits\n\nRates.\n");
    let api = std::fs::read_to_string(out.path().join("reference/api.html")).unwrap();
    assert_eq!(
        sidebar(&api),
        ["Reference", "*API", "Errors", "Limits", "Close menu"]
    );

    // Always what a fresh build writes.
    let fresh = tempfile::tempdir().unwrap();
    let (fresh_session, _) = Session::open(
        site.root(),
        Overrides::default(),
        fresh.path(),
        &highlighter,
    )
    .unwrap();
    assert_same_files(out.path(), fresh.path(), "incremental against fresh");
    assert_eq!(session.diagnostics(), fresh_session.diagnostics());
}

//! Every link of a page's Markdown gets the URL the check stage resolved for it, through the
//! whole build: the scan and the render pass find each link by where it was written, so links
//! that come from includes, raw HTML, kramdown's `markdown="1"`, callouts, footnotes, autolinks,
//! reference links, headings and image links all land on the right page.

mod common;

use common::{TestSite, hrefs};

/// A site whose layout prints only the page's content, with the pages the links point at.
fn site() -> TestSite {
    TestSite::new()
        .file("templates/page.html", "{{ page.content | safe }}")
        .page("setup.md", "---\ntitle: Setup\n---\n## Step 1\n")
        .page("events.md", "---\ntitle: Events\n---\nx\n")
        .page("api/index.md", "---\ntitle: API\n---\nx\n")
        .bytes("content/logo.png", b"\x89PNG\r\n\x1a\n")
}

/// The URLs (`href`, `src`) of `html` that are not the headings' self-links.
fn urls(html: &str) -> Vec<String> {
    let mut found: Vec<String> = hrefs(html)
        .into_iter()
        .filter(|h| !h.starts_with('#'))
        .collect();
    found.extend(html.match_indices(" src=\"").map(|(i, m)| {
        let rest = &html[i + m.len()..];
        format!("src:{}", &rest[..rest.find('"').unwrap()])
    }));
    found
}

#[test]
fn links_from_includes_and_callouts_get_their_own_urls() {
    let built = site()
        .file(
            "includes/see.html",
            "See [the {{ include.what }}]({{ include.page }}) or <a href=\"events.md\">events</a>.\n",
        )
        .page(
            "index.md",
            "---\ntitle: Home\n---\nFirst [setup](setup.md).\n\n\
             {% include see.html what=\"API\" page=\"api/index.md\" %}\n\n\
             {% include see.html what=\"setup\" page=\"setup.md#step-1\" %}\n\n\
             {% include note.html content=\"Read [the events](events.md).\" %}\n\n\
             > [!TIP]\n> Try [the API](api/index.md).\n\n\
             Last [setup](setup.md#step-1).\n",
        )
        .build()
        .clean();
    let html = built.html("index.html");
    assert_eq!(
        urls(&html),
        [
            "/setup.html",
            "/api/",
            "/events.html",
            "/setup.html#step-1",
            "/events.html",
            "/events.html",
            "/api/",
            "/setup.html#step-1",
        ],
        "{html}"
    );
    assert!(html.contains("callout--note"), "{html}");
    assert!(html.contains("callout--tip"), "{html}");
}

#[test]
fn kramdown_html_footnotes_and_references_keep_links_in_step() {
    let built = site()
        .page(
            "index.md",
            "---\ntitle: Home\n---\n\
             ## See [events](events.md) {#see}\n\n\
             <div markdown=\"1\" class=\"alert\">\n**Note:** read [setup](setup.md) and <a href=\"api/index.md\">the API</a>.\n</div>\n\n\
             | page | |\n|---|---|\n| [setup](setup.md) | <https://example.com/x> |\n{: .table}\n\n\
             Footnoted[^1], [[Events]] and [setup][s].\n\n\
             [![Logo](logo.png)](setup.md#step-1)\n\n\
             [^1]: See [the API](api/index.md).\n\n\
             [s]: setup.md\n",
        )
        .build()
        .clean();
    let html = built.html("index.html");
    assert_eq!(
        urls(&html),
        [
            "/events.html",
            "/setup.html",
            "/api/",
            "/setup.html",
            "https://example.com/x",
            "/events.html",
            "/setup.html",
            "/setup.html#step-1",
            "/api/",
            "src:/logo.png",
        ],
        "{html}"
    );
    assert!(html.contains("<h2 id=\"see\">"), "{html}");
    assert!(!html.contains("{:"), "{html}");
}

#[test]
fn a_heading_with_an_image_is_still_a_heading() {
    let built = site()
        .page(
            "index.md",
            "---\ntitle: Home\n---\nIntro.\n\n## ![logo](logo.png) Box [events](events.md)\n\n[Back](#box-events)\n",
        )
        .build()
        .clean();
    let html = built.html("index.html");
    assert!(
        html.contains("<h2 id=\"box-events\"><img src=\"/logo.png\" alt=\"logo\""),
        "{html}"
    );
    assert!(
        html.contains("Box <a href=\"/events.html\">events</a>"),
        "{html}"
    );
}

#[test]
fn reference_definitions_serve_the_whole_page_inside_and_outside_markdown_elements() {
    // A Jekyll-era callout: raw HTML with `markdown="1"`, using a definition from the page's
    // foot, defining one the text after it uses, and naming one defined nowhere.
    let built = site()
        .page(
            "index.md",
            "---\ntitle: Salesforce\n---\n# Salesforce\n\n\
             Start with the [Salesforce docs][sfdc] and how to [set up][setup].\n\n\
             <div class=\"alert alert-info\" role=\"alert\" markdown=\"1\">\n\
             **Note:** Read the [Salesforce docs][sfdc], then [set up][setup] the connector and \
             [subscribe][events-ref]. See [the API][api] too.\n\n\
             [setup]: setup.md\n\
             </div>\n\n\
             Back outside: [set up][Setup] again.\n\n\
             [sfdc]: https://developer.salesforce.com/docs/\n\
             [events-ref]: events.md \"Events\"\n",
        )
        .build();
    assert_eq!(
        built.headlines(),
        ["content/index.md:9:113: link reference [api] is not defined anywhere on this page"],
        "{}",
        built.diagnostics_text()
    );
    let html = built.html("index.html");
    assert_eq!(
        urls(&html),
        [
            "https://developer.salesforce.com/docs/",
            "/setup.html",
            "https://developer.salesforce.com/docs/",
            "/setup.html",
            "/events.html",
            "/setup.html",
        ],
        "{html}"
    );
    assert!(html.contains("title=\"Events\""), "{html}");
    assert!(html.contains("[the API][api]"), "{html}");
    assert!(!html.contains("[setup]:"), "{html}");
}

/// Windows-era Jekyll sites have folders and pages with spaces in their names. A link to one
/// is written `Quick%20Start.html` or `<Quick Start.md>`; docgen's URL for it, wherever it is
/// written (links, sitemap.xml, canonical links, redirects), is percent-encoded, and a "did
/// you mean" suggests it as it can be written in Markdown.
#[test]
fn pages_with_spaces_in_their_names_get_encoded_urls() {
    let site = TestSite::new()
        .file(
            "docgen.toml",
            "title = \"Guides\"\nbase_url = \"https://docs.example.com/docs\"\n",
        )
        .file("templates/page.html", "{{ page.content | safe }}")
        .page(
            "guides/Getting Started/Quick Start.md",
            "---\ntitle: Quick Start\nredirect_from: /start.html\n---\n## Step 1\n",
        )
        .page(
            "guides/index.md",
            "---\ntitle: Guides\n---\nRead [the start](Getting%20Started/Quick%20Start.html#step-1), \
             [again](<Getting Started/Quick Start.md>) and <a href=\"Getting Started/Quick Start.html\">once more</a>.\n",
        );
    let built = site.build().clean();
    let html = built.html("guides/index.html");
    assert_eq!(
        hrefs(&html),
        [
            "/docs/guides/Getting%20Started/Quick%20Start.html#step-1",
            "/docs/guides/Getting%20Started/Quick%20Start.html",
            "/docs/guides/Getting%20Started/Quick%20Start.html",
        ],
        "{html}"
    );
    let sitemap = built.html("sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://docs.example.com/docs/guides/Getting%20Started/Quick%20Start.html</loc>"
        ),
        "{sitemap}"
    );
    let redirect = built.html("start.html");
    assert!(
        redirect.contains("url=/docs/guides/Getting%20Started/Quick%20Start.html"),
        "{redirect}"
    );
    assert!(
        redirect.contains(
            "href=\"https://docs.example.com/docs/guides/Getting%20Started/Quick%20Start.html\""
        ),
        "{redirect}"
    );

    let built = site
        .page(
            "guides/faq.md",
            "---\ntitle: FAQ\n---\nSee [quick start](Getting%20Started/Quick-Start.html).\n",
        )
        .build();
    built.reports(
        "content/guides/faq.md:4:5: broken link \"Getting%20Started/Quick-Start.html\" — did you mean \"Getting%20Started/Quick%20Start.html\"?",
    );
}

/// "did you mean" allows one edit per four characters of the link as written. Links were
/// measured as resolved (`nowhere.html` as `/docs/elements/box/nowhere.html`), so the deeper
/// the folder the wilder the suggestion: `nowhere.html` got "box-bulk.html", `setp.md`
/// got "events.md".
#[test]
fn suggestions_for_relative_links_do_not_widen_with_the_folder_depth() {
    let built = TestSite::new()
        .page("docs/elements/box/index.md", "---\ntitle: Box\n---\nx\n")
        .page("docs/elements/box/box-bulk.md", "---\ntitle: Bulk\n---\nx\n")
        .page("docs/elements/box/events.md", "---\ntitle: Events\n---\nx\n")
        .page(
            "docs/elements/box/box-auth.md",
            "---\ntitle: Auth\n---\n[a](nowhere.html) [b](setp.md) [c](box-bulks.html) [d](/docs/elements/box/box-bulks.html) [e](../box/evnts.html)\n",
        )
        .build();
    let file = "content/docs/elements/box/box-auth.md";
    built.reports(&format!("{file}:4:1: broken link \"nowhere.html\""));
    built.reports(&format!("{file}:4:19: broken link \"setp.md\""));
    built.reports(&format!(
        "{file}:4:32: broken link \"box-bulks.html\" — did you mean \"box-bulk.html\"?"
    ));
    built.reports(&format!(
        "{file}:4:52: broken link \"/docs/elements/box/box-bulks.html\" — did you mean \"/docs/elements/box/box-bulk.html\"?"
    ));
    built.reports(&format!(
        "{file}:4:91: broken link \"../box/evnts.html\" — did you mean \"events.html\"?"
    ));
}

/// The theme's navigation (sidebar, prev/next, section crumbs, header) of a page with spaces
/// in its path carries encoded URLs too.
#[test]
fn navigation_urls_of_pages_with_spaces_are_encoded() {
    let built = TestSite::new()
        .page(
            "guides/index.md",
            "---\ntitle: Guides\norder: 1\n---\n# Guides\n",
        )
        .page(
            "guides/Getting Started/Quick Start.md",
            "---\ntitle: Quick Start\norder: 2\n---\n# Quick Start\n",
        )
        .page(
            "guides/Getting Started/index.md",
            "---\ntitle: Getting Started\n---\n# Getting Started\n",
        )
        .page(
            "elements/my box/index.md",
            "---\nheading: My Box\ntitle: Overview\norder: 1\n---\n# Overview\n",
        )
        .page(
            "elements/my box/box setup.md",
            "---\nheading: My Box\ntitle: Setup\norder: 2\n---\n# Setup\n",
        )
        .build()
        .clean();
    for page in [
        "guides/index.html",
        "guides/Getting Started/Quick Start.html",
        "elements/my box/index.html",
        "elements/my box/box setup.html",
    ] {
        let html = built.html(page);
        let spaced: Vec<String> = hrefs(&html)
            .into_iter()
            .filter(|h| h.contains(' '))
            .collect();
        assert!(spaced.is_empty(), "{page}: {spaced:?}");
    }
    let html = built.html("guides/index.html");
    assert!(
        hrefs(&html).contains(&"/guides/Getting%20Started/".to_string()),
        "{:?}",
        hrefs(&html)
    );
    let overview = built.html("elements/my box/index.html");
    assert!(
        hrefs(&overview).contains(&"/elements/my%20box/box%20setup.html".to_string()),
        "{:?}",
        hrefs(&overview)
    );
}

#[test]
fn a_markdown_file_published_as_it_is_is_linked_as_a_file() {
    // A page Jekyll would not read (it starts with a byte-order mark, so the import copies it
    // to static/ as Jekyll does) or a README shipped for download: a `.md` file that is not a
    // page. Links to it reached the page lookup only, and were "broken" with themselves as
    // the suggestion.
    let built = site()
        .file("static/downloads/README.md", "# Read me\n")
        .page(
            "guides/get.md",
            "---\ntitle: Get\n---\n[a](../downloads/README.md) [b](/downloads/README.md#top) \
             [c](../downloads/READ.md)\n",
        )
        .build();
    assert_eq!(
        built.headlines(),
        [
            "content/guides/get.md:4:59: broken link \"../downloads/READ.md\" — did you mean \"../downloads/README.md\"?"
        ]
    );
    let built = site()
        .file("static/downloads/README.md", "# Read me\n")
        .page(
            "guides/get.md",
            "---\ntitle: Get\n---\n[a](../downloads/README.md) [b](/downloads/README.md#top)\n",
        )
        .build()
        .clean();
    assert_eq!(
        urls(&built.html("guides/get.html")),
        ["/downloads/README.md", "/downloads/README.md#top"]
    );
}

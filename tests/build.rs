//! `docgen build`: small sites in temp folders, asserting on the HTML and the diagnostics.

mod common;

use common::{TestSite, between, guide, hrefs};
use docgen::config::Overrides;

/// A layout that prints the navigation context plainly, so tests read it without theme markup.
const PROBE_LAYOUT: &str = "\
SIDEBAR:{% if element %}{{ element.heading }}|{% for g in element.guides %}{{ g.title }}{% if g.current %}*{% endif %};{% endfor %}{% endif %}
PREV:{{ nav.prev?.title or \"-\" }}={{ nav.prev?.url or \"\" }}
NEXT:{{ nav.next?.title or \"-\" }}={{ nav.next?.url or \"\" }}
CRUMBS:{% for c in breadcrumbs %}{{ c.label }}={{ c.url or \"\" }};{% endfor %}
TITLE:{{ page.title }}|{{ page.seo }}|{{ page.url }}|{{ page.permalink }}
TOC:{% for t in toc %}{{ t.id }}({% for c in t.children %}{{ c.id }},{% endfor %});{% endfor %}
EXTRA:{{ page.extra.apiKey or \"\" }}|{{ site.extra.console or \"\" }}
CONTENT:{{ page.content | safe }}
";

fn probe(site: TestSite) -> TestSite {
    site.file("templates/sidebarelementdoc.html", PROBE_LAYOUT)
        .file("templates/page.html", PROBE_LAYOUT)
}

/// GoToWebinar with four guides out of file order, and an elements index.
fn element_site() -> TestSite {
    probe(TestSite::new())
        .page(
            "elements.md",
            "---\ntitle: Element Guides\n---\nAll of them.\n",
        )
        .page(
            "elements/gtw/index.md",
            &guide("Citrix GoToWebinar", "Overview", 1, "## Base URL\n\nHi.\n"),
        )
        .page(
            "elements/gtw/gotowebinar-events.md",
            &guide(
                "Citrix GoToWebinar",
                "Events",
                25,
                "## Webhooks\n\n### Payload\n\n## Polling\n",
            ),
        )
        .page(
            "elements/gtw/gotowebinar-endpoint-setup.md",
            &guide(
                "Citrix GoToWebinar",
                "Endpoint Setup",
                5,
                "## Register Your Application\n",
            ),
        )
        .page(
            "elements/gtw/authentication.md",
            &guide("Citrix GoToWebinar", "Authentication", 10, "Tokens.\n"),
        )
}

#[test]
fn sidebar_lists_the_elements_guides_in_order_with_the_current_one_marked() {
    let built = element_site().build().clean();
    let html = built.html("elements/gtw/authentication.html");
    assert!(
        html.contains(
            "SIDEBAR:Citrix GoToWebinar|Overview;Endpoint Setup;Authentication*;Events;\n"
        ),
        "{html}"
    );
    assert!(
        html.contains("PREV:Endpoint Setup=/elements/gtw/gotowebinar-endpoint-setup.html\n"),
        "{html}"
    );
    assert!(
        html.contains("NEXT:Events=/elements/gtw/gotowebinar-events.html\n"),
        "{html}"
    );
    let first = built.html("elements/gtw/index.html");
    assert!(
        first.contains("PREV:-=\n") && first.contains("NEXT:Endpoint Setup="),
        "{first}"
    );
    let last = built.html("elements/gtw/gotowebinar-events.html");
    assert!(last.contains("NEXT:-=\n"), "{last}");
}

#[test]
fn breadcrumbs_run_home_parent_element_page() {
    let built = element_site()
        .page("index.md", "# Welcome\n")
        .build()
        .clean();
    let html = built.html("elements/gtw/gotowebinar-events.html");
    assert!(
        html.contains("CRUMBS:Home=/;Back to Element Guides=/elements.html;Citrix GoToWebinar=/elements/gtw/;Events=;\n"),
        "{html}"
    );
    let overview = built.html("elements/gtw/index.html");
    assert!(
        overview
            .contains("CRUMBS:Home=/;Back to Element Guides=/elements.html;Citrix GoToWebinar=;\n"),
        "{overview}"
    );
    assert!(
        built.html("index.html").contains("CRUMBS:\n"),
        "the home page has no trail"
    );
}

#[test]
fn page_context_has_title_seo_urls_toc_and_extra_keys() {
    let built = element_site()
        .file(
            "docgen.toml",
            "title = \"Docs\"\nbase_url = \"https://docs.example.com\"\n[extra]\nconsole = \"Cloud Elements\"\n",
        )
        .page(
            "elements/gtw/gotowebinar-events.md",
            "---\nheading: Citrix GoToWebinar\ntitle: Events\nlayout: sidebarelementdoc\norder: 25\napiKey: k-123\n---\n## Webhooks\n\n### Payload\n\n## Polling\n",
        )
        .build()
        .clean();
    let html = built.html("elements/gtw/gotowebinar-events.html");
    assert!(
        html.contains("TITLE:Events|Events | Citrix GoToWebinar | Docs|/elements/gtw/gotowebinar-events.html|https://docs.example.com/elements/gtw/gotowebinar-events.html\n"),
        "{html}"
    );
    assert!(
        html.contains("TOC:webhooks(payload,);polling();\n"),
        "{html}"
    );
    assert!(html.contains("EXTRA:k-123|Cloud Elements\n"), "{html}");
}

#[test]
fn every_link_form_resolves_to_the_final_url() {
    let built = element_site()
        .page(
            "guides/start.md",
            "---\ntitle: Getting Started\n---\nStart.\n",
        )
        .page(
            "elements/zd/index.md",
            &guide(
                "Zendesk",
                "Overview",
                1,
                "## Field Mapping {#field-mapping}\n",
            ),
        )
        .page(
            "elements/zd/zendesk-events.md",
            &guide("Zendesk", "Events", 20, "## Polling\n"),
        )
        .bytes("content/elements/gtw/img/app.png", b"\x89PNG")
        .file("static/downloads/postman.json", "{}")
        .page(
            "elements/gtw/gotowebinar-endpoint-setup.md",
            &guide(
                "Citrix GoToWebinar",
                "Endpoint Setup",
                5,
                "\
[relative html](authentication.html)
[relative md](authentication.md)
[fragment](gotowebinar-events.html#webhooks)
[query and fragment](gotowebinar-events.html?tab=2#polling)
[folder](./)
[other element](../zd/)
[other element page](../zd/zendesk-events.html#polling)
[root absolute](/elements/zd/zendesk-events.html)
[static file](/downloads/postman.json)
[content path](@/elements/zd/index.md#field-mapping)
[[Events]]
[[Create Instance|create an instance]]
[[Getting Started]]
[same page](#register-your-application)
[external](https://example.com/a)
[mail](mailto:help@example.com)
![screen](img/app.png)

## Register Your Application
",
            ),
        )
        .page(
            "elements/gtw/gotowebinar-create-instance.md",
            &guide("Citrix GoToWebinar", "Create Instance", 15, "Go.\n"),
        )
        .build()
        .clean();
    let html = built.html("elements/gtw/gotowebinar-endpoint-setup.html");
    let content = between(&html, "CONTENT:", "</h2>");
    assert_eq!(
        hrefs(content),
        [
            "/elements/gtw/authentication.html",
            "/elements/gtw/authentication.html",
            "/elements/gtw/gotowebinar-events.html#webhooks",
            "/elements/gtw/gotowebinar-events.html?tab=2#polling",
            "/elements/gtw/",
            "/elements/zd/",
            "/elements/zd/zendesk-events.html#polling",
            "/elements/zd/zendesk-events.html",
            "/downloads/postman.json",
            "/elements/zd/#field-mapping",
            "/elements/gtw/gotowebinar-events.html",
            "/elements/gtw/gotowebinar-create-instance.html",
            "/guides/start.html",
            "#register-your-application",
            "https://example.com/a",
            "mailto:help@example.com",
            "#register-your-application",
        ]
    );
    assert!(content.contains(">create an instance</a>"), "{content}");
    assert!(
        content.contains("<img src=\"/elements/gtw/img/app.png\" alt=\"screen\""),
        "{content}"
    );
    assert!(
        built.exists("elements/gtw/img/app.png"),
        "images are copied next to the page"
    );
    assert!(built.exists("downloads/postman.json"));
}

#[test]
fn every_broken_form_is_reported_with_file_line_and_column() {
    let built = element_site()
        .page(
            "elements/gtw/index.md",
            &guide(
                "Citrix GoToWebinar",
                "Overview",
                1,
                "\
Next, [set up the endpoint](gotowebinar-endpoint-setp.html).
See [events](gotowebinar-events.html#webhook) and [nothing](missing-page.html).
Read [[Authentcation]] and ![a screen](img/nope.png).
Jump to [[Events#polls]] or [up](../../../x.html) or [root](/elements/gtw/authentication.htm).
[content](@/elements/gtw/authentication-guide.md) [here](#base-ur)

## Base URL
",
            ),
        )
        .build();
    let file = "content/elements/gtw/index.md";
    built
        .reports(&format!("{file}:9:7: broken link \"gotowebinar-endpoint-setp.html\" — did you mean \"gotowebinar-endpoint-setup.html\"?"))
        .reports(&format!("{file}:10:5: broken anchor \"gotowebinar-events.html#webhook\": content/elements/gtw/gotowebinar-events.md has no heading with id \"webhook\" — did you mean \"gotowebinar-events.html#webhooks\"?"))
        .reports(&format!("{file}:10:51: broken link \"missing-page.html\""))
        .reports(&format!("{file}:11:6: broken title link \"[[Authentcation]]\": no page has that title or file name — did you mean \"Authentication\"?"))
        .reports(&format!("{file}:11:28: broken image \"img/nope.png\""))
        .reports(&format!("{file}:12:9: broken anchor \"Events#polls\": content/elements/gtw/gotowebinar-events.md has no heading with id \"polls\""))
        .reports(&format!("{file}:12:29: broken link \"../../../x.html\": it goes above the site's root"))
        .reports(&format!("{file}:12:54: broken link \"/elements/gtw/authentication.htm\" — did you mean \"/elements/gtw/authentication.html\"?"))
        .reports(&format!("{file}:13:1: broken link \"@/elements/gtw/authentication-guide.md\" — did you mean \"@/elements/gtw/authentication.md\"?"))
        .reports(&format!("{file}:13:51: broken anchor \"#base-ur\": content/elements/gtw/index.md has no heading with id \"base-ur\" — did you mean \"#base-url\"?"));
    assert_eq!(built.report.errors(), 10, "{}", built.diagnostics_text());
    assert!(
        !built.exists("elements/gtw/index.html"),
        "a failing build writes nothing"
    );
}

#[test]
fn broken_link_reports_show_the_line_the_caret_and_the_link_text() {
    let built = TestSite::new()
        .page(
            "index.md",
            "# Home\n\nNext, [set up the endpoint](setp.html).\n",
        )
        .page("setup.md", "# Setup\n")
        .build();
    assert_eq!(
        built.diagnostics_text(),
        "error: content/index.md:3:7: broken link \"setp.html\" — did you mean \"setup.html\"?\n  \
         |\n3 | Next, [set up the endpoint](setp.html).\n  |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  \
         = link text: \"set up the endpoint\"\n"
    );
}

#[test]
fn ambiguous_title_links_list_the_candidates() {
    let built = element_site()
        .page("elements/zd/index.md", &guide("Zendesk", "Overview", 1, ""))
        .page("elements/zd/events.md", &guide("Zendesk", "Events", 20, ""))
        .page("guides/start.md", "# Start\n\nSee [[Events]].\n")
        .build();
    built
        .reports("content/guides/start.md:3:5: ambiguous title link \"[[Events]]\": 2 pages match");
    let text = built.diagnostics_text();
    assert!(
        text.contains("= candidates: content/elements/gtw/gotowebinar-events.md, content/elements/zd/events.md"),
        "{text}"
    );
}

#[test]
fn broken_links_can_be_downgraded_to_warnings() {
    let built = TestSite::new()
        .file(
            "docgen.toml",
            "base_url = \"https://d.example\"\nbroken_links = \"warn\"\n",
        )
        .page("index.md", "[x](nowhere.html)\n")
        .build();
    assert_eq!((built.report.errors(), built.report.warnings()), (0, 1));
    assert!(
        built.html("index.html").contains("href=\"nowhere.html\""),
        "left as written"
    );
}

#[test]
fn breadcrumbs_target_is_checked_like_a_link() {
    let built = TestSite::new()
        .page(
            "elements/x/index.md",
            "---\nheading: X\nbreadcrumbs: /element.html\nparent: Back\n---\nHi\n",
        )
        .page("elements.md", "# Elements\n")
        .build();
    built.reports("content/elements/x/index.md:3:1: `breadcrumbs`: broken link \"/element.html\" — did you mean \"/elements.html\"?");
}

#[test]
fn base_url_path_prefixes_every_internal_url() {
    let built = element_site()
        .file("docgen.toml", "title = \"D\"\nbase_url = \"https://example.com/docs/\"\n")
        .page("index.md", "[events](elements/gtw/gotowebinar-events.html) [root](/elements.html) [prefixed](/docs/elements.html) [x](https://example.com/other)\n")
        .build()
        .clean();
    let html = built.html("index.html");
    assert_eq!(
        hrefs(between(&html, "CONTENT:", "</p>")),
        [
            "/docs/elements/gtw/gotowebinar-events.html",
            "/docs/elements.html",
            "/docs/elements.html",
            "https://example.com/other"
        ]
    );
    let events = built.html("elements/gtw/gotowebinar-events.html");
    assert!(events.contains("CRUMBS:Home=/docs/;Back to Element Guides=/docs/elements.html;Citrix GoToWebinar=/docs/elements/gtw/;"), "{events}");
    assert!(
        events.contains("|https://example.com/docs/elements/gtw/gotowebinar-events.html\n"),
        "{events}"
    );
    assert!(
        built
            .html("sitemap.xml")
            .contains("<loc>https://example.com/docs/elements/gtw/</loc>")
    );
}

#[test]
fn command_line_base_url_overrides_the_config_for_previews() {
    let built = element_site().build_with(Overrides {
        base_url: Some("https://preview.example.com/pr-123/".into()),
        drafts: false,
    });
    let html = built.html("elements/gtw/authentication.html");
    assert!(
        html.contains("PREV:Endpoint Setup=/pr-123/elements/gtw/gotowebinar-endpoint-setup.html"),
        "{html}"
    );
    assert!(
        built
            .html("sitemap.xml")
            .contains("<loc>https://preview.example.com/pr-123/elements.html</loc>")
    );
}

#[test]
fn headings_get_ids_and_self_links_and_code_is_highlighted_with_classes() {
    let built = TestSite::new()
        .page(
            "index.md",
            "# Home\n\n## Create an Instance\n\n## Create an Instance\n\n```json\n{\"key\": 1}\n```\n\n```toml\na = 1\n```\n\n```typescript\nconst a: number = 1;\n```\n\n```klingon\nQapla' <b>\n```\n",
        )
        .build()
        .clean();
    let html = built.html("index.html");
    assert!(html.contains("<h2 id=\"create-an-instance\">Create an Instance<a class=\"heading-anchor\" href=\"#create-an-instance\""), "{html}");
    assert!(html.contains("<h2 id=\"create-an-instance-1\">"), "{html}");
    for lang in ["json", "toml", "typescript"] {
        let block = between(&html, &format!("aria-label=\"Code: {lang}\">"), "</pre>");
        assert!(
            block.contains("<span class=\"hl-"),
            "{lang} is highlighted: {block}"
        );
        assert!(!block.contains("style="), "{block}");
    }
    assert!(
        html.contains("<code class=\"language-klingon\">Qapla&#39; &lt;b&gt;\n</code>"),
        "{html}"
    );
    let css = built.html("highlight.css");
    assert!(
        css.contains(".hl-") && css.contains("prefers-color-scheme: dark"),
        "{css}"
    );
}

#[test]
fn front_matter_errors_and_warnings_name_file_and_line() {
    let built = TestSite::new()
        .page("a.md", "---\ntitle: A\norder: five\n---\n# A\n")
        .page("b.md", "---\ntitle: B\noder: 3\n---\n# B\n")
        .page("c.md", "---\ntitle: [unclosed\n---\n# C\n")
        .page("d.md", "---\ntitle: D\n# never closed\n")
        .page("e.md", "# No front matter at all\n")
        .build();
    built
        .reports("content/a.md:3:1: `order` must be an integer (found \"five\")")
        .reports("content/b.md:3:1: unknown front matter key `oder` — did you mean \"order\"?")
        .reports("content/d.md:1:1: front matter is never closed: add a line with `---` after the last key");
    assert!(
        built
            .headlines()
            .iter()
            .any(|h| h.starts_with("content/c.md:") && h.contains("invalid YAML")),
        "{:?}",
        built.headlines()
    );
    assert_eq!((built.report.errors(), built.report.warnings()), (3, 1));
}

#[test]
fn a_bad_page_never_hides_the_other_problems() {
    let built = TestSite::new()
        .page("a.md", "---\norder: [\n---\n[broken](nope-a.html)\n")
        .page("b.md", "---\nlayout: nosuch\n---\n[broken](nope-b.html)\n")
        .page("c.md", "[fine](a.html) [broken](nope-c.html)\n")
        .build();
    let headlines = built.headlines().join("\n");
    for expected in [
        "content/a.md:2:",
        "content/a.md:4:1: broken link \"nope-a.html\"",
        "content/b.md:2:1: unknown layout `nosuch`",
        "content/b.md:4:1: broken link \"nope-b.html\"",
        "content/c.md:1:16: broken link \"nope-c.html\"",
    ] {
        assert!(
            headlines.contains(expected),
            "missing `{expected}` in:\n{headlines}"
        );
    }
}

#[test]
fn unknown_layout_lists_the_available_ones() {
    let built = TestSite::new()
        .page(
            "a.md",
            "---\ntitle: A\nlayout: sidebarelementdocs\n---\nx\n",
        )
        .build();
    built.reports("content/a.md:3:1: unknown layout `sidebarelementdocs` — did you mean \"sidebarelementdoc\"?");
    assert!(
        built
            .diagnostics_text()
            .contains("= available layouts: docs, elements, page, sidebarelementdoc"),
        "{}",
        built.diagnostics_text()
    );
}

#[test]
fn template_errors_name_the_template_and_line() {
    let built = TestSite::new()
        .file(
            "templates/page.html",
            "<html>\n{{ page.title }}\n{{ page.nosuchfield }}\n</html>\n",
        )
        .page("a.md", "# A\n")
        .page("b.md", "# B\n")
        .build();
    let text = built.diagnostics_text();
    assert!(text.contains("error: templates/page.html:3:"), "{text}");
    assert!(text.contains("while rendering content/"), "{text}");
    assert!(
        text.contains("and 1 other pages"),
        "one report for all pages: {text}"
    );
    assert_eq!(built.report.errors(), 1, "{text}");

    let built = TestSite::new()
        .file("templates/page.html", "{% if %}\n")
        .page("a.md", "# A\n")
        .build();
    assert!(
        built
            .diagnostics_text()
            .contains("error: templates/page.html:1:"),
        "{}",
        built.diagnostics_text()
    );
}

#[test]
fn two_sources_for_one_url_is_an_error_naming_both() {
    let built = TestSite::new()
        .page("guide.md", "# Guide\n")
        .file("static/guide.html", "<p>old</p>")
        .build();
    built.reports("content/guide.md: content/guide.md and static/guide.html would both be written to guide.html");
}

#[test]
fn element_guides_that_disagree_are_warned_about() {
    let built = TestSite::new()
        .page(
            "elements/x/index.md",
            "---\nheading: Xero\nelementId: 7\norder: 1\n---\n",
        )
        .page(
            "elements/x/a.md",
            "---\nheading: XERO\nelementId: 8\norder: 1\ntitle: A\n---\n",
        )
        .build();
    built
        .reports("content/elements/x/a.md:2:1: `heading: XERO` differs from `heading: Xero` in content/elements/x/index.md, in the same element")
        .reports("content/elements/x/a.md:3:1: `elementId: 8` differs from `elementId: 7` in content/elements/x/index.md, in the same element")
        .reports("content/elements/x/index.md:4:1: `order: 1` is also used by content/elements/x/a.md; the sidebar puts \"A\" before \"X\" by title");
}

#[test]
fn sitemap_lists_published_pages_with_absolute_urls() {
    let built = TestSite::new()
        .page("index.md", "# Home\n")
        .page("b.md", "# B\n")
        .page("hidden.md", "---\nsitemap: false\n---\n# Hidden\n")
        .page("wip.md", "---\ndraft: true\n---\n# WIP\n")
        .build()
        .clean();
    assert_eq!(
        built.html("sitemap.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  \
         <url><loc>https://docs.example.com/</loc></url>\n  <url><loc>https://docs.example.com/b.html</loc></url>\n</urlset>\n"
    );
    assert!(built.exists("hidden.html"));
    assert!(!built.exists("wip.html"), "drafts are not published");
    assert_eq!(
        built.html("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://docs.example.com/sitemap.xml\n"
    );
    assert!(built.html("404.html").contains("Page not found"));
}

#[test]
fn drafts_are_built_with_the_drafts_flag_and_links_to_them_fail_without() {
    let site = TestSite::new()
        .page("index.md", "[soon](wip.html)\n")
        .page("wip.md", "---\ndraft: true\n---\n# WIP\n");
    let built = site.build();
    built.reports(
        "content/index.md:1:1: link \"wip.html\" goes to a draft page, which is not published",
    );
    let built = site.build_with(Overrides {
        base_url: None,
        drafts: true,
    });
    assert!(built.html("wip.html").contains("WIP"));
    assert!(
        !built.html("sitemap.xml").contains("wip"),
        "drafts stay out of the sitemap"
    );
}

#[test]
fn stale_files_from_an_earlier_build_disappear() {
    let site = TestSite::new()
        .page("index.md", "# Home\n")
        .page("old.md", "# Old\n");
    assert!(site.build().clean().exists("old.html"));
    let site = site.remove("content/old.md");
    let built = site.build().clean();
    assert!(!built.exists("old.html"));
    assert!(built.exists("index.html"));
}

#[test]
fn output_folder_safety() {
    let site = TestSite::new().page("index.md", "# Home\n");
    let foreign = tempfile::tempdir().unwrap();
    std::fs::write(foreign.path().join("precious.txt"), "keep me").unwrap();
    let foreign_path = foreign.path().to_str().unwrap();
    for (output, why) in [
        (".", "it contains the site"),
        ("content", "inside the site's content/ folder"),
        (foreign_path, "not empty and was not written by docgen"),
    ] {
        let run = site.run(&["build", "--output", output]);
        assert_eq!(run.code, 2, "{output}: {}", run.stderr);
        assert!(run.stderr.contains(why), "{output}: {}", run.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(foreign.path().join("precious.txt")).unwrap(),
        "keep me"
    );
    assert!(site.root().join("content/index.md").exists());
}

#[test]
fn the_shared_elements_list_is_written_once_not_into_every_page() {
    let mut site = TestSite::new().page(
        "elements.md",
        "---\ntitle: Elements\nlayout: elements\n---\n",
    );
    for n in 0..30 {
        site = site.page(
            &format!("elements/e{n:02}/index.md"),
            &format!("---\nheading: Element {n:02}\nlayout: sidebarelementdoc\n---\nHi\n"),
        );
    }
    let built = site.build().clean();
    let nav = built.html("elements-nav.json");
    assert!(
        nav.starts_with("[{\"heading\":\"Element 00\",\"url\":\"/elements/e00/\",\"key\":\"e00\"}"),
        "{nav}"
    );
    let page = built.html("elements/e05/index.html");
    assert!(
        !page.contains("Element 17"),
        "other elements are not repeated in each page"
    );
    assert!(
        page.contains("/elements-nav.json"),
        "the theme loads the shared list"
    );
    assert!(
        page.contains("href=\"/elements.html\""),
        "every page links the elements index"
    );
    let index = built.html("elements.html");
    assert!(
        index.contains("Element 17") && index.contains("href=\"/elements/e17/\""),
        "the index lists them all"
    );
}

#[test]
fn a_folder_with_only_config_and_content_builds_with_the_built_in_theme() {
    let built = TestSite::new()
        .page(
            "elements/x/index.md",
            "---\nheading: Xero\nlayout: sidebarelementdoc\n---\n# Overview\n",
        )
        .build()
        .clean();
    let html = built.html("elements/x/index.html");
    assert!(html.starts_with("<!doctype html>"), "{html}");
    assert!(html.contains("aria-current=\"page\""), "{html}");
    assert!(built.exists("theme.css") && built.exists("theme.js") && built.exists("highlight.css"));
}

#[test]
fn site_templates_and_theme_files_override_the_default_theme() {
    let built = TestSite::new()
        .file(
            "themes/default/templates/page.html",
            "theme:{{ page.title }}",
        )
        .file("templates/docs.html", "site:{{ page.title }}")
        .file("themes/default/static/theme.css", "/* mine */")
        .page("a.md", "# A\n")
        .page("b.md", "---\nlayout: docs\n---\n# B\n")
        .build()
        .clean();
    assert_eq!(built.html("a.html"), "theme:A");
    assert_eq!(built.html("b.html"), "site:B");
    assert_eq!(built.html("theme.css"), "/* mine */");
}

#[test]
fn the_shipped_example_site_builds_without_warnings() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let options = docgen::build::BuildOptions {
        root: repo.to_path_buf(),
        output: Some(out.path().join("site")),
        overrides: Overrides::default(),
    };
    let report = docgen::build::build(&options, &docgen::highlight::Highlighter::new()).unwrap();
    let text: String = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(report.diagnostics.is_empty(), "{text}");
    assert!(
        report.pages >= 20 && report.elements >= 3,
        "{}",
        report.summary()
    );
    assert!(
        out.path()
            .join("site/elements/gotowebinar/gotowebinar-create-instance.html")
            .exists()
    );
}

#[test]
fn a_site_without_a_home_page_gets_one_listing_its_elements() {
    let built = TestSite::new()
        .page(
            "elements/x/index.md",
            "---\nheading: Xero\nlayout: sidebarelementdoc\n---\nSee [home](/).\n",
        )
        .page(
            "elements/y/index.md",
            "---\nheading: Yammer\nlayout: sidebarelementdoc\n---\nHi\n",
        )
        .build()
        .clean();
    let home = built.html("index.html");
    assert!(home.contains("<title>Test Docs</title>"), "{home}");
    assert!(
        home.contains("href=\"/elements/x/\"") && home.contains("Yammer"),
        "{home}"
    );
    let page = built.html("elements/x/index.html");
    assert!(
        page.contains("<a href=\"/\">home</a>"),
        "links to the root resolve: {page}"
    );
    assert!(page.contains("class=\"brand\" href=\"/\""), "{page}");
}

#[test]
fn a_broken_404_template_is_reported_not_skipped() {
    let built = TestSite::new()
        .file("templates/404.html", "<h1>Lost</h1>\n{{ page.nosuch }}\n")
        .page("index.md", "# Home\n")
        .build();
    let text = built.diagnostics_text();
    assert!(text.contains("error: templates/404.html:2:"), "{text}");
    assert!(
        text.contains("while rendering the generated 404.html"),
        "{text}"
    );
}

/// A page copied from a Jekyll site by hand keeps its `.markdown` (or `.MD`) name: docgen
/// published it as a file, front matter and all, without a word.
#[test]
fn a_markdown_file_without_the_md_extension_is_copied_with_a_warning() {
    let built = TestSite::new()
        .page("guides/setup.md", "---\ntitle: Setup\n---\n# Setup\n")
        .page("guides/faq.markdown", "---\ntitle: FAQ\n---\n# FAQ\n")
        .page("guides/Install.MD", "---\ntitle: Install\n---\n# Install\n")
        .page("guides/notes.txt", "plain text\n")
        .build();
    built.reports(
        "content/guides/faq.markdown: copied as a file, not built as a page: pages are .md files — rename it faq.md",
    );
    built.reports(
        "content/guides/Install.MD: copied as a file, not built as a page: pages are .md files — rename it Install.md",
    );
    assert_eq!(built.report.warnings(), 2, "{}", built.diagnostics_text());
    assert!(built.exists("guides/faq.markdown"));
}

/// Raw HTML in a guide that a browser nests otherwise than written: an element never closed
/// swallows the rest of the page and the layout (sidebar, footer) after it; a stray end tag
/// closes one of the layout's. Each is a warning at the tag; well-formed HTML — optional end
/// tags, void and self-closed elements, HTML in comments, scripts and code — is not.
#[test]
fn raw_html_left_open_or_closed_twice_is_a_warning_at_the_tag() {
    let built = TestSite::new()
        .file("includes/note.html", "<div class=\"alert\" markdown=\"span\">{{ include.content }}</div>\n")
        .page(
            "guides/setup.md",
            "---\ntitle: Setup\n---\n\
             <details><summary>Raw response</summary>\n\n```html\n<div class=\"unclosed in code\">\n```\n\n</details>\n\n\
             <table>\n<tr><td>one<td>two\n<tr><td colspan=2><p>three<br>four<img src=\"x.png\" alt=\"\"></td>\n</table>\n\n\
             <div class=\"clear\"/>\n\n<!-- <div> in a comment -->\n\n<script>var s = \"<div>\";</script>\n\n\
             Inline `<div>` code, <kbd>Ctrl</kbd> and <span markdown=\"1\">*fine*</span>.\n\n\
             {% include note.html content=\"Closed by the include.\" %}\n\n\
             <div class=\"note\" markdown=\"1\">\n**Note:** the step list.\n\n\
             Text with a <b>bold <i>and italic</b> part.\n\n\
             </div>\n</div>\n\n\
             <section class=\"steps\">\n\n## Step 1\n\nNever closed.\n",
        )
        .bytes("content/guides/x.png", b"\x89PNG\r\n\x1a\n")
        .build();
    assert_eq!(
        built.headlines(),
        [
            "content/guides/setup.md:30:21: `<i>` is not closed before `</b>`: a browser closes it there, or carries it on past it",
            "content/guides/setup.md:33:1: `</div>` closes nothing opened before it on this page: in the built page it closes an element of the layout",
            "content/guides/setup.md:35:1: `<section>` is never closed: in the built page the rest of the page, and the layout after it, end up inside it",
        ],
        "{}",
        built.diagnostics_text()
    );
}

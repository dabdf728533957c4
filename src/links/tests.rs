//! Table tests of the link index: every link form, base paths, suggestions, drafts, removal.

use super::*;
use crate::markdown::LinkKind;

fn page(source: &str, title: &str, element: Option<&str>, anchors: &[&str]) -> IndexedPage {
    IndexedPage {
        source: source.into(),
        title: title.into(),
        element: element.map(str::to_string),
        anchors: anchors.iter().map(|a| a.to_string()).collect(),
        draft: None,
    }
}

fn site(base_path: &str) -> LinkIndex {
    let gtw = Some("elements/gotowebinar");
    let zd = Some("elements/zendesk");
    let mut index = LinkIndex::new(base_path, false);
    for p in [
        page("index.md", "Home", None, &[]),
        page("elements.md", "Element Guides", None, &["all"]),
        page(
            "elements/gotowebinar/index.md",
            "Overview",
            gtw,
            &["base-url"],
        ),
        page(
            "elements/gotowebinar/gotowebinar-endpoint-setup.md",
            "Endpoint Setup",
            gtw,
            &["register-your-application"],
        ),
        page(
            "elements/gotowebinar/gotowebinar-create-instance.md",
            "Create Instance",
            gtw,
            &[],
        ),
        page(
            "elements/gotowebinar/events.md",
            "Events",
            gtw,
            &["webhooks"],
        ),
        page("elements/zendesk/index.md", "Overview", zd, &[]),
        page("elements/zendesk/events.md", "Events", zd, &["polling"]),
        page("guides/start.md", "Getting Started", None, &[]),
    ] {
        index.insert_page(p);
    }
    index.insert_file("/elements/gotowebinar/img/app.png".into());
    index.insert_file("/downloads/postman.json".into());
    index
}

const SETUP: &str = "elements/gotowebinar/gotowebinar-endpoint-setup.md";
const OVERVIEW: &str = "elements/gotowebinar/index.md";

#[test]
fn urls_follow_the_file_tree() {
    assert_eq!(url_for_source("index.md"), "/");
    assert_eq!(url_for_source("elements/x/index.md"), "/elements/x/");
    assert_eq!(
        url_for_source("elements/x/x-setup.md"),
        "/elements/x/x-setup.html"
    );
    assert_eq!(url_for_source("reindex.md"), "/reindex.html");
    assert_eq!(output_file_for_url("/"), "index.html");
    assert_eq!(output_file_for_url("/elements/x/"), "elements/x/index.html");
    assert_eq!(output_file_for_url("/a/b.html"), "a/b.html");
}

#[test]
fn every_link_form_resolves() {
    let index = site("");
    // (from, kind, as written, expected href)
    let cases = [
        (
            OVERVIEW,
            LinkKind::Link,
            "gotowebinar-endpoint-setup.html",
            "/elements/gotowebinar/gotowebinar-endpoint-setup.html",
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "gotowebinar-endpoint-setup.md",
            "/elements/gotowebinar/gotowebinar-endpoint-setup.html",
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "events.html#webhooks",
            "/elements/gotowebinar/events.html#webhooks",
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "events.html?tab=2#webhooks",
            "/elements/gotowebinar/events.html?tab=2#webhooks",
        ),
        (OVERVIEW, LinkKind::Link, "./", "/elements/gotowebinar/"),
        (
            OVERVIEW,
            LinkKind::Link,
            "../zendesk/",
            "/elements/zendesk/",
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "../zendesk/events.html#polling",
            "/elements/zendesk/events.html#polling",
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "../zendesk/index.html",
            "/elements/zendesk/",
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "../../elements.html",
            "/elements.html",
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "../../guides/start",
            "/guides/start.html",
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "/elements/zendesk/events.html",
            "/elements/zendesk/events.html",
        ),
        (OVERVIEW, LinkKind::Link, "/", "/"),
        (
            OVERVIEW,
            LinkKind::Link,
            "/downloads/postman.json",
            "/downloads/postman.json",
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "@/elements/zendesk/events.md#polling",
            "/elements/zendesk/events.html#polling",
        ),
        (OVERVIEW, LinkKind::Link, "@/index.md", "/"),
        (OVERVIEW, LinkKind::Link, "#base-url", "#base-url"),
        (
            OVERVIEW,
            LinkKind::Image,
            "img/app.png",
            "/elements/gotowebinar/img/app.png",
        ),
        (
            SETUP,
            LinkKind::Title,
            "Create Instance",
            "/elements/gotowebinar/gotowebinar-create-instance.html",
        ),
        (
            SETUP,
            LinkKind::Title,
            "create instance",
            "/elements/gotowebinar/gotowebinar-create-instance.html",
        ),
        (
            SETUP,
            LinkKind::Title,
            "Events#webhooks",
            "/elements/gotowebinar/events.html#webhooks",
        ),
        (
            SETUP,
            LinkKind::Title,
            "gotowebinar-create-instance",
            "/elements/gotowebinar/gotowebinar-create-instance.html",
        ),
        (
            "elements/zendesk/index.md",
            LinkKind::Title,
            "Events",
            "/elements/zendesk/events.html",
        ),
        (
            "guides/start.md",
            LinkKind::Title,
            "Endpoint Setup",
            "/elements/gotowebinar/gotowebinar-endpoint-setup.html",
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "https://example.com/x",
            "https://example.com/x",
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "mailto:help@example.com",
            "mailto:help@example.com",
        ),
    ];
    for (from, kind, dest, href) in cases {
        match index.resolve(from, kind, dest) {
            Ok(resolved) => assert_eq!(resolved.href, href, "{dest}"),
            Err(broken) => panic!("{dest}: {broken:?}"),
        }
    }
}

#[test]
fn base_path_prefixes_every_internal_url() {
    let index = site("/docs");
    let href = |dest: &str| index.resolve(OVERVIEW, LinkKind::Link, dest).unwrap().href;
    assert_eq!(
        href("events.html"),
        "/docs/elements/gotowebinar/events.html"
    );
    assert_eq!(href("/elements.html"), "/docs/elements.html");
    assert_eq!(href("/docs/elements.html"), "/docs/elements.html");
    assert_eq!(
        href("img/app.png"),
        "/docs/elements/gotowebinar/img/app.png"
    );
    assert_eq!(href("#base-url"), "#base-url");
    assert_eq!(href("https://x.org/docs/a"), "https://x.org/docs/a");
}

#[test]
fn broken_links_suggest_the_nearest_target_as_written() {
    let index = site("");
    // (from, kind, as written, message, suggestion)
    let cases = [
        (
            OVERVIEW,
            LinkKind::Link,
            "gotowebinar-endpoint-setp.html",
            "broken link \"gotowebinar-endpoint-setp.html\"",
            Some("gotowebinar-endpoint-setup.html"),
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "../zendesk/event.html",
            "broken link \"../zendesk/event.html\"",
            Some("../zendesk/events.html"),
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "/elements/zendesk/evnts.html",
            "broken link \"/elements/zendesk/evnts.html\"",
            Some("/elements/zendesk/events.html"),
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "@/elements/zendesk/event.md",
            "broken link \"@/elements/zendesk/event.md\"",
            Some("@/elements/zendesk/events.md"),
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "events.html#webhook",
            "broken anchor \"events.html#webhook\": content/elements/gotowebinar/events.md has no heading with id \"webhook\"",
            Some("events.html#webhooks"),
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "#base",
            "broken anchor \"#base\": content/elements/gotowebinar/index.md has no heading with id \"base\"",
            Some("#base-url"),
        ),
        (
            OVERVIEW,
            LinkKind::Image,
            "img/ap.png",
            "broken image \"img/ap.png\"",
            Some("img/app.png"),
        ),
        (
            SETUP,
            LinkKind::Title,
            "Create Instanse",
            "broken title link \"[[Create Instanse]]\": no page has that title or file name",
            Some("Create Instance"),
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "../../../x.html",
            "broken link \"../../../x.html\": it goes above the site's root",
            None,
        ),
        (
            OVERVIEW,
            LinkKind::Link,
            "completely-unrelated-name.html",
            "broken link \"completely-unrelated-name.html\"",
            None,
        ),
        (OVERVIEW, LinkKind::Link, "", "empty link target", None),
    ];
    for (from, kind, dest, message, suggestion) in cases {
        let broken = index.resolve(from, kind, dest).expect_err(dest);
        assert_eq!(broken.message, message, "{dest}");
        assert_eq!(broken.suggestion.as_deref(), suggestion, "{dest}");
    }
}

#[test]
fn a_file_name_in_the_own_element_beats_a_title_elsewhere() {
    let mut index = site("");
    let gtw = Some("elements/gotowebinar");
    index.insert_page(page(
        "elements/gotowebinar/webhooks.md",
        "Receiving Events",
        gtw,
        &[],
    ));
    index.insert_page(page(
        "elements/zendesk/hooks.md",
        "Webhooks",
        Some("elements/zendesk"),
        &[],
    ));
    let r = index.resolve(SETUP, LinkKind::Title, "webhooks").unwrap();
    assert_eq!(r.href, "/elements/gotowebinar/webhooks.html");
    let r = index
        .resolve("guides/start.md", LinkKind::Title, "webhooks")
        .unwrap();
    assert_eq!(
        r.href, "/elements/zendesk/hooks.html",
        "outside any element, titles come first"
    );
}

#[test]
fn ambiguous_titles_list_the_candidates() {
    let broken = site("")
        .resolve("guides/start.md", LinkKind::Title, "Events")
        .unwrap_err();
    assert_eq!(
        broken.message,
        "ambiguous title link \"[[Events]]\": 2 pages match"
    );
    assert_eq!(
        broken.notes[0],
        "candidates: content/elements/gotowebinar/events.md, content/elements/zendesk/events.md"
    );
}

#[test]
fn links_to_unpublished_drafts_are_broken() {
    let mut index = site("");
    let mut draft = page("guides/wip.md", "Work in Progress", None, &[]);
    draft.draft = Some("draft: true");
    index.insert_page(draft.clone());
    let broken = index
        .resolve("index.md", LinkKind::Link, "guides/wip.html")
        .unwrap_err();
    assert!(broken.message.contains("draft"), "{broken:?}");
    let mut with_drafts = LinkIndex::new("", true);
    with_drafts.insert_page(page("index.md", "Home", None, &[]));
    with_drafts.insert_page(draft);
    assert!(
        with_drafts
            .resolve("index.md", LinkKind::Link, "guides/wip.html")
            .is_ok()
    );
}

#[test]
fn removing_a_page_breaks_links_to_it() {
    let mut index = site("");
    assert!(
        index
            .resolve(OVERVIEW, LinkKind::Link, "events.html")
            .is_ok()
    );
    index.remove_page("elements/gotowebinar/events.md");
    assert!(
        index
            .resolve(OVERVIEW, LinkKind::Link, "events.html")
            .is_err()
    );
    assert!(
        index.resolve(SETUP, LinkKind::Title, "Events").is_ok(),
        "zendesk's Events is left"
    );
    assert!(index.page_at("/elements/gotowebinar/events.html").is_none());
}

#[test]
fn externality_is_decided_by_scheme() {
    for dest in [
        "https://a.b",
        "http://a",
        "mailto:x@y",
        "tel:+1",
        "data:image/png;base64,x",
        "//cdn.x/y.js",
        "ftp://f",
    ] {
        assert!(is_external(dest), "{dest}");
    }
    for dest in ["a.html", "/a:b.html", "../x", "@/a.md", "#top", "dir/a:b"] {
        assert!(!is_external(dest), "{dest}");
    }
}

#[test]
fn relative_paths_between_folders() {
    assert_eq!(relative_path("/a/b/", "/a/b/c.html"), "c.html");
    assert_eq!(relative_path("/a/b/", "/a/d/c.html"), "../d/c.html");
    assert_eq!(relative_path("/", "/x/y.html"), "x/y.html");
    assert_eq!(relative_path("/a/", "/b.html"), "../b.html");
    assert_eq!(relative_path("/a/", "/a/"), "./");
}

#[test]
fn joining_resolves_dots() {
    assert_eq!(join("/a/b/", "../c.html").as_deref(), Some("/a/c.html"));
    assert_eq!(join("/a/b/", "./").as_deref(), Some("/a/b/"));
    assert_eq!(join("/a/b/", "..").as_deref(), Some("/a/"));
    assert_eq!(join("/a/", "x/../y/z.png").as_deref(), Some("/a/y/z.png"));
    assert_eq!(join("/a/", "../../x"), None);
}

#[test]
fn percent_encoded_paths_are_decoded() {
    let mut index = LinkIndex::new("", false);
    index.insert_page(page("index.md", "Home", None, &[]));
    index.insert_file("/files/My Report.pdf".into());
    let r = index
        .resolve("index.md", LinkKind::Link, "files/My%20Report.pdf")
        .unwrap();
    assert_eq!(r.href, "/files/My%20Report.pdf");
    assert_eq!(percent_decode("a%2Fb%zz%"), "a/b%zz%");
}

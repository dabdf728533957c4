//! Tests of the navigation: elements, guides in order, prev/next, breadcrumbs, warnings.

use super::*;

fn page(source: &str, front: &str) -> Page {
    Page::parse(
        source,
        format!(
            "---
{front}
---
Body
"
        )
        .into_bytes(),
    )
}

fn gotowebinar() -> Vec<Page> {
    vec![
        page(
            "elements/gtw/events.md",
            "heading: GoToWebinar\ntitle: Events\norder: 25\nelementId: 1743",
        ),
        page(
            "elements/gtw/index.md",
            "heading: GoToWebinar\ntitle: Overview\norder: 1\nelementId: 1743",
        ),
        page(
            "elements/gtw/setup.md",
            "heading: GoToWebinar\ntitle: Endpoint Setup\norder: 5",
        ),
        page("elements/gtw/faq.md", "heading: GoToWebinar\ntitle: FAQ"),
        page(
            "elements/gtw/auth.md",
            "heading: GoToWebinar\ntitle: Authentication\norder: 10",
        ),
        page(
            "elements/acme/index.md",
            "heading: Acme CRM\ntitle: Overview\norder: 1",
        ),
        page("elements.md", "title: Element Guides\nheading: All"),
        page("guides/plain.md", "title: Plain"),
    ]
}

#[test]
fn guides_are_sorted_by_order_then_title_with_unordered_last() {
    let nav = Navigation::build(&gotowebinar(), false);
    assert_eq!(nav.diagnostics().count(), 0);
    let headings: Vec<_> = nav.elements.iter().map(|e| e.heading.as_str()).collect();
    assert_eq!(
        headings,
        ["Acme CRM", "GoToWebinar"],
        "sorted by heading; root and plain folders are not elements"
    );
    let gtw = &nav.elements[1];
    let titles: Vec<_> = gtw.guides.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Overview",
            "Endpoint Setup",
            "Authentication",
            "Events",
            "FAQ"
        ]
    );
    assert_eq!(gtw.url(), "/elements/gtw/");
    assert_eq!(gtw.element_id.as_deref(), Some("1743"));
    assert_eq!(gtw.key, "gtw");
}

#[test]
fn prev_and_next_stay_inside_the_element() {
    let nav = Navigation::build(&gotowebinar(), false);
    let (prev, next) = nav.prev_next("elements/gtw/setup.md");
    assert_eq!(prev.unwrap().title, "Overview");
    assert_eq!(next.unwrap().title, "Authentication");
    let (prev, next) = nav.prev_next("elements/gtw/index.md");
    assert!(prev.is_none());
    assert_eq!(next.unwrap().title, "Endpoint Setup");
    assert_eq!(nav.prev_next("elements/gtw/faq.md").1, None);
    assert_eq!(nav.prev_next("guides/plain.md"), (None, None));
}

#[test]
fn disagreements_and_shared_orders_warn_naming_both_files() {
    let pages = vec![
        page(
            "elements/gtw/index.md",
            "heading: GoToWebinar\nelementId: 1743\norder: 1",
        ),
        page(
            "elements/gtw/a.md",
            "heading: Go To Webinar\nelementId: 1743\norder: 5\ntitle: A",
        ),
        page(
            "elements/gtw/b.md",
            "heading: GoToWebinar\nelementId: 1744\norder: 5\ntitle: B",
        ),
    ];
    let nav = Navigation::build(&pages, false);
    assert_eq!(nav.elements[0].heading, "GoToWebinar");
    let found: Vec<_> = nav
        .diagnostics()
        .map(|d| (d.file.as_str(), d.line, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/elements/gtw/a.md",
                2,
                "`heading: Go To Webinar` differs from `heading: GoToWebinar` in content/elements/gtw/index.md, in the same element"
            ),
            (
                "content/elements/gtw/b.md",
                3,
                "`elementId: 1744` differs from `elementId: 1743` in content/elements/gtw/index.md, in the same element"
            ),
            (
                "content/elements/gtw/b.md",
                4,
                "`order: 5` is also used by content/elements/gtw/a.md; the sidebar puts \"A\" before \"B\" by title"
            ),
        ]
    );
}

#[test]
fn without_an_overview_the_most_common_heading_wins() {
    let pages = vec![
        page("elements/x/a.md", "heading: Xero"),
        page("elements/x/b.md", "heading: Xero"),
        page("elements/x/c.md", "heading: XERO"),
    ];
    let nav = Navigation::build(&pages, false);
    assert_eq!(nav.elements[0].heading, "Xero");
    let diagnostics: Vec<_> = nav.diagnostics().collect();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].file, "content/elements/x/c.md");
}

#[test]
fn drafts_are_left_out_unless_built() {
    let pages = vec![
        page("elements/x/index.md", "heading: X"),
        page("elements/x/wip.md", "heading: X\ndraft: true"),
    ];
    assert_eq!(Navigation::build(&pages, false).elements[0].guides.len(), 1);
    assert_eq!(Navigation::build(&pages, true).elements[0].guides.len(), 2);
}

#[test]
fn one_folder_can_be_recomputed_alone() {
    let mut pages = gotowebinar();
    let mut nav = Navigation::build(&pages, false);
    let events = pages
        .iter_mut()
        .find(|p| p.source == "elements/gtw/events.md")
        .unwrap();
    *events = page(
        "elements/gtw/events.md",
        "heading: GoToWebinar\ntitle: Events\norder: 2\nelementId: 1743",
    );
    let gtw: Vec<&Page> = pages.iter().filter(|p| p.dir() == "elements/gtw").collect();
    nav.update_dir("elements/gtw", &gtw);
    assert_eq!(nav, Navigation::build(&pages, false));
    assert_eq!(
        nav.prev_next("elements/gtw/events.md").0.unwrap().title,
        "Overview"
    );
    nav.update_dir("elements/gtw", &[]);
    assert_eq!(nav.elements.len(), 1, "an emptied folder is no element");
    assert!(nav.element_of("elements/gtw/events.md").is_none());
}

#[test]
fn breadcrumbs_run_home_parent_element_page() {
    let crumbs = |is_overview, element: bool| {
        breadcrumbs(Trail {
            home_url: "/",
            is_home: false,
            parent: Some(("Back to Element Guides".into(), "/elements.html".into())),
            sections: Vec::new(),
            element: element.then(|| ("GoToWebinar", "/elements/gtw/".to_string())),
            is_overview,
            title: "Events",
        })
        .into_iter()
        .map(|c| format!("{}={}", c.label, c.url.unwrap_or_default()))
        .collect::<Vec<_>>()
    };
    assert_eq!(
        crumbs(false, true),
        [
            "Home=/",
            "Back to Element Guides=/elements.html",
            "GoToWebinar=/elements/gtw/",
            "Events="
        ]
    );
    assert_eq!(
        crumbs(true, true),
        [
            "Home=/",
            "Back to Element Guides=/elements.html",
            "GoToWebinar="
        ]
    );
    assert_eq!(
        crumbs(false, false),
        ["Home=/", "Back to Element Guides=/elements.html", "Events="]
    );
    let in_sections = breadcrumbs(Trail {
        home_url: "/",
        is_home: false,
        parent: Some(("Guides".into(), "/guides/".into())),
        sections: vec![
            ("Guides".into(), "/guides/".into()),
            ("Advanced".into(), "/guides/advanced/".into()),
        ],
        element: None,
        is_overview: false,
        title: "Paging",
    });
    let labels: Vec<_> = in_sections.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Home", "Guides", "Advanced", "Paging"],
        "a parent that is a section is not repeated"
    );
}

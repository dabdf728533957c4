//! Table tests of the dependency rules: each row an edit and the effects it must have.

use super::*;

fn page_of(source: &str, text: &str) -> Page {
    Page::parse(source, text.as_bytes().to_vec())
}

const BASE: &str =
    "---\ntitle: Events\nheading: GoToWebinar\norder: 2\n---\n\n## Setup\n\nBody text.\n";

/// Every effect but `own`, by name, for readable table rows.
fn names(effects: Effects) -> Vec<&'static str> {
    let Effects {
        own,
        navigation,
        linking_pages,
        file_plan,
        search,
        redirects,
        elements_index,
    } = effects;
    assert!(own, "an edited page is rendered again");
    [
        (navigation, "navigation"),
        (linking_pages, "linking_pages"),
        (file_plan, "file_plan"),
        (search, "search"),
        (redirects, "redirects"),
        (elements_index, "elements_index"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect()
}

#[test]
fn each_front_matter_field_has_its_effects() {
    let all = [
        "navigation",
        "linking_pages",
        "file_plan",
        "search",
        "redirects",
        "elements_index",
    ];
    let table: &[(&str, &str, Vec<&str>)] = &[
        ("the same text", BASE, vec![]),
        (
            "body",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\n---\n\n## Setup\n\nOther text.\n",
            vec!["search"],
        ),
        (
            "a heading (an anchor)",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\n---\n\n## Install\n\nBody text.\n",
            vec!["linking_pages", "search"],
        ),
        (
            "title",
            "---\ntitle: Webhooks\nheading: GoToWebinar\norder: 2\n---\n\n## Setup\n\nBody text.\n",
            vec!["navigation", "linking_pages", "search"],
        ),
        (
            "heading",
            "---\ntitle: Events\nheading: GTW\norder: 2\n---\n\n## Setup\n\nBody text.\n",
            vec!["navigation", "search"],
        ),
        (
            "order",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 3\n---\n\n## Setup\n\nBody text.\n",
            vec!["navigation"],
        ),
        (
            "elementId",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\nelementId: 7\n---\n\n## Setup\n\nBody text.\n",
            vec!["navigation"],
        ),
        (
            "description",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\ndescription: Hooks\n---\n\n## Setup\n\nBody text.\n",
            vec!["navigation"],
        ),
        (
            "logo",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\nlogo: logo.png\n---\n\n## Setup\n\nBody text.\n",
            vec!["navigation"],
        ),
        (
            "layout",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\nlayout: elements\n---\n\n## Setup\n\nBody text.\n",
            vec!["navigation", "elements_index"],
        ),
        (
            "breadcrumbs",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\nbreadcrumbs: /index.html\n---\n\n## Setup\n\nBody text.\n",
            vec!["navigation", "elements_index"],
        ),
        (
            "parent",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\nparent: Elements\n---\n\n## Setup\n\nBody text.\n",
            vec![],
        ),
        (
            "seo",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\nseo: Events | GTW\n---\n\n## Setup\n\nBody text.\n",
            vec![],
        ),
        (
            "an extra key",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\nowner: docs\n---\n\n## Setup\n\nBody text.\n",
            vec![],
        ),
        (
            "sitemap",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\nsitemap: false\n---\n\n## Setup\n\nBody text.\n",
            vec!["file_plan"],
        ),
        (
            "search",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\nsearch: false\n---\n\n## Setup\n\nBody text.\n",
            vec!["search"],
        ),
        (
            "templating",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\ntemplating: false\n---\n\n## Setup\n\nBody text.\n",
            vec![],
        ),
        (
            "redirect_from",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\nredirect_from: /old.html\n---\n\n## Setup\n\nBody text.\n",
            vec!["file_plan", "redirects"],
        ),
        (
            // Like a page removed: its output file may be another page's redirect's now.
            "draft",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\ndraft: true\n---\n\n## Setup\n\nBody text.\n",
            all.to_vec(),
        ),
        (
            "published: false",
            "---\ntitle: Events\nheading: GoToWebinar\norder: 2\npublished: false\n---\n\n## Setup\n\nBody text.\n",
            all.to_vec(),
        ),
    ];
    let old = page_of("elements/gtw/events.md", BASE);
    for (what, text, expected) in table {
        let new = page_of("elements/gtw/events.md", text);
        let mut expected = expected.clone();
        expected.sort();
        let mut found = names(page(Some(&old), Some(&new)));
        found.sort();
        assert_eq!(found, expected, "changing {what}");
    }
}

#[test]
fn a_page_with_redirects_updates_them_when_its_title_or_draft_state_changes() {
    let old = page_of(
        "a.md",
        "---\ntitle: A\nredirect_from: /old.html\n---\nText.\n",
    );
    let table: &[(&str, &str, bool)] = &[
        (
            "body",
            "---\ntitle: A\nredirect_from: /old.html\n---\nMore.\n",
            false,
        ),
        (
            "title",
            "---\ntitle: B\nredirect_from: /old.html\n---\nText.\n",
            true,
        ),
        (
            "draft",
            "---\ntitle: A\nredirect_from: /old.html\ndraft: true\n---\nText.\n",
            true,
        ),
        ("redirect_from removed", "---\ntitle: A\n---\nText.\n", true),
    ];
    for (what, text, redirects) in table {
        let new = page_of("a.md", text);
        assert_eq!(
            page(Some(&old), Some(&new)).redirects,
            *redirects,
            "changing {what}"
        );
    }
}

#[test]
fn a_page_added_or_removed_touches_everything_that_lists_pages() {
    let plain = page_of("a.md", "# A\n");
    let redirected = page_of("b.md", "---\nredirect_from: /old/b.html\n---\n# B\n");
    // A plain page too: it can free or take the file another page's redirect claims.
    let everything = Effects::presence();
    let table = [
        (None, Some(&plain), everything),
        (Some(&plain), None, everything),
        (None, Some(&redirected), everything),
        (Some(&redirected), None, everything),
        (None, None, Effects::default()),
    ];
    for (old, new, expected) in table {
        assert_eq!(page(old, new), expected, "{old:?} → {new:?}");
    }
    assert!(Effects::presence().redirects);
}

#[test]
fn files_matter_by_presence_and_images_by_their_pages() {
    let table = [
        ("img/logo.png", false, true, true, true),
        ("img/logo.png", true, true, false, true),
        ("img/logo.png", true, false, true, true),
        ("files/spec.pdf", true, true, false, false),
        ("files/spec.pdf", false, true, true, false),
        ("site.css", true, false, true, false),
    ];
    for (path, existed, exists, presence, image_pages) in table {
        assert_eq!(
            file(path, existed, exists),
            FileEffects {
                presence,
                image_pages,
                redirects: presence,
            },
            "{path} {existed} → {exists}"
        );
    }
}

#[test]
fn config_and_theme_reach_further_than_content() {
    let table = [
        (Change::Config, false, Reach::Site),
        (Change::Theme, false, Reach::Theme),
        (Change::Page("a.md".into()), false, Reach::Content),
        (Change::ContentFile("a.html".into()), true, Reach::Site),
        (Change::ContentFile("a.png".into()), false, Reach::Content),
        (Change::Page("linked/a.md".into()), true, Reach::Site),
        (Change::StaticFile("linked.css".into()), true, Reach::Site),
        (Change::StaticFile("site.css".into()), false, Reach::Content),
        (
            Change::Templating("includes/note.html".into()),
            false,
            Reach::Content,
        ),
    ];
    for (change, html_page, expected) in table {
        assert_eq!(reach(&change, html_page), expected, "{change:?}");
    }
    assert_eq!(
        [Reach::Content, Reach::Site, Reach::Theme]
            .into_iter()
            .max(),
        Some(Reach::Site)
    );
}

#[test]
fn includes_data_and_partials_become_the_pages_that_use_them() {
    let mut note = page_of("guides/a.md", "# A\n");
    note.dependencies = vec!["includes/note.html".into()];
    let mut glossary = page_of("guides/b.md", "# B\n");
    glossary.dependencies = vec!["data/glossary.yml".into()];
    let mut partial = page_of("guides/c.md", "# C\n");
    partial.dependencies = vec!["content/guides/includes/intro.md".into()];
    let mut quoting = page_of("guides/d.md", "# D\n");
    quoting.dependencies = vec!["content/guides/a.md".into()];
    let pages = vec![note, glossary, partial, quoting];
    let page = |s: &str| Change::Page(s.to_string());
    let table: Vec<(Vec<Change>, Vec<Change>, bool)> = vec![
        // An edited page stays; one quoting it (`include_relative`) joins it.
        (
            vec![page("guides/a.md")],
            vec![page("guides/a.md"), page("guides/d.md")],
            true,
        ),
        (vec![page("guides/b.md")], vec![page("guides/b.md")], false),
        (
            vec![Change::Templating("includes/note.html".into())],
            vec![page("guides/a.md")],
            true,
        ),
        // A data file is known by its top-level key: `site.data.glossary`.
        (
            vec![Change::Templating("data/glossary/terms.yml".into())],
            vec![page("guides/b.md")],
            true,
        ),
        // An include no page uses still reloads templating: a page may ask for it next.
        (
            vec![Change::Templating("includes/unused.html".into())],
            vec![],
            true,
        ),
        // A partial (below an `includes/` folder of content/) is no page of its own.
        (
            vec![page("guides/includes/intro.md")],
            vec![page("guides/c.md")],
            true,
        ),
        (
            vec![Change::ContentFile("img/a.png".into()), Change::Config],
            vec![Change::Config, Change::ContentFile("img/a.png".into())],
            false,
        ),
    ];
    for (batch, expected, reload) in table {
        let got = templating(&batch, &pages);
        let expected: std::collections::BTreeSet<Change> = expected.into_iter().collect();
        assert_eq!(got.changes, expected, "{batch:?}");
        assert_eq!(got.reload, reload, "{batch:?}");
    }
}

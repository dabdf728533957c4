//! The incremental index stage against a fresh one: after each batch `Indexed::apply` must
//! leave the site indexed exactly as `Indexed::new` indexes the tree on disk.

use std::path::Path;

use super::Indexed;
use crate::change::Change;
use crate::config::{Config, Overrides};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn load(root: &Path) -> Indexed {
    Indexed::load(Config::load(root, &Overrides::default()).unwrap()).unwrap()
}

/// Everything the index stage decides, compared field by field so a failure names it.
fn assert_same(step: &str, applied: &Indexed, fresh: &Indexed) {
    let sources =
        |site: &Indexed| -> Vec<String> { site.pages().iter().map(|p| p.source.clone()).collect() };
    assert_eq!(sources(applied), sources(fresh), "{step}: pages");
    assert_eq!(applied.assets(), fresh.assets(), "{step}: assets");
    assert_eq!(
        applied.static_files(),
        fresh.static_files(),
        "{step}: static"
    );
    assert_eq!(applied.nav(), fresh.nav(), "{step}: navigation");
    assert!(
        applied.link_index() == fresh.link_index(),
        "{step}: link index\napplied: {:#?}\nfresh: {:#?}",
        applied.link_index(),
        fresh.link_index()
    );
    assert_eq!(
        applied.elements_index(),
        fresh.elements_index(),
        "{step}: elements index"
    );
    assert_eq!(applied.collisions, fresh.collisions, "{step}: collisions");
    let diagnostics = |site: &Indexed| -> Vec<String> {
        let mut all: Vec<String> = site.diagnostics().map(|d| format!("{d:?}")).collect();
        all.sort();
        all
    };
    assert_eq!(diagnostics(applied), diagnostics(fresh), "{step}: problems");
}

const GUIDE: &str = "---\ntitle: Events\nheading: GoToWebinar\nelementId: 1743\norder: 2\n---\n\n## Polling\n\nSee [setup](setup.md) and [[Authentication]].\n";

#[test]
fn each_batch_leaves_the_index_as_a_fresh_index_of_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "docgen.toml",
        "title = \"Docs\"\nbase_url = \"https://docs.example.com\"\n",
    );
    write(
        root,
        "content/index.md",
        "---\ntitle: Home\n---\n\n[Elements](elements/index.md)\n",
    );
    write(
        root,
        "content/elements/index.md",
        "---\ntitle: Elements\nlayout: elements\n---\n",
    );
    write(
        root,
        "content/elements/gtw/index.md",
        "---\ntitle: Overview\nheading: GoToWebinar\nelementId: 1743\n---\n",
    );
    write(root, "content/elements/gtw/events.md", GUIDE);
    write(
        root,
        "content/elements/gtw/setup.md",
        "---\ntitle: Setup\norder: 1\n---\n\n# Setup\n",
    );
    write(
        root,
        "content/guides/start.md",
        "---\ntitle: Start\n---\n\n![logo](../img/logo.png)\n",
    );
    write(root, "static/img/logo.png", "png");
    let mut site = load(root);
    let page = |p: &str| Change::Page(p.to_string());
    type Edit = fn(&Path);
    let steps: Vec<(&str, Edit, Vec<Change>)> = vec![
        (
            "title edited",
            |r| {
                write(
                    r,
                    "content/elements/gtw/setup.md",
                    "---\ntitle: Authentication\norder: 1\n---\n",
                )
            },
            vec![page("elements/gtw/setup.md")],
        ),
        (
            "page added to a new folder",
            |r| {
                write(
                    r,
                    "content/elements/box/index.md",
                    "---\ntitle: Box\nheading: Box\nelementId: 9\n---\n",
                )
            },
            vec![page("elements/box/index.md")],
        ),
        (
            "guide turned draft",
            |r| {
                write(
                    r,
                    "content/elements/gtw/events.md",
                    &GUIDE.replace("order: 2", "order: 2\ndraft: true"),
                )
            },
            vec![page("elements/gtw/events.md")],
        ),
        (
            "redirect_from added",
            |r| {
                write(
                    r,
                    "content/guides/start.md",
                    "---\ntitle: Start\nredirect_from: [/old/start.html]\n---\n",
                )
            },
            vec![page("guides/start.md")],
        ),
        (
            "static file removed, content file added",
            |r| {
                std::fs::remove_file(r.join("static/img/logo.png")).unwrap();
                write(r, "content/guides/diagram.svg", "<svg/>");
            },
            vec![
                Change::StaticFile("img/logo.png".into()),
                Change::ContentFile("guides/diagram.svg".into()),
            ],
        ),
        (
            "a file where a redirect's page goes",
            |r| write(r, "static/old/start.html", "<p>old</p>"),
            vec![Change::StaticFile("old/start.html".into())],
        ),
        (
            "page removed",
            |r| std::fs::remove_file(r.join("content/elements/gtw/setup.md")).unwrap(),
            vec![page("elements/gtw/setup.md")],
        ),
        (
            "element heading moved",
            |r| {
                write(
                    r,
                    "content/elements/box/index.md",
                    "---\ntitle: Box\nheading: Box API\nelementId: 9\n---\n",
                )
            },
            vec![page("elements/box/index.md")],
        ),
    ];
    for (step, edit, changes) in steps {
        edit(root);
        site.apply(&changes).unwrap();
        assert_same(step, &site, &load(root));
    }
}

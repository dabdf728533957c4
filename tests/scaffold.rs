//! `docgen new element`: a new element's guide set that builds, links and sorts from the start.

mod common;

use common::TestSite;
use docgen::config::{Config, Overrides};
use docgen::error::Error;
use docgen::scaffold::{self, NewElement};

fn new_box(site: &TestSite, id: Option<&str>) -> Result<scaffold::Created, Error> {
    let config = Config::load(site.root(), &Overrides::default()).unwrap();
    scaffold::new_element(
        &config,
        &NewElement {
            key: "box".into(),
            heading: "Box".into(),
            element_id: id.map(str::to_string),
            under: "elements".into(),
        },
    )
}

#[test]
fn the_built_in_guide_set_builds_links_and_sorts() {
    let site = TestSite::new()
        .file(
            "templates/sidebarelementdoc.html",
            "SIDEBAR:{% for g in element.guides %}{{ g.title }};{% endfor %}\nCONTENT:{{ page.content | safe }}",
        );
    let run = site.run(&["new", "element", "box", "--heading", "Box", "--id", "22"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Created 6 files from built-in templates:\n  content/elements/box/box-authentication.md\n  content/elements/box/box-create-instance.md\n  content/elements/box/box-endpoint-setup.md\n  content/elements/box/box-error-codes.md\n  content/elements/box/box-events.md\n  content/elements/box/index.md\n"
    );
    let setup = std::fs::read_to_string(
        site.root()
            .join("content/elements/box/box-endpoint-setup.md"),
    )
    .unwrap();
    assert!(
        setup.starts_with(
            "---\nheading: Box\nelementKey: box\nelementId: 22\ntitle: Endpoint Setup\n"
        ),
        "{setup}"
    );
    let built = site.build().clean();
    let overview = built.html("elements/box/index.html");
    assert!(
        overview.contains(
            "SIDEBAR:Overview;Endpoint Setup;Create Instance;Authentication;Events;Error Codes;\n"
        ),
        "{overview}"
    );
    assert!(
        overview.contains("href=\"/elements/box/box-create-instance.html\""),
        "{overview}"
    );
    assert!(
        built
            .html("elements/box/box-create-instance.html")
            .contains("My Box")
    );
}

#[test]
fn a_site_customises_the_templates() {
    let site = TestSite::new()
        .file(
            "scaffolds/element/index.md",
            "---\ntitle: Overview\n---\n# {{ element.heading }} ({{ element.id }})\n\n{% raw %}Key: {{ page.elementKey }}{% endraw %}\n",
        )
        .file("scaffolds/element/bulk.md", "# Bulk\n\nSee [[Overview]].\n")
        .file(
            "scaffolds/element/faq.md",
            "---\ntitle: FAQ\norder: 99\n---\n# FAQ\n",
        )
        .file("scaffolds/element/img/logo.svg", "<svg/>");
    let created = new_box(&site, Some("box-7")).unwrap();
    assert_eq!(created.templates, "scaffolds/element/");
    assert_eq!(
        created.files,
        [
            "content/elements/box/box-bulk.md",
            "content/elements/box/box-faq.md",
            "content/elements/box/img/logo.svg",
            "content/elements/box/index.md",
        ]
    );
    let read = |rel: &str| std::fs::read_to_string(site.root().join(rel)).unwrap();
    assert_eq!(
        read("content/elements/box/index.md"),
        "---\nheading: Box\nelementKey: box\nelementId: box-7\ntitle: Overview\norder: 10\n---\n# Box (box-7)\n\nKey: {{ page.elementKey }}\n"
    );
    assert_eq!(
        read("content/elements/box/box-bulk.md"),
        "---\nheading: Box\nelementKey: box\nelementId: box-7\norder: 20\n---\n# Bulk\n\nSee [[Overview]].\n"
    );
    assert!(read("content/elements/box/box-faq.md").contains("order: 99\n"));
    let built = site.build().clean();
    assert!(
        built.html("elements/box/index.html").contains("Key: box"),
        "page-time Liquid runs when the site is built"
    );
}

#[test]
fn an_existing_element_is_never_overwritten() {
    let site = TestSite::new().page("elements/box/index.md", "# Mine\n");
    let error = new_box(&site, None).unwrap_err();
    assert!(
        matches!(&error, Error::Usage(m) if m.contains("content/elements/box/ already exists")),
        "{error}"
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/elements/box/index.md")).unwrap(),
        "# Mine\n"
    );
    let run = site.run(&["new", "element", "Not A Key", "--heading", "X"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn a_broken_template_is_reported_and_nothing_is_written() {
    let site = TestSite::new()
        .file("scaffolds/element/index.md", "# Overview\n")
        .file(
            "scaffolds/element/events.md",
            "# Events\n\nFor {{ element.heding }}.\n",
        );
    let Err(Error::Config(problems)) = new_box(&site, None) else {
        panic!("the template's error is reported");
    };
    assert_eq!(
        problems[0].headline(),
        "scaffolds/element/events.md:3:8: unknown variable element.heding — did you mean \"element.heading\"?"
    );
    assert!(!site.root().join("content/elements/box").exists());
}

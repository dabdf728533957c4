//! Incremental rebuilds: each change re-renders exactly the pages that depend on it, and the
//! result is always the same as a fresh build.

mod common;

use common::{TestSite, assert_same_files, guide};
use docgen::config::Overrides;
use docgen::highlight::Highlighter;
use docgen::session::{Change, Rebuild, Session};

fn element_site() -> TestSite {
    TestSite::new()
        .page(
            "index.md",
            "# Home\n\nSee [[Events]] and [setup](elements/gtw/setup.html).\n",
        )
        .page(
            "elements.md",
            "---\ntitle: Elements\nlayout: elements\n---\n",
        )
        .page(
            "elements/gtw/index.md",
            &guide("GoToWebinar", "Overview", 1, "Hi.\n"),
        )
        .page(
            "elements/gtw/setup.md",
            &guide("GoToWebinar", "Endpoint Setup", 5, "## Register\n"),
        )
        .page(
            "elements/gtw/events.md",
            &guide(
                "GoToWebinar",
                "Events",
                10,
                "See [setup](setup.html#register).\n",
            ),
        )
        .page(
            "elements/zd/index.md",
            &guide("Zendesk", "Overview", 1, "Zen.\n"),
        )
        .file("static/site.css", "body {}")
}

struct Live {
    site: TestSite,
    session: Session,
    out: tempfile::TempDir,
    highlighter: Highlighter,
}

impl Live {
    fn open(site: TestSite) -> (Live, Rebuild) {
        let out = tempfile::tempdir().unwrap();
        let highlighter = Highlighter::new();
        let (session, rebuild) =
            Session::open(site.root(), Overrides::default(), out.path(), &highlighter).unwrap();
        (
            Live {
                site,
                session,
                out,
                highlighter,
            },
            rebuild,
        )
    }

    fn write(&mut self, rel: &str, text: &str) -> Rebuild {
        let path = self.site.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        self.apply(rel)
    }

    fn delete(&mut self, rel: &str) -> Rebuild {
        std::fs::remove_file(self.site.root().join(rel)).unwrap();
        self.apply(rel)
    }

    fn apply(&mut self, rel: &str) -> Rebuild {
        let change = if rel == "docgen.toml" {
            Change::Config
        } else if rel.starts_with("templates/") || rel.starts_with("themes/") {
            Change::Theme
        } else if rel.starts_with("includes/") || rel.starts_with("data/") {
            Change::Templating(rel.to_string())
        } else if let Some(path) = rel.strip_prefix("content/") {
            if path.ends_with(".md") {
                Change::Page(path.to_string())
            } else {
                Change::ContentFile(path.to_string())
            }
        } else {
            Change::StaticFile(rel.strip_prefix("static/").unwrap().to_string())
        };
        self.session.apply(&[change], &self.highlighter).unwrap()
    }

    fn html(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.path().join(rel)).unwrap()
    }

    /// Asserts the incremental output equals a fresh build of the same sources.
    fn matches_a_fresh_build(&self) {
        let fresh = tempfile::tempdir().unwrap();
        let (session, _) = Session::open(
            self.site.root(),
            Overrides::default(),
            fresh.path(),
            &self.highlighter,
        )
        .unwrap();
        assert_same_files(
            self.out.path(),
            fresh.path(),
            "incremental output against a fresh build",
        );
        assert_eq!(
            self.session.diagnostics(),
            session.diagnostics(),
            "incremental diagnostics differ from a fresh build"
        );
    }
}

#[test]
fn editing_a_page_body_re_renders_only_that_page() {
    let (mut live, first) = Live::open(element_site());
    assert!(
        first.full && first.diagnostics.is_empty(),
        "{:?}",
        first.diagnostics
    );
    let rebuild = live.write(
        "content/elements/gtw/events.md",
        &guide(
            "GoToWebinar",
            "Events",
            10,
            "See [setup](setup.html#register). Polling now.\n",
        ),
    );
    assert_eq!(rebuild.rendered, 1);
    assert_eq!(
        rebuild.written,
        ["search-index.json", "elements/gtw/events.html"],
        "the page and its search excerpt"
    );
    assert!(
        live.html("elements/gtw/events.html")
            .contains("Polling now.")
    );
    live.matches_a_fresh_build();
}

#[test]
fn renaming_a_guide_re_renders_its_element_and_title_links() {
    let (mut live, _) = Live::open(element_site());
    let rebuild = live.write(
        "content/elements/gtw/events.md",
        &guide(
            "GoToWebinar",
            "Webhooks",
            10,
            "See [setup](setup.html#register).\n",
        ),
    );
    let mut written = rebuild.written.clone();
    written.sort();
    assert_eq!(
        written,
        [
            "elements/gtw/events.html",
            "elements/gtw/index.html",
            "elements/gtw/setup.html",
            "index.html",
            "search-index.json"
        ],
        "the element's sidebars change, and [[Events]] on the home page breaks"
    );
    assert!(live.html("elements/gtw/setup.html").contains("Webhooks"));
    assert_eq!(rebuild.errors(), 1, "{:?}", rebuild.diagnostics);
    assert!(
        rebuild.diagnostics[0]
            .headline()
            .contains("broken title link \"[[Events]]\"")
    );
    live.matches_a_fresh_build();
}

#[test]
fn reordering_guides_changes_prev_and_next() {
    let (mut live, _) = Live::open(element_site());
    live.write(
        "content/elements/gtw/events.md",
        &guide(
            "GoToWebinar",
            "Events",
            2,
            "See [setup](setup.html#register).\n",
        ),
    );
    let overview = live.html("elements/gtw/index.html");
    assert!(
        overview.contains("rel=\"next\" href=\"/elements/gtw/events.html\""),
        "{overview}"
    );
    live.matches_a_fresh_build();
}

#[test]
fn adding_a_missing_page_fixes_the_links_to_it() {
    let (mut live, _) = Live::open(element_site().page("guides/a.md", "Read [b](b.html).\n"));
    assert_eq!(live.session.diagnostics().len(), 1);
    let rebuild = live.write("content/guides/b.md", "# B\n");
    assert!(rebuild.diagnostics.is_empty(), "{:?}", rebuild.diagnostics);
    let mut written = rebuild.written.clone();
    written.sort();
    assert_eq!(
        written,
        [
            "guides/a.html",
            "guides/b.html",
            "search-index.json",
            "sitemap.xml"
        ]
    );
    live.matches_a_fresh_build();
}

#[test]
fn removing_a_page_removes_its_output_and_breaks_links_to_it() {
    let (mut live, _) = Live::open(element_site());
    let rebuild = live.delete("content/elements/gtw/setup.md");
    assert_eq!(rebuild.removed, ["elements/gtw/setup.html"]);
    let headlines: Vec<String> = rebuild.diagnostics.iter().map(|d| d.headline()).collect();
    assert!(
        headlines
            .iter()
            .any(|h| h.starts_with("content/index.md:3:") && h.contains("broken link")),
        "{headlines:?}"
    );
    assert!(
        headlines
            .iter()
            .any(|h| h.starts_with("content/elements/gtw/events.md:") && h.contains("broken")),
        "{headlines:?}"
    );
    live.matches_a_fresh_build();
}

#[test]
fn removing_a_heading_breaks_anchored_links_to_it() {
    let (mut live, _) = Live::open(element_site());
    let rebuild = live.write(
        "content/elements/gtw/setup.md",
        &guide("GoToWebinar", "Endpoint Setup", 5, "## Registration\n"),
    );
    assert!(
        rebuild
            .written
            .contains(&"elements/gtw/setup.html".to_string())
    );
    assert_eq!(rebuild.errors(), 1, "{:?}", rebuild.diagnostics);
    assert!(
        rebuild.diagnostics[0]
            .headline()
            .contains("has no heading with id \"register\"")
    );
    live.matches_a_fresh_build();
}

#[test]
fn a_new_element_appears_in_the_element_list() {
    let (mut live, _) = Live::open(element_site());
    let rebuild = live.write(
        "content/elements/box/index.md",
        &guide("Box", "Overview", 1, "Files.\n"),
    );
    assert!(
        rebuild.written.contains(&"elements.html".to_string()),
        "{:?}",
        rebuild.written
    );
    assert!(
        rebuild.written.contains(&"elements-nav.json".to_string())
            || live.html("elements-nav.json").contains("\"Box\"")
    );
    assert!(live.html("elements.html").contains("/elements/box/"));
    live.matches_a_fresh_build();
}

#[test]
fn a_stylesheet_change_is_css_only() {
    let (mut live, _) = Live::open(element_site());
    let rebuild = live.write("static/site.css", "body { color: red }");
    assert_eq!(rebuild.written, ["site.css"]);
    assert!(rebuild.only_css());
    assert_eq!(rebuild.rendered, 0);
    live.matches_a_fresh_build();
}

#[test]
fn a_static_file_shadowing_a_theme_file_falls_back_when_removed() {
    let (mut live, _) = Live::open(element_site().file("static/theme.css", "/* mine */"));
    assert_eq!(live.html("theme.css"), "/* mine */");
    live.delete("static/theme.css");
    assert!(
        live.html("theme.css").len() > 1000,
        "the theme's stylesheet is back"
    );
    live.matches_a_fresh_build();
}

#[test]
fn a_new_image_fixes_the_page_that_shows_it() {
    let (mut live, _) = Live::open(element_site().page("guides/a.md", "![diagram](img/d.png)\n"));
    assert_eq!(live.session.diagnostics().len(), 1);
    let rebuild = live.write("content/guides/img/d.png", "png");
    assert!(rebuild.diagnostics.is_empty(), "{:?}", rebuild.diagnostics);
    assert!(rebuild.written.contains(&"guides/img/d.png".to_string()));
    live.matches_a_fresh_build();
}

#[test]
fn template_and_config_changes_rebuild_everything() {
    let (mut live, _) = Live::open(element_site());
    let rebuild = live.write("templates/page.html", "custom {{ page.title }}");
    assert!(rebuild.full);
    assert_eq!(live.html("index.html"), "custom Home");
    let rebuild = live.write(
        "docgen.toml",
        "title = \"Renamed\"\nbase_url = \"https://docs.example.com/v2\"\n",
    );
    assert!(rebuild.full);
    assert!(
        live.html("elements/gtw/events.html")
            .contains("/v2/elements/gtw/setup.html#register")
    );
    live.matches_a_fresh_build();
}

#[test]
fn a_broken_edit_is_reported_and_its_fix_clears_it() {
    let (mut live, _) = Live::open(element_site());
    let rebuild = live.write("content/elements/gtw/events.md", "---\ntitle: [oops\n---\n");
    assert!(rebuild.errors() >= 1);
    let rebuild = live.write(
        "content/elements/gtw/events.md",
        &guide("GoToWebinar", "Events", 10, "Fixed.\n"),
    );
    assert!(rebuild.diagnostics.is_empty(), "{:?}", rebuild.diagnostics);
    live.matches_a_fresh_build();
}

#[test]
fn a_file_colliding_with_a_page_is_reported_until_removed() {
    let (mut live, _) = Live::open(element_site());
    let rebuild = live.write("static/elements/gtw/setup.html", "<p>static</p>");
    assert!(
        rebuild
            .diagnostics
            .iter()
            .any(|d| d.code == "url-collision"
                && d.message.contains("static/elements/gtw/setup.html")),
        "{:?}",
        rebuild.diagnostics
    );
    live.matches_a_fresh_build();
    let rebuild = live.delete("static/elements/gtw/setup.html");
    assert!(rebuild.diagnostics.is_empty(), "{:?}", rebuild.diagnostics);
    // An edit that adds no file does not recompute (or lose) the site-wide checks.
    live.write(
        "content/elements/gtw/events.md",
        &guide("GoToWebinar", "Events", 10, "Edited.\n"),
    );
    live.matches_a_fresh_build();
    // The other way round: the page goes, the file keeps its place.
    live.write("static/elements/gtw/setup.html", "<p>static</p>");
    live.delete("content/elements/gtw/setup.md");
    assert_eq!(live.html("elements/gtw/setup.html"), "<p>static</p>");
    live.matches_a_fresh_build();
}

#[test]
fn redirect_pages_follow_their_pages_front_matter() {
    let (mut live, _) = Live::open(element_site());
    let setup = |redirect: &str| {
        format!(
            "---\nheading: GoToWebinar\ntitle: Endpoint Setup\nlayout: sidebarelementdoc\norder: 5\n{redirect}---\n## Register\n"
        )
    };
    let rebuild = live.write(
        "content/elements/gtw/setup.md",
        &setup("redirect_from: /old-setup.html\n"),
    );
    assert!(rebuild.written.contains(&"old-setup.html".to_string()));
    assert!(
        live.html("old-setup.html")
            .contains("url=/elements/gtw/setup.html")
    );
    live.matches_a_fresh_build();
    let rebuild = live.write("content/elements/gtw/setup.md", &setup(""));
    assert_eq!(rebuild.removed, ["old-setup.html"]);
    live.matches_a_fresh_build();
}

#[test]
fn the_generated_home_page_follows_content_index_md() {
    let (mut live, _) = Live::open(element_site().remove("content/index.md"));
    assert!(
        live.html("index.html").contains("/elements/zd/"),
        "docgen's home lists the elements"
    );
    live.write(
        "content/elements/box/index.md",
        &guide("Box", "Overview", 1, "Files.\n"),
    );
    assert!(
        live.html("index.html").contains("/elements/box/"),
        "and keeps listing them"
    );
    live.write("content/index.md", "# Welcome home\n");
    assert!(live.html("index.html").contains("Welcome home"));
    live.delete("content/index.md");
    assert!(
        !live.html("index.html").contains("Welcome home"),
        "docgen's home is back"
    );
    live.matches_a_fresh_build();
}

#[test]
fn a_sites_own_note_html_replaces_the_built_in_one_and_back() {
    let site = element_site().page(
        "guides/a.md",
        "# A\n\n{% include note.html content=\"Mind the URL.\" %}\n",
    );
    let (mut live, first) = Live::open(site);
    assert!(first.diagnostics.is_empty(), "{:?}", first.diagnostics);
    assert!(
        live.html("guides/a.html")
            .contains("<div class=\"callout callout--note\" role=\"note\">")
    );
    let rebuild = live.write(
        "includes/note.html",
        "<aside class=\"mine\">{{ include.content }}</aside>\n",
    );
    assert_eq!(rebuild.rendered, 1, "only the page using it");
    assert!(
        live.html("guides/a.html")
            .contains("<aside class=\"mine\">Mind the URL.</aside>")
    );
    live.matches_a_fresh_build();
    live.delete("includes/note.html");
    assert!(
        live.html("guides/a.html")
            .contains("<div class=\"callout callout--note\" role=\"note\">")
    );
    live.matches_a_fresh_build();
}

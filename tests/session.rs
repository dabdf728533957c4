//! Incremental rebuilds: each change re-renders exactly the pages that depend on it, and the
//! result is always the same as a fresh build.

mod common;

use common::live::Live;
use common::{TestSite, guide};

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

/// `element_site` with broken links as warnings, so a tree with broken links still builds and
/// the session's output can be compared with `build`'s.
fn lenient_element_site() -> TestSite {
    element_site().file(
        "docgen.toml",
        "title = \"Test Docs\"\nbase_url = \"https://docs.example.com\"\nbroken_links = \"warn\"\n",
    )
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
        [
            "elements/gtw/events.html",
            "search-index/p/elements.gtw.json",
            "search-index/index.json",
            "search-index/t/0.json",
            "search-index/r/0.json"
        ],
        "the page, then its folder's search fragments and the shards of its words"
    );
    assert!(
        live.html("elements/gtw/events.html")
            .contains("Polling now.")
    );
    live.assert_matches_build();
}

#[test]
fn renaming_a_guide_re_renders_its_element_and_title_links() {
    let (mut live, _) = Live::open(lenient_element_site());
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
            "search-index/index.json",
            "search-index/p/elements.gtw.json",
            "search-index/r/0.json",
            "search-index/t/0.json"
        ],
        "the element's sidebars change, and [[Events]] on the home page breaks"
    );
    assert!(live.html("elements/gtw/setup.html").contains("Webhooks"));
    assert_eq!(rebuild.diagnostics.len(), 1, "{:?}", rebuild.diagnostics);
    assert!(
        rebuild.diagnostics[0]
            .headline()
            .contains("broken title link \"[[Events]]\"")
    );
    live.assert_matches_build();
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
    live.assert_matches_build();
}

#[test]
fn adding_a_missing_page_fixes_the_links_to_it() {
    let (mut live, _) = Live::open(element_site().page("guides/a.md", "Read [b](b.html).\n"));
    assert_eq!(live.diagnostics().len(), 1);
    let rebuild = live.write("content/guides/b.md", "# B\n");
    assert!(rebuild.diagnostics.is_empty(), "{:?}", rebuild.diagnostics);
    let mut written = rebuild.written.clone();
    written.sort();
    assert_eq!(
        written,
        [
            "guides/a.html",
            "guides/b.html",
            "search-index/index.json",
            // b joins a in the file of their folder; no other fragment file changes.
            "search-index/p/guides.json",
            "search-index/t/0.json",
            "sitemap.xml"
        ]
    );
    live.assert_matches_build();
}

#[test]
fn removing_a_page_removes_its_output_and_breaks_links_to_it() {
    let (mut live, _) = Live::open(lenient_element_site());
    let rebuild = live.delete("content/elements/gtw/setup.md");
    // Its folder's fragment file is written again without it; the file stays for the others.
    assert_eq!(rebuild.removed, ["elements/gtw/setup.html"]);
    assert!(
        rebuild
            .written
            .contains(&"search-index/p/elements.gtw.json".to_string()),
        "{:?}",
        rebuild.written
    );
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
    live.assert_matches_build();
}

#[test]
fn removing_a_heading_breaks_anchored_links_to_it() {
    let (mut live, _) = Live::open(lenient_element_site());
    let rebuild = live.write(
        "content/elements/gtw/setup.md",
        &guide("GoToWebinar", "Endpoint Setup", 5, "## Registration\n"),
    );
    assert!(
        rebuild
            .written
            .contains(&"elements/gtw/setup.html".to_string())
    );
    assert_eq!(rebuild.diagnostics.len(), 1, "{:?}", rebuild.diagnostics);
    assert!(
        rebuild.diagnostics[0]
            .headline()
            .contains("has no heading with id \"register\"")
    );
    live.assert_matches_build();
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
    live.assert_matches_build();
}

#[test]
fn a_stylesheet_change_is_css_only() {
    let (mut live, _) = Live::open(element_site());
    let rebuild = live.write("static/site.css", "body { color: red }");
    assert_eq!(rebuild.written, ["site.css"]);
    assert!(rebuild.only_css());
    assert_eq!(rebuild.rendered, 0);
    live.assert_matches_build();
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
    live.assert_matches_build();
}

#[test]
fn a_new_image_fixes_the_page_that_shows_it() {
    let (mut live, _) = Live::open(element_site().page("guides/a.md", "![diagram](img/d.png)\n"));
    assert_eq!(live.diagnostics().len(), 1);
    let rebuild = live.write("content/guides/img/d.png", "png");
    assert!(rebuild.diagnostics.is_empty(), "{:?}", rebuild.diagnostics);
    assert!(rebuild.written.contains(&"guides/img/d.png".to_string()));
    live.assert_matches_build();
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
    live.assert_matches_build();
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
    live.assert_matches_build();
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
    live.assert_matches_check();
    let rebuild = live.delete("static/elements/gtw/setup.html");
    assert!(rebuild.diagnostics.is_empty(), "{:?}", rebuild.diagnostics);
    // An edit that adds no file does not recompute (or lose) the site-wide checks.
    live.write(
        "content/elements/gtw/events.md",
        &guide("GoToWebinar", "Events", 10, "Edited.\n"),
    );
    live.assert_matches_build();
    // The other way round: the page goes, the file keeps its place.
    live.write("static/elements/gtw/setup.html", "<p>static</p>");
    live.delete("content/elements/gtw/setup.md");
    assert_eq!(live.html("elements/gtw/setup.html"), "<p>static</p>");
    live.assert_matches_build();
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
    live.assert_matches_build();
    let rebuild = live.write("content/elements/gtw/setup.md", &setup(""));
    assert_eq!(rebuild.removed, ["old-setup.html"]);
    live.assert_matches_build();
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
    live.assert_matches_build();
}

/// The search index files of the live output: the manifest and shards, as one text.
fn search_shards(live: &Live) -> String {
    let dir = live.output().join("search-index");
    let mut text = std::fs::read_to_string(dir.join("index.json")).unwrap();
    let mut shards: Vec<_> = std::fs::read_dir(dir.join("t"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    shards.sort();
    for shard in shards {
        text.push_str(&std::fs::read_to_string(shard).unwrap());
    }
    text
}

#[test]
fn the_search_index_follows_edits_new_pages_and_search_false() {
    let (mut live, _) = Live::open(element_site());
    assert!(!search_shards(&live).contains("\"zeppelin\""));
    let rebuild = live.write(
        "content/elements/gtw/events.md",
        &guide(
            "GoToWebinar",
            "Events",
            10,
            "See [setup](setup.html#register). A zeppelin of events.\n",
        ),
    );
    assert!(search_shards(&live).contains("[\"zeppelin\",\"\",["));
    assert!(
        rebuild
            .written
            .iter()
            .any(|f| f.starts_with("search-index/p/")),
        "{:?}",
        rebuild.written
    );
    live.assert_matches_build();

    // An edit that changes no word, only the text the browser shows (its excerpts): the
    // shards stay, and the manifest's `build` hash, which the fragment files' URLs carry
    // (`?v=`), changes, so no browser keeps the old excerpt.
    let build_hash = |live: &Live| -> String {
        let manifest = std::fs::read_to_string(live.output().join("search-index/index.json"));
        let manifest: serde_json::Value = serde_json::from_str(&manifest.unwrap()).unwrap();
        manifest["build"].as_str().unwrap().to_string()
    };
    let (before, shards_before) = (build_hash(&live), search_shards(&live));
    let rebuild = live.write(
        "content/elements/gtw/events.md",
        &guide(
            "GoToWebinar",
            "Events",
            10,
            "See [setup](setup.html#register). A zeppelin, of events!\n",
        ),
    );
    assert!(
        rebuild
            .written
            .contains(&"search-index/index.json".to_string()),
        "{:?}",
        rebuild.written
    );
    assert_ne!(build_hash(&live), before);
    assert_eq!(
        search_shards(&live).split_once('}').unwrap().1,
        shards_before.split_once('}').unwrap().1,
        "the shards themselves are the same"
    );
    live.assert_matches_build();

    // A new page renumbers the pages after it, but fragment files hold no numbers: only its
    // folder's file is written again.
    let fragment_files = |written: &[String]| -> Vec<String> {
        written
            .iter()
            .filter(|f| f.starts_with("search-index/p/"))
            .cloned()
            .collect()
    };
    let rebuild = live.write(
        "content/elements/gtw/aaa.md",
        &guide("GoToWebinar", "Aardvark", 2, "Anteater.\n"),
    );
    assert!(search_shards(&live).contains("\"anteat"));
    assert_eq!(
        fragment_files(&rebuild.written),
        ["search-index/p/elements.gtw.json"]
    );
    live.assert_matches_build();

    // Leaving the index takes the page out of its folder's file; a folder with no page left
    // in the index loses its file.
    let files = |live: &Live| {
        let mut names: Vec<String> = std::fs::read_dir(live.output().join("search-index/p"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let rebuild = live.write(
        "content/elements/gtw/aaa.md",
        &format!("---\nsearch: false\n---\n{}", "Anteater.\n"),
    );
    assert_eq!(
        fragment_files(&rebuild.written),
        ["search-index/p/elements.gtw.json"]
    );
    assert!(!search_shards(&live).contains("\"anteat"));
    live.assert_matches_build();
    assert!(files(&live).contains(&"elements.zd.json".to_string()));
    let rebuild = live.write(
        "content/elements/zd/index.md",
        &guide("Zendesk", "Overview", 1, "Zen.\n").replacen("---\n", "---\nsearch: false\n", 1),
    );
    assert_eq!(rebuild.removed, ["search-index/p/elements.zd.json"]);
    assert!(!files(&live).contains(&"elements.zd.json".to_string()));
    live.assert_matches_build();
    let rebuild = live.delete("content/elements/gtw/aaa.md");
    assert!(
        rebuild.removed.is_empty()
            || !rebuild
                .removed
                .iter()
                .any(|f| f.starts_with("search-index/p/"))
    );
    live.assert_matches_build();
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
    live.assert_matches_build();
    live.delete("includes/note.html");
    assert!(
        live.html("guides/a.html")
            .contains("<div class=\"callout callout--note\" role=\"note\">")
    );
    live.assert_matches_build();
}

// The three ways the session had drifted from `build` (#12): each is compared with a clean
// build of the same tree, so the fix cannot quietly regress.

#[test]
fn a_site_without_base_url_warns_in_the_session_as_in_build() {
    let site = element_site().file("docgen.toml", "title = \"Test Docs\"\n");
    let (mut live, first) = Live::open(site);
    let headlines: Vec<String> = first.diagnostics.iter().map(|d| d.headline()).collect();
    assert_eq!(
        headlines,
        [
            "docgen.toml: base_url is not set: sitemap.xml is not written and permalinks are \
             site-relative"
        ]
    );
    live.assert_matches_build();
    // An incremental rebuild keeps it, and setting base_url clears it.
    live.write(
        "content/elements/gtw/events.md",
        &guide("GoToWebinar", "Events", 10, "Edited.\n"),
    );
    live.assert_matches_build();
    let rebuild = live.write(
        "docgen.toml",
        "title = \"Test Docs\"\nbase_url = \"https://docs.example.com\"\n",
    );
    assert!(rebuild.diagnostics.is_empty(), "{:?}", rebuild.diagnostics);
    live.assert_matches_build();
    let rebuild = live.write("docgen.toml", "title = \"Test Docs\"\n");
    assert_eq!(rebuild.diagnostics.len(), 1, "{:?}", rebuild.diagnostics);
    live.assert_matches_build();
}

/// A layout whose error shows only when it renders (an undefined variable), not when it loads.
const FAILING_LAYOUT: &str = "{% extends \"base.html\" %}{% block content %}{{ page.extra.missing.deeper }}{% endblock content %}";

#[test]
fn a_broken_404_template_is_reported_by_the_session_as_by_build() {
    let site = element_site().file("templates/404.html", FAILING_LAYOUT);
    let (mut live, first) = Live::open(site);
    assert!(
        first
            .diagnostics
            .iter()
            .any(|d| d.is_error() && d.file.ends_with("404.html")),
        "the generated 404 page is checked: {:?}",
        first.diagnostics
    );
    live.assert_matches_check();
    // Fixed, then broken again by an edit.
    live.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}gone{% endblock content %}",
    );
    live.assert_matches_build();
    assert!(live.html("404.html").contains("gone"));
    live.write("templates/404.html", FAILING_LAYOUT);
    live.assert_matches_check();
}

#[test]
fn a_broken_elements_layout_is_reported_for_the_generated_home_page_too() {
    // Without content/index.md docgen renders its own home page with the `elements` layout:
    // a failing layout fails it, and the error says so once for both pages.
    let site = element_site()
        .remove("content/index.md")
        .file("templates/elements.html", FAILING_LAYOUT);
    let (mut live, _) = Live::open(site);
    live.assert_matches_check();
    // The home page comes and goes with content/index.md.
    live.write("content/index.md", "# Home\n");
    live.assert_matches_check();
    live.delete("content/index.md");
    live.assert_matches_check();
}

#[test]
fn a_template_error_repeated_across_pages_is_reported_once_by_the_session() {
    let site = element_site().file("templates/sidebarelementdoc.html", FAILING_LAYOUT);
    let (mut live, first) = Live::open(site);
    let failing: Vec<_> = first
        .diagnostics
        .iter()
        .filter(|d| d.file.ends_with("sidebarelementdoc.html"))
        .collect();
    assert_eq!(failing.len(), 1, "{:?}", first.diagnostics);
    assert_eq!(failing[0].notes.last().unwrap(), "and 3 other pages");
    live.assert_matches_check();
    // A new guide with the layout makes it one more.
    let rebuild = live.write(
        "content/elements/gtw/more.md",
        &guide("GoToWebinar", "More", 20, "More.\n"),
    );
    let failing: Vec<_> = rebuild
        .diagnostics
        .iter()
        .filter(|d| d.file.ends_with("sidebarelementdoc.html"))
        .collect();
    assert_eq!(failing[0].notes.last().unwrap(), "and 4 other pages");
    live.assert_matches_check();
}

// Drifts the random edits of tests/drift.rs found, each pinned here.

#[test]
fn a_guide_turned_draft_is_neither_checked_nor_written() {
    // Its element's sidebar changes, so every guide the element listed re-renders: the draft
    // must not be among them.
    let (mut live, _) = Live::open(lenient_element_site());
    let rebuild = live.write(
        "content/elements/gtw/events.md",
        "---\nheading: GoToWebinar\ntitle: Events\nlayout: sidebarelementdoc\n\
         breadcrumbs: /elements.html\norder: 10\ndraft: true\n---\nSee [gone](gone.html).\n",
    );
    assert!(
        !rebuild
            .diagnostics
            .iter()
            .any(|d| d.file == "content/elements/gtw/events.md"),
        "a draft's links are not checked: {:?}",
        rebuild.diagnostics
    );
    assert!(!live.output().join("elements/gtw/events.html").exists());
    live.assert_matches_build();
}

#[test]
fn a_template_and_a_page_changed_in_one_burst_are_both_applied() {
    let (mut live, _) = Live::open(element_site());
    common::live::write_file(
        live.root(),
        "templates/page.html",
        "custom {{ page.title }}",
    );
    common::live::write_file(live.root(), "content/index.md", "# Welcome\n");
    let rebuild = live
        .apply_paths(&["templates/page.html", "content/index.md"])
        .unwrap();
    assert!(rebuild.full);
    assert_eq!(live.html("index.html"), "custom Welcome");
    live.assert_matches_build();
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_site_is_never_published_by_the_session() {
    // Anyone can put `static/passwd -> /etc/passwd` in a pull request: `build` warns and skips
    // it, and so must the preview, whether the link was there at the start or came later.
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "secret").unwrap();
    let site = element_site();
    std::os::unix::fs::symlink(&secret, site.root().join("static/start.txt")).unwrap();
    let (mut live, first) = Live::open(site);
    assert!(
        first
            .diagnostics
            .iter()
            .any(|d| d.file == "static/start.txt" && d.message.contains("leads outside")),
        "{:?}",
        first.diagnostics
    );
    assert!(!live.output().join("start.txt").exists());
    live.assert_matches_build();
    std::os::unix::fs::symlink(&secret, live.root().join("static/later.txt")).unwrap();
    std::os::unix::fs::symlink(&secret, live.root().join("content/guides-later.md")).unwrap();
    live.apply_paths(&["static/later.txt", "content/guides-later.md"])
        .unwrap();
    assert!(!live.output().join("later.txt").exists());
    assert!(!live.output().join("guides-later.html").exists());
    live.assert_matches_build();
}

#[test]
fn links_to_the_root_follow_content_index_md_coming_and_going() {
    // Without content/index.md, docgen's generated home page is at `/`: links to it resolve
    // (and their anchors are checked against it); a draft index.md leaves `/` to nothing.
    let site = lenient_element_site().page(
        "guides/a.md",
        "# A\n\n[Home](/) and [its setup](/#register).\n",
    );
    let (mut live, _) = Live::open(site);
    live.assert_matches_build();
    live.delete("content/index.md");
    live.assert_matches_build();
    live.write("content/index.md", "# Home\n\n## Register\n");
    live.assert_matches_build();
    live.write("content/index.md", "---\ndraft: true\n---\n# Home\n");
    live.assert_matches_build();
    live.delete("content/index.md");
    live.assert_matches_build();
}

#[test]
fn site_warnings_follow_the_lines_of_the_keys_they_quote() {
    // Found by tests/drift.rs (seeds 101, 105, 106): a redirect taken by another page and an
    // element's disagreeing elementId are warned about at their key's line, which moves when a
    // key is added above it.
    let site = lenient_element_site()
        .page(
            "guides/a.md",
            "---\ntitle: A\nredirect_from: /old.html\n---\nA.\n",
        )
        .page(
            "guides/b.md",
            "---\ntitle: B\nredirect_from: /old.html\n---\nB.\n",
        )
        .page(
            "elements/gtw/more.md",
            "---\nheading: GoToWebinar\nelementId: 99\ntitle: More\norder: 20\n---\nMore.\n",
        );
    let (mut live, _) = Live::open(site);
    live.assert_matches_build();
    live.write(
        "content/guides/b.md",
        "---\ntitle: B\ndescription: Bee\nredirect_from: /old.html\n---\nB.\n",
    );
    live.assert_matches_build();
    live.write(
        "content/elements/gtw/more.md",
        "---\nheading: GoToWebinar\ndescription: More\nelementId: 99\ntitle: More\norder: 20\n---\nMore.\n",
    );
    live.assert_matches_build();
}

#[test]
fn links_to_an_old_address_follow_the_page_that_claims_it() {
    // Found by tests/drift.rs (seeds 104 and 113): a link written with an address that a page
    // has and another page's `redirect_from` names goes to the page while it exists, then
    // through the redirect; when `redirect_from` moves to a third page, the link follows it.
    let site = lenient_element_site()
        .page("guides/box.md", "# Box\n")
        .page(
            "guides/a.md",
            "---\ntitle: A\nredirect_from: /guides/box.html\n---\nA.\n",
        )
        .page("guides/b.md", "---\ntitle: B\n---\nB.\n")
        .page(
            "guides/c.md",
            "# C\n\n<a href=\"/guides/box.html\">Box</a> and [the box](/guides/box.html).\n",
        );
    let (mut live, _) = Live::open(site);
    live.assert_matches_build();
    live.delete("content/guides/box.md");
    live.assert_matches_build();
    assert!(
        live.html("guides/c.html")
            .contains("href=\"/guides/a.html\"")
    );
    live.write("content/guides/a.md", "---\ntitle: A\n---\nA.\n");
    live.write(
        "content/guides/b.md",
        "---\ntitle: B\nredirect_from: /guides/box.html\n---\nB.\n",
    );
    live.assert_matches_build();
    assert!(
        live.html("guides/c.html")
            .contains("href=\"/guides/b.html\"")
    );
    live.write("content/guides/box.md", "# Box again\n");
    live.assert_matches_build();
}

#[test]
fn a_folder_that_stops_being_an_element_drops_its_heading_from_search() {
    // Found by tests/drift.rs (seeds 103 and 105): the element's heading is in the search
    // entry of every page of its folder; when the one page saying `elementId` becomes a draft,
    // the folder is no element any more and the other pages' entries lose the heading.
    let site = element_site()
        .page(
            "guides/deep/a.md",
            "---\ntitle: Alpha\nelementId: 7\n---\nAlpha text.\n",
        )
        .page("guides/deep/b.md", "---\ntitle: Beta\n---\nBeta text.\n");
    let (mut live, _) = Live::open(site);
    live.assert_matches_build();
    live.write(
        "content/guides/deep/a.md",
        "---\ntitle: Alpha\nelementId: 7\ndraft: true\n---\nAlpha text.\n",
    );
    live.assert_matches_build();
    live.write(
        "content/guides/deep/a.md",
        "---\ntitle: Alpha\nelementId: 7\n---\nAlpha text.\n",
    );
    live.assert_matches_build();
}

#[test]
fn an_elements_logo_removed_is_an_error_as_in_build() {
    // Found by tests/drift.rs (seed 106 step 35): `build` reports a `logo` that names a missing
    // image as an error on the overview page and shows no logo; the session only found the
    // broken <img> in the rendered pages (as warnings) and kept showing it.
    let site = element_site()
        .page(
            "elements/gtw/index.md",
            "---\nheading: GoToWebinar\ntitle: Overview\nlayout: sidebarelementdoc\nlogo: /img/gtw.png\norder: 1\n---\nHi.\n",
        )
        .file("content/img/gtw.png", "not really a png");
    let (mut live, _) = Live::open(site);
    live.assert_matches_build();
    live.delete("content/img/gtw.png");
    live.assert_matches_check();
    assert!(
        live.diagnostics()
            .iter()
            .any(|d| d.is_error() && d.message.starts_with("`logo`: broken image")),
        "{:?}",
        live.diagnostics()
    );
    live.write("content/img/gtw.png", "not really a png");
    live.assert_matches_build();
}

#[test]
fn a_guide_turned_draft_no_longer_makes_its_title_ambiguous() {
    // Found by tests/drift.rs (seed 111 step 29): two guides share a title; one becomes a
    // draft; a link written later by that title names only the published one in `build`.
    let (mut live, _) = Live::open(lenient_element_site());
    live.write(
        "content/elements/gtw/events.md",
        &guide("GoToWebinar", "Endpoint Setup", 10, "Events.\n"),
    );
    live.assert_matches_build();
    live.write(
        "content/elements/gtw/setup.md",
        "---\nheading: GoToWebinar\ntitle: Endpoint Setup\nlayout: sidebarelementdoc\n\
         breadcrumbs: /elements.html\norder: 5\ndraft: true\n---\n## Register\n",
    );
    live.assert_matches_build();
    live.write(
        "content/elements/gtw/events.md",
        &guide(
            "GoToWebinar",
            "Endpoint Setup",
            10,
            "Read [[Endpoint Setup]] first.\n",
        ),
    );
    assert!(
        !live
            .diagnostics()
            .iter()
            .any(|d| d.message.contains("ambiguous")),
        "{:?}",
        live.diagnostics()
    );
    live.assert_matches_build();
}

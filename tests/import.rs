//! `docgen import jekyll`: a Jekyll-era guide site (tests/fixtures/jekyll-guides: _config.yml,
//! _includes, _data, _layouts, _posts, _sass, _plugins, kramdown habits, raw HTML, callout
//! includes, redirect_from in sloppy forms, an .html page, published: false, assets) becomes a
//! docgen site that builds, and the Jekyll site is never touched.

mod common;

use std::path::{Path, PathBuf};

use common::{TestSite, snapshot};

/// A copy of the fixture in a temp folder: `(temp dir, SRC)`.
fn jekyll_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("old-guides");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jekyll-guides");
    for entry in walkdir::WalkDir::new(&fixture) {
        let entry = entry.unwrap();
        let to = src.join(entry.path().strip_prefix(&fixture).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    (dir, src)
}

fn text(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_jekyll_site_imports_into_a_site_that_builds_and_is_left_untouched() {
    let (dir, src) = jekyll_site();
    let before = snapshot(&src);
    let run = TestSite::run_in(dir.path(), &["import", "jekyll", "old-guides", "guides"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.stderr, "", "no errors: nothing stops the build");
    let dest = dir.path().join("guides");

    // Where everything went.
    for (file, holds) in [
        (
            "content/index.md",
            "Welcome to the {{ site.console }} guides",
        ),
        (
            "content/elements/zendesk/zendesk-events.md",
            "redirect_from:",
        ),
        ("content/docs/tutorial/step-2.md", "Tutorial: Step 2"),
        ("content/docs/faq.md", "# FAQ"),
        ("content/support/index.html", "<h1>Support</h1>"),
        ("includes/note.html", "{{include.content}}"),
        (
            "includes/common-instance-config.md",
            "## Instance Configuration",
        ),
        ("data/elements.yml", "key: zendesk"),
        ("static/assets/css/style.css", ".alert"),
        ("static/404.html", "Not found"),
        ("static/.htaccess", "ErrorDocument"),
        ("static/README.md", "bundle exec jekyll serve"),
        ("templates/guide.html", "{% extends \"docs.html\" %}"),
        ("templates/home.html", "{% extends \"page.html\" %}"),
        (
            "templates/default.html",
            "{% extends \"sidebarelementdoc.html\" %}",
        ),
    ] {
        assert!(text(dest.join(file)).contains(holds), "{file}: {holds}");
    }
    for absent in [
        "templates/sidebarelementdoc.html", // the theme has it
        "static/Gemfile",                   // Jekyll's default exclude
        "static/build.sh",                  // exclude: "*.sh"
        "static/scripts/deploy.rb",         // exclude: scripts
        "static/feed.xml",                  // Liquid outside a page
        "static/assets/css/main.scss",
        "static/elements/zendesk/zendesk-events.md~",
        "content/_posts",
        "data/legacy.csv",
    ] {
        assert!(!dest.join(absent).exists(), "{absent}");
    }
    let toml = text(dest.join("docgen.toml"));
    for line in [
        "title = \"Cloud Elements Guides\"",
        "base_url = \"https://developers.example.com/docs\"",
        "broken_links = \"warn\"",
        "undefined_variables = \"warn\"",
        "[extra]",
        "console = \"Cloud Elements Console\"",
        "support_email = \"support@example.com\"",
    ] {
        assert!(toml.contains(line), "{line} in\n{toml}");
    }

    // The migration report.
    for expected in [
        "  12 pages → content/ (1 of them .html)",
        "      docs/tutorial/step-2.markdown → content/docs/tutorial/step-2.md: renamed from .markdown",
        "      support.html → content/support/index.html: moved to match its permalink /support/",
        "  4 includes → includes/",
        "  1 data file → data/",
        "  7 files → static/ (same URLs)",
        "  layout `guide` (4 pages) → templates/guide.html, extends docs.html",
        "  _config.yml → docgen.toml: title, base_url (url + baseurl), 4 keys in [extra]",
        // Raw HTML is checked too: support.html's relative "docs/faq.html" is broken at /support/.
        "Checked the new site (as `docgen check` does): 0 errors, 7 warnings",
        "      2  redirect_from paths without their leading / — warnings",
        "      2  undefined variables (rendered as empty text, as Jekyll does) — warnings",
        "      2  broken links — warnings",
        "  docgen.toml sets broken_links = \"warn\" and undefined_variables = \"warn\" so that these are warnings while you fix them.",
        "  - plugin jekyll-feed: not supported: docgen writes no Atom feed",
        "  - plugin jekyll-redirect-from: built in: redirect_from in front matter",
        "  - _plugins/ (icon.rb): Ruby does not run in docgen",
        "  - _posts/ (blog posts) (_posts/2018-03-01-new-elements.md): docgen has no blog",
        "  - data files docgen cannot read (_data/legacy.csv)",
        "  (4 files that Jekyll leaves out too: hidden, _-prefixed or backup files, and `exclude`)",
        "  1. preview it: cd ",
    ] {
        assert!(
            run.stdout.contains(expected),
            "`{expected}` in:\n{}",
            run.stdout
        );
    }

    // It builds, every page and file at its Jekyll URL.
    let build = TestSite::run_in(&dest, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build.stdout.contains("Built 11 pages (2 elements)"),
        "{}",
        build.stdout
    );
    let out = dest.join("public");
    for page in [
        "index.html",
        "elements.html",
        "elements/zendesk/index.html",
        "elements/zendesk/zendesk-events.html",
        "elements/zendesk/zendesk-create-instance.html",
        "elements/box/index.html",
        "docs/getting-started.html",
        "docs/tutorial/step-1.html",
        "docs/tutorial/step-2.html",
        "docs/faq.html",
        "support/index.html",
    ] {
        assert!(text(out.join(page)).contains("</html>"), "{page}");
    }
    for (redirect, to) in [
        (
            "elements/zendesk/events.html",
            "/docs/elements/zendesk/zendesk-events.html",
        ),
        (
            "elements/zendesk/webhooks/index.html",
            "/docs/elements/zendesk/zendesk-events.html",
        ),
        ("elements/zendesk/overview.html", "/docs/elements/zendesk/"),
        ("elements/zendesk/home.html", "/docs/elements/zendesk/"),
        ("elements/list.html", "/docs/elements.html"),
        ("docs/tutorial.html", "/docs/docs/getting-started.html"),
    ] {
        assert!(
            text(out.join(redirect)).contains(&format!("url={to}\"")),
            "{redirect} → {to}"
        );
    }
    assert!(
        !out.join("elements/box/box-beta.html").exists(),
        "published: false"
    );
    for (asset, source) in [
        ("assets/img/zendesk-logo.png", "assets/img/zendesk-logo.png"),
        ("assets/js/docs.js", "assets/js/docs.js"),
        (
            "downloads/zendesk-postman.json",
            "downloads/zendesk-postman.json",
        ),
        ("404.html", "404.html"),
    ] {
        assert_eq!(
            std::fs::read(out.join(asset)).unwrap(),
            std::fs::read(src.join(source)).unwrap(),
            "{asset}"
        );
    }
    let index = text(out.join("index.html"));
    assert!(
        index.contains("Welcome to the Cloud Elements Console guides"),
        "{index}"
    );
    let zendesk = text(out.join("elements/zendesk/index.html"));
    assert!(
        zendesk.contains("<b>Note:</b> Zendesk sandboxes expire after 90 days."),
        "the callout include: {zendesk}"
    );
    assert!(zendesk.contains("src=\"/docs/assets/img/zendesk-logo.png\""));
    let instance = text(out.join("elements/zendesk/zendesk-create-instance.html"));
    assert!(instance.contains("Instance Configuration"), "{instance}");
    assert!(
        instance.contains("zendesk"),
        "page.elementKey in a code block"
    );
    let support = text(out.join("support/index.html"));
    assert!(support.contains("mailto:support@example.com"), "{support}");

    assert!(
        instance.contains("Set the “type” field to <code>zendesk</code>"),
        "escaped quotes in an include parameter"
    );

    // Without the lenient options, the check lists every problem as an error.
    let strict = toml
        .replace("broken_links = \"warn\"\n", "")
        .replace("undefined_variables = \"warn\"\n", "");
    std::fs::write(dest.join("docgen.toml"), strict).unwrap();
    let check = TestSite::run_in(&dest, &["check"]);
    assert_eq!(check.code, 1);
    for error in [
        "error: content/elements/zendesk/zendesk-create-instance.md:26:75: unknown variable page.key",
        "error: content/elements/zendesk/zendesk-create-instance.md:27:11: unknown variable page.elementID — did you mean \"page.elementId\"?",
        "error: content/elements/box/index.md:14:6: link \"box-beta.html\" goes to a draft page, which is not published",
    ] {
        assert!(
            check.stderr.contains(error),
            "{error} in:\n{}",
            check.stderr
        );
    }

    // The Jekyll site is exactly as it was.
    assert!(
        snapshot(&src) == before,
        "the import changed the Jekyll site"
    );
}

#[test]
fn a_second_import_refuses_without_force_and_force_keeps_what_the_user_changed() {
    let (dir, src) = jekyll_site();
    let dest = dir.path().join("guides");
    let first = TestSite::run_in(dir.path(), &["import", "jekyll", "old-guides", "guides"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    std::fs::write(
        dest.join("content/docs/faq.md"),
        "# FAQ, edited after the import\n",
    )
    .unwrap();
    std::fs::write(dest.join("content/docs/new.md"), "# Written in docgen\n").unwrap();
    std::fs::write(
        src.join("docs/tutorial/step-1.md"),
        "---\ntitle: Step 1, updated\nlayout: guide\n---\nNew text.\n",
    )
    .unwrap();

    let again = TestSite::run_in(dir.path(), &["import", "jekyll", "old-guides", "guides"]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("guides already holds an earlier import: docgen import does not write into it. Pass --force"),
        "{}",
        again.stderr
    );
    assert_eq!(
        text(dest.join("content/docs/faq.md")),
        "# FAQ, edited after the import\n"
    );

    let forced = TestSite::run_in(
        dir.path(),
        &["import", "jekyll", "old-guides", "guides", "--force"],
    );
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(
        text(dest.join("content/docs/faq.md")),
        "# FAQ, edited after the import\n",
        "an edited file is kept"
    );
    assert_eq!(
        text(dest.join("content/docs/new.md")),
        "# Written in docgen\n",
        "nothing is deleted"
    );
    assert!(text(dest.join("content/docs/tutorial/step-1.md")).contains("Step 1, updated"));
    assert!(
        forced
            .stdout
            .contains("  0 files written, 1 updated, 26 unchanged"),
        "{}",
        forced.stdout
    );
    assert!(
        forced.stdout.contains("kept as you left them (1 file changed since the last import; delete one and import again to take the imported version):\n      content/docs/faq.md\n"),
        "{}",
        forced.stdout
    );
}

#[test]
fn the_import_never_writes_into_the_jekyll_site() {
    let (dir, src) = jekyll_site();
    let before = snapshot(&src);
    let inside = TestSite::run_in(
        dir.path(),
        &["import", "jekyll", "old-guides", "old-guides/docgen"],
    );
    assert_eq!(inside.code, 2);
    assert!(
        inside.stderr.contains("is inside the Jekyll site"),
        "{}",
        inside.stderr
    );
    let same = TestSite::run_in(
        dir.path(),
        &["import", "jekyll", "old-guides", "old-guides", "--force"],
    );
    assert_eq!(same.code, 2, "{}", same.stderr);
    let missing = TestSite::run_in(dir.path(), &["import", "jekyll", "no-such-site"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("no-such-site is not a folder"),
        "{}",
        missing.stderr
    );
    assert!(snapshot(&src) == before);
    // Without DEST: SRC-docgen beside SRC (`.` names the folder it is).
    let default = TestSite::run_in(&src, &["import", "jekyll", "."]);
    assert_eq!(default.code, 0, "{}", default.stderr);
    assert!(dir.path().join("old-guides-docgen/docgen.toml").is_file());
}

/// Writes `files` (path, text) below a new folder `src` of `dir`.
fn write_site(dir: &Path, files: &[(&str, &str)]) -> PathBuf {
    let src = dir.join("src");
    for (path, text) in files {
        let path = src.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    src
}

#[test]
fn defaults_and_permalink_styles_are_carried_into_the_pages() {
    let dir = tempfile::tempdir().unwrap();
    let src = write_site(
        dir.path(),
        &[
            (
                "_config.yml",
                "title: Guides\npermalink: pretty\ndefaults:\n  - scope:\n      path: \"\"\n    values:\n      layout: page\n      support: help@example.com\n  - scope:\n      path: elements\n      type: pages\n    values:\n      layout: docs\n      parent: Back to Element Guides\n  - scope:\n      path: docs/legacy\n    values:\n      permalink: /old/:basename:output_ext\n",
            ),
            (
                "index.md",
                "---\ntitle: Home\n---\nWrite to {{ page.support }}.\n",
            ),
            (
                "elements/box/index.md",
                "---\ntitle: Box\nlayout: page\n---\nSee [events](box-events/).\n",
            ),
            (
                "elements/box/box-events.md",
                "---\ntitle: Box Events\n---\n{{ page.parent }}: events.\n",
            ),
            ("docs/faq.md", "---\ntitle: FAQ\n---\n# FAQ\n"),
            (
                "docs/legacy/setup.md",
                "---\ntitle: Setup\n---\nOld setup.\n",
            ),
        ],
    );
    let before = snapshot(&src);
    let run = TestSite::run_in(dir.path(), &["import", "jekyll", "src", "site"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(snapshot(&src) == before, "SRC is never modified");
    let dest = dir.path().join("site");

    // The defaults a page does not set itself are in its front matter; its own value wins.
    let events = text(dest.join("content/elements/box/box-events/index.md"));
    assert_eq!(
        events,
        "---\ntitle: Box Events\n# from defaults: in _config.yml\nlayout: \"docs\"\n\
         parent: \"Back to Element Guides\"\nsupport: \"help@example.com\"\n---\n\
         {{ page.parent }}: events.\n"
    );
    let box_index = text(dest.join("content/elements/box/index.md"));
    assert!(box_index.contains("layout: page\n"), "{box_index}");
    assert!(!box_index.contains("layout: \"docs\""), "{box_index}");
    // `permalink: pretty`: pages are published at folder URLs, as Jekyll does; a permalink
    // from defaults with placeholders is filled in.
    for (page, note) in [
        (
            "docs/faq.md → content/docs/faq/index.md",
            "moved to match its permalink /docs/faq/",
        ),
        (
            "elements/box/box-events.md → content/elements/box/box-events/index.md",
            "moved to match its permalink /elements/box/box-events/",
        ),
        (
            "docs/legacy/setup.md → content/old/setup.md",
            "moved to match its permalink /old/setup.html",
        ),
    ] {
        assert!(
            run.stdout.contains(&format!("{page}: {note}")),
            "{page}: {note} in\n{}",
            run.stdout
        );
    }
    assert!(!run.stdout.contains("defaults"), "{}", run.stdout);

    let build = TestSite::run_in(&dest, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let out = dest.join("public");
    assert!(text(out.join("index.html")).contains("Write to help@example.com."));
    assert!(text(out.join("docs/faq/index.html")).contains("FAQ"));
    assert!(text(out.join("old/setup.html")).contains("Old setup."));
    let events = text(out.join("elements/box/box-events/index.html"));
    assert!(
        events.contains("Back to Element Guides: events."),
        "{events}"
    );
}

#[test]
fn nested_maps_of_defaults_and_pages_are_merged_as_jekyll_merges_them() {
    let dir = tempfile::tempdir().unwrap();
    let src = write_site(
        dir.path(),
        &[
            (
                "_config.yml",
                "title: Guides\ndefaults:\n  - scope:\n      path: \"\"\n    values:\n      social:\n        image: /img/card.png\n        twitter:\n          site: \"@acme\"\n          card: summary\n      tags: [guide]\n",
            ),
            (
                "index.md",
                "---\ntitle: Home\nsocial:\n  # a bigger card on the home page\n  twitter:\n    card: summary_large_image\ntags: [home]\n---\n{{ page.social.twitter.card }} by {{ page.social.twitter.site }}, {{ page.social.image }}; {{ page.tags | join: \",\" }}.\n",
            ),
            (
                "plain.md",
                "---\ntitle: Plain\n---\n{{ page.social.twitter.card }} by {{ page.social.twitter.site }}.\n",
            ),
        ],
    );
    let before = snapshot(&src);
    let run = TestSite::run_in(dir.path(), &["import", "jekyll", "src", "site"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(snapshot(&src) == before, "SRC is never modified");
    let dest = dir.path().join("site");

    // The page's map is merged with the default's at every depth, its own values winning; its
    // list replaces the default's whole, as in Jekyll.
    assert_eq!(
        text(dest.join("content/index.md")),
        "---\ntitle: Home\ntags: [home]\n\
         # the page's own values merged over defaults: in _config.yml\n\
         social: {\"image\":\"/img/card.png\",\"twitter\":{\"card\":\"summary_large_image\",\"site\":\"@acme\"}}\n\
         ---\n\
         {{ page.social.twitter.card }} by {{ page.social.twitter.site }}, {{ page.social.image }}; {{ page.tags | join: \",\" }}.\n"
    );
    assert_eq!(
        text(dest.join("content/plain.md")),
        "---\ntitle: Plain\n# from defaults: in _config.yml\n\
         social: {\"image\":\"/img/card.png\",\"twitter\":{\"card\":\"summary\",\"site\":\"@acme\"}}\n\
         tags: [\"guide\"]\n---\n\
         {{ page.social.twitter.card }} by {{ page.social.twitter.site }}.\n"
    );

    let build = TestSite::run_in(&dest, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let out = dest.join("public");
    let home = text(out.join("index.html"));
    assert!(
        home.contains("summary_large_image by @acme, /img/card.png; home."),
        "{home}"
    );
    let plain = text(out.join("plain.html"));
    assert!(plain.contains("summary by @acme."), "{plain}");
}

#[test]
fn a_page_whose_front_matter_is_not_valid_yaml_keeps_every_key_it_sets() {
    // Copy-pasted front matter with `order` twice, which Jekyll's YAML reader takes without a
    // word (the last wins), under `defaults:` that cover the page. The import used to rewrite
    // the front matter from what it could read — nothing — so heading, title and elementId
    // were lost without a message.
    let dir = tempfile::tempdir().unwrap();
    let page = "---\nheading: Box\ntitle:\tCreate Instance\nelementId: 22\norder: 5\norder: 6\n---\n\n## Step 1\n\nCreate it.\n";
    let src = write_site(
        dir.path(),
        &[
            (
                "_config.yml",
                "title: Guides\ndefaults:\n  - scope:\n      path: elements\n    values:\n      layout: sidebarelementdoc\n      parent: Back to Element Guides\n",
            ),
            (
                "elements/box/index.md",
                "---\nheading: Box\ntitle: Overview\nelementId: 22\norder: 1\n---\nSee [create instance](box-create-instance.html).\n",
            ),
            ("elements/box/box-create-instance.md", page),
        ],
    );
    let run = TestSite::run_in(dir.path(), &["import", "jekyll", "src", "site"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let dest = dir.path().join("site");
    assert_eq!(
        text(dest.join("content/elements/box/box-create-instance.md")),
        page,
        "copied as written"
    );
    assert!(
        run.stdout.contains(
            "elements/box/box-create-instance.md → content/elements/box/box-create-instance.md: its front matter is not valid YAML (invalid YAML: duplicate entry with key \"order\"): copied as written, without the defaults of _config.yml; fix it and import again with --force"
        ),
        "{}",
        run.stdout
    );
    // The problem is listed above the report, at the second `order`.
    let listed = format!("{}{}", run.stdout, run.stderr);
    assert!(
        listed.contains(
            "error: content/elements/box/box-create-instance.md:6:1: invalid YAML: duplicate entry with key \"order\""
        ),
        "{listed}"
    );
    assert!(
        listed.contains("= the key is first given on line 5; Jekyll's YAML reader keeps the last value without a word: delete the one you do not mean"),
        "{listed}"
    );
    // The writer deletes one `order`; the page keeps its title, heading and the defaults on
    // the next import.
    std::fs::write(
        src.join("elements/box/box-create-instance.md"),
        page.replace("order: 5\n", ""),
    )
    .unwrap();
    let again = TestSite::run_in(dir.path(), &["import", "jekyll", "src", "site", "--force"]);
    assert_eq!(again.code, 0, "{}\n{}", again.stdout, again.stderr);
    let build = TestSite::run_in(&dest, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let imported = text(dest.join("content/elements/box/box-create-instance.md"));
    assert!(
        imported.contains("# from defaults: in _config.yml\nlayout: \"sidebarelementdoc\"\nparent: \"Back to Element Guides\"\n"),
        "{imported}"
    );
    let html = text(dest.join("public/elements/box/box-create-instance.html"));
    assert!(html.contains(">Create Instance</h1>"), "{html}");
}

#[test]
fn markdown_extensions_in_any_case_become_pages() {
    // Jekyll lowercases the extension before asking its Markdown converter: `Setup.MD` is a
    // page there, and was copied to static/ with its front matter by the import.
    let dir = tempfile::tempdir().unwrap();
    write_site(
        dir.path(),
        &[
            ("_config.yml", "title: Guides\n"),
            (
                "Setup.MD",
                "---\ntitle: Setup\n---\n# Setup\n\nSee [the FAQ](faq.html).\n",
            ),
            ("faq.Markdown", "---\ntitle: FAQ\n---\n# FAQ\n"),
        ],
    );
    let run = TestSite::run_in(dir.path(), &["import", "jekyll", "src", "site"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("Setup.MD → content/Setup.md: renamed from .MD"),
        "{}",
        run.stdout
    );
    let dest = dir.path().join("site");
    let build = TestSite::run_in(&dest, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(text(dest.join("public/Setup.html")).contains("<a href=\"/faq.html\">the FAQ</a>"));
    assert!(!dest.join("static/Setup.MD").exists());
}

/// A Jekyll repository cloned from elsewhere may hold symbolic links; the import follows none,
/// so nothing outside the Jekyll site ends up in the new one (docgen's build does not follow
/// them out of the site either). Symlinked `_includes/`, `_data/` and `_layouts/` folders were
/// followed, and links inside them dropped without a word.
#[cfg(unix)]
#[test]
fn symbolic_links_are_never_followed_out_of_the_jekyll_site() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("leak.html"), "SECRET").unwrap();
    std::fs::write(outside.join("leak.yml"), "k: SECRET").unwrap();
    let src = write_site(
        dir.path(),
        &[
            ("_config.yml", "title: Guides\n"),
            ("index.md", "---\ntitle: Home\n---\nHi\n"),
            ("_includes/note.html", "<b>{{ include.content }}</b>"),
            ("_layouts/page.html", "{{ content }}"),
            ("_layouts/leak.html", "x"),
        ],
    );
    std::fs::remove_file(src.join("_layouts/leak.html")).unwrap();
    for (link, to) in [
        ("_includes/leak.html", outside.join("leak.html")),
        ("_layouts/leak.html", outside.join("leak.html")),
        ("_data", outside.clone()),
        ("_plugins", outside.clone()),
    ] {
        std::os::unix::fs::symlink(to, src.join(link)).unwrap();
    }
    let run = TestSite::run_in(dir.path(), &["import", "jekyll", "src", "new"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let dest = dir.path().join("new");
    for (name, bytes) in snapshot(&dest) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET"),
            "{name} holds the secret"
        );
    }
    assert!(dest.join("includes/note.html").is_file());
    assert!(!dest.join("data").exists());
    assert!(
        run.stdout.contains(
            "  - symbolic links (_data, _includes/leak.html, _layouts/leak.html, _plugins): symbolic links are not followed: copy the file it points to into the site\n"
        ),
        "{}",
        run.stdout
    );
}

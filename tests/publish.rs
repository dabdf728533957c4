//! Publishing from CI: atomic publish, reproducible output, preview deploys under `--base-url`,
//! redirects and the search index.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Built, TestSite, assert_same_files, snapshot};
use docgen::config::Overrides;

/// The names of the entries of `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A failed `built` of `site` published nothing: the previous output is byte-identical to
/// `before`, and no staging folder remains beside it.
fn assert_nothing_published(site: &TestSite, built: &Built, before: &BTreeMap<String, Vec<u8>>) {
    assert!(built.report.output.is_none());
    assert!(
        snapshot(&site.output()) == *before,
        "the previous output is byte-identical"
    );
    assert_eq!(
        names(site.root()),
        ["content", "docgen.toml", "public", "templates"],
        "no staging folder remains"
    );
}

#[test]
fn a_build_failing_mid_render_leaves_the_previous_output_untouched() {
    let site = TestSite::new()
        .page("a.md", "# A\n")
        .page("b.md", "# B\n")
        .page("c.md", "# C\n")
        .bytes("content/img/x.png", b"png");
    site.build().clean();
    let before = snapshot(&site.output());
    assert!(before.contains_key("a.html") && before.contains_key("img/x.png"));

    // Only page B's render fails: A and C are rendered (and were written in place before
    // builds were atomic), the new image and page D too.
    let site = site
        .file(
            "templates/page.html",
            "{% if page.title == \"B\" %}{{ page.nosuch }}{% endif %}new {{ page.title }}",
        )
        .page("d.md", "# D\n")
        .bytes("content/img/x.png", b"changed")
        .remove("content/c.md");
    let built = site.build();
    assert_eq!(built.report.errors(), 1, "{}", built.diagnostics_text());
    assert_nothing_published(&site, &built, &before);

    // Fixed: the next build swaps the new site in whole.
    let site = site.file("templates/page.html", "new {{ page.title }}");
    let built = site.build().clean();
    assert_eq!(built.html("a.html"), "new A");
    assert_eq!(built.html("d.html"), "new D");
    assert_eq!(built.html("img/x.png"), "changed");
    assert!(!built.exists("c.html"), "what the new site lacks is gone");
    assert_eq!(
        names(site.root()),
        ["content", "docgen.toml", "public", "templates"]
    );
}

#[test]
fn a_build_failing_in_the_output_check_leaves_the_previous_output_and_index_untouched() {
    let site = TestSite::new()
        .page("a.md", "# A\n\nThe zanzibar rollout.\n")
        .page("b.md", "# B\n");
    site.build().clean();
    let before = snapshot(&site.output());
    assert!(before.contains_key("search-index/index.json"));

    // The pages render, and the search index is made while their output is verified; the
    // layout's link to a page that does not exist fails the build after that.
    let site = site
        .file(
            "templates/page.html",
            "<a href=\"/nowhere.html\">x</a>{{ page.content | safe }}",
        )
        .page("a.md", "# A\n\nThe kilimanjaro rollout.\n");
    let built = site.build();
    assert!(built.report.errors() >= 1, "{}", built.diagnostics_text());
    assert!(
        built.diagnostics_text().contains("nowhere.html"),
        "{}",
        built.diagnostics_text()
    );
    // Its search index too.
    assert_nothing_published(&site, &built, &before);
}

#[cfg(unix)]
#[test]
fn unchanged_files_keep_their_identity_across_builds() {
    use std::os::unix::fs::MetadataExt;
    let site = TestSite::new().page("a.md", "# A\n").page("b.md", "# B\n");
    let built = site.build().clean();
    let inode = |rel: &str| std::fs::metadata(built.out.join(rel)).unwrap().ino();
    let (a, b, css) = (inode("a.html"), inode("b.html"), inode("theme.css"));
    let site = site.page("b.md", "# B changed\n");
    site.build().clean();
    assert_eq!(inode("a.html"), a, "unchanged page: same file, same mtime");
    assert_eq!(inode("theme.css"), css);
    assert_ne!(inode("b.html"), b, "a changed page is a new file");
}

#[test]
fn an_abandoned_staging_folder_is_cleaned_up_by_the_next_build() {
    let site = TestSite::new().page("a.md", "# A\n");
    // As left by a build that was killed (its pid cannot be running).
    let abandoned = site.root().join("public.docgen-staging-2147483646-0");
    std::fs::create_dir_all(abandoned.join("elements")).unwrap();
    std::fs::write(abandoned.join(".docgen-output"), "").unwrap();
    std::fs::write(abandoned.join("a.html"), "half").unwrap();
    site.build().clean();
    assert_eq!(names(site.root()), ["content", "docgen.toml", "public"]);
}

/// Runs the docgen binary with `RAYON_NUM_THREADS=threads`.
fn build_with_threads(root: &Path, out: &Path, threads: &str, extra: &[&str]) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_docgen"))
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(extra)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("docgen runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn two_builds_of_the_same_sources_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    // Separate processes (new hash seeds) with different parallelism.
    build_with_threads(&repo(), &one, "1", &[]);
    build_with_threads(&repo(), &two, "4", &[]);
    assert!(snapshot(&one).len() > 40, "the example site is built");
    assert_same_files(&one, &two, "two builds of the same sources");
}

/// Every site-absolute URL in `text`: values that start with `/` after `="`, `='`, `:"`, `("`,
/// `url(` or `url=` (attributes, JSON, scripts, CSS, meta refresh).
fn site_absolute_urls(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for opener in ["=\"", "='", ":\"", "(\"", "url(", "url="] {
        for (i, _) in text.match_indices(opener) {
            let rest = &text[i + opener.len()..];
            // The search box's keyboard shortcut is a slash, not a URL.
            let shortcut = text[..i].ends_with("aria-keyshortcuts");
            if rest.starts_with('/') && !rest.starts_with("//") && !shortcut {
                let end = rest
                    .find(['"', '\'', ')', ' ', '>', '<'])
                    .unwrap_or(rest.len());
                found.push(&rest[..end]);
            }
        }
    }
    found
}

#[test]
fn the_url_scanner_finds_urls_in_every_kind_of_file() {
    let text =
        "<a href=\"/x\"> <img src='/i.png'> {\"u\":\"/z\"} fetch(\"/j\") url(/y) url=/r\" //cdn";
    assert_eq!(
        site_absolute_urls(text),
        ["/x", "/i.png", "/z", "/j", "/y", "/r"]
    );
}

#[test]
fn a_preview_under_a_base_url_gets_every_url_right() {
    let dir = tempfile::tempdir().unwrap();
    let options = docgen::build::BuildOptions {
        root: repo(),
        output: Some(dir.path().join("site")),
        overrides: Overrides {
            base_url: Some("https://host/pr-123/".into()),
            drafts: false,
        },
    };
    let report = docgen::build::build(&options, &docgen::highlight::Highlighter::new()).unwrap();
    assert_eq!(report.errors(), 0);
    let files = snapshot(&dir.path().join("site"));
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (path, bytes) in &files {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue; // images
        };
        for url in site_absolute_urls(text) {
            checked += 1;
            // A lone "/" in a script is a path separator, not a URL.
            let separator = path.ends_with(".js") && url == "/";
            if !url.starts_with("/pr-123/") && !separator {
                wrong.push(format!("{path}: {url}"));
            }
        }
        for (i, _) in text.match_indices("https://host") {
            checked += 1;
            if !text[i..].starts_with("https://host/pr-123/") {
                wrong.push(format!("{path}: {}", &text[i..(i + 40).min(text.len())]));
            }
        }
        assert!(
            !text.contains("docs.example.com"),
            "{path} still names the configured base_url"
        );
    }
    assert!(
        wrong.is_empty(),
        "URLs without the preview's base path:\n{}",
        wrong.join("\n")
    );
    assert!(checked > 500, "only {checked} URLs checked");

    // And the places that matter, one by one.
    let text = |path: &str| String::from_utf8(files[path].clone()).unwrap();
    let guide = text("elements/zendesk/zendesk-bulk.html");
    for expected in [
        "<link rel=\"canonical\" href=\"https://host/pr-123/elements/zendesk/zendesk-bulk.html\">",
        "<link rel=\"icon\" href=\"/pr-123/favicon.svg\"",
        "<link rel=\"stylesheet\" href=\"/pr-123/theme.css\">",
        "<script src=\"/pr-123/theme.js\" defer></script>",
        "data-elements-nav=\"/pr-123/elements-nav.json\"",
        "data-search-index=\"/pr-123/search-index/index.json\"",
        "src=\"/pr-123/elements/zendesk/img/",
        "href=\"/pr-123/elements.html\"",
    ] {
        assert!(guide.contains(expected), "{expected}");
    }
    assert!(text("sitemap.xml").contains("<loc>https://host/pr-123/elements/zendesk/</loc>"));
    assert!(text("robots.txt").contains("Sitemap: https://host/pr-123/sitemap.xml"));
    assert!(text("elements-nav.json").contains("\"url\":\"/pr-123/elements/box/\""));
    assert!(
        files
            .iter()
            .filter(|(path, _)| path.starts_with("search-index/p/"))
            .any(|(_, bytes)| String::from_utf8_lossy(bytes)
                .contains("\"u\":\"/pr-123/guides/getting-started.html\""))
    );
    let redirect = text("elements/zendesk/bulk.html");
    assert!(
        redirect.contains("url=/pr-123/elements/zendesk/zendesk-bulk.html"),
        "{redirect}"
    );
    assert!(redirect.contains(
        "<link rel=\"canonical\" href=\"https://host/pr-123/elements/zendesk/zendesk-bulk.html\">"
    ));
}

#[test]
fn redirect_from_writes_pages_at_the_old_urls() {
    let built = TestSite::new()
        .file(
            "docgen.toml",
            "title = \"Docs\"\nbase_url = \"https://docs.example.com/docs/\"\n",
        )
        .page(
            "guides/new.md",
            "---\ntitle: New Guide\nredirect_from:\n  - /old.html\n  - /guides/legacy/\n  - /extensionless\n---\n# New\n\n## Top\n",
        )
        .page(
            "index.md",
            "See [the old guide](/old.html#top) and [its folder](guides/legacy/).\n",
        )
        .build();
    let old = built.html("old.html");
    for expected in [
        "<meta http-equiv=\"refresh\" content=\"0; url=/docs/guides/new.html\">",
        "<link rel=\"canonical\" href=\"https://docs.example.com/docs/guides/new.html\">",
        "<meta name=\"robots\" content=\"noindex\">",
        "<a href=\"/docs/guides/new.html\">New Guide</a>",
    ] {
        assert!(old.contains(expected), "{expected} in {old}");
    }
    assert!(
        built
            .html("guides/legacy/index.html")
            .contains("url=/docs/guides/new.html")
    );
    assert!(
        built.exists("extensionless.html") && !built.exists("extensionless"),
        "as jekyll-redirect-from writes it"
    );
    let sitemap = built.html("sitemap.xml");
    assert!(
        !sitemap.contains("old") && !sitemap.contains("legacy"),
        "{sitemap}"
    );
    for file in ["_", "guides"] {
        let fragment = built.html(&format!("search-index/p/{file}.json"));
        assert!(!fragment.contains("old.html"), "{fragment}");
    }
    // A link to an old address goes straight to the page, and the writer is told. (The
    // header's "Guides" link is the page's section, not one of these.)
    let home = built.html("index.html");
    assert_eq!(
        common::hrefs(home.split("doc__body").nth(1).unwrap())
            .into_iter()
            .filter(|h| h.contains("new"))
            .collect::<Vec<_>>(),
        ["/docs/guides/new.html#top", "/docs/guides/new.html"]
    );
    assert_eq!(
        built.headlines(),
        [
            "content/index.md:1:5: link \"/old.html#top\" is an old address (redirect_from) of content/guides/new.md — did you mean \"@/guides/new.md#top\"?",
            "content/index.md:1:40: link \"guides/legacy/\" (/guides/legacy/) is an old address (redirect_from) of content/guides/new.md — did you mean \"@/guides/new.md\"?",
        ]
    );
    assert_eq!(built.report.errors(), 0);
}

#[test]
fn a_redirect_never_replaces_a_page_or_file_and_the_first_claim_wins() {
    let built = TestSite::new()
        .page("a.md", "---\ntitle: A\nredirect_from: [/b.html, /img/x.png, /shared.html]\n---\n")
        .page("b.md", "# B\n\n[old](/shared.html)\n")
        .page("c.md", "---\ntitle: C\nredirect_from:\n  - /shared.html\n  - old/c.html\n  - /sitemap.xml\n---\n")
        .bytes("content/img/x.png", b"png")
        .build();
    assert_eq!(
        built.headlines(),
        [
            "content/a.md:3:17: redirect_from \"/b.html\" is not written to b.html: the page content/b.md is there",
            "content/a.md:3:26: redirect_from \"/img/x.png\" is not written to img/x.png: content/img/x.png is there",
            "content/b.md:3:1: link \"/shared.html\" is an old address (redirect_from) of content/a.md — did you mean \"@/a.md\"?",
            "content/c.md:4:5: redirect_from \"/shared.html\" is not written to shared.html: the redirect_from \"/shared.html\" of content/a.md:3 claims it first",
            "content/c.md:5:5: redirect_from \"old/c.html\" does not start with /: it is taken from the site root, as jekyll-redirect-from does — did you mean \"/old/c.html\"?",
            "content/c.md:6:5: redirect_from \"/sitemap.xml\" is not written to sitemap.xml: the generated sitemap.xml is there",
        ]
    );
    assert_eq!(built.report.errors(), 0, "{}", built.diagnostics_text());
    assert!(built.html("b.html").contains("<h1"), "the page wins");
    assert_eq!(built.html("img/x.png"), "png", "the file wins");
    assert!(built.html("sitemap.xml").starts_with("<?xml"));
    assert!(
        built.html("shared.html").contains("url=/a.html"),
        "the first claim wins"
    );
    assert!(built.html("old/c.html").contains("url=/c.html"));
}

#[test]
fn redirect_paths_that_are_not_site_paths_are_errors() {
    let built = TestSite::new()
        .page("a.md", "---\ntitle: A\nredirect_from:\n  - https://old.example.com/a.html\n  - /x/../a.html\n  - /old.html?x=1\n---\n")
        .build();
    assert_eq!(
        built.headlines(),
        [
            "content/a.md:4:5: redirect_from \"https://old.example.com/a.html\" must be a site path like /old/page.html, not a URL",
            "content/a.md:5:5: redirect_from \"/x/../a.html\" must not contain empty, . or .. segments",
            "content/a.md:6:5: redirect_from \"/old.html?x=1\" must be a plain path, without ?query, #fragment or backslashes",
        ]
    );
    assert!(!built.exists("a.html"), "nothing is published");
}

#[test]
fn the_search_index_lists_every_published_page() {
    let built = TestSite::new()
        .file(
            "docgen.toml",
            "title = \"Docs\"\nbase_url = \"https://docs.example.com/docs\"\n",
        )
        .page("index.md", "# Welcome\n\nStart *here*: read [the guide](guides/a.md).\n")
        .page(
            "elements/zd/index.md",
            "---\nheading: Zendesk\nlayout: sidebarelementdoc\n---\n# Overview\n\nTickets & users.\n\n## Base URL\n\n```json\n{\"not\": \"indexed\"}\n```\n\n### Rate Limits {#limits}\n",
        )
        .page("guides/a.md", "---\ntitle: A Guide\nsitemap: false\n---\nText.\n")
        .page("guides/wip.md", "---\ndraft: true\n---\n# WIP\n")
        .build()
        .clean();
    // One fragment a page, in one file per folder; drafts left out, pages out of the sitemap
    // kept.
    let fragments: Vec<String> = ["_", "elements.zd", "guides"]
        .iter()
        .map(|file| built.html(&format!("search-index/p/{file}.json")))
        .collect();
    assert_eq!(
        fragments,
        [
            r#"{"p":[{"u":"/docs/","t":"Welcome","s":[["welcome","Welcome","Start here: read the guide.",""]]}]}"#,
            r#"{"p":[{"u":"/docs/elements/zd/","t":"Overview","e":"Zendesk","s":[["overview","Overview","Tickets & users.",""],["base-url","Base URL","","{\"not\": \"indexed\"}"],["limits","Rate Limits","",""]]}]}"#,
            r#"{"p":[{"u":"/docs/guides/a.html","t":"A Guide","s":[["","","Text.",""]]}]}"#,
        ]
    );
    assert_eq!(
        std::fs::read_dir(built.out.join("search-index/p"))
            .unwrap()
            .count(),
        3
    );
    let manifest = built.html("search-index/index.json");
    assert!(manifest.starts_with(r#"{"v":4,"pages":3,"#), "{manifest}");
    assert!(
        manifest.ends_with(r#""p":[["_",1],["elements.zd",1],["guides",1]]}"#),
        "{manifest}"
    );
}

/// Jekyll-era pages hard-code their `baseurl` (`/docs/img/logo.png`, `/docs/` for home):
/// `docgen build` resolves them against `base_url`'s path. A pull-request preview
/// (`--base-url`) and `docgen serve`, which publish elsewhere, must resolve them the same way
/// — they used to report every one as broken, so the preview build failed where `build` passed.
#[test]
fn links_written_with_the_configured_base_path_resolve_in_a_preview_under_another() {
    let site = common::TestSite::new()
        .file(
            "docgen.toml",
            "title = \"Guides\"\nbase_url = \"https://docs.example.com/docs\"\n",
        )
        .file("static/img/logo.png", "not really a png")
        .page(
            "elements/box/index.md",
            "---\ntitle: Box\n---\n## Setup\n\nSee [home](/docs/), [events](/docs/elements/box/events.html#webhooks) and \
             <a href=\"/docs/elements/box/events.html\">the events</a>, or [unprefixed](/elements/box/events.html).\n\n\
             [logo](/docs/img/logo.png)\n\n[gone](/docs/elements/box/gone.html)\n",
        )
        .page("elements/box/events.md", "---\ntitle: Events\n---\n## Webhooks\n");
    let published = site.run(&["check", "--format", "json"]);
    let preview = site.run(&[
        "build",
        "--format",
        "json",
        "--base-url",
        "https://preview.example.com/pr-7/",
    ]);
    assert_eq!(preview.code, 1, "{}", preview.stderr);
    // The same one broken link, with a suggestion written for where the preview lives.
    let broken: Vec<&str> = preview.stdout.lines().collect();
    assert_eq!(broken.len(), 1, "{}", preview.stdout);
    assert!(
        broken[0].contains(r#""line":10,"column":1,"message":"broken link \"/docs/elements/box/gone.html\"","suggestion":"/docs/elements/box/events.html""#),
        "{}",
        broken[0]
    );
    assert_eq!(published.stdout.lines().count(), 1, "{}", published.stdout);
    std::fs::write(
        site.root().join("content/elements/box/index.md"),
        std::fs::read_to_string(site.root().join("content/elements/box/index.md"))
            .unwrap()
            .replace("[gone](/docs/elements/box/gone.html)\n", ""),
    )
    .unwrap();
    let preview = site.run(&["build", "--base-url", "https://preview.example.com/pr-7/"]);
    assert_eq!(preview.code, 0, "{}", preview.stderr);
    let html = std::fs::read_to_string(site.root().join("public/elements/box/index.html")).unwrap();
    for expected in [
        "<a href=\"/pr-7/\">home</a>",
        "<a href=\"/pr-7/elements/box/events.html#webhooks\">events</a>",
        "<a href=\"/pr-7/elements/box/events.html\">the events</a>",
        "<a href=\"/pr-7/elements/box/events.html\">unprefixed</a>",
        "<a href=\"/pr-7/img/logo.png\">logo</a>",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
}

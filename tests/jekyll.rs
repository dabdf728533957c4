//! Jekyll's semantics that docgen follows so Jekyll-era guide sites build unchanged: redirects
//! as jekyll-redirect-from writes them, output conflicts found before anything is written (a
//! passing check means the build writes), `published: false`, and `.html` pages.

mod common;

use common::TestSite;
use docgen::config::Overrides;

/// `docgen check` passes exactly when `docgen build` then writes the site, and a failing build
/// fails in the check stage (exit 1 with diagnostics), never while writing.
fn check_agrees_with_build(site: &TestSite) -> (i32, String) {
    let check = site.run(&["check"]);
    let build = site.run(&["build"]);
    assert_eq!(
        check.code, build.code,
        "check said {}, build said {}:\n{}\n{}",
        check.code, build.code, check.stderr, build.stderr
    );
    assert!(
        !build.stderr.contains("os error") && !build.stderr.contains("Is a directory"),
        "the build failed while writing:\n{}",
        build.stderr
    );
    (build.code, build.stderr)
}

#[test]
fn an_extensionless_redirect_beside_a_folder_of_the_same_name_builds() {
    let site = TestSite::new()
        .page(
            "docs/getting-started.md",
            "---\ntitle: Getting Started\nredirect_from:\n  - /docs/tutorial\n  - docs/intro\n---\nStart with the [tutorial](tutorial/).\n",
        )
        .page("docs/tutorial/index.md", "# Tutorial\n\n[Step 1](step-1.html)\n")
        .page("docs/tutorial/step-1.md", "# Step 1\n\nBack to [the start](/docs/tutorial).\n")
        .page("index.md", "# Home\n\n[Intro](docs/intro.html)\n");
    let (code, stderr) = check_agrees_with_build(&site);
    assert_eq!(code, 0, "{stderr}");
    let built = site.build();
    assert!(
        built
            .html("docs/tutorial.html")
            .contains("url=/docs/getting-started.html"),
        "the redirect is written as jekyll-redirect-from writes it"
    );
    assert!(
        built
            .html("docs/intro.html")
            .contains("url=/docs/getting-started.html")
    );
    assert!(built.exists("docs/tutorial/index.html") && built.exists("docs/tutorial/step-1.html"));
    assert_eq!(
        built.headlines(),
        [
            "content/docs/getting-started.md:5:5: redirect_from \"docs/intro\" does not start with /: it is taken from the site root, as jekyll-redirect-from does — did you mean \"/docs/intro\"?",
            "content/docs/tutorial/step-1.md:3:9: link \"/docs/tutorial\" is an old address (redirect_from) of content/docs/getting-started.md — did you mean \"@/docs/getting-started.md\"?",
            "content/index.md:3:1: link \"docs/intro.html\" (/docs/intro.html) is an old address (redirect_from) of content/docs/getting-started.md — did you mean \"@/docs/getting-started.md\"?",
        ]
    );
    assert!(
        built
            .html("docs/tutorial/step-1.html")
            .contains("href=\"/docs/getting-started.html\""),
        "a link written with the old address goes straight to the page"
    );
}

#[test]
fn a_file_where_a_page_needs_a_folder_fails_the_check_naming_both() {
    let site = TestSite::new()
        .file("static/docs/guide", "an extensionless download")
        .page("docs/guide/index.md", "# Guide\n")
        .page("docs/guide/setup.md", "# Setup\n");
    let (code, stderr) = check_agrees_with_build(&site);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error: static/docs/guide: static/docs/guide is written to docs/guide, but the page content/docs/guide/index.md needs docs/guide as a folder (docs/guide/index.html)"),
        "{stderr}"
    );
    assert!(!site.output().exists(), "nothing is written");
}

#[test]
fn redirects_where_a_file_or_folder_is_are_left_out_with_a_warning() {
    let site = TestSite::new()
        .page(
            "guides/new.md",
            "---\ntitle: New\nredirect_from:\n  - /guides/old.html/\n  - /img/logo.png/old.html\n  - /guides/new/\n  - /docs\n---\n# New\n",
        )
        .page("guides/old.md", "# Old\n")
        .page("docs/index.md", "# Docs\n")
        .page("docs.md", "# Docs page\n")
        .bytes("content/img/logo.png", b"png");
    let (code, stderr) = check_agrees_with_build(&site);
    assert_eq!(code, 0, "{stderr}");
    let built = site.build();
    assert_eq!(
        built.headlines(),
        [
            "content/guides/new.md:4:5: redirect_from \"/guides/old.html/\" is not written to guides/old.html/index.html: guides/old.html is a file, not a folder: the page content/guides/old.md writes it",
            "content/guides/new.md:5:5: redirect_from \"/img/logo.png/old.html\" is not written to img/logo.png/old.html: img/logo.png is a file, not a folder: content/img/logo.png writes it",
            "content/guides/new.md:7:5: redirect_from \"/docs\" is not written to docs.html: the page content/docs.md is there",
        ]
    );
    assert!(
        built
            .html("guides/new/index.html")
            .contains("url=/guides/new.html")
    );
    assert!(
        built.html("docs.html").contains("Docs page"),
        "the page wins"
    );
    let warning = &built.report.diagnostics[0];
    assert_eq!(
        warning.notes,
        ["a redirect never replaces a page or a file"]
    );
}

#[test]
fn an_output_name_too_long_for_a_file_system_fails_the_check() {
    // 252 characters + ".md" is a valid file name; + ".html" is not.
    let name = "a".repeat(252);
    let site = TestSite::new().page(&format!("{name}.md"), "# Long\n");
    let (code, stderr) = check_agrees_with_build(&site);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("is written to a name of 257 bytes (\"aaaa"),
        "{stderr}"
    );
}

#[test]
fn published_false_keeps_a_page_out_like_a_draft() {
    let site = TestSite::new()
        .page("index.md", "# Home\n\nRead [the beta notes](beta.html).\n")
        .page(
            "beta.md",
            "---\ntitle: Beta\npublished: false\n---\nNotes.\n",
        )
        .page("bad.md", "---\ntitle: Bad\npublished: \"no\"\n---\n");
    let built = site.build();
    assert_eq!(
        built.headlines(),
        [
            "content/bad.md:3:1: `published` must be true or false (found \"no\")",
            "content/index.md:3:6: link \"beta.html\" goes to a draft page, which is not published",
        ]
    );
    let link = built
        .report
        .diagnostics
        .iter()
        .find(|d| d.code == "broken-link")
        .unwrap();
    assert_eq!(
        link.notes,
        [
            "link text: \"the beta notes\"",
            "content/beta.md has `published: false`; build with --drafts to include it"
        ]
    );
    let site = site.remove("content/bad.md");
    let drafts = site.build_with(Overrides {
        drafts: true,
        ..Overrides::default()
    });
    assert_eq!(drafts.report.errors(), 0, "{}", drafts.diagnostics_text());
    assert!(drafts.html("beta.html").contains("Notes."));
    let site = site.page("index.md", "# Home\n");
    let without = site.build().clean();
    assert!(!without.exists("beta.html"), "left out again");
    assert!(!without.html("sitemap.xml").contains("beta"));
}

#[test]
fn an_html_file_with_front_matter_is_a_page() {
    let built = TestSite::new()
        .file(
            "docgen.toml",
            "title = \"Docs\"\nbase_url = \"https://docs.example.com\"\nbroken_links = \"warn\"\n[extra]\nsupport_email = \"help@example.com\"\n",
        )
        .page(
            "support.html",
            "---\ntitle: Support\nlayout: page\n---\n<h2 id=\"contact\">Contact</h2>\n<p>Mail {{ site.support_email }}.</p>\n\n    <pre>indented, not a code block</pre>\n",
        )
        .page("about/index.html", "---\ntitle: About\n---\n<p>About {{ page.title }}.</p>\n")
        .page("embed.html", "<p>{{ not templated }}</p>\n")
        .page(
            "index.md",
            "# Home\n\n[Support](support.html#contact), [about](about/), [embed](embed.html), [gone](support.html#nope)\n",
        )
        .build();
    let support = built.html("support.html");
    assert!(
        support.contains("<h2 id=\"contact\">Contact</h2>\n<p>Mail help@example.com.</p>"),
        "{support}"
    );
    assert!(
        support.contains("    <pre>indented, not a code block</pre>"),
        "HTML is not Markdown: {support}"
    );
    assert!(
        support.contains("<title>Support"),
        "rendered through its layout"
    );
    assert!(
        !support.contains("layout: page"),
        "no front matter in the output"
    );
    assert!(
        built
            .html("about/index.html")
            .contains("<p>About About.</p>")
    );
    assert_eq!(
        built.html("embed.html"),
        "<p>{{ not templated }}</p>\n",
        "copied as it is"
    );
    assert_eq!(
        built.headlines(),
        [
            "content/index.md:3:72: broken anchor \"support.html#nope\": content/support.html has no heading with id \"nope\""
        ]
    );
}

/// A page copied from a Jekyll site by hand keeps its `permalink:`; docgen publishes pages at
/// the URL of their path, so the permalink was ignored without a word and every link written
/// for it broke with no hint why.
#[test]
fn a_permalink_that_docgen_does_not_follow_is_a_warning_at_its_line() {
    let built = TestSite::new()
        .page(
            "docs/faq.md",
            "---\ntitle: FAQ\npermalink: /faq/\n---\n# FAQ\n",
        )
        .page(
            "docs/setup/index.md",
            "---\ntitle: Setup\npermalink: /docs/setup/\n---\n# Setup\n",
        )
        .page(
            "docs/old.md",
            "---\ntitle: Old\npermalink: /docs/old.html\n---\n# Old\n",
        )
        .page(
            "docs/post.md",
            "---\ntitle: Post\npermalink: /:categories/:title/\n---\n# Post\n",
        )
        .build();
    assert_eq!(
        built
            .report
            .diagnostics
            .iter()
            .filter(|d| d.code == "permalink")
            .map(|d| d.headline())
            .collect::<Vec<_>>(),
        [
            "content/docs/faq.md:3:1: `permalink: /faq/` is not followed: docgen publishes this page at /docs/faq.html, the URL of its path"
        ],
        "{}",
        built.diagnostics_text()
    );
    assert!(
        built.diagnostics_text().contains(
            "= to keep the URL, move the file where it points (`docgen import jekyll` does), or list /faq/ in redirect_from"
        ),
        "{}",
        built.diagnostics_text()
    );
}

#[test]
fn a_page_or_data_file_saved_as_latin_1_is_reported_at_its_first_such_byte_with_the_fix() {
    let built = TestSite::new()
        .bytes(
            "content/caf\u{e9}.md",
            b"---\r\ntitle: Caf\xe9\r\n---\r\nCr\xe8me [link](nowhere.html)\r\n",
        )
        .bytes("data/menu.yml", b"- name: cr\xe8me br\xfbl\xe9e\n")
        .build();
    assert_eq!(
        built.headlines(),
        [
            "content/caf\u{e9}.md:2:11: the file is not valid UTF-8 text: byte 0xE9 (\"\u{e9}\" in Latin-1) here",
            "content/caf\u{e9}.md:4:7: broken link \"nowhere.html\"",
            "data/menu.yml:1:11: the file is not valid UTF-8 text: byte 0xE8 (\"\u{e8}\" in Latin-1) here",
        ]
    );
    assert!(built.diagnostics_text().contains(
        "= it was probably saved as Latin-1 or Windows-1252: save it as UTF-8 in your editor, or convert it with `iconv -f WINDOWS-1252 -t UTF-8`"
    ), "{}", built.diagnostics_text());
}

#[test]
fn redirect_paths_are_read_as_urls_and_never_name_hidden_files() {
    // `/old%20guide.html` is the URL a server answers from the file `old guide.html`; written
    // as `old%20guide.html` it never matched. `%2e%2e` is `..`, and a hidden name would be
    // docgen's marker or a deploy `.git/`.
    let site = TestSite::new()
        .page(
            "guide.md",
            "---\ntitle: Guide\nredirect_from:\n  - /old%20guide.html\n  - /.docgen-output\n  - /a/%2e%2e/%2e%2e/up.html\n---\nx\n",
        )
        .page("index.md", "---\ntitle: Home\n---\n[old](/old%20guide.html) [raw](<old guide.html>)\n");
    let built = site.build();
    assert_eq!(
        built.headlines(),
        [
            "content/guide.md:5:5: redirect_from \"/.docgen-output\" must not name a hidden file or folder (a name starting with .)",
            "content/guide.md:6:5: redirect_from \"/a/%2e%2e/%2e%2e/up.html\" must not contain empty, . or .. segments",
            // Both spellings of the old URL find the redirect.
            "content/index.md:4:1: link \"/old%20guide.html\" (/old guide.html) is an old address (redirect_from) of content/guide.md — did you mean \"@/guide.md\"?",
            "content/index.md:4:26: link \"old guide.html\" (/old guide.html) is an old address (redirect_from) of content/guide.md — did you mean \"@/guide.md\"?",
        ]
    );
    let site = site.page(
        "guide.md",
        "---\ntitle: Guide\nredirect_from: /old%20guide.html\n---\nx\n",
    );
    let built = site.build();
    assert_eq!(built.report.errors(), 0, "{}", built.diagnostics_text());
    assert!(built.html("old guide.html").contains("url=/guide.html"));
    assert!(!built.exists("old%20guide.html"));
    assert!(
        built
            .html("index.html")
            .contains("<a href=\"/guide.html\">old</a> <a href=\"/guide.html\">raw</a>"),
        "links to the old URL go to the page"
    );
}

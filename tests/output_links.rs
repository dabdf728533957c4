//! Every link in the output: raw HTML in pages and includes resolved and reported like Markdown
//! links, template and CSS links checked against the written output, and an independent walker
//! over the built HTML that must find exactly what docgen reported.

mod common;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use common::{Built, TestSite, guide};

const GTW: &str = "Citrix GoToWebinar";

/// A Jekyll-era guide site: raw HTML tables, callout includes, sloppy links, a site template
/// with its own links, and a stylesheet.
fn legacy_site() -> TestSite {
    TestSite::new()
        .page("elements.md", "---\ntitle: Element Guides\nlayout: page\n---\nAll.\n")
        .page(
            "elements/gtw/index.md",
            &guide(
                GTW,
                "Overview",
                1,
                "\
<a id=\"set-up-events\"></a>

## Base URL

<table>
  <tr><td><a href=#set-up-events>Set up events</a></td>
      <td><a href=\"events.md\">Events</a> and <a href='events.html?x=1&amp;y=2#polling'>polling</a></td></tr>
  <tr><td><img src=img/logo.png alt=\"\"> <img srcset=\"img/logo.png 1x, img/logo-2x.png 2x\"></td></tr>
</table>

Skip to the <a href=#main>top of the content</a>, or see <a href='/../../elements/gtw/events.html'>events</a>.

{% include callout.html %}
",
            ),
        )
        .bytes("content/elements/gtw/img/logo.png", b"png")
        .page(
            "elements/gtw/events.md",
            &guide(
                GTW,
                "Events",
                20,
                "## Polling\n\nBack to <a href=index.html#authenticating-with-cloud-elements>the overview</a>.\n",
            ),
        )
        .file(
            "includes/callout.html",
            "<div class=\"callout\">\n  Read the <a href=\"/elements/gtw/setup.html\">setup guide</a>.\n</div>\n",
        )
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block footer %}\n<p><a href=\"/support.html\">Support</a> \
             <a href=\"#feedback\">Feedback</a></p>\n\
             {% if page.extra.edit_url %}<a href=\"{{ page.extra.edit_url }}\">Edit</a>{% endif %}\n{% endblock footer %}\n",
        )
        .page(
            "guides/start.md",
            "---\ntitle: Getting Started\nedit_url: /edit/start.html\n---\nSee <a href=\"../elements.html\">all elements</a>.\n",
        )
        .page("guides/faq.md", "# FAQ\n\nNothing yet.\n")
        .file(
            "static/css/site.css",
            "/* url(commented.png) */\n.hero {\n  background: url(\"../img/hero.png\");\n}\n.ok { background: url(../img/ok.png) }\n",
        )
        .bytes("static/img/ok.png", b"png")
}

#[test]
fn raw_html_links_resolve_like_markdown_links_and_are_rewritten() {
    let site = legacy_site()
        // Without the broken parts, so that the site is written.
        .page(
            "elements/gtw/events.md",
            &guide(
                GTW,
                "Events",
                20,
                "## Polling\n\nBack to <a href=index.html#base-url>the overview</a>.\n",
            ),
        )
        .file(
            "includes/callout.html",
            "<div class=\"callout\">Read <a href=\"@/elements/gtw/events.md\">events</a>.</div>\n",
        )
        .file("templates/page.html", "{% extends \"base.html\" %}\n")
        .file(
            "static/css/site.css",
            ".ok { background: url(../img/ok.png) }\n",
        )
        .bytes("content/elements/gtw/img/logo-2x.png", b"png");
    let built = site.build().clean();
    let html = built.html("elements/gtw/index.html");
    for expected in [
        "<a href=#set-up-events>",
        "<a href=\"/elements/gtw/events.html\">Events</a>",
        "<a href=\"/elements/gtw/events.html?x=1&amp;y=2#polling\">polling</a>",
        "<img src=\"/elements/gtw/img/logo.png\" alt=\"\"",
        "<img srcset=\"/elements/gtw/img/logo.png 1x, /elements/gtw/img/logo-2x.png 2x\"",
        "<a href=#main>",
        "<a href=\"/elements/gtw/events.html\">events</a>",
        "Read <a href=\"/elements/gtw/events.html\">events</a>.",
    ] {
        assert!(html.contains(expected), "missing {expected} in:\n{html}");
    }
}

#[test]
fn every_broken_raw_html_template_css_and_front_matter_link_is_reported_where_written() {
    let built = legacy_site()
        .page(
            "elements/gtw/index.md",
            &format!(
                "---\nheading: {GTW}\ntitle: Overview\nlayout: sidebarelementdoc\nlogo: img/nologo.svg\norder: 1\n---\n\
                 <a href=events.md#webhooks>x</a>\n"
            ),
        )
        .build();
    let index = "content/elements/gtw/index.md";
    let events = "content/elements/gtw/events.md";
    let expected = [
        format!("{index}:5:1: `logo`: broken image \"img/nologo.svg\""),
        format!("{index}:8:9: broken anchor \"events.md#webhooks\": content/elements/gtw/events.md has no heading with id \"webhooks\""),
        format!("{events}:11:17: broken anchor \"index.html#authenticating-with-cloud-elements\": content/elements/gtw/index.md has no heading with id \"authenticating-with-cloud-elements\""),
        "templates/page.html:3:13: broken link \"/support.html\"".to_string(),
        "templates/page.html:3:49: broken anchor \"#feedback\": the page has no element with id \"feedback\"".to_string(),
        "content/guides/start.md:3:1: `edit_url`: broken link \"/edit/start.html\"".to_string(),
        "static/css/site.css:3:20: broken image \"../img/hero.png\" in url()".to_string(),
    ];
    let headlines: BTreeSet<String> = built.headlines().into_iter().collect();
    let wanted: BTreeSet<String> = expected.iter().cloned().collect();
    assert_eq!(headlines, wanted, "{}", built.diagnostics_text());
    let text = built.diagnostics_text();
    assert!(
        text.contains("= in <a href> of the rendered content/elements.md\n  = and 2 other pages"),
        "a template literal is reported once, with the number of pages:\n{text}"
    );
    assert!(
        !built.exists("elements/gtw/index.html"),
        "a failing build writes nothing"
    );
}

#[test]
fn raw_html_in_includes_is_reported_in_the_include() {
    let built = legacy_site()
        .page(
            "elements/gtw/events.md",
            &guide(GTW, "Events", 20, "## Polling\n"),
        )
        .file("templates/page.html", "{% extends \"base.html\" %}\n")
        .file("static/css/site.css", "")
        .bytes("content/elements/gtw/img/logo-2x.png", b"png")
        .build();
    assert_eq!(
        built.headlines(),
        [
            "includes/callout.html:2:21: broken link \"/elements/gtw/setup.html\" — did you mean \"/elements/gtw/events.html\"?"
        ],
        "{}",
        built.diagnostics_text()
    );
    let text = built.diagnostics_text();
    assert!(text.contains("= in raw HTML: <a href>"), "{text}");
    assert!(
        text.contains("= included from content/elements/gtw/index.md:"),
        "{text}"
    );
}

#[test]
fn check_reports_the_same_set_in_json_and_github_formats() {
    let site = legacy_site();
    let built = site.build();
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        built.report.diagnostics.len(),
        "{}",
        run.stdout
    );
    assert!(
        lines.iter().all(|l| l.contains("\"code\":\"broken-link\"")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\"file\":\"templates/page.html\""),
        "{}",
        run.stdout
    );
    let github = site.run(&["check", "--format", "github"]);
    assert!(
        github.stdout.contains("::error file=static/css/site.css,line=3,col=20,title=docgen broken-link::broken image \"../img/hero.png\" in url()"),
        "{}",
        github.stdout
    );
    assert!(!site.output().exists(), "check writes nothing");
}

// ---- The independent walker -------------------------------------------------------------

/// Broken (output file, URL) pairs of a built site, found by reading every HTML file of `out`
/// with html5gum's plain token API and resolving each URL against the files and ids there.
fn walk(out: &Path, base_path: &str) -> BTreeSet<(String, String)> {
    let mut files = HashSet::new();
    let mut html_files = Vec::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel.ends_with(".html") {
                html_files.push(rel.clone());
            }
            files.insert(rel);
        }
    }
    let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
    let mut urls: Vec<(String, String)> = Vec::new();
    for rel in &html_files {
        let text = std::fs::read_to_string(out.join(rel)).unwrap();
        let mut page_ids = HashSet::new();
        let mut tokenizer = html5gum::Tokenizer::new(text.as_str());
        for token in &mut tokenizer {
            let Ok(html5gum::Token::StartTag(tag)) = token else {
                continue;
            };
            let name = String::from_utf8_lossy(&tag.name).to_string();
            for (key, value) in &tag.attributes {
                let key = String::from_utf8_lossy(key).to_string();
                let value = String::from_utf8_lossy(value).to_string();
                // As browsers: any element's id, and the name of an <a>.
                if key == "id" || (key == "name" && name == "a") {
                    page_ids.insert(value.clone());
                }
                let url_attr = matches!(
                    (name.as_str(), key.as_str()),
                    ("a" | "area" | "link", "href")
                        | (
                            "img"
                                | "source"
                                | "video"
                                | "audio"
                                | "track"
                                | "iframe"
                                | "embed"
                                | "script",
                            "src"
                        )
                        | ("video", "poster")
                        | ("object", "data")
                );
                if url_attr {
                    urls.push((rel.clone(), value.trim().to_string()));
                } else if key == "srcset" {
                    for candidate in value.split(", ") {
                        let url = candidate.split_whitespace().next().unwrap_or("");
                        urls.push((rel.clone(), url.to_string()));
                    }
                }
            }
        }
        ids.insert(rel.clone(), page_ids);
    }
    let mut broken = BTreeSet::new();
    for (rel, url) in urls {
        if url.is_empty() || url.starts_with("//") || url.contains(':') {
            continue;
        }
        let (path, fragment) = url.split_once('#').unwrap_or((&url, ""));
        let path = path.split('?').next().unwrap();
        // Folder of the page as served, with the base path.
        let page_dir = format!(
            "{base_path}/{}",
            &rel[..rel.rfind('/').map_or(0, |i| i + 1)]
        );
        let absolute = if path.is_empty() {
            format!("{base_path}/{rel}")
        } else if path.starts_with('/') {
            path.to_string()
        } else {
            format!("{page_dir}{path}")
        };
        let mut segments: Vec<&str> = Vec::new();
        for s in absolute.split('/') {
            match s {
                "" | "." => {}
                ".." => {
                    segments.pop();
                }
                s => segments.push(s),
            }
        }
        let mut joined = segments.join("/");
        if absolute.ends_with('/') && !joined.is_empty() {
            joined.push('/');
        }
        let base = base_path.trim_start_matches('/');
        let Some(site_rel) = (if base.is_empty() {
            Some(joined.as_str())
        } else {
            joined.strip_prefix(base).map(|r| r.trim_start_matches('/'))
        }) else {
            broken.insert((rel, url));
            continue;
        };
        let site_rel = site_rel.replace("%20", " ");
        let target = if site_rel.is_empty() || site_rel.ends_with('/') {
            format!("{site_rel}index.html")
        } else {
            site_rel.clone()
        };
        if !files.contains(&target) {
            broken.insert((rel, url));
            continue;
        }
        if !fragment.is_empty()
            && fragment != "top"
            && let Some(target_ids) = ids.get(&target)
            && !target_ids.contains(fragment)
        {
            broken.insert((rel, url));
        }
    }
    broken
}

/// The URLs docgen's broken-link diagnostics name, except those the output cannot show (a
/// broken `logo:` is not written; CSS is not walked).
fn reported_urls(report: &docgen::build::BuildReport) -> BTreeSet<String> {
    report
        .diagnostics
        .iter()
        .filter(|d| {
            d.code == "broken-link"
                && !d.message.contains("in url()")
                && !d.message.starts_with("`logo`")
        })
        .map(|d| {
            let start = d.message.find('"').unwrap() + 1;
            let end = start + d.message[start..].find('"').unwrap();
            d.message[start..end].to_string()
        })
        .collect()
}

fn build_to(root: &Path, out: &Path) -> docgen::build::BuildReport {
    let options = docgen::build::BuildOptions {
        root: root.to_path_buf(),
        output: Some(out.to_path_buf()),
        overrides: docgen::config::Overrides::default(),
    };
    docgen::build::build(&options, &docgen::highlight::Highlighter::new()).expect("the build runs")
}

#[test]
fn an_independent_walker_finds_no_broken_link_in_the_example_site() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("site");
    let report = build_to(Path::new(env!("CARGO_MANIFEST_DIR")), &out);
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    assert_eq!(walk(&out, ""), BTreeSet::new());
}

#[test]
fn an_independent_walker_finds_no_broken_link_in_a_generated_bench_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("corpus");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen-corpus");
    let status = std::process::Command::new("python3")
        .arg(&script)
        .args(["--elements", "6", "--out"])
        .arg(&site)
        .status()
        .expect("python3 runs bench/gen-corpus");
    assert!(status.success());
    let out = dir.path().join("out");
    let report = build_to(&site, &out);
    assert_eq!(report.errors(), 0, "{:?}", report.diagnostics);
    assert!(report.pages >= 48, "{}", report.pages);
    assert_eq!(walk(&out, &base_path_of(&site)), BTreeSet::new());
}

fn base_path_of(site: &Path) -> String {
    let config = docgen::config::Config::load(site, &docgen::config::Overrides::default()).unwrap();
    config.base_path
}

#[test]
fn the_walker_and_docgen_agree_on_planted_breakage() {
    let site = legacy_site().file(
        "docgen.toml",
        "title = \"T\"\nbase_url = \"https://docs.example.com\"\nbroken_links = \"warn\"\n",
    );
    let built: Built = site.build();
    assert_eq!(
        built.report.errors(),
        0,
        "warnings only: {}",
        built.diagnostics_text()
    );
    let walked: BTreeSet<String> = walk(&built.out, "")
        .into_iter()
        .map(|(_, url)| url)
        .collect();
    let reported = reported_urls(&built.report);
    assert!(!walked.is_empty());
    assert_eq!(walked, reported, "{}", built.diagnostics_text());
}

// ---- serve --watch ------------------------------------------------------------------------

/// Headlines of a session's diagnostics and of a fresh `check` of the same site, which must agree.
fn live_and_fresh(
    session: &docgen::session::Session,
    site: &TestSite,
    highlighter: &docgen::highlight::Highlighter,
) -> Vec<String> {
    let live: Vec<String> = session.diagnostics().iter().map(|d| d.headline()).collect();
    let options = docgen::check::CheckOptions {
        root: site.root().to_path_buf(),
        ..Default::default()
    };
    let fresh = docgen::check::check(&options, highlighter).unwrap();
    let fresh: Vec<String> = fresh
        .build
        .diagnostics
        .iter()
        .map(|d| d.headline())
        .collect();
    assert_eq!(live, fresh, "the session agrees with a fresh check");
    live
}

#[test]
fn a_serve_session_keeps_the_output_check_current() {
    use docgen::session::{Change, Session};
    let site = TestSite::new()
        .page("index.md", "# Home\n\n<a href=\"guide.html#setup\">the guide</a>\n")
        .page("guide.md", "# Guide\n\n## Setup\n")
        .page("support.md", "# Support\n")
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block footer %}<a href=\"/support.html\">Support</a>\n<img src=\"/img/badge.svg\" alt=\"\">{% endblock footer %}\n",
        )
        .file("static/img/badge.svg", "<svg/>");
    let highlighter = docgen::highlight::Highlighter::new();
    let out = tempfile::tempdir().unwrap();
    let (mut session, first) = Session::open(
        site.root(),
        docgen::config::Overrides::default(),
        out.path(),
        &highlighter,
    )
    .unwrap();
    assert!(first.diagnostics.is_empty(), "{:?}", first.diagnostics);

    // A file a template links to goes: every page using it is checked again.
    std::fs::remove_file(site.root().join("static/img/badge.svg")).unwrap();
    session
        .apply(&[Change::StaticFile("img/badge.svg".into())], &highlighter)
        .unwrap();
    assert_eq!(
        live_and_fresh(&session, &site, &highlighter),
        ["templates/page.html:3:11: broken image \"/img/badge.svg\""]
    );

    // A page a template links to goes.
    std::fs::remove_file(site.root().join("content/support.md")).unwrap();
    session
        .apply(&[Change::Page("support.md".into())], &highlighter)
        .unwrap();
    assert_eq!(live_and_fresh(&session, &site, &highlighter).len(), 2);

    // Both come back; then an anchor named by raw HTML goes away.
    std::fs::write(site.root().join("static/img/badge.svg"), "<svg/>").unwrap();
    std::fs::write(site.root().join("content/support.md"), "# Support\n").unwrap();
    session
        .apply(
            &[
                Change::StaticFile("img/badge.svg".into()),
                Change::Page("support.md".into()),
            ],
            &highlighter,
        )
        .unwrap();
    assert!(live_and_fresh(&session, &site, &highlighter).is_empty());
    std::fs::write(
        site.root().join("content/guide.md"),
        "# Guide\n\n## Set up\n",
    )
    .unwrap();
    session
        .apply(&[Change::Page("guide.md".into())], &highlighter)
        .unwrap();
    assert_eq!(
        live_and_fresh(&session, &site, &highlighter),
        [
            "content/index.md:3:10: broken anchor \"guide.html#setup\": content/guide.md has no heading with id \"setup\" — did you mean \"guide.html#set-up\"?"
        ]
    );
}

/// The output check reads a layout's tags once per render worker and then by their text
/// (`TagMemo`): every page's copy of a layout link must still be resolved from that page, and
/// its fragment against that page's ids, so a link broken only in some pages is reported for
/// exactly those, and a tag the tokenizer reads oddly is still read as a browser does.
#[test]
fn layout_links_are_proven_in_every_page_that_writes_them() {
    let mut site = TestSite::new()
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block footer %}\n\
             <a href=\"notes.html\">Notes</a> <a href=\"#feedback\">Feedback</a>\n\
             <a class=x href=\"/gone.html\"id=odd>Gone</a>\n{% endblock footer %}\n",
        )
        .page(
            "guides/notes.md",
            "# Notes\n\n## Feedback\n\nWrite to us.\n",
        );
    // 24 pages next to notes.md, with a Feedback heading: every layout link works there.
    for n in 0..24 {
        site = site.page(
            &format!("guides/g{n:02}.md"),
            &format!("# Guide {n}\n\nText.\n\n## Feedback\n\nWrite to us.\n"),
        );
    }
    // 12 pages in a folder without notes.md and without the heading.
    for n in 0..12 {
        site = site.page(
            &format!("more/m{n:02}.md"),
            &format!("# More {n}\n\nText.\n"),
        );
    }
    let built = site.build();
    assert_eq!(
        built.headlines(),
        [
            "templates/page.html:3:10: broken link \"notes.html\"",
            "templates/page.html:3:41: broken anchor \"#feedback\": the page has no element with id \"feedback\"",
            "templates/page.html:4:18: broken link \"/gone.html\"",
        ],
        "{}",
        built.diagnostics_text()
    );
    let text = built.diagnostics_text();
    // notes.html and #feedback break in the 12 pages of more/ only; /gone.html in all 37.
    for (url, others) in [("notes.html", 11), ("#feedback", 11), ("/gone.html", 36)] {
        let at = text.find(&format!("\"{url}\"")).unwrap();
        let rest = &text[at..];
        let block = &rest[..rest.find("\n\n").unwrap_or(rest.len())];
        assert!(
            block.contains(&format!("and {others} other pages")),
            "{url} in {others} + 1 pages:\n{block}"
        );
    }
}

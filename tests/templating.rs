//! Content templating: Jekyll-era guides — page, site and data variables, includes with
//! parameters, `include_relative`, `raw` — build unchanged, and every problem points at the line
//! the writer wrote, through the include chain.

mod common;

use common::{TestSite, between, guide};
use docgen::build::Indexed;
use docgen::config::{Config, Overrides};
use docgen::highlight::Highlighter;
use docgen::page::Page;
use docgen::session::{Change, Rebuild, Session};
use docgen::templating::{self, Templating};

/// Pages render with a layout that prints only their content, so tests read the Markdown's HTML.
fn site() -> TestSite {
    TestSite::new()
        .file(
            "docgen.toml",
            "title = \"Test Docs\"\nbase_url = \"https://docs.example.com/docs\"\n\n[extra]\nconsole = \"Cloud Elements\"\n",
        )
        .file("templates/page.html", "{{ page.content | safe }}")
        .file("templates/sidebarelementdoc.html", "{{ page.content | safe }}")
}

const NOTE: &str = "<div class=\"note\">\n\n{{ include.content }}\n\n</div>\n";

#[test]
fn page_site_and_config_variables_expand_before_markdown() {
    let built = site()
        .page(
            "elements/box/index.md",
            "---\nheading: Box\napiKey: k-123\nelementKey: box\n---\n# {{page.heading}} in {{ site.console }}\n\nKey `{{page.apiKey}}` for *{{ page.elementKey }}* on {{site.title}} at {{site.url}} ({{ site.baseurl }}).\n",
        )
        .build()
        .clean();
    let html = built.html("elements/box/index.html");
    assert!(
        html.contains("<h1 id=\"box-in-cloud-elements\">Box in Cloud Elements"),
        "{html}"
    );
    assert!(
        html.contains("Key <code>k-123</code> for <em>box</em> on Test Docs at https://docs.example.com/docs (/docs)."),
        "{html}"
    );
}

#[test]
fn data_files_in_yaml_json_and_toml_are_site_data() {
    let built = site()
        .file(
            "data/glossary.yml",
            "element: An API connector\nterms:\n  - instance\n  - endpoint\n",
        )
        .file("data/elements/box.json", "{\"id\": 22, \"name\": \"Box\"}")
        .file("data/limits.toml", "[api]\ncalls = 100\n")
        .page(
            "index.md",
            "An element is {{ site.data.glossary.element | downcase }}.\n\n{% for t in site.data.glossary.terms %}- {{ t }}\n{% endfor %}\n{{ site.data.elements.box.name }} is {{ site.data.elements.box.id }}, {{ site.data.limits.api.calls }} calls.\n",
        )
        .build()
        .clean();
    let html = built.html("index.html");
    assert!(html.contains("An element is an api connector."), "{html}");
    assert!(
        html.contains("<li>instance</li>\n<li>endpoint</li>"),
        "{html}"
    );
    assert!(html.contains("Box is 22, 100 calls."), "{html}");
}

#[test]
fn includes_take_parameters_and_nest() {
    let built = site()
        .file("includes/note.html", NOTE)
        .file(
            "includes/callout.html",
            "<div class=\"callout callout-{{ include.type }}\">{% include icon.html name=include.type %}\n\n{{ include.content }}\n\n</div>\n",
        )
        .file(
            "includes/icon.html",
            "<span class=\"icon-{{ include.name }}\"></span>",
        )
        .page(
            "index.md",
            "Intro.\n\n{% include note.html content=\"Make sure the callback URL matches.\" %}\n\n{% include callout.html type=\"info\" content='Instances are *per account*.' %}\n",
        )
        .build()
        .clean();
    let html = built.html("index.html");
    assert!(
        html.contains("<div class=\"note\">\n<p>Make sure the callback URL matches.</p>\n</div>"),
        "{html}"
    );
    assert!(
        html.contains("<div class=\"callout callout-info\"><span class=\"icon-info\"></span>\n<p>Instances are <em>per account</em>.</p>\n</div>"),
        "{html}"
    );
}

#[test]
fn shared_markdown_sections_use_the_including_pages_variables() {
    let built = site()
        .page("elements.md", "# Elements\n")
        .file(
            "includes/common-instance-config.md",
            "## Configure {{ page.heading }}\n\nEnter the {{ page.heading }} API key.\n",
        )
        .page(
            "elements/box/box-create-instance.md",
            &guide(
                "Box",
                "Create Instance",
                3,
                "{% include common-instance-config.md %}\n",
            ),
        )
        .page(
            "elements/zendesk/zendesk-create-instance.md",
            &guide(
                "Zendesk",
                "Create Instance",
                3,
                "{% include common-instance-config.md %}\n",
            ),
        )
        .build()
        .clean();
    let box_html = built.html("elements/box/box-create-instance.html");
    assert!(
        box_html.contains("<h2 id=\"configure-box\">Configure Box"),
        "{box_html}"
    );
    assert!(box_html.contains("Enter the Box API key."), "{box_html}");
    let zendesk = built.html("elements/zendesk/zendesk-create-instance.html");
    assert!(zendesk.contains("Enter the Zendesk API key."), "{zendesk}");
}

#[test]
fn include_relative_reads_files_next_to_the_page_with_built_names() {
    let built = site()
        .page(
            "elements/box/includes/config-fields.md",
            "| Field | Value |\n|---|---|\n| Key | {{ page.apiKey }} |\n",
        )
        .page(
            "elements/box/includes/box-postman.html",
            "<a class=\"postman\" href=\"https://postman.example.com/{{ page.elementKey }}\">Run</a>\n",
        )
        .page(
            "elements/box/index.md",
            "---\nheading: Box\napiKey: k-1\nelementKey: box\n---\n{% include_relative includes/config-fields.md %}\n\n{% include_relative includes/{{page.elementKey}}-postman.html %}\n",
        )
        .build()
        .clean();
    let html = built.html("elements/box/index.html");
    assert!(html.contains("<td>Key</td><td>k-1</td>"), "{html}");
    assert!(
        html.contains("href=\"https://postman.example.com/box\""),
        "{html}"
    );
    assert!(
        !built.exists("elements/box/includes/config-fields.html")
            && !built.exists("elements/box/includes/box-postman.html"),
        "files of includes/ folders are neither pages nor copied"
    );
}

#[test]
fn variables_expand_inside_code_blocks_and_raw_keeps_braces() {
    let built = site()
        .page(
            "elements/box/index.md",
            "---\nheading: Box\nelementKey: box\nelementId: 22\n---\n```bash\ncurl -X POST /elements/{{page.elementKey}}/instances -d '{\"element\": {\"id\": {{page.elementId}}}}'\n```\n\n{% raw %}\n```text\nPostman uses {{baseUrl}} and {% braces %}.\n```\n{% endraw %}\n",
        )
        .build()
        .clean();
    let html = built.html("elements/box/index.html");
    let code = between(&html, "<pre class=\"code\" data-lang=\"bash\"", "</pre>");
    assert!(code.contains("/elements/box/instances"), "{code}");
    assert!(code.contains("22"), "{code}");
    assert!(!code.contains("page.element"), "{code}");
    assert!(
        html.contains("Postman uses {{baseUrl}} and {% braces %}."),
        "{html}"
    );
}

#[test]
fn a_page_or_a_site_can_turn_templating_off() {
    let text = "---\ntitle: Literal\ntemplating: false\n---\nKeep {{ page.title }} and {% include x.html %} as written.\n";
    let built = site().page("literal.md", text).build().clean();
    assert!(
        built
            .html("literal.html")
            .contains("Keep {{ page.title }} and {% include x.html %} as written."),
        "{}",
        built.html("literal.html")
    );
    let built = site()
        .file(
            "docgen.toml",
            "title = \"T\"\nbase_url = \"https://x.org\"\ntemplating = false\n",
        )
        .page("index.md", "Keep {{ page.title }}.\n")
        .build()
        .clean();
    assert!(built.html("index.html").contains("Keep {{ page.title }}."));
}

#[test]
fn an_unknown_variable_in_an_include_names_the_page_line_and_chain() {
    let built = site()
        .file(
            "includes/note.html",
            "<div class=\"note\">\n\n{{ include.contnet }}\n\n</div>\n",
        )
        .page(
            "x.md",
            "---\ntitle: X\n---\nOne.\n\n{% include note.html content=\"Check the URL.\" %}\n",
        )
        .build();
    built.reports("content/x.md:6 → includes/note.html:3:4: unknown variable include.contnet — did you mean \"include.content\"?");
    let text = built.diagnostics_text();
    assert!(text.contains("3 | {{ include.contnet }}"), "{text}");
}

#[test]
fn an_unknown_variable_in_a_page_is_reported_at_its_line() {
    let built = site()
        .page(
            "x.md",
            "---\ntitle: X\n---\nOne.\n\nTwo {{ page.titel }}.\n",
        )
        .build();
    built.reports("content/x.md:6:8: unknown variable page.titel — did you mean \"page.title\"?");
}

#[test]
fn liquid_syntax_errors_are_reported_at_their_line() {
    let built = site()
        .page(
            "x.md",
            "---\ntitle: X\n---\nOne.\n\n{% if page.title %}\nunclosed\n",
        )
        .page("y.md", "Line one\n\n{{ page.title | upcsae }}\n")
        .build();
    built.reports("content/x.md:6:1: `{% if %}` is never closed: add `{% endif %}`");
    built.reports("content/y.md:3:17: unknown filter `upcsae` — did you mean \"upcase\"?");
}

#[test]
fn a_missing_include_lists_the_closest_names() {
    let built = site()
        .file("includes/note.html", NOTE)
        .file("includes/notes.html", NOTE)
        .file("includes/callout.html", NOTE)
        .page(
            "x.md",
            "---\ntitle: X\n---\n\nSee {% include noet.html %}.\n",
        )
        .build();
    built.reports(
        "content/x.md:5:5: include \"noet.html\" not found in includes/ — did you mean \"note.html\"?",
    );
    assert!(
        built
            .diagnostics_text()
            .contains("= closest names: note.html, notes.html, callout.html"),
        "{}",
        built.diagnostics_text()
    );
}

#[test]
fn include_cycles_are_reported_not_looped() {
    let built = site()
        .file("includes/a.html", "A\n{% include b.html %}\n")
        .file("includes/b.html", "B\n\n{% include a.html %}\n")
        .page("x.md", "{% include a.html %}\n")
        .build();
    built.reports(
        "content/x.md:1 → includes/a.html:2 → includes/b.html:3:1: include cycle: includes/a.html → includes/b.html → includes/a.html",
    );
}

#[test]
fn a_broken_link_in_an_include_points_at_the_include_and_names_the_page() {
    let built = site()
        .file(
            "includes/setup-steps.md",
            "## Steps\n\nFirst, [create the app](app-setp.html).\n",
        )
        .page("app-setup.md", "# App Setup\n")
        .page(
            "guide.md",
            "---\ntitle: Guide\n---\nIntro for {{ page.title }}.\n\n{% include setup-steps.md %}\n\n[Back](app-setup.html) and [gone](nowhere.html).\n",
        )
        .build();
    built.reports(
        "includes/setup-steps.md:3:8: broken link \"app-setp.html\" — did you mean \"app-setup.html\"?",
    );
    built.reports("content/guide.md:8:28: broken link \"nowhere.html\"");
    let text = built.diagnostics_text();
    assert!(
        text.contains(
            "3 | First, [create the app](app-setp.html).\n  |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n  = link text: \"create the app\"\n  = included from content/guide.md:6\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("8 | [Back](app-setup.html) and [gone](nowhere.html).\n  |                            ^^^^^^^^^^^^^^^^^^^^\n"),
        "{text}"
    );
}

#[test]
fn links_built_from_variables_or_passed_to_includes_point_at_what_was_written() {
    let built = site()
        .file("includes/note.html", NOTE)
        .page(
            "elements/box/index.md",
            "---\nheading: Box\nelementKey: box\n---\nSee [setup]({{ page.elementKey }}-setp.html) now.\n\n{% include note.html content=\"Read [the events](box-evnts.html).\" %}\n",
        )
        .build();
    built.reports("content/elements/box/index.md:5:5: broken link \"box-setp.html\"");
    built.reports("content/elements/box/index.md:7:36: broken link \"box-evnts.html\"");
    let text = built.diagnostics_text();
    assert!(
        text.contains("5 | See [setup]({{ page.elementKey }}-setp.html) now.\n  |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"),
        "{text}"
    );
}

#[test]
fn bad_data_files_are_reported_at_their_line() {
    let built = site()
        .file("data/glossary.yml", "element: ok\nterms: [a, b\n")
        .file("data/limits.json", "{\"calls\": }")
        .page("index.md", "Hi.\n")
        .build();
    let headlines = built.headlines();
    assert!(
        headlines
            .iter()
            .any(|h| h.starts_with("data/glossary.yml:") && h.contains("invalid YAML")),
        "{headlines:?}"
    );
    built.reports("data/limits.json:1:11: invalid JSON: expected value at line 1 column 11");
}

#[test]
fn pages_record_what_they_use_and_an_edited_include_rebuilds_exactly_them() {
    let test_site = site()
        .file("includes/note.html", NOTE)
        .file("includes/other.html", "Other.\n")
        .file("data/glossary.yml", "element: An API connector\n")
        .file("data/limits.yml", "calls: 1\n")
        .page("a.md", "{% include note.html content=\"Old A\" %}\n")
        .page(
            "b.md",
            "{% include note.html content=site.data.glossary.element %}\n",
        )
        .page(
            "c.md",
            "{% include other.html %} {{ site.data.limits.calls }}\n",
        )
        .page("d.md", "No templating here.\n");
    let config = Config::load(test_site.root(), &Overrides::default()).unwrap();
    let highlighter = Highlighter::new();
    let site = Indexed::load(config.clone()).unwrap();
    let deps = |source: &str| {
        site.pages()
            .iter()
            .find(|p| p.source == source)
            .unwrap()
            .dependencies
            .clone()
    };
    assert_eq!(deps("a.md"), ["includes/note.html"]);
    assert_eq!(deps("b.md"), ["data/glossary.yml", "includes/note.html"]);
    assert_eq!(deps("c.md"), ["data/limits.yml", "includes/other.html"]);
    assert!(deps("d.md").is_empty());
    assert_eq!(
        templating::pages_to_rebuild(site.pages(), "includes/note.html"),
        ["a.md", "b.md"]
    );
    assert_eq!(
        templating::pages_to_rebuild(site.pages(), "data/glossary.yml"),
        ["b.md"]
    );
    assert_eq!(
        templating::pages_to_rebuild(site.pages(), "data/glossary.json"),
        ["b.md"],
        "another file for the same key"
    );
    assert!(templating::pages_to_rebuild(site.pages(), "includes/unused.html").is_empty());

    // Edit the include, then parse again exactly the pages that use it.
    let test_site = test_site.file(
        "includes/note.html",
        "<aside>\n\n{{ include.content }}\n\n</aside>\n",
    );
    let fresh = Templating::load(&config).unwrap();
    for source in templating::pages_to_rebuild(site.pages(), "includes/note.html") {
        let bytes = std::fs::read(test_site.root().join("content").join(&source)).unwrap();
        let page = Page::parse_with(&source, bytes, Some(&fresh));
        assert!(page.diagnostics.is_empty(), "{:?}", page.diagnostics);
        let html = page.render_body(&Default::default(), &highlighter);
        assert!(html.starts_with("<aside>"), "{source}: {html}");
    }
}

#[test]
fn a_page_without_braces_is_left_to_markdown() {
    let built = site()
        .page("x.md", "Curly { single } and 100% fine.\n")
        .build()
        .clean();
    assert!(
        built
            .html("x.html")
            .contains("Curly { single } and 100% fine.")
    );
}

#[test]
fn jekyll_url_filters_and_jsonify() {
    let built = site()
        .file("data/box.yml", "b: 2\na: 1\n")
        // The link below is checked like any other: its page must exist.
        .page("elements.md", "# Elements\n")
        .page(
            "x.md",
            "<a href=\"{{ '/elements.html' | relative_url }}\">x</a> {{ 'guides/' | absolute_url }}\n\n`{{ site.data.box | jsonify }}`\n",
        )
        .build()
        .clean();
    let html = built.html("x.html");
    assert!(html.contains("href=\"/docs/elements.html\""), "{html}");
    assert!(
        html.contains("https://docs.example.com/docs/guides/"),
        "{html}"
    );
    assert!(html.contains("<code>{\"a\":1,\"b\":2}</code>"), "{html}");
}

/// Opens a session on `site`, writes `rel` with `text` and applies the change as the watcher
/// reports it; returns the rebuild and checks the output equals a fresh build's.
fn edit_live(site: &TestSite, rel: &str, text: &str, change: Change) -> Rebuild {
    let highlighter = Highlighter::new();
    let out = tempfile::tempdir().unwrap();
    let (mut session, first) =
        Session::open(site.root(), Overrides::default(), out.path(), &highlighter).unwrap();
    assert!(first.diagnostics.is_empty(), "{:?}", first.diagnostics);
    std::fs::write(site.root().join(rel), text).unwrap();
    let rebuild = session.apply(&[change], &highlighter).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let (fresh_session, _) = Session::open(
        site.root(),
        Overrides::default(),
        fresh.path(),
        &highlighter,
    )
    .unwrap();
    for page in ["a.html", "b.html", "c.html"] {
        assert_eq!(
            std::fs::read_to_string(out.path().join(page)).unwrap(),
            std::fs::read_to_string(fresh.path().join(page)).unwrap(),
            "{page} differs from a fresh build"
        );
    }
    assert_eq!(session.diagnostics(), fresh_session.diagnostics());
    rebuild
}

fn live_site() -> TestSite {
    site()
        .file("includes/note.html", NOTE)
        .file("data/glossary.yml", "element: An API connector\n")
        .page("a.md", "{% include note.html content=\"A\" %}\n")
        .page("b.md", "{{ site.data.glossary.element }}\n")
        .page("c.md", "{% include_relative includes/fields.md %}\n")
        .page("includes/fields.md", "Fields v1\n")
}

#[test]
fn a_live_session_re_renders_exactly_the_pages_using_an_edited_include_or_data_file() {
    let site = live_site();
    let rebuild = edit_live(
        &site,
        "includes/note.html",
        "<aside>\n\n{{ include.content }}\n\n</aside>\n",
        Change::Templating("includes/note.html".into()),
    );
    assert_eq!(rebuild.written, ["a.html"]);

    let site = live_site();
    let rebuild = edit_live(
        &site,
        "data/glossary.yml",
        "element: A connector\n",
        Change::Templating("data/glossary.yml".into()),
    );
    // b's text, and so its search fragment, uses the data.
    assert_eq!(pages_written(&rebuild), ["b.html"]);
    assert!(
        rebuild
            .written
            .iter()
            .any(|f| f.starts_with("search-index/p/"))
    );

    let site = live_site();
    let rebuild = edit_live(
        &site,
        "content/includes/fields.md",
        "Fields v2\n",
        Change::Page("includes/fields.md".into()),
    );
    assert_eq!(pages_written(&rebuild), ["c.html"]);
    assert!(
        rebuild
            .written
            .iter()
            .any(|f| f.starts_with("search-index/p/"))
    );
}

/// What a rebuild wrote besides the search index files.
fn pages_written(rebuild: &docgen::session::Rebuild) -> Vec<&str> {
    rebuild
        .written
        .iter()
        .map(String::as_str)
        .filter(|f| !f.starts_with("search-index/"))
        .collect()
}

#[test]
fn a_live_session_reports_template_errors_like_a_fresh_build() {
    let site = live_site();
    let rebuild = edit_live(
        &site,
        "includes/note.html",
        "{{ include.contnet }}\n",
        Change::Templating("includes/note.html".into()),
    );
    assert_eq!(
        rebuild.diagnostics[0].headline(),
        "content/a.md:1 → includes/note.html:1:4: unknown variable include.contnet — did you mean \"include.content\"?"
    );
}

#[test]
fn the_shipped_example_site_uses_includes_and_the_glossary() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let options = docgen::build::BuildOptions {
        root: repo.to_path_buf(),
        output: Some(out.path().join("site")),
        overrides: Overrides::default(),
    };
    let report = docgen::build::build(&options, &Highlighter::new()).unwrap();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    let read = |rel: &str| std::fs::read_to_string(out.path().join("site").join(rel)).unwrap();
    let start = read("guides/getting-started.html");
    assert!(
        start
            .contains("<td>One authenticated connection of an element to one vendor account.</td>"),
        "the glossary fills the Key Concepts table"
    );
    let box_instance = read("elements/box/box-create-instance.html");
    assert!(box_instance.contains("Every Box instance has an element token"));
    assert!(box_instance.contains("Client id of the Box app."));
    assert!(box_instance.contains("in Cloud Elements"));
    assert!(
        read("elements/zendesk/zendesk-create-instance.html")
            .contains("<div class=\"callout callout--warning\" role=\"note\">"),
        "the built-in callout.html"
    );
    assert!(
        read("elements/gotowebinar/gotowebinar-create-instance.html")
            .contains("<div class=\"callout callout--note\" role=\"note\">"),
        "the built-in note.html"
    );
    let config = Config::load(repo, &Overrides::default()).unwrap();
    let site = Indexed::load(config).unwrap();
    assert_eq!(
        templating::pages_to_rebuild(site.pages(), "data/glossary.yml"),
        [
            "elements/box/box-create-instance.md",
            "guides/getting-started.md"
        ]
    );
}

#[test]
fn liquid_logic_sees_values_as_written() {
    let built = site()
        .file("data/hubs.yml", "general: [gotowebinar]\nhelpdesk: [zendesk]\ndocuments: [box]\n")
        .file("includes/kind.html", "{% case include.type %}{% when \"info\" %}ℹ{% else %}!{% endcase %}")
        .page(
            "x.md",
            "---\nhub: documents\n---\n{% capture kind %}info{% endcapture %}{% if kind == \"info\" %}captured{% endif %} {% include kind.html type=kind %}\n\n{% for pair in site.data.hubs %}\n- {{ pair[0] }}: {{ pair[1] | join: \", \" }}\n{%- endfor %}\n\n{% assign mine = site.data.hubs[page.hub] %}Mine: {{ mine | first }}. Step {% increment step %}{% increment step %}.\n",
        )
        .build()
        .clean();
    let html = built.html("x.html");
    assert!(html.contains("<p>captured ℹ</p>"), "{html}");
    assert!(
        html.contains(
            "<li>documents: box</li>\n<li>general: gotowebinar</li>\n<li>helpdesk: zendesk</li>"
        ),
        "objects iterate in key order: {html}"
    );
    assert!(html.contains("Mine: box. Step 01."), "{html}");
}

/// 20,000 undefined variables and 20,000 links on one line among 1- to 4-byte characters, in
/// a page with Liquid: every place comes through the templating source map and the page's line
/// index, at its exact column (in characters). Only a hang gets near the time bound.
#[test]
fn many_problems_on_one_long_non_ascii_line_are_placed_exactly() {
    const N: usize = 20_000;
    let unit = |n: usize| {
        let target = if n % 1000 == 7 {
            format!("gone-{n}.html")
        } else {
            "index.md".to_string()
        };
        format!("Größe 接続 😀 {{{{ page.v{n} }}}} [a]({target}) ")
    };
    let line: String = (0..N).map(unit).collect();
    let site = TestSite::new()
        .file(
            "docgen.toml",
            "title = \"T\"\nundefined_variables = \"warn\"\n",
        )
        .page("index.md", &format!("---\ntitle: Home\n---\n{line}\n"));
    // Columns (1-based, in characters) of `page.vN` and of `[a](…)` in unit `n`.
    let mut variable = Vec::new();
    let mut link = Vec::new();
    let mut chars = 0;
    for n in 0..N {
        let text = unit(n);
        let column = |needle: &str| chars + text[..text.find(needle).unwrap()].chars().count() + 1;
        variable.push(column("page.v"));
        link.push(column("[a]"));
        chars += text.chars().count();
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let root = site.root().to_path_buf();
    std::thread::spawn(move || {
        let run = TestSite::run_in(&root, &["check", "--format", "json"]);
        tx.send(run).ok();
    });
    let run = rx
        .recv_timeout(std::time::Duration::from_secs(300))
        .expect("docgen check hung");
    assert_eq!(run.code, 1, "{}", run.stderr);
    let found: Vec<(String, String, u64)> = run
        .stdout
        .lines()
        .map(|l| {
            let d: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let undefined: Vec<&(String, String, u64)> = found
        .iter()
        .filter(|(code, _, column)| code == "undefined-variable" && *column > 0)
        .collect();
    // The first 200 uses are listed, each at its variable; the rest are counted.
    assert_eq!(undefined.len(), 200);
    for (n, (_, message, column)) in undefined.iter().enumerate() {
        assert_eq!(*column as usize, variable[n], "{message}");
    }
    assert!(
        found.iter().any(|(_, message, _)| message
            == "19800 more uses of undefined variables in this page are not listed"),
        "{:?}",
        &found[found.len().saturating_sub(3)..]
    );
    // Every broken link, at its column.
    let broken: Vec<(String, u64)> = found
        .iter()
        .filter(|(code, _, _)| code == "broken-link")
        .map(|(_, message, column)| (message.clone(), *column))
        .collect();
    let expected: Vec<(String, u64)> = (0..N)
        .filter(|n| n % 1000 == 7)
        .map(|n| (format!("broken link \"gone-{n}.html\""), link[n] as u64))
        .collect();
    assert_eq!(broken, expected);
}

/// A Jekyll-style endpoint table from `_data`: each description goes through `markdownify`,
/// and the links it holds are resolved and checked like the page's own — rewritten to their
/// pages' URLs, broken ones reported at the `{{ … | markdownify }}` that wrote them (or at the
/// link, when the Markdown is written in the page) — by check, build and serve alike.
#[test]
fn links_in_markdownify_output_are_resolved_and_checked_at_the_filter() {
    let site = |toml: &str| {
        TestSite::new()
            .file("docgen.toml", toml)
            .file(
                "data/crm/endpoints.yml",
                "- method: GET\n  path: /hubs/crm/contacts\n  description: \"Lists contacts. See [the guide](guide.md) and [polling](events.md#polling).\"\n- method: POST\n  path: /hubs/crm/accounts\n  description: \"Creates an account; see [setup](setp.md) first.\"\n- method: GET\n  path: /hubs/crm/ping\n  description: \"Checks the connection ([API docs](https://api.example.com/ping)).\"\n",
            )
            .page("elements/crm/guide.md", "---\ntitle: Guide\n---\n# Guide\n")
            .page(
                "elements/crm/events.md",
                "---\ntitle: Events\n---\n# Events\n\n## Polling\n",
            )
            .page(
                "elements/crm/endpoints.md",
                "---\nheading: CRM\ntitle: Endpoints\n---\n# Endpoints\n\n<table>\n  <tr><th>Endpoint</th><th>Description</th></tr>\n{%- for e in site.data.crm.endpoints %}\n  <tr><td><code>{{ e.method }} {{ e.path }}</code></td><td>{{ e.description | markdownify }}</td></tr>\n{%- endfor %}\n</table>\n\nAlso see {{ \"the [events page](events.md) or [nothing](nothing.md)\" | markdownify }}\n",
            )
    };
    let base = "title = \"T\"\nbase_url = \"https://docs.example.com/docs\"\n";
    let expected = [
        "content/elements/crm/endpoints.md:10:60: broken link \"setp.md\"",
        "content/elements/crm/endpoints.md:14:56: broken link \"nothing.md\"",
    ];
    // check: both errors, each with its line quoted and the raw-HTML note.
    let strict = site(base);
    let run = strict.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for headline in expected {
        assert!(
            run.stderr.contains(&format!("error: {headline}\n")),
            "{headline}\n{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains(
            "10 |   <tr><td><code>{{ e.method }} {{ e.path }}</code></td><td>{{ e.description | markdownify }}</td></tr>\n   |                                                            ^^^^^^^\n   = in raw HTML: <a href>\n"
        ),
        "{}",
        run.stderr
    );
    // build: the same, nothing written.
    let built = strict.build();
    let headlines = built.headlines();
    assert_eq!(
        headlines
            .iter()
            .filter(|h| h.contains("broken link"))
            .collect::<Vec<_>>(),
        expected.iter().collect::<Vec<_>>()
    );
    // serve: its first build reports the same.
    let highlighter = Highlighter::new();
    let out = tempfile::tempdir().unwrap();
    let (_, first) = Session::open(
        strict.root(),
        Overrides::default(),
        out.path(),
        &highlighter,
    )
    .unwrap();
    let served: Vec<String> = first
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with("broken link"))
        .map(|d| d.headline())
        .collect();
    assert_eq!(served, expected);
    // With broken links as warnings the page is written: the links became their pages' URLs.
    let lenient = site(&format!("{base}broken_links = \"warn\"\n"));
    let built = lenient.build();
    let html = built.html("elements/crm/endpoints.html");
    assert!(
        html.contains("<td><p>Lists contacts. See <a href=\"/docs/elements/crm/guide.html\">the guide</a> and <a href=\"/docs/elements/crm/events.html#polling\">polling</a>.</p>"),
        "{html}"
    );
    assert!(
        html.contains("<td><p>Creates an account; see <a href=\"setp.md\">setup</a> first.</p>"),
        "{html}"
    );
    assert!(
        html.contains("(<a href=\"https://api.example.com/ping\">API docs</a>)"),
        "{html}"
    );
    assert!(
        html.contains("<p>the <a href=\"/docs/elements/crm/events.html\">events page</a> or <a href=\"nothing.md\">nothing</a></p>"),
        "{html}"
    );
}

//! Jekyll-era guide sites build unchanged: lenient undefined variables (every use reported in
//! one run, at its place), include parameters with escaped quotes, custom tags declared as
//! includes, `{% highlight %}`, `{% link %}`, `markdownify`, Liquid syntax errors at their
//! place, and the kramdown constructs guides use (`markdown="span"` callouts, headings ending in
//! `{id}`).

mod common;

use common::{TestSite, between};

/// The callout include nearly every Jekyll documentation theme ships.
const NOTE: &str = "<div markdown=\"span\" class=\"alert alert-info\" role=\"alert\"><i class=\"fa fa-info-circle\"></i> <b>Note:</b> {{include.content}}</div>\n";

/// A guide site as Jekyll left it: callout includes, a shared section using page variables,
/// a plugin tag, data, `{% highlight %}`, `{% link %}`, raw HTML and kramdown habits, and the
/// content defects Jekyll renders without a word (undefined variables, in the page and in an
/// include). `undefined` is the `undefined_variables` setting, if any.
fn jekyll_site(undefined: Option<&str>) -> TestSite {
    let setting = undefined.map_or(String::new(), |mode| {
        format!("undefined_variables = \"{mode}\"\n")
    });
    TestSite::new()
        .file(
            "docgen.toml",
            &format!(
                "title = \"Element Guides\"\nbase_url = \"https://docs.example.com/docs\"\n{setting}\n[include_tags]\nicon = \"icon.html\"\n"
            ),
        )
        .file("templates/page.html", "{{ page.content | safe }}")
        .file("includes/note.html", NOTE)
        .file(
            "includes/important.html",
            "<div class=\"alert alert-warning\">{{ include.content | markdownify }}</div>\n",
        )
        .file(
            "includes/icon.html",
            "<i class=\"fa {{ include.markup }}\" data-args=\"{{ include.args | size }}\"></i>",
        )
        .file(
            "includes/callback.md",
            "Set the callback URL to `https://{{ page.hubDomain }}/callback?key={{ page.key }}`.\n",
        )
        .file("data/elements.yml", "box:\n  name: Box\n  id: 22\n")
        .page(
            "elements/box/index.md",
            "---\nheading: Box\ntitle: Overview\nelementKey: box\n---\n\
             # {{ site.data.elements.box.name }} API\n\
             \n\
             {% include note.html content=\"Set the \\\"type\\\" field to \\\"oauth2\\\" and don't quote it.\" %}\n\
             \n\
             {% icon fa-check-square-o %} Supported.\n\
             \n\
             {% highlight json %}\n\
             {\"id\": {{ site.data.elements.box.id }}, \"key\": \"{{ page.elementKey }}\"}\n\
             {% endhighlight %}\n\
             \n\
             See [Events]({% link elements/box/events.md %}) and <a href=\"{% link elements/box/events.md %}\">the events</a>.\n\
             \n\
             ### PUT /instances/{id}\n\
             \n\
             ### Get {name} {#get-name}\n\
             \n\
             {% include important.html content=\"Use **OAuth 2**.\" %}\n\
             \n\
             | Field | Type |\n|---|---|\n| id | integer |\n{: .table .table-striped}\n",
        )
        .page(
            "elements/box/events.md",
            "---\nheading: Box\ntitle: Events\n---\n\
             Element {{ page.elementID }}: `\"id\": {{ page.elementID }}`.\n\
             \n\
             {% include callback.md %}\n\
             \n\
             {% if page.mode == \"poll\" %}Polling{% endif %} {{ page.missing | default: \"webhooks\" }}\n",
        )
}

/// Every undefined variable of the fixture, at its place, through the include chain.
/// (Sorted as docgen prints them: by file, the page's own first.)
const UNDEFINED: &[&str] = &[
    "content/elements/box/events.md:5:12: unknown variable page.elementID",
    "content/elements/box/events.md:5:41: unknown variable page.elementID",
    "content/elements/box/events.md:9:7: unknown variable page.mode",
    "content/elements/box/events.md:7 → includes/callback.md:1:37: unknown variable page.hubDomain",
    "content/elements/box/events.md:7 → includes/callback.md:1:71: unknown variable page.key",
];

#[test]
fn by_default_every_undefined_variable_is_an_error_in_one_run() {
    let built = jekyll_site(None).build();
    let problems: Vec<String> = built
        .report
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.severity.as_str(), d.headline()))
        .collect();
    let expected: Vec<String> = UNDEFINED.iter().map(|h| format!("error {h}")).collect();
    assert_eq!(problems, expected, "{}", built.diagnostics_text());
    assert!(
        !built.exists("elements/box/events.html"),
        "nothing is written"
    );
    let text = built.diagnostics_text();
    assert!(
        text.contains("1 | Set the callback URL to `https://{{ page.hubDomain }}/callback?key={{ page.key }}`.\n  |                                     ^^^^^^^^^^^^^^"),
        "{text}"
    );
}

#[test]
fn with_undefined_variables_warn_the_site_builds_and_each_use_is_a_warning() {
    let site = jekyll_site(Some("warn"));
    let run = site.run(&["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for headline in UNDEFINED {
        assert!(
            run.stderr.contains(&format!("warning: {headline}\n")),
            "`{headline}` in:\n{}",
            run.stderr
        );
    }
    assert_eq!(
        run.stderr.matches("warning:").count(),
        UNDEFINED.len(),
        "{}",
        run.stderr
    );
    // Rendered as empty text, as Jekyll does; `default` still applies.
    let events = std::fs::read_to_string(site.output().join("elements/box/events.html")).unwrap();
    assert!(
        events.contains("Element : <code>\"id\": </code>."),
        "{events}"
    );
    assert!(
        events.contains("<code>https:///callback?key=</code>"),
        "{events}"
    );
    assert!(events.contains("<p>webhooks</p>"), "{events}");
    assert!(!events.contains("Polling"), "{events}");
}

#[test]
fn jekyll_liquid_and_kramdown_render_as_jekyll_does() {
    let built = jekyll_site(Some("warn")).build();
    let html = built.html("elements/box/index.html");
    // Data, and escaped quotes in an include parameter, inside a markdown="span" callout: its
    // content is Markdown, the attribute is gone.
    assert!(html.contains("<h1 id=\"box-api\">Box API"), "{html}");
    assert!(
        html.contains("<div class=\"alert alert-info\" role=\"alert\"><i class=\"fa fa-info-circle\"></i> <b>Note:</b> Set the “type” field to “oauth2” and don’t quote it.</div>"),
        "{html}"
    );
    assert!(!html.contains("markdown="), "{html}");
    // A declared tag renders its include with include.markup and include.args.
    assert!(
        html.contains("<i class=\"fa fa-check-square-o\" data-args=\"1\"></i> Supported."),
        "{html}"
    );
    // {% highlight %} is highlighted like a fenced block, Liquid expanded inside.
    let code = between(&html, "<pre class=\"code\" data-lang=\"json\"", "</pre>");
    assert!(code.contains("22"), "{code}");
    assert!(code.contains("box"), "{code}");
    assert!(code.contains("hl-"), "highlighted: {code}");
    // {% link %}: resolved like a link, in Markdown and in raw HTML.
    assert!(
        html.contains("See <a href=\"/docs/elements/box/events.html\">Events</a> and <a href=\"/docs/elements/box/events.html\">the events</a>."),
        "{html}"
    );
    // Headings ending in {id} keep it; {#id} is still an attribute.
    assert!(
        html.contains("<h3 id=\"put-instancesid\">PUT /instances/{id}"),
        "{html}"
    );
    assert!(html.contains("<h3 id=\"get-name\">Get {name}"), "{html}");
    // A kramdown block attribute line under a table is not a row, nor shown.
    let table = between(&html, "<table", "</table>");
    assert_eq!(table.matches("<tr>").count(), 2, "{table}");
    assert!(!html.contains("{:"), "{html}");
    // markdownify
    assert!(
        html.contains(
            "<div class=\"alert alert-warning\"><p>Use <strong>OAuth 2</strong>.</p>\n</div>"
        ),
        "{html}"
    );
}

#[test]
fn an_undeclared_tag_is_a_located_error_saying_how_to_declare_it() {
    let built = TestSite::new()
        .file("templates/page.html", "{{ page.content | safe }}")
        .page(
            "guide.md",
            "---\ntitle: Guide\n---\nIntro.\n\n{% icon fa-check %} Supported.\n",
        )
        .build();
    built.reports("content/guide.md:6:4: unknown tag `icon`");
    let text = built.diagnostics_text();
    assert!(
        text.contains("= no tags are declared in [include_tags] of docgen.toml"),
        "{text}"
    );
    assert!(
        text.contains("= to render a file of includes/ for it, declare it in docgen.toml: [include_tags] icon = \"icon.html\""),
        "{text}"
    );
    let built = TestSite::new()
        .file(
            "docgen.toml",
            "title = \"T\"\n[include_tags]\nicon = \"icon.html\"\nyoutube = \"youtube.html\"\n",
        )
        .file(
            "includes/icon.html",
            "<i class=\"fa {{ include.markup }}\"></i>",
        )
        .file(
            "includes/youtube.html",
            "<iframe src=\"{{ include.args[0] }}\"></iframe>",
        )
        .page("guide.md", "Intro.\n\n{% iconn fa-check %}\n")
        .build();
    built.reports("content/guide.md:3:4: unknown tag `iconn` — did you mean \"icon\"?");
    assert!(
        built
            .diagnostics_text()
            .contains("= tags declared in [include_tags]: icon, youtube"),
        "{}",
        built.diagnostics_text()
    );
}

#[test]
fn liquid_syntax_errors_point_at_the_line_and_column_written() {
    // Long lines of text and many tags above the error: Liquid's own positions count in the
    // prepared text; docgen's are in the file.
    let mut body = String::from("---\ntitle: Long\n---\n");
    for i in 0..20 {
        body.push_str(&format!(
            "Line {i} has {{{{ page.title }}}} and a long run of prose, {} to make it wide.\n",
            "words ".repeat(12)
        ));
    }
    body.push_str("Here {% if page.title = \"x\" %}bad{% endif %}\n");
    let built = TestSite::new()
        .file("templates/page.html", "{{ page.content | safe }}")
        .page("long.md", &body)
        .build();
    let headlines = built.headlines();
    assert_eq!(headlines.len(), 1, "{headlines:?}");
    assert!(
        headlines[0].starts_with("content/long.md:24:"),
        "{headlines:?}"
    );
    let text = built.diagnostics_text();
    assert!(
        text.contains("24 | Here {% if page.title = \"x\" %}bad{% endif %}"),
        "{text}"
    );
    // An expression: at the character Liquid stopped at.
    let built = TestSite::new()
        .file("templates/page.html", "{{ page.content | safe }}")
        .page(
            "x.md",
            "---\ntitle: X\n---\nOne {{ page.title }}.\n\nTwo {{ page.title page }}.\n",
        )
        .build();
    let headlines = built.headlines();
    assert_eq!(headlines.len(), 1, "{headlines:?}");
    assert!(headlines[0].starts_with("content/x.md:6:"), "{headlines:?}");
}

#[test]
fn a_broken_link_tag_is_reported_where_it_was_written() {
    let built = TestSite::new()
        .file("templates/page.html", "{{ page.content | safe }}")
        .page("elements/box/events.md", "# Events\n")
        .page(
            "elements/box/index.md",
            "# Box\n\nSee [events]({% link elements/box/event.md %}).\n\n<a href=\"{% link elements/box/evnts.md %}\">events</a>\n",
        )
        .build();
    built.reports("content/elements/box/index.md:3:5: broken link \"@/elements/box/event.md\" — did you mean \"@/elements/box/events.md\"?");
    built.reports("content/elements/box/index.md:5:10: broken link: {% link elements/box/evnts.md %} — no file content/elements/box/evnts.md — did you mean \"elements/box/events.md\"?");
}

#[test]
fn include_tags_in_docgen_toml_are_checked() {
    let run = TestSite::new()
        .file(
            "docgen.toml",
            "title = \"T\"\n\n[include_tags]\nraw = \"raw.html\"\n",
        )
        .page("index.md", "# Home\n")
        .run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: docgen.toml:4:1: [include_tags] `raw` is a built-in tag and cannot be redeclared"),
        "{}",
        run.stderr
    );
}

#[test]
fn highlight_blocks_are_code_blocks_whatever_their_shape() {
    let built = TestSite::new()
        .file("templates/page.html", "{{ page.content | safe }}")
        .page(
            "code.md",
            "---\ntitle: Code\nkey: box\n---\n\
             {% highlight bash linenos %}\ncurl https://{{ page.key }}.example.com\necho done\n{% endhighlight %}\n\
             \n\
             - In a list:\n\n  {% highlight json %}\n  {\"a\": \"```\"}\n  {% endhighlight %}\n\
             \n\
             Inline {% highlight text %}one line{% endhighlight %} after.\n",
        )
        .build()
        .clean();
    let html = built.html("code.html");
    assert!(
        html.contains("<pre class=\"code linenos\" data-lang=\"bash\""),
        "{html}"
    );
    assert_eq!(
        html.matches("<span class=\"lineno\"></span>").count(),
        2,
        "{html}"
    );
    assert!(html.contains("box.example.com"), "{html}");
    // Inside a list item, with backticks in the code.
    let list = between(&html, "<li>", "</li>");
    assert!(
        list.contains("<pre class=\"code\" data-lang=\"json\""),
        "{list}"
    );
    assert!(list.contains("```"), "{list}");
    assert!(
        html.contains("<code class=\"language-text\">one line\n</code></pre>"),
        "{html}"
    );
    let built = TestSite::new()
        .page("x.md", "One.\n\n{% highlight json %}\n{}\n")
        .build();
    built.reports("content/x.md:3:1: `{% highlight %}` is never closed: add `{% endhighlight %}`");
}

#[test]
fn hostile_kramdown_renders_without_losing_text() {
    let built = TestSite::new()
        .file("templates/page.html", "{{ page.content | safe }}")
        .page(
            "html.md",
            "# Odd HTML\n\n\
             <div markdown=\"1\" class=\"outer\">\n<div markdown=\"span\">*inner* <div markdown=1>deep</div></div>\n**never closed**\n\n\
             <span markdown=\"1\">*inline* kept</span>\n\n<p markdown='0'>*raw*</p>\n\n\
             ## {}\n\n## Trailing {\n\n## Escaped \\{id}\n\n## Braces {a b=\"c}\n\n## Kramdown {:#kd .x}\n",
        )
        .build();
    // The outer element is never closed, which the writer is told (the layout after it would
    // end up inside it); nothing else is a problem.
    assert_eq!(
        built.headlines(),
        [
            "content/html.md:3:1: `<div>` is never closed: in the built page the rest of the page, and the layout after it, end up inside it"
        ],
    );
    let html = built.html("html.html");
    assert!(html.contains("<div class=\"outer\">"), "{html}");
    assert!(html.contains("<em>inner</em>"), "{html}");
    assert!(html.contains("<strong>never closed</strong>"), "{html}");
    assert!(html.contains("<span><em>inline</em> kept</span>"), "{html}");
    assert!(html.contains("<p>*raw*</p>"), "{html}");
    assert!(!html.contains("markdown="), "{html}");
    assert!(html.contains(">{}<a"), "{html}");
    assert!(html.contains(">Trailing {<a"), "{html}");
    assert!(html.contains(">Escaped {id}<a"), "{html}");
    assert!(html.contains(">Braces {a b=\"c}<a"), "{html}");
    assert!(
        html.contains("<h2 id=\"kd\" class=\"x\">Kramdown<a"),
        "{html}"
    );
}

#[test]
fn liquid_that_never_closes_is_reported_where_it_opens() {
    let built = TestSite::new()
        .file("includes/note.html", NOTE)
        .page(
            "tag.md",
            "# Tag\n\n{% if page.title == \"x %}\ny\n{% endif %}\n",
        )
        .page("open.md", "# Open\n\nText {{ page.title\n")
        .build();
    built.reports("content/tag.md:3:1: `{%` is never closed: add `%}` (or close a quote in it)");
    built.reports("content/open.md:3:6: `{{` is never closed: add `}}` (or close a quote in it)");
}

/// kramdown's `* TOC` + `{:toc}` (and `1. TOC`): a nested list of the page's headings linking to
/// their ids, without the headings marked `{:.no_toc}` (on the heading's line or under it).
#[test]
fn kramdown_toc_lists_the_headings_but_not_those_marked_no_toc() {
    let site = TestSite::new()
        .page(
            "elements/box/setup.md",
            "---\ntitle: Box Setup\n---\n## Table of contents\n{: .no_toc .text-delta }\n\n* TOC\n{:toc}\n\n\
             ## Create an instance\n\nText.\n\n### With the API {#api}\n\nMore.\n\n\
             ### Notes {:.no_toc}\n\n## Events & Webhooks\n\nEnd.\n",
        )
        .page(
            "elements/box/events.md",
            "---\ntitle: Events\n---\n1. TOC\n{:toc}\n\n## Polling\n\n## Webhooks\n\nSee [setup](setup.md#api).\n",
        )
        .page("index.md", "# Home\n\n* TOC\n* not a table of contents\n");
    let built = site.build();
    assert!(
        built.report.diagnostics.is_empty(),
        "{}",
        built.diagnostics_text()
    );
    let setup = built.html("elements/box/setup.html");
    assert!(
        setup.contains(
            "<ul id=\"markdown-toc\">\n\
             <li><a href=\"#create-an-instance\" id=\"markdown-toc-create-an-instance\">Create an instance</a>\n\
             <ul>\n<li><a href=\"#api\" id=\"markdown-toc-api\">With the API</a></li>\n</ul>\n</li>\n\
             <li><a href=\"#events--webhooks\" id=\"markdown-toc-events--webhooks\">Events &amp; Webhooks</a></li>\n\
             </ul>\n"
        ),
        "{setup}"
    );
    // The headings marked no_toc keep their class; the markers are not shown.
    assert!(setup.contains("class=\"no_toc text-delta\""), "{setup}");
    assert!(setup.contains("class=\"no_toc\""), "{setup}");
    for gone in ["{:toc}", "{: .no_toc", "<li>TOC"] {
        assert!(!setup.contains(gone), "{gone} in {setup}");
    }
    let events = built.html("elements/box/events.html");
    assert!(
        events.contains("<ol id=\"markdown-toc\">\n<li><a href=\"#polling\""),
        "{events}"
    );
    // A list that merely starts with "TOC" stays a list.
    assert!(built.html("index.html").contains("<li>TOC</li>"));
}

/// kramdown habits that CommonMark shows as text: definition lists, abbreviations,
/// `{::options /}` and `{::comment}`. Written as an element overview converted from kramdown.
#[test]
fn kramdown_definition_lists_abbreviations_and_extensions_are_not_shown_as_text() {
    let built = TestSite::new()
        .file("templates/page.html", "{{ page.content | safe }}")
        .page("elements/box/events.md", "# Events\n\n## Webhooks\n")
        .page(
            "elements/box/index.md",
            "---\ntitle: Box\n---\n{::options parse_block_html=\"true\" /}\n\n\
             The Box API speaks JSON over HTTP; see the API docs.\n\n\
             *[API]: Application Programming Interface\n\
             *[HTTP]: Hyper Text \"Transfer\" Protocol\n\n\
             Instance\n: An authenticated connection, see [events](events.md#webhooks).\n\n\
             Element\n: A connector.\n: One per API.\n\n\
             {::comment}\nThis paragraph is a note to writers with a [dead link](gone.html).\n{:/comment}\n\n\
             ```\nGET /API HTTP/1.1\n*[NOT]: a definition in code\n```\n\n\
             Use `API` as written.\n",
        )
        .build()
        .clean();
    let html = built.html("elements/box/index.html");
    assert!(
        html.contains("<p>The Box <abbr title=\"Application Programming Interface\">API</abbr> speaks JSON over <abbr title=\"Hyper Text &quot;Transfer&quot; Protocol\">HTTP</abbr>; see the <abbr title=\"Application Programming Interface\">API</abbr> docs.</p>"),
        "{html}"
    );
    assert!(
        html.contains("<dl>\n<dt>Instance</dt>\n<dd>An authenticated connection, see <a href=\"/elements/box/events.html#webhooks\">events</a>.</dd>\n<dt>Element</dt>\n<dd>A connector.</dd>\n<dd>One per <abbr title=\"Application Programming Interface\">API</abbr>.</dd>\n</dl>"),
        "{html}"
    );
    // Code keeps its text; what kramdown never shows is not shown.
    assert!(
        html.contains("GET /API HTTP/1.1\n*[NOT]: a definition in code"),
        "{html}"
    );
    assert!(html.contains("Use <code>API</code> as written."), "{html}");
    for hidden in [
        "*[API]",
        "*[HTTP]",
        "{::",
        "{:/",
        "note to writers",
        "parse_block_html",
    ] {
        assert!(!html.contains(hidden), "{hidden} in {html}");
    }
}

/// `{% if page.tags contains "beta" %}` is how Jekyll themes mark pages: on a page whose
/// `tags:` is empty (nil) or missing, Jekyll's Liquid finds it false. liquid-lib stopped the
/// page with "expected string | array | object, found `nil`" (no column, nothing after it
/// rendered or checked).
#[test]
fn contains_on_a_missing_or_empty_value_is_false_as_in_jekyll() {
    let site = TestSite::new()
        .file(
            "docgen.toml",
            "title = \"Guides\"\nundefined_variables = \"warn\"\n",
        )
        .file("templates/page.html", "{{ page.content | safe }}")
        .page(
            "elements/box/events.md",
            "---\ntitle: Events\ntags:\nhubs: [documents, crm]\n---\n\
             {% if page.tags contains \"beta\" %}Beta.{% endif %}\n\
             {% unless page.tags contains \"beta\" %}Generally available.{% endunless %}\n\
             {% if page.hubs contains \"crm\" %}CRM hub.{% endif %}\n\
             {% if page.tags == nil %}No tags.{% endif %} {% if page.tags %}tagged{% else %}untagged{% endif %}\n\n\
             {% if page.hubs contains \"crm\" %}{{ page.tags | jsonify }} and {{ page.nothing }}{% endif %}\n\n\
             {% if page.labels contains \"new\" %}New!{% endif %} The end, {{ page.typo }}.\n",
        );
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(site.output().join("elements/box/events.html")).unwrap();
    assert!(
        html.contains("<p>Generally available.\nCRM hub.\nNo tags. untagged</p>\n<p>null and</p>\n<p>The end, .</p>"),
        "{html}"
    );
    assert!(!html.contains("Beta."), "{html}");
    // Every missing key is still reported at its place, and nothing else.
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: content"))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: content/elements/box/events.md:11:67: unknown variable page.nothing",
            "warning: content/elements/box/events.md:13:7: unknown variable page.labels",
            "warning: content/elements/box/events.md:13:64: unknown variable page.typo",
        ],
        "{}",
        run.stderr
    );
}

/// List and number filters take nil as Jekyll's Liquid does (`{{ page.tags | join: ", " }}`
/// on a page without tags is empty, `| plus: 1` is 1, an empty list sorts to an empty list);
/// liquid-lib stopped the page with "invalid input" at a line without a column. A filter that
/// really cannot take its value is named, at its place.
#[test]
fn list_and_number_filters_take_nil_as_jekyll_does() {
    let built = TestSite::new()
        .file("templates/page.html", "{{ page.content | safe }}")
        .file("data/hubs.yml", "documents: []\ncrm: [hubspot, salesforce]\n")
        .page(
            "elements/box/index.md",
            "---\ntitle: Box\ntags:\nsteps:\n---\n\
             Tags: [{{ page.tags | join: \", \" }}] first [{{ page.tags | first }}] \
             sorted [{{ site.data.hubs.documents | sort | join: \",\" }}] \
             mapped [{{ page.tags | map: \"name\" | join: \",\" }}] \
             where [{{ page.tags | where: \"beta\", true | size }}] \
             uniq [{{ page.tags | uniq | reverse | compact | join: \",\" }}] \
             next step {{ page.steps | plus: 1 }}, crm {{ site.data.hubs.crm | sort | join: \" & \" }}.\n",
        )
        .build()
        .clean();
    let html = built.html("elements/box/index.html");
    assert!(
        html.contains("<p>Tags: [] first [] sorted [] mapped [] where [0] uniq [] next step 1, crm hubspot &amp; salesforce.</p>"),
        "{html}"
    );

    let built = TestSite::new()
        .page(
            "guide.md",
            "---\ntitle: Guide\n---\nIntro.\n\nSteps: {{ page.title | upcase }} then {{ page.title | concat: 5 }}.\n",
        )
        .build();
    built.reports(
        "content/guide.md:6:55: filter `concat` cannot take the value \"Guide\" (invalid input: array expected)",
    );
}

/// A front matter that cannot be read (a quote left open while editing) leaves every
/// `page.x` undefined: only the YAML error is the writer's to fix, so only it (and problems
/// that have nothing to do with the front matter) are reported.
#[test]
fn an_unreadable_front_matter_is_reported_without_an_undefined_variable_for_each_key() {
    let built = TestSite::new()
        .page(
            "elements/box/box-endpoint-setup.md",
            "---\nheading: Box\ntitle: \"Endpoint Setup\norder: 2\n---\n\n# {{ page.title }}\n\n\
             Set up {{ page.heading }} ({% if page.tags contains \"beta\" %}beta{% endif %}); see {{ site.consol }}.\n",
        )
        .build();
    let problems: Vec<String> = built
        .report
        .diagnostics
        .iter()
        .filter(|d| d.file.starts_with("content/"))
        .map(|d| d.headline())
        .collect();
    assert_eq!(
        problems,
        [
            "content/elements/box/box-endpoint-setup.md:3:8: invalid YAML: found unexpected end of stream, while scanning a quoted scalar",
            "content/elements/box/box-endpoint-setup.md:9:87: unknown variable site.consol",
        ],
        "{}",
        built.diagnostics_text()
    );
}

/// `content='It''s fine'` (YAML's way of escaping a quote) is no include parameter in Jekyll
/// either; the error used to name docgen's internal `__docgen_literal_3__docgen_literal_4`.
#[test]
fn a_doubled_quote_in_an_include_parameter_is_a_syntax_error_in_the_writers_terms() {
    let built = TestSite::new()
        .file("includes/note.html", NOTE)
        .page(
            "guide.md",
            "---\ntitle: Guide\n---\nIntro.\n\n{% include note.html content='It''s fine' %}\n",
        )
        .build();
    built.reports("content/guide.md:6:1: a parameter (`name=value`) is expected");
    assert!(
        !built.diagnostics_text().contains("__docgen"),
        "{}",
        built.diagnostics_text()
    );
}

#[test]
fn links_and_images_with_spaces_in_their_destination_are_links_as_in_kramdown() {
    // macOS names screenshots "Screen Shot 2017-05-01 at 10.22.33 AM.png"; kramdown takes
    // spaces in a destination, CommonMark only inside <…>: the page showed the Markdown as text.
    let shot = "Screen Shot 2017-05-01 at 10.22.33 AM.png";
    let site = TestSite::new()
        .file("templates/page.html", "{{ page.content | safe }}")
        .bytes(&format!("content/guides/img/{shot}"), b"\x89PNG\r\n\x1a\n")
        .page("guides/my setup.md", "---\ntitle: Setup\n---\n## Step 1\n")
        .page(
            "guides/start.md",
            &format!(
                "---\ntitle: Start\n---\nSee ![The screen](img/{shot}) and [the *setup*](my setup.md#step-1 \"Set up\").\n\n\
                 | Step | Shown |\n|---|---|\n| 1 | ![Shot](img/{shot}) |\n\n\
                 Broken: ![Gone](img/Screen Shot 2017.png) and [gone](my set up.md).\n\n\
                 ```\n![Not an image](img/{shot})\n```\n"
            ),
        );
    let built = site.build();
    assert_eq!(
        built.headlines(),
        [
            "content/guides/start.md:10:9: broken image \"img/Screen Shot 2017.png\"",
            "content/guides/start.md:10:47: broken link \"my set up.md\" — did you mean \"my setup.md\"?",
        ]
    );
    let site = site.page(
        "guides/start.md",
        &format!(
            "---\ntitle: Start\n---\nSee ![The screen](img/{shot}) and [the *setup*](my setup.md#step-1 \"Set up\").\n\n\
             | Step | Shown |\n|---|---|\n| 1 | ![Shot](img/{shot}) |\n\n\
             ```\n![Not an image](img/{shot})\n```\n"
        ),
    );
    let html = site.build().clean().html("guides/start.html");
    let src = "/guides/img/Screen%20Shot%202017-05-01%20at%2010.22.33%20AM.png";
    assert!(
        html.contains(&format!(
            "<p>See <img src=\"{src}\" alt=\"The screen\"> and <a href=\"/guides/my%20setup.html#step-1\" title=\"Set up\">the <em>setup</em></a>.</p>"
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<td><img src=\"{src}\" alt=\"Shot\" loading=\"lazy\"></td>"
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!("<code>![Not an image](img/{shot})\n</code>")),
        "{html}"
    );
}

#[test]
fn every_unknown_filter_of_a_page_is_reported_in_one_run() {
    // Liquid stops at a page's first unknown filter; an i18n plugin's `t` is on every line.
    let built = TestSite::new()
        .page(
            "guide.md",
            "---\ntitle: Guide\n---\nA {{ \"a | b\" | upcase }} {{ \"nav.home\" | t }}\n\n\
             B {{ page.title | upcsae | t }}\n\n\
             {% comment %}{{ x | not_read }}{% endcomment %}{% raw %}{{ x | nor_this }}{% endraw %}\n\n\
             {% assign y = \"q\" | jsonifyy %}\n",
        )
        .build();
    assert_eq!(
        built.headlines(),
        [
            "content/guide.md:4:42: unknown filter `t`",
            "content/guide.md:6:19: unknown filter `upcsae` — did you mean \"upcase\"?",
            "content/guide.md:6:28: unknown filter `t`",
            "content/guide.md:10:21: unknown filter `jsonifyy` — did you mean \"jsonify\"?",
        ]
    );
}

#[test]
fn a_page_with_thousands_of_unknown_filters_lists_two_hundred_and_counts_the_rest() {
    let lines: String = (0..2_500)
        .map(|n| format!("L{n} {{{{ \"k\" | t }}}}\n"))
        .collect();
    let built = TestSite::new()
        .page("guide.md", &format!("---\ntitle: Guide\n---\n{lines}"))
        .build();
    let headlines = built.headlines();
    assert_eq!(headlines.len(), 201, "{headlines:?}");
    assert!(headlines.contains(&"content/guide.md:4:13: unknown filter `t`".to_string()));
    let listed = headlines
        .iter()
        .filter(|h| h.ends_with("unknown filter `t`"));
    assert_eq!(listed.count(), 200);
    assert!(
        headlines.contains(
            &"content/guide.md: 2300 more problems of this kind in this page are not listed"
                .to_string()
        )
    );
}

#[test]
fn every_undeclared_tag_of_a_page_is_reported_in_one_run() {
    // Liquid stops at a page's first unknown tag; a Jekyll site's plugins leave several.
    let built = TestSite::new()
        .page(
            "guide.md",
            "---\ntitle: Guide\n---\nA gist: {% gist 12345 %}\n\nVideo: {% youtube \"abc\" %}\n\n\
             {% raw %}{% notatag %}{% endraw %} {% if true %}{% octicon alert %}{% else %}x{% endif %}\n",
        )
        .build();
    assert_eq!(
        built.headlines(),
        [
            "content/guide.md:4:12: unknown tag `gist`",
            "content/guide.md:6:11: unknown tag `youtube`",
            "content/guide.md:8:52: unknown tag `octicon`",
        ]
    );
    assert!(built.diagnostics_text().contains(
        "= to render a file of includes/ for it, declare it in docgen.toml: [include_tags] youtube = \"youtube.html\""
    ));
}

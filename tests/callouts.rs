//! Callouts and titles as a writer sees them: GitHub alerts, `> **Tip:**` quotes, the built-in
//! `note.html` and `callout.html` includes (and a site's own versions winning), and one `<h1>`
//! per page.

mod common;

use common::{TestSite, between};

/// The body of `index.md` built alone, as the default theme renders it.
fn body(markdown: &str) -> String {
    let built = TestSite::new().page("index.md", markdown).build().clean();
    let html = built.html("index.html");
    between(&html, "<div class=\"doc__body prose\">", "\n      </div>\n").to_string()
}

const ICON: &str = "<span class=\"callout__icon\" aria-hidden=\"true\"></span>";

#[test]
fn each_github_alert_is_its_own_callout() {
    for (marker, kind, title) in [
        ("NOTE", "note", "Note"),
        ("TIP", "tip", "Tip"),
        ("IMPORTANT", "important", "Important"),
        ("WARNING", "warning", "Warning"),
        ("CAUTION", "caution", "Caution"),
    ] {
        let html = body(&format!(
            "# T\n\n> [!{marker}]\n> Check the [setup](index.md) *first*.\n\nAfter.\n"
        ));
        assert_eq!(
            html,
            format!(
                "\n        <div class=\"callout callout--{kind}\" role=\"note\">\n\
                 <p class=\"callout__title\">{ICON}{title}</p>\n\
                 <p>Check the <a href=\"/\">setup</a> <em>first</em>.</p>\n</div>\n<p>After.</p>\n"
            ),
            "{marker}"
        );
    }
}

#[test]
fn alerts_hold_any_markdown_and_nest_in_lists() {
    let html = body(
        "> [!WARNING]\n> Two paragraphs.\n>\n> ```bash\n> rm -rf build\n> ```\n\n- item\n\n  > [!TIP]\n  > Inside a list.\n",
    );
    let warning = between(&html, "callout--warning", "</div>");
    assert!(warning.contains("<p>Two paragraphs.</p>"), "{warning}");
    assert!(
        warning.contains("<pre class=\"code\" data-lang=\"bash\""),
        "{warning}"
    );
    assert!(
        html.contains("<li>\n<p>item</p>\n<div class=\"callout callout--tip\" role=\"note\">"),
        "{html}"
    );
    // A quote that merely looks like one stays a quote.
    let html = body("> [!NOTE] on the same line\n> text\n\n> Plain.\n");
    assert!(!html.contains("callout"), "{html}");
    assert!(html.contains("<blockquote>"), "{html}");
}

#[test]
fn labelled_quotes_look_like_their_kind() {
    for (label, kind) in [
        ("Tip:", "tip"),
        ("Warning:", "warning"),
        ("Note", "note"),
        ("Important:", "important"),
        ("Caution:", "caution"),
        ("Danger:", "caution"),
    ] {
        let html = body(&format!("> **{label}** Keep the key secret.\n"));
        assert_eq!(
            html,
            format!(
                "\n        <blockquote class=\"callout callout--{kind} callout--quote\" role=\"note\">\n\
                 <p>{ICON}<strong>{label}</strong> Keep the key secret.</p>\n</blockquote>\n"
            ),
            "{label}"
        );
    }
    // Emphasis that is not a label, or a label later in the quote, keeps the quote plain.
    for text in [
        "> **Never** share it.\n",
        "> Keep it. **Tip:** rotate it.\n",
        "> *Tip:* rotate it.\n",
    ] {
        let html = body(text);
        assert!(html.contains("<blockquote>\n"), "{text}: {html}");
        assert!(!html.contains("callout"), "{text}: {html}");
    }
}

#[test]
fn a_site_without_includes_has_note_and_callout() {
    let built = TestSite::new()
        .page(
            "index.md",
            "# T\n\n{% include note.html content=\"Check the **URL**.\" %}\n\n\
             {% include callout.html type=\"warning\" content=\"Tokens expire.\" %}\n\n\
             {% include callout.html type=\"danger\" title=\"Stop\" content=\"Not in production.\" %}\n\n\
             {% include callout.html content=\"Plain.\" %}\n",
        )
        .build()
        .clean();
    let html = built.html("index.html");
    for (kind, title, text) in [
        ("note", "Note", "Check the <strong>URL</strong>."),
        ("warning", "Warning", "Tokens expire."),
        ("caution", "Stop", "Not in production."),
        ("note", "Note", "Plain."),
    ] {
        let callout = format!(
            "<div class=\"callout callout--{kind}\" role=\"note\">\n<p class=\"callout__title\">{ICON}{title}</p>\n<p>{text}</p>\n</div>"
        );
        assert!(html.contains(&callout), "{callout}\nnot in\n{html}");
    }
    // The stylesheet ships with the theme and every page links it.
    assert!(built.exists("callouts.css"));
    assert!(html.contains("href=\"/callouts.css\""));
}

#[test]
fn a_sites_own_include_wins_and_mistakes_name_the_built_in_file() {
    let built = TestSite::new()
        .file(
            "includes/callout.html",
            "<aside class=\"mine-{{ include.type }}\">{{ include.content }}</aside>\n",
        )
        .page(
            "index.md",
            "{% include callout.html type=\"tip\" content=\"Mine.\" %}\n\n{% include note.html content=\"Built in.\" %}\n",
        )
        .build()
        .clean();
    let html = built.html("index.html");
    assert!(
        html.contains("<aside class=\"mine-tip\">Mine.</aside>"),
        "{html}"
    );
    assert!(html.contains("<div class=\"callout callout--note\" role=\"note\">"));

    // A built-in include without its content says which file wanted it.
    let built = TestSite::new()
        .page("index.md", "# T\n\n{% include note.html %}\n")
        .build();
    built.reports(
        "content/index.md:3 → (built-in theme) includes/note.html:9:4: unknown variable include.content",
    );
    // A missing include lists the built-in names among the closest.
    let built = TestSite::new()
        .page("index.md", "{% include notes.html content=\"x\" %}\n")
        .build();
    built.reports("content/index.md:1:1: include \"notes.html\" not found in includes/ — did you mean \"note.html\"?");
}

/// The page's `<h1>`s.
fn h1s(html: &str) -> Vec<String> {
    html.match_indices("<h1")
        .map(|(i, _)| {
            let rest = &html[i..];
            rest[..rest.find("</h1>").unwrap() + 5].to_string()
        })
        .collect()
}

#[test]
fn a_page_has_one_h1_unless_its_heading_differs_from_its_title() {
    let built = TestSite::new()
        .page("a.md", "# Installation\n\nText.\n")
        .page(
            "b.md",
            "---\ntitle: Installation\n---\n# Installation\n\nText.\n",
        )
        .page(
            "c.md",
            "---\ntitle: Installing\n---\n# Install `docgen`\n\nText.\n",
        )
        .page("d.md", "---\ntitle: Setup\n---\nIntro.\n\n# Later\n")
        .page(
            "e.md",
            "<!-- keep: reviewed -->\n# Run *it*\n\n[again](#run-it)\n",
        )
        .build()
        .clean();
    let title =
        |id: &str, inner: &str| format!("<h1 class=\"doc__title\" id=\"{id}\">{inner}</h1>");
    assert_eq!(
        h1s(&built.html("a.html")),
        [title("installation", "Installation")]
    );
    assert_eq!(
        h1s(&built.html("b.html")),
        [title("installation", "Installation")]
    );
    assert_eq!(
        h1s(&built.html("c.html")),
        [
            "<h1 class=\"doc__title\">Installing</h1>".to_string(),
            "<h1 id=\"install-docgen\">Install <code>docgen</code><a class=\"heading-anchor\" href=\"#install-docgen\" aria-label=\"Link to this section\">#</a></h1>".to_string(),
        ]
    );
    assert_eq!(h1s(&built.html("d.html")).len(), 2);
    let e = built.html("e.html");
    assert_eq!(h1s(&e), [title("run-it", "Run <em>it</em>")]);
    assert!(e.contains("<title>Run it | Test Docs</title>"), "{e}");
}

#[test]
fn a_layout_printing_only_the_content_keeps_the_heading() {
    let built = TestSite::new()
        .file(
            "templates/page.html",
            "{{ page.content | safe }}|{{ page.body | safe }}|{{ page.title_html | safe }}",
        )
        .page("a.md", "# Install `docgen`\n\nText.\n")
        .build()
        .clean();
    assert_eq!(
        built.html("a.html"),
        "<h1 id=\"install-docgen\">Install <code>docgen</code><a class=\"heading-anchor\" href=\"#install-docgen\" \
         aria-label=\"Link to this section\">#</a></h1>\n<p>Text.</p>\n|<p>Text.</p>\n|Install <code>docgen</code>"
    );
}

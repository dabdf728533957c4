//! Parse stage: one content file becomes a `Page` — its front matter, its body expanded by
//! content templating (when the site uses it), the outline of its Markdown and the problems
//! found in it. A page depends only on its own text and on the includes and data files its
//! templating used (its `dependencies`), so pages parse in parallel and `serve` re-parses just
//! the pages a change touches.

use crate::diagnostic::Diagnostic;
use crate::front_matter::{self, FrontMatter};
use crate::highlight::Highlighter;
use crate::links::{self, IndexedPage};
use crate::markdown::{self, Document, ResolvedLinks};
use crate::templating::{Dependent, PageSource, Templating};

#[derive(Debug, Clone)]
pub struct Page {
    /// Path below `content/`: `elements/gotowebinar/events.md`.
    pub source: String,
    /// Site path (without the base path): `/elements/gotowebinar/events.html`.
    pub url: String,
    /// The file's text: rendered in the render stage, quoted by diagnostics.
    pub text: String,
    /// Where the Markdown body starts in `text` (after the front matter).
    pub body_offset: usize,
    /// `text` with its body expanded by content templating: what Markdown renders. `None` when
    /// the page has nothing to expand (or expanding failed): then `text` is rendered.
    pub expanded: Option<String>,
    pub front: FrontMatter,
    pub doc: Document,
    /// Front matter title, else the first `# heading`, else the file name.
    pub title: String,
    /// Problems found while parsing (front matter, templating, Markdown).
    pub diagnostics: Vec<Diagnostic>,
    /// Site paths of the includes and data files its templating used, or asked for and did not
    /// find (`includes/note.html`, `data/glossary.yml`): a change to one of them means parsing
    /// this page again (see `templating::pages_to_rebuild`).
    pub dependencies: Vec<String>,
}

impl Dependent for Page {
    fn source(&self) -> &str {
        &self.source
    }

    fn dependencies(&self) -> &[String] {
        &self.dependencies
    }
}

/// A Jekyll `permalink:` that gives another URL than the page's path: docgen publishes pages at
/// the URL of their path, so links written for the permalink break. A warning at the key says
/// where the page is and how to keep the old URL (the import moves such pages).
fn unfollowed_permalink(
    file: &str,
    text: &str,
    front: &FrontMatter,
    url: &str,
) -> Option<Diagnostic> {
    let permalink = front.extra.get("permalink")?.as_str()?.trim();
    // Placeholders (`/:categories/:title/`) name no one URL; the import reports those.
    if permalink.is_empty() || permalink.contains(':') {
        return None;
    }
    let same = permalink == url
        || permalink.strip_suffix("index.html") == Some(url)
        || (url.ends_with(".html") && permalink == url.trim_end_matches(".html"));
    if same {
        return None;
    }
    let line = front.line_of("permalink");
    Some(
        Diagnostic::warning(
            "permalink",
            file,
            format!("`permalink: {permalink}` is not followed: docgen publishes this page at {url}, the URL of its path"),
        )
        .at(line, 1)
        .with_source(text, "permalink".len())
        .with_note(format!(
            "to keep the URL, move the file where it points (`docgen import jekyll` does), or list {permalink} in redirect_from"
        )),
    )
}

impl Page {
    /// Parses `bytes`, the content of `content/<source>`, without content templating.
    pub fn parse(source: &str, bytes: Vec<u8>) -> Page {
        Page::parse_with(source, bytes, None)
    }

    /// Parses `bytes`, the content of `content/<source>`, expanding its body with `templating`
    /// (when given) before Markdown.
    pub fn parse_with(source: &str, bytes: Vec<u8>, templating: Option<&Templating>) -> Page {
        let file = display_path(source);
        let mut diagnostics = Vec::new();
        let text = String::from_utf8(bytes).unwrap_or_else(|e| {
            let bytes = e.into_bytes();
            diagnostics.push(Diagnostic::not_utf8("encoding", &file, &bytes));
            String::from_utf8_lossy(&bytes).into_owned()
        });
        // CommonMark: a NUL is replaced by U+FFFD, for security; pulldown-cmark leaves it in
        // text, and it reached the HTML as written. One character for one, so columns stay.
        let text = match text.contains('\0') {
            true => text.replace('\0', "\u{FFFD}"),
            false => text,
        };
        let parsed = front_matter::parse(&file, &text);
        diagnostics.extend(parsed.diagnostics);
        let unreadable = parsed.unreadable;
        let front = parsed.front;
        let body_offset = parsed.body_offset;
        let url = links::url_for_source(source);
        if let Some(d) = unfollowed_permalink(&file, &text, &front, &url) {
            diagnostics.push(d);
        }
        // An HTML page (a `.html` file with front matter) is not Markdown.
        let html = is_html(source);
        let expansion = templating.and_then(|t| {
            t.expand(PageSource {
                source,
                url: &url,
                text: &text,
                body_offset,
                front: &front,
            })
        });
        let mut expanded = None;
        let mut dependencies = Vec::new();
        let mut doc = match expansion {
            Some(expansion) => {
                // With front matter that could not be read, every `page.x` is undefined: those
                // are not problems of their own, and would hide the one that is.
                diagnostics.extend(expansion.diagnostics.into_iter().filter(|d| {
                    !(unreadable
                        && d.code == "undefined-variable"
                        && d.message.starts_with("unknown variable page."))
                }));
                dependencies = expansion.dependencies;
                match expansion.expanded {
                    Some((text, map)) => {
                        let doc = scan(&file, &text, body_offset, &map, html);
                        expanded = Some(text);
                        doc
                    }
                    None => scan(&file, &text, body_offset, &markdown::plain(&text), html),
                }
            }
            None => scan(&file, &text, body_offset, &markdown::plain(&text), html),
        };
        diagnostics.append(&mut doc.diagnostics);
        let body = &text[body_offset..];
        if !html && let Some(at) = markdown::excess_toc(body) {
            let line = text[..body_offset + at].matches('\n').count() as u32 + 1;
            diagnostics.push(
                Diagnostic::warning(
                    "toc",
                    &file,
                    format!(
                        "a page shows at most {} tables of contents: this one and those after it are left out",
                        markdown::MAX_TOCS
                    ),
                )
                .at(line, 1)
                .with_source(&text, body[at..].lines().next().map_or(1, |l| l.trim_end().chars().count())),
            );
        }
        let title = front
            .title
            .clone()
            .or_else(|| doc.title.clone())
            .unwrap_or_else(|| title_from_file_name(source));
        Page {
            source: source.to_string(),
            url,
            text,
            body_offset,
            expanded,
            front,
            doc,
            title,
            diagnostics,
            dependencies,
        }
    }

    /// The body's HTML, with each link pointing at its URL in `links`.
    pub fn render_body(&self, links: &ResolvedLinks, highlighter: &Highlighter) -> String {
        let text = self.expanded.as_deref().unwrap_or(&self.text);
        let (offset, doc) = (self.body_offset, &self.doc);
        match is_html(&self.source) {
            true => markdown::render_raw_html(text, offset, doc, links, highlighter),
            false => markdown::render_html(text, offset, doc, links, highlighter),
        }
    }

    /// The body's HTML as the layout shows it: when the body opens with a `# heading` that is
    /// the page's title (no `title:`, or the same text), the heading is lifted out of the body
    /// into `Body::title`, so the layout prints one `<h1>`. A `title:` different from the
    /// heading keeps both.
    pub fn render(&self, links: &ResolvedLinks, highlighter: &Highlighter) -> markdown::Body {
        self.render_tapped(links, highlighter, None)
    }

    /// `render`, with `tap` reading the events of a Markdown body's walk (`markdown::Tap`; an
    /// HTML page has none).
    pub fn render_tapped(
        &self,
        links: &ResolvedLinks,
        highlighter: &Highlighter,
        tap: Option<&mut markdown::Tap<'_>>,
    ) -> markdown::Body {
        let text = self.expanded.as_deref().unwrap_or(&self.text);
        let lift = !is_html(&self.source)
            && self.doc.starts_with_title
            && match (&self.front.title, &self.doc.title) {
                (None, _) => true,
                (Some(front), Some(heading)) => same_title(front, heading),
                (Some(_), None) => false,
            };
        let mut body = match (tap, lift) {
            (Some(tap), _) if !self.is_html() => {
                let (offset, doc) = (self.body_offset, &self.doc);
                markdown::render_tapped(text, offset, doc, links, highlighter, lift, tap)
            }
            (_, true) => {
                markdown::render_body(text, self.body_offset, &self.doc, links, highlighter)
            }
            (_, false) => markdown::Body {
                html: self.render_body(links, highlighter),
                title: None,
            },
        };
        if is_html(&self.source) {
            // An HTML page is written as it is: no Markdown, no heading lifted out.
            return body;
        }
        // kramdown's `* TOC` + `{:toc}`: the headings' ids are known now.
        let headings: Vec<markdown::TocHeading<'_>> = (self.doc.headings.iter())
            .map(|h| markdown::TocHeading {
                level: h.level,
                id: &h.id,
                text: &h.text,
            })
            .collect();
        let hidden = usize::from(body.title.is_some());
        if let Some(html) = markdown::fill_tocs(&body.html, &headings, hidden) {
            body.html = html;
        }
        body
    }

    /// The path shown in messages: `content/<source>`.
    pub fn file(&self) -> String {
        display_path(&self.source)
    }

    /// The folder below `content/` holding the page (`elements/gotowebinar`, or `` at the root).
    pub fn dir(&self) -> &str {
        self.source.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// Whether this is an HTML page (a `.html` file with front matter), not Markdown.
    pub fn is_html(&self) -> bool {
        is_html(&self.source)
    }

    pub fn is_index(&self) -> bool {
        let name = self.source.rsplit('/').next().unwrap_or(&self.source);
        name == "index.md" || name == "index.html"
    }

    /// The layout to render with; `page` when none is given.
    pub fn layout(&self) -> &str {
        self.front.layout.as_deref().unwrap_or("page")
    }

    /// What the link index needs to know about this page.
    pub fn indexed(&self, element: Option<String>) -> IndexedPage {
        IndexedPage {
            source: self.source.clone(),
            title: self.title.clone(),
            element,
            anchors: self.doc.anchor_ids().map(str::to_string).collect(),
            draft: self.front.draft_setting(),
        }
    }
}

/// Whether a page's source is an HTML page rather than Markdown.
fn is_html(source: &str) -> bool {
    source.ends_with(".html")
}

/// The outline of a page's body: Markdown, or for an HTML page its raw HTML.
fn scan(
    file: &str,
    text: &str,
    body_offset: usize,
    locator: &dyn markdown::Locate,
    html: bool,
) -> Document {
    match html {
        true => markdown::scan_raw_html(text, body_offset, locator),
        false => markdown::scan_located(file, text, body_offset, locator),
    }
}

pub use crate::source::display_path;

/// Whether a `title:` and a heading say the same, ignoring case and spacing.
fn same_title(a: &str, b: &str) -> bool {
    let words = |t: &str| {
        t.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    words(a) == words(b)
}

/// `gotowebinar-create-instance.md` → `Gotowebinar create instance`; an index page takes its
/// folder's name.
pub fn title_from_file_name(source: &str) -> String {
    let stem = source
        .strip_suffix(".md")
        .or_else(|| source.strip_suffix(".html"));
    let mut parts = stem.unwrap_or(source).rsplit('/');
    let mut name = parts.next().unwrap_or("");
    if name == "index" {
        name = parts.next().unwrap_or("Home");
    }
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Home".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str, text: &str) -> Page {
        Page::parse(source, text.as_bytes().to_vec())
    }

    #[test]
    fn title_falls_back_to_heading_then_file_name() {
        assert_eq!(
            parse("a.md", "---\ntitle: Front\n---\n# Heading\n").title,
            "Front"
        );
        assert_eq!(parse("a.md", "Intro\n\n# Heading\n").title, "Heading");
        assert_eq!(
            parse("x/create-instance.md", "text").title,
            "Create instance"
        );
        assert_eq!(parse("elements/box/index.md", "text").title, "Box");
        assert_eq!(parse("index.md", "").title, "Home");
    }

    #[test]
    fn an_opening_heading_that_is_the_title_is_lifted_out_of_the_body() {
        let h = Highlighter::new();
        // (text, lifted title html, body contains an h1)
        let cases = [
            ("# Installation\n\nText\n", Some("Installation"), false),
            (
                "---\ntitle: Installation\n---\n# installation\n\nText\n",
                Some("installation"),
                false,
            ),
            (
                "---\ntitle: Installation\n---\n# Install `docgen`\n\nText\n",
                None,
                true,
            ),
            (
                "<!-- draft -->\n# Setup *now*\n",
                Some("Setup <em>now</em>"),
                false,
            ),
            ("Intro\n\n# Later\n", None, true),
            ("## Not a title\n", None, false),
        ];
        for (text, title, h1_in_body) in cases {
            let body = parse("a.md", text).render(&ResolvedLinks::default(), &h);
            assert_eq!(
                body.title.as_ref().map(|t| t.html.as_str()),
                title,
                "{text}"
            );
            assert_eq!(
                body.html.contains("<h1"),
                h1_in_body,
                "{text}: {}",
                body.html
            );
        }
    }

    #[test]
    fn invalid_utf8_is_reported_not_fatal() {
        let page = Page::parse("a.md", b"ok\nbad \xff here\n".to_vec());
        assert_eq!(page.diagnostics.len(), 1);
        assert_eq!(page.diagnostics[0].line, 2);
        assert!(
            page.render_body(&ResolvedLinks::default(), &Highlighter::new())
                .contains("ok")
        );
    }

    #[test]
    fn positions_count_from_the_top_of_the_file() {
        let page = parse("a.md", "---\ntitle: T\n---\n\n[x](y.html)\n");
        assert_eq!((page.doc.links[0].line, page.doc.links[0].column), (5, 1));
    }
}

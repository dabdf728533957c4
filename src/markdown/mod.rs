//! Markdown: a page body becomes its outline (`Document`) in the parse stage and its HTML in
//! the render stage, in two passes over the same events tied together by identity:
//!
//! 1. **events** — the body with kramdown's block attribute lines blanked, parsed by
//!    pulldown-cmark, kramdown's constructs applied (`kramdown`); both passes read exactly
//!    these events with their byte ranges in the body, one at a time as they are made (a page
//!    with 100,000 links never holds all of its events at once).
//! 2. **scan** (`scan`) — reads the outline: every link (with its position, for diagnostics,
//!    and a `LinkId`), the headings with unique ids (`anchors`), the other anchors, the title,
//!    the excerpt, undefined references. No HTML and no highlighting, so the whole site's
//!    outlines stay small in memory.
//! 3. **resolve** — the check stage gives each `LinkId` its URL: a `ResolvedLinks`.
//! 4. **render** (`render`) — writes the HTML one page at a time: a link's URL and a heading's
//!    id are looked up by where the event was written (its byte range in the body, which the
//!    scan recorded), never by counting, so the passes cannot drift apart; code is highlighted
//!    and callouts are made (`callout`).

mod anchors;
mod callout;
mod kramdown;
pub use kramdown::{MAX_TOCS, TocHeading, excess_toc, fill_tocs};
mod locate;
mod render;
mod scan;

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser};

use kramdown::References;

use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;

pub use anchors::slugify;
pub use locate::{Locate, Location, Origin, place, plain};
pub use render::{Body, Title};
pub use scan::{scan, scan_located, scan_raw_html};

/// Length in characters of `Document::excerpt`, the start of the page's text for search results.
pub const EXCERPT_CHARS: usize = 160;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)`, reference links and autolinks.
    Link,
    /// `![alt](src)`.
    Image,
    /// `[[Title]]` or `[[Title|text]]`.
    Title,
}

/// A link of one page, as the scan numbered it: what its resolution is keyed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkId(u32);

impl LinkId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// Where in the body (after templating) a link or heading was written: start and end byte.
/// The render pass finds what the scan recorded by it.
type Span = (usize, usize);

fn span(range: &Range<usize>) -> Span {
    (range.start, range.end)
}

/// A link as written, located in the page's file (or, when `origin` is set, in the include that
/// holds it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Its identity in the page, for `ResolvedLinks`.
    pub id: LinkId,
    pub kind: LinkKind,
    pub dest: String,
    /// The link text (or an image's alt text).
    pub text: String,
    pub line: u32,
    pub column: u32,
    /// Length in characters of the link's source on its first line, for underlining.
    pub len: u32,
    /// The file the link was written in, when it is not the page itself.
    pub origin: Option<Arc<Origin>>,
    /// For a URL written in raw HTML, its element and attribute (`a href`, `img srcset`).
    pub html: Option<&'static str>,
    /// Where the scan found it in the body.
    span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The outline of one page body.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// In the order they were written; `links[i].id` is the `LinkId` of `i`.
    pub links: Vec<Link>,
    pub headings: Vec<Heading>,
    /// Ids a link's `#fragment` may name besides headings: raw HTML ids and footnotes.
    pub anchors: Vec<String>,
    /// The text of the first level-1 heading.
    pub title: Option<String>,
    /// Whether the body opens with that heading (nothing but HTML comments before it): then it
    /// can be the page's title, printed once by the layout (see `render_body`). It is then
    /// `headings[0]`.
    pub starts_with_title: bool,
    /// The first `EXCERPT_CHARS` characters of the body's plain text (no headings, code blocks,
    /// images or raw HTML), cut at a word and ended with `…` when there is more.
    pub excerpt: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The spans of `links`, sorted, for the render pass to find a link's id.
    link_spans: Vec<(Span, LinkId)>,
    /// Where each of `headings` starts (its index), sorted, for the render pass to find its id.
    heading_starts: Vec<(usize, usize)>,
}

/// One entry of a page's table of contents; `children` are the deeper headings under it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

impl Document {
    /// Whether `id` names a heading or another anchor of this page.
    pub fn has_anchor(&self, id: &str) -> bool {
        self.headings.iter().any(|h| h.id == id) || self.anchors.iter().any(|a| a == id)
    }

    /// Every anchor id, headings first.
    pub fn anchor_ids(&self) -> impl Iterator<Item = &str> {
        self.headings
            .iter()
            .map(|h| h.id.as_str())
            .chain(self.anchors.iter().map(String::as_str))
    }

    /// The link with id `id`.
    pub fn link(&self, id: LinkId) -> &Link {
        &self.links[id.index()]
    }

    /// Headings below the title (h2–h6), nested by level.
    pub fn toc(&self) -> Vec<TocEntry> {
        let mut roots: Vec<TocEntry> = Vec::new();
        for h in self.headings.iter().filter(|h| h.level >= 2) {
            let entry = TocEntry {
                level: h.level,
                id: h.id.clone(),
                title: h.text.clone(),
                children: Vec::new(),
            };
            insert_toc(&mut roots, entry);
        }
        roots
    }

    /// The link the scan found at `span`.
    fn link_at(&self, span: Span) -> Option<LinkId> {
        let i = self
            .link_spans
            .binary_search_by(|(s, _)| s.cmp(&span))
            .ok()?;
        Some(self.link_spans[i].1)
    }

    /// The heading the scan found starting at byte `start` of the body (its index).
    pub(crate) fn heading_at(&self, start: usize) -> Option<usize> {
        let i = self
            .heading_starts
            .binary_search_by(|(s, _)| s.cmp(&start))
            .ok()?;
        Some(self.heading_starts[i].1)
    }

    /// Builds the lookups of `link_at` and `heading_at`, once the scan is done.
    fn index(&mut self, heading_starts: Vec<usize>) {
        self.link_spans = self.links.iter().map(|l| (l.span, l.id)).collect();
        self.link_spans.sort_unstable();
        // Two links at one place would share a URL: the scan never records that.
        debug_assert!(
            self.link_spans.windows(2).all(|w| w[0].0 != w[1].0),
            "two links at one span: {:?}",
            self.link_spans
        );
        self.heading_starts = heading_starts.into_iter().zip(0..).collect();
        self.heading_starts.sort_unstable();
    }
}

fn insert_toc(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert_toc(&mut last.children, entry),
        _ => siblings.push(entry),
    }
}

/// The URL each link of a page becomes, keyed by `LinkId`: what the check stage gives the
/// render stage. Empty (`default`), every link keeps its destination as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolvedLinks {
    hrefs: Vec<String>,
}

impl ResolvedLinks {
    /// Every link of `doc`, resolved by `resolve`.
    pub fn new(doc: &Document, resolve: impl FnMut(&Link) -> String) -> ResolvedLinks {
        ResolvedLinks {
            hrefs: doc.links.iter().map(resolve).collect(),
        }
    }

    /// The URL of link `id`; `None` when no resolution was given.
    pub fn href(&self, id: LinkId) -> Option<&str> {
        self.hrefs.get(id.index()).map(String::as_str)
    }

    /// The URL of `link` of `doc`: its resolution, or its destination as written.
    pub fn href_of<'a>(&'a self, link: &'a Link) -> &'a str {
        self.href(link.id).unwrap_or(&link.dest)
    }

    /// Whether these resolutions can be those of `doc` (or are none at all).
    fn fits(&self, doc: &Document) -> bool {
        self.hrefs.is_empty() || self.hrefs.len() == doc.links.len()
    }
}

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_WIKILINKS
        // kramdown's (and PHP Markdown Extra's) definition lists: `Term` then `: definition`.
        | Options::ENABLE_DEFINITION_LIST
        // GitHub alerts: `> [!NOTE]` … `> [!CAUTION]` (see `callout`).
        | Options::ENABLE_GFM
}

/// `body` with kramdown's block attribute lines (`{: .table}`) blanked, offsets kept: the text
/// both passes parse.
fn blanked(body: &str) -> std::borrow::Cow<'_, str> {
    match kramdown::blank_block_attributes(body) {
        Some(blanked) => blanked.into(),
        None => body.into(),
    }
}

/// Walks the events both passes read: `body` (as `blanked` made it) parsed, kramdown's
/// constructs applied, each handed to `visit` with its byte range in `body`, in order.
/// `references` ends with the full references defined nowhere on the page (the scan warns
/// about them).
fn walk<'a>(
    body: &'a str,
    references: &References,
    visit: &mut dyn FnMut(Event<'a>, Range<usize>),
) {
    if may_define_inside_elements(body) {
        // Learn the definitions inside `markdown="1"` elements first, so that the uses before
        // them (and outside them) resolve too.
        parse(body, references, &mut |_, _| {});
        references.forget_undefined();
    }
    parse(body, references, visit);
}

fn parse<'a>(
    body: &'a str,
    references: &References,
    visit: &mut dyn FnMut(Event<'a>, Range<usize>),
) {
    let resolve = |broken| references.resolve(broken, 0);
    let parser = Parser::new_with_broken_link_callback(body, options(), Some(resolve));
    let parser = parser.into_offset_iter();
    references.learn(parser.reference_definitions());
    kramdown::walk(body, 0, parser, options(), 0, references, visit);
}

/// Whether `body` may hold a reference definition inside a `markdown="1"` element (it has
/// both words): only then does it take a second parse.
fn may_define_inside_elements(body: &str) -> bool {
    body.contains("]:")
        && body
            .as_bytes()
            .windows(b"markdown".len())
            .any(|w| w.eq_ignore_ascii_case(b"markdown"))
}

/// A link's kind and destination as its start event gives them.
fn link_of(link_type: LinkType, dest_url: &str) -> (LinkKind, String) {
    match link_type {
        LinkType::WikiLink { .. } => (LinkKind::Title, dest_url.to_string()),
        LinkType::Email => (LinkKind::Link, format!("mailto:{dest_url}")),
        _ => (LinkKind::Link, dest_url.to_string()),
    }
}

/// A code block's language and whether it asks for line numbers (`linenos` in the info
/// string, Jekyll's `{% highlight json linenos %}`).
fn code_info(kind: &CodeBlockKind<'_>) -> (Option<String>, bool) {
    match kind {
        CodeBlockKind::Fenced(info) => (
            info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                .next()
                .filter(|l| !l.is_empty())
                .map(str::to_string),
            info.split_whitespace()
                .skip(1)
                .any(|word| word == "linenos"),
        ),
        CodeBlockKind::Indented => (None, false),
    }
}

/// The text of an HTML block, and where each of its lines starts in the body: its lines are
/// read together, since a tag may span them.
#[derive(Default)]
struct HtmlBlock {
    text: String,
    /// (offset in `text`, offset in the body), one per line event.
    lines: Vec<(usize, usize)>,
}

impl HtmlBlock {
    fn push(&mut self, html: &str, at: usize) {
        self.lines.push((self.text.len(), at));
        self.text.push_str(html);
    }

    /// The body offset of `offset` in `text`.
    fn to_body(&self, offset: usize) -> usize {
        let i = self.lines.partition_point(|&(at, _)| at <= offset);
        match i.checked_sub(1).map(|i| self.lines[i]) {
            Some((at, body)) => body + (offset - at),
            None => offset,
        }
    }
}

/// The HTML of the body of `text` (starting at `body_offset`), whose outline is `doc`, with
/// each link pointing at its URL in `links` and code highlighted.
pub fn render_html(
    text: &str,
    body_offset: usize,
    doc: &Document,
    links: &ResolvedLinks,
    highlighter: &Highlighter,
) -> String {
    render::render(text, body_offset, doc, links, highlighter, false, None).html
}

/// A reader of a body's events besides the render (the search index reads a page's text so,
/// without parsing it again): each event of the walk with its byte range in the body, in
/// order, before the render takes it. `visit` hands it the same events without rendering, so
/// a page read during its render and a page read alone give the same.
pub type Tap<'t> = dyn FnMut(&Event<'_>, &Range<usize>) + 't;

/// `render_html` or `render_body` (as `lift_title` says) with `tap` reading the walk's events.
pub fn render_tapped(
    text: &str,
    body_offset: usize,
    doc: &Document,
    links: &ResolvedLinks,
    highlighter: &Highlighter,
    lift_title: bool,
    tap: &mut Tap<'_>,
) -> Body {
    render::render(
        text,
        body_offset,
        doc,
        links,
        highlighter,
        lift_title,
        Some(tap),
    )
}

/// Hands `tap` the events the render of the body of `text` (from `body_offset`) would read,
/// without rendering.
pub fn visit(text: &str, body_offset: usize, tap: &mut Tap<'_>) {
    let body = blanked(&text[body_offset..]);
    walk(&body, &References::default(), &mut |event, range| {
        tap(&event, &range)
    });
}

/// Like `render_html`, except that a body opening with a level-1 heading
/// (`Document::starts_with_title`) is rendered without it and the heading comes back as
/// `Body::title`, so the layout prints the title once, where it prints titles.
pub fn render_body(
    text: &str,
    body_offset: usize,
    doc: &Document,
    links: &ResolvedLinks,
    highlighter: &Highlighter,
) -> Body {
    render::render(text, body_offset, doc, links, highlighter, true, None)
}

/// The HTML of an HTML page's body: its raw HTML with its URLs resolved (see `scan_raw_html`).
pub fn render_raw_html(
    text: &str,
    body_offset: usize,
    doc: &Document,
    links: &ResolvedLinks,
    highlighter: &Highlighter,
) -> String {
    render::render_raw_html(text, body_offset, doc, links, highlighter)
}

/// Markdown that is not a page (a template's `markdownify`): scanned and rendered, each link
/// as written.
pub fn markdownify(text: &str, highlighter: &Highlighter) -> String {
    let doc = scan("", text, 0);
    render_html(text, 0, &doc, &ResolvedLinks::default(), highlighter)
}

#[cfg(test)]
mod tests;

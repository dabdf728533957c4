//! Markdown, in two passes over the same text:
//!
//! - parse stage: `scan` reads a page into a `Document` — the links with their positions, the
//!   headings with their ids, the anchors and the title — which is all the index and link checks
//!   need. No HTML, no highlighting, so the whole site's outline stays small in memory.
//! - render stage: `render_html` writes the HTML once the links are resolved, filling link `i`
//!   with `hrefs[i]` and highlighting code, one page at a time.
//!
//! Both passes walk the same events with the same `Walker`, so link numbering and heading ids
//! always agree.

mod kramdown;
pub use kramdown::{TocHeading, fill_tocs};

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use crate::diagnostic::{Diagnostic, LineIndex, SourceLines};
use crate::highlight::{Highlighter, escape};
use crate::raw_html;

mod callout;

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

/// A link as written, located in the page's file (or, when `origin` is set, in the include that
/// holds it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
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
}

impl Link {
    /// Places `d` where the link was written: its line and column, the quoted source line, and
    /// for a link written in an include, that file and a note naming what included it.
    /// `page_text` is the text of the page the link belongs to.
    pub fn place(&self, d: Diagnostic, page_text: &str) -> Diagnostic {
        place(
            d,
            self.line,
            self.column,
            self.len,
            self.origin.as_deref(),
            page_text,
        )
    }

    /// `place`, with the page's text indexed once for all its links' diagnostics.
    pub fn place_in(&self, d: Diagnostic, page: &SourceLines<'_>) -> Diagnostic {
        match &self.origin {
            Some(_) => self.place(d, page.text()),
            None => d
                .at(self.line, self.column)
                .with_source_lines(page, self.len as usize),
        }
    }
}

/// Where a span of the text given to `scan_located` was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: u32,
    pub column: u32,
    /// Characters to underline.
    pub len: u32,
    /// `None`: in the page's own file.
    pub origin: Option<Arc<Origin>>,
}

impl Location {
    /// No position (the render pass does not need them).
    fn nowhere() -> Location {
        Location {
            line: 0,
            column: 0,
            len: 0,
            origin: None,
        }
    }
}

/// A file other than the page that a piece of its text came from (an include).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Path from the site root: `includes/note.html`.
    pub file: String,
    /// The file's text, to quote the line.
    pub text: Arc<str>,
    /// How it got into the page: `included from content/x.md:14`.
    pub notes: Vec<String>,
}

/// Maps offsets of the text `scan_located` reads to where they were written. Content templating
/// expands a page before Markdown sees it; its source map implements this so that positions
/// still point at what the writer wrote.
pub trait Locate {
    /// `start` is a byte offset in the whole text (front matter included), and `first_line` the
    /// first line of what is written there (a link's source).
    fn locate(&self, start: usize, first_line: &str) -> Location;

    /// The page's own text, which locations without an origin are in; by default the text
    /// given to `scan_located`.
    fn page_text<'t>(&'t self, scanned: &'t str) -> &'t str {
        scanned
    }
}

/// The identity: the text is the file.
struct Plain<'a>(LineIndex<'a>);

impl Locate for Plain<'_> {
    fn locate(&self, start: usize, first_line: &str) -> Location {
        let (line, column) = self.0.position(start);
        Location {
            line,
            column,
            len: first_line.chars().count() as u32,
            origin: None,
        }
    }
}

/// The first line of `text`.
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// Places `d` at a location of a page: see `Link::place`.
pub fn place(
    d: Diagnostic,
    line: u32,
    column: u32,
    len: u32,
    origin: Option<&Origin>,
    page_text: &str,
) -> Diagnostic {
    let mut d = d.at(line, column);
    let text = match origin {
        Some(origin) => {
            d.file = origin.file.clone();
            d.notes.extend(origin.notes.iter().cloned());
            &*origin.text
        }
        None => page_text,
    };
    d.with_source(text, len as usize)
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
    pub links: Vec<Link>,
    pub headings: Vec<Heading>,
    /// Ids a link's `#fragment` may name besides headings: raw HTML ids and footnotes.
    pub anchors: Vec<String>,
    /// The text of the first level-1 heading.
    pub title: Option<String>,
    /// Whether the body opens with that heading (nothing but HTML comments before it): then it
    /// can be the page's title, printed once by the layout (see `render_body`).
    pub starts_with_title: bool,
    /// The first `EXCERPT_CHARS` characters of the body's plain text (no headings, code blocks,
    /// images or raw HTML), cut at a word and ended with `…` when there is more.
    pub excerpt: String,
    pub diagnostics: Vec<Diagnostic>,
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
}

fn insert_toc(siblings: &mut Vec<TocEntry>, entry: TocEntry) {
    match siblings.last_mut() {
        Some(last) if last.level < entry.level => insert_toc(&mut last.children, entry),
        _ => siblings.push(entry),
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
        // GitHub alerts: `> [!NOTE]` … `> [!CAUTION]` (see `callout`).
        | Options::ENABLE_GFM
}

/// Reads the outline of the body of `file`: `text` is the whole file and the body starts at
/// `body_offset`, so every position is a position in the file.
pub fn scan(file: &str, text: &str, body_offset: usize) -> Document {
    scan_located(file, text, body_offset, &Plain(LineIndex::new(text)))
}

/// The locator of a text that is the file itself.
pub fn plain(text: &str) -> impl Locate + '_ {
    Plain(LineIndex::new(text))
}

/// Reads the outline of an HTML page's body (an `.html` file with front matter): the body is
/// one raw HTML block, walked like the raw HTML of a Markdown page (its ids are anchors).
pub fn scan_raw_html(text: &str, body_offset: usize, locator: &dyn Locate) -> Document {
    let body = &text[body_offset..];
    let mut walker = Walker::new(None);
    let locate = |range: Range<usize>| {
        let text = body.get(range.clone()).unwrap_or("");
        locator.locate(body_offset + range.start, first_line(text))
    };
    walker.event(Event::Html(body.into()), 0..body.len(), &locate);
    walker.doc
}

/// The HTML of an HTML page's body: its raw HTML, through the same walk as `scan_raw_html`.
pub fn render_raw_html(
    text: &str,
    body_offset: usize,
    hrefs: &[String],
    highlighter: &Highlighter,
) -> String {
    let body = &text[body_offset..];
    let mut walker = Walker::new(Some(Output {
        events: Vec::new(),
        hrefs,
        highlighter,
    }));
    walker.event(Event::Html(body.into()), 0..0, &|_| Location::nowhere());
    let mut html = String::with_capacity(body.len());
    if let Some(output) = walker.output {
        pulldown_cmark::html::push_html(&mut html, output.events.into_iter());
    }
    html
}

/// Reads the outline of `text` (the body starts at `body_offset`), placing links and problems
/// with `locator`: for a page expanded by content templating, `text` is the expanded text and
/// the locator maps it back to the page and its includes. `file` is the page's path.
pub fn scan_located(file: &str, text: &str, body_offset: usize, locator: &dyn Locate) -> Document {
    // kramdown's block attribute lines (`{: .table}`) blanked, offsets kept.
    let blanked = kramdown::blank_block_attributes(&text[body_offset..]);
    let body = blanked.as_deref().unwrap_or(&text[body_offset..]);
    let undefined_references = RefCell::new(Vec::new());
    let callback = |broken: pulldown_cmark::BrokenLink<'_>| {
        if broken.link_type == LinkType::Reference {
            undefined_references
                .borrow_mut()
                .push((broken.span.clone(), broken.reference.to_string()));
        }
        None
    };
    let parser = Parser::new_with_broken_link_callback(body, options(), Some(callback));
    let mut walker = Walker::new(None);
    let locate = |range: Range<usize>| {
        let text = body.get(range.clone()).unwrap_or("");
        locator.locate(body_offset + range.start, first_line(text))
    };
    for (event, range) in kramdown::events(body, 0, parser.into_offset_iter(), options(), 0) {
        walker.event(event, range, &locate);
    }
    let mut doc = walker.doc;
    doc.excerpt = excerpt(&walker.text, EXCERPT_CHARS);
    for (span, reference) in undefined_references.into_inner() {
        let at = locator.locate(body_offset + span.start, first_line(&body[span]));
        doc.diagnostics.push(place(
            Diagnostic::warning(
                "undefined-reference",
                file,
                format!("link reference [{reference}] is not defined anywhere on this page"),
            ),
            at.line,
            at.column,
            at.len,
            at.origin.as_deref(),
            locator.page_text(text),
        ));
    }
    doc
}

/// The HTML of the body of `text` (starting at `body_offset`), with link number `i` (in the
/// order `scan` found them) pointing at `hrefs[i]` and code highlighted.
pub fn render_html(
    text: &str,
    body_offset: usize,
    hrefs: &[String],
    highlighter: &Highlighter,
) -> String {
    render_body(text, body_offset, hrefs, highlighter, false).html
}

/// A rendered body, and the heading it opened with when that heading was lifted out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub html: String,
    pub title: Option<Title>,
}

/// The opening `# heading` of a body, for the layout to print as the page's one `<h1>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    /// Its id, so `#installation` links still land on it.
    pub id: String,
    /// Its inner HTML (code, emphasis and links kept), without the `#` self-link.
    pub html: String,
    /// The whole heading as it renders in place (`<h1 id=…>…</h1>`): `Body::html` follows it.
    pub heading: String,
}

/// Like `render_html`; with `lift_title`, a body that starts with a level-1 heading
/// (`Document::starts_with_title`) is rendered without it and the heading comes back as
/// `Body::title`, so the layout prints the title once, where it prints titles.
pub fn render_body(
    text: &str,
    body_offset: usize,
    hrefs: &[String],
    highlighter: &Highlighter,
    lift_title: bool,
) -> Body {
    // kramdown's block attribute lines (`{: .table}`) blanked, offsets kept.
    let blanked = kramdown::blank_block_attributes(&text[body_offset..]);
    let body = blanked.as_deref().unwrap_or(&text[body_offset..]);
    let parser = Parser::new_ext(body, options()).into_offset_iter();
    let mut walker = Walker::new(Some(Output {
        events: Vec::new(),
        hrefs,
        highlighter,
    }));
    walker.lift_title = lift_title;
    for (event, _) in kramdown::events(body, 0, parser, options(), 0) {
        walker.event(event, 0..0, &|_| Location::nowhere());
    }
    let mut html = String::with_capacity(body.len() * 2);
    if let Some(output) = walker.output {
        let events = callout::rewrite(output.events);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
    }
    let title = walker.lifted.map(|(id, inner, whole)| {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, inner.into_iter());
        let mut heading = String::new();
        pulldown_cmark::html::push_html(&mut heading, whole.into_iter());
        Title { id, html, heading }
    });
    Body { html, title }
}

/// What the renderer is in the middle of collecting.
enum Capture<'a> {
    Heading {
        level: HeadingLevel,
        id: Option<String>,
        classes: Vec<String>,
        attrs: Vec<(String, Option<String>)>,
        events: Vec<Event<'a>>,
        text: String,
    },
    /// An image's alt text; `link` is its index in the page's links.
    Image {
        link: usize,
        title: String,
        alt: String,
    },
    Code {
        lang: Option<String>,
        /// `linenos` in the info string (Jekyll's `{% highlight json linenos %}`).
        linenos: bool,
        code: String,
    },
}

/// The HTML being written in the render pass.
struct Output<'a, 'h> {
    events: Vec<Event<'a>>,
    hrefs: &'h [String],
    highlighter: &'h Highlighter,
}

/// Walks a page's events, reading its outline and, in the render pass, writing its HTML.
struct Walker<'a, 'h> {
    doc: Document,
    /// `None` in the scan pass.
    output: Option<Output<'a, 'h>>,
    used_ids: UsedIds,
    capture: Option<Capture<'a>>,
    /// The link being read (its index in `doc.links`), to collect its text.
    open_link: Option<usize>,
    /// Plain text of the body for the excerpt (scan pass); collection stops once there is
    /// enough.
    text: String,
    /// The HTML block being read: its lines are tokenized together, since a tag may span them.
    html_block: Option<HtmlBlock>,
    /// Where the body is before its first block: `Leading::Start` until one is seen.
    leading: Leading,
    /// Render pass: leave an opening `# heading` out of the output, into `lifted`.
    lift_title: bool,
    /// The lifted heading's id, inner events and whole events (with its tag and self-link).
    lifted: Option<(String, Vec<Event<'a>>, Vec<Event<'a>>)>,
}

/// The text of an HTML block, and where each of its lines starts in the body.
#[derive(Default)]
struct HtmlBlock {
    text: String,
    /// (offset in `text`, offset in the body), one per line event.
    lines: Vec<(usize, usize)>,
}

impl HtmlBlock {
    /// The body offset of `offset` in `text`.
    fn to_body(&self, offset: usize) -> usize {
        let i = self.lines.partition_point(|&(at, _)| at <= offset);
        match i.checked_sub(1).map(|i| self.lines[i]) {
            Some((at, body)) => body + (offset - at),
            None => offset,
        }
    }
}

/// Whether the body opens with a level-1 heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leading {
    /// Nothing but HTML comments so far (`in_comment`: inside a multi-line one).
    Start { in_comment: bool },
    /// Inside the opening level-1 heading.
    Title,
    /// Past the first block.
    Done,
}

impl<'a, 'h> Walker<'a, 'h> {
    fn new(output: Option<Output<'a, 'h>>) -> Self {
        Walker {
            doc: Document::default(),
            output,
            used_ids: UsedIds::default(),
            capture: None,
            open_link: None,
            text: String::new(),
            html_block: None,
            leading: Leading::Start { in_comment: false },
            lift_title: false,
            lifted: None,
        }
    }
    /// Follows the body's first block, for `Document::starts_with_title`.
    fn track_leading(&mut self, event: &Event<'_>) {
        let Leading::Start { in_comment } = self.leading else {
            return;
        };
        self.leading = match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if !in_comment => Leading::Title,
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => self.leading,
            Event::Html(html) => {
                let html = html.trim();
                let opens = in_comment || html.starts_with("<!--");
                if html.is_empty() || opens {
                    // A comment (a licence header, an editor note) is not content.
                    let closed = html.ends_with("-->");
                    Leading::Start {
                        in_comment: opens && !closed,
                    }
                } else {
                    Leading::Done
                }
            }
            _ => Leading::Done,
        };
    }

    /// Takes one event; `range` is where it was written in the body and `locate` places a range
    /// of the body (the scan pass's positions; the render pass needs none).
    fn event(
        &mut self,
        event: Event<'a>,
        range: Range<usize>,
        locate: &dyn Fn(Range<usize>) -> Location,
    ) {
        let position = || locate(range.clone());
        self.track_leading(&event);
        // Inside an image only the alt text matters; inside code only the text.
        match &mut self.capture {
            Some(Capture::Image { alt, .. }) => {
                match event {
                    Event::End(TagEnd::Image) => self.finish_image(),
                    Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                    _ => {}
                }
                return;
            }
            Some(Capture::Code { code, .. }) => {
                match event {
                    Event::End(TagEnd::CodeBlock) => self.finish_code(),
                    // The scan pass does not need the code.
                    Event::Text(t) if self.output.is_some() => code.push_str(&t),
                    _ => {}
                }
                return;
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.capture = Some(Capture::Heading {
                    level,
                    id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    attrs: attrs
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.as_ref().map(|v| v.to_string())))
                        .collect(),
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.finish_heading(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let linenos = matches!(&kind, CodeBlockKind::Fenced(info)
                    if info.split_whitespace().skip(1).any(|word| word == "linenos"));
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .filter(|l| !l.is_empty())
                        .map(str::to_string),
                    CodeBlockKind::Indented => None,
                };
                self.capture = Some(Capture::Code {
                    lang,
                    linenos,
                    code: String::new(),
                });
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let at = position();
                let kind = match link_type {
                    LinkType::WikiLink { .. } => LinkKind::Title,
                    _ => LinkKind::Link,
                };
                let dest = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                let link = self.add_link(kind, dest, at);
                self.open_link = Some(link);
                if self.output.is_some() {
                    let mut tag = format!("<a href=\"{}\"", escape(self.href(link)));
                    if !title.is_empty() {
                        tag.push_str(&format!(" title=\"{}\"", escape(&title)));
                    }
                    tag.push('>');
                    self.emit(Event::InlineHtml(tag.into()));
                }
            }
            Event::End(TagEnd::Link) => {
                self.open_link = None;
                self.emit(Event::InlineHtml("</a>".into()));
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let link = self.add_link(LinkKind::Image, dest_url.to_string(), position());
                self.capture = Some(Capture::Image {
                    link,
                    title: title.to_string(),
                    alt: String::new(),
                });
            }
            Event::Start(Tag::FootnoteDefinition(ref name)) => {
                self.doc.anchors.push(name.to_string());
                self.emit(event);
            }
            Event::Start(Tag::HtmlBlock) => {
                self.html_block = Some(HtmlBlock::default());
                self.emit(event);
            }
            Event::Html(html) if self.html_block.is_some() => {
                if let Some(block) = &mut self.html_block {
                    block.lines.push((block.text.len(), range.start));
                    block.text.push_str(&html);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = self.html_block.take() {
                    let html = self.raw_html(&block.text, &|at| block.to_body(at), locate);
                    self.emit(Event::Html(html.unwrap_or(block.text).into()));
                }
                self.emit(event);
            }
            Event::Html(html) => {
                let html = self.html_at(html, range.start, locate);
                self.emit(Event::Html(html));
            }
            Event::InlineHtml(html) => {
                let html = self.html_at(html, range.start, locate);
                self.emit(Event::InlineHtml(html));
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                self.add_text(text);
                self.emit(event);
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => {
                self.add_plain(" ");
                self.emit(event);
            }
            _ => self.emit(event),
        }
    }

    /// Raw HTML written at `start` in the body, with its URLs resolved in the render pass.
    fn html_at(
        &mut self,
        html: CowStr<'a>,
        start: usize,
        locate: &dyn Fn(Range<usize>) -> Location,
    ) -> CowStr<'a> {
        match self.raw_html(&html, &|at| start + at, locate) {
            Some(rewritten) => rewritten.into(),
            None => html,
        }
    }

    /// Reads the URLs and ids of a piece of raw HTML (`to_body` maps its offsets to the body):
    /// each URL becomes a link of the page, located at its attribute value. In the render pass,
    /// returns the HTML with every URL replaced by the link's href, when any changed.
    fn raw_html(
        &mut self,
        html: &str,
        to_body: &dyn Fn(usize) -> usize,
        locate: &dyn Fn(Range<usize>) -> Location,
    ) -> Option<String> {
        let mut refs: Vec<(raw_html::UrlRef, Option<String>)> = Vec::new();
        let anchors = &mut self.doc.anchors;
        raw_html::for_each_start_tag(html, |tag| {
            anchors.extend(raw_html::anchor_ids(tag).map(str::to_string));
            for r in raw_html::url_refs(tag, html) {
                let srcset = r
                    .candidate
                    .and_then(|_| tag.attr(r.attr.rsplit(' ').next().unwrap_or("")))
                    .map(|a| a.value.clone());
                refs.push((r, srcset));
            }
        });
        if refs.is_empty() {
            return None;
        }
        let mut edits: Vec<raw_html::Edit> = Vec::new();
        // The hrefs of the `srcset` being rebuilt: (its value span, its value, the hrefs).
        let mut srcset: Option<(Range<usize>, String, Vec<String>)> = None;
        for (r, srcset_value) in refs {
            let kind = match r.role {
                raw_html::UrlRole::Image => LinkKind::Image,
                raw_html::UrlRole::Link => LinkKind::Link,
            };
            let at = if self.output.is_some() {
                Location::nowhere()
            } else {
                let mut at = locate(to_body(r.span.start)..to_body(r.span.end));
                at.len = at.len.min(r.url.chars().count() as u32).max(1);
                at
            };
            let link = self.add_link(kind, r.url.clone(), at);
            self.doc.links[link].html = Some(r.attr);
            if self.output.is_none() {
                continue;
            }
            let href = self.href(link).to_string();
            match srcset_value {
                Some(value) => {
                    if srcset
                        .as_ref()
                        .is_some_and(|(span, _, _)| *span != r.value_span)
                        && let Some(done) = srcset.take()
                    {
                        edits.extend(srcset_edit(done));
                    }
                    srcset
                        .get_or_insert_with(|| (r.value_span.clone(), value, Vec::new()))
                        .2
                        .push(href);
                }
                None if href != r.url => edits.push(raw_html::Edit {
                    span: r.value_span,
                    value: href,
                }),
                None => {}
            }
        }
        edits.extend(srcset.and_then(srcset_edit));
        (!edits.is_empty()).then(|| raw_html::apply_edits(html, edits))
    }

    /// The URL of link `i`; the link as written when the caller gave none.
    fn href(&self, link: usize) -> &str {
        self.output
            .as_ref()
            .and_then(|o| o.hrefs.get(link))
            .map_or(self.doc.links[link].dest.as_str(), String::as_str)
    }

    /// Sends an event to the output, or into the heading being collected.
    fn emit(&mut self, event: Event<'a>) {
        let Some(output) = &mut self.output else {
            return;
        };
        match &mut self.capture {
            Some(Capture::Heading { events, .. }) => events.push(event),
            _ => output.events.push(event),
        }
    }

    /// Link, heading and plain text accumulate from the same text events.
    fn add_text(&mut self, text: &str) {
        if let Some(Capture::Heading { text: heading, .. }) = &mut self.capture {
            heading.push_str(text);
        } else {
            self.add_plain(text);
        }
        if let Some(open) = self.open_link {
            self.doc.links[open].text.push_str(text);
        }
    }

    /// Adds to the excerpt's text in the scan pass, until it surely holds `EXCERPT_CHARS`
    /// characters (4 bytes a character at most), so long pages cost no more than short ones.
    fn add_plain(&mut self, text: &str) {
        if self.output.is_none() && self.text.len() <= EXCERPT_CHARS * 4 {
            self.text.push_str(text);
        }
    }

    fn add_link(&mut self, kind: LinkKind, dest: String, at: Location) -> usize {
        self.doc.links.push(Link {
            kind,
            dest,
            text: String::new(),
            line: at.line,
            column: at.column,
            len: at.len,
            origin: at.origin,
            html: None,
        });
        self.doc.links.len() - 1
    }

    fn finish_image(&mut self) {
        let Some(Capture::Image { link, title, alt }) = self.capture.take() else {
            return;
        };
        if self.output.is_none() {
            self.doc.links[link].text = alt;
            return;
        }
        let mut tag = format!(
            // Size and lazy loading are added with the page's other images (`images`).
            "<img src=\"{}\" alt=\"{}\"",
            escape(self.href(link)),
            escape(&alt)
        );
        if !title.is_empty() {
            tag.push_str(&format!(" title=\"{}\"", escape(&title)));
        }
        tag.push('>');
        self.emit(Event::InlineHtml(tag.into()));
    }

    fn finish_code(&mut self) {
        let Some(Capture::Code {
            lang,
            linenos,
            code,
        }) = self.capture.take()
        else {
            return;
        };
        if let Some(output) = &mut self.output {
            let mut html = output.highlighter.highlight(lang.as_deref(), &code);
            if linenos {
                html = crate::highlight::number_lines(&html);
            }
            output.events.push(Event::Html(html.into()));
        }
    }

    fn finish_heading(&mut self) {
        let Some(Capture::Heading {
            level,
            id,
            classes,
            attrs,
            events,
            text,
        }) = self.capture.take()
        else {
            return;
        };
        let text = text.trim().to_string();
        let id = match id {
            Some(id) => {
                self.used_ids.insert(id.clone());
                id
            }
            None => unique_id(&slugify(&text), &mut self.used_ids),
        };
        let level_number = level as u8;
        if level_number == 1 && self.doc.title.is_none() {
            self.doc.title = Some(text.clone());
        }
        if self.leading == Leading::Title {
            self.leading = Leading::Done;
            self.doc.starts_with_title = true;
            if self.lift_title && self.output.is_some() {
                let whole = heading_html(level_number, &id, &classes, &attrs, events.clone());
                self.lifted = Some((id.clone(), events, whole));
                self.doc.headings.push(Heading {
                    level: level_number,
                    id,
                    text,
                });
                return;
            }
        }
        if let Some(output) = &mut self.output {
            output
                .events
                .extend(heading_html(level_number, &id, &classes, &attrs, events));
        }
        self.doc.headings.push(Heading {
            level: level_number,
            id,
            text,
        });
    }
}

/// The edit rewriting a `srcset` to its candidates' hrefs, when any changed.
fn srcset_edit(
    (span, value, hrefs): (Range<usize>, String, Vec<String>),
) -> Option<raw_html::Edit> {
    let rewritten = raw_html::rewrite_srcset(&value, &hrefs);
    (rewritten != value).then_some(raw_html::Edit {
        span,
        value: rewritten,
    })
}

/// A heading's events wrapped in its tag, with its id and a self-link.
fn heading_html<'a>(
    level: u8,
    id: &str,
    classes: &[String],
    attrs: &[(String, Option<String>)],
    inner: Vec<Event<'a>>,
) -> Vec<Event<'a>> {
    let level_number = level;
    let mut open = format!("<h{level_number} id=\"{}\"", escape(id));
    if !classes.is_empty() {
        open.push_str(&format!(" class=\"{}\"", escape(&classes.join(" "))));
    }
    for (key, value) in attrs {
        match value {
            Some(value) => open.push_str(&format!(" {}=\"{}\"", escape(key), escape(value))),
            None => open.push_str(&format!(" {}", escape(key))),
        }
    }
    open.push('>');
    let mut events = Vec::with_capacity(inner.len() + 2);
    events.push(Event::Html(open.into()));
    events.extend(inner);
    events.push(Event::Html(
        format!(
            "<a class=\"heading-anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></h{level_number}>\n",
            escape(id)
        )
        .into(),
    ));
    events
}

/// `text` with runs of whitespace made one space, cut to at most `max` characters at a word
/// boundary (with `…` when cut).
fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        let needed = len + usize::from(count > 0);
        if count + needed > max {
            if count == 0 {
                // One word longer than the excerpt: cut inside it.
                out.extend(word.chars().take(max - 1));
            }
            out.push('…');
            return out;
        }
        if count > 0 {
            out.push(' ');
        }
        out.push_str(word);
        count += needed;
    }
    out
}

/// A GitHub-style heading id: lowercase letters and digits, `-` for spaces, `_` and `-` kept,
/// other punctuation dropped.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' {
            slug.push('-');
        } else if c == '_' {
            slug.push('_');
        }
    }
    slug
}

/// The heading ids a page has given, and for each base the next suffix to try: 10,000 headings
/// with one title must not try `-1`, `-2`… from the start each time.
#[derive(Default)]
struct UsedIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl UsedIds {
    fn insert(&mut self, id: String) {
        self.used.insert(id);
    }
}

/// `base`, or `base-1`, `base-2`… when taken.
fn unique_id(base: &str, ids: &mut UsedIds) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut n = ids.next.get(base).copied().unwrap_or(0);
    let mut id = match n {
        0 => base.to_string(),
        n => format!("{base}-{n}"),
    };
    while ids.used.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    ids.next.insert(base.to_string(), n + 1);
    ids.used.insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> Document {
        scan("p.md", body, 0)
    }

    /// Renders with each link pointing at `[dest]`, to see which link went where.
    fn html(body: &str) -> String {
        let hrefs: Vec<String> = doc(body)
            .links
            .iter()
            .map(|l| format!("[{}]", l.dest))
            .collect();
        render_html(body, 0, &hrefs, &Highlighter::new())
    }

    #[test]
    fn the_excerpt_is_the_plain_text_without_headings_code_or_markup() {
        let d = doc(
            "# Title\n\nConnect *Box* with [OAuth](a.html) and `tokens`.\nSecond line.\n\n\
                     ```json\n{\"skip\": 1}\n```\n\n## Setup\n\n- one\n- two\n\n<div>raw</div>\n\n![alt](i.png) | a |\n",
        );
        assert_eq!(
            d.excerpt,
            "Connect Box with OAuth and tokens. Second line. one two | a |"
        );
        let long = doc(&"word ".repeat(100));
        assert_eq!(long.excerpt.chars().count(), 160, "{}", long.excerpt);
        assert!(long.excerpt.ends_with("word…"), "{}", long.excerpt);
        assert_eq!(excerpt("x".repeat(200).as_str(), 10), "xxxxxxxxx…");
        assert_eq!(excerpt("  short \n text ", 160), "short text");
    }

    #[test]
    fn slugs_follow_github() {
        let cases = [
            (
                "Get Elements OAuth Information",
                "get-elements-oauth-information",
            ),
            ("Step 2: Create the App", "step-2-create-the-app"),
            ("What’s new in v2.0?", "whats-new-in-v20"),
            ("snake_case and kebab-case", "snake_case-and-kebab-case"),
            ("Ünïcödé Straße", "ünïcödé-straße"),
            ("`POST /instances`", "post-instances"),
        ];
        for (text, slug) in cases {
            assert_eq!(slugify(text), slug, "{text}");
        }
    }

    #[test]
    fn headings_get_unique_ids_and_self_links() {
        let d = doc("# Title\n\n## Setup\n\n## Setup\n\n### Custom {#my-id}\n\n## Setup\n");
        let ids: Vec<_> = d.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["title", "setup", "setup-1", "my-id", "setup-2"]);
        assert_eq!(d.title.as_deref(), Some("Title"));
        let html = render_html(
            "# Title\n\n## Setup\n\n## Setup\n\n### Custom {#my-id}\n\n## Setup\n",
            0,
            &[],
            &Highlighter::new(),
        );
        assert!(html.contains(
            "<h2 id=\"setup-1\">Setup<a class=\"heading-anchor\" href=\"#setup-1\" aria-label=\"Link to this section\">#</a></h2>"
        ), "{html}");
        assert!(d.has_anchor("my-id"));
    }

    #[test]
    fn toc_nests_by_level_and_skips_the_title() {
        let d = doc("# T\n## A\n### A1\n### A2\n#### deep\n## B\n");
        let toc = d.toc();
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].title, "A");
        assert_eq!(toc[0].children.len(), 2);
        assert_eq!(toc[0].children[1].children[0].id, "deep");
        assert!(toc[1].children.is_empty());
    }

    #[test]
    fn links_carry_file_positions_and_text() {
        let text = "---\ntitle: x\n---\nIntro.\n\nSee [the *setup* guide](setup.html#top) and ![logo](img/l.png \"Logo\").\n";
        let d = scan("p.md", text, 17);
        assert_eq!(d.links.len(), 2);
        let link = &d.links[0];
        assert_eq!(
            (link.kind, link.dest.as_str()),
            (LinkKind::Link, "setup.html#top")
        );
        assert_eq!(link.text, "the setup guide");
        assert_eq!((link.line, link.column), (6, 5));
        assert_eq!(link.len, "[the *setup* guide](setup.html#top)".len() as u32);
        let image = &d.links[1];
        assert_eq!((image.kind, image.text.as_str()), (LinkKind::Image, "logo"));
        assert_eq!((image.line, image.column), (6, 45));
    }

    #[test]
    fn links_and_images_get_their_resolved_urls() {
        let out = html("[a](x.html \"T\") ![alt *b*](i.png) <https://e.com> <me@e.com>");
        assert!(
            out.contains(r#"<a href="[x.html]" title="T">a</a>"#),
            "{out}"
        );
        assert!(out.contains(r#"<img src="[i.png]" alt="alt b">"#), "{out}");
        assert!(
            out.contains(r#"<a href="[https://e.com]">https://e.com</a>"#),
            "{out}"
        );
        assert!(out.contains(r#"<a href="[mailto:me@e.com]">"#), "{out}");
    }

    #[test]
    fn filled_hrefs_are_attribute_escaped() {
        assert_eq!(
            render_html(
                "[a](x)",
                0,
                &["/a?b=1&c=\"2\"".to_string()],
                &Highlighter::new()
            ),
            "<p><a href=\"/a?b=1&amp;c=&quot;2&quot;\">a</a></p>\n"
        );
    }

    #[test]
    fn title_links_keep_their_display_text() {
        let d = doc("Next [[Create Instance|create an instance]] and [[Events]].");
        let found: Vec<_> = d
            .links
            .iter()
            .map(|l| (l.kind, l.dest.as_str(), l.text.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (LinkKind::Title, "Create Instance", "create an instance"),
                (LinkKind::Title, "Events", "Events"),
            ]
        );
    }

    #[test]
    fn links_inside_headings_and_tables_work() {
        let out = html("## See [x](a.html)\n\n| a | b |\n|---|---|\n| [y](b.html) | 1 |\n");
        assert!(
            out.contains(r#"<h2 id="see-x">See <a href="[a.html]">x</a>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<td><a href="[b.html]">y</a></td>"#),
            "{out}"
        );
    }

    #[test]
    fn code_is_highlighted_and_never_parsed_for_links() {
        let out = html("```json\n{\"a\": \"[x](y.html)\"}\n```\n\n```\nplain <b>\n```\n");
        assert!(
            out.contains("<pre class=\"code\" data-lang=\"json\" tabindex=\"0\""),
            "{out}"
        );
        assert!(
            out.contains("aria-label=\"Code\"><code>plain &lt;b&gt;\n</code></pre>"),
            "{out}"
        );
        assert!(doc("```md\n[x](y.html)\n```").links.is_empty());
    }

    #[test]
    fn extensions_are_on() {
        let out = html("~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1].\n\n[^1]: The note.\n");
        assert!(out.contains("<del>old</del>"), "{out}");
        assert!(out.contains("“quoted”"), "{out}");
        assert!(out.contains("type=\"checkbox\""), "{out}");
        assert!(out.contains("footnote-reference"), "{out}");
        assert!(doc("Note[^n].\n\n[^n]: x\n").has_anchor("n"));
    }

    #[test]
    fn raw_html_ids_are_anchors() {
        let d = doc("<a id=\"legacy\"></a>\n\n<div name='old'>x</div>\n");
        assert!(d.has_anchor("legacy") && d.has_anchor("old"));
    }

    #[test]
    fn undefined_reference_links_warn() {
        let d = doc("See [the guide][guide].\n");
        assert_eq!(d.diagnostics.len(), 1);
        assert!(d.diagnostics[0].message.contains("[guide]"));
        assert_eq!((d.diagnostics[0].line, d.diagnostics[0].column), (1, 5));
    }

    #[test]
    fn both_passes_agree_on_links_and_ids() {
        let body =
            "# T\n\n## A\n\n## A\n\n[x](1) ![y](2) [[Z]]\n\n```json\n[\"[w](3)\"]\n```\n\n[v](4)\n";
        let hrefs = ["/1", "/2", "/3", "/4"].map(String::from);
        let out = render_html(body, 0, &hrefs, &Highlighter::new());
        assert_eq!(doc(body).links.len(), 4);
        for (n, href) in hrefs.iter().enumerate() {
            assert_eq!(
                out.matches(&format!("\"{href}\"")).count(),
                1,
                "link {n}: {out}"
            );
        }
        assert!(out.contains("<h2 id=\"a-1\">"), "{out}");
    }
}

//! Render stage: the render pass writes a page body's HTML from the events the scan read. Each
//! link points at the URL the check stage resolved for its `LinkId` and each heading carries
//! the id the scan gave it, both found by where they were written in the body (the span the
//! scan recorded); code is highlighted and callouts are made.

use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::kramdown::{self, References};
use super::{Document, HtmlBlock, ResolvedLinks, callout};
use crate::highlight::{Highlighter, escape};
use crate::raw_html;

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

/// Renders the body of `text` (from `body_offset`) whose outline is `doc`; with `lift_title`,
/// the opening level-1 heading (`Document::starts_with_title`) goes to `Body::title`. `tap`,
/// when given, sees every event of the walk before the render takes it (see `super::Tap`).
pub(super) fn render(
    text: &str,
    body_offset: usize,
    doc: &Document,
    links: &ResolvedLinks,
    highlighter: &Highlighter,
    lift_title: bool,
    mut tap: Option<&mut super::Tap<'_>>,
) -> Body {
    debug_assert!(links.fits(doc), "resolutions of another page");
    let body = super::blanked(&text[body_offset..]);
    let mut renderer = Renderer::new(doc, links, highlighter, lift_title);
    super::walk(&body, &References::default(), &mut |event, range| {
        if let Some(tap) = tap.as_deref_mut() {
            tap(&event, &range);
        }
        renderer.event(event, range)
    });
    renderer.met_every_link();
    let mut html = String::with_capacity(body.len() * 2);
    let events = callout::rewrite(renderer.events);
    let events =
        kramdown::apply_abbreviations(events, &kramdown::abbreviations(&text[body_offset..]));
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Body {
        html,
        title: renderer.title,
    }
}

/// The HTML of an HTML page's body: its raw HTML with each URL resolved.
pub(super) fn render_raw_html(
    text: &str,
    body_offset: usize,
    doc: &Document,
    links: &ResolvedLinks,
    highlighter: &Highlighter,
) -> String {
    debug_assert!(links.fits(doc), "resolutions of another page");
    let body = &text[body_offset..];
    let renderer = Renderer::new(doc, links, highlighter, false);
    let html = renderer
        .raw_html(body, &|at| at)
        .unwrap_or_else(|| body.to_string());
    renderer.met_every_link();
    html
}

/// The heading being written: its events wait for its id and attributes.
struct OpenHeading<'a> {
    level: HeadingLevel,
    /// Where it starts in the body: how its id is found.
    start: usize,
    /// `{#id}`, for a heading the scan did not see.
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    events: Vec<Event<'a>>,
}

/// The image being written: its tag waits for its alt text.
struct OpenImage {
    href: String,
    title: String,
    alt: String,
}

struct Code {
    lang: Option<String>,
    linenos: bool,
    code: String,
}

/// Walks a body's events, writing its HTML.
struct Renderer<'a, 'd> {
    doc: &'d Document,
    links: &'d ResolvedLinks,
    highlighter: &'d Highlighter,
    events: Vec<Event<'a>>,
    heading: Option<OpenHeading<'a>>,
    image: Option<OpenImage>,
    code: Option<Code>,
    html_block: Option<HtmlBlock>,
    /// Leave the opening `# heading` out of `events`, into `title`.
    lift_title: bool,
    title: Option<Title>,
    /// How many of the scan's links the render found.
    met: Cell<usize>,
}

impl<'a, 'd> Renderer<'a, 'd> {
    /// A renderer of the page whose outline is `doc`; `lift_title` as in `render`.
    fn new(
        doc: &'d Document,
        links: &'d ResolvedLinks,
        highlighter: &'d Highlighter,
        lift_title: bool,
    ) -> Self {
        Renderer {
            doc,
            links,
            highlighter,
            events: Vec::new(),
            heading: None,
            image: None,
            code: None,
            html_block: None,
            lift_title: lift_title && doc.starts_with_title,
            title: None,
            met: Cell::new(0),
        }
    }

    /// Takes one event; `range` is where it was written in the body.
    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        // Inside an image only the alt text matters; inside code only the text.
        if let Some(image) = &mut self.image {
            match event {
                Event::End(TagEnd::Image) => self.finish_image(),
                Event::Text(t) | Event::Code(t) => image.alt.push_str(&t),
                _ => {}
            }
            return;
        }
        if let Some(code) = &mut self.code {
            match event {
                Event::End(TagEnd::CodeBlock) => self.finish_code(),
                Event::Text(t) => code.code.push_str(&t),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some(OpenHeading {
                    level,
                    start: range.start,
                    id,
                    classes,
                    attrs,
                    events: Vec::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.finish_heading(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let (lang, linenos) = super::code_info(&kind);
                self.code = Some(Code {
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
                let (_, written) = super::link_of(link_type, &dest_url);
                let mut tag = format!("<a href=\"{}\"", escape(self.href(&range, &written)));
                if !title.is_empty() {
                    tag.push_str(&format!(" title=\"{}\"", escape(&title)));
                }
                tag.push('>');
                self.emit(Event::InlineHtml(tag.into()));
            }
            Event::End(TagEnd::Link) => self.emit(Event::InlineHtml("</a>".into())),
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                self.image = Some(OpenImage {
                    href: self.href(&range, &dest_url).to_string(),
                    title: title.to_string(),
                    alt: String::new(),
                });
            }
            Event::Start(Tag::HtmlBlock) => {
                self.html_block = Some(HtmlBlock::default());
                self.emit(event);
            }
            Event::Html(html) if self.html_block.is_some() => {
                if let Some(block) = &mut self.html_block {
                    block.push(&html, range.start);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = self.html_block.take() {
                    let html = self.raw_html(&block.text, &|at| block.to_body(at));
                    self.emit(Event::Html(html.unwrap_or(block.text).into()));
                }
                self.emit(event);
            }
            Event::Html(html) => {
                let html = self.html_at(html, range.start);
                self.emit(Event::Html(html));
            }
            Event::InlineHtml(html) => {
                let html = self.html_at(html, range.start);
                self.emit(Event::InlineHtml(html));
            }
            _ => self.emit(event),
        }
    }

    /// The URL of the link the scan recorded at `range` of the body. A link it did not record
    /// is a bug (the passes read the same events): it keeps its destination as `written`.
    fn href<'s>(&'s self, range: &Range<usize>, written: &'s str) -> &'s str {
        match self.doc.link_at(super::span(range)) {
            Some(id) => {
                self.met.set(self.met.get() + 1);
                let link = self.doc.link(id);
                debug_assert_eq!(link.dest, written, "another link at {range:?}");
                self.links.href(id).unwrap_or(&link.dest)
            }
            None => {
                debug_assert!(
                    false,
                    "a link the scan did not see: {written:?} at {range:?}"
                );
                written
            }
        }
    }

    /// A link the scan recorded that the render did not meet is a bug too: its URL went
    /// nowhere.
    fn met_every_link(&self) {
        debug_assert_eq!(
            self.met.get(),
            self.doc.links.len(),
            "the render met {} of the scan's {} links",
            self.met.get(),
            self.doc.links.len()
        );
    }

    /// Raw HTML written at `start` in the body, with its URLs resolved.
    fn html_at(&self, html: CowStr<'a>, start: usize) -> CowStr<'a> {
        match self.raw_html(&html, &|at| start + at) {
            Some(rewritten) => rewritten.into(),
            None => html,
        }
    }

    /// A piece of raw HTML (`to_body` maps its offsets to the body) with every URL replaced by
    /// its link's href, when any changed.
    fn raw_html(&self, html: &str, to_body: &dyn Fn(usize) -> usize) -> Option<String> {
        let mut refs: Vec<(raw_html::UrlRef, Option<String>)> = Vec::new();
        raw_html::for_each_start_tag(html, |tag| {
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
            let in_body = to_body(r.span.start)..to_body(r.span.end);
            let href = self.href(&in_body, &r.url).to_string();
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

    /// Sends an event to the output, or into the heading being written.
    fn emit(&mut self, event: Event<'a>) {
        match &mut self.heading {
            Some(heading) => heading.events.push(event),
            None => self.events.push(event),
        }
    }

    fn finish_image(&mut self) {
        let Some(OpenImage { href, title, alt }) = self.image.take() else {
            return;
        };
        let mut tag = format!(
            // Size and lazy loading are added with the page's other images (`images`).
            "<img src=\"{}\" alt=\"{}\"",
            escape(&href),
            escape(&alt)
        );
        if !title.is_empty() {
            tag.push_str(&format!(" title=\"{}\"", escape(&title)));
        }
        tag.push('>');
        self.emit(Event::InlineHtml(tag.into()));
    }

    fn finish_code(&mut self) {
        let Some(Code {
            lang,
            linenos,
            code,
        }) = self.code.take()
        else {
            return;
        };
        let mut html = self.highlighter.highlight(lang.as_deref(), &code);
        if linenos {
            html = crate::highlight::number_lines(&html);
        }
        self.events.push(Event::Html(html.into()));
    }

    fn finish_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let found = self.doc.heading_at(heading.start);
        let id: Cow<'_, str> = match found {
            Some(i) => Cow::Borrowed(&self.doc.headings[i].id),
            None => {
                debug_assert!(
                    false,
                    "a heading the scan did not see, at {}",
                    heading.start
                );
                heading.id.as_deref().map_or_else(
                    || super::slugify(&plain_text(&heading.events)).into(),
                    |id| id.to_string().into(),
                )
            }
        };
        let level = heading.level as u8;
        let html = |events| heading_html(level, &id, &heading.classes, &heading.attrs, events);
        if self.lift_title && found == Some(0) {
            let whole = html(heading.events.clone());
            let mut inner = String::new();
            pulldown_cmark::html::push_html(&mut inner, heading.events.into_iter());
            let mut whole_html = String::new();
            pulldown_cmark::html::push_html(&mut whole_html, whole.into_iter());
            self.title = Some(Title {
                id: id.into_owned(),
                html: inner,
                heading: whole_html,
            });
            return;
        }
        let events = html(heading.events);
        self.events.extend(events);
    }
}

/// The text of some events (a heading's), for the id of one the scan did not see.
fn plain_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for event in events {
        if let Event::Text(t) | Event::Code(t) = event {
            text.push_str(t);
        }
    }
    text.trim().to_string()
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
    classes: &[CowStr<'_>],
    attrs: &[(CowStr<'_>, Option<CowStr<'_>>)],
    inner: Vec<Event<'a>>,
) -> Vec<Event<'a>> {
    let mut open = format!("<h{level} id=\"{}\"", escape(id));
    if !classes.is_empty() {
        let classes: Vec<&str> = classes.iter().map(|c| &**c).collect();
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
            "<a class=\"heading-anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></h{level}>\n",
            escape(id)
        )
        .into(),
    ));
    events
}

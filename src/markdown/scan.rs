//! Parse stage: the scan pass reads a page body's outline into a `Document` — its links (each
//! with a `LinkId` and the place it was written), headings with their ids, anchors, title and
//! excerpt — which is all the index and the link checks need.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::anchors::HeadingIds;
use super::kramdown::References;
use super::locate::{first_line, place_indexed};
use super::{
    Document, EXCERPT_CHARS, Heading, HtmlBlock, Link, LinkId, LinkKind, Locate, Location,
};
use crate::diagnostic::Diagnostic;
use crate::raw_html;

/// Reads the outline of the body of `file`: `text` is the whole file and the body starts at
/// `body_offset`, so every position is a position in the file.
pub fn scan(file: &str, text: &str, body_offset: usize) -> Document {
    scan_located(file, text, body_offset, &super::plain(text))
}

/// Reads the outline of `text` (the body starts at `body_offset`), placing links and problems
/// with `locator`: for a page expanded by content templating, `text` is the expanded text and
/// the locator maps it back to the page and its includes. `file` is the page's path.
pub fn scan_located(file: &str, text: &str, body_offset: usize, locator: &dyn Locate) -> Document {
    let body = super::blanked(&text[body_offset..]);
    let body = &*body;
    let locate = |range: Range<usize>| {
        let text = body.get(range.clone()).unwrap_or("");
        locator.locate(body_offset + range.start, first_line(text))
    };
    let mut scanner = Scanner::new(&locate);
    let references = References::default();
    super::walk(body, &references, &mut |event, range| {
        scanner.event(event, range)
    });
    let nesting = scanner.take_nesting();
    let mut doc = scanner.finish();
    let (page_text, page_lines) = (locator.page_text(text), std::cell::OnceCell::new());
    for (message, span) in nesting {
        let at = locator.locate(body_offset + span.start, first_line(&body[span]));
        doc.diagnostics.push(place_indexed(
            Diagnostic::warning("html-nesting", file, message),
            &at,
            &page_lines,
            page_text,
        ));
    }
    for (span, reference) in references.into_undefined() {
        let at = locator.locate(body_offset + span.start, first_line(&body[span]));
        doc.diagnostics.push(place_indexed(
            Diagnostic::warning(
                "undefined-reference",
                file,
                format!("link reference [{reference}] is not defined anywhere on this page"),
            ),
            &at,
            &page_lines,
            page_text,
        ));
    }
    doc
}

/// Reads the outline of an HTML page's body (an `.html` file with front matter): the body is
/// one raw HTML block, read like the raw HTML of a Markdown page (its ids are anchors).
pub fn scan_raw_html(text: &str, body_offset: usize, locator: &dyn Locate) -> Document {
    let body = &text[body_offset..];
    let locate = |range: Range<usize>| {
        let text = body.get(range.clone()).unwrap_or("");
        locator.locate(body_offset + range.start, first_line(text))
    };
    let mut scanner = Scanner::new(&locate);
    scanner.raw_html(body, &|at| at);
    scanner.finish()
}

/// The heading being read.
struct OpenHeading {
    id: Option<String>,
    level: HeadingLevel,
    /// Where it starts in the body: its identity for the render pass.
    start: usize,
    text: String,
}

/// Walks a body's events, reading its outline.
struct Scanner<'l> {
    doc: Document,
    /// Places a range of the body.
    locate: &'l dyn Fn(Range<usize>) -> Location,
    ids: HeadingIds,
    heading: Option<OpenHeading>,
    /// Where each of `doc.headings` starts in the body.
    heading_starts: Vec<usize>,
    /// The image whose alt text is being read.
    image: Option<LinkId>,
    in_code: bool,
    /// The link whose text is being read.
    open_link: Option<LinkId>,
    /// Plain text of the body for the excerpt; collection stops once there is enough.
    text: String,
    html_block: Option<HtmlBlock>,
    /// Where the body is before its first block: `Leading::Start` until one is seen.
    leading: Leading,
    /// Raw HTML elements opened and not yet closed (see `raw_html::must_close_tags`): name and
    /// where the start tag is in the body.
    open_tags: Vec<(String, Range<usize>)>,
    /// Raw HTML that a browser nests otherwise than written: message and place in the body.
    nesting: Vec<(String, Range<usize>)>,
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

impl<'l> Scanner<'l> {
    fn new(locate: &'l dyn Fn(Range<usize>) -> Location) -> Self {
        Scanner {
            doc: Document::default(),
            locate,
            ids: HeadingIds::default(),
            heading: None,
            heading_starts: Vec::new(),
            image: None,
            in_code: false,
            open_link: None,
            text: String::new(),
            html_block: None,
            leading: Leading::Start { in_comment: false },
            open_tags: Vec::new(),
            nesting: Vec::new(),
        }
    }

    /// The raw HTML of the body that a browser nests otherwise than written, once the whole
    /// body is read: elements never closed, closed out of order, or end tags closing nothing.
    fn take_nesting(&mut self) -> Vec<(String, Range<usize>)> {
        for (name, at) in std::mem::take(&mut self.open_tags) {
            self.nesting.push((
                format!(
                    "`<{name}>` is never closed: in the built page the rest of the page, and the layout after it, end up inside it"
                ),
                at,
            ));
        }
        self.nesting.sort_by_key(|(_, at)| at.start);
        std::mem::take(&mut self.nesting)
    }

    /// Follows the start and end tags of raw HTML that must be closed (`to_body` as in
    /// `raw_html`).
    fn follow_nesting(&mut self, html: &str, to_body: &dyn Fn(usize) -> usize) {
        if !html.contains('<') {
            return;
        }
        for mark in raw_html::must_close_tags(html) {
            let at = to_body(mark.span.start)..to_body(mark.span.end);
            if !mark.end {
                self.open_tags.push((mark.name, at));
                continue;
            }
            match self.open_tags.iter().rposition(|(name, _)| *name == mark.name) {
                Some(open) => {
                    for (name, opened) in self.open_tags.drain(open + 1..) {
                        self.nesting.push((
                            format!(
                                "`<{name}>` is not closed before `</{}>`: a browser closes it there, or carries it on past it",
                                mark.name
                            ),
                            opened,
                        ));
                    }
                    self.open_tags.pop();
                }
                None => self.nesting.push((
                    format!(
                        "`</{}>` closes nothing opened before it on this page: in the built page it closes an element of the layout",
                        mark.name
                    ),
                    at,
                )),
            }
        }
    }

    fn finish(mut self) -> Document {
        self.doc.excerpt = excerpt(&self.text, EXCERPT_CHARS);
        self.doc.index(self.heading_starts);
        self.doc
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

    /// Takes one event; `range` is where it was written in the body.
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        self.track_leading(&event);
        // Inside an image only the alt text matters; inside code nothing does.
        if let Some(image) = self.image {
            match event {
                Event::End(TagEnd::Image) => self.image = None,
                Event::Text(t) | Event::Code(t) => self.doc.links[image.index()].text.push_str(&t),
                _ => {}
            }
            return;
        }
        if self.in_code {
            self.in_code = !matches!(event, Event::End(TagEnd::CodeBlock));
            return;
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some(OpenHeading {
                    id: id.map(|i| i.to_string()),
                    level,
                    start: range.start,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.finish_heading(),
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let (kind, dest) = super::link_of(link_type, &dest_url);
                let at = (self.locate)(range.clone());
                self.open_link = Some(self.add_link(kind, dest, at, &range));
            }
            Event::End(TagEnd::Link) => self.open_link = None,
            Event::Start(Tag::Image { dest_url, .. }) => {
                let at = (self.locate)(range.clone());
                self.image = Some(self.add_link(LinkKind::Image, dest_url.to_string(), at, &range));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => self.doc.anchors.push(name.to_string()),
            Event::Start(Tag::HtmlBlock) => self.html_block = Some(HtmlBlock::default()),
            Event::Html(html) if self.html_block.is_some() => {
                if let Some(block) = &mut self.html_block {
                    block.push(&html, range.start);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(block) = self.html_block.take() {
                    self.raw_html(&block.text, &|at| block.to_body(at));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                self.raw_html(&html, &|at| range.start + at);
            }
            Event::Text(text) | Event::Code(text) => self.add_text(&text),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => self.add_plain(" "),
            _ => {}
        }
    }

    /// Reads the URLs and ids of a piece of raw HTML (`to_body` maps its offsets to the body):
    /// each URL becomes a link of the page, located at its attribute value.
    fn raw_html(&mut self, html: &str, to_body: &dyn Fn(usize) -> usize) {
        self.follow_nesting(html, to_body);
        let mut refs = Vec::new();
        let anchors = &mut self.doc.anchors;
        raw_html::for_each_start_tag(html, |tag| {
            anchors.extend(raw_html::anchor_ids(tag).map(str::to_string));
            refs.extend(raw_html::url_refs(tag, html));
        });
        for r in refs {
            let kind = match r.role {
                raw_html::UrlRole::Image => LinkKind::Image,
                raw_html::UrlRole::Link => LinkKind::Link,
            };
            let in_body = to_body(r.span.start)..to_body(r.span.end);
            let mut at = (self.locate)(in_body.clone());
            at.len = at.len.min(r.url.chars().count() as u32).max(1);
            let link = self.add_link(kind, r.url, at, &in_body);
            self.doc.links[link.index()].html = Some(r.attr);
        }
    }

    /// Link, heading and plain text accumulate from the same text events.
    fn add_text(&mut self, text: &str) {
        match &mut self.heading {
            Some(heading) => heading.text.push_str(text),
            None => self.add_plain(text),
        }
        if let Some(open) = self.open_link {
            self.doc.links[open.index()].text.push_str(text);
        }
    }

    /// Adds to the excerpt's text until it surely holds `EXCERPT_CHARS` characters (4 bytes a
    /// character at most), so long pages cost no more than short ones.
    fn add_plain(&mut self, text: &str) {
        if self.text.len() <= EXCERPT_CHARS * 4 {
            self.text.push_str(text);
        }
    }

    /// Records a link written at `range` of the body, placed at `at`.
    fn add_link(
        &mut self,
        kind: LinkKind,
        dest: String,
        at: Location,
        range: &Range<usize>,
    ) -> LinkId {
        let id = LinkId(self.doc.links.len() as u32);
        self.doc.links.push(Link {
            id,
            kind,
            dest,
            text: String::new(),
            line: at.line,
            column: at.column,
            len: at.len,
            origin: at.origin,
            html: None,
            span: super::span(range),
        });
        id
    }

    fn finish_heading(&mut self) {
        let Some(OpenHeading {
            id,
            level,
            start,
            text,
        }) = self.heading.take()
        else {
            return;
        };
        let text = text.trim().to_string();
        let id = self.ids.assign(id, &text);
        let level = level as u8;
        if level == 1 && self.doc.title.is_none() {
            self.doc.title = Some(text.clone());
        }
        if self.leading == Leading::Title {
            self.leading = Leading::Done;
            // The opening heading is the first one: `headings[0]`.
            self.doc.starts_with_title = self.doc.headings.is_empty();
        }
        self.doc.headings.push(Heading { level, id, text });
        self.heading_starts.push(start);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> Document {
        scan("p.md", body, 0)
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
        assert_eq!(
            d.links.iter().map(|l| l.id).collect::<Vec<_>>(),
            [LinkId(0), LinkId(1)]
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
    fn raw_html_ids_are_anchors_and_urls_are_links_at_their_value() {
        let d = doc(
            "<a id=\"legacy\"></a>\n\n<div name='old'>x</div>\n\nSee <a href=\"x.html\">x</a>.\n",
        );
        assert!(d.has_anchor("legacy") && d.has_anchor("old"));
        let link = &d.links[0];
        assert_eq!((link.dest.as_str(), link.html), ("x.html", Some("a href")));
        assert_eq!((link.line, link.column, link.len), (5, 14, 6));
    }

    #[test]
    fn undefined_reference_links_warn() {
        let d = doc("See [the guide][guide].\n");
        assert_eq!(d.diagnostics.len(), 1);
        assert!(d.diagnostics[0].message.contains("[guide]"));
        assert_eq!((d.diagnostics[0].line, d.diagnostics[0].column), (1, 5));
    }

    #[test]
    fn the_title_is_the_opening_heading_after_comments_only() {
        let cases = [
            ("# T\n\ntext\n", true),
            ("<!-- licence\n  header -->\n\n# T\n", true),
            ("Intro.\n\n# T\n", false),
            ("<div>x</div>\n\n# T\n", false),
            ("## T\n\n# U\n", false),
        ];
        for (body, starts) in cases {
            let d = doc(body);
            assert_eq!(d.starts_with_title, starts, "{body:?}");
            assert!(d.title.is_some(), "{body:?}");
        }
    }
}

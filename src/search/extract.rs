//! Render stage, search: a page's Markdown body becomes its searchable sections — the text a
//! reader sees under each heading, with code kept apart (it is weighted lower) and markup,
//! raw-HTML tags, scripts and comments left out. Navigation and other chrome come from the
//! theme, never from the body, so they are never indexed.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::lanes;
use crate::markdown::{Document, Tap};
use crate::page::Page;

/// The text under one heading (or, for the first section, before any heading).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Section {
    /// The heading's anchor; empty for the text before the first heading (the page's top).
    pub id: String,
    /// The heading's text; empty for the text before the first heading.
    pub heading: String,
    /// Prose: paragraphs, lists, tables, quotes, inline code and the text of raw HTML, with
    /// whitespace collapsed.
    pub text: String,
    /// The text of code blocks, whitespace collapsed.
    pub code: String,
}

/// A page's sections as a build holds them from its render to the write stage: every
/// section's anchor, heading, text and code one after the other in one string of the exact
/// size, and where each ends. Four strings a section, grown as the text came, took 63 MB for
/// the 37 MB of text of the 10,001-page bench site, in 240,000 allocations.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageSections {
    text: String,
    /// For each section, where its anchor, heading, text and code end in `text`.
    ends: Vec<[u32; 4]>,
}

/// One section of `PageSections`, borrowed: the fields of `Section`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionText<'a> {
    pub id: &'a str,
    pub heading: &'a str,
    pub text: &'a str,
    pub code: &'a str,
}

impl PageSections {
    /// The sections `parts` (anchor, heading, text, code each).
    fn of<'a>(kept: impl Iterator<Item = [&'a str; 4]> + Clone) -> PageSections {
        let size = kept.clone().flatten().map(str::len).sum();
        let mut sections = PageSections {
            text: String::with_capacity(size),
            ends: Vec::with_capacity(kept.clone().count()),
        };
        for part in kept {
            sections.ends.push(part.map(|p| {
                sections.text.push_str(p);
                sections.text.len() as u32
            }));
        }
        sections
    }

    /// The sections, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = SectionText<'_>> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |ends| {
            let [id, heading, text, code] = ends.map(|end| {
                let part = &self.text[start..end as usize];
                start = end as usize;
                part
            });
            SectionText {
                id,
                heading,
                text,
                code,
            }
        })
    }

    /// The sections as owned values.
    #[cfg(test)]
    pub fn to_vec(&self) -> Vec<Section> {
        self.iter()
            .map(|s| Section {
                id: s.id.to_string(),
                heading: s.heading.to_string(),
                text: s.text.to_string(),
                code: s.code.to_string(),
            })
            .collect()
    }
}

#[cfg(test)]
impl<'a> FromIterator<&'a Section> for PageSections {
    fn from_iter<I: IntoIterator<Item = &'a Section>>(sections: I) -> PageSections {
        let sections: Vec<&Section> = sections.into_iter().collect();
        PageSections::of(
            sections
                .iter()
                .map(|s| [&*s.id, &*s.heading, &*s.text, &*s.code]),
        )
    }
}

/// The sections of `page` read on their own: a Markdown body's events walked as its render
/// walks them (`markdown::visit`), an HTML page's body as HTML. What `Sections` gathers
/// during the render, without rendering.
pub fn sections(page: &Page) -> PageSections {
    let text = page.expanded.as_deref().unwrap_or(&page.text);
    let body = text.get(page.body_offset..).unwrap_or("");
    if page.is_html() {
        return html_sections(body);
    }
    let mut sections = Sections::new(&page.doc);
    crate::markdown::visit(text, page.body_offset, &mut |event, range| {
        sections.event(event, range)
    });
    sections.finish()
}

/// Runs `render` (a page's render, `Page::render_tapped`) with a tap gathering the sections of
/// `page` from its events: what `sections` gives, without a second walk. An HTML page's
/// render has no events: its body is read as HTML.
pub fn sections_while<R>(
    page: &Page,
    render: impl FnOnce(Option<&mut Tap<'_>>) -> R,
) -> (R, PageSections) {
    if page.is_html() {
        return (render(None), sections(page));
    }
    let mut gathered = Sections::new(&page.doc);
    let rendered = render(Some(&mut |event, range| gathered.event(event, range)));
    (rendered, gathered.finish())
}

/// The sections of an HTML page's body: its visible text, as one section.
pub fn html_sections(body: &str) -> PageSections {
    let mut text = Collapsed::default();
    HtmlText::default().feed(body, &mut text);
    finish(vec![Building {
        text,
        ..Building::default()
    }])
}

/// Gathers a Markdown body's sections from the events of its walk (a `markdown::Tap`), cut
/// at every heading; each heading's anchor is the id the scan gave the heading starting
/// there (`doc`, the page's outline), so it is the id the rendered page carries.
pub struct Sections<'d> {
    doc: &'d Document,
    sections: Vec<Building>,
    /// The heading being read: its text, and its index in the outline.
    heading: Option<(Collapsed, Option<usize>)>,
    in_code: bool,
    html: HtmlText,
}

impl<'d> Sections<'d> {
    pub fn new(doc: &'d Document) -> Self {
        Sections {
            doc,
            sections: vec![Building::default()],
            heading: None,
            in_code: false,
            html: HtmlText::default(),
        }
    }

    /// Takes one event of the walk; `range` is where it was written in the body.
    pub fn event(&mut self, event: &Event<'_>, range: &Range<usize>) {
        let sections = &mut self.sections;
        match event {
            Event::Start(Tag::Heading { .. }) => {
                self.heading = Some((Collapsed::default(), self.doc.heading_at(range.start)))
            }
            Event::End(TagEnd::Heading(_)) => {
                let (text, found) = self.heading.take().unwrap_or_default();
                let text = text.finish();
                // The scan sees every heading the render does; `slugify` is the render's own
                // fallback for one it did not.
                let id = match found {
                    Some(i) => self.doc.headings[i].id.clone(),
                    None => crate::markdown::slugify(&text),
                };
                sections.push(Building {
                    id,
                    heading: text,
                    ..Building::default()
                });
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                current(sections).code.space();
            }
            Event::Text(text) | Event::Code(text) => match (&mut self.heading, self.in_code) {
                (Some((h, _)), _) => h.push_str(text),
                (None, true) => current(sections).code.push_str(text),
                (None, false) => current(sections).text.push_str(text),
            },
            Event::Html(raw) | Event::InlineHtml(raw) => {
                let target = match &mut self.heading {
                    Some((h, _)) => h,
                    None => &mut current(sections).text,
                };
                self.html.feed(raw, target);
            }
            Event::SoftBreak | Event::HardBreak => match &mut self.heading {
                Some((h, _)) => h.space(),
                None => current(sections).text.space(),
            },
            // Block ends separate words that would otherwise run together.
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::HtmlBlock
                | TagEnd::FootnoteDefinition,
            ) => current(sections).text.space(),
            _ => {}
        }
    }

    /// The sections read, empty ones dropped.
    pub fn finish(self) -> PageSections {
        finish(self.sections)
    }
}

/// The sections gathered, empty ones dropped.
fn finish(sections: Vec<Building>) -> PageSections {
    PageSections::of(
        sections
            .iter()
            .map(|s| [&*s.id, &*s.heading, &*s.text.text, &*s.code.text])
            .filter(|part| part[1..].iter().any(|p| !p.is_empty())),
    )
}

/// A section while its text is gathered.
#[derive(Default)]
struct Building {
    id: String,
    heading: String,
    text: Collapsed,
    code: Collapsed,
}

fn current(sections: &mut [Building]) -> &mut Building {
    sections
        .last_mut()
        .expect("there is always a first section")
}

/// Text with its whitespace collapsed as it is added: each run of whitespace becomes one space,
/// none at either end (what `split_whitespace` and a join would give, without a second copy).
#[derive(Default)]
struct Collapsed {
    text: String,
    /// Whitespace was added after the last word: a space goes before the next one.
    space: bool,
}

impl Collapsed {
    fn push_str(&mut self, text: &str) {
        // Byte by byte, the text kept in runs copied whole: a run goes on over single spaces
        // between words (most of a page's text), and ends at any other whitespace — the cut of
        // `char::is_whitespace`, ASCII or not.
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut at = 0;
        while at < bytes.len() {
            // Sixteen bytes at once: kept are printable ASCII and single spaces between two
            // of them (the byte before `at`, if it is printable, is in the run); from the
            // first other byte on, one by one.
            at = lanes::find(bytes, at, |chunk| {
                let plain = lanes::within(chunk, b'!', 0x7f);
                let single = lanes::equal(chunk, b' ') & (plain << 1) & (plain >> 1);
                !(plain | single)
            });
            if at == bytes.len() {
                break;
            }
            let byte = bytes[at];
            let width = whitespace_width(text, at);
            if width == 0 {
                at += 1;
                continue;
            }
            let next = bytes.get(at + 1).copied().unwrap_or(0);
            if byte == b' ' && at > start && next > b' ' && next < 0x80 {
                at += 1;
                continue;
            }
            self.piece(&text[start..at]);
            self.space();
            at += width;
            start = at;
        }
        self.piece(&text[start..]);
    }

    /// A run of text without whitespace.
    fn piece(&mut self, piece: &str) {
        if !piece.is_empty() {
            if std::mem::take(&mut self.space) {
                self.text.push(' ');
            }
            self.text.push_str(piece);
        }
    }

    fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    /// Separates what comes next from what came before (nothing at the start).
    fn space(&mut self) {
        self.space = !self.text.is_empty();
    }

    fn finish(self) -> String {
        self.text
    }
}

/// The length in bytes of the whitespace character at byte `at` of `text` (`char::is_whitespace`),
/// 0 when there is none there. Only the lead bytes of Unicode's other spaces (U+0085, U+00A0,
/// U+1680, U+2000–U+205F, U+3000) are decoded.
fn whitespace_width(text: &str, at: usize) -> usize {
    match text.as_bytes()[at] {
        b'\t'..=b'\r' | b' ' => 1,
        0xC2 | 0xE1 | 0xE2 | 0xE3 => match text[at..].chars().next() {
            Some(c) if c.is_whitespace() => c.len_utf8(),
            _ => 0,
        },
        _ => 0,
    }
}

/// The visible text of raw HTML, fed piece by piece (a block arrives line by line, inline HTML
/// tag by tag): tags, comments and the insides of `<script>`, `<style>` and `<template>` are
/// dropped; entities are decoded. State carries over between pieces.
#[derive(Default)]
struct HtmlText {
    /// Inside a tag, a comment, or an element whose content is not shown (its closing tag).
    state: HtmlState,
}

#[derive(Default, PartialEq)]
enum HtmlState {
    #[default]
    Text,
    Tag,
    Comment,
    /// Skipping until `</name`.
    Hidden(&'static str),
}

const HIDDEN: [&str; 4] = ["script", "style", "template", "noscript"];

impl HtmlText {
    fn feed(&mut self, html: &str, out: &mut Collapsed) {
        let mut rest = html;
        while !rest.is_empty() {
            match self.state {
                HtmlState::Text => match rest.find('<') {
                    Some(at) => {
                        decode_into(&rest[..at], out);
                        rest = &rest[at..];
                        if rest.starts_with("<!--") {
                            self.state = HtmlState::Comment;
                            rest = &rest[4..];
                        } else if let Some(name) = HIDDEN.iter().find(|n| opens(rest, n)) {
                            self.state = HtmlState::Hidden(name);
                            rest = &rest[1..];
                        } else if rest[1..].starts_with(|c: char| {
                            c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?'
                        }) {
                            // Block-level tags separate words; inline ones (`<b>`) do not.
                            if is_block_tag(rest) {
                                out.space();
                            }
                            self.state = HtmlState::Tag;
                            rest = &rest[1..];
                        } else {
                            out.push('<');
                            rest = &rest[1..];
                        }
                    }
                    None => {
                        decode_into(rest, out);
                        rest = "";
                    }
                },
                HtmlState::Tag => match rest.find('>') {
                    Some(at) => {
                        self.state = HtmlState::Text;
                        rest = &rest[at + 1..];
                    }
                    None => rest = "",
                },
                HtmlState::Comment => match rest.find("-->") {
                    Some(at) => {
                        self.state = HtmlState::Text;
                        rest = &rest[at + 3..];
                    }
                    None => rest = "",
                },
                HtmlState::Hidden(name) => {
                    let lower = rest.to_ascii_lowercase();
                    match lower.find(&format!("</{name}")) {
                        Some(at) => {
                            self.state = HtmlState::Tag;
                            rest = &rest[at + 2..];
                        }
                        None => rest = "",
                    }
                }
            }
        }
    }
}

/// Whether `html` (starting with `<`) opens element `name`.
fn opens(html: &str, name: &str) -> bool {
    let after = &html[1..];
    after.len() >= name.len()
        && after[..name.len()].eq_ignore_ascii_case(name)
        && after[name.len()..].starts_with(|c: char| c == '>' || c == '/' || c.is_whitespace())
}

fn is_block_tag(html: &str) -> bool {
    const INLINE: [&str; 16] = [
        "a", "abbr", "b", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span", "strong",
        "sub", "sup", "u",
    ];
    let name: String = html[1..]
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    !INLINE.contains(&name.as_str())
}

/// Appends `text` with HTML entities decoded (the common named ones and numeric ones; an
/// unknown entity stays as written).
fn decode_into(text: &str, out: &mut Collapsed) {
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map(|e| e + 1);
        let decoded = match end {
            Some(end) if rest[end..].starts_with(';') => {
                entity(&rest[1..end]).map(|c| (c, end + 1))
            }
            _ => None,
        };
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "rarr" => '→',
        "larr" => '←',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "times" => '×',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::lanes::LANES;
    use super::*;
    use crate::highlight::Highlighter;
    use crate::markdown::ResolvedLinks;

    fn page(source: &str, text: &str) -> Page {
        Page::parse(source, text.as_bytes().to_vec())
    }

    /// The sections of a Markdown body, read alone.
    fn of(body: &str) -> Vec<Section> {
        sections(&page("x/a.md", body)).to_vec()
    }

    fn section(id: &str, heading: &str, text: &str, code: &str) -> Section {
        Section {
            id: id.into(),
            heading: heading.into(),
            text: text.into(),
            code: code.into(),
        }
    }

    /// The sections gathered while `page` renders, and its rendered body.
    fn during_render(page: &Page) -> (Vec<Section>, String) {
        let links = ResolvedLinks::new(&page.doc, |l| l.dest.clone());
        let highlighter = Highlighter::new();
        let (body, gathered) =
            sections_while(page, |tap| page.render_tapped(&links, &highlighter, tap));
        let html = body.title.map_or(String::new(), |t| t.heading) + &body.html;
        (gathered.to_vec(), html)
    }

    #[test]
    fn a_pages_sections_are_held_in_one_string_of_their_exact_size() {
        let body = "Intro.\n\n## Tokens\n\nRefresh *them*.\n\n```\nx=1\n```\n\n## Empty\n\n## Last\n\nDone.\n";
        let held = sections(&page("x/a.md", body));
        assert_eq!(held.text.len(), held.text.capacity());
        assert_eq!(
            held.to_vec(),
            [
                section("", "", "Intro.", ""),
                section("tokens", "Tokens", "Refresh them.", "x=1"),
                section("empty", "Empty", "", ""),
                section("last", "Last", "Done.", ""),
            ]
        );
        assert_eq!(held.to_vec().iter().collect::<PageSections>(), held);
    }

    #[test]
    fn text_is_cut_into_sections_at_headings_with_their_anchors() {
        let body = "Intro *text*\nover two lines.\n\n## Refresh Tokens {#refresh}\n\n- one\n- `two`\n\n```json\n{\"a\": 1}\n```\n\n### Errors\n\n| code | meaning |\n|---|---|\n| 429 | Too many |\n";
        assert_eq!(
            of(body),
            [
                section("", "", "Intro text over two lines.", ""),
                section("refresh", "Refresh Tokens", "one two", "{\"a\": 1}"),
                section("errors", "Errors", "code meaning 429 Too many", ""),
            ]
        );
    }

    #[test]
    fn repeated_headings_take_their_own_anchors_and_empty_sections_are_dropped() {
        let body = "## Example\n\n## Example\n\nSecond.\n";
        assert_eq!(
            of(body),
            [
                section("example", "Example", "", ""),
                section("example-1", "Example", "Second.", ""),
            ]
        );
    }

    #[test]
    fn raw_html_gives_its_text_without_tags_scripts_or_comments() {
        let body = "<div class=\"callout\">\n<p>Send the <b>Retry-After</b> header &amp; wait&#8230;</p>\n<!-- hidden\nnote -->\n<script>var x = \"<p>no</p>\";</script>\n<style>p { color: red }</style>\n</div>\n\nA <span>tag</span>ged word and 3 < 4.\n";
        assert_eq!(
            of(body),
            [section(
                "",
                "",
                "Send the Retry-After header & wait… A tagged word and 3 < 4.",
                ""
            )]
        );
    }

    #[test]
    fn whitespace_is_collapsed_as_split_whitespace_would() {
        let table = [
            "plain words only",
            "  lead and trail  ",
            "tab\tand\nnew\r\nlines\x0b\x0cfeeds",
            "two  spaces, then one",
            "nbsp\u{a0}here \u{a0} and\u{85}next\u{1680}ogham",
            "wide\u{3000}space\u{2009}thin\u{202f}narrow\u{205f}math\u{2028}line",
            "not spaces: é ü \u{2010} \u{3001}\u{e1}",
            "ctrl\x01kept\x1f",
            " ",
            "",
            "x",
            "end ",
            "\u{a0}",
            "eight by eight bytes of text  with  doubles   and\ttabs\n\nand a very long line of words a b c d e f g h",
            "12345678 12345678  12345678\u{a0}12345678        x",
        ];
        for text in table {
            collapses_as_split_whitespace(text);
        }
    }

    /// Asserts that `text`, pushed whole, collapses as `split_whitespace` and a join give.
    fn collapses_as_split_whitespace(text: &str) {
        let mut collapsed = Collapsed::default();
        collapsed.push_str(text);
        let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(collapsed.finish(), want, "{text:?}");
    }

    #[test]
    fn a_space_or_other_byte_in_any_lane_collapses_as_split_whitespace_would() {
        // Sixteen bytes are kept at once when printable or single spaces between: each other
        // kind of byte, and a space, a double, a space beside a tab, in every lane of the
        // first two chunks.
        let odd = [
            " ", "  ", " \t", "\t", "\n", "\u{a0}", "\u{3000}", "\x00", "é", "\x7f",
        ];
        for text in lanes::texts_with_pieces(&odd, 2 * LANES) {
            collapses_as_split_whitespace(&text);
        }
    }

    #[test]
    fn pieces_of_any_text_collapse_as_split_whitespace_would() {
        // Short texts over an alphabet of each kind of byte, whole and cut in two pieces.
        let alphabet = [
            "a", "Z", " ", "\t", "\n", "é", "\u{a0}", "\u{3000}", "\x01", "~",
        ];
        // Every text of up to four of them.
        let mut texts = vec![String::new()];
        let mut last = texts.clone();
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|t| alphabet.iter().map(move |a| format!("{t}{a}")))
                .collect();
            texts.extend(last.iter().cloned());
        }
        assert_eq!(texts.len(), 1 + 10 + 100 + 1_000 + 10_000);
        for (n, short) in texts.iter().enumerate() {
            // Padded so sixteen-byte chunks read them too, in lanes that move from text to text.
            let lead = &"lead text  of a page"[..n % 21];
            let text = format!("{lead}words {short} more{short}text and{short}");
            collapses_as_split_whitespace(&text);
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let cut = text.char_indices().map(|(at, _)| at).nth(9).unwrap_or(0);
            let mut pieces = Collapsed::default();
            pieces.push_str(&text[..cut]);
            pieces.push_str(&text[cut..]);
            assert_eq!(pieces.finish(), want, "{text:?} cut at {cut}");
        }
    }

    #[test]
    fn whitespace_is_collapsed_across_pieces_and_trimmed() {
        let mut text = Collapsed::default();
        text.space();
        for piece in ["  Send\n", "\tthe ", "", "to", "ken", " \u{a0} ", "now "] {
            text.push_str(piece);
        }
        text.space();
        text.push('!');
        text.space();
        assert_eq!(text.finish(), "Send the token now !");
        let body = "Line one\nline  two\n\n  * item   one\n\n```\n  fn  x()\n\n  y\n```\n";
        assert_eq!(
            of(body),
            [section("", "", "Line one line two item one", "fn x() y")]
        );
    }

    #[test]
    fn the_render_gathers_what_a_page_read_alone_gives_with_the_ids_it_writes() {
        // kramdown attribute lines (blanked for both passes), a `markdown="1"` element, a
        // callout, a footnote, an image's alt text, a lifted title and headings whose text
        // repeats or carries markup.
        let text = "---\ntitle: Setup\n---\n# Setup\n\nIntro with ![a diagram](d.png).\n{: .lead}\n\n## Tokens *expire*\n\n> **Note:** refresh them.[^1]\n\n<div markdown=\"1\">\n**Bold** inside.\n</div>\n\n## Tokens *expire*\n\n```bash\ncurl -H 'X: y'\n```\n\n[^1]: A footnote.\n";
        let page = page("x/setup.md", text);
        let (gathered, html) = during_render(&page);
        assert_eq!(gathered, sections(&page).to_vec());
        let ids: Vec<&str> = gathered.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["setup", "tokens-expire", "tokens-expire-1"]);
        for id in ids {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id} in {html}");
        }
        assert_eq!(gathered[0].text, "Intro with a diagram.");
        assert_eq!(gathered[1].heading, "Tokens expire");
        assert!(gathered[1].text.contains("refresh them."), "{gathered:?}");
        assert!(gathered[1].text.contains("Bold inside."), "{gathered:?}");
        assert_eq!(gathered[2].code, "curl -H 'X: y'");
        assert!(!html.contains("{: .lead}"), "{html}");
    }

    #[test]
    fn an_html_page_is_read_as_html() {
        let page = page(
            "x/raw.html",
            "---\ntitle: Raw\n---\n<h2 id=\"a\">Part</h2>\n\n    <p>Indented &amp; <em>kept</em></p>\n<script>no()</script>\n",
        );
        let want = [section("", "", "Part Indented & kept", "")];
        assert_eq!(sections(&page).to_vec(), want);
        assert_eq!(during_render(&page).0, want);
    }
}

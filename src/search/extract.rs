//! Render stage, search: a page's Markdown body becomes its searchable sections — the text a
//! reader sees under each heading, with code kept apart (it is weighted lower) and markup,
//! raw-HTML tags, scripts and comments left out. Navigation and other chrome come from the
//! theme, never from the body, so they are never indexed.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::markdown::Heading;

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

/// The sections of `body` (a page's Markdown after templating), cut at every heading; each
/// heading's anchor is taken from `headings` (the page's outline, whose ids the rendered page
/// carries), matched by text so the two passes cannot drift apart. Empty sections are dropped.
pub fn sections(body: &str, headings: &[Heading]) -> Vec<Section> {
    let mut used = vec![false; headings.len()];
    let mut sections = vec![Building::default()];
    let mut heading: Option<Collapsed> = None;
    let mut in_code = false;
    let mut html = HtmlText::default();
    for event in Parser::new_ext(body, crate::markdown::options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(Collapsed::default()),
            Event::End(TagEnd::Heading(_)) => {
                let text = heading.take().unwrap_or_default().finish();
                let id = anchor_for(&text, headings, &mut used);
                sections.push(Building {
                    id,
                    heading: text,
                    ..Building::default()
                });
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                current(&mut sections).code.space();
            }
            Event::Text(text) | Event::Code(text) => match (&mut heading, in_code) {
                (Some(h), _) => h.push_str(&text),
                (None, true) => current(&mut sections).code.push_str(&text),
                (None, false) => current(&mut sections).text.push_str(&text),
            },
            Event::Html(raw) | Event::InlineHtml(raw) => {
                let target = match &mut heading {
                    Some(h) => h,
                    None => &mut current(&mut sections).text,
                };
                html.feed(&raw, target);
            }
            Event::SoftBreak | Event::HardBreak => match &mut heading {
                Some(h) => h.space(),
                None => current(&mut sections).text.space(),
            },
            // Block ends separate words that would otherwise run together.
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::HtmlBlock
                | TagEnd::FootnoteDefinition,
            ) => current(&mut sections).text.space(),
            _ => {}
        }
    }
    sections
        .into_iter()
        .map(|s| Section {
            id: s.id,
            heading: s.heading,
            text: s.text.finish(),
            code: s.code.finish(),
        })
        .filter(|s| !(s.heading.is_empty() && s.text.is_empty() && s.code.is_empty()))
        .collect()
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
        if text.is_ascii() {
            // The common case, byte by byte: the same cut as `char::is_whitespace` (tab, line
            // feed, vertical tab, form feed, carriage return, space), without decoding chars.
            let mut start = 0;
            for (at, byte) in text.bytes().enumerate() {
                if matches!(byte, b'\t'..=b'\r' | b' ') {
                    self.piece(&text[start..at]);
                    self.space();
                    start = at + 1;
                }
            }
            self.piece(&text[start..]);
            return;
        }
        for (n, piece) in text.split(char::is_whitespace).enumerate() {
            if n > 0 {
                self.space();
            }
            self.piece(piece);
        }
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

/// The id of the first heading not yet used whose text is `text`.
fn anchor_for(text: &str, headings: &[Heading], used: &mut [bool]) -> String {
    let found = headings
        .iter()
        .enumerate()
        .find(|(i, h)| !used[*i] && h.text == text);
    match found {
        Some((i, h)) => {
            used[i] = true;
            h.id.clone()
        }
        None => crate::markdown::slugify(text),
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
    use super::*;

    fn heading(level: u8, id: &str, text: &str) -> Heading {
        Heading {
            level,
            id: id.into(),
            text: text.into(),
        }
    }

    fn section(id: &str, heading: &str, text: &str, code: &str) -> Section {
        Section {
            id: id.into(),
            heading: heading.into(),
            text: text.into(),
            code: code.into(),
        }
    }

    #[test]
    fn text_is_cut_into_sections_at_headings_with_their_anchors() {
        let body = "Intro *text*\nover two lines.\n\n## Refresh Tokens {#refresh}\n\n- one\n- `two`\n\n```json\n{\"a\": 1}\n```\n\n### Errors\n\n| code | meaning |\n|---|---|\n| 429 | Too many |\n";
        let headings = [
            heading(2, "refresh", "Refresh Tokens"),
            heading(3, "errors", "Errors"),
        ];
        assert_eq!(
            sections(body, &headings),
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
        let headings = [
            heading(2, "example", "Example"),
            heading(2, "example-1", "Example"),
        ];
        assert_eq!(
            sections(body, &headings),
            [
                section("example", "Example", "", ""),
                section("example-1", "Example", "Second.", ""),
            ]
        );
    }

    #[test]
    fn raw_html_gives_its_text_without_tags_scripts_or_comments() {
        let body = "<div class=\"callout\">\n<p>Send the <b>Retry-After</b> header &amp; wait&#8230;</p>\n<!-- hidden\nnote -->\n<script>var x = \"<p>no</p>\";</script>\n<style>p { color: red }</style>\n</div>\n\nA <span>tag</span>ged word and 3 < 4.\n";
        let found = sections(body, &[]);
        assert_eq!(
            found,
            [section(
                "",
                "",
                "Send the Retry-After header & wait… A tagged word and 3 < 4.",
                ""
            )]
        );
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
            sections(body, &[]),
            [section("", "", "Line one line two item one", "fn x() y")]
        );
    }

    #[test]
    fn a_heading_not_in_the_outline_gets_a_slug() {
        let body = "# Title\n\nText.\n";
        assert_eq!(
            sections(body, &[]),
            [section("title", "Title", "Text.", "")]
        );
    }
}

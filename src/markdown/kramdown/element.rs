//! kramdown's `markdown="1"` (`"block"`, `"span"`, `"0"`) on an HTML element: the element's
//! content is parsed as Markdown (inline only for `span`) and the attribute dropped; as in
//! kramdown the element ends at its close tag, and the lines after it are Markdown again.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use super::{Events, MAX_DEPTH, References, events};

/// The events of the HTML block at `block` (in `text`; `original` are pulldown-cmark's): as they
/// are, unless it holds an element with a `markdown` attribute, whose content is then Markdown.
pub(super) fn html<'a>(
    text: &'a str,
    block: Range<usize>,
    original: Events<'a>,
    base: usize,
    options: Options,
    depth: usize,
    references: &References,
) -> Events<'a> {
    if depth >= MAX_DEPTH || next_markdown_element(text, block.start, block.end).is_none() {
        return original;
    }
    let mut out: Events<'a> = Vec::new();
    let mut pos = block.start;
    while let Some(element) = next_markdown_element(text, pos, block.end) {
        let tag = &text[element.open.clone()];
        let mut before = text[pos..element.open.start].to_string();
        before.push_str(&without_markdown_attribute(tag));
        out.push((
            Event::Html(before.into()),
            pos + base..element.open.end + base,
        ));
        let close = close_tag(text, element.open.end, block.end, &element.name);
        let inner_end = close.unwrap_or(block.end);
        let inner = &text[element.open.end..inner_end];
        if element.mode != Mode::None {
            let at = base + element.open.end;
            let mut nested = parse(inner, at, options, depth + 1, references);
            if element.mode == Mode::Span {
                nested = unwrap_paragraph(nested);
            }
            out.extend(nested);
        } else {
            out.push((
                Event::Html(CowStr::Borrowed(inner)),
                element.open.end + base..inner_end + base,
            ));
        }
        pos = inner_end;
        if close.is_some() && depth < MAX_DEPTH {
            // As in kramdown, the element ends at its close tag: the rest of that line is
            // HTML, the lines after it Markdown again (CommonMark would keep them in the block).
            let close_end = tag_end(text, inner_end, block.end).unwrap_or(block.end);
            let line_end = text[close_end..block.end]
                .find('\n')
                .map_or(block.end, |i| close_end + i + 1);
            let rest = &text[line_end..block.end];
            if !rest.trim().is_empty() && next_markdown_element(text, pos, line_end).is_none() {
                out.push((
                    Event::Html(CowStr::Borrowed(&text[pos..line_end])),
                    pos + base..line_end + base,
                ));
                out.extend(parse(rest, base + line_end, options, depth + 1, references));
                return out;
            }
        }
    }
    if pos < block.end {
        out.push((
            Event::Html(CowStr::Borrowed(&text[pos..block.end])),
            pos + base..block.end + base,
        ));
    }
    out
}

/// The events of `text`, Markdown inside an element, which starts at byte `base` of the body:
/// parsed on its own, with the page's reference definitions (see `References`).
fn parse<'a>(
    text: &'a str,
    base: usize,
    options: Options,
    depth: usize,
    references: &References,
) -> Events<'a> {
    let resolve = |broken| references.resolve(broken, base);
    let parsed = Parser::new_with_broken_link_callback(text, options, Some(resolve));
    let parsed = parsed.into_offset_iter();
    references.learn(parsed.reference_definitions());
    events(text, base, parsed, options, depth, references)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// `markdown="0"`: HTML as written.
    None,
    Block,
    Span,
}

struct Element {
    /// The start tag.
    open: Range<usize>,
    name: String,
    mode: Mode,
}

/// The next start tag in `text[from..to]` with a `markdown` attribute.
fn next_markdown_element(text: &str, from: usize, to: usize) -> Option<Element> {
    let mut at = from;
    while let Some(i) = text[at..to].find('<') {
        let start = at + i;
        let rest = &text[start + 1..to];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            at = start + 1;
            continue;
        }
        let end = tag_end(text, start + 1 + name_len, to)?;
        let tag = &text[start..end];
        if let Some(mode) = markdown_attribute(tag) {
            return Some(Element {
                open: start..end,
                name: rest[..name_len].to_ascii_lowercase(),
                mode,
            });
        }
        at = end;
    }
    None
}

/// Where the tag whose attributes start at `from` ends (after its `>`), quotes respected.
fn tag_end(text: &str, from: usize, to: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text[from..to].char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return Some(from + i + 1),
            None => {}
        }
    }
    None
}

/// The `markdown` attribute of a start tag, if it has one.
pub(super) fn markdown_attribute(tag: &str) -> Option<Mode> {
    let (_, value) = find_markdown_attribute(tag)?;
    Some(match value.to_ascii_lowercase().as_str() {
        "0" => Mode::None,
        "span" => Mode::Span,
        _ => Mode::Block,
    })
}

/// The byte range of ` markdown="…"` in `tag`, and its value.
fn find_markdown_attribute(tag: &str) -> Option<(Range<usize>, &str)> {
    let lower = tag.to_ascii_lowercase();
    let mut at = 0;
    while let Some(i) = lower[at..].find("markdown") {
        let start = at + i;
        at = start + "markdown".len();
        let preceded = tag[..start].ends_with(char::is_whitespace);
        let rest = tag[at..].trim_start();
        if !preceded || !rest.starts_with('=') {
            continue;
        }
        let value_start = tag.len() - rest.len() + 1;
        let value_part = tag[value_start..].trim_start();
        let value_start = tag.len() - value_part.len();
        let (value, end) = match value_part.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let close = value_part[1..].find(q)? + 1;
                (&value_part[1..close], value_start + close + 1)
            }
            _ => {
                let len = value_part
                    .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                    .unwrap_or(value_part.len());
                (&value_part[..len], value_start + len)
            }
        };
        let space = tag[..start].len() - tag[..start].trim_end().len();
        return Some((start - space..end, value));
    }
    None
}

pub(super) fn without_markdown_attribute(tag: &str) -> String {
    match find_markdown_attribute(tag) {
        Some((range, _)) => format!("{}{}", &tag[..range.start], &tag[range.end..]),
        None => tag.to_string(),
    }
}

/// The start of the `</name>` closing the element whose content starts at `from`, nested
/// elements of the same name counted.
fn close_tag(text: &str, from: usize, to: usize, name: &str) -> Option<usize> {
    let lower = text[from..to].to_ascii_lowercase();
    let open = format!("<{name}");
    let close = format!("</{name}");
    let mut depth = 1;
    let mut at = 0;
    loop {
        let next_open = lower[at..].find(&open).map(|i| at + i);
        let next_close = lower[at..].find(&close).map(|i| at + i)?;
        match next_open {
            Some(o) if o < next_close => {
                let after = lower[o + open.len()..].chars().next();
                if after.is_some_and(|c| c.is_whitespace() || c == '>' || c == '/') {
                    depth += 1;
                }
                at = o + open.len();
            }
            _ => {
                depth -= 1;
                if depth == 0 {
                    return Some(from + next_close);
                }
                at = next_close + close.len();
            }
        }
    }
}

/// The events of one paragraph without the paragraph (`markdown="span"`); anything else as it is.
fn unwrap_paragraph(events: Events<'_>) -> Events<'_> {
    let first = matches!(events.first(), Some((Event::Start(Tag::Paragraph), _)));
    let last = matches!(events.last(), Some((Event::End(TagEnd::Paragraph), _)));
    let paragraphs = events
        .iter()
        .filter(|(e, _)| matches!(e, Event::Start(Tag::Paragraph)))
        .count();
    if first && last && paragraphs == 1 {
        let len = events.len();
        return events.into_iter().skip(1).take(len - 2).collect();
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_attributes_are_found_and_dropped() {
        let tag = "<div markdown=\"span\" class=\"alert\">";
        assert_eq!(markdown_attribute(tag), Some(Mode::Span));
        assert_eq!(without_markdown_attribute(tag), "<div class=\"alert\">");
        assert_eq!(markdown_attribute("<div markdown=1>"), Some(Mode::Block));
        assert_eq!(
            markdown_attribute("<div class='x' markdown='block'>"),
            Some(Mode::Block)
        );
        assert_eq!(markdown_attribute("<div markdown=\"0\">"), Some(Mode::None));
        assert_eq!(markdown_attribute("<div data-markdown=\"1\">"), None);
        assert_eq!(markdown_attribute("<div title=\"markdown\">"), None);
        assert_eq!(without_markdown_attribute("<p markdown=1>"), "<p>");
    }

    #[test]
    fn close_tags_count_nested_elements() {
        let text = "<div><div>a</div></div>rest";
        assert_eq!(close_tag(text, 5, text.len(), "div"), Some(17));
        assert_eq!(close_tag("x</divx", 0, 7, "div"), Some(1));
        assert_eq!(close_tag("no close", 0, 8, "div"), None);
    }
}

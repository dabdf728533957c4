//! The kramdown constructs Jekyll-era guides use, read from pulldown-cmark's events before both
//! Markdown passes (so they agree on every link and heading):
//!
//! - `markdown="1"`, `"block"` or `"span"` on an HTML element — typically a callout include,
//!   `<div markdown="span" class="alert">**Note:** {{include.content}}</div>` — renders its
//!   content as Markdown (`span`: inline only, no paragraph) and drops the attribute;
//! - a heading ending in `{…}` that is not an attribute list — `### PUT /instances/{id}` —
//!   keeps that text. pulldown-cmark takes any trailing braces as attributes; only `{#id}`,
//!   `{.class}`, `{key=value}` (and mixes) and kramdown's `{: …}` are;
//! - a line holding only a kramdown block attribute list (`{: .table .table-striped}` under a
//!   table) is never shown: CommonMark would read it as a table row or a paragraph. Under an ATX
//!   heading it applies to the heading (`{:.no_toc}`, `{: #id}`), as in kramdown;
//! - kramdown's table of contents, a one-item list `* TOC` (or `1. TOC`) followed by `{:toc}`,
//!   becomes a nested list of the page's headings linking to their ids, without those marked
//!   `{:.no_toc}`: `events` leaves a placeholder that `fill_tocs` fills once the headings' ids
//!   are known.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// How deep `markdown="1"` elements may nest inside each other.
const MAX_DEPTH: usize = 8;

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// `body` with every line that holds only a kramdown block attribute list (`{: …}`, outside
/// fenced code) turned into spaces, so byte offsets stay; `None` when there is none.
pub fn blank_block_attributes(body: &str) -> Option<String> {
    if !body.contains("{:") {
        return None;
    }
    let mut out: Option<String> = None;
    let mut fence: Option<(char, usize)> = None;
    let mut at = 0;
    let mut previous = "";
    for line in body.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let before = std::mem::replace(&mut previous, content);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let trimmed = content.trim();
        if indent < 4 {
            let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
            if let Some(c) = marker {
                let run = trimmed.chars().take_while(|x| *x == c).count();
                match fence {
                    None if run >= 3 => {
                        fence = Some((c, run));
                        continue;
                    }
                    Some((open, len)) if open == c && run >= len && trimmed.len() == run => {
                        fence = None;
                        continue;
                    }
                    _ => {}
                }
            }
        }
        let attribute_list = trimmed.starts_with("{:")
            && trimmed.ends_with('}')
            && !trimmed.starts_with("{::")
            && trimmed[1..].find(['{', '}']) == Some(trimmed.len() - 2);
        if fence.is_none() && indent < 4 && attribute_list {
            if toc_item(before).is_some() && is_toc_attribute(trimmed) {
                // `* TOC` + `{:toc}`: one list, which `events` replaces.
                continue;
            }
            let out = out.get_or_insert_with(|| body.to_string());
            let after_heading = is_atx_heading(before) && body[..start].ends_with('\n');
            if after_heading && indent == 0 {
                // `## Contents` + `{:.no_toc}`: the heading's attributes. The line break (and a
                // `\r` before it) becomes spaces, so every byte keeps its offset.
                let break_len = if body[..start].ends_with("\r\n") {
                    2
                } else {
                    1
                };
                out.replace_range(start - break_len..start, &" ".repeat(break_len));
                continue;
            }
            let blank = " ".repeat(content.len());
            out.replace_range(start..start + content.len(), &blank);
        }
    }
    out
}

/// Whether `line` is an ATX heading (`## Contents`), which a block attribute line under it
/// applies to.
fn is_atx_heading(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    indent < 4
        && (1..=6).contains(&hashes)
        && rest[hashes..].starts_with([' ', '\t'])
        && !rest[hashes..].trim().is_empty()
}

/// `* TOC`, `- TOC`, `+ TOC` → `Some(false)`; `1. TOC`, `1) TOC` → `Some(true)` (ordered).
fn toc_item(line: &str) -> Option<bool> {
    let line = line.trim();
    let text = line.strip_suffix("TOC")?.trim_end();
    if matches!(text, "*" | "-" | "+") {
        return Some(false);
    }
    let number = text.strip_suffix(['.', ')'])?;
    (!number.is_empty() && number.len() <= 9 && number.bytes().all(|b| b.is_ascii_digit()))
        .then_some(true)
}

/// `{:toc}` (kramdown also reads `{: toc}`).
fn is_toc_attribute(line: &str) -> bool {
    line.strip_prefix("{:")
        .and_then(|l| l.strip_suffix('}'))
        .is_some_and(|l| l.trim() == "toc")
}

/// Whether `source` (a list) is kramdown's table of contents, and if so whether it is ordered.
fn toc_list(source: &str) -> Option<bool> {
    let mut lines = source.lines().map(str::trim).filter(|l| !l.is_empty());
    let ordered = toc_item(lines.next()?)?;
    (lines.next().is_some_and(is_toc_attribute) && lines.next().is_none()).then_some(ordered)
}

/// What a table of contents placeholder starts with; see `fill_tocs`.
const TOC_PLACEHOLDER: &str = "<!--docgen-toc ";

/// The events of `text` (which starts at byte `base` of the body) from `parsed`, with kramdown's
/// constructs applied; ranges are in the body.
pub fn events<'a>(
    text: &'a str,
    base: usize,
    parsed: impl Iterator<Item = (Event<'a>, Range<usize>)>,
    options: Options,
    depth: usize,
) -> Events<'a> {
    let mut out: Events<'a> = Vec::new();
    // The HTML block being read, and its events as pulldown-cmark gave them.
    let mut html_block: Option<(Range<usize>, Events<'a>)> = None;
    // The heading being read: where its start event is in `out`, and where its text ends.
    let mut heading: Option<(usize, Range<usize>, usize)> = None;
    // Inside a `* TOC` list: how deep in lists (its events are dropped).
    let mut in_toc = 0usize;
    let mut tocs: Vec<usize> = Vec::new();
    for (event, range) in parsed {
        if in_toc > 0 {
            match event {
                Event::Start(Tag::List(_)) => in_toc += 1,
                Event::End(TagEnd::List(_)) => in_toc -= 1,
                _ => {}
            }
            continue;
        }
        if let Event::Start(Tag::List(_)) = event
            && heading.is_none()
            && html_block.is_none()
            && let Some(ordered) = text.get(range.clone()).and_then(toc_list)
        {
            in_toc = 1;
            tocs.push(out.len());
            let kind = if ordered { "ol" } else { "ul" };
            let placeholder = format!("{TOC_PLACEHOLDER}{kind}-->\n");
            out.push((Event::Html(placeholder.into()), shift(&range, base)));
            continue;
        }
        if let Some((block, events)) = &mut html_block {
            let end = matches!(event, Event::End(TagEnd::HtmlBlock));
            events.push((event, shift(&range, base)));
            if end {
                let (block, events) = (block.clone(), std::mem::take(events));
                html_block = None;
                out.extend(html(text, block, events, base, options, depth));
            }
            continue;
        }
        match event {
            Event::Start(Tag::HtmlBlock) => {
                html_block = Some((range.clone(), vec![(event, shift(&range, base))]));
                continue;
            }
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((out.len(), range.clone(), range.start));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, whole, inner_end)) = heading.take() {
                    heading_attributes(text, &mut out, start, whole, inner_end, base);
                }
            }
            Event::InlineHtml(ref inline) if markdown_attribute(inline).is_some() => {
                // Inline content is Markdown already: only the attribute goes.
                let cleaned = without_markdown_attribute(inline);
                out.push((Event::InlineHtml(cleaned.into()), shift(&range, base)));
                continue;
            }
            _ => {
                if let Some((_, _, inner_end)) = &mut heading {
                    *inner_end = (*inner_end).max(range.end);
                }
            }
        }
        out.push((event, shift(&range, base)));
    }
    if !tocs.is_empty() {
        // The headings left out: by their number among the body's headings.
        let skipped: Vec<String> = out
            .iter()
            .filter_map(|(event, _)| match event {
                Event::Start(Tag::Heading { classes, .. }) => Some(classes),
                _ => None,
            })
            .enumerate()
            .filter(|(_, classes)| classes.iter().any(|c| c.as_ref() == "no_toc"))
            .map(|(n, _)| n.to_string())
            .collect();
        for at in tocs {
            if let (Event::Html(placeholder), _) = &mut out[at] {
                let kind = &placeholder[TOC_PLACEHOLDER.len()..TOC_PLACEHOLDER.len() + 2];
                *placeholder = format!("{TOC_PLACEHOLDER}{kind} {}-->\n", skipped.join(",")).into();
            }
        }
    }
    out
}

/// A heading as the table of contents lists it: its level, id and text.
pub struct TocHeading<'a> {
    pub level: u8,
    pub id: &'a str,
    pub text: &'a str,
}

/// `html` with each table of contents placeholder `events` left replaced by kramdown's list of
/// `headings` (every heading of the body, in order; the first `hidden` are not in `html`, such
/// as a title the layout prints): `<ul id="markdown-toc">`, an entry per heading not marked
/// `{:.no_toc}`, nested by level. `None` when there is no placeholder.
pub fn fill_tocs(html: &str, headings: &[TocHeading<'_>], hidden: usize) -> Option<String> {
    let at = html.find(TOC_PLACEHOLDER)?;
    let end = html[at..].find("-->\n").map(|i| at + i + 4)?;
    let inner = &html[at + TOC_PLACEHOLDER.len()..end - 4];
    let (kind, skipped) = inner.split_once(' ').unwrap_or((inner, ""));
    let kind = if kind == "ol" { "ol" } else { "ul" };
    let skipped: Vec<usize> = skipped.split(',').filter_map(|n| n.parse().ok()).collect();
    let listed: Vec<&TocHeading<'_>> = headings
        .iter()
        .enumerate()
        .filter(|(n, _)| *n >= hidden && !skipped.contains(n))
        .map(|(_, h)| h)
        .collect();
    let mut roots: Vec<TocNode<'_>> = Vec::new();
    for h in listed {
        insert_node(&mut roots, h);
    }
    let mut list = String::new();
    if !roots.is_empty() {
        render_nodes(&roots, kind, true, &mut list);
    }
    let mut out = String::with_capacity(html.len() + list.len());
    out.push_str(&html[..at]);
    out.push_str(&list);
    out.push_str(&html[end..]);
    // A second `{:toc}` gets the same list.
    Some(fill_tocs(&out, headings, hidden).unwrap_or(out))
}

/// A table of contents entry and the deeper headings under it.
struct TocNode<'a> {
    heading: &'a TocHeading<'a>,
    children: Vec<TocNode<'a>>,
}

fn insert_node<'a>(siblings: &mut Vec<TocNode<'a>>, heading: &'a TocHeading<'a>) {
    match siblings.last_mut() {
        Some(last) if last.heading.level < heading.level => {
            insert_node(&mut last.children, heading)
        }
        _ => siblings.push(TocNode {
            heading,
            children: Vec::new(),
        }),
    }
}

fn render_nodes(nodes: &[TocNode<'_>], kind: &str, outer: bool, out: &mut String) {
    out.push_str(&format!("<{kind}"));
    if outer {
        out.push_str(" id=\"markdown-toc\"");
    }
    out.push_str(">\n");
    for node in nodes {
        out.push_str(&format!(
            "<li><a href=\"#{id}\" id=\"markdown-toc-{id}\">{text}</a>",
            id = escape(node.heading.id),
            text = escape(node.heading.text)
        ));
        if !node.children.is_empty() {
            out.push('\n');
            render_nodes(&node.children, kind, false, out);
        }
        out.push_str("</li>\n");
    }
    out.push_str(&format!("</{kind}>\n"));
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn shift(range: &Range<usize>, base: usize) -> Range<usize> {
    range.start + base..range.end + base
}

/// Decides what a heading's trailing `{…}` is. `out[start]` is its start event, `whole` its
/// range in `text` and `inner_end` where its last inline event ends.
fn heading_attributes<'a>(
    text: &'a str,
    out: &mut Events<'a>,
    start: usize,
    whole: Range<usize>,
    inner_end: usize,
    base: usize,
) {
    let Some((Event::Start(Tag::Heading { level, .. }), _)) = out.get(start) else {
        return;
    };
    let level = *level;
    let source = &text[whole.clone()];
    let line = source.lines().next().unwrap_or("").trim_end();
    let line_start = whole.start;
    let Some(open) = line.ends_with('}').then(|| line.rfind('{')).flatten() else {
        return;
    };
    if inner_end > line_start + open {
        // The braces are part of the text (escaped, or not at the end): not attributes.
        return;
    }
    let content = &line[open + 1..line.len() - 1];
    // `\{id}`: pulldown-cmark takes escaped braces as attributes too, leaving the backslash.
    let escaped = line[..open].ends_with('\\');
    if escaped && out.len() > start + 1 {
        if let Some((Event::Text(last), _)) = out.last_mut() {
            if let Some(kept) = last.strip_suffix('\\') {
                *last = CowStr::from(kept.to_string());
            }
        }
    }
    let parsed = if escaped {
        None
    } else {
        parse_attributes(content)
    };
    let (id, classes, attrs) = match parsed {
        Some(parsed) => parsed,
        None => {
            // Text, as written: `{id}` in `PUT /instances/{id}`.
            let from = if inner_end > line_start {
                inner_end
            } else {
                line_start + open
            };
            let suffix = &text[from..line_start + line.len()];
            out[start].0 = Event::Start(Tag::Heading {
                level,
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            });
            let at = from + base..line_start + line.len() + base;
            out.push((Event::Text(CowStr::Borrowed(suffix)), at));
            return;
        }
    };
    out[start].0 = Event::Start(Tag::Heading {
        level,
        id: id.map(CowStr::from),
        classes: classes.into_iter().map(CowStr::from).collect(),
        attrs: attrs
            .into_iter()
            .map(|(k, v)| (CowStr::from(k), v.map(CowStr::from)))
            .collect(),
    });
}

type Attributes = (Option<String>, Vec<String>, Vec<(String, Option<String>)>);

/// `#id .class key=value` (optionally after kramdown's `:`), or `None` when `content` is not
/// an attribute list.
fn parse_attributes(content: &str) -> Option<Attributes> {
    let content = content.trim();
    let (kramdown, content) = match content.strip_prefix(':') {
        Some(rest) => (true, rest.trim()),
        None => (false, content),
    };
    let mut id = None;
    let mut classes = Vec::new();
    let mut attrs = Vec::new();
    for token in split_tokens(content)? {
        if let Some(name) = token.strip_prefix('#').filter(|n| !n.is_empty()) {
            id = Some(name.to_string());
        } else if let Some(name) = token.strip_prefix('.').filter(|n| !n.is_empty()) {
            classes.push(name.to_string());
        } else if let Some((key, value)) = token.split_once('=').filter(|(k, _)| !k.is_empty()) {
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            attrs.push((key.to_string(), Some(value.to_string())));
        } else {
            return None;
        }
    }
    // `{}` is text; `{:}` is an (empty) kramdown list.
    if id.is_none() && classes.is_empty() && attrs.is_empty() && !kramdown {
        return None;
    }
    Some((id, classes, attrs))
}

/// `a b="c d" e` → `a`, `b="c d"`, `e`; `None` when a quote is never closed.
fn split_tokens(content: &str) -> Option<Vec<&str>> {
    let mut tokens = Vec::new();
    let mut start = None;
    let mut quote = None;
    for (i, c) in content.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    tokens.push(&content[s..i]);
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                start.get_or_insert(i);
            }
        }
    }
    if quote.is_some() {
        return None;
    }
    if let Some(s) = start {
        tokens.push(&content[s..]);
    }
    Some(tokens)
}

/// The events of the HTML block at `block` (in `text`; `original` are pulldown-cmark's): as they
/// are, unless it holds an element with a `markdown` attribute, whose content is then Markdown.
fn html<'a>(
    text: &'a str,
    block: Range<usize>,
    original: Events<'a>,
    base: usize,
    options: Options,
    depth: usize,
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
            let parsed = Parser::new_ext(inner, options).into_offset_iter();
            let mut nested = events(inner, base + element.open.end, parsed, options, depth + 1);
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
                let parsed = Parser::new_ext(rest, options).into_offset_iter();
                out.extend(events(rest, base + line_end, parsed, options, depth + 1));
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
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
fn markdown_attribute(tag: &str) -> Option<Mode> {
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

fn without_markdown_attribute(tag: &str) -> String {
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
    fn only_attribute_syntax_is_an_attribute_list() {
        // (inside the braces, is it an attribute list)
        let cases = [
            ("#id", true),
            (".class", true),
            ("#id .a .b key=value", true),
            ("key=\"a b\"", true),
            (": #id", true),
            (":#id .c", true),
            (":", true),
            ("id", false),
            ("name", false),
            ("id name", false),
            ("", false),
            ("#", false),
            ("#id extra", false),
            ("key=\"open", false),
        ];
        for (content, attribute) in cases {
            assert_eq!(
                parse_attributes(content).is_some(),
                attribute,
                "{content:?}"
            );
        }
        assert_eq!(
            parse_attributes(":#bar .c k='v w'"),
            Some((
                Some("bar".to_string()),
                vec!["c".to_string()],
                vec![("k".to_string(), Some("v w".to_string()))]
            ))
        );
    }

    #[test]
    fn block_attribute_lines_are_blanked_outside_code() {
        let body =
            "| a |\n|---|\n| 1 |\n{: .table}\n\n```\n{: kept}\n```\n  {:toc}\n{:: comment}\n";
        let blanked = blank_block_attributes(body).unwrap();
        assert_eq!(blanked.len(), body.len());
        assert_eq!(
            blanked,
            "| a |\n|---|\n| 1 |\n          \n\n```\n{: kept}\n```\n        \n{:: comment}\n"
        );
        assert_eq!(blank_block_attributes("no lists {: here} inline\n"), None);
        assert_eq!(blank_block_attributes("plain"), None);
    }

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

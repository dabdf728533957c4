//! Raw HTML, read with a real HTML tokenizer (`html5gum`): the start tags of a piece of HTML with
//! their attributes and where each value was written, the URL attributes among them (`<a href>`,
//! `<img src>`, every `srcset` candidate, …) and the ids a `#fragment` can name. Used by the parse
//! and render stages for raw HTML in Markdown and includes, and by the output check for every
//! page docgen writes. Pure. This is the one user of `html5gum`, and the one place that visits
//! raw-HTML attributes: a pass that needs another attribute (image sizes) hooks in here.

use std::convert::Infallible;
use std::ops::Range;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

mod urls;
use urls::URL_ATTRS;
pub use urls::{
    Edit, UrlRef, UrlRole, anchor_ids, apply_edits, rewrite_srcset, srcset_candidates, url_refs,
};

/// One attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    /// Lowercase, as HTML compares names.
    pub name: String,
    /// The value with character references decoded (`&amp;` → `&`).
    pub value: String,
    /// Byte range of the value as written in the input, quotes excluded; empty for an attribute
    /// without a value.
    pub span: Range<usize>,
}

/// A start tag with its attributes (the first of repeated names only, as browsers keep).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartTag {
    /// Lowercase.
    pub name: String,
    pub attrs: Vec<Attr>,
}

impl StartTag {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// Calls `visit` with every start tag of `html`, in order. Text inside `<script>`, `<style>`,
/// `<textarea>` and the like is text, as in a browser.
pub fn for_each_start_tag(html: &str, visit: impl FnMut(&StartTag)) {
    // Most HTML in Markdown is a closing tag or a `<br>`: skip the tokenizer when there cannot be
    // an attribute.
    if !html.contains('=') {
        return;
    }
    tokenize(html, true, &|at| at, visit);
}

/// `for_each_start_tag` for a whole page docgen rendered, visiting only the tags that can hold a
/// URL or an id, fast: a byte scan finds the start tags (`link_tag_spans`), and the tokenizer
/// reads just those tags, in one run. Spans are positions in `html`.
pub fn for_each_link_tag(html: &str, visit: impl FnMut(&StartTag)) {
    let spans = link_tag_spans(html);
    if spans.is_empty() {
        return;
    }
    let mut buffer = String::new();
    // (offset in `buffer`, offset in `html`) of each tag copied.
    let mut segments: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for span in spans {
        segments.push((buffer.len(), span.start));
        buffer.push_str(&html[span]);
        if !buffer.ends_with('>') {
            buffer.push('>');
        }
    }
    let to_html = |at: usize| {
        let n = segments.partition_point(|&(b, _)| b <= at);
        let (b, h) = segments[n.saturating_sub(1)];
        h + (at - b)
    };
    // The buffer holds start tags only, so the tokenizer must not switch to script text.
    tokenize(&buffer, false, &to_html, visit);
}

/// Where the start tags that can hold a URL or an id are in a whole page, in order, found by a
/// byte scan that skips text, comments and the text of `<script>`, `<style>`, `<textarea>` and
/// `<title>`. Each range runs from the `<` to just past the `>` that closes the tag as the
/// tokenizer reads it (to the end of `html` for a tag left open).
pub fn link_tag_spans(html: &str) -> Vec<Range<usize>> {
    let bytes = html.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr_lt(bytes, i) {
        i = lt + 1;
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            i = find(bytes, lt + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'>' | b'/'))
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        let end = tag_end(bytes, lt + 1 + name_end);
        let tag = &bytes[lt..end];
        // `name` makes an anchor only on `<a>`, which is read anyway (`<meta name>` is not one).
        if is_url_element(name) || has_attr(tag, b"id") {
            spans.push(lt..end);
        }
        i = end;
        for raw in [&b"script"[..], b"style", b"textarea", b"title"] {
            if name.eq_ignore_ascii_case(raw) {
                // Its text is not markup: go to its end tag.
                let mut close = Vec::with_capacity(raw.len() + 2);
                close.extend_from_slice(b"</");
                close.extend_from_slice(raw);
                i = find_ignore_case(bytes, end, &close).unwrap_or(bytes.len());
            }
        }
    }
    spans
}

/// One start tag from `link_tag_spans`, read on its own, when its text is plain — a name, then
/// attributes each a name with an optional quoted or unquoted value, separated by whitespace,
/// then `>` or `/>`, with none of the characters the tokenizer treats as errors (quotes or `<`
/// in names, `=` or quotes in unquoted values, NUL). Such a tag is read alike alone and in the
/// run of `for_each_link_tag` (it starts and ends in the tokenizer's data state), so what it
/// holds can be remembered by its text. Spans are positions in `text`. `None` when not plain.
pub fn read_plain_tag(text: &str) -> Option<StartTag> {
    let mut found = None;
    read_plain_tags(&[text], |_, tag| found = Some(tag.clone())).then_some(found)?
}

/// `read_plain_tag` for several tags: those with a character reference or a CR in one run of
/// the tokenizer (a run costs more to start than a tag to read), the others straight from their
/// bytes. `visit` gets each tag's index in `tags` (not in order) and the tag, spans relative to
/// its text. Returns `false`, having visited none, when a tag is not plain.
pub fn read_plain_tags(tags: &[&str], mut visit: impl FnMut(usize, &StartTag)) -> bool {
    if !tags.iter().all(|t| is_plain_tag(t.as_bytes())) {
        return false;
    }
    // Without character references and carriage returns, a plain tag's names and values are
    // its bytes as written (names lowercased): read those straight away, the rest with the
    // tokenizer.
    let mut buffer = String::with_capacity(tags.iter().map(|t| t.len()).sum());
    let mut starts = Vec::new();
    let mut read = Vec::new();
    for (n, tag) in tags.iter().enumerate() {
        if tag.contains(['&', '\r']) {
            starts.push(buffer.len());
            read.push(n);
            buffer.push_str(tag);
        } else {
            visit(n, &read_verbatim(tag));
        }
    }
    if read.is_empty() {
        return true;
    }
    let tags = read;
    let to_tag = |at: usize| at - starts[starts.partition_point(|&s| s <= at).saturating_sub(1)];
    // A plain tag is exactly one start tag, so the n-th tag read is `tags[n]`.
    let mut n = 0;
    tokenize(&buffer, false, &to_tag, |tag| {
        if let Some(&index) = tags.get(n) {
            visit(index, tag);
        }
        n += 1;
    });
    debug_assert_eq!(n, tags.len(), "one start tag per plain tag");
    true
}

/// A plain tag (`is_plain_tag`) without `&` or CR, read as the tokenizer reads it: the name and
/// attribute names lowercased (ASCII), the first of repeated names kept, values as written.
fn read_verbatim(text: &str) -> StartTag {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0c);
    let bytes = text.as_bytes();
    let end = bytes.len() - 1;
    let mut i = 1 + bytes[1..end]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    let mut tag = StartTag {
        name: text[1..i].to_ascii_lowercase(),
        attrs: Vec::new(),
    };
    loop {
        i += bytes[i..end].iter().take_while(|b| ws(b)).count();
        if i >= end || bytes[i..end] == *b"/" {
            return tag;
        }
        let name_start = i;
        i += bytes[i..end]
            .iter()
            .take_while(|b| !ws(b) && !matches!(b, b'=' | b'/'))
            .count();
        let name = text[name_start..i].to_ascii_lowercase();
        let name_end = i;
        let before = bytes[i..end].iter().take_while(|b| ws(b)).count();
        let (value, span) = if bytes.get(i + before) == Some(&b'=') {
            i += before + 1;
            i += bytes[i..end].iter().take_while(|b| ws(b)).count();
            match bytes[i] {
                quote @ (b'"' | b'\'') => {
                    let len = bytes[i + 1..end]
                        .iter()
                        .take_while(|&&b| b != quote)
                        .count();
                    let span = i + 1..i + 1 + len;
                    i += len + 2;
                    (&text[span.clone()], span)
                }
                _ => {
                    let len = bytes[i..end].iter().take_while(|b| !ws(b)).count();
                    let span = i..i + len;
                    i += len;
                    (&text[span.clone()], span)
                }
            }
        } else {
            ("", name_end..name_end)
        };
        if tag.attrs.iter().all(|a| a.name != name) {
            tag.attrs.push(Attr {
                name,
                value: value.to_string(),
                // The tokenizer places an empty value where the name ends.
                span: if value.is_empty() {
                    name_end..name_end
                } else {
                    span
                },
            });
        }
    }
}

/// Whether `tag` (`<` to `>`) is a start tag in the plain form `read_plain_tag` describes.
fn is_plain_tag(tag: &[u8]) -> bool {
    // HTML's whitespace (the tokenizer reads a CR as a line feed).
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c);
    let (Some(b'<'), Some(b'>')) = (tag.first(), tag.last()) else {
        return false;
    };
    let inner = &tag[1..tag.len() - 1];
    let mut i = inner
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-'))
        .unwrap_or(inner.len());
    if i == 0 || !inner[0].is_ascii_alphabetic() {
        return false;
    }
    loop {
        // The end, or `/>` (a `/` after an unquoted value is part of the value, read there).
        if matches!(&inner[i..], [] | [b'/']) {
            return true;
        }
        let gap = inner[i..].iter().take_while(|b| ws(b)).count();
        if gap == 0 {
            return false;
        }
        i += gap;
        if matches!(&inner[i..], [] | [b'/']) {
            return true;
        }
        let name = inner[i..]
            .iter()
            .take_while(|b| !ws(b) && !matches!(b, b'=' | b'"' | b'\'' | b'<' | b'>' | b'/' | 0))
            .count();
        if name == 0 {
            return false;
        }
        i += name;
        let before = inner[i..].iter().take_while(|b| ws(b)).count();
        if inner.get(i + before) != Some(&b'=') {
            // An attribute without a value.
            continue;
        }
        i += before + 1;
        i += inner[i..].iter().take_while(|b| ws(b)).count();
        match inner.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                let Some(close) = inner[i + 1..].iter().position(|&b| b == quote) else {
                    return false;
                };
                if inner[i + 1..i + 1 + close].contains(&0) {
                    return false;
                }
                i += close + 2;
            }
            Some(_) => {
                let value = inner[i..]
                    .iter()
                    .take_while(|b| {
                        !ws(b) && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'=' | b'`' | 0)
                    })
                    .count();
                // An unquoted value ends at whitespace or at the tag's end only.
                if value == 0 || inner.get(i + value).is_some_and(|b| !ws(b)) {
                    return false;
                }
                i += value;
            }
            None => return false,
        }
    }
}

/// Whether a tag name is one of `URL_ATTRS`' elements.
fn is_url_element(name: &[u8]) -> bool {
    name.len() <= 6
        && URL_ATTRS
            .iter()
            .any(|(element, ..)| name.eq_ignore_ascii_case(element.as_bytes()))
}

/// Whether the text of a start tag has an attribute `name` (lowercase) with a value
/// (` name=`, any case, as HTML compares names): each `=` is looked at, not each byte, for
/// this runs on every tag of every page. A `name=` inside a quoted value counts too, which
/// only sends the tag to the tokenizer to be read properly.
fn has_attr(tag: &[u8], name: &[u8]) -> bool {
    memchr::memchr_iter(b'=', tag).any(|equals| {
        let Some(end) = tag[..equals].iter().rposition(|b| !b.is_ascii_whitespace()) else {
            return false;
        };
        let end = end + 1;
        end > name.len()
            && tag[end - name.len()..end].eq_ignore_ascii_case(name)
            && tag[end - name.len() - 1].is_ascii_whitespace()
    })
}

/// A start or end tag of an element that must be closed explicitly (see `MUST_CLOSE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagMark {
    /// Lowercase.
    pub name: String,
    /// `</name>` rather than `<name …>`.
    pub end: bool,
    /// Byte range of the whole tag in the input.
    pub span: Range<usize>,
}

/// Elements whose end tag HTML never implies: one left open swallows the rest of the page and
/// the layout after it, a stray end tag closes the layout's own. Elements with optional end
/// tags (`p`, `li`, `td`, `tr`, `dt`, `dd`, `tbody`, …) and void ones are left out.
const MUST_CLOSE: &[&str] = &[
    "a",
    "article",
    "aside",
    "b",
    "blockquote",
    "button",
    "center",
    "code",
    "details",
    "div",
    "dl",
    "em",
    "figcaption",
    "figure",
    "font",
    "form",
    "i",
    "kbd",
    "label",
    "mark",
    "nav",
    "ol",
    "pre",
    "s",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "u",
    "ul",
];

/// The start and end tags of `MUST_CLOSE` elements in `html`, in order, as a browser reads
/// them: comments and the text of `<script>`, `<style>`, `<textarea>` and `<title>` are
/// skipped; a self-closing `<div/>` is taken as written (closed).
pub fn must_close_tags(html: &str) -> Vec<TagMark> {
    let bytes = html.as_bytes();
    let mut marks = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr_lt(bytes, i) {
        i = lt + 1;
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            i = find(bytes, lt + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let end = rest.first() == Some(&b'/');
        let name_start = lt + 1 + usize::from(end);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let close = tag_end(bytes, name_start + name_len);
        i = close;
        if !end && matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            let closing = format!("</{name}");
            i = find_ignore_case(bytes, close, closing.as_bytes()).unwrap_or(bytes.len());
            continue;
        }
        let self_closing = !end && close >= 2 && bytes[close - 2] == b'/';
        if MUST_CLOSE.contains(&name.as_str()) && !self_closing {
            marks.push(TagMark {
                name,
                end,
                span: lt..close,
            });
        }
    }
    marks
}

fn memchr_lt(bytes: &[u8], from: usize) -> Option<usize> {
    // The output check runs this over every page: memchr's vectorised search.
    memchr::memchr(b'<', bytes.get(from..)?).map(|p| from + p)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if needle.len() > 1 {
        return memchr::memmem::find(bytes.get(from..)?, needle).map(|p| from + p);
    }
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ignore_case(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

/// The index just past the `>` closing the start tag whose attributes start at `from`, as the
/// tokenizer reads it: quotes matter only for a value (right after `=`, whitespace between).
/// Jumps from quote to `>` to quote (`memchr3`), for this runs on every tag of every page.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(found) = memchr::memchr3(b'>', b'"', b'\'', &bytes[i..]) {
        let at = i + found;
        if bytes[at] == b'>' {
            return at + 1;
        }
        let value = bytes[from..at]
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .is_some_and(|before| bytes[from + before] == b'=');
        i = match value {
            // To just past the closing quote.
            true => match memchr::memchr(bytes[at], &bytes[at + 1..]) {
                Some(close) => at + close + 2,
                None => return bytes.len(),
            },
            false => at + 1,
        };
    }
    bytes.len()
}

/// Runs the tokenizer over `html`, visiting each start tag with spans mapped by `to_source`.
fn tokenize(
    html: &str,
    switch_states: bool,
    to_source: &dyn Fn(usize) -> usize,
    mut visit: impl FnMut(&StartTag),
) {
    let mut tag = StartTag::default();
    // Attributes of earlier tags, kept to reuse their strings: a page has thousands.
    let mut spare: Vec<Attr> = Vec::new();
    let mut in_start_tag = false;
    let mut skip_value = false;
    let mut emitter = CallbackEmitter::new(
        |event: CallbackEvent<'_>, span: Span<usize>| -> Option<Infallible> {
            match event {
                CallbackEvent::OpenStartTag { name } => {
                    tag.name.clear();
                    tag.name.push_str(&String::from_utf8_lossy(name));
                    spare.append(&mut tag.attrs);
                    in_start_tag = true;
                }
                CallbackEvent::AttributeName { name } if in_start_tag => {
                    let name = String::from_utf8_lossy(name);
                    skip_value = tag.attrs.iter().any(|a| a.name == name);
                    if !skip_value {
                        let mut attr = spare.pop().unwrap_or_else(|| Attr {
                            name: String::new(),
                            value: String::new(),
                            span: 0..0,
                        });
                        attr.name.clear();
                        attr.name.push_str(&name);
                        attr.value.clear();
                        let at = to_source(span.end);
                        attr.span = at..at;
                        tag.attrs.push(attr);
                    }
                }
                CallbackEvent::AttributeValue { value } if in_start_tag && !skip_value => {
                    if let Some(attr) = tag.attrs.last_mut() {
                        attr.value.push_str(&String::from_utf8_lossy(value));
                        attr.span = to_source(span.start)..to_source(span.end);
                    }
                }
                CallbackEvent::CloseStartTag { .. } if in_start_tag => {
                    in_start_tag = false;
                    visit(&tag);
                }
                CallbackEvent::EndTag { .. } => in_start_tag = false,
                _ => {}
            }
            None
        },
    );
    emitter.naively_switch_states(switch_states);
    // Reading a `&str` cannot fail.
    let _ = Tokenizer::new_with_emitter(html, emitter).finish();
}

#[cfg(test)]
mod tests;

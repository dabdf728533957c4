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

use crate::highlight::escape;

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
/// URL or an id, fast: a byte scan finds the start tags (skipping text, comments and the text
/// of `<script>`, `<style>`, `<textarea>` and `<title>`), and the tokenizer reads just those
/// tags, in one run. Spans are positions in `html`.
pub fn for_each_link_tag(html: &str, visit: impl FnMut(&StartTag)) {
    let bytes = html.as_bytes();
    let mut buffer = String::new();
    // (offset in `buffer`, offset in `html`) of each tag copied.
    let mut segments: Vec<(usize, usize)> = Vec::new();
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
        let wanted = is_url_element(name) || has_attr(tag, b"id");
        if wanted {
            segments.push((buffer.len(), lt));
            buffer.push_str(&html[lt..end]);
            if !buffer.ends_with('>') {
                buffer.push('>');
            }
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
    if segments.is_empty() {
        return;
    }
    let to_html = |at: usize| {
        let n = segments.partition_point(|&(b, _)| b <= at);
        let (b, h) = segments[n.saturating_sub(1)];
        h + (at - b)
    };
    // The buffer holds start tags only, so the tokenizer must not switch to script text.
    tokenize(&buffer, false, &to_html, visit);
}

/// Whether a tag name is one of `URL_ATTRS`' elements.
fn is_url_element(name: &[u8]) -> bool {
    name.len() <= 6
        && URL_ATTRS
            .iter()
            .any(|(element, ..)| name.eq_ignore_ascii_case(element.as_bytes()))
}

/// Whether the text of a start tag has an attribute `name` with a value (` name=`).
fn has_attr(tag: &[u8], name: &[u8]) -> bool {
    let mut from = 0;
    while let Some(at) = find(tag, from, name) {
        from = at + 1;
        let before = at.checked_sub(1).map(|i| tag[i]);
        if !before.is_some_and(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let after = tag[at + name.len()..]
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        if after == Some(&b'=') {
            return true;
        }
    }
    false
}

fn memchr_lt(bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == b'<')
        .map(|p| from + p)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
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
/// tokenizer reads it: quotes matter only for a value (after `=`).
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut after_equals = false;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return i + 1,
            b'=' => after_equals = true,
            b'"' | b'\'' if after_equals => {
                let quote = bytes[i];
                i = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == quote)
                    .map_or(bytes.len(), |p| i + 1 + p);
                after_equals = false;
            }
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
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

/// What a URL attribute loads or links to, for messages ("broken image" or "broken link").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlRole {
    Link,
    Image,
}

/// A URL written in an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlRef {
    /// The URL, decoded (`a.html?x=1&y=2`), trimmed as browsers trim it.
    pub url: String,
    /// Where the URL itself was written in the input (for one `srcset` candidate, the candidate).
    pub span: Range<usize>,
    /// The attribute's value as written (quotes excluded): the whole `srcset` for a candidate.
    pub value_span: Range<usize>,
    /// `a href`, `img srcset`: for messages.
    pub attr: &'static str,
    pub role: UrlRole,
    /// Index of the `srcset` candidate; `None` for an attribute holding one URL.
    pub candidate: Option<usize>,
}

/// The attributes that hold URLs, by element.
const URL_ATTRS: &[(&str, &str, &str, UrlRole)] = &[
    ("a", "href", "a href", UrlRole::Link),
    ("area", "href", "area href", UrlRole::Link),
    ("img", "src", "img src", UrlRole::Image),
    ("img", "srcset", "img srcset", UrlRole::Image),
    ("source", "src", "source src", UrlRole::Link),
    ("source", "srcset", "source srcset", UrlRole::Image),
    ("video", "src", "video src", UrlRole::Link),
    ("video", "poster", "video poster", UrlRole::Image),
    ("audio", "src", "audio src", UrlRole::Link),
    ("track", "src", "track src", UrlRole::Link),
    ("iframe", "src", "iframe src", UrlRole::Link),
    ("embed", "src", "embed src", UrlRole::Link),
    ("object", "data", "object data", UrlRole::Link),
    ("link", "href", "link href", UrlRole::Link),
    ("script", "src", "script src", UrlRole::Link),
];

/// The URLs of one start tag, in attribute order; empty values (a link to the page itself) are
/// left out.
pub fn url_refs(tag: &StartTag, html: &str) -> Vec<UrlRef> {
    let mut refs = Vec::new();
    for &(element, attr_name, label, role) in URL_ATTRS {
        if tag.name != element {
            continue;
        }
        let Some(attr) = tag.attr(attr_name) else {
            continue;
        };
        if attr_name == "srcset" {
            // Candidate positions map onto the source only when no character reference changed
            // the value's length; otherwise each points at the value.
            let raw = html.get(attr.span.clone()) == Some(attr.value.as_str());
            for (n, range) in srcset_candidates(&attr.value).into_iter().enumerate() {
                let span = if raw {
                    attr.span.start + range.start..attr.span.start + range.end
                } else {
                    attr.span.clone()
                };
                refs.push(UrlRef {
                    url: attr.value[range].to_string(),
                    span,
                    value_span: attr.span.clone(),
                    attr: label,
                    role,
                    candidate: Some(n),
                });
            }
        } else {
            // Browsers strip leading and trailing ASCII whitespace from URL attributes.
            let url = attr.value.trim_matches(|c: char| c.is_ascii_whitespace());
            if url.is_empty() {
                continue;
            }
            let lead = attr.value.len() - attr.value.trim_start().len();
            let raw = html.get(attr.span.clone()) == Some(attr.value.as_str());
            let span = if raw {
                attr.span.start + lead..attr.span.start + lead + url.len()
            } else {
                attr.span.clone()
            };
            refs.push(UrlRef {
                url: url.to_string(),
                span,
                value_span: attr.span.clone(),
                attr: label,
                role,
                candidate: None,
            });
        }
    }
    refs
}

/// The ids a `#fragment` can name: every `id`, and `name` (old-style `<a name>` anchors).
pub fn anchor_ids(tag: &StartTag) -> impl Iterator<Item = &str> {
    tag.attrs
        .iter()
        .filter(|a| (a.name == "id" || a.name == "name") && !a.value.is_empty())
        .map(|a| a.value.as_str())
}

/// Byte ranges of the URLs of a `srcset` value, by the HTML standard's candidate parsing: a URL
/// is a run of non-whitespace (trailing commas are separators), its descriptors run to the next
/// comma outside parentheses.
pub fn srcset_candidates(value: &str) -> Vec<Range<usize>> {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut end = i;
        let trailing_comma = bytes[end - 1] == b',';
        while end > start && bytes[end - 1] == b',' {
            end -= 1;
        }
        if end > start {
            out.push(start..end);
        }
        if trailing_comma {
            continue;
        }
        // Descriptors (`2x`, `640w`), up to the next comma outside parentheses.
        let mut depth = 0usize;
        while i < bytes.len() {
            match bytes[i] {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b',' if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
    }
    out
}

/// An edit of raw HTML: the attribute value at `span` (as in `UrlRef::value_span`) becomes
/// `value`, written double-quoted and escaped whatever quoting it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub value: String,
}

/// `html` with the edits applied (they are sorted by position here; overlapping edits keep the
/// first).
pub fn apply_edits(html: &str, mut edits: Vec<Edit>) -> String {
    if edits.is_empty() {
        return html.to_string();
    }
    edits.sort_by_key(|e| e.span.start);
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 32 * edits.len());
    let mut at = 0;
    for edit in edits {
        let (mut start, mut end) = (edit.span.start, edit.span.end);
        // Take the quotes into the replaced range: an unquoted value gets quotes.
        if start > 0
            && matches!(bytes[start - 1], b'"' | b'\'')
            && bytes.get(end) == Some(&bytes[start - 1])
        {
            start -= 1;
            end += 1;
        } else if start == end && start > 1 && matches!(bytes[start - 1], b'"' | b'\'') {
            // An empty quoted value: `href=""`.
            start -= 1;
            end = (end + 1).min(bytes.len());
        }
        if start < at {
            continue;
        }
        out.push_str(&html[at..start]);
        out.push('"');
        out.push_str(&escape(&edit.value));
        out.push('"');
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

/// A `srcset` value with its candidates' URLs replaced by `urls` (in candidate order) and the
/// descriptors kept: `a.png 1x, b.png 2x`.
pub fn rewrite_srcset(value: &str, urls: &[String]) -> String {
    let mut out = String::with_capacity(value.len() + 16);
    let mut at = 0;
    for (range, url) in srcset_candidates(value).into_iter().zip(urls) {
        out.push_str(&value[at..range.start]);
        out.push_str(url);
        at = range.end;
    }
    out.push_str(&value[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(html: &str) -> Vec<(String, &'static str, String)> {
        let mut found = Vec::new();
        for_each_start_tag(html, |tag| {
            for r in url_refs(tag, html) {
                found.push((r.url.clone(), r.attr, html[r.span.clone()].to_string()));
            }
        });
        found
    }

    #[test]
    fn url_attributes_in_every_quoting_with_entities_decoded() {
        let html = "<a href=#set-up>x</a><a href='events.html'>y</a>\
                    <a href=\"a.html?x=1&amp;y=2\">z</a><img alt=\"\" src=img/logo.png>\
                    <video src=v.mp4 poster=p.jpg></video><object data=o.svg></object>\
                    <link rel=stylesheet href=\" s.css \"><script src=app.js></script>\
                    <div href=not-a-link></div><a name=top></a><a href=\"\">self</a>";
        let found = refs(html);
        let urls: Vec<(&str, &str)> = found.iter().map(|(u, a, _)| (u.as_str(), *a)).collect();
        assert_eq!(
            urls,
            [
                ("#set-up", "a href"),
                ("events.html", "a href"),
                ("a.html?x=1&y=2", "a href"),
                ("img/logo.png", "img src"),
                ("v.mp4", "video src"),
                ("p.jpg", "video poster"),
                ("o.svg", "object data"),
                ("s.css", "link href"),
                ("app.js", "script src"),
            ]
        );
        // Spans point at what was written: the entity as written, the URL without its spaces.
        assert_eq!(found[2].2, "a.html?x=1&amp;y=2");
        assert_eq!(found[7].2, "s.css");
        assert_eq!(found[0].2, "#set-up");
    }

    #[test]
    fn every_srcset_candidate_is_a_url() {
        let html = "<img srcset=\"small.png 1x, big.png 2x,huge.png  640w,a,b.png\">";
        let found = refs(html);
        let urls: Vec<&str> = found.iter().map(|(u, _, _)| u.as_str()).collect();
        // As in browsers, a comma inside a URL is part of it: only trailing commas separate.
        assert_eq!(urls, ["small.png", "big.png", "huge.png", "a,b.png"]);
        assert_eq!(found[1].2, "big.png");
        assert_eq!(
            srcset_candidates("x.png (a,b) 1x, y.png"),
            [0..5, 16..21],
            "commas inside parentheses belong to the descriptor"
        );
        assert_eq!(
            rewrite_srcset(
                "a.png 1x, b.png 2x",
                &["/x/a.png".into(), "/x/b.png".into()]
            ),
            "/x/a.png 1x, /x/b.png 2x"
        );
    }

    #[test]
    fn script_text_is_not_markup() {
        let html =
            "<script>if (a<b && c>d) { x = '<a href=\"no.html\">'; }</script><a href=yes.html>";
        let urls: Vec<String> = refs(html).into_iter().map(|(u, _, _)| u).collect();
        assert_eq!(urls, ["yes.html"]);
    }

    #[test]
    fn ids_and_names_are_anchors() {
        let mut ids = Vec::new();
        for_each_start_tag(
            "<a id=\"legacy\"></a><div name='old' id=x&amp;y></div><p id=\"\">",
            |tag| ids.extend(anchor_ids(tag).map(str::to_string)),
        );
        assert_eq!(ids, ["legacy", "old", "x&y"]);
    }

    #[test]
    fn edits_requote_and_escape_values() {
        let html = "<a href=x.md class=c><img src='y.png'><a href=\"z\">";
        let mut edits = Vec::new();
        for_each_start_tag(html, |tag| {
            for r in url_refs(tag, html) {
                edits.push(Edit {
                    span: r.value_span,
                    value: format!("/new/{}?a=1&b=2", r.url),
                });
            }
        });
        assert_eq!(
            apply_edits(html, edits),
            "<a href=\"/new/x.md?a=1&amp;b=2\" class=c><img src=\"/new/y.png?a=1&amp;b=2\"><a href=\"/new/z?a=1&amp;b=2\">"
        );
    }

    #[test]
    fn the_fast_scan_of_rendered_pages_finds_what_the_tokenizer_finds() {
        let html = "<!doctype html><html><head><title>a <a href=no.html></title>\
            <script>if (a<b) { s = '<a href=\"no2.html\">'; }</script>\
            <link rel=stylesheet href=\"/t.css\"></head><body><!-- <a href=no3.html> -->\
            <p title=\"x > y\" id=p1>t</p><a class=x href='/a.html?x=1&amp;y=2'>\
            <svg viewBox=\"0 0 1 1\"><path d=\"M0 0\"/></svg><img srcset=\"a.png 1x, b.png 2x\">\
            <STYLE>.a{background:url(<a href=no4.html>)}</STYLE><a name=old><area href=m.html>";
        let collect = |fast: bool| {
            let mut found = Vec::new();
            let mut visit = |tag: &StartTag| {
                for r in url_refs(tag, html) {
                    found.push((r.url.clone(), html[r.span.clone()].to_string()));
                }
                for id in anchor_ids(tag) {
                    found.push((format!("#{id}"), String::new()));
                }
            };
            if fast {
                for_each_link_tag(html, &mut visit);
            } else {
                for_each_start_tag(html, &mut visit);
            }
            found
        };
        let fast = collect(true);
        assert_eq!(fast, collect(false));
        let urls: Vec<&str> = fast.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(
            urls,
            [
                "/t.css",
                "#p1",
                "/a.html?x=1&y=2",
                "a.png",
                "b.png",
                "#old",
                "m.html"
            ]
        );
        assert_eq!(
            fast[2].1, "/a.html?x=1&amp;y=2",
            "spans are positions in the page"
        );
    }

    #[test]
    fn hostile_markup_does_not_panic() {
        for html in [
            "<a href=",
            "<a href=\"unterminated",
            "<img srcset=\",,,\">",
            "<a href='x' href='y'>",
            "<<a =x href=é.html>",
            "<!-- <a href=c.html> -->",
            "<a href='x>",
            "<script src=x.js>",
            "<!--",
            "<a",
        ] {
            let _ = refs(html);
            for_each_link_tag(html, |_| {});
        }
        assert_eq!(
            refs("<a href='x' href='y'>")[0].0,
            "x",
            "the first value wins"
        );
        assert!(refs("<!-- <a href=c.html> -->").is_empty());
    }
}

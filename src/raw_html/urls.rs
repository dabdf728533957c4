//! The URLs of raw HTML: which attributes of which elements hold a URL (`a href`, `img src`, each
//! `srcset` candidate, …), the ids a `#fragment` can name, and the edits that rewrite those URLs
//! in the render stage. Pure; reads start tags from the tokenizer in `raw_html`.

use std::ops::Range;

use super::StartTag;
use crate::highlight::escape;

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
pub(super) const URL_ATTRS: &[(&str, &str, &str, UrlRole)] = &[
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

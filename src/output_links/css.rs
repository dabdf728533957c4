//! Check stage for the rendered output, stylesheets: the `url()`s and `@import`s of the site's
//! CSS with their line and column (`CssScan`).

use std::ops::Range;

use crate::links::is_external;

/// A stylesheet of the site (static or theme), read: its `url()`s with their positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CssScan {
    /// The file, for messages: `static/css/site.css`, `themes/x/static/theme.css`.
    pub file: String,
    pub site_path: String,
    /// (URL, line, column).
    pub refs: Vec<(String, u32, u32)>,
    /// The text, to quote lines.
    pub text: String,
}

impl CssScan {
    pub fn new(file: String, site_path: String, text: String) -> CssScan {
        CssScan {
            file,
            site_path,
            refs: css_urls(&text),
            text,
        }
    }
}

/// The URLs a stylesheet loads: every `url(…)` (quoted or not) and `@import "…"`, outside
/// comments, with their 1-based line and column. `data:` and external URLs are left out.
pub fn css_urls(css: &str) -> Vec<(String, u32, u32)> {
    let bytes = css.as_bytes();
    let lines = crate::diagnostic::LineIndex::new(css);
    let mut out = Vec::new();
    let mut push = |url: &str, at: usize| {
        let url = url.trim();
        if !url.is_empty() && !is_external(url) && !url.starts_with('#') {
            let (line, column) = lines.position(at);
            out.push((url.to_string(), line, column));
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = css[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
            }
            b'"' | b'\'' => i = string_end(bytes, i),
            b'@' if css[i..].len() > 7 && css[i + 1..i + 7].eq_ignore_ascii_case("import") => {
                i = match quoted_at(bytes, i + 7) {
                    Spaced::Quoted { text, end } => {
                        push(&css[text.clone()], text.start);
                        end
                    }
                    Spaced::Bare(j) => j,
                };
            }
            b'u' | b'U'
                if css[i..].len() > 4
                    && css[i..i + 4].eq_ignore_ascii_case("url(")
                    && (i == 0 || !is_ident(bytes[i - 1])) =>
            {
                i = match quoted_at(bytes, i + 4) {
                    Spaced::Quoted { text, end } => {
                        push(&css[text.clone()], text.start);
                        end
                    }
                    Spaced::Bare(j) => {
                        let end = css[j..].find(')').map_or(bytes.len(), |e| j + e);
                        push(&css[j..end], j);
                        end
                    }
                };
            }
            _ => i += 1,
        }
    }
    out
}

/// What follows `from` once whitespace is skipped, in `@import "…"` and `url(…)`.
enum Spaced {
    /// A quoted string: the range of its text (without the quotes) and the index past it.
    Quoted { text: Range<usize>, end: usize },
    /// Anything else, starting at this index.
    Bare(usize),
}

fn quoted_at(bytes: &[u8], from: usize) -> Spaced {
    let mut j = from;
    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
        j += 1;
    }
    if j < bytes.len() && matches!(bytes[j], b'"' | b'\'') {
        let end = string_end(bytes, j);
        let text = j + 1..end.saturating_sub(1).max(j + 1);
        Spaced::Quoted { text, end }
    } else {
        Spaced::Bare(j)
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// The index just past the string starting with the quote at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

//! The source line a diagnostic quotes, cut to a window around the problem: a page may hold
//! 100,000 links on one line, and each broken one must cost a few bytes, not a copy of the line.
//! A diagnostic of a page keeps the page's text (shared by all of them, see `LineIndex`) and
//! where the problem is; the window is cut only when the diagnostic is printed in the human
//! form, which shows at most a hundred of a kind per file.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Most characters a snippet shows before the problem, and after what it underlines.
pub const CONTEXT: usize = 100;
/// Most characters a snippet underlines.
pub const UNDERLINE_MAX: usize = 200;

/// The source line a problem is on, quoted when printed (`quote`).
#[derive(Clone)]
pub struct Snippet(Source);

#[derive(Clone)]
enum Source {
    /// Cut when it was made: a one-off diagnostic, whose text is not indexed.
    Cut(Quote),
    /// A line of a text that many diagnostics share (a page's), cut when printed.
    Shared {
        text: Arc<str>,
        /// Where the line starts in `text`.
        line_start: usize,
        /// The problem's byte in `text`.
        caret: usize,
        /// Characters the problem is long.
        len: usize,
    },
}

/// The line, or a window of it around the problem (with `…` where it was cut), as printed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Quote {
    pub text: String,
    /// Characters of `text` before the problem.
    pub caret: u32,
    pub underline: u32,
}

impl Snippet {
    /// The problem at byte `caret` of `text` (`len` characters long), on the line starting at
    /// byte `line_start`.
    pub(super) fn shared(text: Arc<str>, line_start: usize, caret: usize, len: usize) -> Self {
        Snippet(Source::Shared {
            text,
            line_start,
            caret,
            len,
        })
    }

    /// What the human form prints.
    pub fn quote(&self) -> Cow<'_, Quote> {
        match &self.0 {
            Source::Cut(quote) => Cow::Borrowed(quote),
            Source::Shared {
                text,
                line_start,
                caret,
                len,
            } => Cow::Owned(cut(&text[*line_start..], caret - line_start, *len)),
        }
    }
}

// Equal and hashed as printed: never by the whole shared text.
impl PartialEq for Snippet {
    fn eq(&self, other: &Self) -> bool {
        self.quote() == other.quote()
    }
}

impl Eq for Snippet {}

impl Hash for Snippet {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.quote().hash(state);
    }
}

impl fmt::Debug for Snippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.quote().fmt(f)
    }
}

/// The line starting at `rest` (which may run on past the line's end), with the problem at
/// byte `caret` of it, `len` characters long. Reads only the window it quotes.
pub fn cut(rest: &str, caret: usize, len: usize) -> Quote {
    let caret = caret.min(rest.len());
    let start = rest[..caret]
        .char_indices()
        .rev()
        .take(CONTEXT)
        .last()
        .map_or(caret, |(i, _)| i);
    let wanted = len.clamp(1, UNDERLINE_MAX);
    let mut end = caret;
    let mut shown = 0;
    let mut underline = 0;
    for (i, c) in rest[caret..].char_indices() {
        if c == '\n' || shown == wanted + CONTEXT {
            end = caret + i;
            break;
        }
        shown += 1;
        if shown <= wanted {
            underline += 1;
        }
        end = caret + i + c.len_utf8();
    }
    let shown = rest[start..end].trim_end_matches('\r');
    let mut text = String::with_capacity(shown.len() + 2 * '…'.len_utf8());
    if start > 0 {
        text.push('…');
    }
    let before = rest[start..caret].chars().count() + usize::from(start > 0);
    text.push_str(shown);
    let after = &rest[end..];
    if !(after.is_empty() || after.starts_with('\n') || after.starts_with("\r\n")) {
        text.push('…');
    }
    Quote {
        text,
        caret: before as u32,
        underline: underline.max(1) as u32,
    }
}

/// The snippet of 1-based `line` of `source` (found without an index), cut now.
pub fn of(source: &str, line: u32, column: u32, len: usize) -> Option<Snippet> {
    let start = match line {
        0 => return None,
        1 => 0,
        _ => source.match_indices('\n').nth(line as usize - 2)?.0 + 1,
    };
    let rest = &source[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let caret = rest[..line_end]
        .char_indices()
        .nth(column.max(1) as usize - 1)
        .map_or(line_end, |(i, _)| i);
    Some(Snippet(Source::Cut(cut(rest, caret, len))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_quoted_whole() {
        let s = of("a\nsee [x](y) now\r\nz", 2, 5, 6)
            .unwrap()
            .quote()
            .into_owned();
        assert_eq!(
            (s.text.as_str(), s.caret, s.underline),
            ("see [x](y) now", 4, 6)
        );
        // Underlines stop at the line's end.
        let s = of("ab\ncd", 1, 2, 10).unwrap().quote().into_owned();
        assert_eq!((s.text.as_str(), s.caret, s.underline), ("ab", 1, 1));
        assert!(of("ab", 3, 1, 1).is_none());
    }

    #[test]
    fn long_lines_are_cut_around_the_problem() {
        let line = format!("{}[here](x){}\nnext", "é".repeat(5000), "b".repeat(5000));
        let column = 5001;
        let s = of(&line, 1, column, 9).unwrap();
        let quote = s.quote();
        assert_eq!(
            quote.text,
            format!("…{}[here](x){}…", "é".repeat(CONTEXT), "b".repeat(CONTEXT))
        );
        assert_eq!((quote.caret, quote.underline), (CONTEXT as u32 + 1, 9));
        // Cut when printed from a shared text, it is the same quote, equal and hashed alike.
        let indexed = super::super::LineIndex::new(&line)
            .snippet(1, column, 9)
            .unwrap();
        assert_eq!(indexed, s);
        use std::hash::BuildHasher;
        let state = std::collections::hash_map::RandomState::new();
        assert_eq!(state.hash_one(&indexed), state.hash_one(&s));
        assert_eq!(format!("{indexed:?}"), format!("{s:?}"));
    }

    #[test]
    fn a_shared_snippet_keeps_the_text_once_not_a_copy() {
        let text: Arc<str> = Arc::from("x ".repeat(50_000).as_str());
        let snippets: Vec<Snippet> = (0..1000)
            .map(|i| Snippet::shared(text.clone(), 0, i * 2, 1))
            .collect();
        assert_eq!(Arc::strong_count(&text), 1001);
        assert_eq!(snippets[500].quote().caret, CONTEXT as u32 + 1);
    }
}

//! The source line a diagnostic quotes, cut to a window around the problem: a page may hold
//! 100,000 links on one line, and each broken one must cost a few hundred bytes, not a copy of
//! the line. `SourceLines` indexes a text once for the many diagnostics of one page.

use super::Snippet;

/// Most characters a snippet shows before the problem, and after what it underlines.
pub const CONTEXT: usize = 100;
/// Most characters a snippet underlines.
pub const UNDERLINE_MAX: usize = 200;

/// The line starting at `rest` (which may run on past the line's end), with the problem at
/// 1-based `column`, `len` characters long. `ascii` says the characters before the column are
/// ASCII, so the column is a byte offset.
pub fn cut(rest: &str, column: u32, len: usize, ascii: bool) -> Snippet {
    let col = column.max(1) as usize - 1;
    let caret = if ascii {
        col.min(rest.len())
    } else {
        let mut at = rest.len();
        for (n, (i, c)) in rest.char_indices().enumerate() {
            if n == col || c == '\n' {
                at = i;
                break;
            }
        }
        at
    };
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
    let mut text = String::new();
    if start > 0 {
        text.push('…');
    }
    let before = rest[start..caret].chars().count() + usize::from(start > 0);
    text.push_str(rest[start..end].trim_end_matches('\r'));
    let after = &rest[end..];
    if !(after.is_empty() || after.starts_with('\n') || after.starts_with("\r\n")) {
        text.push('…');
    }
    Snippet {
        text,
        caret: before as u32,
        underline: underline.max(1) as u32,
    }
}

/// A text's line starts, and which lines are plain ASCII, for quoting many of its lines.
pub struct SourceLines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    ascii: Vec<bool>,
}

impl<'a> SourceLines<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let ascii = super::line_is_ascii(text, &starts);
        SourceLines {
            text,
            starts,
            ascii,
        }
    }

    /// The snippet for 1-based `line` and `column`, `len` characters long.
    pub fn snippet(&self, line: u32, column: u32, len: usize) -> Option<Snippet> {
        let n = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(n)?;
        Some(cut(&self.text[start..], column, len, self.ascii[n]))
    }

    pub fn text(&self) -> &'a str {
        self.text
    }
}

/// The snippet of 1-based `line` of `source` (found without an index).
pub fn of(source: &str, line: u32, column: u32, len: usize) -> Option<Snippet> {
    let start = match line {
        0 => return None,
        1 => 0,
        _ => source.match_indices('\n').nth(line as usize - 2)?.0 + 1,
    };
    let rest = &source[start..];
    let prefix = rest.len().min(column.max(1) as usize - 1);
    let ascii = rest.as_bytes()[..prefix].is_ascii();
    Some(cut(rest, column, len, ascii))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_quoted_whole() {
        let s = of("a\nsee [x](y) now\r\nz", 2, 5, 6).unwrap();
        assert_eq!(
            (s.text.as_str(), s.caret, s.underline),
            ("see [x](y) now", 4, 6)
        );
        // Underlines stop at the line's end.
        let s = of("ab\ncd", 1, 2, 10).unwrap();
        assert_eq!((s.text.as_str(), s.caret, s.underline), ("ab", 1, 1));
        assert!(of("ab", 3, 1, 1).is_none());
    }

    #[test]
    fn long_lines_are_cut_around_the_problem() {
        let line = format!("{}[here](x){}\nnext", "é".repeat(5000), "b".repeat(5000));
        let column = 5001;
        let s = of(&line, 1, column, 9).unwrap();
        assert_eq!(
            s.text,
            format!("…{}[here](x){}…", "é".repeat(CONTEXT), "b".repeat(CONTEXT))
        );
        assert_eq!((s.caret, s.underline), (CONTEXT as u32 + 1, 9));
        let indexed = SourceLines::new(&line).snippet(1, column, 9).unwrap();
        assert_eq!(indexed, s);
    }
}

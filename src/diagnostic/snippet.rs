//! The source line a diagnostic quotes, cut to a window around the problem: a page may hold
//! 100,000 links on one line, and each broken one must cost a few hundred bytes, not a copy of
//! the line. `LineIndex` finds the line and column of each in a text indexed once.

use super::Snippet;

/// Most characters a snippet shows before the problem, and after what it underlines.
pub const CONTEXT: usize = 100;
/// Most characters a snippet underlines.
pub const UNDERLINE_MAX: usize = 200;

/// The line starting at `rest` (which may run on past the line's end), with the problem at
/// byte `caret` of it, `len` characters long. Reads only the window it quotes.
pub fn cut(rest: &str, caret: usize, len: usize) -> Snippet {
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

/// The snippet of 1-based `line` of `source` (found without an index).
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
    Some(cut(rest, caret, len))
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
        let indexed = super::super::LineIndex::new(&line)
            .snippet(1, column, 9)
            .unwrap();
        assert_eq!(indexed, s);
    }
}

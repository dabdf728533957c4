//! Byte offsets ↔ 1-based lines and columns (in characters) of one text, indexed once for the
//! many diagnostics of a page. A line may hold 100,000 links among non-ASCII text: counting the
//! characters from the line's start for each would be quadratic, so the index keeps the number
//! of characters before every `CHUNK`-th byte and counts at most one chunk per question.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use super::Snippet;

/// Bytes between two stored character counts: memory is 4 bytes per chunk of a non-ASCII text
/// (under 2 % of it), a question reads at most this many bytes.
const CHUNK: usize = 256;

/// A text's line starts, which lines are plain ASCII (their columns are byte offsets) and, for a
/// text that is not all ASCII, the character count at every chunk boundary.
pub struct LineIndex<'a> {
    text: &'a str,
    table: Cow<'a, LineTable>,
    /// `text`, copied once when the first snippet is made: every snippet of the text shares it.
    shared: OnceLock<Arc<str>>,
}

/// A `LineIndex` without its text, to keep beside a text that outlives borrows (a compiled
/// template's `Arc<str>`): `index` lends it to that text again at no cost.
#[derive(Debug, Clone)]
pub struct LineTable {
    starts: Vec<usize>,
    ascii: Vec<bool>,
    /// `chars_at[k]`: characters in `text[..k * CHUNK]`. Empty for an ASCII text.
    chars_at: Vec<u32>,
}

impl LineTable {
    pub fn new(text: &str) -> Self {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let ascii = line_is_ascii(text, &starts);
        let chars_at = if ascii.iter().all(|&a| a) {
            Vec::new()
        } else {
            let mut count = 0u32;
            let mut at = Vec::with_capacity(text.len() / CHUNK + 1);
            at.push(0);
            for chunk in text.as_bytes().chunks(CHUNK) {
                count += char_starts(chunk) as u32;
                at.push(count);
            }
            at
        };
        LineTable {
            starts,
            ascii,
            chars_at,
        }
    }

    /// The index of `text`, which must be the text the table was made from. Its snippets share
    /// `text` itself, no copy.
    pub fn index<'a>(&'a self, text: &'a Arc<str>) -> LineIndex<'a> {
        LineIndex {
            text,
            table: Cow::Borrowed(self),
            shared: OnceLock::from(Arc::clone(text)),
        }
    }

    /// The byte offset where 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        let n = (line as usize).checked_sub(1)?;
        self.starts.get(n).copied()
    }
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            table: Cow::Owned(LineTable::new(text)),
            shared: OnceLock::new(),
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Line and column of byte `offset`; both 1-based.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.table.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.table.starts[line];
        let column = if self.table.ascii[line] {
            offset - start
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        (line as u32 + 1, column as u32 + 1)
    }

    /// The byte offset of 1-based `line` and `column` (clamped to the line's end), if the line
    /// exists.
    pub fn offset(&self, line: u32, column: u32) -> Option<usize> {
        let n = (line as usize).checked_sub(1)?;
        let start = *self.table.starts.get(n)?;
        let end = self
            .table
            .starts
            .get(n + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let col = column.max(1) as usize - 1;
        if self.table.ascii[n] {
            return Some((start + col).min(end));
        }
        // The character count wanted from the start of the text, found by its chunk.
        let wanted = self.chars_before(start) + col;
        let k = self
            .table
            .chars_at
            .partition_point(|&c| c as usize <= wanted)
            - 1;
        let mut at = (k * CHUNK).max(start);
        if at >= end {
            return Some(end);
        }
        let mut count = self.chars_before(at);
        let bytes = self.text.as_bytes();
        while at < end {
            if is_char_start(bytes[at]) {
                if count == wanted {
                    return Some(at);
                }
                count += 1;
            }
            at += 1;
        }
        Some(end)
    }

    /// The snippet for 1-based `line` and `column`, `len` characters long.
    pub fn snippet(&self, line: u32, column: u32, len: usize) -> Option<Snippet> {
        let n = (line as usize).checked_sub(1)?;
        let start = *self.table.starts.get(n)?;
        let caret = self.offset(line, column)?;
        let text = self.shared.get_or_init(|| Arc::from(self.text));
        Some(Snippet::shared(Arc::clone(text), start, caret, len))
    }

    /// Characters that start in `text[..offset]`.
    fn chars_before(&self, offset: usize) -> usize {
        if self.table.chars_at.is_empty() {
            return offset;
        }
        let k = offset / CHUNK;
        self.table.chars_at[k] as usize + char_starts(&self.text.as_bytes()[k * CHUNK..offset])
    }
}

/// A byte that begins a character (not a UTF-8 continuation byte).
fn is_char_start(b: u8) -> bool {
    b & 0xC0 != 0x80
}

fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| is_char_start(b)).count()
}

/// For each line (starting at `starts`), whether it is plain ASCII.
pub fn line_is_ascii(text: &str, starts: &[usize]) -> Vec<bool> {
    starts
        .iter()
        .enumerate()
        .map(|(n, &s)| {
            let end = starts.get(n + 1).copied().unwrap_or(text.len());
            text.as_bytes()[s..end].is_ascii()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "ab\ncé f\n\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(1), (1, 2));
        assert_eq!(index.position(3), (2, 1));
        assert_eq!(index.position(text.find('f').unwrap()), (2, 4));
        assert_eq!(index.position(text.find('x').unwrap()), (4, 1));
        assert_eq!(index.position(text.len() + 5), (4, 2));
    }

    #[test]
    fn offsets_and_positions_agree_on_long_mixed_lines() {
        // Lines longer than many chunks, with 1- to 4-byte characters in every position.
        let unit = "aé€😀 [x](y) ";
        let text = format!("{}\nplain line\n{}\n", unit.repeat(700), "日本".repeat(400));
        let index = LineIndex::new(&text);
        let mut column_on = std::collections::HashMap::new();
        for (offset, c) in text.char_indices() {
            let (line, column) = index.position(offset);
            let expected = column_on.entry(line).or_insert(0u32);
            *expected += 1;
            assert_eq!(column, *expected, "offset {offset}");
            assert_eq!(index.offset(line, column), Some(offset), "{line}:{column}");
            if c == '\n' {
                column_on.insert(line + 1, 0);
            }
        }
        // Past the end of a line: its end.
        let first_end = text.find('\n').unwrap();
        assert_eq!(index.offset(1, 1_000_000), Some(first_end));
        assert_eq!(index.offset(2, 3), Some(first_end + 3));
        assert_eq!(index.offset(9, 1), None);
        assert_eq!(index.offset(0, 1), None);
    }
}

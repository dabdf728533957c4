//! Parse stage, positions: where a piece of the text the scan reads was written — in the page's
//! file, or in an include content templating expanded into it — so diagnostics name what the
//! writer wrote.

use std::sync::Arc;

use super::Link;
use crate::diagnostic::{Diagnostic, LineIndex, SourceLines};

/// Where a span of the text given to `scan_located` was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: u32,
    pub column: u32,
    /// Characters to underline.
    pub len: u32,
    /// `None`: in the page's own file.
    pub origin: Option<Arc<Origin>>,
}

/// A file other than the page that a piece of its text came from (an include).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Path from the site root: `includes/note.html`.
    pub file: String,
    /// The file's text, to quote the line.
    pub text: Arc<str>,
    /// How it got into the page: `included from content/x.md:14`.
    pub notes: Vec<String>,
}

/// Maps offsets of the text `scan_located` reads to where they were written. Content templating
/// expands a page before Markdown sees it; its source map implements this so that positions
/// still point at what the writer wrote.
pub trait Locate {
    /// `start` is a byte offset in the whole text (front matter included), and `first_line` the
    /// first line of what is written there (a link's source).
    fn locate(&self, start: usize, first_line: &str) -> Location;

    /// The page's own text, which locations without an origin are in; by default the text
    /// given to `scan_located`.
    fn page_text<'t>(&'t self, scanned: &'t str) -> &'t str {
        scanned
    }
}

/// The identity: the text is the file.
struct Plain<'a>(LineIndex<'a>);

impl Locate for Plain<'_> {
    fn locate(&self, start: usize, first_line: &str) -> Location {
        let (line, column) = self.0.position(start);
        Location {
            line,
            column,
            len: first_line.chars().count() as u32,
            origin: None,
        }
    }
}

/// The locator of a text that is the file itself.
pub fn plain(text: &str) -> impl Locate + '_ {
    Plain(LineIndex::new(text))
}

/// The first line of `text`.
pub(super) fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

/// Places `d` at a location of a page: see `Link::place`.
pub fn place(
    d: Diagnostic,
    line: u32,
    column: u32,
    len: u32,
    origin: Option<&Origin>,
    page_text: &str,
) -> Diagnostic {
    let mut d = d.at(line, column);
    let text = match origin {
        Some(origin) => {
            d.file = origin.file.clone();
            d.notes.extend(origin.notes.iter().cloned());
            &*origin.text
        }
        None => page_text,
    };
    d.with_source(text, len as usize)
}

/// `place`, with the page's text indexed once for many diagnostics (a page with thousands of
/// them: each `place` would look for its line from the start of the text).
pub fn place_indexed<'t>(
    d: Diagnostic,
    at: &Location,
    page: &std::cell::OnceCell<SourceLines<'t>>,
    page_text: &'t str,
) -> Diagnostic {
    match &at.origin {
        Some(origin) => place(d, at.line, at.column, at.len, Some(origin), page_text),
        None => d.at(at.line, at.column).with_source_lines(
            page.get_or_init(|| SourceLines::new(page_text)),
            at.len as usize,
        ),
    }
}

impl Link {
    /// Places `d` where the link was written: its line and column, the quoted source line, and
    /// for a link written in an include, that file and a note naming what included it.
    /// `page_text` is the text of the page the link belongs to.
    pub fn place(&self, d: Diagnostic, page_text: &str) -> Diagnostic {
        place(
            d,
            self.line,
            self.column,
            self.len,
            self.origin.as_deref(),
            page_text,
        )
    }

    /// `place`, with the page's text indexed once for all its links' diagnostics.
    pub fn place_in(&self, d: Diagnostic, page: &SourceLines<'_>) -> Diagnostic {
        match &self.origin {
            Some(_) => self.place(d, page.text()),
            None => d
                .at(self.line, self.column)
                .with_source_lines(page, self.len as usize),
        }
    }
}

//! Parse stage, content templating: one file compiled for Liquid (a page's body or an include) —
//! prepared, scanned under the limits, parsed — with what it takes to place a position of it.

use std::sync::Arc;

use liquid_core::runtime::Template;

use super::dialect::Dialect;
use super::prepare::{self, Piece};
use super::syntax;
use super::{errors, limits};
use crate::diagnostic::{LineIndex, LineTable};

/// A file that could not be read or parsed: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub suggestion: Option<String>,
    pub notes: Vec<String>,
    /// Problems of the same kind further on, which Liquid did not get to: the other unknown
    /// tags of a file whose first one stopped its parse.
    pub more: Vec<Problem>,
}

/// The byte offset of 1-based `line` and `column` (in characters) of `text`.
fn prepared_offset(text: &str, line: u32, column: u32) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line as usize - 2)?.0 + 1
    };
    let rest = &text[start..];
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}

/// The start of the `{{ … }}` or `{% … %}` holding byte `at` of `text` (whose templated part
/// starts at `base`), or `at` itself when it is in no tag.
fn tag_start(text: &str, base: usize, at: usize) -> usize {
    let at = at.min(text.len());
    let before = &text[base.min(at)..at];
    let open = before
        .rfind("{%")
        .into_iter()
        .chain(before.rfind("{{"))
        .max()
        .map(|i| base + i);
    match open {
        // Only when that tag has not closed before `at`.
        Some(open) if !text[open..at].contains("%}") && !text[open + 2..at].contains("}}") => open,
        _ => at,
    }
}

/// One file ready to render: a page's body, or an include.
#[derive(Debug)]
pub struct Compiled {
    /// Path from the site root: `content/elements/box/index.md`, `includes/note.html`.
    pub path: String,
    /// Its number in markers (0 is the page being rendered).
    pub slot: u32,
    /// The whole file, as written.
    pub text: Arc<str>,
    /// Its lines, indexed once: a column costs at most one chunk of counting, however many
    /// diagnostics one long non-ASCII line holds.
    lines: LineTable,
    pub pieces: Vec<Piece>,
    /// Byte offset of each tag Liquid parses, in the order it parses them (`limits::scan`).
    pub tags: Vec<usize>,
    /// Texts its tags refer to by number (see `prepare::literal_ref`).
    pub literals: Vec<String>,
    pub template: Result<Template, Problem>,
}

impl Compiled {
    /// Prepares and parses `text` from byte `base` on (a page's body follows its front matter).
    pub fn new(
        path: String,
        slot: u32,
        text: Arc<str>,
        base: usize,
        dialect: &Dialect,
    ) -> Compiled {
        let lines = LineTable::new(&text);
        let prepared = prepare::prepare(&text[base..], base, slot, &dialect.include_tags);
        let mut compiled = Compiled {
            path,
            slot,
            text: Arc::clone(&text),
            lines,
            pieces: Vec::new(),
            tags: Vec::new(),
            literals: Vec::new(),
            template: Err(Problem {
                line: 0,
                column: 0,
                message: String::new(),
                suggestion: None,
                notes: Vec::new(),
                more: Vec::new(),
            }),
        };
        // Limits first: Liquid's parser recurses on nesting, and may panic.
        let at_source = |at: usize| prepared.source_offset(at).unwrap_or(base);
        match limits::scan(&prepared.text, &dialect.language) {
            Ok(tags) => compiled.tags = tags.into_iter().map(at_source).collect(),
            Err(problem) => {
                let (line, column) = compiled.position(at_source(problem.at));
                compiled.template = Err(Problem {
                    line,
                    column,
                    message: problem.message,
                    suggestion: None,
                    notes: Vec::new(),
                    more: Vec::new(),
                });
                compiled.pieces = prepared.pieces;
                compiled.literals = prepared.literals;
                return compiled;
            }
        }
        let parsed = limits::parse(&prepared.text, &dialect.language, slot);
        if let Err(limits::ParseFailure::Panic { message, seq }) = &parsed {
            let at = seq.and_then(|seq| compiled.tags.get(seq).copied());
            let name = at
                .filter(|&at| text[at..].starts_with("{%"))
                .map(|at| syntax::tag_name(&text[at..]).to_string());
            let (line, column) = compiled.position(at.unwrap_or(base));
            compiled.template = Err(Problem {
                line,
                column,
                message: limits::parse_panic_message(message, name.as_deref()),
                suggestion: None,
                notes: Vec::new(),
                more: Vec::new(),
            });
            compiled.pieces = prepared.pieces;
            compiled.literals = prepared.literals;
            return compiled;
        }
        compiled.template = parsed
            .map_err(|failure| match failure {
                limits::ParseFailure::Liquid(e) => e,
                limits::ParseFailure::Panic { .. } => unreachable!("handled above"),
            })
            .map_err(|e| {
                let described = errors::describe(&e.to_string());
                let first_line = compiled.position(base).0;
                // Liquid counts in the prepared text: back to the file. A name the message is
                // about (a filter, a tag) is pointed at in the tag holding the error.
                let mapped = described.offset.or_else(|| {
                    let (line, column) = described.position?;
                    let offset = prepared_offset(&prepared.text, line, column)?;
                    prepared.source_offset(offset)
                });
                let at = mapped.map(|src| {
                    let src = src.min(text.len());
                    let open = tag_start(&text, base, src);
                    let tag = &text[open..];
                    let tag = &tag[..tag.find(['\n']).unwrap_or(tag.len())];
                    let named = described
                        .hint
                        .as_deref()
                        .filter(|hint| !hint.is_empty())
                        .and_then(|hint| tag.find(hint))
                        .map(|i| open + i);
                    named.unwrap_or(src)
                });
                let opened = described.unclosed.as_deref().and_then(|block| {
                    // An unclosed block is found at the end: point at where it opens.
                    ["{% ", "{%- ", "{%"].iter().find_map(|open| {
                        text[base..]
                            .rfind(&format!("{open}{block}"))
                            .map(|i| base + i)
                    })
                });
                let mut described = described;
                let mut at = at;
                if let Some(open) = prepared.unclosed {
                    // `{{ page.title` (or a tag whose quote never closes) swallows the rest.
                    let what = if text[open..].starts_with("{{") {
                        "}}"
                    } else {
                        "%}"
                    };
                    described.message = format!(
                        "`{}` is never closed: add `{what}` (or close a quote in it)",
                        &text[open..open + 2]
                    );
                    described.suggestion = None;
                    at = Some(open);
                }
                let (line, column) = match (opened.filter(|_| prepared.unclosed.is_none()), at) {
                    (Some(at), _) | (None, Some(at)) => compiled.position(at),
                    (None, None) => described
                        .hint
                        .as_deref()
                        .and_then(|hint| text[base..].find(hint))
                        .map_or((first_line, 0), |i| compiled.position(base + i)),
                };
                // The other unknown tags of the file, each where it is written.
                let more = match described.message.starts_with("unknown tag `") {
                    false => Vec::new(),
                    true => limits::unknown_tags(&prepared.text, &dialect.language)
                        .into_iter()
                        .filter_map(|(at, name)| {
                            let at = prepared.source_offset(at)?;
                            let at = at + text[at..].find(name).unwrap_or(0);
                            let (line, column) = compiled.position(at);
                            Some(Problem {
                                line,
                                column,
                                message: format!("unknown tag `{name}`"),
                                suggestion: None,
                                notes: vec![format!(
                                    "to render a file of includes/ for it, declare it in docgen.toml: [include_tags] {name} = \"{name}.html\""
                                )],
                                more: Vec::new(),
                            })
                        })
                        .filter(|other| (other.line, other.column) != (line, column))
                        .collect(),
                };
                // The other unknown filters, each pointed at where its name is written.
                let more = match described.message.starts_with("unknown filter `") {
                    false => more,
                    true => {
                        let filters = &dialect.language.filters;
                        // One suggestion a name: a plugin's filter may be on every line.
                        let mut suggestions = std::collections::HashMap::new();
                        limits::unknown_filters(&prepared.text, &dialect.language)
                            .into_iter()
                            .filter_map(|(at, name)| {
                                let open = prepared.source_offset(at)?;
                                let tag = &text[open..];
                                let close = syntax::find_close(tag, 0, false).unwrap_or(tag.len());
                                let named = limits::filter_names(&tag[..close])
                                    .into_iter()
                                    .find(|&(_, written)| written == name)
                                    .map_or(0, |(i, _)| i);
                                let (line, column) = compiled.position(open + named);
                                let suggestion = suggestions.entry(name).or_insert_with(|| {
                                    crate::suggest::closest(name, filters.plugin_names())
                                });
                                Some(Problem {
                                    line,
                                    column,
                                    message: format!("unknown filter `{name}`"),
                                    suggestion: suggestion.map(str::to_string),
                                    notes: Vec::new(),
                                    more: Vec::new(),
                                })
                            })
                            .filter(|other| (other.line, other.column) != (line, column))
                            .collect()
                    }
                };
                Problem {
                    line,
                    column,
                    message: described.message,
                    suggestion: described.suggestion,
                    notes: described.notes,
                    more,
                }
            });
        compiled.pieces = prepared.pieces;
        compiled.literals = prepared.literals;
        compiled
    }

    /// A file that could not be read.
    pub(super) fn unreadable(path: String, slot: u32, message: String) -> Compiled {
        Compiled {
            path,
            slot,
            text: Arc::from(""),
            lines: LineTable::new(""),
            pieces: Vec::new(),
            tags: Vec::new(),
            literals: Vec::new(),
            template: Err(Problem {
                line: 0,
                column: 0,
                message,
                suggestion: None,
                notes: Vec::new(),
                more: Vec::new(),
            }),
        }
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        self.line_index().position(offset)
    }

    /// The file's line index, for positions and for quoting its lines
    /// (`Diagnostic::with_source_lines`).
    pub fn line_index(&self) -> LineIndex<'_> {
        self.lines.index(&self.text)
    }

    /// The plain text of piece `index`.
    pub fn piece_text(&self, index: u32) -> Option<&str> {
        let piece = self.pieces.get(index as usize)?;
        self.text.get(piece.src..piece.src + piece.len)
    }

    /// The byte offset where 1-based `line` starts (the file's end for a line past it).
    pub fn line_start(&self, line: u32) -> usize {
        self.lines
            .line_start(line.max(1))
            .unwrap_or(self.text.len())
    }

    /// The text of 1-based `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let Some(start) = self.lines.line_start(line.max(1)) else {
            return "";
        };
        let rest = &self.text[start..];
        rest.split('\n').next().unwrap_or("").trim_end_matches('\r')
    }

    /// `path:line` of byte `offset`.
    pub fn line_ref(&self, offset: usize) -> String {
        format!("{}:{}", self.path, self.position(offset).0)
    }
}

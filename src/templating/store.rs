//! The Liquid language docgen speaks, and the files pages include: each read and parsed at
//! most once per build, on first use, then shared by every page (in parallel).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use liquid_core::Language;
use liquid_core::runtime::Template;
use liquid_lib::{jekyll, stdlib};

use super::filters::{Jsonify, UrlFilter};
use super::jekyll::{DeclaredTag, HighlightBlock, LinkTag, Markdownify};
use super::lenient::{LenientBlock, LenientTag, OutputTag};
use super::prepare::{self, Piece};
use super::tags::IncludeTag;
use super::{INCLUDES_DIR, errors, limits, loops};
use super::{markers, syntax};
use crate::config::Config;
use crate::source;

/// A file that could not be read or parsed: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub suggestion: Option<String>,
    pub notes: Vec<String>,
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
    /// Byte offset of each line's start.
    lines: Vec<usize>,
    /// Whether each line is plain ASCII (its columns are byte offsets).
    ascii: Vec<bool>,
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
        let lines: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let ascii = crate::diagnostic::line_is_ascii(&text, &lines);
        let prepared = prepare::prepare(&text[base..], base, slot, &dialect.include_tags);
        let mut compiled = Compiled {
            path,
            slot,
            text: Arc::clone(&text),
            lines,
            ascii,
            pieces: Vec::new(),
            tags: Vec::new(),
            literals: Vec::new(),
            template: Err(Problem {
                line: 0,
                column: 0,
                message: String::new(),
                suggestion: None,
                notes: Vec::new(),
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
                Problem {
                    line,
                    column,
                    message: described.message,
                    suggestion: described.suggestion,
                    notes: described.notes,
                }
            });
        compiled.pieces = prepared.pieces;
        compiled.literals = prepared.literals;
        compiled
    }

    /// A file that could not be read.
    fn unreadable(path: String, slot: u32, message: String) -> Compiled {
        Compiled {
            path,
            slot,
            text: Arc::from(""),
            lines: vec![0],
            ascii: vec![true],
            pieces: Vec::new(),
            tags: Vec::new(),
            literals: Vec::new(),
            template: Err(Problem {
                line: 0,
                column: 0,
                message,
                suggestion: None,
                notes: Vec::new(),
            }),
        }
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.lines.partition_point(|&s| s <= offset) - 1;
        let start = self.lines[line];
        let column = if self.ascii[line] {
            offset - start + 1
        } else {
            self.text
                .get(start..offset)
                .map_or(1, |s| s.chars().count() + 1)
        };
        (line as u32 + 1, column as u32)
    }

    /// The plain text of piece `index`.
    pub fn piece_text(&self, index: u32) -> Option<&str> {
        let piece = self.pieces.get(index as usize)?;
        self.text.get(piece.src..piece.src + piece.len)
    }

    /// The text of 1-based `line`, without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let Some(&start) = self.lines.get(line.saturating_sub(1) as usize) else {
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

/// A file once looked for: compiled, or `None` when it does not exist.
type Cell = Arc<OnceLock<Option<Arc<Compiled>>>>;

/// Every file a page may include, read and compiled on first use.
pub struct Store {
    root: PathBuf,
    pub dialect: Dialect,
    /// The files of `includes/` (paths below it), listed when the build starts.
    includes: Vec<String>,
    files: Mutex<HashMap<String, Cell>>,
    next_slot: AtomicU32,
}

impl Store {
    /// `includes` are the files of the site's `includes/` folder, relative to it.
    pub fn new(root: &Path, dialect: Dialect, includes: Vec<String>) -> Store {
        Store {
            root: root.to_path_buf(),
            dialect,
            includes,
            files: Mutex::new(HashMap::new()),
            next_slot: AtomicU32::new(1),
        }
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The compiled file at site path `path`, or `None` when there is no such file. Each file
    /// is read and parsed once, by the first page that asks.
    pub fn get(&self, path: &str) -> Option<Arc<Compiled>> {
        let mut built_in = None;
        if let Some(rel) = path
            .strip_prefix(INCLUDES_DIR)
            .and_then(|p| p.strip_prefix('/'))
            && self
                .includes
                .binary_search_by(|i| i.as_str().cmp(rel))
                .is_err()
        {
            // Not in the site's includes/: the default theme's file of that name, if any.
            built_in = Some(crate::theme::built_in_include(rel)?);
        }
        let cell: Cell = {
            let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(files.entry(path.to_string()).or_default())
        };
        cell.get_or_init(|| match built_in {
            Some(text) => Some(Arc::new(self.compile_built_in(path, text))),
            None => self.compile(path).map(Arc::new),
        })
        .clone()
    }

    /// A built-in include: messages name it `(built-in theme) includes/<name>`, as they name
    /// built-in templates, since the site has no such file to open.
    fn compile_built_in(&self, path: &str, text: &'static str) -> Compiled {
        let slot = self
            .next_slot
            .fetch_add(1, Ordering::Relaxed)
            .min(markers::MAX_SLOT + 1);
        Compiled::new(
            format!("(built-in theme) {path}"),
            slot,
            Arc::from(text),
            0,
            &self.dialect,
        )
    }

    fn compile(&self, path: &str) -> Option<Compiled> {
        let read = source::read_if_exists(&self.root, path);
        if matches!(read, Ok(None)) {
            return None;
        }
        let slot = self
            .next_slot
            .fetch_add(1, Ordering::Relaxed)
            .min(markers::MAX_SLOT + 1);
        let path = path.to_string();
        Some(match read {
            Ok(Some(bytes)) => match String::from_utf8(bytes) {
                Ok(text) => Compiled::new(path, slot, Arc::from(text), 0, &self.dialect),
                Err(_) => {
                    Compiled::unreadable(path, slot, "the file is not valid UTF-8 text".into())
                }
            },
            Ok(None) => unreachable!("handled above"),
            Err(e) => Compiled::unreadable(path, slot, format!("cannot read the file: {e}")),
        })
    }

    /// The files an include could have meant in folder `dir` (a site path): every file of
    /// `includes/`, or the files directly in another folder.
    pub fn names_in(&self, dir: &str) -> Vec<String> {
        if dir == INCLUDES_DIR {
            let mut names = self.includes.clone();
            names.extend(crate::theme::built_in_include_names().map(str::to_string));
            names.sort();
            names.dedup();
            return names;
        }
        source::files_in(&self.root.join(dir))
    }
}

/// The Liquid docgen speaks for one site, and what its tags need to know of the site.
pub struct Dialect {
    pub language: Language,
    /// The tags declared in `[include_tags]`.
    pub include_tags: Vec<String>,
    /// The path of `base_url`, for URLs `{% link %}` writes into raw HTML.
    pub base_path: String,
    /// `broken_links = "warn"`: a broken `{% link %}` is a warning.
    pub broken_links_warn: bool,
    /// `undefined_variables = "warn"`.
    pub undefined_warns: bool,
}

/// The tags and blocks docgen's Liquid has built in (declared include tags come on top).
pub const BUILTIN_TAGS: &[&str] = &[
    "assign",
    "break",
    "continue",
    "cycle",
    "increment",
    "decrement",
    "include",
    "include_relative",
    "link",
    prepare::OUTPUT_TAG,
    "raw",
    "if",
    "unless",
    "ifchanged",
    "for",
    "tablerow",
    "comment",
    "capture",
    "case",
    "highlight",
];

/// The Liquid of `config`'s site: see `language`.
pub fn dialect(config: &Config) -> Dialect {
    Dialect {
        language: language(config),
        include_tags: config.include_tags.iter().map(|(n, _)| n.clone()).collect(),
        base_path: config.base_path.clone(),
        broken_links_warn: config.broken_links == crate::diagnostic::Severity::Warning,
        undefined_warns: config.undefined_variables == crate::diagnostic::Severity::Warning,
    }
}

/// Liquid's standard tags, blocks and filters (those evaluating expressions made lenient: see
/// `lenient`), Jekyll's array filters, `slugify` and `markdownify`, docgen's `include`,
/// `include_relative`, `link`, `highlight` and the tags of `[include_tags]`, and the Jekyll
/// URL filters and `jsonify`.
fn language(config: &Config) -> Language {
    let mut language = Language::default();
    // Each is registered guarded: see `limits`.
    macro_rules! tags {
        ($($tag:expr),*) => {$({
            let tag = limits::guard_tag(Box::new($tag));
            language.tags.register(tag.reflection().tag().to_string(), tag);
        })*};
    }
    macro_rules! blocks {
        ($($block:expr),*) => {$({
            let block = limits::guard_block(Box::new($block));
            language.blocks.register(block.reflection().start_tag().to_string(), block);
        })*};
    }
    macro_rules! filters {
        ($($filter:expr),*) => {$({
            let filter = limits::guard_filter(Box::new($filter));
            language.filters.register(filter.reflection().name().to_string(), filter);
        })*};
    }
    tags!(
        LenientTag(loops::AssignTag),
        stdlib::BreakTag,
        stdlib::ContinueTag,
        LenientTag(stdlib::CycleTag),
        stdlib::IncrementTag,
        stdlib::DecrementTag,
        IncludeTag { relative: false },
        IncludeTag { relative: true },
        LinkTag,
        OutputTag
    );
    for (name, file) in &config.include_tags {
        tags!(DeclaredTag::new(name, file));
    }
    blocks!(
        stdlib::RawBlock,
        LenientBlock(stdlib::IfBlock),
        LenientBlock(stdlib::UnlessBlock),
        stdlib::IfChangedBlock,
        LenientBlock(loops::ForBlock),
        LenientBlock(loops::TableRowBlock),
        stdlib::CommentBlock,
        loops::CaptureBlock,
        LenientBlock(stdlib::CaseBlock),
        HighlightBlock
    );
    filters!(
        stdlib::Abs,
        stdlib::Append,
        stdlib::AtLeast,
        stdlib::AtMost,
        stdlib::Capitalize,
        stdlib::Ceil,
        stdlib::Compact,
        stdlib::Concat,
        stdlib::Date,
        stdlib::Default,
        stdlib::DividedBy,
        stdlib::Downcase,
        stdlib::Escape,
        stdlib::EscapeOnce,
        stdlib::First,
        stdlib::Floor,
        stdlib::Join,
        stdlib::Last,
        stdlib::Lstrip,
        stdlib::Map,
        stdlib::Minus,
        stdlib::Modulo,
        stdlib::NewlineToBr,
        stdlib::Plus,
        stdlib::Prepend,
        stdlib::Remove,
        stdlib::RemoveFirst,
        stdlib::Replace,
        stdlib::ReplaceFirst,
        stdlib::Reverse,
        stdlib::Round,
        stdlib::Rstrip,
        stdlib::Size,
        stdlib::Slice,
        stdlib::SortNatural,
        stdlib::Split,
        stdlib::Strip,
        stdlib::StripHtml,
        stdlib::StripNewlines,
        stdlib::Times,
        stdlib::Truncate,
        stdlib::TruncateWords,
        stdlib::Uniq,
        stdlib::Upcase,
        stdlib::UrlDecode,
        stdlib::UrlEncode,
        stdlib::Where,
        jekyll::Sort,
        jekyll::Push,
        jekyll::Pop,
        jekyll::Shift,
        jekyll::Unshift,
        jekyll::ArrayToSentenceString,
        jekyll::Slugify,
        UrlFilter::relative(config),
        UrlFilter::absolute(config),
        Jsonify,
        Markdownify::new(std::sync::Arc::new(crate::highlight::Highlighter::new()))
    );
    language
}

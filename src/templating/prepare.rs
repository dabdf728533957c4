//! Getting a file ready for Liquid, and reading positions back out of what Liquid wrote.
//!
//! Liquid writes text, not positions. To point a diagnostic at the line a writer wrote, every
//! stretch of plain text of a file (between two tags) is replaced by an invisible
//! *marker*: two private-use characters naming the file (its slot) and the stretch (a piece).
//! Liquid copies plain text as it is, so the markers come out of the render where the text
//! belongs; `markers::unmark` puts the text back and keeps, for each piece, its offset in the expanded
//! text and its place in its file. Include tags add markers where an include's output begins and
//! ends, so a piece also knows which include chain it came through. Liquid so parses only the
//! tags and a few characters per stretch of text, not the page's prose: a long page costs little more than
//! its tags.
//!
//! Markers only go where Liquid sees plain text, never inside `{{ }}`, `{% %}`, `{% comment %}`
//! or `{% capture %}` (a captured value must compare equal to what the writer wrote), and never
//! in whitespace that `{%-`/`-%}` would trim. The same pass rewrites include tags into a form
//! Liquid's tokenizer accepts: the file name quoted (it may hold `/` or `{{ }}`), followed by the
//! tag's offset in its file, which the include tag uses to say where it was written.

use super::markers::{MAX_NUMBER, MAX_SLOT, SLOT_BASE, is_marker_char, push_marker};
use super::syntax::{find_block_end, find_close, find_open, find_tag, is_liquid_space, tag_name};

/// A stretch of plain text of a file: it starts at byte `src` and runs `len` bytes, and Liquid
/// copies it to the output unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub src: usize,
    pub len: usize,
}

/// A file's text with its plain text replaced by markers, ready for Liquid, and its pieces
/// (piece `i` is marker `i`).
#[derive(Debug, Default)]
pub struct Prepared {
    pub text: String,
    pub pieces: Vec<Piece>,
    /// From prepared byte `.0` on, the text was written at byte `.1` of the file; `.2` when it
    /// is copied as written (so later bytes map one to one), not rewritten. Sorted.
    pub map: Vec<(usize, usize, bool)>,
    /// Texts tags refer to as `__docgen_literal_N` (see `literal_ref`): quoted include
    /// parameters (escaped quotes unescaped), the markup of declared include tags.
    pub literals: Vec<String>,
    /// The file offset of a `{{` or `{%` that is never closed (Liquid's own message for it
    /// points elsewhere).
    pub unclosed: Option<usize>,
}

impl Prepared {
    /// Where byte `at` of the prepared text was written in the file.
    pub fn source_offset(&self, at: usize) -> Option<usize> {
        let i = self.map.partition_point(|&(prepared, _, _)| prepared <= at);
        let &(prepared, src, verbatim) = self.map.get(i.checked_sub(1)?)?;
        Some(if verbatim { src + (at - prepared) } else { src })
    }
}

/// The name tags use for literal `n` of their file.
pub fn literal_ref(n: usize) -> String {
    format!("{LITERAL_PREFIX}{n}")
}

/// What `literal_ref` names start with.
pub const LITERAL_PREFIX: &str = "__docgen_literal_";

/// The tag `{{ … }}` is rewritten to (see `OutputTag`).
pub const OUTPUT_TAG: &str = "__docgen_output";

/// Prepares `source`, which starts at byte `base` of file `slot` (a page's body starts after its
/// front matter). A file whose text already holds marker characters gets no markers.
/// `include_tags` are the tags declared in `[include_tags]`.
pub fn prepare(source: &str, base: usize, slot: u32, include_tags: &[String]) -> Prepared {
    let markers = slot <= MAX_SLOT && !source.chars().any(is_marker_char);
    let mut out = Out {
        text: String::with_capacity(source.len() + source.len() / 8),
        pieces: Vec::new(),
        map: Vec::new(),
        literals: Vec::new(),
        slot: if markers { Some(slot) } else { None },
        base,
        captures: 0,
        include_tags,
        unclosed: None,
    };
    out.run(source, 0, source.len());
    Prepared {
        text: out.text,
        pieces: out.pieces,
        map: out.map,
        literals: out.literals,
        unclosed: out.unclosed,
    }
}

struct Out<'t> {
    text: String,
    pieces: Vec<Piece>,
    map: Vec<(usize, usize, bool)>,
    literals: Vec<String>,
    /// `None` when this file gets no markers.
    slot: Option<u32>,
    base: usize,
    /// How many `{% capture %}` blocks are open here.
    captures: usize,
    include_tags: &'t [String],
    unclosed: Option<usize>,
}

impl Out<'_> {
    /// Prepares `source[from..to]`.
    fn run(&mut self, source: &str, from: usize, to: usize) {
        let bytes = source.as_bytes();
        let base = self.base;
        let mut i = from;
        while i < to {
            let Some(open) = find_open(source, i).filter(|&open| open < to) else {
                self.plain(source, i, to);
                break;
            };
            let is_tag = bytes[open + 1] == b'%';
            let name = if is_tag {
                tag_name(&source[open..])
            } else {
                ""
            };
            let declared = self.include_tags.iter().any(|t| t == name);
            let escapes = declared || name == "include" || name == "include_relative";
            // A quote escaped at its end (`"C:\"`) is Liquid's to read, as in Jekyll.
            let close = find_close(source, open, escapes)
                .or_else(|| find_close(source, open, false).filter(|_| escapes));
            let Some(close) = close.filter(|&close| close <= to) else {
                // Unclosed: Liquid reports it; leave the rest as it is.
                self.unclosed.get_or_insert(self.base + open);
                self.plain(source, i, open);
                self.verbatim(source, open, to);
                break;
            };
            let left_trim = bytes.get(open + 2) == Some(&b'-');
            let plain_end = if left_trim {
                source[..open]
                    .trim_end_matches(is_liquid_space)
                    .len()
                    .max(i)
            } else {
                open
            };
            self.plain(source, i, plain_end);
            self.verbatim(source, plain_end, open);
            let tag = &source[open..close];
            let mut next = close;
            if !is_tag {
                self.output(source, open, close);
            } else {
                match name {
                    "raw" => {
                        self.verbatim(source, open, close);
                        next = self.raw_block(source, close);
                    }
                    "comment" => {
                        // Opaque: nothing in a comment is output.
                        let end = find_block_end(source, close, "comment").min(to);
                        self.verbatim(source, open, end);
                        next = end;
                    }
                    // A captured value must compare equal to what was written: no markers in it.
                    "capture" => {
                        self.captures += 1;
                        self.verbatim(source, open, close);
                    }
                    "endcapture" => {
                        self.captures = self.captures.saturating_sub(1);
                        self.verbatim(source, open, close);
                    }
                    "highlight" => match find_tag(source, close, "endhighlight")
                        .filter(|&(_, end)| end <= to)
                    {
                        Some((end_open, end_close)) => {
                            self.highlight(source, open, close, end_open);
                            next = end_close;
                        }
                        None => self.verbatim(source, open, close),
                    },
                    "include" | "include_relative" | "link" => {
                        let mut rewritten =
                            rewrite_include(tag, name, base + open, &mut self.literals);
                        if name == "link" && in_markdown_link(&source[..open]) {
                            // `[text]({% link x.md %})`: the link stage resolves and checks it.
                            let end = rewritten.len() - 2 - usize::from(rewritten.ends_with("-%}"));
                            rewritten.insert_str(end, " 1 ");
                        }
                        self.generated(&rewritten, base + open);
                    }
                    _ if declared => {
                        let rewritten =
                            rewrite_declared(tag, name, base + open, &mut self.literals);
                        self.generated(&rewritten, base + open);
                    }
                    _ => self.verbatim(source, open, close),
                }
            }
            i = self.skip_trimmed(source, next);
        }
    }

    /// Copies `source[start..end]` as it is.
    fn verbatim(&mut self, source: &str, start: usize, end: usize) {
        if start >= end {
            return;
        }
        self.map.push((self.text.len(), self.base + start, true));
        self.text.push_str(&source[start..end]);
    }

    /// Writes `text` in place of what was written at file byte `at`.
    fn generated(&mut self, text: &str, at: usize) {
        self.map.push((self.text.len(), at, false));
        self.text.push_str(text);
    }

    /// `{{ expr }}` → `{% __docgen_output 812 815 expr %}` (trim marks kept; the offsets of the
    /// tag and of the expression): the output tag
    /// renders an undefined variable as reported empty text, where Liquid's own would stop.
    fn output(&mut self, source: &str, open: usize, close: usize) {
        let tag = &source[open..close];
        let left = tag.starts_with("{{-");
        let right = tag.len() >= 5 + usize::from(left) && tag.ends_with("-}}");
        let inner_start = open + 2 + usize::from(left);
        let inner_end = close - 2 - usize::from(right);
        let start = if left { "{%-" } else { "{%" };
        let inner = &source[inner_start..inner_end];
        let expression = inner_start + (inner.len() - inner.trim_start().len());
        self.generated(
            &format!(
                "{start} {OUTPUT_TAG} {} {} ",
                self.base + open,
                self.base + expression
            ),
            self.base + open,
        );
        self.verbatim(source, inner_start, inner_end);
        self.generated(if right { " -%}" } else { " %}" }, self.base + inner_end);
    }

    /// `{% highlight json %}…{% endhighlight %}` → a fenced code block, which Markdown
    /// highlights like any other; Liquid still expands what is inside, as in Jekyll.
    fn highlight(&mut self, source: &str, open: usize, close: usize, end_open: usize) {
        let tag = &source[open..close];
        let inner = tag[2..tag.len() - 2].trim_matches('-').trim();
        let markup = inner.strip_prefix("highlight").unwrap_or("").trim();
        // Jekyll drops the line breaks around the code.
        let content = &source[close..end_open];
        let code_start = close + (content.len() - content.trim_start_matches(['\r', '\n']).len());
        let code_end = close + content.trim_end().len();
        let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        let line_start = source[..open].rfind('\n').map_or(0, |i| i + 1);
        let before = &source[line_start..open];
        let indent = if before.trim().is_empty() { before } else { "" };
        let open_fence = format!(
            "{}{fence}{markup}\n",
            if indent.len() == open - line_start {
                ""
            } else {
                "\n"
            }
        );
        self.generated(&open_fence, self.base + open);
        self.run(source, code_start.max(close), code_end.max(code_start));
        // What follows on the closing tag's line starts a new one.
        let (_, end_close) =
            find_tag(source, end_open, "endhighlight").unwrap_or((end_open, end_open));
        let after = &source[end_close..];
        let newline = if after.is_empty() || after.starts_with(['\n', '\r']) {
            ""
        } else {
            "\n"
        };
        self.generated(&format!("\n{indent}{fence}{newline}"), self.base + end_open);
    }
    /// Replaces the plain text `source[start..end]` with one marker (or copies it, when this
    /// file or this part gets no markers). One marker per stretch, not per line: Liquid's
    /// grammar walks every character it is given, and a piece maps back to its file byte for
    /// byte however many lines it spans.
    fn plain(&mut self, source: &str, start: usize, end: usize) {
        let Some(slot) = self.slot.filter(|_| self.captures == 0) else {
            self.verbatim(source, start, end);
            return;
        };
        if start >= end {
            return;
        }
        let index = self.pieces.len() as u32;
        if index > MAX_NUMBER {
            self.verbatim(source, start, end);
            return;
        }
        self.generated("", self.base + start);
        push_marker(&mut self.text, SLOT_BASE + slot, index);
        self.pieces.push(Piece {
            src: self.base + start,
            len: end - start,
        });
    }

    /// Copies a `{% raw %}` block's content (which Liquid outputs as it is) and its end tag;
    /// `start` follows the opening tag. Returns where the end tag ends.
    fn raw_block(&mut self, source: &str, start: usize) -> usize {
        let content_start = self.skip_trimmed(source, start);
        let Some((end_open, end_close)) = find_tag(source, content_start, "endraw") else {
            self.verbatim(source, content_start, source.len());
            return source.len();
        };
        let content_end = if source.as_bytes().get(end_open + 2) == Some(&b'-') {
            source[..end_open]
                .trim_end_matches(is_liquid_space)
                .len()
                .max(content_start)
        } else {
            end_open
        };
        self.plain(source, content_start, content_end);
        self.verbatim(source, content_end, end_close);
        end_close
    }

    /// After a tag ending in `-%}` or `-}}` (at `end`), the whitespace Liquid trims: copied
    /// unmarked. Returns where the plain text resumes.
    fn skip_trimmed(&mut self, source: &str, end: usize) -> usize {
        if end < 3 || source.as_bytes()[end - 3] != b'-' {
            return end;
        }
        let rest = &source[end..];
        let skipped = rest.len() - rest.trim_start_matches(is_liquid_space).len();
        self.verbatim(source, end, end + skipped);
        end + skipped
    }
}

/// `{% include note.html a="b" %}` → `{% include "note.html" 812 a="b" %}`: the file name
/// quoted, unless it already is, and the tag's offset `at` in its file after it. A parameter
/// value with escaped quotes (`content="Set the \"type\" field"`) is unescaped as Jekyll does
/// and passed as a literal of the file (Liquid's strings know no escapes).
fn rewrite_include(tag: &str, name: &str, at: usize, literals: &mut Vec<String>) -> String {
    let name_end = tag.find(name).map_or(0, |i| i + name.len());
    let rest = &tag[name_end..];
    let arg_start = rest.len() - rest.trim_start_matches(is_liquid_space).len();
    let args = &rest[arg_start..];
    let bytes = args.as_bytes();
    // The file name runs to its closing quote, or to the first space outside `{{ }}`, or to
    // the closing delimiter.
    let mut end = 0;
    if let Some(quote @ ('"' | '\'')) = args.chars().next() {
        end = args[1..].find(quote).map_or(args.len(), |i| i + 2);
    }
    while end < args.len() {
        if args[end..].starts_with("{{") {
            end += args[end..].find("}}").map_or(args.len() - end, |i| i + 2);
            continue;
        }
        if is_liquid_space(bytes[end] as char)
            || args[end..].starts_with("-%}")
            || args[end..].starts_with("%}")
        {
            break;
        }
        end += args[end..].chars().next().map_or(1, char::len_utf8);
    }
    let file = &args[..end];
    let quoted = if file.starts_with(['"', '\'']) || file.is_empty() {
        file.to_string()
    } else if file.contains('"') {
        format!("'{file}'")
    } else {
        format!("\"{file}\"")
    };
    format!(
        "{}{}{quoted} {at}{}",
        &tag[..name_end],
        &rest[..arg_start],
        literal_parameters(&args[end..], literals)
    )
}

/// The parameters of an include tag, each quoted value replaced by a literal reference (its
/// escaped quotes unescaped, as Jekyll does). Liquid's grammar then reads a short name instead
/// of walking the string character by character — callout texts are most of an include tag.
fn literal_parameters(params: &str, literals: &mut Vec<String>) -> String {
    let bytes = params.as_bytes();
    let mut out = String::with_capacity(params.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let quote = bytes[i];
        if quote != b'"' && quote != b'\'' {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut escaped = false;
        while j < bytes.len() && bytes[j] != quote {
            if bytes[j] == b'\\' && bytes.get(j + 1) == Some(&quote) {
                escaped = true;
                j += 1;
            }
            j += 1;
        }
        // A value that runs on past its closing quote (`'It''s'`, SQL's and YAML's way of
        // escaping) is no parameter in Jekyll either: left as written, for Liquid to report.
        let runs_on = bytes
            .get(j + 1)
            .is_some_and(|&b| !(b as char).is_ascii_whitespace() && b != b'%' && b != b'-');
        if j >= bytes.len() || runs_on {
            break;
        }
        let value = &params[i + 1..j];
        literals.push(if escaped {
            let quote = quote as char;
            value.replace(&format!("\\{quote}"), &quote.to_string())
        } else {
            value.to_string()
        });
        out.push_str(&params[copied..i]);
        out.push_str(&literal_ref(literals.len() - 1));
        copied = j + 1;
        i = j + 1;
    }
    out.push_str(&params[copied..]);
    out
}

/// `{% icon fa-check %}` (a tag declared in `[include_tags]`) → `{% icon __docgen_literal_0
/// 812 %}`: its markup as written, for `include.markup`, and its offset.
fn rewrite_declared(tag: &str, name: &str, at: usize, literals: &mut Vec<String>) -> String {
    let left = tag.starts_with("{%-");
    let right = tag.len() >= 5 + usize::from(left) && tag.ends_with("-%}");
    let inner = &tag[2 + usize::from(left)..tag.len() - 2 - usize::from(right)];
    let markup = inner.trim_start().strip_prefix(name).unwrap_or("").trim();
    literals.push(markup.to_string());
    format!(
        "{} {name} {} {at} {}",
        if left { "{%-" } else { "{%" },
        literal_ref(literals.len() - 1),
        if right { "-%}" } else { "%}" }
    )
}

/// Whether a tag after `before` is the destination of a Markdown link (`[text](` or a
/// reference definition `[id]: `).
fn in_markdown_link(before: &str) -> bool {
    let line = before.rsplit('\n').next().unwrap_or(before);
    if line.trim_end_matches('<').ends_with("](") {
        return true;
    }
    let trimmed = line.trim_start();
    trimmed.starts_with('[') && trimmed.trim_end().ends_with("]:") && !trimmed.starts_with("[^")
}

#[cfg(test)]
mod tests;

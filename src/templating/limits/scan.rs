//! Parse stage, content templating: the scan of a prepared file before Liquid parses it — block
//! and index nesting and chained conditions are refused before Liquid's recursion could overflow
//! the stack, and every tag's offset is noted in parse order.

use liquid_core::Language;

use super::{MAX_CONDITIONS, MAX_DEPTH};
use crate::templating::syntax;

/// What `scan` found wrong: where, and what.
#[derive(Debug, PartialEq, Eq)]
pub struct ScanError {
    pub at: usize,
    pub message: String,
}

/// Checks `source` (a file's text as prepared for Liquid) before Liquid parses it, and returns
/// the offset of each tag Liquid will parse, in the order it parses them (Liquid's
/// `{% raw %}` content is not parsed; `{% comment %}` content is).
pub fn scan(source: &str, language: &Language) -> std::result::Result<Vec<usize>, ScanError> {
    let is_block = |name: &str| language.blocks.get(name).is_some();
    let is_tag = |name: &str| language.tags.get(name).is_some();
    let mut tags = Vec::new();
    // Open blocks: name, offset, whether inside a comment.
    let mut open: Vec<(&str, usize, bool)> = Vec::new();
    let mut at = 0;
    let error = |at: usize, message: String| ScanError { at, message };
    while let Some(start) = syntax::find_open(source, at) {
        let Some(end) = syntax::find_close(source, start, false) else {
            break;
        };
        let text = &source[start..end];
        if index_depth(text) > MAX_DEPTH {
            return Err(error(
                start,
                format!("`[…]` indexes nest more than {MAX_DEPTH} deep"),
            ));
        }
        at = end;
        if source.as_bytes()[start + 1] != b'%' {
            continue;
        }
        let name = syntax::tag_name(text);
        if matches!(name, "if" | "unless" | "elsif") && conditions(text) > MAX_CONDITIONS {
            return Err(error(
                start,
                format!("`{{% {name} %}}` chains more than {MAX_CONDITIONS} `and`/`or` conditions"),
            ));
        }
        if name == "raw" && is_block(name) {
            tags.push(start);
            match syntax::find_tag(source, end, "endraw") {
                Some((_, raw_end)) => at = raw_end,
                None => break,
            }
            continue;
        }
        if is_block(name) {
            tags.push(start);
            let in_comment = open.iter().any(|(n, _, _)| *n == "comment");
            open.push((name, start, in_comment));
            if open.len() > MAX_DEPTH {
                return Err(error(
                    start,
                    format!(
                        "`{{% {name} %}}` nests too deep: blocks may nest at most {MAX_DEPTH} deep"
                    ),
                ));
            }
        } else if let Some(closed) = name.strip_prefix("end").filter(|n| is_block(n)) {
            if let Some(i) = open.iter().rposition(|(n, _, _)| *n == closed) {
                // Liquid's comment block reads the tags inside it, and crashes on a block left
                // open there: report it instead.
                if let Some(&(inner, inner_at, true)) = open.get(i + 1) {
                    return Err(unclosed_in_comment(inner, inner_at));
                }
                open.truncate(i);
            }
        } else if is_tag(name) {
            tags.push(start);
        }
    }
    if let Some(&(inner, inner_at, _)) = open.iter().find(|(_, _, in_comment)| *in_comment) {
        return Err(unclosed_in_comment(inner, inner_at));
    }
    Ok(tags)
}

/// The offset and name of every tag of `source` that `language` does not know (`{% gist 1 %}`
/// of a Jekyll plugin), outside `{% raw %}`: Liquid stops at the first, the writer wants them
/// all at once.
pub fn unknown_tags<'s>(source: &'s str, language: &Language) -> Vec<(usize, &'s str)> {
    let known = |name: &str| {
        let block = |n: &str| language.blocks.get(n).is_some();
        block(name)
            || language.tags.get(name).is_some()
            || name.strip_prefix("end").is_some_and(block)
            // Parts of the blocks, which the blocks read themselves.
            || matches!(name, "else" | "elsif" | "when")
    };
    let mut unknown = Vec::new();
    each_tag(source, &["raw"], |start, tag| {
        let name = syntax::tag_name(tag);
        if tag.as_bytes()[1] == b'%' && !name.is_empty() && !known(name) {
            unknown.push((start, name));
        }
    });
    unknown
}

/// The offset (of its tag) and name of every filter of `source` that `language` does not know
/// (`{{ "nav.home" | t }}` of a Jekyll i18n plugin), in `{{ … }}` and `{% … %}` alike, outside
/// `{% raw %}` and `{% comment %}` and outside quoted strings: Liquid stops at the first.
pub fn unknown_filters<'s>(source: &'s str, language: &Language) -> Vec<(usize, &'s str)> {
    let mut unknown = Vec::new();
    each_tag(source, &["raw", "comment"], |start, tag| {
        let names = filter_names(tag).into_iter().map(|(_, name)| name);
        unknown.extend(
            names
                .filter(|name| language.filters.get(name).is_none())
                .map(|name| (start, name)),
        );
    });
    unknown
}

/// Calls `f` with the offset and text of every `{{ … }}` and `{% … %}` of `source`, but not of
/// the blocks `skipped` (their opening tags neither) — up to one that is never closed.
fn each_tag<'s>(source: &'s str, skipped: &[&str], mut f: impl FnMut(usize, &'s str)) {
    let mut at = 0;
    while let Some(start) = syntax::find_open(source, at) {
        let Some(end) = syntax::find_close(source, start, false) else {
            break;
        };
        at = end;
        let tag = &source[start..end];
        let name = syntax::tag_name(tag);
        if tag.as_bytes()[1] == b'%' && skipped.contains(&name) {
            match syntax::find_tag(source, end, &format!("end{name}")) {
                Some((_, block_end)) => at = block_end,
                None => break,
            }
            continue;
        }
        f(start, tag);
    }
}

/// The name after each `|` of a tag's text that is not in a quoted string, with its offset in
/// the tag.
pub fn filter_names(tag: &str) -> Vec<(usize, &str)> {
    let bytes = tag.as_bytes();
    let mut names = Vec::new();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'|') => {
                let rest = &tag[i + 1..];
                let from = i + 1 + (rest.len() - rest.trim_start().len());
                let len = tag[from..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                    .unwrap_or(tag.len() - from);
                if len > 0 {
                    names.push((from, &tag[from..from + len]));
                }
            }
            _ => {}
        }
    }
    names
}

fn unclosed_in_comment(name: &str, at: usize) -> ScanError {
    ScanError {
        at,
        message: format!(
            "`{{% {name} %}}` inside `{{% comment %}}` is never closed: add `{{% end{name} %}}` \
             (Liquid reads the tags in a comment)"
        ),
    }
}

/// How deep `[` nests in a tag or expression, outside quoted strings.
fn index_depth(text: &str) -> usize {
    let (mut depth, mut deepest, mut quote) = (0usize, 0, None);
    for b in text.bytes() {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'[') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (None, b']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// How many `and`/`or` a tag holds outside quoted strings.
fn conditions(text: &str) -> usize {
    let mut count = 0;
    let mut quote = None;
    let mut word_start = None;
    let bytes = text.as_bytes();
    for (i, &b) in bytes
        .iter()
        .enumerate()
        .chain(std::iter::once((bytes.len(), &b' ')))
    {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => continue,
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None => {}
        }
        if b.is_ascii_alphanumeric() || b == b'_' {
            word_start.get_or_insert(i);
        } else if let Some(s) = word_start.take()
            && matches!(&text[s..i], "and" | "or")
        {
            count += 1;
        }
    }
    count
}

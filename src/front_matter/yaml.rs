//! Parse stage, front matter: reading YAML — a page's keys into typed fields (near-misses of
//! known keys warned), data files as JSON — with serde_yaml's errors placed at their line.

use std::collections::BTreeMap;

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use super::{FrontMatter, KNOWN_KEYS, Split};
use crate::diagnostic::Diagnostic;

/// Reads the YAML of `split` into `front`; `false` when it could not be read at all (invalid
/// YAML, not a map), so nothing of it is known.
pub(super) fn read_yaml(
    file: &str,
    text: &str,
    split: Split,
    front: &mut FrontMatter,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let yaml = &text[split.yaml_start..split.yaml_end];
    front.lines = key_lines(yaml, split.first_line);
    if yaml.trim().is_empty() {
        return true;
    }
    let mapping = match parse(yaml) {
        Ok(Yaml::Mapping(mapping)) => mapping,
        Ok(Yaml::Null) => return true,
        Ok(_) => {
            diagnostics.push(
                Diagnostic::error(
                    "front-matter",
                    file,
                    "front matter must be `key: value` lines",
                )
                .at(split.first_line, 1)
                .with_source(text, 1),
            );
            return false;
        }
        Err(e) => {
            let (message, marks) = split_yaml_error(&e);
            let duplicate = duplicate_key(yaml, &message);
            // An unclosed quote or bracket is found at the end of the text; the place it was
            // opened (the error's context) is where the writer must look.
            let mark = if message.starts_with("found unexpected end of stream") {
                marks.last()
            } else if let Some(duplicate) = &duplicate {
                Some(&duplicate.at)
            } else {
                marks.first()
            };
            // Problems found at the end of the text are reported on its last line.
            let last_line = split.first_line + yaml.lines().count().max(1) as u32 - 1;
            let (line, column) = mark.map_or((split.first_line, 1), |&(line, column)| {
                let line = split.first_line + line - 1;
                if line > last_line {
                    (last_line, 1)
                } else {
                    (line, column)
                }
            });
            let mut diagnostic =
                Diagnostic::error("front-matter", file, format!("invalid YAML: {message}"))
                    .at(line, column)
                    .with_source(text, 1);
            if let Some(duplicate) = duplicate {
                diagnostic = diagnostic.with_note(duplicate.note(split.first_line));
            }
            diagnostics.push(diagnostic);
            return false;
        }
    };
    for (key, value) in mapping {
        let Some(key) = key.as_str().map(str::to_string) else {
            diagnostics.push(
                Diagnostic::error("front-matter", file, "front matter keys must be text")
                    .at(split.first_line, 1),
            );
            continue;
        };
        let line = front.line_of(&key);
        let at = |d: Diagnostic| d.at(line, 1).with_source(text, key.chars().count());
        let mut invalid = |expected: &str| {
            diagnostics.push(at(Diagnostic::error(
                "front-matter",
                file,
                format!("`{key}` must be {expected} (found {})", describe(&value)),
            )));
        };
        if let Some(slot) = text_field(front, &key) {
            match text_value(&value) {
                Ok(text) => *slot = text,
                Err(()) => invalid("text"),
            }
            continue;
        }
        match key.as_str() {
            "elementId" => match &value {
                // `41.0` is element 41, as `41` is.
                Yaml::Number(n) => {
                    front.element_id =
                        Some(whole(n).map_or_else(|| n.to_string(), |i| i.to_string()))
                }
                Yaml::String(s) => front.element_id = Some(s.trim().to_string()),
                Yaml::Null => {}
                _ => invalid("a number or text"),
            },
            // Jekyll-era pages write `order: "1"` and `order: 3.0`; Jekyll sorted them anyway.
            "order" => match &value {
                Yaml::Number(n) if whole(n).is_some() => front.order = whole(n),
                Yaml::String(s) if s.trim().parse::<i64>().is_ok() => {
                    front.order = s.trim().parse().ok()
                }
                Yaml::Null => {}
                _ => invalid("an integer"),
            },
            "sitemap" => match &value {
                Yaml::Bool(b) => front.sitemap = *b,
                _ => invalid("true or false"),
            },
            "search" => match &value {
                Yaml::Bool(b) => front.search = *b,
                _ => invalid("true or false"),
            },
            "draft" => match &value {
                Yaml::Bool(b) => front.draft |= *b,
                _ => invalid("true or false"),
            },
            "published" => match &value {
                Yaml::Bool(b) => {
                    front.unpublished = !*b;
                    front.draft |= !*b;
                }
                _ => invalid("true or false"),
            },
            "templating" => match &value {
                Yaml::Bool(b) => front.templating = *b,
                _ => invalid("true or false"),
            },
            "redirect_from" => match text_list(&value) {
                Ok(paths) => front.redirect_from = paths,
                Err(()) => invalid("a path or a list of paths"),
            },
            _ => {
                if let Some(known) = near_miss(&key) {
                    diagnostics.push(
                        at(Diagnostic::warning(
                            "unknown-key",
                            file,
                            format!("unknown front matter key `{key}`"),
                        ))
                        .with_suggestion(Some(known.to_string())),
                    );
                }
                match serde_json::to_value(&value) {
                    Ok(json) => {
                        front.extra.insert(key, json);
                    }
                    Err(e) => diagnostics.push(at(Diagnostic::warning(
                        "front-matter",
                        file,
                        format!("`{key}` cannot be passed to templates: {e}"),
                    ))),
                }
            }
        }
    }
    true
}

/// Reads a YAML data file (`data/glossary.yml`) for content templating, as JSON. Problems are
/// diagnostics at their line in `file`.
pub fn yaml_data(file: &str, text: &str) -> Result<Json, Diagnostic> {
    let value = parse(text).map_err(|e| {
        let (message, marks) = split_yaml_error(&e);
        let last_line = text.lines().count().max(1) as u32;
        let duplicate = duplicate_key(text, &message);
        let mark = duplicate.as_ref().map(|d| &d.at).or(marks.first());
        let (line, column) = mark.map_or((1, 1), |&(line, column)| (line.min(last_line), column));
        let diagnostic = Diagnostic::error("data", file, format!("invalid YAML: {message}"))
            .at(line, column)
            .with_source(text, 1);
        match duplicate {
            Some(duplicate) => diagnostic.with_note(duplicate.note(1)),
            None => diagnostic,
        }
    })?;
    serde_json::to_value(&value).map_err(|e| {
        Diagnostic::error("data", file, format!("cannot be used as data: {e}")).at(1, 1)
    })
}

/// How deep `[…]` and `{…}` may nest: serde_yaml refuses more than 128 nested values anyway.
const MAX_FLOW_DEPTH: usize = 128;

/// `yaml` read by serde_yaml, or its error as serde_yaml words it (`… at line L column C`).
/// Flow collections nested too deep are refused first, by a linear scan: libyaml's scanner
/// takes time quadratic in their depth (`a: [[[[…` 100,000 deep: minutes, in a pull request's
/// data file), although serde_yaml then refuses them.
fn parse(yaml: &str) -> Result<Yaml, String> {
    if let Some((line, column)) = flow_too_deep(yaml) {
        return Err(format!(
            "lists and maps nest more than {MAX_FLOW_DEPTH} deep at line {line} column {column}"
        ));
    }
    serde_yaml::from_str(yaml).map_err(|e| e.to_string())
}

/// Where (1-based line and column) a `[` or `{` opens a flow collection nested more than
/// `MAX_FLOW_DEPTH` deep. Quoted scalars and comments are skipped; a quote counts only where a
/// scalar can start, so the apostrophe of `It's` does not open one.
fn flow_too_deep(yaml: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let mut previous = '\n';
    let mut chars = yaml.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            (line, column) = (line + 1, 0);
        }
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
                column += 1;
            }
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '#' if previous.is_whitespace() => while chars.next_if(|&c| c != '\n').is_some() {},
                '\'' | '"' if previous.is_whitespace() || "[{,:-".contains(previous) => {
                    quote = Some(c)
                }
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some((line, column));
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        previous = c;
    }
    None
}

/// The typed field of a known key whose value is text.
fn text_field<'f>(front: &'f mut FrontMatter, key: &str) -> Option<&'f mut Option<String>> {
    Some(match key {
        "heading" => &mut front.heading,
        "seo" => &mut front.seo,
        "title" => &mut front.title,
        "description" => &mut front.description,
        "layout" => &mut front.layout,
        "breadcrumbs" => &mut front.breadcrumbs,
        "parent" => &mut front.parent,
        "logo" => &mut front.logo,
        _ => return None,
    })
}

/// serde_yaml's message without its " at line N column M" parts, and those positions.
fn split_yaml_error(text: &str) -> (String, Vec<(u32, u32)>) {
    let mut message = String::new();
    let mut marks = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(" at line ") {
        message.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let line_digits = after.chars().take_while(char::is_ascii_digit).count();
        let column_part = after[line_digits..].strip_prefix(" column ").unwrap_or("");
        let column_digits = column_part.chars().take_while(char::is_ascii_digit).count();
        match (
            after[..line_digits].parse(),
            column_part[..column_digits].parse(),
        ) {
            (Ok(line), Ok(column)) => {
                marks.push((line, column));
                rest = &column_part[column_digits..];
            }
            _ => {
                message.push_str(" at line ");
                rest = after;
            }
        }
    }
    message.push_str(rest);
    (message, marks)
}

/// A key given twice in one map: serde_yaml places the error at the map's start, where the
/// writer would look in vain; the second occurrence is where it is. Lines are 1-based within
/// the YAML text.
struct Duplicate {
    /// The line and column of the key's second occurrence.
    at: (u32, u32),
    /// The line of its first occurrence.
    first: u32,
}

impl Duplicate {
    /// Where the first one is, and what Jekyll did with the two, for a migrating writer.
    fn note(&self, first_line: u32) -> String {
        format!(
            "the key is first given on line {}; Jekyll's YAML reader keeps the last value without a word: delete the one you do not mean",
            first_line + self.first - 1
        )
    }
}

/// The duplicate key of `message` (`duplicate entry with key "order"`, which names no place) in
/// `yaml`: two entries of that key at one indentation with nothing between them closing the map.
fn duplicate_key(yaml: &str, message: &str) -> Option<Duplicate> {
    // Nested maps are named first: `extra: duplicate entry with key "a"`.
    const SAYS: &str = "duplicate entry with key ";
    let key = &message[message.find(SAYS)? + SAYS.len()..];
    let key: String = serde_json::from_str(key.trim()).ok()?;
    // Each line's key: its column (0-based), whether it opens a list item (`- key:`), its name.
    let entries: Vec<Option<(usize, bool, &str)>> = yaml.lines().map(entry).collect();
    let content_column = |line: &str| {
        let trimmed = line.trim_start_matches(' ');
        (!trimmed.is_empty() && !trimmed.starts_with('#')).then(|| line.len() - trimmed.len())
    };
    let lines: Vec<&str> = yaml.lines().collect();
    let mut open: Vec<(usize, usize)> = Vec::new(); // (column, line index) of the key seen last
    for (n, found) in entries.iter().enumerate() {
        let Some((column, item, name)) = *found else {
            continue;
        };
        if name != key {
            continue;
        }
        let same_map =
            open.iter()
                .rev()
                .find(|(c, _)| *c == column)
                .and_then(|&(_, at)| {
                    let closed =
                        item || lines[at + 1..n].iter().zip(&entries[at + 1..n]).any(
                            |(line, e)| {
                                content_column(line).is_some_and(|c| c < column)
                                    || matches!(e, Some((c, true, _)) if *c == column)
                            },
                        );
                    (!closed).then_some(at)
                });
        if let Some(at) = same_map {
            return Some(Duplicate {
                at: (n as u32 + 1, column as u32 + 1),
                first: at as u32 + 1,
            });
        }
        open.retain(|(c, _)| *c != column);
        open.push((column, n));
    }
    None
}

/// The key a line of a block map gives: its column, whether a `- ` before it opens a list item,
/// and its name without quotes.
fn entry(line: &str) -> Option<(usize, bool, &str)> {
    let trimmed = line.trim_start_matches(' ');
    let mut column = line.len() - trimmed.len();
    let (item, rest) = match trimmed.strip_prefix("- ") {
        Some(rest) => {
            let inner = rest.trim_start_matches(' ');
            column += 2 + rest.len() - inner.len();
            (true, inner)
        }
        None => (false, trimmed),
    };
    if rest.starts_with('#') {
        return None;
    }
    let (name, _) = rest.split_once(':')?;
    let name = name.trim().trim_matches(['"', '\'']);
    (!name.is_empty()).then_some((column, item, name))
}

/// A YAML number that is a whole number (`3`, `3.0`), as an `i64`.
fn whole(n: &serde_yaml::Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        n.as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64)
    })
}

/// A scalar as text; `Err` for lists and maps.
fn text_value(value: &Yaml) -> Result<Option<String>, ()> {
    match value {
        Yaml::Null => Ok(None),
        Yaml::String(s) => Ok(Some(s.clone())),
        Yaml::Number(n) => Ok(Some(n.to_string())),
        Yaml::Bool(b) => Ok(Some(b.to_string())),
        Yaml::Tagged(tagged) => text_value(&tagged.value),
        Yaml::Sequence(_) | Yaml::Mapping(_) => Err(()),
    }
}

/// One text or a list of texts (`redirect_from: /a.html` or `[/a.html, /b/]`); `Err` for
/// anything else, including a list holding a map.
fn text_list(value: &Yaml) -> Result<Vec<String>, ()> {
    match value {
        Yaml::Null => Ok(Vec::new()),
        Yaml::String(s) => Ok(vec![s.clone()]),
        Yaml::Sequence(items) => items
            .iter()
            .map(|item| match item {
                Yaml::String(s) => Ok(s.clone()),
                _ => Err(()),
            })
            .collect(),
        Yaml::Tagged(tagged) => text_list(&tagged.value),
        _ => Err(()),
    }
}

fn describe(value: &Yaml) -> String {
    match value {
        Yaml::Null => "nothing".into(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Number(n) => n.to_string(),
        Yaml::String(s) => format!("\"{s}\""),
        Yaml::Sequence(_) => "a list".into(),
        Yaml::Mapping(_) => "a map".into(),
        Yaml::Tagged(t) => describe(&t.value),
    }
}

/// The known key an unknown one was probably meant to be (`oder`, `xrder`, `Order`).
fn near_miss(key: &str) -> Option<&'static str> {
    crate::suggest::closest(key, KNOWN_KEYS.iter().copied())
}

/// The line of each top-level key of `yaml`, whose first line is `first_line` of the file.
fn key_lines(yaml: &str, first_line: u32) -> BTreeMap<String, u32> {
    let mut lines = BTreeMap::new();
    for (n, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some((key, _)) = line.split_once(':') {
            let key = key.trim().trim_matches(['"', '\'']);
            if !key.is_empty() {
                lines
                    .entry(key.to_string())
                    .or_insert(first_line + n as u32);
            }
        }
    }
    lines
}

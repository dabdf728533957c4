//! Liquid's errors as docgen diagnostics: a plain message (`unknown variable include.contnet`),
//! a suggestion where one helps, and the file and line — through the include chain — where the
//! writer must look.

use super::compiled::{Compiled, Problem};
use super::markers::{self, Marker};
use super::tags::{FailureKind, RenderState};
use crate::diagnostic::Diagnostic;

/// What a Liquid error says, read from its text (Liquid's error type exposes nothing else).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Described {
    pub message: String,
    pub suggestion: Option<String>,
    /// Text to look for in the file when the error has no position.
    pub hint: Option<String>,
    /// Line and column in the parsed text, for parse errors.
    pub position: Option<(u32, u32)>,
    /// For a block never closed: its name, to point at where it opens.
    pub unclosed: Option<String>,
    /// Extra explanation (`= …` lines).
    pub notes: Vec<String>,
    /// The byte offset in the file, when docgen's own tags know it (see `at_offset`).
    pub offset: Option<usize>,
}

/// The context key holding a byte offset in the file.
const OFFSET_KEY: &str = "docgen offset";

/// `error`, placed at byte `offset` of its file.
pub fn at_offset(error: liquid_core::Error, offset: usize) -> liquid_core::Error {
    error.context(OFFSET_KEY, offset.to_string())
}

/// Reads Liquid's error text:
/// `liquid: Unknown index\n  with:\n    variable=include\n    requested index=contnet\n…`.
pub fn describe(text: &str) -> Described {
    let text = text.strip_prefix("liquid:").unwrap_or(text);
    let mut context: Vec<(&str, &str)> = Vec::new();
    let mut pest_message = None;
    let mut position = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(at) = trimmed.strip_prefix("--> ") {
            let mut numbers = at.split(':').map(|n| n.trim().parse::<u32>().ok());
            if let (Some(Some(line)), Some(Some(column))) = (numbers.next(), numbers.next()) {
                position = Some((line, column));
            }
        } else if let Some(message) = trimmed.strip_prefix("= ") {
            pest_message = Some(message.to_string());
        } else if line.starts_with("    ")
            && let Some((key, value)) = trimmed.split_once('=')
        {
            context.push((key, value));
        }
    }
    let get = |key: &str| context.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let list = |key: &str| -> Vec<&str> {
        get(key)
            .map(|v| v.split(", ").filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    };
    let headline = text.lines().next().unwrap_or("").trim();
    let mut described = Described {
        position,
        offset: get(OFFSET_KEY).and_then(|n| n.parse().ok()),
        ..Described::default()
    };
    match headline {
        "Unknown index" => {
            let variable = get("variable").unwrap_or("");
            let index = get("requested index").unwrap_or("");
            described.message = format!("unknown variable {variable}.{index}");
            described.suggestion = crate::suggest::closest(index, list("available indexes"))
                .map(|s| format!("{variable}.{s}"));
            described.hint = Some(format!("{variable}.{index}"));
        }
        "Unknown variable" => {
            let variable = get("requested variable").unwrap_or("");
            described.message = format!("unknown variable {variable}");
            described.hint = Some(variable.to_string());
        }
        "Unknown filter" => {
            let filter = get("requested filter").unwrap_or("");
            described.message = format!("unknown filter `{filter}`");
            described.suggestion =
                crate::suggest::closest(filter, list("available filters")).map(str::to_string);
            described.hint = Some(filter.to_string());
        }
        _ if pest_message
            .as_deref()
            .is_some_and(|m| m.starts_with("Unclosed block.")) =>
        {
            let message = pest_message.unwrap_or_default();
            let block = message
                .split("{% end")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .unwrap_or("block");
            described.message =
                format!("`{{% {block} %}}` is never closed: add `{{% end{block} %}}`");
            described.unclosed = Some(block.to_string());
        }
        _ => {
            let message = pest_message.unwrap_or_else(|| headline.to_string());
            let message = message.trim_end_matches('.');
            let mut chars = message.chars();
            described.message = chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_else(|| "template error".to_string());
            // A filter that refused its input ("Invalid input … cause=Array expected …
            // filter=concat : 5 … input="x""): say which filter, what it was given and why.
            if let Some(filter) = get("filter") {
                let name = filter.split([' ', ':']).next().unwrap_or(filter);
                let why = get("cause").map_or(String::new(), |cause| {
                    format!(": {}", cause.trim_end_matches('.').to_lowercase())
                });
                let input = get("input").map_or(String::new(), |input| {
                    let shown: String = input.chars().take(40).collect();
                    let more = if shown.len() < input.len() { "…" } else { "" };
                    format!(" {shown}{more}")
                });
                described.message = format!(
                    "filter `{name}` cannot take the value{input} ({}{why})",
                    described.message
                );
                described.hint = Some(name.to_string());
            }
            if let Some(requested) = get("requested") {
                let mut available = list("available tags");
                available.extend(list("available blocks"));
                available.retain(|tag| *tag != super::prepare::OUTPUT_TAG);
                described.message = format!("unknown tag `{requested}`");
                described.suggestion =
                    crate::suggest::closest(requested, available.iter().copied())
                        .map(str::to_string);
                described.hint = Some(requested.to_string());
                // Jekyll sites get tags from Ruby plugins: say how to render one with an include.
                let mut declared: Vec<&str> = available
                    .iter()
                    .copied()
                    .filter(|tag| !super::dialect::BUILTIN_TAGS.contains(tag))
                    .collect();
                declared.sort_unstable();
                described.notes.push(if declared.is_empty() {
                    "no tags are declared in [include_tags] of docgen.toml".to_string()
                } else {
                    format!("tags declared in [include_tags]: {}", declared.join(", "))
                });
                described.notes.push(format!(
                    "to render a file of includes/ for it, declare it in docgen.toml: [include_tags] {requested} = \"{requested}.html\""
                ));
            }
        }
    }
    described
}

/// A file that could not be parsed or read, at its line, reached through `via`.
pub fn problem_diagnostic(file: &Compiled, problem: &Problem, via: Vec<String>) -> Diagnostic {
    let mut d = Diagnostic::error("template", &file.path, problem.message.clone())
        .at(problem.line, problem.column)
        .with_suggestion(problem.suggestion.clone())
        .with_via(via);
    for note in &problem.notes {
        d = d.with_note(note.clone());
    }
    d.with_source_lines(&file.line_index(), 1)
}

/// Why rendering a page failed: an include tag's failure, or a Liquid error in the file that was
/// rendering. `output` is what had been written before it.
pub fn render_diagnostic(
    error: &liquid_core::Error,
    state: &RenderState,
    output: &str,
) -> Diagnostic {
    let mut via = state.chain();
    if let Some(failure) = &state.failure {
        let (line, column) = failure.file.position(failure.at);
        // Underline the tag, up to its `%}` or the end of its line.
        let tag = failure.file.text.get(failure.at..).unwrap_or("");
        let tag = tag.lines().next().unwrap_or("");
        let tag = tag.find("%}").map_or(tag, |end| &tag[..end + 2]);
        let at_tag = |d: Diagnostic| {
            d.at(line, column)
                .with_via(via.clone())
                .with_source_lines(&failure.file.line_index(), tag.chars().count())
        };
        return match &failure.kind {
            FailureKind::Missing {
                written,
                target,
                folder,
                closest,
            } => {
                let wanted = target.strip_prefix(folder.as_str()).unwrap_or(written);
                let near = crate::suggest::closest(wanted, closest.iter().map(String::as_str))
                    .map(str::to_string);
                let d = at_tag(Diagnostic::error(
                    "missing-include",
                    &failure.file.path,
                    format!("include \"{written}\" not found in {folder}"),
                ))
                .with_suggestion(near);
                if closest.is_empty() {
                    d.with_note(format!("{folder} has no files"))
                } else {
                    d.with_note(format!("closest names: {}", closest.join(", ")))
                }
            }
            FailureKind::Cycle { target } => {
                let mut cycle: Vec<String> = state
                    .page
                    .iter()
                    .map(|p| p.path.clone())
                    .chain(state.stack.iter().map(|f| f.compiled.path.clone()))
                    .skip_while(|path| path != target)
                    .collect();
                cycle.push(target.clone());
                at_tag(Diagnostic::error(
                    "include-cycle",
                    &failure.file.path,
                    format!("include cycle: {}", cycle.join(" → ")),
                ))
            }
            FailureKind::Unsafe { written } => at_tag(Diagnostic::error(
                "template",
                &failure.file.path,
                format!(
                    "include \"{written}\" must be a relative path that stays in its folder (no `..`)"
                ),
            )),
            FailureKind::Broken { target, problem } => {
                via.push(failure.file.line_ref(failure.at));
                problem_diagnostic(target, problem, via)
            }
        };
    }
    let described = describe(&error.to_string());
    let Some(file) = state.current() else {
        return Diagnostic::error("template", "", described.message);
    };
    // The error is in the first expression after the last text of this file that was written.
    let (_, markers) = markers::unmark(output, |slot, index| {
        (slot == file.slot)
            .then(|| file.piece_text(index))
            .flatten()
    });
    let from = markers
        .iter()
        .rev()
        .find_map(|(_, marker)| match marker {
            Marker::Piece { slot, index } if *slot == file.slot => {
                let piece = file.pieces[*index as usize];
                Some(piece.src + piece.len)
            }
            _ => None,
        })
        .unwrap_or_else(|| file.pieces.first().map_or(0, |p| p.src));
    let at = described
        .hint
        .as_deref()
        .filter(|hint| !hint.is_empty())
        .and_then(|hint| {
            file.text[from..]
                .find(hint)
                .map(|i| from + i)
                .or_else(|| file.text.find(hint))
        })
        .unwrap_or(from);
    // Without a name to find, the place is the next tag or output after that text.
    let found = described.hint.as_deref().is_some_and(|hint| {
        !hint.is_empty() && file.text.get(at..).is_some_and(|t| t.starts_with(hint))
    });
    let at = match found {
        true => at,
        false => file.text[from..]
            .find("{{")
            .into_iter()
            .chain(file.text[from..].find("{%"))
            .min()
            .map_or(at, |i| from + i),
    };
    let (line, column) = file.position(at);
    let width = match found {
        true => described.hint.as_deref().map_or(1, |h| h.chars().count()),
        false => 1,
    };
    Diagnostic::error("template", &file.path, described.message)
        .at(line, column)
        .with_suggestion(described.suggestion)
        .with_via(via)
        .with_source_lines(&file.line_index(), width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liquid_errors_read_as_plain_messages() {
        // (Liquid's text, message, suggestion, hint, position)
        let cases = [
            (
                "liquid: Unknown index\n  with:\n    variable=include\n    requested index=contnet\n    available indexes=content, type\n",
                "unknown variable include.contnet",
                Some("include.content"),
                Some("include.contnet"),
                None,
            ),
            (
                "liquid: Unknown variable\n  with:\n    requested variable=pgae\n",
                "unknown variable pgae",
                None,
                Some("pgae"),
                None,
            ),
            (
                "liquid: Unknown filter\n  with:\n    requested filter=upcsae\n    available filters=append, upcase\n",
                "unknown filter `upcsae`",
                Some("upcase"),
                Some("upcsae"),
                None,
            ),
            (
                "liquid:  --> 2:4\n  |\n2 | {{ foo bar }}\n  |    ^---\n  |\n  = expected Literal\n",
                "expected Literal",
                None,
                None,
                Some((2, 4)),
            ),
            (
                "liquid:  --> 1:4\n  |\n1 | {% inclde x %}\n  |    ^---\n  |\n  = Unknown tag.\n  with:\n    requested=inclde\n    available tags=assign, include\n    available blocks=if\n",
                "unknown tag `inclde`",
                Some("include"),
                Some("inclde"),
                Some((1, 4)),
            ),
            (
                "liquid: Invalid input\n  with:\n    cause=Array expected\nfrom: Filter error\n  with:\n    filter=concat : 5\n    input=\"x\"\n",
                "filter `concat` cannot take the value \"x\" (invalid input: array expected)",
                None,
                Some("concat"),
                None,
            ),
            (
                "liquid:  --> 1:11\n  |\n1 | \n  | ^\n  |\n  = Unclosed block. {% endif %} tag expected.\n",
                "`{% if %}` is never closed: add `{% endif %}`",
                None,
                None,
                Some((1, 11)),
            ),
        ];
        for (text, message, suggestion, hint, position) in cases {
            let d = describe(text);
            assert_eq!(d.message, message, "{text}");
            assert_eq!(d.suggestion.as_deref(), suggestion, "{text}");
            assert_eq!(d.hint.as_deref(), hint, "{text}");
            assert_eq!(d.position, position, "{text}");
        }
    }
}

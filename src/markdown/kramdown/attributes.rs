//! kramdown's attribute lists: a line holding only `{: …}` is blanked before parsing (under a
//! heading it becomes the heading's), and a heading's trailing `{…}` is decided here — an
//! attribute list (`{#id}`, `{.class}`, `{key=value}`, `{: …}`) or text (`{id}`).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use super::Events;
use super::toc::{is_toc_attribute, toc_item};

/// `body` with every line that holds only a kramdown block attribute list (`{: …}`, outside
/// fenced code) turned into spaces, so byte offsets stay; `None` when there is none. So are
/// the lines kramdown reads and never shows: abbreviation definitions (`*[HTML]: Hyper Text
/// Markup Language`, which `abbreviations` applies), `{::options … /}` and `{::comment}` …
/// `{:/comment}`.
pub fn blank_block_attributes(body: &str) -> Option<String> {
    if !body.contains("{:") && !body.contains("*[") {
        return None;
    }
    let mut out: Option<String> = None;
    let mut fence: Option<(char, usize)> = None;
    let mut at = 0;
    let mut previous = "";
    // Inside `{::comment}`: where it started.
    let mut comment: Option<usize> = None;
    for line in body.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let before = std::mem::replace(&mut previous, content);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let trimmed = content.trim();
        if let Some(from) = comment {
            if trimmed.ends_with("{:/comment}") || trimmed.ends_with("{:/}") {
                comment = None;
                let out = out.get_or_insert_with(|| body.to_string());
                blank(out, from, start + content.len());
            }
            continue;
        }
        if fence.is_none() && indent < 4 {
            if trimmed.starts_with("{::comment}") {
                let closed = trimmed.ends_with("{:/comment}") || trimmed.ends_with("{:/}");
                match closed && trimmed.len() > "{::comment}".len() {
                    true => blank(
                        out.get_or_insert_with(|| body.to_string()),
                        start,
                        start + content.len(),
                    ),
                    // An unclosed comment stays as written: nothing vanishes unseen.
                    false => comment = Some(start),
                }
                continue;
            }
            let options = trimmed.starts_with("{::options") && trimmed.ends_with("/}");
            if options || super::abbreviations::definition(trimmed).is_some() {
                blank(
                    out.get_or_insert_with(|| body.to_string()),
                    start,
                    start + content.len(),
                );
                continue;
            }
        }
        if indent < 4 {
            let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
            if let Some(c) = marker {
                let run = trimmed.chars().take_while(|x| *x == c).count();
                match fence {
                    None if run >= 3 => {
                        fence = Some((c, run));
                        continue;
                    }
                    Some((open, len)) if open == c && run >= len && trimmed.len() == run => {
                        fence = None;
                        continue;
                    }
                    _ => {}
                }
            }
        }
        let attribute_list = trimmed.starts_with("{:")
            && trimmed.ends_with('}')
            && !trimmed.starts_with("{::")
            && trimmed[1..].find(['{', '}']) == Some(trimmed.len() - 2);
        if fence.is_none() && indent < 4 && attribute_list {
            if toc_item(before).is_some() && is_toc_attribute(trimmed) {
                // `* TOC` + `{:toc}`: one list, which `events` replaces.
                continue;
            }
            let out = out.get_or_insert_with(|| body.to_string());
            let after_heading = is_atx_heading(before) && body[..start].ends_with('\n');
            if after_heading && indent == 0 {
                // `## Contents` + `{:.no_toc}`: the heading's attributes. The line break (and a
                // `\r` before it) becomes spaces, so every byte keeps its offset.
                let break_len = if body[..start].ends_with("\r\n") {
                    2
                } else {
                    1
                };
                out.replace_range(start - break_len..start, &" ".repeat(break_len));
                continue;
            }
            let blank = " ".repeat(content.len());
            out.replace_range(start..start + content.len(), &blank);
        }
    }
    out
}

/// `text[from..to]` as spaces, line breaks kept, so every byte keeps its offset.
fn blank(text: &mut String, from: usize, to: usize) {
    let blanked: String = text[from..to]
        .chars()
        .map(|c| match c {
            '\n' | '\r' => c.to_string(),
            c => " ".repeat(c.len_utf8()),
        })
        .collect();
    text.replace_range(from..to, &blanked);
}

/// Whether `line` is an ATX heading (`## Contents`), which a block attribute line under it
/// applies to.
fn is_atx_heading(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    indent < 4
        && (1..=6).contains(&hashes)
        && rest[hashes..].starts_with([' ', '\t'])
        && !rest[hashes..].trim().is_empty()
}

/// Decides what a heading's trailing `{…}` is. `out[start]` is its start event, `whole` its
/// range in `text` and `inner_end` where its last inline event ends.
pub(super) fn heading_attributes<'a>(
    text: &'a str,
    out: &mut Events<'a>,
    start: usize,
    whole: Range<usize>,
    inner_end: usize,
    base: usize,
) {
    let Some((Event::Start(Tag::Heading { level, .. }), _)) = out.get(start) else {
        return;
    };
    let level = *level;
    let source = &text[whole.clone()];
    let line = source.lines().next().unwrap_or("").trim_end();
    let line_start = whole.start;
    let Some(open) = line.ends_with('}').then(|| line.rfind('{')).flatten() else {
        return;
    };
    if inner_end > line_start + open {
        // The braces are part of the text (escaped, or not at the end): not attributes.
        return;
    }
    let content = &line[open + 1..line.len() - 1];
    // `\{id}`: pulldown-cmark takes escaped braces as attributes too, leaving the backslash.
    let escaped = line[..open].ends_with('\\');
    if escaped && out.len() > start + 1 {
        if let Some((Event::Text(last), _)) = out.last_mut() {
            if let Some(kept) = last.strip_suffix('\\') {
                *last = CowStr::from(kept.to_string());
            }
        }
    }
    let parsed = if escaped {
        None
    } else {
        parse_attributes(content)
    };
    let (id, classes, attrs) = match parsed {
        Some(parsed) => parsed,
        None => {
            // Text, as written: `{id}` in `PUT /instances/{id}`.
            let from = if inner_end > line_start {
                inner_end
            } else {
                line_start + open
            };
            let suffix = &text[from..line_start + line.len()];
            out[start].0 = Event::Start(Tag::Heading {
                level,
                id: None,
                classes: Vec::new(),
                attrs: Vec::new(),
            });
            let at = from + base..line_start + line.len() + base;
            out.push((Event::Text(CowStr::Borrowed(suffix)), at));
            return;
        }
    };
    out[start].0 = Event::Start(Tag::Heading {
        level,
        id: id.map(CowStr::from),
        classes: classes.into_iter().map(CowStr::from).collect(),
        attrs: attrs
            .into_iter()
            .map(|(k, v)| (CowStr::from(k), v.map(CowStr::from)))
            .collect(),
    });
}

type Attributes = (Option<String>, Vec<String>, Vec<(String, Option<String>)>);

/// `#id .class key=value` (optionally after kramdown's `:`), or `None` when `content` is not
/// an attribute list.
fn parse_attributes(content: &str) -> Option<Attributes> {
    let content = content.trim();
    let (kramdown, content) = match content.strip_prefix(':') {
        Some(rest) => (true, rest.trim()),
        None => (false, content),
    };
    let mut id = None;
    let mut classes = Vec::new();
    let mut attrs = Vec::new();
    for token in split_tokens(content)? {
        if let Some(name) = token.strip_prefix('#').filter(|n| !n.is_empty()) {
            id = Some(name.to_string());
        } else if let Some(name) = token.strip_prefix('.').filter(|n| !n.is_empty()) {
            classes.push(name.to_string());
        } else if let Some((key, value)) = token.split_once('=').filter(|(k, _)| !k.is_empty()) {
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            attrs.push((key.to_string(), Some(value.to_string())));
        } else {
            return None;
        }
    }
    // `{}` is text; `{:}` is an (empty) kramdown list.
    if id.is_none() && classes.is_empty() && attrs.is_empty() && !kramdown {
        return None;
    }
    Some((id, classes, attrs))
}

/// `a b="c d" e` → `a`, `b="c d"`, `e`; `None` when a quote is never closed.
fn split_tokens(content: &str) -> Option<Vec<&str>> {
    let mut tokens = Vec::new();
    let mut start = None;
    let mut quote = None;
    for (i, c) in content.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    tokens.push(&content[s..i]);
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                start.get_or_insert(i);
            }
        }
    }
    if quote.is_some() {
        return None;
    }
    if let Some(s) = start {
        tokens.push(&content[s..]);
    }
    Some(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_attribute_syntax_is_an_attribute_list() {
        // (inside the braces, is it an attribute list)
        let cases = [
            ("#id", true),
            (".class", true),
            ("#id .a .b key=value", true),
            ("key=\"a b\"", true),
            (": #id", true),
            (":#id .c", true),
            (":", true),
            ("id", false),
            ("name", false),
            ("id name", false),
            ("", false),
            ("#", false),
            ("#id extra", false),
            ("key=\"open", false),
        ];
        for (content, attribute) in cases {
            assert_eq!(
                parse_attributes(content).is_some(),
                attribute,
                "{content:?}"
            );
        }
        assert_eq!(
            parse_attributes(":#bar .c k='v w'"),
            Some((
                Some("bar".to_string()),
                vec!["c".to_string()],
                vec![("k".to_string(), Some("v w".to_string()))]
            ))
        );
    }

    #[test]
    fn block_attribute_lines_are_blanked_outside_code() {
        let body =
            "| a |\n|---|\n| 1 |\n{: .table}\n\n```\n{: kept}\n```\n  {:toc}\n{:: comment}\n";
        let blanked = blank_block_attributes(body).unwrap();
        assert_eq!(blanked.len(), body.len());
        assert_eq!(
            blanked,
            "| a |\n|---|\n| 1 |\n          \n\n```\n{: kept}\n```\n        \n{:: comment}\n"
        );
        assert_eq!(blank_block_attributes("no lists {: here} inline\n"), None);
        assert_eq!(blank_block_attributes("plain"), None);
    }
}

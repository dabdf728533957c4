//! kramdown's abbreviations: a line `*[HTML]: Hyper Text Markup Language` anywhere in a page
//! (never shown: `blank_block_attributes` blanks it) makes every `HTML` of the page's text an
//! `<abbr title="Hyper Text Markup Language">`, as kramdown does — whole words only, the
//! longest abbreviation first, never inside code or raw HTML. Applied to the rendered events,
//! so links and headings are found and named as written.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::highlight::escape;

/// The abbreviation and its expansion a line defines (`*[HTML]: Hyper Text Markup Language`,
/// already trimmed), if it is a definition.
pub(super) fn definition(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("*[")?;
    let close = rest.find("]:")?;
    let name = &rest[..close];
    (!name.trim().is_empty() && !name.contains(['[', ']']))
        .then(|| (name.trim(), rest[close + 2..].trim()))
}

/// The abbreviations `body` defines, outside fenced code, in the order written (a later
/// definition of one name replaces the earlier, as in kramdown).
pub fn definitions(body: &str) -> Vec<(String, String)> {
    if !body.contains("*[") {
        return Vec::new();
    }
    let mut found: Vec<(String, String)> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for line in body.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let trimmed = line.trim();
        if indent >= 4 {
            continue;
        }
        if let Some(c) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') {
            let run = trimmed.chars().take_while(|x| *x == c).count();
            match fence {
                None if run >= 3 => fence = Some((c, run)),
                Some((open, len)) if open == c && run >= len && trimmed.len() == run => {
                    fence = None
                }
                _ => {}
            }
            continue;
        }
        if fence.is_some() {
            continue;
        }
        if let Some((name, title)) = definition(trimmed) {
            found.retain(|(n, _)| n != name);
            found.push((name.to_string(), title.to_string()));
        }
    }
    found
}

/// `events` with every abbreviation of `defined` in their text marked up.
pub fn apply<'a>(events: Vec<Event<'a>>, defined: &[(String, String)]) -> Vec<Event<'a>> {
    if defined.is_empty() {
        return events;
    }
    let mut names: Vec<&(String, String)> = defined.iter().collect();
    names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    let mut out = Vec::with_capacity(events.len());
    // Code blocks' text is code; `<abbr>` only goes into prose.
    let mut in_code = 0usize;
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code += 1;
                out.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = in_code.saturating_sub(1);
                out.push(event);
            }
            Event::Text(text) if in_code == 0 => mark(text, &names, &mut out),
            event => out.push(event),
        }
    }
    out
}

/// Pushes `text` as events, each abbreviation in it wrapped in `<abbr>`.
fn mark<'a>(text: CowStr<'a>, names: &[&(String, String)], out: &mut Vec<Event<'a>>) {
    let mut rest: &str = &text;
    let mut pieces: Vec<Event<'a>> = Vec::new();
    'scan: while !rest.is_empty() {
        let mut at = 0;
        while at < rest.len() {
            let starts_word = rest[..at].chars().next_back().is_none_or(|c| !is_word(c));
            if starts_word {
                for (name, title) in names {
                    let Some(after) = rest[at..].strip_prefix(name.as_str()) else {
                        continue;
                    };
                    if after.chars().next().is_some_and(is_word) {
                        continue;
                    }
                    if at > 0 {
                        pieces.push(Event::Text(rest[..at].to_string().into()));
                    }
                    pieces.push(Event::InlineHtml(
                        format!("<abbr title=\"{}\">", escape(title)).into(),
                    ));
                    pieces.push(Event::Text(name.clone().into()));
                    pieces.push(Event::InlineHtml("</abbr>".into()));
                    rest = after;
                    continue 'scan;
                }
            }
            at += rest[at..].chars().next().map_or(1, char::len_utf8);
        }
        break;
    }
    if pieces.is_empty() {
        out.push(Event::Text(text));
        return;
    }
    if !rest.is_empty() {
        pieces.push(Event::Text(rest.to_string().into()));
    }
    out.extend(pieces);
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str, defined: &[(&str, &str)]) -> String {
        let defined: Vec<(String, String)> = defined
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let events = apply(vec![Event::Text(text.into())], &defined);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter());
        out
    }

    #[test]
    fn definitions_are_lines_of_their_own_outside_code() {
        let body = "*[HTML]: Hyper Text Markup Language\n *[W3C]:  World Wide Web Consortium\n\
                    ```\n*[CODE]: not one\n```\n    *[INDENTED]: code\n*[]: empty\n\
                    *[HTML]: HyperText Markup Language\n*[x] not one\n";
        assert_eq!(
            definitions(body),
            [
                ("W3C".to_string(), "World Wide Web Consortium".to_string()),
                ("HTML".to_string(), "HyperText Markup Language".to_string()),
            ]
        );
    }

    #[test]
    fn whole_words_are_marked_the_longest_first_and_titles_escaped() {
        let defined = [
            ("HTML", "Hyper <Text>"),
            ("HTML5", "the fifth"),
            ("API", "\"API\""),
        ];
        assert_eq!(
            html("HTML and HTML5, not XHTML or HTMLs; API.", &defined),
            "<abbr title=\"Hyper &lt;Text&gt;\">HTML</abbr> and <abbr title=\"the fifth\">HTML5</abbr>, \
             not XHTML or HTMLs; <abbr title=\"&quot;API&quot;\">API</abbr>."
        );
        assert_eq!(html("nothing here", &defined), "nothing here");
        assert_eq!(
            html("Ünï HTML", &defined),
            "Ünï <abbr title=\"Hyper &lt;Text&gt;\">HTML</abbr>"
        );
    }

    #[test]
    fn code_is_left_alone() {
        let defined = vec![("API".to_string(), "x".to_string())];
        let events = vec![
            Event::Code("API".into()),
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Indented)),
            Event::Text("API".into()),
            Event::End(TagEnd::CodeBlock),
        ];
        assert_eq!(apply(events.clone(), &defined), events);
    }
}

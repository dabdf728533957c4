//! Parse stage, first step: splitting a page into its YAML front matter and Markdown body, and
//! reading the front matter into typed fields. The only user of serde_yaml. Every problem is a
//! diagnostic at the line of the file it concerns, and the page is still built with what could
//! be read, so one bad key never hides the page's other problems.

use std::collections::BTreeMap;

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use crate::diagnostic::Diagnostic;

/// The front matter keys docgen understands; anything else is kept in `extra` for templates.
pub const KNOWN_KEYS: &[&str] = &[
    "heading",
    "seo",
    "title",
    "description",
    "layout",
    "breadcrumbs",
    "parent",
    "elementId",
    "order",
    "sitemap",
    "search",
    "draft",
    "published",
    "logo",
    "templating",
    "redirect_from",
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// The element's name, shown above its guides.
    pub heading: Option<String>,
    /// Text for `<title>`.
    pub seo: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Template name without `.html`.
    pub layout: Option<String>,
    /// Link target of the parent breadcrumb.
    pub breadcrumbs: Option<String>,
    /// Label of the parent breadcrumb.
    pub parent: Option<String>,
    /// The element's id; a number or a string in YAML, kept as written.
    pub element_id: Option<String>,
    /// Position of the guide in its element's sidebar.
    pub order: Option<i64>,
    /// `false` leaves the page out of sitemap.xml.
    pub sitemap: bool,
    /// `false` leaves the page out of the search index.
    pub search: bool,
    /// `true` keeps the page out of the site unless drafts are built (`--drafts`).
    pub draft: bool,
    /// `published: false`, Jekyll's way to say `draft: true` (which it sets too).
    pub unpublished: bool,
    /// Image shown for the element on the elements index, relative to the page.
    pub logo: Option<String>,
    /// `false` leaves `{{ }}` and `{% %}` in the page as they are (no content templating).
    pub templating: bool,
    /// Old site paths (`/old/page.html`, `/old/folder/`) that redirect to this page.
    pub redirect_from: Vec<String>,
    /// Every other key, as written.
    pub extra: serde_json::Map<String, Json>,
    /// The 1-based line of each top-level key in the file.
    pub lines: BTreeMap<String, u32>,
}

impl FrontMatter {
    /// The line a key was set on (0 when it was not set).
    pub fn line_of(&self, key: &str) -> u32 {
        self.lines.get(key).copied().unwrap_or(0)
    }

    /// The setting that keeps the page out of the site, as written, or `None` when it is
    /// published.
    pub fn draft_setting(&self) -> Option<&'static str> {
        match (self.unpublished, self.draft) {
            (true, _) => Some("published: false"),
            (false, true) => Some("draft: true"),
            (false, false) => None,
        }
    }
}

/// A page split into front matter and body.
#[derive(Debug)]
pub struct Parsed<'a> {
    pub front: FrontMatter,
    pub body: &'a str,
    /// Byte offset of `body` in the file text.
    pub body_offset: usize,
    pub diagnostics: Vec<Diagnostic>,
}

/// Splits and parses `text`, the content of the page `file` (a path for messages).
pub fn parse<'a>(file: &str, text: &'a str) -> Parsed<'a> {
    let mut diagnostics = Vec::new();
    let (yaml, body_offset) = match split(text) {
        Ok(Some(split)) => (Some(split), split.body_offset),
        Ok(None) => (None, 0),
        Err(line) => {
            diagnostics.push(
                Diagnostic::error(
                    "front-matter",
                    file,
                    "front matter is never closed: add a line with `---` after the last key",
                )
                .at(line, 1)
                .with_source(text, 3),
            );
            (None, 0)
        }
    };
    let mut front = FrontMatter {
        sitemap: true,
        search: true,
        templating: true,
        ..FrontMatter::default()
    };
    if let Some(split) = yaml {
        read_yaml(file, text, split, &mut front, &mut diagnostics);
    }
    Parsed {
        front,
        body: &text[body_offset..],
        body_offset,
        diagnostics,
    }
}

#[derive(Debug, Clone, Copy)]
struct Split {
    /// Byte range of the YAML text.
    yaml_start: usize,
    yaml_end: usize,
    /// 1-based line of the YAML's first line.
    first_line: u32,
    body_offset: usize,
}

/// Finds a `---` … `---` block at the very start of `text`. `Ok(None)`: no front matter;
/// `Err(line)`: it is opened at `line` but never closed.
fn split(text: &str) -> Result<Option<Split>, u32> {
    let start = usize::from(text.starts_with('\u{feff}')) * '\u{feff}'.len_utf8();
    let mut lines = text[start..].split_inclusive('\n');
    let Some(first) = lines.next() else {
        return Ok(None);
    };
    if first.trim_end() != "---" {
        return Ok(None);
    }
    let yaml_start = start + first.len();
    let mut offset = yaml_start;
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Some(Split {
                yaml_start,
                yaml_end: offset,
                first_line: 2,
                body_offset: offset + line.len(),
            }));
        }
        offset += line.len();
    }
    Err(1)
}

fn read_yaml(
    file: &str,
    text: &str,
    split: Split,
    front: &mut FrontMatter,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let yaml = &text[split.yaml_start..split.yaml_end];
    front.lines = key_lines(yaml, split.first_line);
    if yaml.trim().is_empty() {
        return;
    }
    let mapping = match serde_yaml::from_str::<Yaml>(yaml) {
        Ok(Yaml::Mapping(mapping)) => mapping,
        Ok(Yaml::Null) => return,
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
            return;
        }
        Err(e) => {
            let (message, marks) = split_yaml_error(&e.to_string());
            // An unclosed quote or bracket is found at the end of the text; the place it was
            // opened (the error's context) is where the writer must look.
            let mark = if message.starts_with("found unexpected end of stream") {
                marks.last()
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
            diagnostics.push(
                Diagnostic::error("front-matter", file, format!("invalid YAML: {message}"))
                    .at(line, column)
                    .with_source(text, 1),
            );
            return;
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
                Yaml::Number(n) if n.is_i64() || n.is_u64() => {
                    front.element_id = Some(n.to_string())
                }
                Yaml::String(s) => front.element_id = Some(s.trim().to_string()),
                Yaml::Null => {}
                _ => invalid("a number or text"),
            },
            "order" => match &value {
                Yaml::Number(n) if n.is_i64() => front.order = n.as_i64(),
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
}

/// Reads a YAML data file (`data/glossary.yml`) for content templating, as JSON. Problems are
/// diagnostics at their line in `file`.
pub fn yaml_data(file: &str, text: &str) -> Result<Json, Diagnostic> {
    let value = serde_yaml::from_str::<Yaml>(text).map_err(|e| {
        let (message, marks) = split_yaml_error(&e.to_string());
        let last_line = text.lines().count().max(1) as u32;
        let (line, column) = marks
            .first()
            .map_or((1, 1), |&(line, column)| (line.min(last_line), column));
        Diagnostic::error("data", file, format!("invalid YAML: {message}"))
            .at(line, column)
            .with_source(text, 1)
    })?;
    serde_json::to_value(&value).map_err(|e| {
        Diagnostic::error("data", file, format!("cannot be used as data: {e}")).at(1, 1)
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> FrontMatter {
        let parsed = parse("p.md", text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        parsed.front
    }

    #[test]
    fn reads_every_known_key() {
        let front = parse_ok(
            "---\nheading: Citrix GoToWebinar\nseo: Overview | GoToWebinar\ntitle: Overview\n\
             description: Webinars\nlayout: sidebarelementdoc\nbreadcrumbs: /docs/elements.html\n\
             parent: Back to Element Guides\nelementId: 1743\norder: 5\nsitemap: false\ndraft: true\n\
             elementKey: gotowebinar\n---\nBody",
        );
        assert_eq!(front.heading.as_deref(), Some("Citrix GoToWebinar"));
        assert_eq!(front.seo.as_deref(), Some("Overview | GoToWebinar"));
        assert_eq!(front.layout.as_deref(), Some("sidebarelementdoc"));
        assert_eq!(front.breadcrumbs.as_deref(), Some("/docs/elements.html"));
        assert_eq!(front.parent.as_deref(), Some("Back to Element Guides"));
        assert_eq!(front.element_id.as_deref(), Some("1743"));
        assert_eq!(front.order, Some(5));
        assert!(!front.sitemap);
        assert!(front.draft);
        assert_eq!(front.extra["elementKey"], "gotowebinar");
        assert_eq!(front.line_of("order"), 10);
    }

    #[test]
    fn redirect_from_takes_one_path_or_a_list() {
        let front = parse_ok("---\nredirect_from: /old.html\n---\n");
        assert_eq!(front.redirect_from, ["/old.html"]);
        let front = parse_ok("---\ntitle: T\nredirect_from:\n  - /a.html\n  - /b/\n---\n");
        assert_eq!(front.redirect_from, ["/a.html", "/b/"]);
        assert_eq!(front.line_of("redirect_from"), 3);
        assert!(front.extra.is_empty());
    }

    #[test]
    fn body_follows_the_closing_line() {
        let parsed = parse("p.md", "---\ntitle: A\n---\n# Hello\n");
        assert_eq!(parsed.body, "# Hello\n");
        assert_eq!(parsed.body_offset, 17);
    }

    #[test]
    fn no_front_matter_is_fine() {
        let parsed = parse("p.md", "# Just Markdown\n\n---\n");
        assert_eq!(parsed.body_offset, 0);
        assert!(parsed.diagnostics.is_empty());
        assert!(parsed.front.sitemap);
    }

    #[test]
    fn element_id_may_be_text() {
        assert_eq!(
            parse_ok("---\nelementId: \"gtw-1\"\n---\n")
                .element_id
                .as_deref(),
            Some("gtw-1")
        );
    }

    #[test]
    fn failures_point_at_the_line() {
        // (front matter, expected line, expected message fragment)
        let cases = [
            (
                "---\ntitle: A\norder: five\n---\n",
                3,
                "`order` must be an integer (found \"five\")",
            ),
            ("---\norder: 2.5\n---\n", 2, "`order` must be an integer"),
            (
                "---\ndraft: yes please\n---\n",
                2,
                "`draft` must be true or false",
            ),
            (
                "---\ntitle: [a, b]\n---\n",
                2,
                "`title` must be text (found a list)",
            ),
            (
                "---\ntitle: A\nheading: \"open\n---\n",
                3,
                "invalid YAML: found unexpected end of stream, while scanning a quoted scalar",
            ),
            ("---\ntitle: a\n  bad: indent\n---\n", 3, "invalid YAML"),
            ("---\ntitle: A\n", 1, "front matter is never closed"),
            (
                "---\ntitle: A\nredirect_from: 3\n---\n",
                3,
                "`redirect_from` must be a path or a list of paths (found 3)",
            ),
            (
                "---\nredirect_from:\n  - /a.html\n  - {x: 1}\n---\n",
                2,
                "`redirect_from` must be a path or a list of paths (found a list)",
            ),
            (
                "---\n- a\n- b\n---\n",
                2,
                "front matter must be `key: value` lines",
            ),
        ];
        for (text, line, fragment) in cases {
            let parsed = parse("p.md", text);
            assert_eq!(
                parsed.diagnostics.len(),
                1,
                "{text:?}: {:?}",
                parsed.diagnostics
            );
            let d = &parsed.diagnostics[0];
            assert!(d.is_error());
            assert_eq!(d.line, line, "{text:?}: {d}");
            assert!(d.message.contains(fragment), "{text:?}: {}", d.message);
        }
    }

    #[test]
    fn a_bad_key_keeps_the_others() {
        let parsed = parse(
            "p.md",
            "---\ntitle: Kept\norder: five\nheading: Also kept\n---\n",
        );
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(parsed.front.title.as_deref(), Some("Kept"));
        assert_eq!(parsed.front.heading.as_deref(), Some("Also kept"));
    }

    #[test]
    fn near_misses_of_known_keys_warn_with_a_suggestion() {
        let parsed = parse(
            "p.md",
            "---\noder: 3\nTitle: X\nelementid: 4\napiKey: k\nelementKey: e\n---\n",
        );
        let found: Vec<_> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.line, d.message.as_str(), d.suggestion.as_deref().unwrap()))
            .collect();
        assert_eq!(
            found,
            [
                (2, "unknown front matter key `oder`", "order"),
                (3, "unknown front matter key `Title`", "title"),
                (4, "unknown front matter key `elementid`", "elementId"),
            ]
        );
        assert!(parsed.diagnostics.iter().all(|d| !d.is_error()));
        assert_eq!(parsed.front.extra["oder"], 3);
        assert_eq!(parsed.front.extra["apiKey"], "k");
    }

    #[test]
    fn templating_can_be_turned_off_per_page() {
        assert!(
            parse_ok(
                "---
title: A
---
"
            )
            .templating
        );
        assert!(
            !parse_ok(
                "---
templating: false
---
"
            )
            .templating
        );
        let parsed = parse(
            "p.md",
            "---
templating: no thanks
---
",
        );
        assert_eq!(
            parsed.diagnostics[0].message,
            "`templating` must be true or false (found \"no thanks\")"
        );
    }

    #[test]
    fn yaml_data_files_read_as_json_or_fail_at_their_line() {
        let json = yaml_data("data/g.yml", "element: An API connector\nlist: [1, 2]\n").unwrap();
        assert_eq!(json["element"], "An API connector");
        assert_eq!(json["list"][1], 2);
        let d = yaml_data("data/g.yml", "a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert_eq!(d.file, "data/g.yml");
        assert!(d.message.starts_with("invalid YAML"), "{}", d.message);
        assert!(d.line >= 2, "{d}");
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let front = parse_ok("\u{feff}---\ntitle: B\n---\n");
        assert_eq!(front.title.as_deref(), Some("B"));
    }
}

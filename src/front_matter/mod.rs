//! Parse stage, first step: splitting a page into its YAML front matter and Markdown body, and
//! reading the front matter into typed fields. The only user of serde_yaml. Every problem is a
//! diagnostic at the line of the file it concerns, and the page is still built with what could
//! be read, so one bad key never hides the page's other problems.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::diagnostic::Diagnostic;

mod yaml;

use yaml::read_yaml;
pub use yaml::yaml_data;

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
    /// Whether the front matter could not be read at all (invalid YAML, never closed): its
    /// values are unknown, so "undefined" ones are not the page's fault.
    pub unreadable: bool,
}

/// Splits and parses `text`, the content of the page `file` (a path for messages).
pub fn parse<'a>(file: &str, text: &'a str) -> Parsed<'a> {
    let mut diagnostics = Vec::new();
    let mut unreadable = false;
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
            unreadable = true;
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
        unreadable = !read_yaml(file, text, split, &mut front, &mut diagnostics);
    }
    Parsed {
        front,
        body: &text[body_offset..],
        body_offset,
        diagnostics,
        unreadable,
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

#[cfg(test)]
mod tests;

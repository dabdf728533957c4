//! `docgen new page PATH [--title T]`: one new page whose front matter already fits where it
//! goes. In an element's folder it gets the element's `heading` and `elementId` (as navigation
//! sees them), the `layout`, `breadcrumbs`, `parent` and `elementKey` of the element's Overview,
//! and the next `order`, so it appears last in the sidebar; elsewhere it copies the layout and
//! breadcrumbs of the pages beside it. It never overwrites a file.

use std::io::Write;

use super::{yaml_id, yaml_text};
use crate::config::Config;
use crate::error::{Error, Result, fs};
use crate::nav::Navigation;
use crate::page::{self, Page};
use crate::source;

/// What to create.
#[derive(Debug, Clone)]
pub struct NewPage {
    /// Below `content/`, with or without `content/` and `.md`: `elements/box/box-limits.md`.
    pub path: String,
    /// Its title; by default from the file name (without the element's key prefix).
    pub title: Option<String>,
}

/// What `new_page` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedPage {
    /// From the site root: `content/elements/box/box-limits.md`.
    pub file: String,
    /// The whole text written.
    pub text: String,
}

/// Writes the page `options` asks for into the site of `config`.
pub fn new_page(config: &Config, options: &NewPage) -> Result<CreatedPage> {
    let rel = content_path(&options.path)?;
    let file = page::display_path(&rel);
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel.as_str()));
    let content = config.content_dir();
    let pages: Vec<Page> = source::files_in(&content.join(dir))
        .into_iter()
        .filter(|n| source::is_page(n))
        .map(|n| {
            let source = if dir.is_empty() {
                n
            } else {
                format!("{dir}/{n}")
            };
            let bytes = source::read(&content, &source)?;
            Ok(Page::parse(&source, bytes))
        })
        .collect::<Result<_>>()?;
    if pages.iter().any(|p| p.source == rel) {
        return Err(Error::Usage(format!(
            "{file} already exists: choose another name"
        )));
    }
    let text = front_matter(&pages, dir, name, options.title.as_deref());
    let path = content.join(&rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    // Created in the same step as checked: a file that appeared meanwhile is not overwritten.
    let mut out = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Usage(format!(
                "{file} already exists: choose another name"
            )));
        }
        Err(e) => return Err(Error::io(&path, e)),
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Error::io(&path, e))?;
    Ok(CreatedPage { file, text })
}

/// The page's path below `content/`: `content/` and a leading `./` or `/` dropped, `.md` added.
fn content_path(written: &str) -> Result<String> {
    let mut rel = written.trim().replace('\\', "/");
    for prefix in ["./", "/", "content/"] {
        if let Some(rest) = rel.strip_prefix(prefix) {
            rel = rest.to_string();
        }
    }
    if rel.is_empty() || rel.ends_with('/') {
        return Err(Error::Usage(format!(
            "\"{written}\" must name a page file below content/, such as guides/faq.md"
        )));
    }
    if rel
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == ".." || part.starts_with('.'))
    {
        return Err(Error::Usage(format!(
            "\"{written}\" must be a path below content/ (no `..`, hidden or empty parts)"
        )));
    }
    let name = rel.rsplit('/').next().unwrap_or(&rel);
    match name.rsplit_once('.') {
        None => rel.push_str(".md"),
        Some((_, "md")) => {}
        Some((_, ext)) => {
            return Err(Error::Usage(format!(
                "\"{written}\" is a .{ext} file: pages are .md files"
            )));
        }
    }
    Ok(rel)
}

/// The new page's text: front matter from its folder's element or neighbours, and an empty body.
fn front_matter(pages: &[Page], dir: &str, name: &str, title: Option<&str>) -> String {
    let nav = Navigation::build(pages, true);
    let element = nav.element_at(dir);
    // The page whose layout and breadcrumbs the new one copies: the Overview, else the last
    // page in order.
    let model = pages.iter().find(|p| p.is_index()).or_else(|| {
        pages
            .iter()
            .max_by_key(|p| (p.front.order, p.source.clone()))
    });
    let title = match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(title) => title.to_string(),
        None => {
            // `box-limits.md` in the element `box` is "Limits", not "Box limits".
            let stem = element
                .and_then(|e| name.strip_prefix(&format!("{}-", e.key)))
                .unwrap_or(name);
            page::title_from_file_name(&format!("{dir}/{stem}"))
        }
    };
    let mut lines = Vec::new();
    if let Some(element) = element {
        lines.push(format!("heading: {}", yaml_text(&element.heading)));
    }
    lines.push(format!("title: {}", yaml_text(&title)));
    if let Some(model) = model {
        let front = &model.front;
        for (key, value) in [
            ("layout", &front.layout),
            ("breadcrumbs", &front.breadcrumbs),
            ("parent", &front.parent),
        ] {
            if let Some(value) = value {
                lines.push(format!("{key}: {}", yaml_text(value)));
            }
        }
    }
    if let Some(id) = element.and_then(|e| e.element_id.as_deref()) {
        lines.push(format!("elementId: {}", yaml_id(id)));
    }
    if element.is_some()
        && let Some(key) = model
            .and_then(|m| m.front.extra.get("elementKey"))
            .and_then(|k| k.as_str())
    {
        lines.push(format!("elementKey: {}", yaml_text(key)));
    }
    let last = match element {
        Some(element) => element.guides.iter().filter_map(|g| g.order).max(),
        None => pages.iter().filter_map(|p| p.front.order).max(),
    };
    match (last, element) {
        (Some(last), _) => lines.push(format!("order: {}", next_order(last))),
        // The first guide of an element still gets a place in the sidebar.
        (None, Some(_)) => lines.push("order: 10".into()),
        (None, None) => {}
    }
    format!("---\n{}\n---\n\n", lines.join("\n"))
}

/// The order after `last`: the next ten when orders go by tens (10, 20, …), else the next one.
fn next_order(last: i64) -> i64 {
    if last % 10 == 0 { last + 10 } else { last + 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_taken_below_content_with_md_added() {
        let ok = [
            ("guides/faq.md", "guides/faq.md"),
            ("content/guides/faq", "guides/faq.md"),
            (
                "./content/elements/box/box-limits.md",
                "elements/box/box-limits.md",
            ),
            ("/faq", "faq.md"),
        ];
        for (written, expected) in ok {
            assert_eq!(content_path(written).unwrap(), expected, "{written}");
        }
        for bad in [
            "",
            "guides/",
            "../x.md",
            "a/./b.md",
            "a//b.md",
            ".hidden.md",
            "img/x.png",
        ] {
            assert!(content_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn orders_continue_by_tens_or_ones() {
        assert_eq!(next_order(60), 70);
        assert_eq!(next_order(0), 10);
        assert_eq!(next_order(6), 7);
        assert_eq!(next_order(-1), 0);
    }
}

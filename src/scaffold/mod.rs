//! `docgen new element KEY --heading NAME --id N`: a new element's guide set (Overview,
//! Endpoint Setup, Create Instance, Authentication, Events, Error Codes) in
//! `content/elements/KEY/`, so a writer starts from pages that build, link to each other and
//! sit in the sidebar in order.
//!
//! The guides come from templates: the site's `scaffolds/element/` folder when it has one, else
//! the set built into docgen (`src/scaffold/element/`). A Markdown template is rendered with
//! Liquid, with `element.key`, `element.heading` and `element.id` (Liquid meant for the built
//! page goes inside `{% raw %}`); then its front matter gets `heading`, `elementKey`,
//! `elementId` and, unless the template sets it, `order` (10, 20, … in file-name order, the
//! Overview first). `index.md` keeps its name, every other Markdown template is written as
//! `KEY-<name>` (`box-endpoint-setup.md`), and other files are copied as they are. Nothing is
//! written unless every template renders.

use std::path::Path;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result, fs};
use crate::front_matter;
use crate::source;

mod page;
mod site;

pub use page::{NewPage, new_page};
pub use site::{Init, init};

/// The site folder holding templates for `docgen new`.
pub const SCAFFOLDS_DIR: &str = "scaffolds";

/// The built-in element guide set.
const ELEMENT_TEMPLATES: &[(&str, &str)] = &[
    (
        "authentication.md",
        include_str!("element/authentication.md"),
    ),
    (
        "create-instance.md",
        include_str!("element/create-instance.md"),
    ),
    (
        "endpoint-setup.md",
        include_str!("element/endpoint-setup.md"),
    ),
    ("error-codes.md", include_str!("element/error-codes.md")),
    ("events.md", include_str!("element/events.md")),
    ("index.md", include_str!("element/index.md")),
];

/// What to create.
#[derive(Debug, Clone)]
pub struct NewElement {
    /// The element's folder name and `elementKey`: `box`.
    pub key: String,
    /// Its name: `Box`.
    pub heading: String,
    /// Its `elementId`, when it has one.
    pub element_id: Option<String>,
    /// The folder below `content/` that holds the elements.
    pub under: String,
}

/// What `new_element` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The new files, from the site root, sorted.
    pub files: Vec<String>,
    /// Where the templates came from: `scaffolds/element/` or `built-in templates`.
    pub templates: String,
}

/// Writes a new element's guides into `content/<under>/<key>/` of the site of `config`.
pub fn new_element(config: &Config, options: &NewElement) -> Result<Created> {
    let element = element_files(config, options)?;
    let target = config.content_dir().join(&element.dir);
    if !source::list_files(&target)?.is_empty() {
        return Err(Error::Usage(format!(
            "content/{}/ already exists: choose another key, or remove the folder",
            element.dir
        )));
    }
    let mut written = Vec::new();
    for (rel, bytes) in element.files {
        let path = target.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &bytes)?;
        written.push(format!("content/{}/{rel}", element.dir));
    }
    written.sort();
    Ok(Created {
        files: written,
        templates: element.templates,
    })
}

/// A guide set ready to write: its folder below `content/`, and each file's path in it and bytes.
struct ElementFiles {
    dir: String,
    files: Vec<(String, Vec<u8>)>,
    /// Where the templates came from, as `Created::templates` says it.
    templates: String,
}

/// Renders the guide set `options` asks for, writing nothing. `docgen init` writes the same set.
fn element_files(config: &Config, options: &NewElement) -> Result<ElementFiles> {
    let key = options.key.trim();
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        || key.starts_with('-')
    {
        return Err(Error::Usage(format!(
            "element key \"{key}\" must be lowercase letters, digits and dashes (it names the folder and the files)"
        )));
    }
    let heading = options.heading.trim();
    if heading.is_empty() {
        return Err(Error::Usage("--heading must not be empty".into()));
    }
    let under = options.under.trim_matches('/');
    if under.split('/').any(|part| part == ".." || part == ".") {
        return Err(Error::Usage(format!(
            "--under \"{under}\" must be a folder below content/"
        )));
    }
    let element_dir = if under.is_empty() {
        key.to_string()
    } else {
        format!("{under}/{key}")
    };
    let (mut templates, origin) = templates(&config.root)?;
    // A template without `order` gets one by its place: the Overview first, then by name.
    templates.sort_by_key(|(rel, _)| (rel != "index.md", rel.clone()));
    let variables = serde_json::json!({
        "element": {"key": key, "heading": heading, "id": options.element_id},
    });
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut position = 0;
    for (rel, bytes) in templates {
        let out_rel = output_name(&rel, key);
        if !source::is_page(&rel) {
            files.push((out_rel, bytes));
            continue;
        }
        position += 1;
        let shown = match origin {
            Origin::Site => format!("{SCAFFOLDS_DIR}/element/{rel}"),
            Origin::BuiltIn => format!("(built-in) {rel}"),
        };
        let Ok(text) = String::from_utf8(bytes) else {
            problems.push(Diagnostic::error(
                "scaffold",
                &shown,
                "the file is not valid UTF-8 text",
            ));
            continue;
        };
        match crate::templating::render_text(config, &shown, &text, &variables) {
            Ok(rendered) => {
                let mut fields = vec![
                    ("heading", yaml_text(heading)),
                    ("elementKey", yaml_text(key)),
                ];
                if let Some(id) = &options.element_id {
                    fields.push(("elementId", yaml_id(id)));
                }
                let parsed = front_matter::parse(&shown, &rendered);
                problems.extend(parsed.diagnostics.iter().filter(|d| d.is_error()).cloned());
                let order = parsed
                    .front
                    .order
                    .is_none()
                    .then(|| (position * 10).to_string());
                let text = set_front_matter(&rendered, &fields, order);
                files.push((out_rel, text.into_bytes()));
            }
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Config(problems));
    }
    Ok(ElementFiles {
        dir: element_dir,
        files,
        templates: match origin {
            Origin::Site => format!("{SCAFFOLDS_DIR}/element/"),
            Origin::BuiltIn => "built-in templates".into(),
        },
    })
}

#[derive(Debug, Clone, Copy)]
enum Origin {
    Site,
    BuiltIn,
}

/// A template: its path in the template folder, and its bytes.
type Template = (String, Vec<u8>);

/// The templates: the site's, else the built-in set.
fn templates(root: &Path) -> Result<(Vec<Template>, Origin)> {
    let dir = root.join(SCAFFOLDS_DIR).join("element");
    let site = source::list_files(&dir)?;
    if site.is_empty() {
        let built_in = ELEMENT_TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
            .collect();
        return Ok((built_in, Origin::BuiltIn));
    }
    let mut templates = Vec::with_capacity(site.len());
    for rel in site {
        let bytes = source::read(&dir, &rel)?;
        templates.push((rel, bytes));
    }
    Ok((templates, Origin::Site))
}

/// `index.md` and non-Markdown files keep their names; `endpoint-setup.md` → `box-endpoint-setup.md`.
fn output_name(rel: &str, key: &str) -> String {
    let (dir, name) = match rel.rsplit_once('/') {
        Some((dir, name)) => (format!("{dir}/"), name),
        None => (String::new(), rel),
    };
    if name == "index.md" || !source::is_page(name) || name.starts_with(&format!("{key}-")) {
        rel.to_string()
    } else {
        format!("{dir}{key}-{name}")
    }
}

/// Sets top-level keys of the front matter of `text`: `fields` replace the key's line or come
/// right after the opening `---`; `order`, when given, goes last.
fn set_front_matter(text: &str, fields: &[(&str, String)], order: Option<String>) -> String {
    let parsed = front_matter::parse("", text);
    if parsed.body_offset == 0 {
        let mut out = String::from("---\n");
        for (key, value) in fields {
            out.push_str(&format!("{key}: {value}\n"));
        }
        if let Some(order) = order {
            out.push_str(&format!("order: {order}\n"));
        }
        out.push_str("---\n");
        out.push_str(text);
        return out;
    }
    let lines: Vec<&str> = text[..parsed.body_offset].split_inclusive('\n').collect();
    // lines[0] is the opening `---`, the last one the closing `---`.
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + fields.len() + 1);
    out.push(lines[0].to_string());
    for (key, value) in fields {
        if parsed.front.line_of(key) == 0 {
            out.push(format!("{key}: {value}\n"));
        }
    }
    let mut skipping = false;
    for (i, line) in lines.iter().enumerate().take(lines.len() - 1).skip(1) {
        let number = i as u32 + 1;
        if skipping && line.starts_with([' ', '\t']) {
            continue;
        }
        skipping = false;
        match fields
            .iter()
            .find(|(key, _)| parsed.front.line_of(key) == number)
        {
            Some((key, value)) => {
                out.push(format!("{key}: {value}\n"));
                // Drop the old value's continuation lines.
                skipping = true;
            }
            None => out.push(line.to_string()),
        }
    }
    if let Some(order) = order {
        out.push(format!("order: {order}\n"));
    }
    out.push(lines[lines.len() - 1].to_string());
    let mut result = out.concat();
    result.push_str(&text[parsed.body_offset..]);
    result
}

/// A YAML scalar for text: plain when that reads back the same, else double-quoted.
fn yaml_text(text: &str) -> String {
    let plain = text.starts_with(|c: char| c.is_alphabetic())
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '(' | ')' | '/'))
        && !text.ends_with(' ')
        && !matches!(
            text.to_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null"
        );
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).expect("a string serializes")
    }
}

/// An element id: a number as it is, anything else as text.
fn yaml_id(id: &str) -> String {
    let id = id.trim();
    if !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) {
        id.to_string()
    } else {
        yaml_text(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guides_other_than_the_overview_are_named_after_the_key() {
        assert_eq!(output_name("index.md", "box"), "index.md");
        assert_eq!(output_name("events.md", "box"), "box-events.md");
        assert_eq!(output_name("more/faq.md", "box"), "more/box-faq.md");
        assert_eq!(output_name("box-bulk.md", "box"), "box-bulk.md");
        assert_eq!(output_name("img/logo.svg", "box"), "img/logo.svg");
    }

    #[test]
    fn front_matter_keys_are_set_replaced_or_added() {
        let fields = [
            ("heading", "Box".to_string()),
            ("elementKey", "box".to_string()),
        ];
        assert_eq!(
            set_front_matter(
                "---\ntitle: Events\nheading: >\n  Old\n  name\norder: 20\n---\nBody\n",
                &fields,
                None
            ),
            "---\nelementKey: box\ntitle: Events\nheading: Box\norder: 20\n---\nBody\n"
        );
        assert_eq!(
            set_front_matter("---\ntitle: A\n---\n", &fields, Some("10".into())),
            "---\nheading: Box\nelementKey: box\ntitle: A\norder: 10\n---\n"
        );
        assert_eq!(
            set_front_matter("# Plain\n", &fields, Some("10".into())),
            "---\nheading: Box\nelementKey: box\norder: 10\n---\n# Plain\n"
        );
    }

    #[test]
    fn yaml_values_read_back_as_written() {
        assert_eq!(yaml_text("Citrix GoToWebinar"), "Citrix GoToWebinar");
        assert_eq!(yaml_text("Box: Files"), "\"Box: Files\"");
        assert_eq!(yaml_text("yes"), "\"yes\"");
        assert_eq!(yaml_text("#1 API"), "\"#1 API\"");
        assert_eq!(yaml_id("1743"), "1743");
        assert_eq!(yaml_id("gtw-1"), "gtw-1");
    }
}

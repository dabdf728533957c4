//! Load stage, first step: `Config` from the site's `docgen.toml` plus command-line overrides.
//! Unknown keys outside `[extra]` are errors, so a typo never silently does nothing.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::error::{Error, Result, fs};

pub const CONFIG_FILE: &str = "docgen.toml";

/// The settings of one site.
/// The folders of a site, named once: whatever reads, watches, lists or refuses one of them
/// uses these names.
pub mod dirs {
    /// Pages and their assets.
    pub const CONTENT: &str = "content";
    /// Files copied as they are.
    pub const STATIC: &str = "static";
    /// Snippets for `{% include %}`; below `content/`, files for `{% include_relative %}`.
    pub const INCLUDES: &str = "includes";
    /// Data files for `site.data`.
    pub const DATA: &str = "data";
    /// The site's own layouts, which override the theme's.
    pub const TEMPLATES: &str = "templates";
    /// Themes, one folder each.
    pub const THEMES: &str = "themes";
    /// Where `build` writes unless `--output` says otherwise.
    pub const OUTPUT: &str = "public";
    /// The folders a rebuild reads, which `serve` watches.
    pub const WATCHED: [&str; 6] = [CONTENT, STATIC, INCLUDES, DATA, THEMES, TEMPLATES];
    /// The folders of sources an output folder must never be inside.
    pub const SOURCES: [&str; 4] = [CONTENT, STATIC, THEMES, TEMPLATES];
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The folder holding `docgen.toml`.
    pub root: PathBuf,
    pub title: String,
    /// Absolute URL the site is published at, without a trailing slash (`https://host/docs`).
    pub base_url: Option<String>,
    /// The path part of `base_url` (`/docs`), or empty: every internal URL starts with it.
    pub base_path: String,
    /// The path part of docgen.toml's own `base_url`, whatever `--base-url` or the preview
    /// server put in its place: links written with it (`/docs/img/x.png`, as Jekyll sites
    /// hard-code their `baseurl`) resolve in a preview as in the published build.
    pub written_base_path: String,
    pub theme: String,
    /// How a broken link is reported: as an error (the default) or a warning.
    pub broken_links: Severity,
    /// Content path of the page listing all elements, when it cannot be inferred.
    pub elements_index: Option<String>,
    /// Whether `draft: true` pages are built.
    pub drafts: bool,
    /// The `[extra]` table, for templates.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// `[external_links] skip`: URL prefixes `docgen check --external` does not request.
    pub external_skip: Vec<String>,
    /// Whether pages are expanded with content templating (`{{ page.x }}`, `{% include %}`)
    /// before Markdown.
    pub templating: bool,
    /// Whether the search index is written and the theme shows its search box (`search`).
    pub search: bool,
    /// How a use of an undefined variable (`{{ page.missing }}`) is reported: as an error (the
    /// default) or, as Jekyll renders it, as empty text with a warning.
    pub undefined_variables: Severity,
    /// `[include_tags]`: custom Liquid tags (from Jekyll plugins) rendered by an include:
    /// `icon = "icon.html"` makes `{% icon fa-check %}` render `includes/icon.html`. Sorted.
    /// Each name is a tag name; templating checks the rest (`templating::check_declared_tags`).
    pub include_tags: Vec<(String, String)>,
    /// `[[nav]]`: the header navigation and the order of top sections, when the site sets them.
    pub nav: Vec<NavItem>,
    /// The text of `docgen.toml`, so that a stage which checks a key later can still place its
    /// error there (`error_at_key`).
    text: String,
}

/// One `[[nav]]` entry: a link of the header navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub title: String,
    /// As written: a section folder (`/guides/`), a page (`@/guides/ceql.md`, `/faq.html`) or
    /// an external URL.
    pub url: String,
    /// Where `url` is written in docgen.toml, for messages.
    pub line: u32,
    pub column: u32,
}

/// Values given on the command line, which win over `docgen.toml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
    pub drafts: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<String>,
    theme: Option<String>,
    broken_links: Option<BrokenLinks>,
    elements_index: Option<String>,
    templating: Option<bool>,
    search: Option<bool>,
    undefined_variables: Option<BrokenLinks>,
    #[serde(default)]
    include_tags: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    extra: toml::Table,
    external_links: Option<RawExternalLinks>,
    #[serde(default)]
    nav: Vec<RawNavItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNavItem {
    title: String,
    url: toml::Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExternalLinks {
    #[serde(default)]
    skip: Vec<String>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum BrokenLinks {
    Error,
    Warn,
}

impl Config {
    /// Reads `root/docgen.toml`. A missing file is a usage error; invalid content is `Error::Config`.
    pub fn load(root: &Path, overrides: &Overrides) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            // The absolute path, so "no docgen.toml in ." never leaves the writer guessing.
            let shown = std::fs::canonicalize(root)
                .or_else(|_| std::path::absolute(root))
                .unwrap_or_else(|_| root.to_path_buf());
            return Err(Error::Usage(format!(
                "no {CONFIG_FILE} in {} — run `docgen init` to start a site here, or pass --root DIR",
                shown.display()
            )));
        }
        let text = fs::read_to_string(&path)?;
        Config::parse(root, &text, overrides).map_err(|d| Error::Config(vec![d]))
    }

    /// Parses the text of a `docgen.toml`.
    pub fn parse(
        root: &Path,
        text: &str,
        overrides: &Overrides,
    ) -> std::result::Result<Config, Diagnostic> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let mut d = Diagnostic::error("config", CONFIG_FILE, e.message().trim().to_string());
            if let Some(span) = e.span() {
                let (line, col) = LineIndex::new(text).position(span.start);
                d = d.at(line, col).with_source(text, span.len());
            }
            if let Some((unknown, expected)) = unknown_field(e.message()) {
                let suggestion = crate::suggest::closest(unknown, expected.iter().copied());
                d = d
                    .with_suggestion(suggestion.map(str::to_string))
                    .with_note("site-specific values belong in the [extra] table");
            }
            d
        })?;
        let base_url = match overrides.base_url.as_ref().or(raw.base_url.as_ref()) {
            Some(url) => Some(normalize_base_url(url).map_err(|message| {
                let (file, line) = if overrides.base_url.is_some() {
                    ("--base-url", 0)
                } else {
                    (CONFIG_FILE, key_line(text, "base_url"))
                };
                Diagnostic::error("config", file, message).at(line, u32::from(line > 0))
            })?),
            None => None,
        };
        let base_path = base_url.as_deref().map(url_path).unwrap_or_default();
        let written_base_path = match &overrides.base_url {
            Some(_) => raw
                .base_url
                .as_deref()
                .and_then(|url| normalize_base_url(url).ok())
                .as_deref()
                .map(url_path)
                .unwrap_or_default(),
            None => base_path.clone(),
        };
        let include_tags = include_tags(text, raw.include_tags)?;
        let extra = match serde_json::to_value(&raw.extra) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => serde_json::Map::new(),
        };
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title.unwrap_or_else(|| "Documentation".to_string()),
            base_url,
            base_path,
            written_base_path,
            theme: raw.theme.unwrap_or_else(|| "default".to_string()),
            broken_links: match raw.broken_links {
                Some(BrokenLinks::Warn) => Severity::Warning,
                _ => Severity::Error,
            },
            elements_index: raw.elements_index,
            drafts: overrides.drafts,
            extra,
            external_skip: raw.external_links.map(|e| e.skip).unwrap_or_default(),
            templating: raw.templating.unwrap_or(true),
            search: raw.search.unwrap_or(true),
            undefined_variables: match raw.undefined_variables {
                Some(BrokenLinks::Warn) => Severity::Warning,
                _ => Severity::Error,
            },
            include_tags,
            text: text.to_string(),
            nav: raw
                .nav
                .into_iter()
                .map(|item| {
                    let (line, column) = LineIndex::new(text).position(item.url.span().start);
                    NavItem {
                        title: item.title,
                        url: item.url.into_inner(),
                        line,
                        column,
                    }
                })
                .collect(),
        })
    }

    /// An error about `key` of `docgen.toml`, at its line with the line quoted (the first line
    /// that sets `key`, or the file when none does).
    pub fn error_at_key(&self, key: &str, message: String) -> Diagnostic {
        error_at_key(&self.text, key, message)
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join(dirs::CONTENT)
    }

    pub fn static_dir(&self) -> PathBuf {
        self.root.join(dirs::STATIC)
    }

    pub fn templates_dir(&self) -> PathBuf {
        self.root.join(dirs::TEMPLATES)
    }

    /// Snippets for `{% include %}`.
    pub fn includes_dir(&self) -> PathBuf {
        self.root.join(dirs::INCLUDES)
    }

    /// Data files for `site.data`.
    pub fn data_dir(&self) -> PathBuf {
        self.root.join(dirs::DATA)
    }

    pub fn theme_dir(&self) -> PathBuf {
        self.root.join(dirs::THEMES).join(&self.theme)
    }

    /// The absolute URL of a site-relative path (`/a/b.html`), when `base_url` is known;
    /// percent-encoded (`/Getting%20Started/`), as sitemap.xml and canonical links need.
    pub fn absolute_url(&self, site_path: &str) -> Option<String> {
        let base = self.base_url.as_deref()?;
        let origin = &base[..base.len() - self.base_path.len()];
        let path = crate::links::encode_path(site_path);
        Some(format!("{origin}{}{path}", self.base_path))
    }
}

/// Reads a TOML data file (`data/elements.toml`) for content templating, as JSON. Problems are
/// diagnostics at their line in `file`.
pub fn toml_data(file: &str, text: &str) -> std::result::Result<serde_json::Value, Diagnostic> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let mut d = Diagnostic::error(
            "data",
            file,
            format!("invalid TOML: {}", e.message().trim()),
        );
        if let Some(span) = e.span() {
            let (line, col) = LineIndex::new(text).position(span.start);
            d = d.at(line, col).with_source(text, span.len());
        }
        d
    })?;
    serde_json::to_value(&table)
        .map_err(|e| Diagnostic::error("data", file, format!("cannot be used as data: {e}")))
}

/// `table` as the TOML table `[name]` (its sub-tables as `[name.x]`), for the `docgen.toml`
/// that `docgen import jekyll` writes. JSON's null has no TOML form: leave it out.
pub fn toml_table_text(
    name: &str,
    table: &serde_json::Map<String, serde_json::Value>,
) -> std::result::Result<String, String> {
    let mut outer = serde_json::Map::new();
    outer.insert(name.to_string(), serde_json::Value::Object(table.clone()));
    toml::to_string(&outer).map_err(|e| e.to_string())
}

/// Checks the names of `[include_tags]`: each a Liquid tag name. Whether a name is one of
/// docgen's own tags and whether each file is inside `includes/` is templating's to say
/// (`templating::check_declared_tags`, through `Config::error_at_key`).
fn include_tags(
    text: &str,
    tags: std::collections::BTreeMap<String, String>,
) -> std::result::Result<Vec<(String, String)>, Diagnostic> {
    for name in tags.keys() {
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(error_at_key(
                text,
                name,
                format!("[include_tags] `{name}` is not a tag name (letters, digits and `_`)"),
            ));
        }
    }
    Ok(tags.into_iter().collect())
}

fn error_at_key(text: &str, key: &str, message: String) -> Diagnostic {
    let line = key_line(text, key);
    let d = Diagnostic::error("config", CONFIG_FILE, message).at(line, u32::from(line > 0));
    d.with_source(text, key.chars().count())
}

/// Checks a base URL is absolute http(s) and drops its trailing slash.
fn normalize_base_url(url: &str) -> std::result::Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url \"{url}\" must be an absolute http:// or https:// URL"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("base_url \"{url}\" has no host"));
    }
    if rest.contains(['?', '#']) {
        return Err(format!(
            "base_url \"{url}\" must not have a query or fragment"
        ));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// The path of an absolute URL without its trailing slash: `https://h/docs/` → `/docs`.
fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].trim_end_matches('/').to_string(),
        None => String::new(),
    }
}

/// The key and the valid keys of serde's "unknown field `titel`, expected one of `title`, …"
/// (or "expected `skip`"), so a typo gets the same "did you mean" as in front matter.
fn unknown_field(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected = rest.split('`').skip(1).step_by(2).collect();
    Some((unknown, expected))
}

/// The 1-based line where top-level `key =` is set, or 0.
fn key_line(text: &str, key: &str) -> u32 {
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map_or(0, |i| i as u32 + 1)
}

#[cfg(test)]
mod tests;

//! Load stage: the templates and static files a site renders with. The default theme is compiled
//! into the binary, so a folder with only `docgen.toml` and `content/` builds; a site's
//! `themes/<theme>/` and then its `templates/` override it file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::{Config, dirs};
use crate::error::{Error, Result, fs};
use crate::source;

/// The default theme, as shipped in `themes/default/`.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "404.html",
        include_str!("../themes/default/templates/404.html"),
    ),
    (
        "base.html",
        include_str!("../themes/default/templates/base.html"),
    ),
    (
        "docs.html",
        include_str!("../themes/default/templates/docs.html"),
    ),
    (
        "elements.html",
        include_str!("../themes/default/templates/elements.html"),
    ),
    (
        "page.html",
        include_str!("../themes/default/templates/page.html"),
    ),
    (
        "sidebarelementdoc.html",
        include_str!("../themes/default/templates/sidebarelementdoc.html"),
    ),
];

const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "callouts.css",
        include_bytes!("../themes/default/static/callouts.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
    (
        "search.css",
        include_bytes!("../themes/default/static/search.css"),
    ),
    (
        "search.js",
        include_bytes!("../themes/default/static/search.js"),
    ),
    (
        "theme.css",
        include_bytes!("../themes/default/static/theme.css"),
    ),
    (
        "theme.js",
        include_bytes!("../themes/default/static/theme.js"),
    ),
];

/// Includes every site can `{% include %}` (`note.html`, `callout.html`): used when the site's
/// `includes/` folder has no file of that name, so a new site's callouts work and an old
/// site's own versions win.
const DEFAULT_INCLUDES: &[(&str, &str)] = &[
    (
        "callout.html",
        include_str!("../themes/default/includes/callout.html"),
    ),
    (
        "note.html",
        include_str!("../themes/default/includes/note.html"),
    ),
];

/// The built-in include `name` (a path below `includes/`), if there is one.
pub fn built_in_include(name: &str) -> Option<&'static str> {
    DEFAULT_INCLUDES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The names of the built-in includes, sorted.
pub fn built_in_include_names() -> impl Iterator<Item = &'static str> {
    DEFAULT_INCLUDES.iter().map(|(name, _)| *name)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateFile {
    /// Name used by `layout:` and `{% extends %}`: `base.html`, `partials/nav.html`.
    pub name: String,
    pub text: String,
    /// Where it came from, for messages: `templates/page.html`, `(built-in) page.html`.
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticSource {
    BuiltIn(&'static [u8]),
    File(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeFile {
    /// Path in the output folder: `theme.css`.
    pub path: String,
    pub source: StaticSource,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: Vec<TemplateFile>,
    pub static_files: Vec<ThemeFile>,
    /// Symlinks in the theme's folders not followed (see `source::list_site_files`).
    pub diagnostics: Vec<crate::diagnostic::Diagnostic>,
}

impl Theme {
    /// Collects the built-in theme, then the site's theme folder, then its `templates/`.
    pub fn load(config: &Config) -> Result<Theme> {
        let theme_dir = config.theme_dir();
        if config.theme != "default" && !theme_dir.is_dir() {
            return Err(Error::Usage(format!(
                "theme \"{}\" not found: expected a folder {}",
                config.theme,
                theme_dir.display()
            )));
        }
        let mut templates: BTreeMap<String, TemplateFile> = DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    TemplateFile {
                        name: name.to_string(),
                        text: text.to_string(),
                        origin: format!("(built-in theme) {name}"),
                    },
                )
            })
            .collect();
        let theme_rel = format!("{}/{}", dirs::THEMES, config.theme);
        let mut diagnostics = Vec::new();
        for (dir, shown) in [
            (
                theme_dir.join(dirs::TEMPLATES),
                format!("{theme_rel}/{}", dirs::TEMPLATES),
            ),
            (config.templates_dir(), dirs::TEMPLATES.to_string()),
        ] {
            let listing = source::list_site_files(&config.root, &dir)?;
            diagnostics.extend(listing.diagnostics);
            for name in listing.files {
                let text = fs::read_to_string(&dir.join(&name))?;
                let origin = format!("{shown}/{name}");
                templates.insert(name.clone(), TemplateFile { name, text, origin });
            }
        }
        let mut static_files: BTreeMap<String, ThemeFile> = DEFAULT_STATIC
            .iter()
            .map(|(path, bytes)| {
                (
                    path.to_string(),
                    ThemeFile {
                        path: path.to_string(),
                        source: StaticSource::BuiltIn(bytes),
                    },
                )
            })
            .collect();
        let static_dir = theme_dir.join(dirs::STATIC);
        let listing = source::list_site_files(&config.root, &static_dir)?;
        diagnostics.extend(listing.diagnostics);
        for path in listing.files {
            let file = static_dir.join(&path);
            static_files.insert(
                path.clone(),
                ThemeFile {
                    path,
                    source: StaticSource::File(file),
                },
            );
        }
        Ok(Theme {
            templates: templates.into_values().collect(),
            static_files: static_files.into_values().collect(),
            diagnostics,
        })
    }
}

impl ThemeFile {
    pub fn bytes(&self) -> Result<std::borrow::Cow<'static, [u8]>> {
        Ok(match &self.source {
            StaticSource::BuiltIn(bytes) => std::borrow::Cow::Borrowed(bytes),
            StaticSource::File(path) => std::borrow::Cow::Owned(fs::read(path)?),
        })
    }

    pub fn disk_path(&self) -> Option<&Path> {
        match &self.source {
            StaticSource::File(path) => Some(path),
            StaticSource::BuiltIn(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file added to themes/default must also be compiled in, or sites without a theme
    /// folder would miss it.
    #[test]
    fn every_default_theme_file_is_built_in() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let templates = source::list_files(&root.join("templates")).unwrap();
        let built_in: Vec<_> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        assert_eq!(templates, built_in);
        let statics = source::list_files(&root.join("static")).unwrap();
        let built_in: Vec<_> = DEFAULT_STATIC.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(statics, built_in);
        let includes = source::list_files(&root.join("includes")).unwrap();
        let built_in: Vec<_> = built_in_include_names().map(str::to_string).collect();
        assert_eq!(includes, built_in);
    }
}

//! `docgen init [DIR]`: a new site that builds with no warnings before a word is changed — a
//! `docgen.toml` with every key explained, a home page, an elements index, one element's guide
//! set (the same built-in templates as `docgen new element`), a plain guide that uses an include
//! and a data file, `includes/` and `data/`.
//!
//! It never overwrites: a folder that already holds a site (`docgen.toml`) is refused, and any
//! other file already there is kept as it is and reported, so `init` can also start a site
//! around an existing `content/` folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{ElementFiles, NewElement, element_files, yaml_text};
use crate::config::{CONFIG_FILE, Config, Overrides};
use crate::error::{Error, Result, fs};

/// The site's files, with `%SITE_TITLE%` where the title goes.
const SITE_FILES: &[(&str, &str)] = &[
    ("docgen.toml", include_str!("site/docgen.toml")),
    ("content/index.md", include_str!("site/content/index.md")),
    (
        "content/elements.md",
        include_str!("site/content/elements.md"),
    ),
    (
        "content/guides/getting-started.md",
        include_str!("site/content/guides/getting-started.md"),
    ),
    (
        "includes/support.md",
        include_str!("site/includes/support.md"),
    ),
    ("data/product.yml", include_str!("site/data/product.yml")),
];

const TITLE_MARK: &str = "%SITE_TITLE%";

/// The element the new site starts with.
const ELEMENT_KEY: &str = "example";
const ELEMENT_HEADING: &str = "Example Service";
const ELEMENT_ID: &str = "1";

/// What to create.
#[derive(Debug, Clone)]
pub struct Init {
    /// The folder of the new site; created when missing.
    pub dir: PathBuf,
    /// The site's title.
    pub title: String,
}

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Initialized {
    /// The site folder, absolute.
    pub root: PathBuf,
    /// Files written, from the site root, sorted.
    pub created: Vec<String>,
    /// Files that were already there and were left as they were.
    pub kept: Vec<String>,
}

/// Writes a new site into `options.dir`.
pub fn init(options: &Init) -> Result<Initialized> {
    let title = options.title.trim();
    if title.is_empty() {
        return Err(Error::Usage("--title must not be empty".into()));
    }
    if options.dir.exists() && !options.dir.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a file, not a folder",
            options.dir.display()
        )));
    }
    fs::create_dir_all(&options.dir)?;
    let root = fs::canonicalize(&options.dir)?;
    if root.join(CONFIG_FILE).exists() {
        return Err(Error::Usage(format!(
            "{} already holds a site ({CONFIG_FILE}); nothing was written — edit it, or run `docgen init` in another folder",
            root.display()
        )));
    }
    let mut files: Vec<(String, Vec<u8>)> = SITE_FILES
        .iter()
        .map(|(rel, text)| {
            let value = match *rel {
                CONFIG_FILE => toml_string(title),
                _ => yaml_text(title),
            };
            (
                rel.to_string(),
                text.replace(TITLE_MARK, &value).into_bytes(),
            )
        })
        .collect();
    // The guide set renders with the new site's own settings, as `new element` would.
    let config_text = String::from_utf8_lossy(&files[0].1).into_owned();
    let config = Config::parse(&root, &config_text, &Overrides::default())
        .map_err(|d| Error::Config(vec![d]))?;
    let ElementFiles {
        dir, files: guides, ..
    } = element_files(
        &config,
        &NewElement {
            key: ELEMENT_KEY.into(),
            heading: ELEMENT_HEADING.into(),
            element_id: Some(ELEMENT_ID.into()),
            under: "elements".into(),
        },
    )?;
    files.extend(
        guides
            .into_iter()
            .map(|(rel, bytes)| (format!("content/{dir}/{rel}"), bytes)),
    );
    let mut created = Vec::new();
    let mut kept = Vec::new();
    for (rel, bytes) in files {
        if write_new(&root.join(&rel), &bytes)? {
            created.push(rel);
        } else {
            kept.push(rel);
        }
    }
    created.sort();
    kept.sort();
    Ok(Initialized {
        root,
        created,
        kept,
    })
}

/// Writes `path` unless something is there already (checked and created in one step, so a
/// file that appears meanwhile is not overwritten either). `false`: it was there.
fn write_new(path: &Path, bytes: &[u8]) -> Result<bool> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    match file {
        Ok(mut file) => {
            file.write_all(bytes).map_err(|e| Error::io(path, e))?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// A TOML basic string: JSON's string escapes are all valid in TOML.
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_quoted_for_toml_and_yaml() {
        assert_eq!(toml_string("Acme \"Docs\""), "\"Acme \\\"Docs\\\"\"");
        assert_eq!(yaml_text("Acme: Docs"), "\"Acme: Docs\"");
    }
}

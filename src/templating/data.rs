//! `site.data`: the files of the site's `data/` folder, YAML, JSON or TOML, each under its name
//! (`data/glossary.yml` → `site.data.glossary`, `data/elements/box.json` →
//! `site.data.elements.box`). A file that cannot be read is a diagnostic at its line; the others
//! still load.

use std::collections::BTreeMap;
use std::path::Path;

use super::DATA_DIR;
use super::values::{Map, Tree, to_tree};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::source;

#[derive(Debug, Default)]
pub struct Data {
    pub tree: Map,
    /// Each top-level key and the files it was read from.
    pub files: BTreeMap<String, Vec<String>>,
}

impl Data {
    /// The site paths a page that read top-level `key` depends on: its files, or
    /// `data/<key>` when there is none yet (so that adding it rebuilds the page).
    pub fn dependencies(&self, key: &str) -> Vec<String> {
        self.files
            .get(key)
            .cloned()
            .unwrap_or_else(|| vec![format!("{DATA_DIR}/{key}")])
    }
}

/// Reads every data file below `dir` (the site's `data/`; it may be missing).
pub fn load(dir: &Path) -> Result<(Data, Vec<Diagnostic>)> {
    let mut data = Data::default();
    // The site is the folder holding `data/`.
    let listing = source::list_site_files(dir.parent().unwrap_or(dir), dir)?;
    let mut diagnostics = listing.diagnostics;
    for rel in listing.files {
        let file = format!("{DATA_DIR}/{rel}");
        let Some((stem, extension)) = rel.rsplit_once('.') else {
            diagnostics.push(unsupported(&file));
            continue;
        };
        let text = match String::from_utf8(source::read(dir, &rel)?) {
            Ok(text) => text,
            Err(_) => {
                diagnostics.push(Diagnostic::error(
                    "data",
                    &file,
                    "the file is not valid UTF-8 text",
                ));
                continue;
            }
        };
        let parsed = match extension {
            "yml" | "yaml" => crate::front_matter::yaml_data(&file, &text),
            "toml" => crate::config::toml_data(&file, &text),
            "json" => serde_json::from_str(&text).map_err(|e| {
                Diagnostic::error("data", &file, format!("invalid JSON: {e}"))
                    .at(e.line() as u32, e.column() as u32)
                    .with_source(&text, 1)
            }),
            _ => {
                diagnostics.push(unsupported(&file));
                continue;
            }
        };
        match parsed {
            Ok(json) => {
                let keys: Vec<&str> = stem.split('/').collect();
                if let Err(taken) = insert(&mut data.tree, &keys, to_tree(&json)) {
                    diagnostics.push(Diagnostic::warning(
                        "data",
                        &file,
                        format!(
                            "site.data.{taken} is already set by another file: this one is left out"
                        ),
                    ));
                    continue;
                }
                data.files
                    .entry(keys[0].to_string())
                    .or_default()
                    .push(file);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    Ok((data, diagnostics))
}

fn unsupported(file: &str) -> Diagnostic {
    Diagnostic::warning(
        "data",
        file,
        "not a data file: data files end in .yml, .yaml, .json or .toml",
    )
}

/// Sets `keys` (a path of object keys) in `tree`; `Err` with the dotted path when it is taken.
fn insert(tree: &mut Map, keys: &[&str], value: Tree) -> std::result::Result<(), String> {
    let (last, parents) = keys.split_last().expect("a file has a name");
    let mut map = tree;
    for (depth, key) in parents.iter().enumerate() {
        if !map.contains(key) {
            map.insert(key, Tree::Map(Map::default()));
        }
        map = match map.get_tree_mut(key) {
            Some(Tree::Map(inner)) => inner,
            _ => return Err(keys[..=depth].join(".")),
        };
    }
    if map.contains(last) {
        return Err(keys.join("."));
    }
    map.insert(last, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use liquid_core::ValueView;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn yaml_json_and_toml_files_load_under_their_names() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "glossary.yml", "element: An API connector\n");
        write(dir.path(), "elements/box.json", "{\"id\": 22}");
        write(dir.path(), "limits.toml", "calls = 100\n");
        let (data, diagnostics) = load(dir.path()).unwrap();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let get = |path: &[&str]| {
            let mut value: &dyn ValueView = &data.tree;
            for key in path {
                value = value.as_object().unwrap().get(key).unwrap();
            }
            value.to_kstr().to_string()
        };
        assert_eq!(get(&["glossary", "element"]), "An API connector");
        assert_eq!(get(&["elements", "box", "id"]), "22");
        assert_eq!(get(&["limits", "calls"]), "100");
        assert_eq!(data.dependencies("elements"), ["data/elements/box.json"]);
        assert_eq!(data.dependencies("nothing"), ["data/nothing"]);
    }

    #[test]
    fn bad_files_are_reported_at_their_line_and_the_rest_loads() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "bad.json", "{\n  \"a\": 1,\n}\n");
        write(dir.path(), "good.yml", "a: 1\n");
        write(dir.path(), "good.json", "{}");
        write(dir.path(), "notes.txt", "x");
        let (data, diagnostics) = load(dir.path()).unwrap();
        let found: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.location(), d.is_error()))
            .collect();
        assert_eq!(
            found,
            [
                ("data/bad.json:3:1".to_string(), true),
                ("data/good.yml".to_string(), false),
                ("data/notes.txt".to_string(), false),
            ]
        );
        assert!(data.tree.contains("good"));
        assert!(!data.tree.contains("bad"));
    }
}

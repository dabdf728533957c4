//! `site.data`: the files of the site's `data/` folder (read and parsed by `data_files`), each
//! under its name (`data/glossary.yml` → `site.data.glossary`, `data/elements/box.json` →
//! `site.data.elements.box`). A file that cannot be read is a diagnostic at its line; the others
//! still load.

use std::collections::BTreeMap;
use std::path::Path;

use super::DATA_DIR;
use super::values::{Map, Tree, to_tree};
use crate::data_files::DataFile;
use crate::diagnostic::Diagnostic;
use crate::error::Result;

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

/// Reads every data file below `dir` (the site's `data/`; it may be missing) into `site.data`.
pub fn load(dir: &Path) -> Result<(Data, Vec<Diagnostic>)> {
    let mut data = Data::default();
    let (files, mut diagnostics) = crate::data_files::load(dir)?;
    for DataFile { file, keys, value } in files {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        if let Err(taken) = insert(&mut data.tree, &keys, to_tree(&value)) {
            diagnostics.push(Diagnostic::warning(
                "data",
                &file,
                format!("site.data.{taken} is already set by another file: this one is left out"),
            ));
            continue;
        }
        data.files
            .entry(keys[0].to_string())
            .or_default()
            .push(file);
    }
    // In path order, like the files: a problem of parsing and one of placing come sorted.
    diagnostics.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((data, diagnostics))
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

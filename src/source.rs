//! Load stage: finding the site's files. This module is the only one that walks `content/` and
//! `static/`; paths it returns are relative to the walked folder, `/`-separated and sorted, so
//! everything downstream is deterministic and platform-independent.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{Error, Result, fs};

/// What `content/` holds: Markdown pages, every other file (images, downloads) as assets, and
/// the files of `includes/` folders, which pages pull in with `{% include_relative %}`.
#[derive(Debug, Default, Clone)]
pub struct ContentTree {
    pub pages: Vec<String>,
    pub assets: Vec<String>,
    /// Files below a folder named `includes`: neither pages nor copied to the output.
    pub partials: Vec<String>,
}

/// The folder name that marks files next to pages as include files.
pub const PARTIALS_DIR: &str = "includes";

/// Lists `content/` (which may be missing: an empty site is still a site).
pub fn scan_content(dir: &Path) -> Result<ContentTree> {
    let mut tree = ContentTree::default();
    for rel in list_files(dir)? {
        if is_partial(&rel) {
            tree.partials.push(rel);
        } else if is_page(&rel) || is_html_page(dir, &rel) {
            tree.pages.push(rel);
        } else {
            tree.assets.push(rel);
        }
    }
    Ok(tree)
}

/// Every file below `dir`, relative and sorted; hidden and editor-temporary files are skipped.
pub fn list_files(dir: &Path) -> Result<Vec<String>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
            Error::io(path, e.into())
        })?;
        if entry.file_type().is_file() {
            files.push(relative(dir, entry.path()));
        }
    }
    files.sort();
    Ok(files)
}

/// Reads one content file.
pub fn read(dir: &Path, rel: &str) -> Result<Vec<u8>> {
    fs::read(&dir.join(rel))
}

/// Reads one file, or `None` when there is no such file.
pub fn read_if_exists(dir: &Path, rel: &str) -> Result<Option<Vec<u8>>> {
    let path = dir.join(rel);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(_) if !path.is_file() => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// The names of the files directly in `dir`, sorted (none when it is missing).
pub fn files_in(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !is_ignored(name))
        .collect();
    names.sort();
    names
}

pub fn is_page(rel: &str) -> bool {
    rel.ends_with(".md")
}

/// Whether a content file is an HTML page: an `.html` file that starts with front matter, as
/// in Jekyll (Liquid expanded, rendered through its layout). Other `.html` files are copied.
pub fn is_html_page(dir: &Path, rel: &str) -> bool {
    use std::io::Read;
    if !rel.ends_with(".html") {
        return false;
    }
    let mut start = [0u8; 8];
    let Ok(mut file) = std::fs::File::open(dir.join(rel)) else {
        return false;
    };
    let n = file.read(&mut start).unwrap_or(0);
    let start = &start[..n];
    let start = start.strip_prefix("\u{feff}".as_bytes()).unwrap_or(start);
    start.starts_with(b"---\n") || start.starts_with(b"---\r\n")
}

/// Whether a content file lies below an `includes/` folder.
pub fn is_partial(rel: &str) -> bool {
    rel.rsplit_once('/')
        .is_some_and(|(dir, _)| dir.split('/').any(|part| part == PARTIALS_DIR))
}

/// Files a writer's tools leave around that are not part of the site: dotfiles, editor backups,
/// swap and lock files, and the temporary files editors save through (JetBrains IDEs write
/// `page.md___jb_tmp___` and rename it over the page).
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

/// `dir/a/b.md` → `a/b.md`, with `/` separators on every platform.
pub fn relative(dir: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(dir).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_and_hidden_files() {
        for name in [
            ".DS_Store",
            ".git",
            "page.md~",
            ".#page.md",
            "#page.md#",
            "x.swp",
            "page.md___jb_tmp___",
            "page.md___jb_old___",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        for name in ["page.md", "img", "logo.svg", "index.md"] {
            assert!(!is_ignored(name), "{name}");
        }
    }

    #[test]
    fn scans_pages_and_assets_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "b.md",
            "a/index.md",
            "a/img/x.png",
            "a/.hidden.md",
            "a/z.md~",
            "a/includes/fields.md",
            "includes/x.html",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let tree = scan_content(root).unwrap();
        assert_eq!(tree.pages, ["a/index.md", "b.md"]);
        assert_eq!(tree.assets, ["a/img/x.png"]);
        assert_eq!(tree.partials, ["a/includes/fields.md", "includes/x.html"]);
        assert!(
            scan_content(&root.join("missing"))
                .unwrap()
                .pages
                .is_empty()
        );
    }
}

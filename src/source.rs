//! Load stage: finding the site's files. This module is the only one that walks `content/` and
//! `static/`; paths it returns are relative to the walked folder, `/`-separated and sorted, so
//! everything downstream is deterministic and platform-independent. It is also the only user of
//! `walkdir`: the output stage and the importer walk their folders through `walk`.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result, fs};

/// A walk of a folder docgen writes or imports (its output, a staging folder, a Jekyll site's
/// special folders), which never follows symlinks: unlike `list_site_files`, which decides per
/// link, what is walked here is removed, moved or copied as it is.
pub struct Walk {
    inner: WalkDir,
}

/// One entry of a `Walk`.
pub type WalkEntry = walkdir::DirEntry;
/// A folder or entry a `Walk` could not read; converts into an `io::Error`.
pub type WalkError = walkdir::Error;

/// Walks `dir`, itself first, then what it holds, folders before their contents.
pub fn walk(dir: &Path) -> Walk {
    Walk {
        inner: WalkDir::new(dir).follow_links(false),
    }
}

impl Walk {
    /// Leaves out entries less than `depth` below the folder (1: not the folder itself).
    pub fn min_depth(self, depth: usize) -> Self {
        Walk {
            inner: self.inner.min_depth(depth),
        }
    }

    /// Each folder after what it holds, as removing needs.
    pub fn contents_first(self) -> Self {
        Walk {
            inner: self.inner.contents_first(true),
        }
    }

    /// The entries of each folder in file-name order.
    pub fn sorted(self) -> Self {
        Walk {
            inner: self.inner.sort_by_file_name(),
        }
    }
}

impl IntoIterator for Walk {
    type Item = std::result::Result<WalkEntry, WalkError>;
    type IntoIter = Walking;

    fn into_iter(self) -> Walking {
        Walking(self.inner.into_iter())
    }
}

/// A `Walk` under way.
pub struct Walking(walkdir::IntoIter);

impl Walking {
    /// Does not descend into the folder just returned.
    pub fn skip_current_dir(&mut self) {
        self.0.skip_current_dir();
    }
}

impl Iterator for Walking {
    type Item = std::result::Result<WalkEntry, WalkError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next()
    }
}

/// What `content/` holds: Markdown pages, every other file (images, downloads) as assets, and
/// the files of `includes/` folders, which pages pull in with `{% include_relative %}`.
#[derive(Debug, Default, Clone)]
pub struct ContentTree {
    pub pages: Vec<String>,
    pub assets: Vec<String>,
    /// Files below a folder named `includes`: neither pages nor copied to the output.
    pub partials: Vec<String>,
    /// Symlinks not followed (see `list_site_files`).
    pub diagnostics: Vec<Diagnostic>,
}

/// The folder name that marks files next to pages as include files.
pub const PARTIALS_DIR: &str = crate::config::dirs::INCLUDES;

/// Lists `content/` (which may be missing: an empty site is still a site); the site is the
/// folder holding it.
pub fn scan_content(dir: &Path) -> Result<ContentTree> {
    let listing = list_site_files(dir.parent().unwrap_or(dir), dir)?;
    let mut tree = ContentTree {
        diagnostics: listing.diagnostics,
        ..ContentTree::default()
    };
    for rel in listing.files {
        if is_partial(&rel) {
            tree.partials.push(rel);
        } else if is_page(&rel) || is_html_page(dir, &rel) {
            tree.pages.push(rel);
        } else {
            if let Some(page) = meant_as_page(&rel) {
                tree.diagnostics.push(
                    Diagnostic::warning(
                        "not-a-page",
                        display_path(&rel),
                        format!(
                            "copied as a file, not built as a page: pages are .md files — rename it {page}"
                        ),
                    )
                    .with_note("Jekyll reads .markdown, .mkd, .mkdn, .mkdown and .mdown (in any case) as Markdown; `docgen import jekyll` renames them"),
                );
            }
            tree.assets.push(rel);
        }
    }
    Ok(tree)
}

/// The `.md` name of a content file Jekyll would have read as Markdown (`guide.markdown`,
/// `Setup.MD`), which docgen otherwise publishes as it is, source and all.
fn meant_as_page(rel: &str) -> Option<String> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let (stem, ext) = name.rsplit_once('.')?;
    let markdown = ["md", "markdown", "mkdown", "mkdn", "mkd", "mdown"]
        .iter()
        .any(|m| ext.eq_ignore_ascii_case(m));
    (markdown && !stem.is_empty() && ext != "md").then(|| format!("{stem}.md"))
}

/// Every file below `dir`, relative and sorted; hidden and editor-temporary files are skipped,
/// and so are symlinks that lead out of `dir` (see `list_site_files`).
pub fn list_files(dir: &Path) -> Result<Vec<String>> {
    Ok(list_site_files(dir, dir)?.files)
}

/// The files of a folder of the site, and what was wrong with its symlinks.
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every file below `dir` (a folder of the site at `root`), relative to `dir` and sorted; hidden
/// and editor-temporary files are skipped. Symlinks are followed only where they resolve inside
/// the site (or inside `dir`'s own real folder, for a theme shared from elsewhere): anyone can put
/// `static/passwd -> /etc/passwd` in a pull request, and it must not be published. Each link not
/// followed is a warning naming it and its target; a link to a folder holding it (a loop) or to
/// nothing is reported and skipped, and the rest of the folder is still listed.
pub fn list_site_files(root: &Path, dir: &Path) -> Result<Listing> {
    let mut listing = Listing::default();
    if !dir.is_dir() {
        return Ok(listing);
    }
    let bounds: Vec<PathBuf> = [root, dir]
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let shown = |path: &Path| relative(root, path);
    let target_of = |path: &Path| {
        std::fs::read_link(path).map_or_else(|_| "?".to_string(), |t| t.display().to_string())
    };
    let mut walker = WalkDir::new(dir).follow_links(true).into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
                let outside = |p: &Path| {
                    p.canonicalize()
                        .is_ok_and(|p| !bounds.iter().any(|b| p.starts_with(b)))
                };
                if e.loop_ancestor().is_some_and(outside) {
                    // A link to a folder above the site (`includes/all -> /tmp`) loops, as
                    // that folder holds the site, but what matters is that it leads outside.
                    listing.diagnostics.push(Diagnostic::warning(
                        "symlink",
                        shown(&path),
                        format!(
                            "symlink to {} leads outside the site folder; not followed",
                            target_of(&path)
                        ),
                    ));
                    continue;
                }
                if let Some(ancestor) = e.loop_ancestor() {
                    listing.diagnostics.push(Diagnostic::error(
                        "symlink",
                        shown(&path),
                        format!(
                            "symlink loop: the link to {} leads back to {}, which holds it; not followed",
                            target_of(&path),
                            shown(ancestor)
                        ),
                    ));
                    continue;
                }
                let is_link = path
                    .symlink_metadata()
                    .is_ok_and(|m| m.file_type().is_symlink());
                if is_link && !path.exists() {
                    listing.diagnostics.push(Diagnostic::warning(
                        "symlink",
                        shown(&path),
                        format!("broken symlink: {} does not exist", target_of(&path)),
                    ));
                    continue;
                }
                return Err(Error::io(path, e.into()));
            }
        };
        let skip = |walker: &mut walkdir::IntoIter| {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
        };
        if entry.depth() > 0 && is_ignored(&entry.file_name().to_string_lossy()) {
            skip(&mut walker);
            continue;
        }
        if entry.depth() > 0 && entry.path_is_symlink() {
            let inside = entry
                .path()
                .canonicalize()
                .is_ok_and(|target| bounds.iter().any(|b| target.starts_with(b)));
            if !inside {
                listing.diagnostics.push(Diagnostic::warning(
                    "symlink",
                    shown(entry.path()),
                    format!(
                        "symlink to {} leads outside the site folder; not followed",
                        target_of(entry.path())
                    ),
                ));
                skip(&mut walker);
                continue;
            }
        }
        if entry.file_type().is_file() {
            listing.files.push(relative(dir, entry.path()));
        }
    }
    listing.files.sort();
    Ok(listing)
}

/// Reads one content file.
pub fn read(dir: &Path, rel: &str) -> Result<Vec<u8>> {
    fs::read(&dir.join(rel))
}

/// Reads one file of the site at `dir`, or `None` when there is no such file. A symlink that
/// leads out of the site is not read.
pub fn read_if_exists(dir: &Path, rel: &str) -> Result<Option<Vec<u8>>> {
    let path = dir.join(rel);
    if let (Ok(target), Ok(root)) = (path.canonicalize(), dir.canonicalize())
        && !target.starts_with(&root)
    {
        let message = format!("it leads outside the site folder, to {}", target.display());
        return Err(Error::io(path, std::io::Error::other(message)));
    }
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

/// The path shown in messages for a content file: `content/<source>`.
pub fn display_path(source: &str) -> String {
    format!("{}/{source}", crate::config::dirs::CONTENT)
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

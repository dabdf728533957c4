//! Write stage: the only module that writes to disk. It refuses output folders where a build
//! could destroy the writer's work, marks the folders it owns, writes a file only when its bytes
//! changed (so deploy tools and browsers see only real changes) and then atomically (a reader
//! never sees half a file), and removes what an earlier build wrote that this one did not.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result, fs};
use crate::source;

/// The file that marks a folder as docgen's output; only such folders are ever cleaned.
pub const MARKER: &str = ".docgen-output";
const MARKER_TEXT: &str =
    "This folder is written by docgen build; its files are replaced on every build.\n";

/// An output folder docgen may write to, with the record of what this build wrote.
pub struct OutputDir {
    root: PathBuf,
    written: Mutex<HashSet<String>>,
}

/// Outcome of writing one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Changed,
    Unchanged,
}

impl OutputDir {
    /// Opens `path` as the output of the site at `site_root`, creating it if needed. Refused: the
    /// site root itself or any folder containing it, the site's own folders (`content/`,
    /// `static/`, `themes/`, `templates/`), and a non-empty folder docgen did not create.
    pub fn open(path: &Path, site_root: &Path) -> Result<OutputDir> {
        let root = fs::canonicalize(site_root)?;
        let target = absolute(path)?;
        let refuse = |why: &str| {
            Err(Error::Usage(format!(
                "refusing to use {} as the output folder: {why}",
                path.display()
            )))
        };
        if root.starts_with(&target) {
            return refuse("it contains the site, and a build removes files it did not write");
        }
        for own in ["content", "static", "themes", "templates"] {
            if target.starts_with(root.join(own)) {
                return refuse(&format!("it is inside the site's {own}/ folder"));
            }
        }
        if target.is_dir() {
            let marked = target.join(MARKER).is_file();
            let empty = std::fs::read_dir(&target)
                .map_err(|e| Error::io(&target, e))?
                .next()
                .is_none();
            if !marked && !empty {
                return refuse(&format!(
                    "it is not empty and was not written by docgen (no {MARKER} file); \
                     choose another folder or empty it"
                ));
            }
        } else if target.exists() {
            return refuse("it is a file");
        }
        fs::create_dir_all(&target)?;
        let marker = target.join(MARKER);
        if !marker.is_file() {
            fs::write(&marker, MARKER_TEXT.as_bytes())?;
        }
        Ok(OutputDir {
            root: target,
            written: Mutex::new(HashSet::new()),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes `bytes` at `rel` (an output path like `a/b.html`) unless the file already holds them.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<Written> {
        let path = self.root.join(rel);
        self.record(rel);
        if same_content(&path, bytes) {
            return Ok(Written::Unchanged);
        }
        replace(&path, |temp| {
            let mut out = std::io::BufWriter::new(std::fs::File::create(temp)?);
            out.write_all(bytes)?;
            out.flush()
        })?;
        Ok(Written::Changed)
    }

    /// Copies the file `from` to `rel` unless an identical copy is already there.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<Written> {
        let path = self.root.join(rel);
        self.record(rel);
        let source_len = std::fs::metadata(from)
            .map_err(|e| Error::io(from, e))?
            .len();
        if let Ok(meta) = std::fs::metadata(&path)
            && meta.len() == source_len
            && fs::read(from)? == std::fs::read(&path).unwrap_or_default()
        {
            return Ok(Written::Unchanged);
        }
        replace(&path, |temp| std::fs::copy(from, temp).map(drop))?;
        Ok(Written::Changed)
    }

    /// Starts writing a complete site: what is written from now on is what `remove_stale_files`
    /// keeps.
    pub fn start_full(&self) {
        self.written
            .lock()
            .expect("no writer panics while holding the lock")
            .clear();
    }

    /// Removes one output file (and its folder, when left empty). Returns whether it existed.
    pub fn remove(&self, rel: &str) -> Result<bool> {
        let path = self.root.join(rel);
        self.written
            .lock()
            .expect("no writer panics while holding the lock")
            .remove(rel);
        if !path.is_file() {
            return Ok(false);
        }
        fs::remove_file(&path)?;
        if let Some(parent) = path.parent()
            && parent != self.root
        {
            // Fails harmlessly when the folder still has files.
            let _ = std::fs::remove_dir(parent);
        }
        Ok(true)
    }

    fn record(&self, rel: &str) {
        self.written
            .lock()
            .expect("no writer panics while holding the lock")
            .insert(rel.to_string());
    }

    /// Deletes every file this build did not write (the output folder is docgen's, by its
    /// marker), then the folders left empty. Returns the files removed.
    pub fn remove_stale_files(&self) -> Result<Vec<String>> {
        let written = self
            .written
            .lock()
            .expect("no writer panics while holding the lock");
        let mut removed = Vec::new();
        let walker = walkdir::WalkDir::new(&self.root).contents_first(true);
        for entry in walker {
            let entry = entry.map_err(|e| Error::io(&self.root, e.into()))?;
            let rel = source::relative(&self.root, entry.path());
            if entry.depth() == 0 || rel == MARKER {
                continue;
            }
            if entry.file_type().is_dir() {
                // Fails harmlessly when the folder still has files.
                let _ = std::fs::remove_dir(entry.path());
            } else if !written.contains(&rel) {
                fs::remove_file(entry.path())?;
                removed.push(rel);
            }
        }
        removed.sort();
        Ok(removed)
    }
}

/// Puts a new file at `path` atomically: `fill` writes a temporary file beside it, which is then
/// renamed over it. A reader (`docgen serve` answering a request during a rebuild, a web server
/// over a published folder) sees the old file or the new one, never a half-written one. The
/// temporary name is hidden and ends in `.tmp`, so nothing lists or serves it, and a build
/// removes one left by a crash as stale.
fn replace(path: &Path, fill: impl FnOnce(&Path) -> std::io::Result<()>) -> Result<()> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(Error::io(path, std::io::ErrorKind::InvalidInput.into()));
    };
    fs::create_dir_all(parent)?;
    let temp = parent.join(format!(".{}.docgen.tmp", name.to_string_lossy()));
    if let Err(e) = fill(&temp).and_then(|()| std::fs::rename(&temp, path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::io(path, e));
    }
    Ok(())
}

fn same_content(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|existing| existing == bytes)
        }
        _ => false,
    }
}

/// `path` made absolute without requiring it to exist (its existing ancestor is canonicalized).
fn absolute(path: &Path) -> Result<PathBuf> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io(".", e))?
            .join(path)
    };
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = fs::canonicalize(existing)?;
    for name in rest.into_iter().rev() {
        if name == ".." {
            resolved.pop();
        } else if name != "." {
            resolved.push(name);
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/index.md"), "# Hi").unwrap();
        dir
    }

    #[test]
    fn refuses_folders_that_hold_the_writers_work() {
        let site = site();
        let root = site.path();
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("notes.txt"), "mine").unwrap();
        for (path, why) in [
            (root.to_path_buf(), "contains the site"),
            (root.join(".."), "contains the site"),
            (root.join("content"), "content/"),
            (root.join("content/sub"), "content/"),
            (root.join("static"), "static/"),
            (other.path().to_path_buf(), "not empty"),
            (root.join("content/index.md"), "content/"),
        ] {
            let err = OutputDir::open(&path, root).err().expect("refused");
            assert!(err.to_string().contains(why), "{}: {err}", path.display());
        }
        assert_eq!(
            std::fs::read_to_string(other.path().join("notes.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn writes_only_changed_files_and_removes_stale_ones() {
        let site = site();
        let out_path = site.path().join("public");
        let out = OutputDir::open(&out_path, site.path()).unwrap();
        assert_eq!(out.write("a/b.html", b"one").unwrap(), Written::Changed);
        assert_eq!(out.write("old.html", b"x").unwrap(), Written::Changed);
        drop(out);

        let out = OutputDir::open(&out_path, site.path()).expect("a marked folder is reusable");
        assert_eq!(out.write("a/b.html", b"one").unwrap(), Written::Unchanged);
        assert_eq!(out.write("a/b.html", b"two").unwrap(), Written::Changed);
        assert_eq!(out.remove_stale_files().unwrap(), ["old.html"]);
        assert!(!out_path.join("old.html").exists());
        assert!(out_path.join(MARKER).exists());
        assert_eq!(std::fs::read(out_path.join("a/b.html")).unwrap(), b"two");
    }

    #[test]
    fn files_are_replaced_whole() {
        let site = site();
        let out_path = site.path().join("public");
        let out = OutputDir::open(&out_path, site.path()).unwrap();
        out.write("a/b.html", b"old").unwrap();
        // A reader holding the old file keeps reading the old bytes: the new file is another one.
        let mut reader = std::fs::File::open(out_path.join("a/b.html")).unwrap();
        out.write("a/b.html", b"new and longer").unwrap();
        let mut old = String::new();
        std::io::Read::read_to_string(&mut reader, &mut old).unwrap();
        assert_eq!(old, "old");
        let from = site.path().join("content/index.md");
        assert_eq!(out.copy("a/c.md", &from).unwrap(), Written::Changed);
        assert_eq!(
            std::fs::read(out_path.join("a/b.html")).unwrap(),
            b"new and longer"
        );
        assert_eq!(std::fs::read(out_path.join("a/c.md")).unwrap(), b"# Hi");
        let mut names: Vec<String> = std::fs::read_dir(out_path.join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["b.html", "c.md"], "no temporary file is left");
    }

    #[test]
    fn an_empty_folder_is_adopted() {
        let site = site();
        let empty = tempfile::tempdir().unwrap();
        OutputDir::open(empty.path(), site.path()).unwrap();
        assert!(empty.path().join(MARKER).is_file());
    }
}

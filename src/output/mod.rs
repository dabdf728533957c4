//! Write stage: the only module that writes to disk. It refuses output folders where a build
//! could destroy the writer's work and marks the folders it owns. An `OutputDir` works in one of
//! two modes:
//!
//! - **staged** (`OutputDir::stage`, for `build`): the whole site is written into a staging
//!   folder beside the output (`public.docgen-staging-<pid>-<n>`, same parent, so same
//!   filesystem) and `commit` swaps it in at the end. A build that fails — content or template
//!   errors, an I/O error, a panic — drops the `OutputDir` uncommitted, which deletes the staging
//!   folder and leaves the previous output exactly as it was. A staging folder left by a killed
//!   build is deleted by the next build (only folders with docgen's name pattern whose process
//!   is gone, and only what their manifest says docgen wrote). Files whose bytes did not change
//!   are hard-linked from the previous output instead of written, so they keep their inode and
//!   mtime: deploy tools that sync by mtime, and browsers, see only real changes.
//! - **live** (`OutputDir::open`, for `serve`'s incremental rebuilds): files of the published
//!   folder are replaced one at a time, each atomically (temp file + rename), so a reader sees
//!   the old file or the new one, never half of one; files a full rebuild did not write are
//!   removed by `remove_stale_files`.
//!
//! docgen never deletes what it did not write. The marker (`.docgen-output`, `manifest.rs`)
//! lists every file a build wrote with the hash of its bytes; when the next build replaces the
//! output, what is not listed or no longer holds the listed bytes (a deploy `.git`, a `CNAME`,
//! an edited page) is carried over into the new output (`foreign.rs`), and a build that would
//! overwrite such a file stops with an error instead.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result, fs};
use crate::source;

mod foreign;
mod manifest;
mod preview;
mod swap;

use manifest::{Hash, Manifest, hash_bytes, hash_file};
use swap::*;

/// The file that marks a folder as docgen's output and lists what docgen wrote in it; only
/// listed files are ever deleted.
pub const MARKER: &str = ".docgen-output";
/// Name parts of the folders a build keeps beside the output: `<name>.docgen-staging-<pid>-<n>`
/// while it writes, `<name>.docgen-old-<pid>-<n>` for the previous output during the swap when
/// the filesystem cannot exchange two folders in one step.
const STAGING: &str = "docgen-staging";
const OLD: &str = "docgen-old";

/// Outcome of writing one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Changed,
    Unchanged,
}

/// An output folder docgen may write to.
pub struct OutputDir {
    /// The folder the site is published to.
    target: PathBuf,
    /// How problems name the output folder (relative to the site root when inside it).
    shown: String,
    mode: Mode,
    /// What was written (since `start_full`, in live mode) and the hash of its bytes: a staged
    /// build's manifest, and what `remove_stale_files` keeps.
    written: Mutex<BTreeMap<String, Hash>>,
    /// Live mode: every file this `OutputDir` wrote, so stale files are removed only while they
    /// hold what it wrote — unless the folder is a preview's own (`State::Live`), all docgen's.
    owned: Mutex<BTreeMap<String, Hash>>,
    all_owned: bool,
    /// Found while preparing, told by `commit_reporting` (abandoned folders that could not be
    /// removed whole).
    notes: Vec<Diagnostic>,
}

enum Mode {
    /// Writing a whole site into `staging` (`None` once committed); unchanged files are linked
    /// from `previous`, the output being replaced.
    Staged {
        staging: Option<PathBuf>,
        previous: Option<PathBuf>,
    },
    /// Writing into the published folder itself.
    Live,
}

impl OutputDir {
    /// Prepares a whole build's output for `path`, the output folder of the site at
    /// `site_root`: checks docgen may use it (see `check_target`), deletes abandoned staging
    /// folders of earlier builds, and creates this build's staging folder beside it. Nothing is
    /// published before `commit`.
    pub fn stage(path: &Path, site_root: &Path) -> Result<OutputDir> {
        let target = check_target(path, site_root)?;
        let (parent, name) = parent_and_name(&target)?;
        fs::create_dir_all(parent)?;
        let shown = shown(&target, site_root);
        let notes = remove_abandoned(parent, name)
            .into_iter()
            .map(|problem| Diagnostic::warning("output", shown.clone(), problem))
            .collect();
        // Created with the default mode, never the output's: a read-only output must not give
        // a staging folder docgen cannot write or delete (its mode is applied at `commit`).
        let staging = create_unique(parent, &format!("{name}.{STAGING}"))?;
        let previous = target.is_dir().then(|| target.clone());
        let output = OutputDir {
            target,
            shown,
            mode: Mode::Staged {
                staging: Some(staging.clone()),
                previous,
            },
            written: Mutex::new(BTreeMap::new()),
            owned: Mutex::new(BTreeMap::new()),
            all_owned: false,
            notes,
        };
        fs::write(&staging.join(MARKER), &Manifest::writing().to_bytes())?;
        Ok(output)
    }

    /// Opens `path` (checked like a build's output) for in-place writes, creating it if needed.
    pub fn open(path: &Path, site_root: &Path) -> Result<OutputDir> {
        let target = check_target(path, site_root)?;
        fs::create_dir_all(&target)?;
        let marker = target.join(MARKER);
        // A folder docgen adopts here (new, or empty) becomes a preview's own, all docgen's;
        // a build's output stays described by its manifest.
        let (owned, all_owned) = match Manifest::read(&target) {
            Some(manifest) if manifest.state == manifest::State::Live => (BTreeMap::new(), true),
            Some(manifest) => (manifest.files, false),
            None if marker.exists() => (BTreeMap::new(), false),
            None => {
                fs::write(&marker, &Manifest::live().to_bytes())?;
                (BTreeMap::new(), true)
            }
        };
        Ok(OutputDir {
            shown: shown(&target, site_root),
            target,
            mode: Mode::Live,
            written: Mutex::new(BTreeMap::new()),
            owned: Mutex::new(owned),
            all_owned,
            notes: Vec::new(),
        })
    }

    /// The folder the site is published to (not where a staged build writes).
    pub fn root(&self) -> &Path {
        &self.target
    }

    /// The folder files are written into: the staging folder until `commit`, or the output.
    pub fn dir(&self) -> &Path {
        match &self.mode {
            Mode::Staged { staging, .. } => staging
                .as_deref()
                .expect("a staged OutputDir is only used before it is committed"),
            Mode::Live => &self.target,
        }
    }

    /// Writes `bytes` at `rel` (an output path like `a/b.html`), unless the file holds them.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<Written> {
        self.record(rel, hash_bytes(bytes));
        match &self.mode {
            Mode::Live => {
                let path = self.target.join(rel);
                if same_content(&path, bytes) {
                    return Ok(Written::Unchanged);
                }
                write_atomic(&path, bytes)?;
            }
            Mode::Staged { previous, .. } => {
                let path = self.prepare(rel)?;
                if let Some(previous) = previous_file(previous.as_deref(), rel)
                    && same_content(&previous, bytes)
                    && link(&previous, &path)
                {
                    return Ok(Written::Unchanged);
                }
                write_new(&path, bytes)?;
            }
        }
        Ok(Written::Changed)
    }

    /// Copies the file `from` to `rel`, unless an identical copy is already there.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<Written> {
        self.record(rel, hash_file(from).map_err(|e| Error::io(from, e))?);
        match &self.mode {
            Mode::Live => {
                let path = self.target.join(rel);
                if same_file_content(&path, from)? {
                    return Ok(Written::Unchanged);
                }
                write_atomic(&path, &fs::read(from)?)?;
            }
            Mode::Staged { previous, .. } => {
                let path = self.prepare(rel)?;
                if let Some(previous) = previous_file(previous.as_deref(), rel)
                    && same_file_content(&previous, from)?
                    && link(&previous, &path)
                {
                    return Ok(Written::Unchanged);
                }
                remove_if_present(&path)?;
                std::fs::copy(from, &path).map_err(|e| Error::io(&path, e))?;
            }
        }
        Ok(Written::Changed)
    }

    /// Starts writing a complete site: what is written from now on is what `remove_stale_files`
    /// keeps.
    pub fn start_full(&self) {
        lock(&self.written).clear();
    }

    /// Removes one output file (and its folder, when left empty). Returns whether it existed.
    pub fn remove(&self, rel: &str) -> Result<bool> {
        let dir = self.dir();
        let path = dir.join(rel);
        lock(&self.written).remove(rel);
        lock(&self.owned).remove(rel);
        if !path.is_file() {
            return Ok(false);
        }
        fs::remove_file(&path)?;
        if let Some(parent) = path.parent()
            && parent != dir
        {
            // Fails harmlessly when the folder still has files.
            let _ = std::fs::remove_dir(parent);
        }
        Ok(true)
    }

    fn record(&self, rel: &str, hash: Hash) {
        if let Mode::Live = self.mode {
            lock(&self.owned).insert(rel.to_string(), hash.clone());
        }
        lock(&self.written).insert(rel.to_string(), hash);
    }

    /// Live mode: deletes every file not written since `start_full` that this `OutputDir`
    /// wrote and that still holds what it wrote, then the folders left empty. Returns the files
    /// removed. A staged build has nothing stale: its folder holds only what it wrote.
    pub fn remove_stale_files(&self) -> Result<Vec<String>> {
        if let Mode::Staged { .. } = self.mode {
            return Ok(Vec::new());
        }
        let written = lock(&self.written);
        let mut owned = lock(&self.owned);
        let mut removed = Vec::new();
        let walker = walkdir::WalkDir::new(&self.target).contents_first(true);
        for entry in walker {
            let entry = entry.map_err(|e| Error::io(&self.target, e.into()))?;
            let rel = source::relative(&self.target, entry.path());
            if entry.depth() == 0 || rel == MARKER {
                continue;
            }
            if entry.file_type().is_dir() {
                // Fails harmlessly when the folder still has files.
                let _ = std::fs::remove_dir(entry.path());
            } else if !written.contains_key(&rel)
                && entry.file_type().is_file()
                && (self.all_owned
                    || owned
                        .get(&rel)
                        .is_some_and(|hash| hash_file(entry.path()).ok().as_ref() == Some(hash)))
            {
                fs::remove_file(entry.path())?;
                owned.remove(&rel);
                removed.push(rel);
            }
        }
        removed.sort();
        Ok(removed)
    }

    /// `commit_reporting`, for callers with no use for its warnings.
    pub fn commit(self) -> Result<PathBuf> {
        self.commit_reporting(&mut Vec::new())
    }

    /// Publishes a staged build. What the previous output holds that docgen did not write is
    /// carried into the new one (`foreign.rs`) — or, when this build writes the same path, the
    /// build fails and nothing changes. The new manifest is written, the new folder gets the
    /// previous one's mode (made writable for its owner) and is exchanged with it in one step
    /// where the filesystem can (Linux `renameat2(RENAME_EXCHANGE)`), else the previous output
    /// is renamed aside, the staging folder into place, and the old one deleted — put back if
    /// the second rename fails. Returns the output folder; live output is already published.
    /// Entries kept for the first time, and abandoned folders that could not be removed, are
    /// warnings pushed to `diagnostics`.
    pub fn commit_reporting(mut self, diagnostics: &mut Vec<Diagnostic>) -> Result<PathBuf> {
        self.publish(diagnostics)
    }

    /// `commit_reporting`, leaving `self` committed.
    pub(super) fn publish(&mut self, diagnostics: &mut Vec<Diagnostic>) -> Result<PathBuf> {
        diagnostics.append(&mut self.notes);
        let Mode::Staged { staging, previous } = &mut self.mode else {
            return Ok(self.target.clone());
        };
        let staging_dir = staging.clone().expect("an OutputDir is committed once");
        let written = std::mem::take(&mut *lock(&self.written));
        let old_manifest = previous.as_deref().and_then(Manifest::read);
        let plan = match previous.as_deref() {
            Some(previous) => {
                foreign::plan(previous, &staging_dir, old_manifest.as_ref(), &written)?
            }
            None => foreign::Plan::default(),
        };
        if !plan.conflicts.is_empty() {
            // Dropped uncommitted: the staging folder goes, the output stays as it was.
            return Err(conflict_error(&self.shown, &plan.conflicts));
        }
        let kept: BTreeSet<String> = plan.moves.iter().cloned().collect();
        let manifest = Manifest::complete(written, kept.clone());
        write_atomic(&staging_dir.join(MARKER), &manifest.to_bytes())?;
        if let Some(previous) = previous.as_deref() {
            // A web server's folder may need its group or mode: the new folder keeps them, but
            // stays writable by its owner so that the next build can replace it.
            let permissions = writable_by_owner(
                std::fs::metadata(previous)
                    .map_err(|e| Error::io(previous, e))?
                    .permissions(),
            );
            std::fs::set_permissions(&staging_dir, permissions)
                .map_err(|e| Error::io(&staging_dir, e))?;
            foreign::carry(previous, &staging_dir, &plan.moves)?;
        }
        match swap(&staging_dir, &self.target) {
            Ok(old) => {
                *staging = None;
                if let Some(old) = old {
                    // Only docgen's own files are left in it (the rest was carried over). An
                    // old folder that cannot be deleted now is deleted by the next build,
                    // which finds it abandoned.
                    let _ = remove_tree(&old);
                }
            }
            Err(error) => {
                if let Some(previous) = previous.as_deref() {
                    // What cannot go back stays in the staging folder, which `drop` then
                    // empties only of what docgen wrote.
                    foreign::bring_back(previous, &staging_dir, &plan.moves);
                }
                return Err(error);
            }
        }
        let before = old_manifest.map(|m| m.kept).unwrap_or_default();
        let new: Vec<&str> = kept.difference(&before).map(String::as_str).collect();
        if !new.is_empty() {
            diagnostics.push(kept_warning(&self.shown, &new));
        }
        Ok(self.target.clone())
    }

    /// The path of `rel` in the folder being written, with its parent folder created.
    fn prepare(&self, rel: &str) -> Result<PathBuf> {
        let path = self.dir().join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        Ok(path)
    }
}

impl Drop for OutputDir {
    /// An uncommitted staged build (errors, an early return, a panic) leaves no trace — of its
    /// own: anything carried into it that could not go back stays.
    fn drop(&mut self) {
        if let Mode::Staged { staging, .. } = &mut self.mode
            && let Some(staging) = staging.take()
        {
            let _ = remove_own_folder(&staging);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .expect("no writer panics while holding the lock")
}

/// How messages name `target`: relative to the site root when inside it.
fn shown(target: &Path, site_root: &Path) -> String {
    let root = site_root
        .canonicalize()
        .unwrap_or_else(|_| site_root.to_path_buf());
    match target.strip_prefix(&root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => target.display().to_string(),
    }
}

/// `permissions` with the owner's read, write and search bits set.
fn writable_by_owner(permissions: std::fs::Permissions) -> std::fs::Permissions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(permissions.mode() | 0o700)
    }
    #[cfg(not(unix))]
    {
        let mut permissions = permissions;
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        permissions
    }
}

/// At most this many paths are named in one message.
const NAMED: usize = 10;

fn list(paths: &[&str]) -> String {
    let mut text = paths
        .iter()
        .take(NAMED)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > NAMED {
        text.push_str(&format!(" and {} more", paths.len() - NAMED));
    }
    text
}

fn conflict_error(output: &str, conflicts: &[String]) -> Error {
    let paths: Vec<&str> = conflicts.iter().map(String::as_str).collect();
    Error::Usage(format!(
        "refusing to overwrite what docgen did not write in the output folder {output}: {} \
         (not listed in its {MARKER}, or changed since docgen wrote it); move it away or delete \
         it, then build again",
        list(&paths)
    ))
}

fn kept_warning(output: &str, kept: &[&str]) -> Diagnostic {
    let (what, them) = match kept.len() {
        1 => ("1 entry".to_string(), "it"),
        n => (format!("{n} entries"), "them"),
    };
    Diagnostic::warning(
        "output-kept",
        output,
        format!(
            "kept {what} docgen did not write: {} (docgen never deletes {them}; this is said once)",
            list(kept)
        ),
    )
}

/// The previous output's regular file at `rel` (never a symlink: linking one would publish the
/// link, not the file).
fn previous_file(previous: Option<&Path>, rel: &str) -> Option<PathBuf> {
    let path = previous?.join(rel);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    meta.is_file().then_some(path)
}

/// Writes `path` through a temp file in the same folder renamed over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let (parent, name) = parent_and_name(path)?;
    fs::create_dir_all(parent)?;
    let prefix = format!(".{name}.docgen-tmp-{}", std::process::id());
    for n in 0.. {
        let temp = parent.join(format!("{prefix}-{n}"));
        match create_new(&temp, bytes) {
            Ok(()) => {
                return std::fs::rename(&temp, path).map_err(|e| {
                    let _ = std::fs::remove_file(&temp);
                    Error::io(path, e)
                });
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                let _ = std::fs::remove_file(&temp);
                return Err(Error::io(&temp, e));
            }
        }
    }
    unreachable!("some temp name is free")
}

/// Checks docgen may publish to `path`, the output of the site at `site_root`, and returns it
/// absolute. Refused: the site root itself or any folder containing it, the site's own folders
/// (`content/`, `static/`, `themes/`, `templates/`), a file, and a non-empty folder docgen did
/// not create (no `MARKER`).
pub fn check_target(path: &Path, site_root: &Path) -> Result<PathBuf> {
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
    Ok(target)
}

/// Creates `<parent>/<prefix>-<pid>-<n>` for the first free `n`: creation is the claim, so two
/// builds (or two threads of one process) never share a folder.
fn create_unique(parent: &Path, prefix: &str) -> Result<PathBuf> {
    let pid = std::process::id();
    for n in 0.. {
        let path = parent.join(format!("{prefix}-{pid}-{n}"));
        match std::fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    unreachable!("some folder name is free")
}

/// `a/public.docgen-staging-1-0` → `a/public.docgen-old-1-0`.
fn sibling_with(path: &Path, from: &str, to: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().replacen(from, to, 1));
    path.with_file_name(name)
}

fn parent_and_name(path: &Path) -> Result<(&Path, &str)> {
    match (path.parent(), path.file_name().and_then(|n| n.to_str())) {
        (Some(parent), Some(name)) => Ok((parent, name)),
        _ => Err(Error::Usage(format!(
            "{} cannot be an output: it has no parent folder or no UTF-8 name",
            path.display()
        ))),
    }
}

/// Hard-links `from` at `to`; false when the filesystem cannot (the caller then writes).
fn link(from: &Path, to: &Path) -> bool {
    match std::fs::hard_link(from, to) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(to).is_ok() && std::fs::hard_link(from, to).is_ok()
        }
        Err(_) => false,
    }
}

/// Writes a new file at `path`. A file already there may be a link to the previous output, so
/// it is replaced, never written through.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    match create_new(path, bytes) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            create_new(path, bytes).map_err(|e| Error::io(path, e))
        }
        result => result.map_err(|e| Error::io(path, e)),
    }
}

fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    let mut out = io::BufWriter::new(file);
    out.write_all(bytes)?;
    out.flush()
}

fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

fn same_content(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|existing| existing == bytes)
        }
        _ => false,
    }
}

/// Whether `existing` holds the bytes of `source` (lengths first, so most differences cost a
/// `stat`).
fn same_file_content(existing: &Path, source: &Path) -> Result<bool> {
    let source_len = std::fs::metadata(source)
        .map_err(|e| Error::io(source, e))?
        .len();
    match std::fs::metadata(existing) {
        Ok(meta) if meta.len() == source_len => {
            Ok(fs::read(source)? == std::fs::read(existing).unwrap_or_default())
        }
        _ => Ok(false),
    }
}

/// `path` made absolute without requiring it to exist (its existing ancestor is canonicalized).
pub(crate) fn absolute(path: &Path) -> Result<PathBuf> {
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

    /// Every name in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
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
            let err = OutputDir::stage(&path, root).err().expect("refused");
            assert!(err.to_string().contains(why), "{}: {err}", path.display());
            let err = OutputDir::open(&path, root).err().expect("refused");
            assert!(err.to_string().contains(why), "{}: {err}", path.display());
        }
        assert_eq!(
            std::fs::read_to_string(other.path().join("notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(names(root), ["content"], "nothing was created");
    }

    #[cfg(unix)]
    #[test]
    fn a_committed_build_replaces_the_output_and_links_unchanged_files() {
        use std::os::unix::fs::MetadataExt;
        let site = site();
        let out_path = site.path().join("public");
        let out = OutputDir::stage(&out_path, site.path()).unwrap();
        assert!(!out_path.exists(), "nothing is published before commit");
        assert_eq!(out.write("a/b.html", b"one").unwrap(), Written::Changed);
        assert_eq!(out.write("old.html", b"x").unwrap(), Written::Changed);
        assert_eq!(out.commit().unwrap(), out_path);
        let inode = std::fs::metadata(out_path.join("a/b.html")).unwrap().ino();

        let out = OutputDir::stage(&out_path, site.path()).expect("a marked folder is reusable");
        assert_eq!(out.write("a/b.html", b"one").unwrap(), Written::Unchanged);
        assert_eq!(out.write("c.html", b"new").unwrap(), Written::Changed);
        assert_eq!(
            std::fs::read(out_path.join("old.html")).unwrap(),
            b"x",
            "the published site is untouched while a build writes"
        );
        out.commit().unwrap();
        assert_eq!(
            names(&out_path),
            [MARKER, "a", "c.html"],
            "old.html is gone"
        );
        let meta = std::fs::metadata(out_path.join("a/b.html")).unwrap();
        assert_eq!(meta.ino(), inode, "an unchanged file is the same file");
        assert_eq!(meta.nlink(), 1, "the previous output is deleted");
        assert_eq!(names(site.path()), ["content", "public"], "no folder left");
    }

    #[test]
    fn a_changed_file_never_writes_through_a_link_to_the_previous_output() {
        let site = site();
        let out_path = site.path().join("public");
        let out = OutputDir::stage(&out_path, site.path()).unwrap();
        out.write("a.html", b"v1").unwrap();
        out.commit().unwrap();
        let out = OutputDir::stage(&out_path, site.path()).unwrap();
        assert_eq!(out.write("a.html", b"v1").unwrap(), Written::Unchanged);
        // The same file written again with other bytes (a later writer wins).
        assert_eq!(out.write("a.html", b"v2").unwrap(), Written::Changed);
        assert_eq!(std::fs::read(out_path.join("a.html")).unwrap(), b"v1");
        drop(out);
        assert_eq!(std::fs::read(out_path.join("a.html")).unwrap(), b"v1");
    }

    #[test]
    fn an_uncommitted_build_leaves_the_output_untouched_even_when_it_panics() {
        let site = site();
        let out_path = site.path().join("public");
        let out = OutputDir::stage(&out_path, site.path()).unwrap();
        out.write("a.html", b"published").unwrap();
        out.commit().unwrap();

        let result = std::panic::catch_unwind(|| {
            let out = OutputDir::stage(&out_path, site.path()).unwrap();
            out.write("a.html", b"half-built").unwrap();
            out.write("b.html", b"half-built").unwrap();
            panic!("a bug mid-build");
        });
        assert!(result.is_err());
        let out = OutputDir::stage(&out_path, site.path()).unwrap();
        out.write("x.html", b"").unwrap();
        drop(out); // an error: dropped without commit
        assert_eq!(names(&out_path), [MARKER, "a.html"]);
        assert_eq!(
            std::fs::read(out_path.join("a.html")).unwrap(),
            b"published"
        );
        assert_eq!(names(site.path()), ["content", "public"]);
    }

    #[test]
    fn abandoned_staging_folders_are_removed_only_when_they_are_docgens() {
        let site = site();
        let root = site.path();
        // pid 2^31 - 2 cannot be running (Linux pids stop at 2^22).
        for (name, marked) in [
            ("public.docgen-staging-2147483646-0", true),
            ("public.docgen-old-2147483646-3", true),
            ("public.docgen-staging-2147483646-1", false),
            ("other.docgen-staging-2147483646-0", true),
            ("public.docgen-staging-mine", true),
        ] {
            std::fs::create_dir_all(root.join(name).join("a")).unwrap();
            if marked {
                std::fs::write(root.join(name).join(MARKER), "").unwrap();
            }
        }
        let out = OutputDir::stage(&root.join("public"), root).unwrap();
        out.commit().unwrap();
        assert_eq!(
            names(root),
            [
                "content",
                "other.docgen-staging-2147483646-0",
                "public",
                "public.docgen-staging-2147483646-1",
                "public.docgen-staging-mine",
            ]
        );
    }

    #[test]
    fn an_empty_folder_is_adopted() {
        let site = site();
        let empty = tempfile::tempdir().unwrap();
        OutputDir::stage(empty.path(), site.path())
            .unwrap()
            .commit()
            .unwrap();
        assert!(empty.path().join(MARKER).is_file());
    }

    #[test]
    fn both_swaps_publish_and_hand_back_the_old_output() {
        fn unsupported(_: &Path, _: &Path) -> io::Result<()> {
            Err(io::ErrorKind::Unsupported.into())
        }
        for (how, exchange) in [
            ("exchange", exchange as fn(&Path, &Path) -> io::Result<()>),
            ("two renames", unsupported),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("public");
            let staging = dir.path().join("public.docgen-staging-1-0");
            std::fs::create_dir_all(&target).unwrap();
            std::fs::write(target.join("old"), "").unwrap();
            std::fs::create_dir_all(&staging).unwrap();
            std::fs::write(staging.join("new"), "").unwrap();
            let old = swap_with(&staging, &target, exchange).unwrap().unwrap();
            assert_eq!(names(&target), ["new"], "{how}");
            assert_eq!(names(&old), ["old"], "{how}");
            if how == "two renames" {
                assert_eq!(old, dir.path().join("public.docgen-old-1-0"));
            }
        }
    }

    #[test]
    fn live_writes_replace_single_files_atomically_and_full_rebuilds_remove_stale_ones() {
        let site = site();
        let out_path = site.path().join("public");
        let live = OutputDir::open(&out_path, site.path()).unwrap();
        assert_eq!(live.write("a/b.html", b"one").unwrap(), Written::Changed);
        assert_eq!(live.write("a/b.html", b"one").unwrap(), Written::Unchanged);
        assert_eq!(live.write("a/b.html", b"two").unwrap(), Written::Changed);
        assert_eq!(live.write("old.html", b"x").unwrap(), Written::Changed);
        assert_eq!(std::fs::read(out_path.join("a/b.html")).unwrap(), b"two");
        assert_eq!(names(&out_path.join("a")), ["b.html"], "no temp file left");
        assert!(live.remove("a/b.html").unwrap());
        assert!(!live.remove("a/b.html").unwrap());
        assert!(!out_path.join("a").exists(), "an emptied folder goes too");
        drop(live);

        let live = OutputDir::open(&out_path, site.path()).expect("a marked folder is reusable");
        live.start_full();
        assert_eq!(live.write("c.html", b"c").unwrap(), Written::Changed);
        assert_eq!(live.remove_stale_files().unwrap(), ["old.html"]);
        assert_eq!(names(&out_path), [MARKER, "c.html"]);
        assert_eq!(live.commit().unwrap(), out_path, "live output is published");
    }

    #[test]
    fn live_files_are_replaced_whole() {
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
        assert_eq!(std::fs::read(out_path.join("a/c.md")).unwrap(), b"# Hi");
        assert_eq!(
            names(&out_path.join("a")),
            ["b.html", "c.md"],
            "no temporary file is left"
        );
    }
}

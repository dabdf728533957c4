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

mod files;
mod foreign;
mod manifest;
mod preview;
mod swap;
#[cfg(test)]
mod tests;

pub(crate) use files::absolute;
use files::*;
pub use files::{check_target, write_atomic};
use manifest::{Hash, Manifest, hash_bytes, hash_file};
pub(crate) use swap::process_alive;
use swap::*;

/// The file that marks a folder as docgen's output and lists what docgen wrote in it; only
/// listed files are ever deleted.
pub const MARKER: &str = ".docgen-output";

/// Whether `dir` is a preview's output folder (its marker says so): all of it is docgen's.
pub fn is_preview_folder(dir: &Path) -> bool {
    Manifest::read(dir).is_some_and(|m| m.state == manifest::State::Live)
}
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
        let walker = source::walk(&self.target).contents_first();
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

//! Carrying over what docgen did not write, when a staged build replaces the previous output.
//! The previous output's entries are sorted by its manifest: docgen's own files (listed, and
//! still holding the listed bytes) go away with the old output; everything else — a deploy
//! `.git`, a `CNAME`, a user's file, a file edited since docgen wrote it, anything below a
//! marker copied into a foreign folder — is moved into the new output at the same place. When
//! the new build writes that very path with other bytes, the build stops instead: docgen never
//! overwrites a file it did not write.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::manifest::{Hash, Manifest, hash_file};
use super::*;

/// What to do with the previous output's entries that are not docgen's.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// Entries to move into the new output, sorted; folders moved whole end with `/`.
    pub moves: Vec<String>,
    /// Paths the new build writes where the previous output holds something docgen did not write.
    pub conflicts: Vec<String>,
}

/// Sorts the entries of `previous` (the output being replaced, described by `manifest`), given
/// what this build `written` into `staging`.
pub(super) fn plan(
    previous: &Path,
    staging: &Path,
    manifest: Option<&Manifest>,
    written: &BTreeMap<String, Hash>,
) -> Result<Plan> {
    let empty = Manifest::complete(BTreeMap::new(), Default::default());
    let manifest = manifest.unwrap_or(&empty);
    // Folders holding something docgen wrote, before or now: these are walked into; any other
    // folder is someone else's and moves whole.
    let mut folders: HashSet<&str> = HashSet::new();
    for rel in manifest.files.keys().chain(written.keys()) {
        for (at, _) in rel.match_indices('/') {
            folders.insert(&rel[..at]);
        }
    }
    let written_folders: HashSet<&str> = written
        .keys()
        .flat_map(|rel| rel.match_indices('/').map(move |(at, _)| &rel[..at]))
        .collect();
    let mut plan = Plan::default();
    let mut walker = source::walk(previous).min_depth(1).sorted().into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|e| Error::io(previous, e.into()))?;
        let rel = source::relative(previous, entry.path());
        if rel == MARKER {
            continue;
        }
        // A file this build writes below something foreign (`a` foreign, `a/b.html` new) or
        // the other way round cannot both be there.
        let under_written_file = rel
            .match_indices('/')
            .any(|(at, _)| written.contains_key(&rel[..at]));
        if entry.file_type().is_dir() {
            if folders.contains(rel.as_str()) {
                continue; // walked into: its entries are sorted one by one
            }
            walker.skip_current_dir();
            if written.contains_key(&rel) || under_written_file {
                plan.conflicts.push(format!("{rel}/"));
            } else {
                plan.moves.push(format!("{rel}/"));
            }
            continue;
        }
        let staged = staging.join(&rel);
        if is_docgens(manifest, &rel, entry.path(), &staged, written) {
            continue;
        }
        let conflict = match written.get(&rel) {
            // The same bytes again: nothing of anyone's is lost.
            Some(new) => hash_file(entry.path()).ok().as_ref() != Some(new),
            None => written_folders.contains(rel.as_str()) || under_written_file,
        };
        if conflict {
            plan.conflicts.push(rel);
        } else if !written.contains_key(&rel) {
            plan.moves.push(rel);
        }
    }
    Ok(plan)
}

/// Whether the previous output's `path` (at `rel`) is the file docgen listed there, unchanged.
/// A file this build hard-linked into `staged` was already compared with the new bytes, so its
/// listed hash is checked against theirs without reading it again.
fn is_docgens(
    manifest: &Manifest,
    rel: &str,
    path: &Path,
    staged: &Path,
    written: &BTreeMap<String, Hash>,
) -> bool {
    let Some(listed) = manifest.files.get(rel) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(old), Ok(new)) = (
            std::fs::symlink_metadata(path),
            std::fs::symlink_metadata(staged),
        ) && old.is_file()
            && old.dev() == new.dev()
            && old.ino() == new.ino()
        {
            return written.get(rel) == Some(listed);
        }
    }
    let _ = (staged, written);
    manifest.lists_unchanged(rel, path)
}

/// Moves the planned entries from `previous` into `staging`. On a failure, what was moved is
/// put back and the error names the entry.
pub(super) fn carry(previous: &Path, staging: &Path, moves: &[String]) -> Result<()> {
    for (done, rel) in moves.iter().enumerate() {
        let rel_path = rel.trim_end_matches('/');
        let to = staging.join(rel_path);
        let moved = match to.parent() {
            Some(parent) => std::fs::create_dir_all(parent),
            None => Ok(()),
        }
        .and_then(|()| std::fs::rename(previous.join(rel_path), &to));
        if let Err(e) = moved {
            bring_back(previous, staging, &moves[..done]);
            let from = previous.join(rel_path);
            return Err(Error::io(
                &from,
                io::Error::new(
                    e.kind(),
                    format!(
                        "cannot carry it over into the new output ({e}); docgen keeps what it \
                         did not write, so the output folder must be writable"
                    ),
                ),
            ));
        }
    }
    Ok(())
}

/// Puts carried entries back into `previous` (after a failed publish). Best effort: an entry
/// that cannot go back stays in `staging`, which is then not deleted.
pub(super) fn bring_back(previous: &Path, staging: &Path, moves: &[String]) -> bool {
    let mut all = true;
    for rel in moves.iter().rev() {
        let rel = rel.trim_end_matches('/');
        all &= std::fs::rename(staging.join(rel), previous.join(rel)).is_ok();
    }
    all
}

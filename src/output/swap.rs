//! Putting a staged build in place of the previous output — atomically where the platform
//! can (`renameat2(RENAME_EXCHANGE)` on Linux) — and cleaning up staging folders that builds
//! killed midway left behind.

use std::io;
use std::path::{Path, PathBuf};

use super::*;

/// Puts `staging` at `target`. Returns the path now holding the previous output, to delete.
pub(super) fn swap(staging: &Path, target: &Path) -> Result<Option<PathBuf>> {
    swap_with(staging, target, exchange)
}

/// `swap` with the one-step exchange given, so tests can take the two-rename path.
pub(super) fn swap_with(
    staging: &Path,
    target: &Path,
    exchange: fn(&Path, &Path) -> io::Result<()>,
) -> Result<Option<PathBuf>> {
    if std::fs::symlink_metadata(target).is_err() {
        std::fs::rename(staging, target).map_err(|e| Error::io(target, e))?;
        return Ok(None);
    }
    match exchange(staging, target) {
        Ok(()) => return Ok(Some(staging.to_path_buf())),
        Err(e) if !exchange_unsupported(&e) => return Err(swap_error(target, e)),
        Err(_) => {}
    }
    let aside = sibling_with(staging, STAGING, OLD);
    std::fs::rename(target, &aside).map_err(|e| swap_error(target, e))?;
    if let Err(e) = std::fs::rename(staging, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(swap_error(target, e));
    }
    Ok(Some(aside))
}

pub(super) fn swap_error(target: &Path, error: io::Error) -> Error {
    let busy = error.kind() == io::ErrorKind::ResourceBusy
        || error.kind() == io::ErrorKind::CrossesDevices;
    let error = if busy {
        io::Error::new(
            error.kind(),
            format!(
                "cannot replace the output folder ({error}); is it a mount point? \
                 Publish into a folder inside it instead"
            ),
        )
    } else {
        error
    };
    Error::io(target, error)
}

/// Exchanges two folders in one step, so the output path never stops holding a complete site.
#[cfg(target_os = "linux")]
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are NUL-terminated strings that live across the call; the syscall
    // only reads them. Called through `syscall` so it works whatever glibc or musl is linked.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
pub(super) fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Whether the filesystem (or kernel) lacks the one-step exchange, so two renames must do.
pub(super) fn exchange_unsupported(error: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if let Some(code) = error.raw_os_error() {
        return matches!(code, libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP);
    }
    error.kind() == io::ErrorKind::Unsupported
}

/// Deletes the staging and old-output folders that builds of `name` left in `parent` when they
/// were killed: folders named like ours whose process no longer runs, emptied of what their
/// manifest says docgen wrote (`remove_own_folder`). A failure never stops the build: it is
/// returned as a message, and the folder is tried again by the next build.
pub(super) fn remove_abandoned(parent: &Path, name: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    let mut abandoned: Vec<PathBuf> = entries
        .flatten()
        .filter(|entry| {
            let file_name = entry.file_name();
            let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(name)) else {
                return false;
            };
            let Some(suffix) = [STAGING, OLD]
                .iter()
                .find_map(|kind| rest.strip_prefix(&format!(".{kind}-")))
            else {
                return false;
            };
            let Some(pid) = suffix
                .split_once('-')
                .and_then(|(pid, n)| n.parse::<u32>().ok().and(pid.parse::<u32>().ok()))
            else {
                return false;
            };
            pid != std::process::id() && !process_alive(pid)
        })
        .map(|entry| entry.path())
        .collect();
    abandoned.sort();
    for path in abandoned {
        match remove_own_folder(&path) {
            Ok(kept) if kept.is_empty() => {}
            Ok(kept) => problems.push(format!(
                "{} was left by a docgen build that was killed; its own files are removed, but \
                 it holds {} that docgen did not write: {} — move them where they belong and \
                 delete the folder",
                path.display(),
                match kept.len() {
                    1 => "an entry".to_string(),
                    n => format!("{n} entries"),
                },
                kept.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
            )),
            Err(e) => problems.push(format!(
                "cannot remove {}, left by a docgen build that was killed: {e}",
                path.display()
            )),
        }
    }
    problems
}

/// Removes a folder docgen made (a staging folder or a replaced output), as far as its marker
/// allows: a folder still being written (or marked by an older docgen) is all docgen's; a
/// complete one loses only the files it lists unchanged; one without a marker goes only when
/// empty (a build killed between creating it and marking it). The marker goes last, so a removal
/// cut short is finished by the next build. Returns what was kept.
pub(super) fn remove_own_folder(dir: &Path) -> io::Result<Vec<String>> {
    let marker = std::fs::read(dir.join(MARKER));
    let manifest = match &marker {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // Not empty: not a folder docgen made, so not docgen's to remove or to mention.
            let _ = std::fs::remove_dir(dir);
            return Ok(Vec::new());
        }
        Err(e) => return Err(io::Error::new(e.kind(), e.to_string())),
        Ok(bytes) => Manifest::parse(bytes),
    };
    match manifest {
        Some(manifest) if manifest.state == manifest::State::Complete => {
            remove_listed(dir, &manifest)
        }
        _ => remove_tree(dir).map(|()| Vec::new()),
    }
}

/// Removes `dir`, all of which is docgen's, marker last. Folders docgen cannot write into (a
/// read-only output, or folders made read-only below it) are made writable first: they are its
/// own, and leaving them would fail every later build.
pub(super) fn remove_tree(dir: &Path) -> io::Result<()> {
    make_writable(dir);
    for entry in source::walk(dir).min_depth(1).contents_first() {
        let entry = entry.map_err(io::Error::from)?;
        if entry.depth() == 1 && entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type().is_dir() {
            std::fs::remove_dir(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    finish_removal(dir)
}

/// Removes what `manifest` lists unchanged in `dir`, and the folders left empty; the folder
/// itself goes when nothing else is left. Returns what was kept.
fn remove_listed(dir: &Path, manifest: &Manifest) -> io::Result<Vec<String>> {
    make_writable(dir);
    let mut kept = Vec::new();
    for entry in source::walk(dir).min_depth(1).contents_first().sorted() {
        let entry = entry.map_err(io::Error::from)?;
        let rel = source::relative(dir, entry.path());
        if rel == MARKER {
            continue;
        }
        if entry.file_type().is_dir() {
            // Fails when something is kept below it.
            let _ = std::fs::remove_dir(entry.path());
        } else if manifest.lists_unchanged(&rel, entry.path()) {
            std::fs::remove_file(entry.path())?;
        } else {
            kept.push(rel);
        }
    }
    if kept.is_empty() {
        finish_removal(dir)?;
    }
    Ok(kept)
}

fn finish_removal(dir: &Path) -> io::Result<()> {
    match std::fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::remove_dir(dir)
}

/// Gives the owner write and search permission on every folder below (and at) `dir` that lacks
/// it. Best effort: what cannot be changed fails the removal, which says so.
fn make_writable(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for entry in source::walk(dir) {
            let Ok(entry) = entry else {
                continue;
            };
            if !entry.file_type().is_dir() {
                continue;
            }
            if let Ok(meta) = entry.metadata()
                && meta.permissions().mode() & 0o700 != 0o700
            {
                let mode = meta.permissions().mode() | 0o700;
                let _ =
                    std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(unix)]
pub(crate) fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return true; // never signal a process group; keep the folder
    }
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
pub(crate) fn process_alive(_: u32) -> bool {
    true // no cheap check: leave the folder rather than risk a running build's
}

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
/// were killed: folders named like ours, carrying the marker, whose process no longer runs.
pub(super) fn remove_abandoned(parent: &Path, name: &str) -> Result<()> {
    let entries = std::fs::read_dir(parent).map_err(|e| Error::io(parent, e))?;
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(name)) else {
            continue;
        };
        let Some(suffix) = [STAGING, OLD]
            .iter()
            .find_map(|kind| rest.strip_prefix(&format!(".{kind}-")))
        else {
            continue;
        };
        let Some(pid) = suffix
            .split_once('-')
            .and_then(|(pid, n)| n.parse::<u32>().ok().and(pid.parse::<u32>().ok()))
        else {
            continue;
        };
        let path = entry.path();
        if pid != std::process::id() && !process_alive(pid) && path.join(MARKER).is_file() {
            std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
pub(super) fn process_alive(pid: u32) -> bool {
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
pub(super) fn process_alive(_: u32) -> bool {
    true // no cheap check: leave the folder rather than risk a running build's
}

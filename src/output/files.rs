//! Write stage, the file helpers of `OutputDir`: atomic and exclusive writes, the checks of
//! an output folder before anything is written, content comparisons, and the wording of the
//! messages that name an output.

use super::*;

pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .expect("no writer panics while holding the lock")
}

/// How messages name `target`: relative to the site root when inside it.
pub(super) fn shown(target: &Path, site_root: &Path) -> String {
    let root = site_root
        .canonicalize()
        .unwrap_or_else(|_| site_root.to_path_buf());
    match target.strip_prefix(&root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => target.display().to_string(),
    }
}

/// `permissions` with the owner's read, write and search bits set.
pub(super) fn writable_by_owner(permissions: std::fs::Permissions) -> std::fs::Permissions {
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

pub(super) fn list(paths: &[&str]) -> String {
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

pub(super) fn conflict_error(output: &str, conflicts: &[String]) -> Error {
    let paths: Vec<&str> = conflicts.iter().map(String::as_str).collect();
    Error::Usage(format!(
        "refusing to overwrite what docgen did not write in the output folder {output}: {} \
         (not listed in its {MARKER}, or changed since docgen wrote it); move it away or delete \
         it, then build again",
        list(&paths)
    ))
}

pub(super) fn kept_warning(output: &str, kept: &[&str]) -> Diagnostic {
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
pub(super) fn previous_file(previous: Option<&Path>, rel: &str) -> Option<PathBuf> {
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
    for own in crate::config::dirs::SOURCES {
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
pub(super) fn create_unique(parent: &Path, prefix: &str) -> Result<PathBuf> {
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
pub(super) fn sibling_with(path: &Path, from: &str, to: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().replacen(from, to, 1));
    path.with_file_name(name)
}

pub(super) fn parent_and_name(path: &Path) -> Result<(&Path, &str)> {
    match (path.parent(), path.file_name().and_then(|n| n.to_str())) {
        (Some(parent), Some(name)) => Ok((parent, name)),
        _ => Err(Error::Usage(format!(
            "{} cannot be an output: it has no parent folder or no UTF-8 name",
            path.display()
        ))),
    }
}

/// Hard-links `from` at `to`; false when the filesystem cannot (the caller then writes).
pub(super) fn link(from: &Path, to: &Path) -> bool {
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
pub(super) fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    match create_new(path, bytes) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            create_new(path, bytes).map_err(|e| Error::io(path, e))
        }
        result => result.map_err(|e| Error::io(path, e)),
    }
}

pub(super) fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    let mut out = io::BufWriter::new(file);
    out.write_all(bytes)?;
    out.flush()
}

pub(super) fn remove_if_present(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

pub(super) fn same_content(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|existing| existing == bytes)
        }
        _ => false,
    }
}

/// Whether `existing` holds the bytes of `source` (lengths first, so most differences cost a
/// `stat`).
pub(super) fn same_file_content(existing: &Path, source: &Path) -> Result<bool> {
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

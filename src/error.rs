//! Failures that stop a build from running at all (as opposed to `Diagnostic`s, which are problems
//! in the site's content and are collected). Every variant names the path involved.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

#[derive(Debug)]
pub enum Error {
    /// Reading or writing `path` failed.
    Io { path: PathBuf, source: io::Error },
    /// The command cannot run as asked (no site at the root, an output folder docgen must not use…).
    Usage(String),
    /// The configuration is invalid; the site cannot be loaded.
    Config(Vec<Diagnostic>),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl AsRef<Path>, source: io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Usage(message) => f.write_str(message),
            Error::Config(diagnostics) => {
                for d in diagnostics {
                    write!(f, "{d}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// `std::fs` wrappers whose errors always carry the path.
pub mod fs {
    use super::{Error, Result};
    use std::path::Path;

    pub fn read(path: &Path) -> Result<Vec<u8>> {
        std::fs::read(path).map_err(|e| Error::io(path, e))
    }

    pub fn read_to_string(path: &Path) -> Result<String> {
        std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
    }

    pub fn create_dir_all(path: &Path) -> Result<()> {
        std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))
    }

    pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
        std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
    }

    pub fn remove_file(path: &Path) -> Result<()> {
        std::fs::remove_file(path).map_err(|e| Error::io(path, e))
    }

    pub fn canonicalize(path: &Path) -> Result<std::path::PathBuf> {
        std::fs::canonicalize(path).map_err(|e| Error::io(path, e))
    }
}

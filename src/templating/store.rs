//! Parse stage, content templating: the files pages include, each read and parsed at most once
//! per build, on first use, then shared by every page (in parallel).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::INCLUDES_DIR;
use super::compiled::Compiled;
use super::dialect::Dialect;
use super::markers;
use crate::source;

/// A file once looked for: compiled, or `None` when it does not exist.
type Cell = Arc<OnceLock<Option<Arc<Compiled>>>>;

/// Every file a page may include, read and compiled on first use.
pub struct Store {
    root: PathBuf,
    pub dialect: Dialect,
    /// The files of `includes/` (paths below it), listed when the build starts.
    includes: Vec<String>,
    files: Mutex<HashMap<String, Cell>>,
    next_slot: AtomicU32,
}

impl Store {
    /// `includes` are the files of the site's `includes/` folder, relative to it.
    pub fn new(root: &Path, dialect: Dialect, includes: Vec<String>) -> Store {
        Store {
            root: root.to_path_buf(),
            dialect,
            includes,
            files: Mutex::new(HashMap::new()),
            next_slot: AtomicU32::new(1),
        }
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The compiled file at site path `path`, or `None` when there is no such file. Each file
    /// is read and parsed once, by the first page that asks.
    pub fn get(&self, path: &str) -> Option<Arc<Compiled>> {
        let mut built_in = None;
        if let Some(rel) = path
            .strip_prefix(INCLUDES_DIR)
            .and_then(|p| p.strip_prefix('/'))
            && self
                .includes
                .binary_search_by(|i| i.as_str().cmp(rel))
                .is_err()
        {
            // Not in the site's includes/: the default theme's file of that name, if any.
            built_in = Some(crate::theme::built_in_include(rel)?);
        }
        let cell: Cell = {
            let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(files.entry(path.to_string()).or_default())
        };
        cell.get_or_init(|| match built_in {
            Some(text) => Some(Arc::new(self.compile_built_in(path, text))),
            None => self.compile(path).map(Arc::new),
        })
        .clone()
    }

    /// A built-in include: messages name it `(built-in theme) includes/<name>`, as they name
    /// built-in templates, since the site has no such file to open.
    fn compile_built_in(&self, path: &str, text: &'static str) -> Compiled {
        let slot = self
            .next_slot
            .fetch_add(1, Ordering::Relaxed)
            .min(markers::MAX_SLOT + 1);
        Compiled::new(
            format!("(built-in theme) {path}"),
            slot,
            Arc::from(text),
            0,
            &self.dialect,
        )
    }

    fn compile(&self, path: &str) -> Option<Compiled> {
        let read = source::read_if_exists(&self.root, path);
        if matches!(read, Ok(None)) {
            return None;
        }
        let slot = self
            .next_slot
            .fetch_add(1, Ordering::Relaxed)
            .min(markers::MAX_SLOT + 1);
        let path = path.to_string();
        Some(match read {
            Ok(Some(bytes)) => match String::from_utf8(bytes) {
                Ok(text) => Compiled::new(path, slot, Arc::from(text), 0, &self.dialect),
                Err(_) => {
                    Compiled::unreadable(path, slot, "the file is not valid UTF-8 text".into())
                }
            },
            Ok(None) => unreachable!("handled above"),
            Err(e) => Compiled::unreadable(path, slot, format!("cannot read the file: {e}")),
        })
    }

    /// The files an include could have meant in folder `dir` (a site path): every file of
    /// `includes/`, or the files directly in another folder.
    pub fn names_in(&self, dir: &str) -> Vec<String> {
        if dir == INCLUDES_DIR {
            let mut names = self.includes.clone();
            names.extend(crate::theme::built_in_include_names().map(str::to_string));
            names.sort();
            names.dedup();
            return names;
        }
        source::files_in(&self.root.join(dir))
    }
}

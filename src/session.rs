//! The live preview's session (`serve --watch`): the engine (`engine`) over one site, opened
//! into a preview and fed the watcher's `Change` batches. It decides only how far a batch
//! reaches (`deps::reach`): the whole site (config, a path through a symlink) and the theme
//! are loaded again and run in full; anything else is the engine's incremental step.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::build::Indexed;
pub use crate::change::Change;
use crate::config::{Config, Overrides};
use crate::deps::{self, Reach};
use crate::diagnostic::{self, Diagnostic};
pub use crate::engine::Rebuild;
use crate::engine::{Engine, Mode};
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::output::OutputDir;
use crate::source;

pub struct Session {
    root: PathBuf,
    overrides: Overrides,
    engine: Engine,
}

impl Session {
    /// Loads the site at `root` and writes it all to `output`.
    pub fn open(
        root: &Path,
        overrides: Overrides,
        output: &Path,
        highlighter: &Highlighter,
    ) -> Result<(Session, Rebuild)> {
        let started = Instant::now();
        let config = Config::load(root, &overrides)?;
        let site = Indexed::load(config)?;
        // The first build is written like `build`'s, into a staging folder swapped in whole
        // (`go_live`): plain writes instead of a temp file and a rename per file, and a reader
        // of the folder sees the previous site or this one.
        let out = OutputDir::stage(output, root)?;
        let (mut engine, mut rebuild) = Engine::open(site, Mode::Preview, Some(out), highlighter)?;
        let mut notes = Vec::new();
        engine.go_live(&mut notes)?;
        if !notes.is_empty() {
            rebuild.diagnostics.extend(notes);
            diagnostic::sort(&mut rebuild.diagnostics);
        }
        rebuild.elapsed = started.elapsed();
        let session = Session {
            root: root.to_path_buf(),
            overrides,
            engine,
        };
        Ok((session, rebuild))
    }

    /// The folder the site is written to.
    pub fn output(&self) -> &Path {
        self.engine.output()
    }

    pub fn site(&self) -> &Indexed {
        self.engine.site()
    }

    /// Every current problem of the site, sorted.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.engine.diagnostics()
    }

    /// Applies what changed on disk and re-renders what depends on it, the search index
    /// included.
    pub fn apply(&mut self, changes: &[Change], highlighter: &Highlighter) -> Result<Rebuild> {
        let started = Instant::now();
        let mut rebuild = self.apply_pages(changes, highlighter)?;
        let search = self.update_search()?;
        rebuild.written.extend(search.written);
        rebuild.removed.extend(search.removed);
        rebuild.elapsed = started.elapsed();
        Ok(rebuild)
    }

    /// Brings the search index up to date with the edits `apply_pages` applied: what
    /// `apply` does after the pages, which `serve` does once the open pages are told to
    /// reload (remaking the shards is most of a rebuild of a large site).
    pub fn update_search(&mut self) -> Result<Rebuild> {
        let started = Instant::now();
        let mut rebuild = self.engine.update_search()?;
        rebuild.elapsed = started.elapsed();
        Ok(rebuild)
    }

    /// `apply` without the search index: the pages, files and problems a batch changes.
    pub fn apply_pages(
        &mut self,
        changes: &[Change],
        highlighter: &Highlighter,
    ) -> Result<Rebuild> {
        let started = Instant::now();
        let reaches: Vec<Reach> = changes
            .iter()
            .map(|change| {
                // An `.html` file of content/ is a page or a file by its first line, which an
                // edit can change. A symlink is followed only inside the site: whether one is,
                // or a path below one, is the listing's to say.
                let site = self.engine.site();
                let html_page = matches!(change, Change::ContentFile(p) if site.page(p).is_some()
                    || source::is_html_page(&site.config().content_dir(), p));
                deps::reach(change, html_page || self.touches_symlink(change))
            })
            .collect();
        let mut rebuild = match deps::batch(&reaches) {
            Reach::Site => {
                let config = Config::load(&self.root, &self.overrides)?;
                self.engine.reload(Indexed::load(config)?, highlighter)?
            }
            Reach::Theme => self.engine.reload_theme(highlighter)?,
            Reach::Content => self.engine.apply_content(changes, highlighter)?,
        };
        rebuild.elapsed = started.elapsed();
        Ok(rebuild)
    }

    /// Whether `change` is to a path of `content/` or `static/` that is, or lies below, a
    /// symlink, or that the listing reported (a link not followed, now changed or gone).
    fn touches_symlink(&self, change: &Change) -> bool {
        let site = self.engine.site();
        let config = site.config();
        let (dir, path) = match change {
            Change::Page(p) | Change::ContentFile(p) => (config.content_dir(), p),
            Change::StaticFile(p) => (config.static_dir(), p),
            _ => return false,
        };
        let shown = source::relative(&config.root, &dir.join(path));
        if site
            .listing()
            .iter()
            .any(|d| shown == d.file || shown.starts_with(&format!("{}/", d.file)))
        {
            return true;
        }
        let mut at = dir.join(path);
        while at != dir {
            if at
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
            {
                return true;
            }
            if !at.pop() {
                break;
            }
        }
        false
    }
}

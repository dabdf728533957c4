//! Load stage: `Loaded`, the site's files listed and its pages parsed — the config, the pages
//! (sorted by source), the files to copy, the theme and content templating — nothing indexed
//! yet. The output file plan (`plan.rs`) is a function of this value alone.

use std::sync::OnceLock;
use std::time::Duration;

use rayon::prelude::*;

use super::Stopwatch;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::page::{Page, display_path};
use crate::source;
use crate::templating::Templating;
use crate::theme::Theme;

mod plan;

pub(crate) use plan::FileOrigin;
use plan::FilePlan;

/// The load stage's value: the site's files listed and its pages parsed, nothing indexed.
///
/// Changed only through its own methods (used by the index stage, `Indexed`), each of which
/// drops the output file plan it may alter, so the plan always matches the pages and files.
pub struct Loaded {
    config: Config,
    /// Sorted by source path.
    pages: Vec<Page>,
    /// Files below `content/` that are not pages (content-relative paths), sorted.
    assets: Vec<String>,
    /// Files below `static/`, sorted.
    static_files: Vec<String>,
    theme: Theme,
    /// Content templating's shared state (includes, data), unless the site turned it off.
    templating: Option<Templating>,
    /// The problems of listing `content/` and `static/` (symlinks not followed). The theme,
    /// templating and each page keep their own.
    listing: Vec<Diagnostic>,
    /// Wall time of loading (and, once indexed, indexing).
    timings: Vec<(&'static str, Duration)>,
    /// The output file plan (`plan.rs`): made on first use, once per state of the pages,
    /// files and theme, and dropped by every change to them.
    plan: OnceLock<FilePlan>,
}

impl Loaded {
    /// Lists `content/`, `static/` and the theme and parses every page, in parallel.
    pub fn load(config: Config) -> Result<Loaded> {
        let mut watch = Stopwatch::start();
        let content_dir = config.content_dir();
        let mut tree = source::scan_content(&content_dir)?;
        let statics = source::list_site_files(&config.root, &config.static_dir())?;
        let static_files = statics.files;
        let theme = Theme::load(&config)?;
        let templating = match config.templating {
            true => Some(Templating::load(&config)?),
            false => None,
        };
        watch.lap("scan");
        let mut listing = std::mem::take(&mut tree.diagnostics);
        listing.extend(statics.diagnostics);
        let pages: Vec<Page> = tree
            .pages
            .par_iter()
            .map(|rel| match source::read(&content_dir, rel) {
                Ok(bytes) => Page::parse_with(rel, bytes, templating.as_ref()),
                Err(e) => {
                    let mut page = Page::parse(rel, Vec::new());
                    page.diagnostics.push(Diagnostic::error(
                        "read",
                        display_path(rel),
                        format!("cannot read the file: {e}"),
                    ));
                    page
                }
            })
            .collect();
        watch.lap("parse");
        Ok(Loaded {
            config,
            pages,
            assets: tree.assets,
            static_files,
            theme,
            templating,
            listing,
            timings: watch.laps,
            plan: OnceLock::new(),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Every loaded page, drafts included, sorted by source.
    pub fn pages(&self) -> &[Page] {
        &self.pages
    }

    /// Files below `content/` that are not pages (content-relative paths).
    pub fn assets(&self) -> &[String] {
        &self.assets
    }

    /// Files below `static/`.
    pub fn static_files(&self) -> &[String] {
        &self.static_files
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Content templating's shared state, unless the site turned it off.
    pub(crate) fn templating(&self) -> Option<&Templating> {
        self.templating.as_ref()
    }

    /// The problems of listing `content/` and `static/`.
    pub(crate) fn listing(&self) -> &[Diagnostic] {
        &self.listing
    }

    /// Wall time of each stage so far.
    pub(crate) fn timings(&self) -> &[(&'static str, Duration)] {
        &self.timings
    }

    pub(super) fn add_timing(&mut self, stage: &'static str, took: Duration) {
        self.timings.push((stage, took));
    }

    /// The page with this source, if it is loaded.
    pub fn page(&self, source: &str) -> Option<&Page> {
        self.pages
            .binary_search_by(|p| p.source.as_str().cmp(source))
            .ok()
            .map(|i| &self.pages[i])
    }

    /// Whether the page exists and is built.
    pub fn is_published(&self, source: &str) -> bool {
        self.page(source)
            .is_some_and(|p| self.config.drafts || !p.front.draft)
    }

    /// Pages that are published in this build.
    pub fn published(&self) -> impl Iterator<Item = &Page> + '_ {
        self.pages
            .iter()
            .filter(|p| self.config.drafts || !p.front.draft)
    }

    /// The published pages directly in the folder `dir` (`""`: the top), in source order.
    pub(super) fn published_in(&self, dir: &str) -> Vec<&Page> {
        let mut pages = self.pages_in(dir);
        pages.retain(|p| self.config.drafts || !p.front.draft);
        pages
    }

    /// Every page directly in the folder `dir`, drafts too, in source order.
    pub(super) fn pages_in(&self, dir: &str) -> Vec<&Page> {
        // Pages are sorted by source, so a folder's pages are one run of them.
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let start = self
            .pages
            .partition_point(|p| p.source.as_str() < prefix.as_str());
        self.pages[start..]
            .iter()
            .take_while(|p| p.source.starts_with(&prefix))
            .filter(|p| p.dir() == dir)
            .collect()
    }

    /// Reads and parses `content/<source>`; `None` when it no longer exists.
    pub(crate) fn read_page(&self, source: &str) -> Result<Option<Page>> {
        let dir = self.config.content_dir();
        if !dir.join(source).is_file() {
            return Ok(None);
        }
        let bytes = source::read(&dir, source)?;
        Ok(Some(Page::parse_with(
            source,
            bytes,
            self.templating.as_ref(),
        )))
    }

    /// Puts `page` in place of the page with its source (or adds it), or removes the page
    /// `source` when `page` is `None`. Returns the page it replaced.
    pub(super) fn set_page(&mut self, source: &str, page: Option<Page>) -> Option<Page> {
        let at = self
            .pages
            .binary_search_by(|p| p.source.as_str().cmp(source));
        if at.is_ok() || page.is_some() {
            self.plan = OnceLock::new();
        }
        match (at, page) {
            (Ok(at), Some(page)) => Some(std::mem::replace(&mut self.pages[at], page)),
            (Ok(at), None) => Some(self.pages.remove(at)),
            (Err(at), Some(page)) => {
                self.pages.insert(at, page);
                None
            }
            (Err(_), None) => None,
        }
    }

    /// Records that the file `path` of `content/` (`static_file` false) or `static/` exists or
    /// not. Returns whether the site listed it before.
    pub(super) fn set_file(&mut self, static_file: bool, path: &str, exists: bool) -> bool {
        let files = match static_file {
            false => &mut self.assets,
            true => &mut self.static_files,
        };
        let known = files.binary_search_by(|f| f.as_str().cmp(path));
        match (exists, known) {
            (true, Err(at)) => files.insert(at, path.to_string()),
            (false, Ok(at)) => {
                files.remove(at);
            }
            _ => return known.is_ok(),
        }
        self.plan = OnceLock::new();
        known.is_ok()
    }

    /// Loads the theme again.
    pub(super) fn reload_theme(&mut self) -> Result<()> {
        self.theme = Theme::load(&self.config)?;
        self.plan = OnceLock::new();
        Ok(())
    }

    /// Loads content templating's includes and data again (when the site uses it).
    pub(super) fn reload_templating(&mut self) -> Result<()> {
        if self.config.templating {
            self.templating = Some(Templating::load(&self.config)?);
        }
        Ok(())
    }
}

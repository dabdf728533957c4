//! The one build engine: it keeps the stage values of a site — `Site` (loaded and indexed),
//! the templates and the site data every page shares, each page's check (`Checked`), each
//! page's render outcome, the search records and the output check (`Rendered`) — and runs
//! the stages over them. `build` is the engine run once with everything changed and the
//! output written only when nothing is wrong; `check` is the same run without an output;
//! `serve` (`session`) runs it once into a preview and then applies `Change` batches to it
//! (`apply.rs`), re-running only what `deps` says a change touches.
//!
//! One sequence, one assembly: the full run (`run_full`) and every incremental step read
//! the same values, and `diagnostics` is the only place the site's problems are put
//! together, so a clean build and a rebuilt preview cannot report differently.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::build::{BuildReport, Derived, PageCheck, RenderWith, Site, Stopwatch};
use crate::diagnostic::{self, Diagnostic};
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::links::{self, url_for_source};
use crate::output::OutputDir;
use crate::page::Page;
use crate::render::Renderer;

mod apply;
mod generated;
mod search;

/// What one run of the engine did.
#[derive(Debug, Clone, Default)]
pub struct Rebuild {
    /// Output files written with new bytes (`elements/x/y.html`).
    pub written: Vec<String>,
    /// Output files removed.
    pub removed: Vec<String>,
    /// How many pages were rendered.
    pub rendered: usize,
    /// Whether everything was rebuilt.
    pub full: bool,
    /// The problems of the whole site after the rebuild.
    pub diagnostics: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// Output files of the pages rendered (read for the output check).
    scanned: Vec<String>,
    /// Whether the ids of a rendered page changed (or a page's output went).
    ids_changed: bool,
}

impl Rebuild {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Whether only stylesheets changed, so a browser can swap them without reloading.
    pub fn only_css(&self) -> bool {
        !self.written.is_empty()
            && self.removed.is_empty()
            && self.written.iter().all(|f| f.ends_with(".css"))
    }
}

/// Where the engine writes, and when.
pub(crate) enum Mode {
    /// `check`: nothing is written.
    Check,
    /// `build`: a staging folder for this output, made and written only while no error is
    /// found, and published by `commit`.
    Build(PathBuf),
    /// `serve`: the engine's output, written whatever the problems (the preview shows them).
    Preview,
}

/// The templates, compiled once per theme, and the site data they all show.
pub(crate) struct Templates {
    pub renderer: Renderer,
    /// Problems of the templates.
    pub diagnostics: Vec<Diagnostic>,
    pub derived: Derived,
    /// Problems found deriving the site data (`Derived::new`).
    pub derived_diagnostics: Vec<Diagnostic>,
}

impl Templates {
    /// Compiles the theme's templates and derives the site data they show.
    pub(crate) fn new(site: &Site) -> Templates {
        let (mut renderer, diagnostics) = Renderer::new(&site.theme().templates);
        let mut derived_diagnostics = Vec::new();
        let derived = Derived::new(site, &mut derived_diagnostics);
        renderer.set_site(&derived.site, &derived.summaries);
        Templates {
            renderer,
            diagnostics,
            derived,
            derived_diagnostics,
        }
    }
}

/// The check stage's value: every published page's check, by source.
#[derive(Default)]
pub(crate) struct Checked {
    pub pages: HashMap<String, PageCheck>,
}

/// The render stage's value: what rendering found and what the written output holds.
#[derive(Default)]
pub(crate) struct Rendered {
    /// Pages whose layout failed to render, by source.
    pub errors: HashMap<String, Diagnostic>,
    /// Why the pages docgen generates (404, the home page) fail to render.
    pub generated_errors: Vec<Diagnostic>,
    /// Every rendered HTML file and stylesheet read, with its broken URLs (`output_links`).
    pub output_check: crate::output_links::OutputCheck,
    /// The search index as last written.
    pub search: search::SearchIndex,
}

/// The engine: the stage values of one site and where they are written.
pub struct Engine {
    site: Site,
    templates: Templates,
    checked: Checked,
    rendered: Rendered,
    mode: Mode,
    /// The output being written: the preview's, or a build's staging folder once made.
    out: Option<OutputDir>,
    /// Files copied by the last full run (for the build report).
    copied: usize,
    timings: Vec<(&'static str, Duration)>,
}

impl Engine {
    /// An engine over the indexed `site`; nothing is checked yet. A preview writes to `out`.
    pub(crate) fn new(site: Site, mode: Mode, out: Option<OutputDir>) -> Engine {
        let mut watch = Stopwatch::start();
        let templates = Templates::new(&site);
        watch.lap("templates");
        Engine {
            site,
            templates,
            checked: Checked::default(),
            rendered: Rendered::default(),
            mode,
            out,
            copied: 0,
            timings: watch.laps,
        }
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Replaces the whole site (a `docgen.toml` change, or a path through a symlink) and runs
    /// every stage again.
    pub(crate) fn reload(&mut self, site: Site, highlighter: &Highlighter) -> Result<Rebuild> {
        self.site = site;
        self.templates = Templates::new(&self.site);
        self.run_full(highlighter)
    }

    /// Loads the theme again (a template or theme file changed) and runs every stage again.
    pub(crate) fn reload_theme(&mut self, highlighter: &Highlighter) -> Result<Rebuild> {
        self.site.reload_theme()?;
        self.templates = Templates::new(&self.site);
        self.run_full(highlighter)
    }

    /// The preview's output folder.
    pub(crate) fn output(&self) -> &Path {
        self.out.as_ref().expect("a preview has its output").root()
    }

    /// Publishes a preview's staged first build and goes on writing in place
    /// (`OutputDir::go_live`).
    pub(crate) fn go_live(&mut self, notes: &mut Vec<Diagnostic>) -> Result<()> {
        match &mut self.out {
            Some(out) => out.go_live(notes),
            None => Ok(()),
        }
    }

    /// Runs every stage over everything: checks every published page, renders them (writing
    /// them when the mode allows), reads the output for the output check, then writes the
    /// search index and every other file.
    pub(crate) fn run_full(&mut self, highlighter: &Highlighter) -> Result<Rebuild> {
        let mut watch = Stopwatch::start();
        if let Some(out) = &self.out {
            out.start_full();
        }
        let sources: Vec<String> = self.site.published().map(|p| p.source.clone()).collect();
        self.checked.pages.clear();
        self.check_pages(&sources);
        self.rendered = Rendered {
            output_check: self.site.output_check(),
            ..Rendered::default()
        };
        watch.lap("check");
        if let Mode::Build(path) = &self.mode
            && !self.has_errors()
        {
            self.out = Some(OutputDir::stage(path, &self.site.config.root)?);
        }
        let out = self.out.take();
        let rendered = self.render_pages(&sources, out.as_ref(), highlighter);
        self.out = out;
        let mut rebuild = rendered?;
        self.rendered.generated_errors = self
            .site
            .check_generated_pages(&self.templates.renderer, &self.templates.derived);
        watch.lap("render");
        self.site.scan_generated(
            &mut self.rendered.output_check,
            &self.templates.renderer,
            &self.templates.derived,
            highlighter,
        )?;
        self.rendered.output_check.verify_all();
        watch.lap("verify");
        let write = match self.mode {
            Mode::Check => false,
            Mode::Build(_) => self.out.is_some() && !self.has_errors(),
            Mode::Preview => true,
        };
        match &self.out {
            Some(out) if write => {
                self.rendered.search = search::SearchIndex::write(&self.site, out)?;
                watch.lap("search");
                self.copied = self.site.write_files(
                    out,
                    &self.templates.renderer,
                    &self.templates.derived,
                    highlighter,
                )?;
                rebuild.removed = out.remove_stale_files()?;
            }
            // A build with errors drops its staging folder uncommitted, which deletes what it
            // wrote and leaves the previous output as it was.
            _ => self.out = None,
        }
        watch.lap("write");
        self.timings.extend(watch.laps);
        rebuild.full = true;
        rebuild.diagnostics = self.diagnostics();
        Ok(rebuild)
    }

    /// Checks the given published pages again (in parallel).
    fn check_pages(&mut self, sources: &[String]) {
        let site = &self.site;
        let renderer = &self.templates.renderer;
        let pages: Vec<&Page> = sources
            .iter()
            .filter_map(|s| site.page(s))
            .filter(|page| site.is_published(&page.source))
            .collect();
        let checks: Vec<(String, PageCheck)> = pages
            .par_iter()
            .map(|page| (page.source.clone(), site.check_page(page, renderer)))
            .collect();
        self.checked.pages.extend(checks);
    }

    /// Renders and writes the given published pages (in parallel) with their current checks.
    fn render_pages(
        &mut self,
        sources: &[String],
        out: Option<&OutputDir>,
        highlighter: &Highlighter,
    ) -> Result<Rebuild> {
        let site = &self.site;
        // A page that just became a draft may still be listed by its element's old guides.
        let pages: Vec<(&Page, &PageCheck)> = sources
            .iter()
            .filter_map(|s| site.page(s))
            .filter(|page| site.is_published(&page.source))
            .filter_map(|page| Some((page, self.checked.pages.get(&page.source)?)))
            .collect();
        let renderer = &self.templates.renderer;
        let with = RenderWith {
            renderer,
            derived: &self.templates.derived,
            highlighter,
            out,
        };
        let rendered = site.render_pages(&pages, &with)?;
        let sources: Vec<String> = pages.iter().map(|(p, _)| p.source.clone()).collect();
        let mut rebuild = Rebuild::default();
        for (source, page) in sources.into_iter().zip(rendered) {
            rebuild.rendered += 1;
            let output_check = &mut self.rendered.output_check;
            match page.scanned {
                Some((file, scanned)) => {
                    rebuild.ids_changed |= output_check.insert_page(file.clone(), scanned);
                    rebuild.scanned.push(file);
                }
                None => {
                    // A page whose layout failed is not written.
                    let file = links::output_file_for_url(&url_for_source(&source));
                    rebuild.ids_changed |= output_check.remove_file(&file);
                }
            }
            rebuild.written.extend(page.written);
            match page.error {
                Some(d) => self.rendered.errors.insert(source, d),
                None => self.rendered.errors.remove(&source),
            };
        }
        Ok(rebuild)
    }

    /// Publishes a build's output (`OutputDir::commit_reporting`); `None` when nothing was
    /// written (a check, or a build with errors).
    pub(crate) fn commit(&mut self, diagnostics: &mut Vec<Diagnostic>) -> Result<Option<PathBuf>> {
        match self.out.take() {
            Some(out) => Ok(Some(out.commit_reporting(diagnostics)?)),
            None => Ok(None),
        }
    }

    /// The parts the site's problems come from, each a list in the order its stage made it.
    fn diagnostic_parts(&self) -> impl Iterator<Item = &Diagnostic> + '_ {
        let site = &self.site;
        site.pages()
            .iter()
            .flat_map(|p| p.diagnostics.iter())
            .chain(site.nav.diagnostics())
            .chain(site.templating.iter().flat_map(|t| t.diagnostics.iter()))
            .chain(site.listing.iter())
            .chain(site.theme().diagnostics.iter())
            .chain(site.collisions.iter())
            .chain(self.templates.diagnostics.iter())
            .chain(self.templates.derived_diagnostics.iter())
            .chain(
                self.checked
                    .pages
                    .values()
                    .flat_map(|c| c.diagnostics.iter()),
            )
            .chain(self.rendered.errors.values())
            .chain(self.rendered.generated_errors.iter())
    }

    /// Whether any current problem is an error.
    fn has_errors(&self) -> bool {
        self.diagnostic_parts().any(Diagnostic::is_error)
            || self.output_diagnostics().iter().any(Diagnostic::is_error)
    }

    /// Every current problem of the site, sorted: the one place they are put together.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let site = &self.site;
        let mut all: Vec<Diagnostic> = site
            .pages()
            .iter()
            .flat_map(|p| p.diagnostics.iter().cloned())
            .chain(site.nav.diagnostics().cloned())
            .chain(
                site.templating
                    .iter()
                    .flat_map(|t| t.diagnostics.iter().cloned()),
            )
            .chain(site.listing.iter().cloned())
            .chain(site.theme().diagnostics.iter().cloned())
            .chain(site.collisions.iter().cloned())
            .chain(self.templates.diagnostics.iter().cloned())
            .chain(self.templates.derived_diagnostics.iter().cloned())
            .chain(
                self.checked
                    .pages
                    .values()
                    .flat_map(|c| c.diagnostics.iter().cloned()),
            )
            .chain(self.render_errors())
            .chain(self.output_diagnostics())
            .chain(crate::build::base_url_warning(&site.config))
            .collect();
        diagnostic::sort(&mut all);
        all.dedup();
        all
    }

    /// The layout errors of the pages and of the generated pages, folded as one broken layout
    /// is said once.
    fn render_errors(&self) -> Vec<Diagnostic> {
        let mut pages: Vec<(&String, &Diagnostic)> = self.rendered.errors.iter().collect();
        pages.sort_by_key(|(source, _)| *source);
        crate::build::fold_render_errors(
            pages
                .into_iter()
                .map(|(_, d)| d.clone())
                .chain(self.rendered.generated_errors.iter().cloned()),
        )
    }

    /// The broken URLs of the rendered output, blamed where they were written.
    fn output_diagnostics(&self) -> Vec<Diagnostic> {
        let check = &self.rendered.output_check;
        if check.is_clean() {
            return Vec::new();
        }
        let hrefs_of = |source: &str| self.checked.pages.get(source).map(|c| &c.hrefs);
        check.report(&crate::output_links::Blame {
            templates: &self.site.theme().templates,
            site: &self.site,
            hrefs: &hrefs_of,
            severity: self.site.config.broken_links,
        })
    }

    /// The build report of a full run: what was checked and written, and every problem.
    fn report(mut self) -> Result<BuildReport> {
        let mut diagnostics = self.diagnostics();
        let output = self.commit(&mut diagnostics)?;
        diagnostic::sort(&mut diagnostics);
        diagnostics.dedup();
        Ok(BuildReport {
            pages: self.site.published().count(),
            elements: self.site.nav.elements.len(),
            assets: if output.is_some() { self.copied } else { 0 },
            diagnostics,
            elapsed: Duration::default(),
            output,
            timings: self
                .site
                .timings
                .iter()
                .copied()
                .chain(self.timings.iter().copied())
                .collect(),
        })
    }
}

/// `build` (an output) or `check` (none) of an indexed site: the engine run once over
/// everything, the output published only when nothing is wrong.
pub fn build_site(
    site: Site,
    output: Option<&Path>,
    highlighter: &Highlighter,
) -> Result<BuildReport> {
    let mode = match output {
        Some(path) => Mode::Build(path.to_path_buf()),
        None => Mode::Check,
    };
    let mut engine = Engine::new(site, mode, None);
    engine.run_full(highlighter)?;
    engine.report()
}

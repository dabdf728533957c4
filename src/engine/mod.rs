//! The one build engine: it keeps the stage values of a site and runs the stages over them.
//! Each stage is a function from the values before it to its own: `Indexed` (loaded and
//! indexed, `build/`) → `Templates::new` (the compiled layouts and the site data every page
//! shares) → `Checked::new` (each page's check) → `Rendered::new` (each page's render
//! outcome and the output check) → the write (`run_full`: the search index, every other
//! file). `build` is the engine opened once with everything changed and the output written
//! only when nothing is wrong; `check` is the same run without an output; `serve`
//! (`session`) opens it into a preview and then applies `Change` batches to it (`apply.rs`),
//! where each stage value takes the change through its own methods and `deps` says what else
//! a change touches.
//!
//! One sequence, one assembly: the full run (`run_full`) and every incremental step read
//! the same values, and `diagnostics` is the only place the site's problems are put
//! together, so a clean build and a rebuilt preview cannot report differently.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::build::{BuildReport, Derived, Indexed, Stopwatch};
use crate::diagnostic::{self, Diagnostic};
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::output::OutputDir;
use crate::render::Renderer;

mod apply;
mod checked;
mod generated;
mod rendered;
mod search;

pub(crate) use checked::Checked;
pub(crate) use rendered::{Rendered, Upstream};

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
/// Kept by the engine (its fields are the engine's alone); the site data changes only
/// through `update_derived`, which hands it to the renderer too.
pub(crate) struct Templates {
    renderer: Renderer,
    /// Problems of the templates.
    diagnostics: Vec<Diagnostic>,
    derived: Derived,
    /// Problems found deriving the site data (`Derived::new`).
    derived_diagnostics: Vec<Diagnostic>,
}

impl Templates {
    /// Compiles the theme's templates and derives the site data they show.
    pub(crate) fn new(site: &Indexed) -> Templates {
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

    /// Derives the site data again (after the navigation or the files changed); returns the
    /// data it replaced, when it changed.
    fn update_derived(&mut self, site: &Indexed) -> Option<Derived> {
        let mut derived_diagnostics = Vec::new();
        let derived = Derived::new(site, &mut derived_diagnostics);
        self.derived_diagnostics = derived_diagnostics;
        if derived == self.derived {
            return None;
        }
        let old = std::mem::replace(&mut self.derived, derived);
        self.renderer
            .set_site(&self.derived.site, &self.derived.summaries);
        Some(old)
    }
}

/// The engine: the stage values of one site and where they are written.
pub struct Engine {
    site: Indexed,
    templates: Templates,
    checked: Checked,
    rendered: Rendered,
    /// The search index as last written (empty when nothing was written).
    search: search::SearchIndex,
    mode: Mode,
    /// The output being written: the preview's, or a build's staging folder once made.
    out: Option<OutputDir>,
    /// Files copied by the last full run (for the build report).
    copied: usize,
    timings: Vec<(&'static str, Duration)>,
}

/// The values one full run of the stages made.
struct Full {
    checked: Checked,
    rendered: Rendered,
    search: search::SearchIndex,
    copied: usize,
    rebuild: Rebuild,
}

impl Engine {
    /// Runs every stage over the indexed `site` (`run_full`) and keeps their values. A preview
    /// writes to `out`.
    pub(crate) fn open(
        site: Indexed,
        mode: Mode,
        mut out: Option<OutputDir>,
        highlighter: &Highlighter,
    ) -> Result<(Engine, Rebuild)> {
        let mut watch = Stopwatch::start();
        let templates = Templates::new(&site);
        watch.lap("templates");
        let full = run_full(&site, &templates, &mode, &mut out, highlighter, &mut watch)?;
        let engine = Engine {
            site,
            templates,
            checked: full.checked,
            rendered: full.rendered,
            search: full.search,
            mode,
            out,
            copied: full.copied,
            timings: watch.laps,
        };
        let mut rebuild = full.rebuild;
        rebuild.diagnostics = engine.diagnostics();
        Ok((engine, rebuild))
    }

    pub fn site(&self) -> &Indexed {
        &self.site
    }

    /// Replaces the whole site (a `docgen.toml` change, or a path through a symlink) and runs
    /// every stage again.
    pub(crate) fn reload(&mut self, site: Indexed, highlighter: &Highlighter) -> Result<Rebuild> {
        self.site = site;
        self.templates = Templates::new(&self.site);
        self.rerun(highlighter)
    }

    /// Loads the theme again (a template or theme file changed) and runs every stage again.
    pub(crate) fn reload_theme(&mut self, highlighter: &Highlighter) -> Result<Rebuild> {
        self.site.reload_theme()?;
        self.templates = Templates::new(&self.site);
        self.rerun(highlighter)
    }

    /// Runs the check, render and write stages again over everything.
    fn rerun(&mut self, highlighter: &Highlighter) -> Result<Rebuild> {
        let mut watch = Stopwatch::start();
        let full = run_full(
            &self.site,
            &self.templates,
            &self.mode,
            &mut self.out,
            highlighter,
            &mut watch,
        )?;
        self.checked = full.checked;
        self.rendered = full.rendered;
        self.search = full.search;
        self.copied = full.copied;
        self.timings.extend(watch.laps);
        let mut rebuild = full.rebuild;
        rebuild.diagnostics = self.diagnostics();
        Ok(rebuild)
    }

    /// Runs `step` on the engine with the preview's output, which is lent out for the time (a
    /// step both changes the engine and writes through the output).
    fn with_preview_output<T>(
        &mut self,
        step: impl FnOnce(&mut Engine, &OutputDir) -> Result<T>,
    ) -> Result<T> {
        let out = self.out.take().expect("a preview has its output");
        let result = step(self, &out);
        self.out = Some(out);
        result
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

    /// Publishes a build's output (`OutputDir::commit_reporting`); `None` when nothing was
    /// written (a check, or a build with errors).
    pub(crate) fn commit(&mut self, diagnostics: &mut Vec<Diagnostic>) -> Result<Option<PathBuf>> {
        match self.out.take() {
            Some(out) => Ok(Some(out.commit_reporting(diagnostics)?)),
            None => Ok(None),
        }
    }

    /// Every current problem of the site, sorted: the one place they are put together.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .site
            .diagnostics()
            .chain(self.templates.diagnostics.iter())
            .chain(self.templates.derived_diagnostics.iter())
            .chain(self.checked.diagnostics())
            .cloned()
            .chain(self.rendered.render_errors())
            .chain(self.rendered.output_diagnostics(&self.site, &self.checked))
            .chain(crate::build::base_url_warning(self.site.config()))
            .collect();
        diagnostic::sort(&mut all);
        all.dedup();
        all
    }

    /// The build report of a full run: what was checked and written, and every problem.
    fn report(mut self) -> Result<BuildReport> {
        let mut diagnostics = self.diagnostics();
        let output = self.commit(&mut diagnostics)?;
        diagnostic::sort(&mut diagnostics);
        diagnostics.dedup();
        Ok(BuildReport {
            pages: self.site.published().count(),
            elements: self.site.nav().elements.len(),
            assets: if output.is_some() { self.copied } else { 0 },
            diagnostics,
            elapsed: Duration::default(),
            output,
            timings: self
                .site
                .timings()
                .iter()
                .copied()
                .chain(self.timings.iter().copied())
                .collect(),
            replaced: self.site.replaced_generated(),
        })
    }
}

/// The check, render and write stages over everything: checks every published page, renders
/// them (writing them when the mode allows), reads the output for the output check, then
/// writes the search index and every other file. A build stages its output only while no
/// error is found, and drops it (which deletes what it wrote) when one is.
fn run_full(
    site: &Indexed,
    templates: &Templates,
    mode: &Mode,
    out: &mut Option<OutputDir>,
    highlighter: &Highlighter,
    watch: &mut Stopwatch,
) -> Result<Full> {
    if let Some(out) = out.as_ref() {
        out.start_full();
    }
    let checked = Checked::new(site, &templates.renderer);
    watch.lap("check");
    let errors = |checked: &Checked| {
        site.diagnostics()
            .chain(templates.diagnostics.iter())
            .chain(templates.derived_diagnostics.iter())
            .chain(checked.diagnostics())
            .any(Diagnostic::is_error)
    };
    if let Mode::Build(path) = mode
        && !errors(&checked)
    {
        *out = Some(OutputDir::stage(path, &site.config().root)?);
    }
    let from = Upstream {
        site,
        templates,
        checked: &checked,
        highlighter,
    };
    let (mut rendered, mut rebuild, entries) = Rendered::new(&from, out.as_ref())?;
    watch.lap("render");
    // The output is verified (one thread: the pages' URLs against one table) while the
    // search index is made and written (the other threads, then all): the index waits for
    // nothing the check finds. When the check finds errors, the staging folder holding the
    // index is dropped with the pages.
    let (write, indexed) = rayon::join(
        || -> Result<bool> {
            rendered.verify_output(&from)?;
            if !matches!(mode, Mode::Preview) {
                // Nothing verifies again after a one-shot run: free what only that would read.
                rendered.keep_for_report();
            }
            Ok(match mode {
                Mode::Check => false,
                Mode::Build(_) => {
                    out.is_some()
                        && !errors(&checked)
                        && !rendered.diagnostics().any(Diagnostic::is_error)
                        && !rendered
                            .output_diagnostics(site, &checked)
                            .iter()
                            .any(Diagnostic::is_error)
                }
                Mode::Preview => true,
            })
        },
        || {
            out.as_ref()
                .filter(|_| site.config().search)
                .map(|dir| search::SearchIndex::write(site, dir, entries))
        },
    );
    let write = write?;
    watch.lap("verify, search");
    let mut search = search::SearchIndex::default();
    let mut copied = 0;
    match out.as_ref() {
        Some(dir) if write => {
            if let Some(indexed) = indexed {
                search = indexed?;
            }
            copied = site.write_files(dir, &templates.renderer, &templates.derived, highlighter)?;
            rebuild.removed = dir.remove_stale_files()?;
        }
        // A build with errors drops its staging folder uncommitted, which deletes what it
        // wrote and leaves the previous output as it was.
        _ => *out = None,
    }
    watch.lap("write");
    rebuild.full = true;
    Ok(Full {
        checked,
        rendered,
        search,
        copied,
        rebuild,
    })
}

/// `build` (an output) or `check` (none) of an indexed site: the engine run once over
/// everything, the output published only when nothing is wrong.
pub fn build_site(
    site: Indexed,
    output: Option<&Path>,
    highlighter: &Highlighter,
) -> Result<BuildReport> {
    let mode = match output {
        Some(path) => Mode::Build(path.to_path_buf()),
        None => Mode::Check,
    };
    let (engine, _) = Engine::open(site, mode, None, highlighter)?;
    engine.report()
}

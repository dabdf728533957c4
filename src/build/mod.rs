//! The pipeline's stages up to the page: load → parse → index → check → render → write. The
//! engine (`engine/`) keeps their values and runs them in this order.
//!
//! 1. `Loaded::load` (loaded.rs) lists `content/`, `static/` and the theme, and parses every
//!    page in parallel: front matter, content templating, the Markdown outline. The output
//!    file plan (loaded/plan.rs: which source writes each file that is not a page, the
//!    redirect pages of `redirect_from`) is a function of this value.
//! 2. `Indexed::new(loaded)` (indexed.rs) groups pages into elements (`Navigation`), indexes
//!    every page and file (`LinkIndex`), registers the redirects and lists the collisions;
//!    `Indexed::apply` (indexed/apply.rs) takes an incremental batch.
//! 3. `Indexed::check_page` (check.rs) resolves every link of a page and checks its layout;
//!    nothing is written yet.
//! 4. `Indexed::render_pages` (pages.rs; context.rs, then `Renderer`) renders each page's HTML
//!    with its resolved links, highlighting code, in parallel, and writes it when there is an
//!    output; the assets, redirect pages and generated files (generated.rs: sitemap,
//!    robots.txt, 404, shared navigation, search index, highlighting CSS) are written with
//!    them, into a staging folder that is swapped in as the output (`OutputDir::commit`).
//!
//! Each step takes values and returns values, and every problem becomes a `Diagnostic`, so one
//! run reports all of them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::{Config, Overrides};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::wording::word as plural;

/// Files docgen generates in every site (unless the site provides its own).
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const NOT_FOUND: &str = "404.html";
/// Written only when the site has no `content/index.md`.
pub const HOME: &str = "index.html";
pub const ELEMENTS_NAV: &str = "elements-nav.json";
pub const HIGHLIGHT_CSS: &str = "highlight.css";

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder holding `docgen.toml`.
    pub root: PathBuf,
    /// Where to write; `public/` below the root by default.
    pub output: Option<PathBuf>,
    pub overrides: Overrides,
}

/// What a build did and found.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub elements: usize,
    pub assets: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// The output folder, when the site was written.
    pub output: Option<PathBuf>,
    /// Wall time of each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Generated files a file of the site or theme replaces, with what replaces them:
    /// `("robots.txt", "static/robots.txt")`. Meant or not, the summary says so.
    pub replaced: Vec<(String, String)>,
}

impl BuildReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// `Built 27 pages (3 elements), 14 assets copied — 0 warnings, 0 errors in 0.21s`
    /// or, when nothing was written, `Build failed: 2 pages (1 element) checked, nothing
    /// written — 1 warning, 1 error in 0.01s`.
    pub fn summary(&self) -> String {
        let pages = format!(
            "{} {} ({} {})",
            self.pages,
            plural(self.pages, "page", "pages"),
            self.elements,
            plural(self.elements, "element", "elements"),
        );
        let what = if self.output.is_some() {
            format!(
                "Built {pages}, {} {} copied",
                self.assets,
                plural(self.assets, "asset", "assets")
            )
        } else {
            format!("Build failed: {pages} checked, nothing written")
        };
        format!(
            "{what} — {} {}, {} {} in {:.2}s{}",
            self.warnings(),
            plural(self.warnings(), "warning", "warnings"),
            self.errors(),
            plural(self.errors(), "error", "errors"),
            self.elapsed.as_secs_f64(),
            self.replaced_note()
        )
    }

    /// `; generated files replaced by the site's: robots.txt (static/robots.txt)`, or nothing.
    pub fn replaced_note(&self) -> String {
        if self.replaced.is_empty() {
            return String::new();
        }
        let files: Vec<String> = self
            .replaced
            .iter()
            .map(|(file, by)| format!("{file} ({by})"))
            .collect();
        format!(
            "; {} by the site's: {}",
            plural(
                files.len(),
                "generated file replaced",
                "generated files replaced"
            ),
            files.join(", ")
        )
    }
}

/// Builds the site at `options.root` into its output folder.
pub fn build(options: &BuildOptions, highlighter: &Highlighter) -> Result<BuildReport> {
    let started = Instant::now();
    let config = Config::load(&options.root, &options.overrides)?;
    let output_path = options
        .output
        .clone()
        .unwrap_or_else(|| config.root.join(crate::config::dirs::OUTPUT));
    let site = Indexed::load(config)?;
    let mut report = crate::engine::build_site(site, Some(&output_path), highlighter)?;
    report.elapsed = started.elapsed();
    Ok(report)
}

mod check;
mod conflicts;
mod context;
mod generated;
mod images;
mod indexed;
mod loaded;
mod pages;
mod sections;
mod verify;

pub(crate) use check::PageCheck;
pub(crate) use context::{Derived, find_elements_index};
pub use generated::{
    FragmentHashes, SearchEntries, SearchEntry, SearchFiles, SearchRecords, SearchWrite,
};
pub use indexed::Indexed;
pub(crate) use indexed::{Reindexed, Slot};
pub(crate) use loaded::FileOrigin;
pub use loaded::Loaded;
pub(crate) use pages::RenderWith;

/// The warning of a site without `base_url` (after the command line's `--base-url`).
pub(crate) fn base_url_warning(config: &Config) -> Option<Diagnostic> {
    config.base_url.is_none().then(|| {
        Diagnostic::warning(
            "config",
            crate::config::CONFIG_FILE,
            "base_url is not set: sitemap.xml is not written and permalinks are site-relative",
        )
    })
}

/// The layout errors of rendering pages, the pages' in source order and then the generated
/// pages': a broken layout fails every page that uses it, so each error is said once, on the
/// first page it failed, with "and N other pages". Shared by `build` and the serve session, so
/// both say it the same way.
pub(crate) fn fold_render_errors(errors: impl IntoIterator<Item = Diagnostic>) -> Vec<Diagnostic> {
    let mut folded: Vec<(Diagnostic, usize)> = Vec::new();
    let mut seen: HashMap<(String, u32, u32, String), usize> = HashMap::new();
    for d in errors {
        let key = (d.file.clone(), d.line, d.column, d.message.clone());
        match seen.get(&key) {
            Some(&at) => folded[at].1 += 1,
            None => {
                seen.insert(key, folded.len());
                folded.push((d, 1));
            }
        }
    }
    folded
        .into_iter()
        .map(|(d, count)| match count {
            1 => d,
            _ => d.with_note(format!("and {} other pages", count - 1)),
        })
        .collect()
}

/// Measures consecutive stages.
pub(crate) struct Stopwatch {
    last: Instant,
    pub(crate) laps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    pub(crate) fn start() -> Self {
        Stopwatch {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

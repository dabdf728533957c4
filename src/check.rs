//! `docgen check`: every check of a build — front matter, templates, links, anchors, images,
//! element consistency — run through the same pipeline (load → parse → index → check → render)
//! but writing nothing; optionally followed by a check of external links (`external`).

use std::path::PathBuf;
use std::time::Instant;

use crate::build::{BuildReport, Indexed};
use crate::config::{Config, Overrides};
use crate::diagnostic::{self, Severity};
use crate::error::Result;
use crate::external;
use crate::highlight::Highlighter;

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The folder holding `docgen.toml`.
    pub root: PathBuf,
    pub overrides: Overrides,
    /// Report warnings as errors.
    pub strict: bool,
    /// Also check external http(s) links, with these settings.
    pub external: Option<external::Options>,
}

/// What a check found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// The build's report: pages, elements and every diagnostic (sorted); nothing written.
    pub build: BuildReport,
    /// How many external links were checked, when they were.
    pub external: Option<external::Stats>,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.build.errors()
    }

    /// `Checked 21 pages (3 elements) and 14 external links (9 cached) — 0 warnings, 0 errors in 0.12s`
    pub fn summary(&self) -> String {
        let report = &self.build;
        let plural = |n: usize, what: &str| crate::wording::count(n, what, &format!("{what}s"));
        let external = match &self.external {
            Some(stats) => format!(
                " and {} ({} cached)",
                plural(stats.urls, "external link"),
                stats.cached
            ),
            None => String::new(),
        };
        format!(
            "Checked {} ({}){external} — {}, {} in {:.2}s{}",
            plural(report.pages, "page"),
            plural(report.elements, "element"),
            plural(report.warnings(), "warning"),
            plural(report.errors(), "error"),
            report.elapsed.as_secs_f64(),
            report.replaced_note()
        )
    }
}

/// Checks the site at `options.root` without writing it.
pub fn check(options: &CheckOptions, highlighter: &Highlighter) -> Result<CheckReport> {
    let started = Instant::now();
    let config = Config::load(&options.root, &options.overrides)?;
    let site = Indexed::load(config)?;
    // The external check reads the loaded pages: it runs before the engine takes the site.
    let found = options
        .external
        .as_ref()
        .map(|settings| external::check(&site, settings));
    let mut build = crate::engine::build_site(site, None, highlighter)?;
    let external = match found {
        Some(found) => {
            build.diagnostics.extend(found.diagnostics);
            Some(found.stats)
        }
        None => None,
    };
    if options.strict {
        for d in &mut build.diagnostics {
            d.severity = Severity::Error;
        }
    }
    diagnostic::sort(&mut build.diagnostics);
    build.elapsed = started.elapsed();
    Ok(CheckReport { build, external })
}

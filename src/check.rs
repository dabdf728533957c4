//! `docgen check`: every check of a build — front matter, templates, links, anchors, images,
//! element consistency — run through the same pipeline (load → parse → index → check → render)
//! but writing nothing.

use std::path::PathBuf;
use std::time::Instant;

use crate::build::{BuildReport, Site};
use crate::config::{Config, Overrides};
use crate::diagnostic::{self, Severity};
use crate::error::Result;
use crate::highlight::Highlighter;

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// The folder holding `docgen.toml`.
    pub root: PathBuf,
    pub overrides: Overrides,
    /// Report warnings as errors.
    pub strict: bool,
}

/// What a check found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// The build's report: pages, elements and every diagnostic (sorted); nothing written.
    pub build: BuildReport,
}

impl CheckReport {
    pub fn errors(&self) -> usize {
        self.build.errors()
    }

    /// `Checked 21 pages (3 elements) — 0 warnings, 0 errors in 0.12s`
    pub fn summary(&self) -> String {
        let report = &self.build;
        let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        format!(
            "Checked {} ({}) — {}, {} in {:.2}s",
            plural(report.pages, "page"),
            plural(report.elements, "element"),
            plural(report.warnings(), "warning"),
            plural(report.errors(), "error"),
            report.elapsed.as_secs_f64()
        )
    }
}

/// Checks the site at `options.root` without writing it.
pub fn check(options: &CheckOptions, highlighter: &Highlighter) -> Result<CheckReport> {
    let started = Instant::now();
    let config = Config::load(&options.root, &options.overrides)?;
    let site = Site::load(config, highlighter)?;
    let mut build = site.check_and_write(None, highlighter)?;
    if options.strict {
        for d in &mut build.diagnostics {
            d.severity = Severity::Error;
        }
    }
    diagnostic::sort(&mut build.diagnostics);
    build.elapsed = started.elapsed();
    Ok(CheckReport { build })
}

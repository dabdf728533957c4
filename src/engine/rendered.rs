//! Render stage's value: `Rendered`, what rendering the checked pages found — each page's
//! layout error, the generated pages' errors — and what the rendered output holds, read for
//! the output check (`output_links`). Made in full by `Rendered::new`, and kept up to date by
//! the incremental step through its methods.

use std::collections::HashMap;

use super::{Checked, Rebuild, Templates};
use crate::build::{Indexed, PageCheck, RenderWith, SearchEntries};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::links::{self, url_for_source};
use crate::output::OutputDir;
use crate::output_links::{Blame, OutputCheck, Owner};
use crate::page::Page;

/// The stage values rendering reads.
pub(crate) struct Upstream<'a> {
    pub site: &'a Indexed,
    pub templates: &'a Templates,
    pub checked: &'a Checked,
    pub highlighter: &'a Highlighter,
}

/// What rendering found and what the output holds.
pub(crate) struct Rendered {
    /// Pages whose layout failed to render, by source.
    errors: HashMap<String, Diagnostic>,
    /// Why the pages docgen generates (404, the home page) fail to render.
    generated_errors: Vec<Diagnostic>,
    /// Every rendered HTML file and stylesheet read, with its broken URLs.
    output_check: OutputCheck,
}

impl Rendered {
    /// The render stage: renders every published page with its check (written when there is
    /// an output) and checks the generated pages; `verify_output` then reads what the output
    /// holds. Returns what it wrote and rendered too, and, when there is an output, the search
    /// entries of the pages it rendered (made from their renders, for the index `run_full`
    /// makes while the output is verified).
    pub(crate) fn new(
        from: &Upstream<'_>,
        out: Option<&OutputDir>,
    ) -> Result<(Rendered, Rebuild, SearchEntries)> {
        let mut rendered = Rendered {
            errors: HashMap::new(),
            generated_errors: Vec::new(),
            output_check: from.site.output_check(),
        };
        let sources: Vec<String> = from.site.published().map(|p| p.source.clone()).collect();
        let search = out.is_some() && from.site.config().search;
        let (rebuild, entries) = rendered.render_with(from, &sources, out, search)?;
        rendered.check_generated(from);
        Ok((rendered, rebuild, entries))
    }

    /// Once every page is rendered: reads the generated pages with the stylesheets, and
    /// verifies every URL of the output.
    pub(crate) fn verify_output(&mut self, from: &Upstream<'_>) -> Result<()> {
        let Upstream {
            site,
            templates,
            highlighter,
            ..
        } = from;
        site.scan_generated(
            &mut self.output_check,
            &templates.renderer,
            &templates.derived,
            highlighter,
        )?;
        self.output_check.verify_all();
        Ok(())
    }

    /// Renders (and writes, to `out`) the given published pages, in parallel, with their
    /// current checks; keeps their layout errors and what their output holds.
    pub(crate) fn render(
        &mut self,
        from: &Upstream<'_>,
        sources: &[String],
        out: Option<&OutputDir>,
    ) -> Result<Rebuild> {
        Ok(self.render_with(from, sources, out, false)?.0)
    }

    /// `render`, gathering the search sections of the pages rendered when `search`.
    fn render_with(
        &mut self,
        from: &Upstream<'_>,
        sources: &[String],
        out: Option<&OutputDir>,
        search: bool,
    ) -> Result<(Rebuild, SearchEntries)> {
        let site = from.site;
        // A page that just became a draft may still be listed by its element's old guides.
        let pages: Vec<(&Page, &PageCheck)> = sources
            .iter()
            .filter_map(|s| site.page(s))
            .filter(|page| site.is_published(&page.source))
            .filter_map(|page| Some((page, from.checked.get(&page.source)?)))
            .collect();
        let with = RenderWith {
            renderer: &from.templates.renderer,
            derived: &from.templates.derived,
            highlighter: from.highlighter,
            out,
            search,
        };
        let rendered = site.render_pages(&pages, &with)?;
        let mut rebuild = Rebuild::default();
        let mut entries = SearchEntries::new();
        for ((page, _), outcome) in pages.iter().zip(rendered) {
            let source = &page.source;
            if let Some(entry) = outcome.search {
                entries.insert(source.clone(), entry);
            }
            rebuild.rendered += 1;
            match outcome.scanned {
                Some((file, scanned)) => {
                    rebuild.ids_changed |= self.output_check.insert_page(file.clone(), scanned);
                    rebuild.scanned.push(file);
                }
                None => {
                    // A page whose layout failed is not written.
                    let file = links::output_file_for_url(&url_for_source(source));
                    rebuild.ids_changed |= self.output_check.remove_file(&file);
                }
            }
            rebuild.written.extend(outcome.written);
            match outcome.error {
                Some(d) => self.errors.insert(source.clone(), d),
                None => self.errors.remove(source),
            };
        }
        Ok((rebuild, entries))
    }

    /// Forgets the layout error of a page that is gone or no longer published.
    pub(crate) fn remove(&mut self, source: &str) {
        self.errors.remove(source);
    }

    /// Checks the pages docgen generates (404, the home page) with the current site data.
    pub(crate) fn check_generated(&mut self, from: &Upstream<'_>) {
        self.generated_errors = from
            .site
            .check_generated_pages(&from.templates.renderer, &from.templates.derived);
    }

    /// For a one-shot run (`build`, `check`), once rendered: keeps of the output check only
    /// what its report reads (`OutputCheck::keep_for_report`).
    pub(crate) fn keep_for_report(&mut self) {
        self.output_check.keep_for_report();
    }

    /// Verifies the URLs of the output files `scanned` (rendered again; nothing else moved).
    pub(crate) fn verify(&mut self, scanned: &[String]) {
        self.output_check.verify(scanned.iter().map(String::as_str));
    }

    /// Brings the output check's files up to date after files, pages or ids came or went —
    /// the published pages' outputs kept, every other file, the generated and redirect pages
    /// and the stylesheets read again — and verifies every URL again.
    pub(crate) fn refresh_output_files(&mut self, from: &Upstream<'_>) -> Result<()> {
        let site = from.site;
        let mut check = site.output_check();
        let published: std::collections::HashSet<String> = site
            .published()
            .map(|p| links::output_file_for_url(&p.url))
            .collect();
        for (file, scanned) in std::mem::take(&mut self.output_check).into_pages() {
            if matches!(scanned.owner, Owner::Page(_)) && published.contains(&file) {
                check.insert_page(file, scanned);
            }
        }
        site.scan_generated(
            &mut check,
            &from.templates.renderer,
            &from.templates.derived,
            from.highlighter,
        )?;
        check.verify_all();
        self.output_check = check;
        Ok(())
    }

    /// The problems of rendering (before folding), each list in the order it was made.
    pub(crate) fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> + '_ {
        self.errors.values().chain(self.generated_errors.iter())
    }

    /// The layout errors of the pages and of the generated pages, folded as one broken layout
    /// is said once.
    pub(crate) fn render_errors(&self) -> Vec<Diagnostic> {
        let mut pages: Vec<(&String, &Diagnostic)> = self.errors.iter().collect();
        pages.sort_by_key(|(source, _)| *source);
        crate::build::fold_render_errors(
            pages
                .into_iter()
                .map(|(_, d)| d.clone())
                .chain(self.generated_errors.iter().cloned()),
        )
    }

    /// The broken URLs of the rendered output, blamed where they were written.
    pub(crate) fn output_diagnostics(&self, site: &Indexed, checked: &Checked) -> Vec<Diagnostic> {
        if self.output_check.is_clean() {
            return Vec::new();
        }
        let hrefs_of = |source: &str| checked.hrefs(source);
        self.output_check.report(&Blame {
            templates: &site.theme().templates,
            site,
            hrefs: &hrefs_of,
            severity: site.config().broken_links,
        })
    }
}

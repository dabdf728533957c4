//! Render stage, the page side: the one loop that turns checked pages into HTML — template
//! context, layout, the write (when there is an output) and the read for the output check —
//! shared by `build`, `check` and the serve session.

use rayon::prelude::*;

use super::{Derived, Indexed, PageCheck};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::links;
use crate::output::{OutputDir, Written};
use crate::output_links::{Scanned, TagMemo};
use crate::page::Page;
use crate::render::Renderer;

/// What rendering one page gave.
pub(crate) struct PageRender {
    /// Why its layout failed (the page is then not written).
    pub error: Option<Diagnostic>,
    /// Its output file, when it was written with new bytes.
    pub written: Option<String>,
    /// Its output file and what it holds, read for the output check.
    pub scanned: Option<(String, Scanned)>,
    /// Its search sections, gathered from its render when `RenderWith::search` asks for them.
    pub search: Option<crate::search::PageSections>,
}

/// What the render loop needs besides the pages.
pub(crate) struct RenderWith<'a> {
    pub renderer: &'a Renderer,
    pub derived: &'a Derived,
    pub highlighter: &'a Highlighter,
    /// Where to write; `None` renders and reads the pages without writing them.
    pub out: Option<&'a OutputDir>,
    /// Gather each searched page's sections while it renders (read from the render's
    /// events, no second walk).
    pub search: bool,
}

impl Indexed {
    /// Renders `pages`, each with its check, in parallel, in order.
    pub(crate) fn render_pages(
        &self,
        pages: &[(&Page, &PageCheck)],
        with: &RenderWith<'_>,
    ) -> Result<Vec<PageRender>> {
        // Each worker remembers the layout's tags it has read (`TagMemo`).
        pages
            .par_iter()
            .map_init(TagMemo::default, |memo, (page, check)| {
                self.render_page(page, check, with, memo)
            })
            .collect()
    }

    /// Renders one page with the links its check resolved; a page whose layout does not
    /// exist is not rendered (its check says so).
    fn render_page(
        &self,
        page: &Page,
        check: &PageCheck,
        with: &RenderWith<'_>,
        memo: &mut TagMemo,
    ) -> Result<PageRender> {
        let mut outcome = PageRender {
            error: None,
            written: None,
            scanned: None,
            search: None,
        };
        let renderer = with.renderer;
        if !renderer.has_layout(page.layout()) {
            return Ok(outcome);
        }
        let (links, highlighter) = (&check.hrefs, with.highlighter);
        let body = match with.search && self.is_searched(page) {
            true => {
                let (body, sections) = crate::search::sections_while(page, |tap| {
                    page.render_tapped(links, highlighter, tap)
                });
                outcome.search = Some(sections);
                body
            }
            false => page.render(links, highlighter),
        };
        let context = self.page_context(page, check, with.derived, body);
        match renderer.render(page.layout(), &context, &page.file()) {
            Ok(html) => {
                let file = links::output_file_for_url(&page.url);
                if let Some(out) = with.out
                    && out.write(&file, html.as_bytes())? == Written::Changed
                {
                    outcome.written = Some(file);
                }
                // Read for the output check while the page is at hand.
                outcome.scanned =
                    Some(self.scan_page(page, &html, &context.page.body, &check.hrefs, memo));
            }
            Err(d) => outcome.error = Some(d),
        }
        Ok(outcome)
    }
}

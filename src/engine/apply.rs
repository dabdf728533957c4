//! The engine's incremental step (`serve --watch`): a batch of `Change`s applied to the stage
//! values, re-running only what `deps` says each change touches.
//!
//! 1. the index stage takes the batch (`Indexed::apply`): pages parsed again, files listed,
//!    the link index, navigation, redirects and collisions brought up to date;
//! 2. what that changed becomes the pages to render again and those to check again
//!    (`plan_work`, `write_slots`, `update_derived`, `write_redirects`):
//!    - an edited page re-renders itself;
//!    - when its title, `order`, `heading`, `elementId` or draft state changes, its element's
//!      sidebar changes: every guide of the element re-renders (and layouts listing all
//!      elements, when the element list changes); for a page outside elements, every page of
//!      its top section re-renders (their section sidebar), and every page when the header
//!      changes;
//!    - when a page or file appears, disappears or changes its title or anchors, the pages
//!      whose links depend on it are checked again (those linking to it, by path or by
//!      `[[title]]`, and those with broken links), and re-rendered when their check changes;
//! 3. the search index, the generated files, the pages and the output check follow.

use std::collections::BTreeSet;

use super::{Engine, Rebuild};
use crate::build::{ELEMENTS_NAV, FileOrigin, HOME, NOT_FOUND, Reindexed, SITEMAP, Slot};
use crate::change::Change;
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::links;
use crate::output::{OutputDir, Written};

/// The pages one batch touches, gathered before any is checked or rendered.
#[derive(Default)]
struct Work {
    /// Pages to render again (checked first).
    render: BTreeSet<String>,
    /// Pages to check again, rendered only if that changes their check.
    recheck: BTreeSet<String>,
    /// Pages whose search index entry may have changed.
    search: BTreeSet<String>,
}

impl Engine {
    /// Applies `changes` (none of which reloads the site or the theme) to a preview.
    pub(crate) fn apply_content(
        &mut self,
        changes: &[Change],
        highlighter: &Highlighter,
    ) -> Result<Rebuild> {
        self.with_preview_output(|engine, out| engine.apply_to(changes, out, highlighter))
    }

    /// The incremental step: the index stage takes the batch, the pages and files it touches
    /// become the work (what to render and what to check again), the files whose source
    /// changed are written, then the pages and the output check follow. The pages whose
    /// search entries may have changed are queued for `update_search`.
    fn apply_to(
        &mut self,
        changes: &[Change],
        out: &OutputDir,
        highlighter: &Highlighter,
    ) -> Result<Rebuild> {
        let mut rebuild = Rebuild::default();
        let reindexed = self.site.apply(changes)?;
        let mut work = self.plan_work(&reindexed);
        self.write_moved(&reindexed, &mut work, out, highlighter, &mut rebuild)?;
        self.recheck(&mut work);
        // An element's heading shows in the entries of all its guides, and a folder that
        // became or stopped being an element changes the entries of every page in it.
        for dir in &reindexed.nav_dirs {
            work.search.extend(
                self.site
                    .pages()
                    .iter()
                    .filter(|p| p.dir() == dir.as_str())
                    .map(|p| p.source.clone()),
            );
        }
        self.queue_search(std::mem::take(&mut work.search));
        if reindexed.files_changed {
            // Pages came or went: the sitemap lists them, and the home page is docgen's own
            // only while there is no content/index.md.
            rebuild
                .written
                .extend(self.write_generated(out, &[SITEMAP, HOME], highlighter)?);
        }
        self.render_work(&reindexed, work.render, out, highlighter, &mut rebuild)?;
        rebuild.diagnostics = self.diagnostics();
        Ok(rebuild)
    }

    /// Writes what moved with the batch — the output files whose source changed, the
    /// generated files showing the site data when it changed, the redirect pages — and adds
    /// the pages that shows to `work`.
    fn write_moved(
        &mut self,
        reindexed: &Reindexed,
        work: &mut Work,
        out: &OutputDir,
        highlighter: &Highlighter,
        rebuild: &mut Rebuild,
    ) -> Result<()> {
        let moved = self.write_slots(&reindexed.slots, out, &mut work.render, rebuild)?;
        work.recheck.extend(moved);
        work.render.extend(reindexed.nav_pages.iter().cloned());
        if !reindexed.nav_dirs.is_empty()
            || reindexed.files_changed
            || reindexed.elements_index_inputs
        {
            work.render.extend(self.update_derived(out, highlighter)?);
        }
        if let Some(old_redirects) = &reindexed.redirects {
            self.write_redirects(old_redirects, out, rebuild)?;
            // Links written with an old address resolve to whichever page claims it now, or
            // break, or resolve where they were broken.
            work.recheck.extend(self.checked.redirected());
            work.recheck.extend(self.checked.broken());
        }
        Ok(())
    }

    /// Checks and renders the pages `render`, then brings the generated pages' check and the
    /// output check up to date: in full when files, redirects or ids came or went, else for
    /// the pages rendered.
    fn render_work(
        &mut self,
        reindexed: &Reindexed,
        render: BTreeSet<String>,
        out: &OutputDir,
        highlighter: &Highlighter,
        rebuild: &mut Rebuild,
    ) -> Result<()> {
        let render: Vec<String> = render.into_iter().collect();
        self.checked
            .check(&self.site, &self.templates.renderer, &render);
        let from = super::Upstream {
            site: &self.site,
            templates: &self.templates,
            checked: &self.checked,
            highlighter,
        };
        let pages = self.rendered.render(&from, &render, Some(out))?;
        rebuild.rendered = pages.rendered;
        rebuild.written.extend(pages.written);
        let structure_changed =
            reindexed.files_changed || reindexed.redirects_replanned || !reindexed.files.is_empty();
        if structure_changed || !reindexed.nav_dirs.is_empty() {
            // Which generated pages are made, or the site data they show, may have changed.
            self.rendered.check_generated(&from);
        }
        if structure_changed || pages.ids_changed {
            // Files or ids came or went: whatever links to them is checked again.
            self.rendered.refresh_output_files(&from)?;
        } else {
            self.rendered.verify(&pages.scanned);
        }
        Ok(())
    }

    /// The pages the changed pages and files touch, by their effects (`deps`); the checks and
    /// layout errors of pages gone or no longer published are dropped.
    fn plan_work(&mut self, reindexed: &Reindexed) -> Work {
        let mut work = Work::default();
        for page in &reindexed.pages {
            let source = &page.source;
            if page.effects.linking_pages {
                // Pages whose links may resolve differently now: those linking to it, those
                // linking by one of its titles or its file name, and those with broken links.
                work.recheck.extend(self.checked.targeting(|t| t == source));
                work.recheck.extend(self.checked.naming(&page.names));
                work.recheck.extend(self.checked.broken());
            }
            if page.effects.search {
                work.search.insert(source.clone());
            }
            if page.exists && self.site.is_published(source) {
                work.render.insert(source.clone());
            } else {
                // Gone, or a draft: neither checked nor rendered, its problems go with it.
                self.checked.remove(source);
                self.rendered.remove(source);
                work.render.remove(source);
            }
        }
        let base = &self.site.config().base_path;
        for file in &reindexed.files {
            let href = format!("{base}/{}", file.path);
            if file.effects.image_pages {
                work.render.extend(self.checked.targeting(|t| t == href));
            }
            if file.effects.presence {
                work.recheck.extend(self.checked.broken());
                work.recheck
                    .extend(self.checked.targeting(|t| t.starts_with(&href)));
            }
        }
        work
    }

    /// Writes each output file of `slots` as its source now says, as a full run would: the
    /// file the plan names (written again), else the published page there (rendered), else
    /// nothing (removed). Returns the pages whose links went to one of them, to check again
    /// (they may go to another source now, or break, or resolve).
    fn write_slots(
        &self,
        slots: &[Slot],
        out: &OutputDir,
        render: &mut BTreeSet<String>,
        rebuild: &mut Rebuild,
    ) -> Result<BTreeSet<String>> {
        let mut recheck = BTreeSet::new();
        let base = &self.site.config().base_path;
        for Slot { file, origin, page } in slots {
            match (origin, page) {
                // Written with the other generated files (`write_generated`).
                (Some(FileOrigin::Generated), _) => {}
                (Some(origin), _) => {
                    if self.site.write_file(out, file, origin)? == Written::Changed {
                        rebuild.written.push(file.clone());
                    }
                }
                (None, Some(page)) => {
                    render.insert(page.clone());
                }
                (None, None) => {
                    if out.remove(file)? {
                        rebuild.removed.push(file.clone());
                    }
                }
            }
            let file_href = format!("{base}/{file}");
            let url = file
                .strip_suffix("index.html")
                .filter(|dir| dir.is_empty() || dir.ends_with('/'))
                .map(|dir| format!("{base}/{dir}"));
            recheck.extend(self.checked.targeting(|target| {
                let target = target.split('#').next().unwrap_or(target);
                target == file_href || url.as_deref() == Some(target)
            }));
        }
        Ok(recheck)
    }

    /// Derives the site data again (the header, the element list, each element's URL and
    /// logo) after navigation or files changed. Returns the pages to re-render: every page
    /// when the header changed, else the pages listing elements when the list changed and the
    /// guides of each element whose URL or logo changed.
    fn update_derived(
        &mut self,
        out: &OutputDir,
        highlighter: &Highlighter,
    ) -> Result<BTreeSet<String>> {
        let mut render = BTreeSet::new();
        let Some(old) = self.templates.update_derived(&self.site) else {
            return Ok(render);
        };
        self.write_generated(out, &[ELEMENTS_NAV, NOT_FOUND, HOME], highlighter)?;
        let new = &self.templates.derived;
        if new.site != old.site {
            // The elements index moved: every page's header changes.
            return Ok(self.site.published().map(|p| p.source.clone()).collect());
        }
        if new.summaries != old.summaries {
            for page in self.site.published() {
                if self.templates.renderer.lists_elements(page.layout()) {
                    render.insert(page.source.clone());
                }
            }
        }
        for element in &self.site.nav().elements {
            if new.elements.get(&element.dir) != old.elements.get(&element.dir) {
                render.extend(element.guides.iter().map(|g| g.source.clone()));
            }
        }
        Ok(render)
    }

    /// Writes the redirect pages of every page, and removes those of `old` (output files the
    /// changed pages claimed before) that nothing writes any more.
    fn write_redirects(
        &self,
        old: &BTreeSet<String>,
        out: &OutputDir,
        rebuild: &mut Rebuild,
    ) -> Result<()> {
        for (file, redirect) in self.site.redirect_files() {
            let origin = FileOrigin::Redirect(redirect.clone());
            if self.site.write_file(out, file, &origin)? == Written::Changed {
                rebuild.written.push(file.clone());
            }
        }
        let files = self.site.output_files();
        for file in old {
            let page_file = self
                .site
                .published()
                .any(|p| links::output_file_for_url(&p.url) == *file);
            if !files.contains_key(file) && !page_file && out.remove(file)? {
                rebuild.removed.push(file.clone());
            }
        }
        Ok(())
    }

    /// Checks the pages of `work.recheck` not rendered anyway; those whose check changed are
    /// rendered.
    fn recheck(&self, work: &mut Work) {
        let recheck = std::mem::take(&mut work.recheck);
        for source in recheck {
            if !work.render.contains(&source)
                && self
                    .checked
                    .check_changed(&self.site, &self.templates.renderer, &source)
            {
                work.render.insert(source);
            }
        }
    }
}

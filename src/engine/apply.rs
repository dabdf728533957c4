//! The engine's incremental step (`serve --watch`): a batch of `Change`s applied to the stage
//! values, re-running only what `deps` says each change touches.
//!
//! - an edited page re-renders itself;
//! - when its title, `order`, `heading`, `elementId` or draft state changes, its element's
//!   sidebar changes: every guide of the element re-renders (and layouts listing all elements,
//!   when the element list changes); for a page outside elements, every page of its top
//!   section re-renders (their section sidebar), and every page when the header changes;
//! - when a page or file appears, disappears or changes its title or anchors, the pages whose
//!   links depend on it are checked again (those linking to it, by path or by `[[title]]`, and
//!   those with broken links), and re-rendered when their output changes;
//! - an include or data file of content templating re-parses the pages that used it (or asked
//!   for it and did not find it), which then go on as edited pages.

use std::collections::BTreeSet;

use super::{Engine, Rebuild};
use crate::build::{Derived, ELEMENTS_NAV, FileOrigin, HOME, NOT_FOUND, SITEMAP};
use crate::change::Change;
use crate::deps;
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::links::{self, url_for_source};
use crate::output::{OutputDir, Written};
use crate::page::Page;
use crate::templating::Templating;

impl Engine {
    /// Applies `changes` (none of which reloads the site or the theme) to a preview.
    pub(crate) fn apply_content(
        &mut self,
        changes: &[Change],
        highlighter: &Highlighter,
    ) -> Result<Rebuild> {
        let out = self.out.take().expect("a preview has its output");
        let result = self.apply_to(changes, &out, highlighter);
        self.out = Some(out);
        result
    }

    fn apply_to(
        &mut self,
        changes: &[Change],
        out: &OutputDir,
        highlighter: &Highlighter,
    ) -> Result<Rebuild> {
        let mut rebuild = Rebuild::default();
        // Pages to render again, and pages to check again (rendered only if that changes them).
        let mut render: BTreeSet<String> = BTreeSet::new();
        let mut recheck: BTreeSet<String> = BTreeSet::new();
        let mut nav_dirs: BTreeSet<String> = BTreeSet::new();
        // Whether pages or files came or went (collisions, sitemap).
        let mut files_changed = false;
        // Pages whose search index entry may have changed.
        let mut search_pages: BTreeSet<String> = BTreeSet::new();
        // The redirect pages the changed pages had claimed, when any page has `redirect_from`.
        let mut old_redirects: Option<BTreeSet<String>> = None;
        // Whether what decides the elements index page changed.
        let mut elements_index_inputs = false;
        // Output files whose source may have changed: a page's that left or came, a file's.
        let mut slots: BTreeSet<String> = BTreeSet::new();
        let changes = self.templating_changes(changes)?;
        for change in &changes {
            match change {
                Change::Page(source) => {
                    let old = self.site.take_page(source);
                    let new = self.site.read_page(source)?;
                    let effects = deps::page(old.as_ref(), new.as_ref());
                    if effects.navigation {
                        nav_dirs.insert(page_dir(source).to_string());
                    }
                    elements_index_inputs |= effects.elements_index;
                    files_changed |= effects.file_plan;
                    if effects.linking_pages {
                        recheck.extend(self.dependents(source, old.as_ref(), new.as_ref()));
                    }
                    if effects.search {
                        search_pages.insert(source.clone());
                    }
                    if effects.redirects {
                        // The redirect pages both versions claimed: those no page claims now
                        // are removed.
                        let claimed = [&old, &new]
                            .into_iter()
                            .flatten()
                            .flat_map(|page| &page.front.redirect_from)
                            .filter_map(|from| crate::redirect::output_file(from).ok());
                        old_redirects.get_or_insert_default().extend(claimed);
                    }
                    self.site.index.remove_page(source);
                    let new_exists = new.is_some();
                    match new {
                        Some(page) => {
                            let element = self.site.nav.element_dir(source);
                            self.site.index.insert_page(page.indexed(element));
                            self.site.insert_page(page);
                            render.insert(source.clone());
                        }
                        None => {
                            self.checked.pages.remove(source);
                            self.rendered.errors.remove(source);
                        }
                    }
                    if !self.site.is_published(source) {
                        // A draft is neither checked nor rendered: its problems go with it.
                        self.checked.pages.remove(source);
                        self.rendered.errors.remove(source);
                        render.remove(source);
                    }
                    if !self.site.is_published(source) || old.is_some() != new_exists {
                        // Its output file may be another source's now (or the reverse).
                        slots.insert(links::output_file_for_url(&url_for_source(source)));
                    }
                }
                Change::ContentFile(path) | Change::StaticFile(path) => {
                    let static_file = matches!(change, Change::StaticFile(_));
                    let dir = match static_file {
                        false => self.site.config.content_dir(),
                        true => self.site.config.static_dir(),
                    };
                    let exists = dir.join(path).is_file();
                    let known = self.site.set_file(static_file, path, exists);
                    // Whichever source now provides this output file (a site file can shadow a
                    // theme file, and removing it brings the theme's back), written again.
                    slots.insert(path.clone());
                    let site_path = format!("/{path}");
                    let effects = deps::file(path, known, exists);
                    if effects.image_pages {
                        let href = format!("{}{site_path}", self.site.config.base_path);
                        render.extend(self.pages_targeting(|t| t == href));
                    }
                    if effects.redirects {
                        old_redirects.get_or_insert_default();
                    }
                    if effects.presence {
                        files_changed = true;
                        let href = format!("{}{site_path}", self.site.config.base_path);
                        recheck.extend(self.broken_pages());
                        recheck.extend(self.pages_targeting(|t| t.starts_with(&href)));
                    }
                }
                Change::Templating(_) | Change::Theme | Change::Config => {}
            }
        }
        recheck.extend(self.resolve_slots(&slots, out, &mut render, &mut rebuild)?);
        if elements_index_inputs {
            self.site.elements_index = crate::build::find_elements_index(&self.site);
        }
        if !nav_dirs.is_empty() {
            render.extend(self.site.update_navigation(&nav_dirs));
        }
        if !nav_dirs.is_empty() || files_changed || elements_index_inputs {
            render.extend(self.update_derived(out, highlighter)?);
        }
        if let Some(old_redirects) = &old_redirects
            && self.sync_redirects(old_redirects, out, &mut rebuild)?
        {
            // Links written with an old address resolve to whichever page claims it now, or
            // break, or resolve where they were broken.
            recheck.extend(self.redirected_pages());
            recheck.extend(self.broken_pages());
        }
        recheck.retain(|s| !render.contains(s));
        for source in recheck {
            let Some(page) = self.site.page(&source) else {
                continue;
            };
            let check = self.site.check_page(page, &self.templates.renderer);
            if self.checked.pages.get(&source) != Some(&check) {
                render.insert(source);
            }
        }
        // An element's heading shows in the entries of all its guides, and a folder that
        // became or stopped being an element changes the entries of every page in it.
        for dir in &nav_dirs {
            search_pages.extend(
                self.site
                    .pages()
                    .iter()
                    .filter(|p| p.dir() == dir.as_str())
                    .map(|p| p.source.clone()),
            );
        }
        self.update_search(&search_pages, out, &mut rebuild)?;
        if files_changed || old_redirects.is_some() {
            self.site.update_collisions();
        }
        if files_changed {
            // Pages came or went: the sitemap lists them, and the home page is docgen's own
            // only while there is no content/index.md.
            rebuild
                .written
                .extend(self.write_generated(out, &[SITEMAP, HOME], highlighter)?);
        }
        let render: Vec<String> = render.into_iter().collect();
        self.check_pages(&render);
        let pages = self.render_pages(&render, Some(out), highlighter)?;
        rebuild.rendered = pages.rendered;
        rebuild.written.extend(pages.written);
        let structure_changed = files_changed
            || old_redirects.is_some()
            || changes
                .iter()
                .any(|c| matches!(c, Change::ContentFile(_) | Change::StaticFile(_)));
        if structure_changed || !nav_dirs.is_empty() {
            // Which generated pages are made, or the site data they show, may have changed.
            self.rendered.generated_errors = self
                .site
                .check_generated_pages(&self.templates.renderer, &self.templates.derived);
        }
        if structure_changed || pages.ids_changed {
            // Files or ids came or went: whatever links to them is checked again.
            self.refresh_output_files(highlighter)?;
            self.rendered.output_check.verify_all();
        } else {
            self.rendered
                .output_check
                .verify(pages.scanned.iter().map(String::as_str));
        }
        rebuild.diagnostics = self.diagnostics();
        Ok(rebuild)
    }

    /// Gives each output file of `slots` (one a page left or came to, or a file of the site)
    /// to whichever source writes it now, as a full run would: the file the plan names
    /// (written again), else the published page there (rendered), else nothing (removed). Each
    /// is indexed as `Site::index` indexes it. Returns the pages whose links went to one of
    /// them, to check again (they may go to another source now, or break, or resolve).
    fn resolve_slots(
        &mut self,
        slots: &BTreeSet<String>,
        out: &OutputDir,
        render: &mut BTreeSet<String>,
        rebuild: &mut Rebuild,
    ) -> Result<BTreeSet<String>> {
        let mut recheck = BTreeSet::new();
        for file in slots {
            let site_path = format!("/{file}");
            let origin = self.site.output_files().get(file).cloned();
            let page = self
                .site
                .published()
                .find(|p| links::output_file_for_url(&p.url) == *file)
                .map(|p| p.source.clone());
            // A redirect page is no file to link to: links through it are resolved by its old
            // address (`sync_redirects` registers it).
            let a_file = origin
                .as_ref()
                .is_some_and(|origin| !matches!(origin, FileOrigin::Redirect(_)));
            if a_file && (!file.ends_with(".html") || self.site.index.page_at(&site_path).is_none())
            {
                self.site.index.insert_file(site_path.clone());
            } else {
                self.site.index.remove_file(&site_path);
            }
            match (&origin, page) {
                // Written with the other generated files (`write_generated`).
                (Some(FileOrigin::Generated), _) => {}
                (Some(origin), _) => {
                    if self.site.write_file(out, file, origin)? == Written::Changed {
                        rebuild.written.push(file.clone());
                    }
                }
                (None, Some(page)) => {
                    render.insert(page);
                }
                (None, None) => {
                    if out.remove(file)? {
                        rebuild.removed.push(file.clone());
                    }
                }
            }
            let base = &self.site.config.base_path;
            let file_href = format!("{base}{site_path}");
            let url = file
                .strip_suffix("index.html")
                .filter(|dir| dir.is_empty() || dir.ends_with('/'))
                .map(|dir| format!("{base}/{dir}"));
            recheck.extend(self.pages_targeting(|target| {
                let target = target.split('#').next().unwrap_or(target);
                target == file_href || url.as_deref() == Some(target)
            }));
        }
        Ok(recheck)
    }

    /// Brings the output check's files up to date after files or pages came or went: the
    /// published pages' outputs, every other file, the generated and redirect pages and the
    /// stylesheets read again.
    fn refresh_output_files(&mut self, highlighter: &Highlighter) -> Result<()> {
        let mut check = self.site.output_check();
        let published: std::collections::HashSet<String> = self
            .site
            .published()
            .map(|p| links::output_file_for_url(&p.url))
            .collect();
        for (file, scanned) in std::mem::take(&mut self.rendered.output_check).into_pages() {
            if matches!(scanned.owner, crate::output_links::Owner::Page(_))
                && published.contains(&file)
            {
                check.insert_page(file, scanned);
            }
        }
        self.site.scan_generated(
            &mut check,
            &self.templates.renderer,
            &self.templates.derived,
            highlighter,
        )?;
        self.rendered.output_check = check;
        Ok(())
    }

    /// The changes with those to content templating's files turned into the pages to parse
    /// again (`deps::templating`), templating loaded afresh when they need it.
    fn templating_changes(&mut self, changes: &[Change]) -> Result<BTreeSet<Change>> {
        let templated = deps::templating(changes, self.site.pages());
        if templated.reload && self.site.config.templating {
            self.site.templating = Some(Templating::load(&self.site.config)?);
        }
        Ok(templated.changes)
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
        let mut derived_diagnostics = Vec::new();
        let derived = Derived::new(&self.site, &mut derived_diagnostics);
        self.templates.derived_diagnostics = derived_diagnostics;
        if derived == self.templates.derived {
            return Ok(render);
        }
        let old = std::mem::replace(&mut self.templates.derived, derived);
        let new = &self.templates.derived;
        self.templates.renderer.set_site(&new.site, &new.summaries);
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
        for element in &self.site.nav.elements {
            if new.elements.get(&element.dir) != old.elements.get(&element.dir) {
                render.extend(element.guides.iter().map(|g| g.source.clone()));
            }
        }
        Ok(render)
    }

    /// Pages whose links may resolve differently now that `source` changed from `old` to `new`:
    /// those linking to it, those linking by one of its titles or its file name, and those with
    /// broken links.
    fn dependents(&self, source: &str, old: Option<&Page>, new: Option<&Page>) -> BTreeSet<String> {
        let mut names: BTreeSet<String> = [old, new]
            .into_iter()
            .flatten()
            .map(|p| p.title.to_lowercase())
            .collect();
        let stem = source
            .rsplit('/')
            .next()
            .unwrap_or(source)
            .trim_end_matches(".md");
        names.insert(stem.to_lowercase());
        let mut pages = self.pages_targeting(|t| t == source);
        pages.extend(
            self.checked
                .pages
                .iter()
                .filter(|(_, c)| !c.titles.is_disjoint(&names))
                .map(|(s, _)| s.clone()),
        );
        pages.extend(self.broken_pages());
        pages
    }

    /// Writes the redirect pages of every page, and removes those of `old` (output files the
    /// changed pages claimed before) that nothing writes any more.
    /// Returns whether any page has redirects now or had before (else nothing was done).
    fn sync_redirects(
        &mut self,
        old: &BTreeSet<String>,
        out: &OutputDir,
        rebuild: &mut Rebuild,
    ) -> Result<bool> {
        if old.is_empty()
            && self
                .site
                .published()
                .all(|p| p.front.redirect_from.is_empty())
        {
            return Ok(false);
        }
        let redirects: Vec<(String, crate::redirect::Redirect)> = self
            .site
            .redirect_files()
            .map(|(file, redirect)| (file.clone(), redirect.clone()))
            .collect();
        self.site.index.clear_redirects();
        for (file, redirect) in redirects {
            redirect.register(&mut self.site.index);
            let origin = FileOrigin::Redirect(redirect);
            if self.site.write_file(out, &file, &origin)? == Written::Changed {
                rebuild.written.push(file);
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
        Ok(true)
    }

    /// Pages with a link written with an old address (`redirect_from`) of a page.
    fn redirected_pages(&self) -> impl Iterator<Item = String> + '_ {
        self.checked
            .pages
            .iter()
            .filter(|(_, c)| c.redirected)
            .map(|(s, _)| s.clone())
    }

    fn pages_targeting(&self, matches: impl Fn(&str) -> bool) -> BTreeSet<String> {
        self.checked
            .pages
            .iter()
            .filter(|(_, c)| c.targets.iter().any(|t| matches(t)))
            .map(|(s, _)| s.clone())
            .collect()
    }

    fn broken_pages(&self) -> impl Iterator<Item = String> + '_ {
        self.checked
            .pages
            .iter()
            .filter(|(_, c)| c.broken)
            .map(|(s, _)| s.clone())
    }
}

fn page_dir(source: &str) -> &str {
    source.rsplit_once('/').map_or("", |(dir, _)| dir)
}

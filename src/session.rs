//! Incremental rebuilds, the engine of `serve --watch`: the loaded site stays in memory between
//! builds, and a change re-renders only the pages whose output depends on it.
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
//!   for it and did not find it), which then go on as edited pages;
//! - a template, theme or `docgen.toml` change rebuilds everything.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::{Derived, ELEMENTS_NAV, HOME, NOT_FOUND, PageCheck, RenderWith, SITEMAP, Site};
pub use crate::change::Change;
use crate::config::{Config, Overrides};
use crate::deps::{self, Reach};
use crate::diagnostic::{self, Diagnostic};
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::links::{self, url_for_source};
use crate::output::{OutputDir, Written};
use crate::page::Page;
use crate::render::Renderer;
use crate::source;
use crate::templating::{self, Templating};
use crate::theme::Theme;

/// What one rebuild did.
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

pub struct Session {
    root: PathBuf,
    overrides: Overrides,
    site: Site,
    renderer: Renderer,
    derived: Derived,
    /// The check of every published page, by source.
    checks: HashMap<String, PageCheck>,
    /// Pages whose layout failed to render, by source.
    render_errors: HashMap<String, Diagnostic>,
    /// Why the pages docgen generates (404, the home page) fail to render, as `build` checks
    /// them; recomputed when what they show (the site data, which of them are made) may change.
    generated_errors: Vec<Diagnostic>,
    /// Problems of the templates.
    template_diagnostics: Vec<Diagnostic>,
    /// Problems found deriving the site data (`Derived::new`).
    derived_diagnostics: Vec<Diagnostic>,
    /// Output files claimed by two sources; recomputed when files come or go.
    collisions: Vec<Diagnostic>,
    /// Each published page's search record, by source, so an edit re-reads only the pages it
    /// touches before the index files are made again.
    search: BTreeMap<String, crate::search::PageRecord>,
    /// The search index files last written, so those a rebuild no longer makes are removed.
    search_files: BTreeSet<String>,
    /// Every written HTML file and stylesheet read, with its broken URLs (`output_links`).
    output_check: crate::output_links::OutputCheck,
    out: OutputDir,
}

impl Session {
    /// Loads the site at `root` and writes it all to `output`.
    pub fn open(
        root: &Path,
        overrides: Overrides,
        output: &Path,
        highlighter: &Highlighter,
    ) -> Result<(Session, Rebuild)> {
        let started = Instant::now();
        let config = Config::load(root, &overrides)?;
        let site = Site::load(config)?;
        // The first build is written like `build`'s, into a staging folder swapped in whole
        // (`go_live`): plain writes instead of a temp file and a rename per file, and a reader
        // of the folder sees the previous site or this one.
        let out = OutputDir::stage(output, root)?;
        let (mut renderer, template_diagnostics) = Renderer::new(&site.theme.templates);
        let (derived, derived_diagnostics) = derive(&site, &mut renderer);
        let mut session = Session {
            root: root.to_path_buf(),
            overrides,
            site,
            renderer,
            derived,
            checks: HashMap::new(),
            render_errors: HashMap::new(),
            generated_errors: Vec::new(),
            template_diagnostics,
            derived_diagnostics,
            collisions: Vec::new(),
            search: BTreeMap::new(),
            search_files: BTreeSet::new(),
            output_check: Default::default(),
            out,
        };
        let mut rebuild = session.render_all(highlighter)?;
        let mut notes = Vec::new();
        session.out.go_live(&mut notes)?;
        if !notes.is_empty() {
            rebuild.diagnostics.extend(notes);
            diagnostic::sort(&mut rebuild.diagnostics);
        }
        rebuild.elapsed = started.elapsed();
        Ok((session, rebuild))
    }

    /// The folder the site is written to.
    pub fn output(&self) -> &Path {
        self.out.root()
    }

    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Applies what changed on disk and re-renders what depends on it.
    pub fn apply(&mut self, changes: &[Change], highlighter: &Highlighter) -> Result<Rebuild> {
        let started = Instant::now();
        let reaches: Vec<Reach> = changes
            .iter()
            .map(|change| {
                // An `.html` file of content/ is a page or a file by its first line, which an
                // edit can change. A symlink is followed only inside the site: whether one is,
                // or a path below one, is the listing's to say.
                let html_page = matches!(change, Change::ContentFile(p) if self.site.page(p).is_some()
                    || source::is_html_page(&self.site.config.content_dir(), p));
                deps::reach(change, html_page || self.touches_symlink(change))
            })
            .collect();
        let mut rebuild = match deps::batch(&reaches) {
            Reach::Site => {
                let config = Config::load(&self.root, &self.overrides)?;
                self.site = Site::load(config)?;
                self.reload_templates();
                self.render_all(highlighter)?
            }
            Reach::Theme => {
                self.site.theme = Theme::load(&self.site.config)?;
                self.site
                    .index
                    .set_template_anchors(crate::output_links::template_anchors(
                        &self.site.theme.templates,
                    ));
                self.reload_templates();
                self.render_all(highlighter)?
            }
            Reach::Content => self.apply_content(changes, highlighter)?,
        };
        rebuild.elapsed = started.elapsed();
        Ok(rebuild)
    }

    /// Whether `change` is to a path of `content/` or `static/` that is, or lies below, a
    /// symlink, or that the listing reported (a link not followed, now changed or gone).
    fn touches_symlink(&self, change: &Change) -> bool {
        let config = &self.site.config;
        let (dir, path) = match change {
            Change::Page(p) | Change::ContentFile(p) => (config.content_dir(), p),
            Change::StaticFile(p) => (config.static_dir(), p),
            _ => return false,
        };
        let shown = source::relative(&config.root, &dir.join(path));
        if self
            .site
            .listing
            .iter()
            .any(|d| shown == d.file || shown.starts_with(&format!("{}/", d.file)))
        {
            return true;
        }
        let mut at = dir.join(path);
        while at != dir {
            if at
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
            {
                return true;
            }
            if !at.pop() {
                break;
            }
        }
        false
    }

    fn reload_templates(&mut self) {
        let (renderer, diagnostics) = Renderer::new(&self.site.theme.templates);
        self.renderer = renderer;
        self.template_diagnostics = diagnostics;
        (self.derived, self.derived_diagnostics) = derive(&self.site, &mut self.renderer);
    }

    /// Checks and renders every page and writes every file.
    fn render_all(&mut self, highlighter: &Highlighter) -> Result<Rebuild> {
        self.out.start_full();
        let sources: Vec<String> = self.site.published().map(|p| p.source.clone()).collect();
        self.checks.clear();
        self.render_errors.clear();
        self.output_check = self.site.output_check();
        let mut rebuild = self.render_pages(&sources, highlighter)?;
        self.site
            .write_files(&self.out, &self.renderer, &self.derived, highlighter)?;
        let (records, files) = self.site.write_search(&self.out)?;
        self.search = records;
        self.search_files = files.into_iter().map(|(path, _)| path).collect();
        self.site.scan_generated(
            &mut self.output_check,
            &self.renderer,
            &self.derived,
            highlighter,
        )?;
        self.output_check.verify_all();
        self.generated_errors = self
            .site
            .check_generated_pages(&self.renderer, &self.derived);
        rebuild.removed = self.out.remove_stale_files()?;
        self.collisions = self.site.collisions();
        rebuild.full = true;
        rebuild.diagnostics = self.diagnostics();
        Ok(rebuild)
    }

    /// Checks, renders and writes the given published pages (in parallel).
    fn render_pages(&mut self, sources: &[String], highlighter: &Highlighter) -> Result<Rebuild> {
        let site = &self.site;
        // A page that just became a draft may still be listed by its element's old guides.
        let pages: Vec<&Page> = sources
            .iter()
            .filter_map(|s| site.page(s))
            .filter(|page| site.is_published(&page.source))
            .collect();
        let checks: Vec<PageCheck> = pages
            .par_iter()
            .map(|page| site.check_page(page, &self.renderer))
            .collect();
        let with = RenderWith {
            renderer: &self.renderer,
            derived: &self.derived,
            highlighter,
            out: Some(&self.out),
        };
        let both: Vec<(&Page, &PageCheck)> = pages.iter().copied().zip(&checks).collect();
        let rendered = site.render_pages(&both, &with)?;
        let sources: Vec<String> = pages.iter().map(|p| p.source.clone()).collect();
        let mut rebuild = Rebuild::default();
        for ((source, check), page) in sources.into_iter().zip(checks).zip(rendered) {
            rebuild.rendered += 1;
            match page.scanned {
                Some((file, scanned)) => {
                    rebuild.ids_changed |= self.output_check.insert_page(file.clone(), scanned);
                    rebuild.scanned.push(file);
                }
                None => {
                    // A page whose layout failed is not written.
                    let file = links::output_file_for_url(&url_for_source(&source));
                    rebuild.ids_changed |= self.output_check.remove_file(&file);
                }
            }
            rebuild.written.extend(page.written);
            self.checks.insert(source.clone(), check);
            match page.error {
                Some(d) => self.render_errors.insert(source, d),
                None => self.render_errors.remove(&source),
            };
        }
        Ok(rebuild)
    }

    fn apply_content(&mut self, changes: &[Change], highlighter: &Highlighter) -> Result<Rebuild> {
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
                            self.checks.remove(source);
                            self.render_errors.remove(source);
                        }
                    }
                    if !self.site.is_published(source) {
                        // A draft is neither checked nor rendered: its problems go with it.
                        self.checks.remove(source);
                        self.render_errors.remove(source);
                        let file = links::output_file_for_url(&url_for_source(source));
                        // A file that collided with the page gets its output folder slot back.
                        if let Some(origin) = self.site.output_files().remove(&file) {
                            if self.site.write_file(&self.out, &file, &origin)? == Written::Changed
                            {
                                rebuild.written.push(file);
                            }
                        } else if self.out.remove(&file)? {
                            rebuild.removed.push(file);
                        }
                        render.remove(source);
                    }
                    if old.is_some() != new_exists {
                        recheck.extend(self.index_output_file_of(source));
                    }
                }
                Change::ContentFile(path) | Change::StaticFile(path) => {
                    let (dir, files) = match change {
                        Change::ContentFile(_) => {
                            (self.site.config.content_dir(), &mut self.site.assets)
                        }
                        _ => (self.site.config.static_dir(), &mut self.site.static_files),
                    };
                    let exists = dir.join(path).is_file();
                    let known = files.binary_search(path);
                    match (exists, known) {
                        (true, Err(at)) => files.insert(at, path.clone()),
                        (false, Ok(at)) => {
                            files.remove(at);
                        }
                        _ => {}
                    }
                    // Whichever source now provides this output file (a site file can shadow a
                    // theme file, and removing it brings the theme's back).
                    let site_path = format!("/{path}");
                    let written = match self.site.output_files().remove(path) {
                        Some(origin) => {
                            self.site.index.insert_file(site_path.clone());
                            self.site.write_file(&self.out, path, &origin)?
                        }
                        None => {
                            self.site.index.remove_file(&site_path);
                            // A page that collided with the file gets its output back.
                            let page = self
                                .site
                                .published()
                                .find(|p| links::output_file_for_url(&p.url) == *path);
                            if let Some(page) = page {
                                render.insert(page.source.clone());
                            } else if self.out.remove(path)? {
                                rebuild.removed.push(path.clone());
                            }
                            Written::Unchanged
                        }
                    };
                    if written == Written::Changed {
                        rebuild.written.push(path.clone());
                    }
                    let effects = deps::file(path, known.is_ok(), exists);
                    if effects.image_pages {
                        let href = format!("{}{site_path}", self.site.config.base_path);
                        render.extend(self.pages_targeting(|t| t == href));
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
        if elements_index_inputs {
            self.site.elements_index = crate::build::find_elements_index(&self.site);
        }
        if !nav_dirs.is_empty() {
            render.extend(self.update_navigation(&nav_dirs, highlighter)?);
        }
        recheck.retain(|s| !render.contains(s));
        for source in recheck {
            let Some(page) = self.site.page(&source) else {
                continue;
            };
            let check = self.site.check_page(page, &self.renderer);
            if self.checks.get(&source) != Some(&check) {
                render.insert(source);
            }
        }
        if let Some(old_redirects) = &old_redirects {
            self.sync_redirects(old_redirects, &mut rebuild)?;
        }
        // An element's heading shows in the entries of all its guides.
        for dir in &nav_dirs {
            if let Some(element) = self.site.nav.element_at(dir) {
                search_pages.extend(element.guides.iter().map(|g| g.source.clone()));
            }
        }
        self.update_search(&search_pages, &mut rebuild)?;
        if files_changed || old_redirects.is_some() {
            self.collisions = self.site.collisions();
        }
        if files_changed {
            // Pages came or went: the sitemap lists them, and the home page is docgen's own
            // only while there is no content/index.md.
            rebuild
                .written
                .extend(self.write_generated(&[SITEMAP, HOME], highlighter)?);
        }
        let render: Vec<String> = render.into_iter().collect();
        let pages = self.render_pages(&render, highlighter)?;
        rebuild.rendered = pages.rendered;
        rebuild.written.extend(pages.written);
        let structure_changed = files_changed
            || old_redirects.is_some()
            || changes
                .iter()
                .any(|c| matches!(c, Change::ContentFile(_) | Change::StaticFile(_)));
        if structure_changed || !nav_dirs.is_empty() {
            // Which generated pages are made, or the site data they show, may have changed.
            self.generated_errors = self
                .site
                .check_generated_pages(&self.renderer, &self.derived);
        }
        if structure_changed || pages.ids_changed {
            // Files or ids came or went: whatever links to them is checked again.
            self.refresh_output_files(highlighter)?;
            self.output_check.verify_all();
        } else {
            self.output_check
                .verify(pages.scanned.iter().map(String::as_str));
        }
        rebuild.diagnostics = self.diagnostics();
        Ok(rebuild)
    }

    /// Indexes the output file of the page `source`, which just came or went, as `Site::index`
    /// would: a page leaving `index.html` gives it to docgen's generated home page (or a static
    /// file), and a page arriving takes it from them. Returns the pages whose links went to the
    /// file, to check again (they now go to the page, or the reverse).
    fn index_output_file_of(&mut self, source: &str) -> BTreeSet<String> {
        let url = url_for_source(source);
        let file = links::output_file_for_url(&url);
        let site_path = format!("/{file}");
        let provided = self.site.output_files().contains_key(&file);
        if provided && (!file.ends_with(".html") || self.site.index.page_at(&site_path).is_none()) {
            self.site.index.insert_file(site_path.clone());
        } else {
            self.site.index.remove_file(&site_path);
        }
        let base = &self.site.config.base_path;
        let (url, file_href) = (format!("{base}{url}"), format!("{base}{site_path}"));
        self.pages_targeting(|target| {
            let target = target.split('#').next().unwrap_or(target);
            target == url || target == file_href
        })
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
        for (file, scanned) in std::mem::take(&mut self.output_check).into_pages() {
            if matches!(scanned.owner, crate::output_links::Owner::Page(_))
                && published.contains(&file)
            {
                check.insert_page(file, scanned);
            }
        }
        self.site
            .scan_generated(&mut check, &self.renderer, &self.derived, highlighter)?;
        self.output_check = check;
        Ok(())
    }

    /// The changes with those to content templating's files turned into the pages to parse
    /// again: the pages that used a changed include or data file (or a page's text, through
    /// `include_relative`). When there are any, templating is loaded afresh (its includes are
    /// read once per load).
    fn templating_changes(&mut self, changes: &[Change]) -> Result<BTreeSet<Change>> {
        let mut changed_files = Vec::new();
        let mut out = BTreeSet::new();
        for change in changes {
            match change {
                Change::Templating(path) => changed_files.push(path.clone()),
                Change::Page(path) | Change::ContentFile(path) if source::is_partial(path) => {
                    changed_files.push(crate::page::display_path(path));
                }
                Change::Page(path) => {
                    changed_files.push(crate::page::display_path(path));
                    out.insert(change.clone());
                }
                _ => {
                    out.insert(change.clone());
                }
            }
        }
        let mut dependents = BTreeSet::new();
        for path in &changed_files {
            dependents.extend(templating::pages_to_rebuild(&self.site.pages, path));
        }
        let reload = changes.iter().any(|c| matches!(c, Change::Templating(_)))
            || !dependents.is_empty()
            || changed_files.iter().any(|p| p.contains("/includes/"));
        if reload && self.site.config.templating {
            self.site.templating = Some(Templating::load(&self.site.config)?);
        }
        out.extend(dependents.into_iter().map(Change::Page));
        Ok(out)
    }

    /// Recomputes the elements of `dirs` and the site data derived from all elements. Returns
    /// the pages to re-render: every guide of those elements, and the element list's pages when
    /// the list changed.
    /// Writes generated files (those the site does not provide itself); returns those whose
    /// bytes changed.
    fn write_generated(&self, files: &[&str], highlighter: &Highlighter) -> Result<Vec<String>> {
        let mut written = Vec::new();
        for &file in files {
            if !self.site.generates(file) {
                continue;
            }
            if let Some(text) =
                self.site
                    .generated(file, &self.renderer, &self.derived, highlighter)
                && self.out.write(file, text.as_bytes())? == Written::Changed
            {
                written.push(file.to_string());
            }
        }
        Ok(written)
    }

    /// Indexes the pages `sources` again and writes their fragments — every fragment when
    /// pages joined or left the index, as that renumbers them — then, when a record changed,
    /// the manifest and shards; index files no longer made are removed.
    fn update_search(&mut self, sources: &BTreeSet<String>, rebuild: &mut Rebuild) -> Result<()> {
        let mut stems = crate::search::Stems::default();
        let mut fragments: BTreeMap<String, String> = BTreeMap::new();
        let mut records_changed = false;
        let mut renumbered = false;
        for source in sources {
            let page = self.site.page(source).filter(|page| {
                self.site.config.search && page.front.search && self.site.is_published(source)
            });
            match page {
                Some(page) => {
                    let (record, fragment) = self.site.index_search_page(page, &mut stems);
                    renumbered |= !self.search.contains_key(source);
                    if self.search.get(source) != Some(&record) {
                        self.search.insert(source.clone(), record);
                        records_changed = true;
                    }
                    fragments.insert(source.clone(), fragment);
                }
                None => {
                    if self.search.remove(source).is_some() {
                        renumbered = true;
                        records_changed = true;
                    }
                }
            }
        }
        let mut written = Vec::new();
        if renumbered {
            for (id, page) in self.site.search_pages().into_iter().enumerate() {
                let fragment = match fragments.remove(&page.source) {
                    Some(fragment) => fragment,
                    None => self.site.index_search_page(page, &mut stems).1,
                };
                let path = crate::search::fragment_path(id);
                written.push((path.clone(), self.out.write(&path, fragment.as_bytes())?));
            }
        } else {
            for (id, source) in self.search.keys().enumerate() {
                if let Some(fragment) = fragments.get(source) {
                    let path = crate::search::fragment_path(id);
                    written.push((path.clone(), self.out.write(&path, fragment.as_bytes())?));
                }
            }
        }
        let mut files: BTreeSet<String> = (0..self.search.len())
            .map(crate::search::fragment_path)
            .collect();
        if records_changed {
            written.extend(Site::write_shards(&self.out, &self.search)?);
            files.extend(written.iter().map(|(path, _)| path.clone()));
        } else {
            let fragment_dir = format!("{}/p/", crate::search::DIR);
            files.extend(
                self.search_files
                    .iter()
                    .filter(|f| !f.starts_with(&fragment_dir))
                    .cloned(),
            );
        }
        for (path, outcome) in written {
            if outcome == Written::Changed {
                rebuild.written.push(path);
            }
        }
        for stale in self.search_files.difference(&files) {
            if self.out.remove(stale)? {
                rebuild.removed.push(stale.clone());
            }
        }
        self.search_files = files;
        Ok(())
    }

    fn update_navigation(
        &mut self,
        dirs: &BTreeSet<String>,
        highlighter: &Highlighter,
    ) -> Result<BTreeSet<String>> {
        let mut render = BTreeSet::new();
        for dir in dirs {
            if let Some(element) = self.site.nav.element_at(dir) {
                render.extend(element.guides.iter().map(|g| g.source.clone()));
            }
            let Site {
                pages, nav, config, ..
            } = &mut self.site;
            // Pages are sorted by source, so a folder's pages are one run of them.
            let prefix = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            let start = pages.partition_point(|p| p.source.as_str() < prefix.as_str());
            let pages: Vec<&Page> = pages[start..]
                .iter()
                .take_while(|p| p.source.starts_with(&prefix))
                .filter(|p| (config.drafts || !p.front.draft) && p.dir() == dir.as_str())
                .collect();
            let sources: Vec<String> = pages.iter().map(|p| p.source.clone()).collect();
            nav.update_dir(dir, &pages);
            for source in &sources {
                // A folder can become (or stop being) an element: reindex its pages' element.
                if let Some(page) = self.site.page(source) {
                    let element = self.site.nav.element_dir(source);
                    self.site.index.insert_page(page.indexed(element));
                }
            }
            render.extend(sources);
        }
        // Pages outside elements: a title, order or page that came or went changes the sidebar
        // of every page of its top section.
        let Site {
            pages, nav, config, ..
        } = &mut self.site;
        render.extend(nav.update_sections(pages, config.drafts));
        let mut derived_diagnostics = Vec::new();
        let derived = Derived::new(&self.site, &mut derived_diagnostics);
        if derived != self.derived {
            let site_changed = derived.site != self.derived.site;
            let list_changed = derived.summaries != self.derived.summaries;
            self.derived = derived;
            self.derived_diagnostics = derived_diagnostics;
            self.renderer
                .set_site(&self.derived.site, &self.derived.summaries);
            if site_changed {
                // The elements index moved: every page's header changes.
                self.write_generated(&[ELEMENTS_NAV, NOT_FOUND, HOME], highlighter)?;
                return Ok(self.site.published().map(|p| p.source.clone()).collect());
            }
            if list_changed {
                for page in self.site.published() {
                    if self.renderer.lists_elements(page.layout()) {
                        render.insert(page.source.clone());
                    }
                }
                self.write_generated(&[ELEMENTS_NAV, NOT_FOUND, HOME], highlighter)?;
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
            self.checks
                .iter()
                .filter(|(_, c)| !c.titles.is_disjoint(&names))
                .map(|(s, _)| s.clone()),
        );
        pages.extend(self.broken_pages());
        pages
    }

    /// Writes the redirect pages of every page, and removes those of `old` (output files the
    /// changed pages claimed before) that nothing writes any more.
    fn sync_redirects(&mut self, old: &BTreeSet<String>, rebuild: &mut Rebuild) -> Result<()> {
        let redirects = self.site.redirect_files();
        self.site.index.clear_redirects();
        for (file, origin) in &redirects {
            if let crate::build::FileOrigin::Redirect(redirect) = origin {
                redirect.register(&mut self.site.index);
            }
            if self.site.write_file(&self.out, file, origin)? == Written::Changed {
                rebuild.written.push(file.clone());
            }
        }
        let files = self.site.output_files();
        for file in old {
            let page_file = self
                .site
                .published()
                .any(|p| links::output_file_for_url(&p.url) == *file);
            if !files.contains_key(file) && !page_file && self.out.remove(file)? {
                rebuild.removed.push(file.clone());
            }
        }
        Ok(())
    }

    fn pages_targeting(&self, matches: impl Fn(&str) -> bool) -> BTreeSet<String> {
        self.checks
            .iter()
            .filter(|(_, c)| c.targets.iter().any(|t| matches(t)))
            .map(|(s, _)| s.clone())
            .collect()
    }

    fn broken_pages(&self) -> impl Iterator<Item = String> + '_ {
        self.checks
            .iter()
            .filter(|(_, c)| c.broken)
            .map(|(s, _)| s.clone())
    }

    /// Every current problem of the site, sorted.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .site
            .pages
            .iter()
            .flat_map(|p| p.diagnostics.iter().cloned())
            .chain(self.site.nav.diagnostics().cloned())
            .chain(
                self.site
                    .templating
                    .iter()
                    .flat_map(|t| t.diagnostics.iter().cloned()),
            )
            .chain(self.site.listing.iter().cloned())
            .chain(self.site.theme.diagnostics.iter().cloned())
            .chain(self.collisions.iter().cloned())
            .chain(self.template_diagnostics.iter().cloned())
            .chain(self.derived_diagnostics.iter().cloned())
            .chain(
                self.checks
                    .values()
                    .flat_map(|c| c.diagnostics.iter().cloned()),
            )
            .chain(self.render_errors())
            .chain(self.output_diagnostics())
            .chain(crate::build::base_url_warning(&self.site.config))
            .collect();
        diagnostic::sort(&mut all);
        all.dedup();
        all
    }
}

impl Session {
    /// The layout errors of the pages and of the generated pages, folded as `build` folds them.
    fn render_errors(&self) -> Vec<Diagnostic> {
        let mut pages: Vec<(&String, &Diagnostic)> = self.render_errors.iter().collect();
        pages.sort_by_key(|(source, _)| *source);
        crate::build::fold_render_errors(
            pages
                .into_iter()
                .map(|(_, d)| d.clone())
                .chain(self.generated_errors.iter().cloned()),
        )
    }

    /// The broken URLs of the written output, blamed where they were written.
    fn output_diagnostics(&self) -> Vec<Diagnostic> {
        if self.output_check.is_clean() {
            return Vec::new();
        }
        let hrefs_of = |source: &str| self.checks.get(source).map(|c| &c.hrefs);
        self.output_check.report(&crate::output_links::Blame {
            templates: &self.site.theme.templates,
            site: &self.site,
            hrefs: &hrefs_of,
            severity: self.site.config.broken_links,
        })
    }
}

fn page_dir(source: &str) -> &str {
    source.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The site data every page shares, and the problems found making it, handed to the templates.
fn derive(site: &Site, renderer: &mut Renderer) -> (Derived, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let derived = Derived::new(site, &mut diagnostics);
    renderer.set_site(&derived.site, &derived.summaries);
    (derived, diagnostics)
}

//! Load and index stages: `Site`, everything known about a site once its files are read and
//! its pages parsed — the pages (sorted by source), the files to copy, the theme, the navigation
//! and the link index — and which source writes each output file.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Duration;

use rayon::prelude::*;

use super::{
    ELEMENTS_NAV, HIGHLIGHT_CSS, HOME, NOT_FOUND, ROBOTS, SITEMAP, Stopwatch, find_elements_index,
};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::links::{self, LinkIndex};
use crate::nav::Navigation;
use crate::page::{Page, display_path};
use crate::source;
use crate::templating::Templating;
use crate::theme::{Theme, ThemeFile};

/// Everything known about a site after loading and indexing it.
pub struct Site {
    pub(crate) config: Config,
    /// Sorted by source path.
    pub(super) pages: Vec<Page>,
    /// Files below `content/` that are not pages (content-relative paths).
    pub(super) assets: Vec<String>,
    /// Files below `static/`.
    pub(super) static_files: Vec<String>,
    pub(super) theme: Theme,
    pub(crate) nav: Navigation,
    pub(crate) index: LinkIndex,
    /// Source of the page listing all elements (see `find_elements_index`).
    pub(crate) elements_index: Option<String>,
    /// Output files claimed by two sources, bad redirects (`collisions`); kept up to date by
    /// the engine when files come or go.
    pub(crate) collisions: Vec<Diagnostic>,
    /// The problems of listing `content/` and `static/` (symlinks not followed). The theme,
    /// templating and each page keep their own; `Engine::diagnostics` puts them together.
    pub(crate) listing: Vec<Diagnostic>,
    /// Wall time of loading and indexing.
    pub(crate) timings: Vec<(&'static str, Duration)>,
    /// Content templating's shared state (includes, data), unless the site turned it off.
    pub(crate) templating: Option<Templating>,
    /// The output file plan (`plan_files`): made once per state of the pages, files and
    /// theme, and dropped by every change to them (which is why those fields are private).
    plan: OnceLock<FilePlan>,
}

/// The load stage's value: the site's files listed and its pages parsed, nothing indexed.
pub struct Loaded {
    config: Config,
    /// Sorted by source path.
    pages: Vec<Page>,
    assets: Vec<String>,
    static_files: Vec<String>,
    theme: Theme,
    templating: Option<Templating>,
    /// The listing's problems (the theme, templating and each page keep their own).
    listing: Vec<Diagnostic>,
    timings: Vec<(&'static str, Duration)>,
}

impl Loaded {
    /// Lists `content/`, `static/` and the theme and parses every page, in parallel.
    pub fn load(config: Config) -> Result<Loaded> {
        let mut watch = Stopwatch::start();
        let content_dir = config.content_dir();
        let mut tree = source::scan_content(&content_dir)?;
        let statics = source::list_site_files(&config.root, &config.static_dir())?;
        let static_files = statics.files;
        let theme = Theme::load(&config)?;
        let templating = match config.templating {
            true => Some(Templating::load(&config)?),
            false => None,
        };
        watch.lap("scan");
        let mut listing = std::mem::take(&mut tree.diagnostics);
        listing.extend(statics.diagnostics);
        let pages: Vec<Page> = tree
            .pages
            .par_iter()
            .map(|rel| match source::read(&content_dir, rel) {
                Ok(bytes) => Page::parse_with(rel, bytes, templating.as_ref()),
                Err(e) => {
                    let mut page = Page::parse(rel, Vec::new());
                    page.diagnostics.push(Diagnostic::error(
                        "read",
                        display_path(rel),
                        format!("cannot read the file: {e}"),
                    ));
                    page
                }
            })
            .collect();
        watch.lap("parse");
        Ok(Loaded {
            config,
            pages,
            assets: tree.assets,
            static_files,
            theme,
            templating,
            listing,
            timings: watch.laps,
        })
    }
}

impl Site {
    /// Loads and parses every page, then indexes the site.
    pub fn load(config: Config) -> Result<Site> {
        Ok(Site::index(Loaded::load(config)?))
    }

    /// The index stage: groups the loaded pages into elements (`Navigation`), indexes every
    /// page and file (`LinkIndex`), plans the redirect pages and finds the elements index.
    pub fn index(loaded: Loaded) -> Site {
        let started = std::time::Instant::now();
        let Loaded {
            config,
            pages,
            assets,
            static_files,
            theme,
            templating,
            listing,
            mut timings,
        } = loaded;
        let nav = Navigation::build(&pages, config.drafts);
        let mut index = LinkIndex::new(&config.base_path, config.drafts)
            .written_under(&config.written_base_path);
        for page in &pages {
            index.insert_page(page.indexed(nav.element_dir(&page.source)));
        }
        index.set_template_anchors(crate::output_links::template_anchors(&theme.templates));
        let mut site = Site {
            config,
            pages,
            assets,
            static_files,
            theme,
            nav,
            index,
            elements_index: None,
            collisions: Vec::new(),
            listing,
            plan: OnceLock::new(),
            timings: Vec::new(),
            templating,
        };
        // The files besides the pages, and the old addresses of `redirect_from`, are link
        // targets too.
        let (mut files, mut redirects) = (Vec::new(), Vec::new());
        for (path, origin) in site.output_files() {
            if let FileOrigin::Redirect(redirect) = origin {
                redirects.push(redirect.clone());
            } else if !path.ends_with(".html") || site.index.page_at(&format!("/{path}")).is_none()
            {
                files.push(format!("/{path}"));
            }
        }
        for redirect in redirects {
            redirect.register(&mut site.index);
        }
        for file in files {
            site.index.insert_file(file);
        }
        site.update_collisions();
        site.elements_index = find_elements_index(&site);
        timings.push(("index", started.elapsed()));
        site.timings = timings;
        site
    }

    /// Records that the file `path` of `content/` (`static_file` false) or `static/` exists or
    /// not. Returns whether the site listed it before.
    pub(crate) fn set_file(&mut self, static_file: bool, path: &str, exists: bool) -> bool {
        let files = match static_file {
            false => &mut self.assets,
            true => &mut self.static_files,
        };
        let known = files.binary_search_by(|f| f.as_str().cmp(path));
        match (exists, known) {
            (true, Err(at)) => files.insert(at, path.to_string()),
            (false, Ok(at)) => {
                files.remove(at);
            }
            _ => return known.is_ok(),
        }
        self.plan = OnceLock::new();
        known.is_ok()
    }

    /// Finds the output files claimed twice again, after files or pages came or went.
    pub(crate) fn update_collisions(&mut self) {
        self.collisions = self.collisions();
    }

    /// Loads the theme again; the template anchors (ids the layouts give every page) with it.
    pub(crate) fn reload_theme(&mut self) -> Result<()> {
        self.theme = Theme::load(&self.config)?;
        self.plan = OnceLock::new();
        self.index
            .set_template_anchors(crate::output_links::template_anchors(&self.theme.templates));
        Ok(())
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Every loaded page, drafts included, sorted by source.
    pub fn pages(&self) -> &[Page] {
        &self.pages
    }

    /// Files below `content/` that are not pages (content-relative paths).
    pub fn assets(&self) -> &[String] {
        &self.assets
    }

    /// Files below `static/`.
    pub fn static_files(&self) -> &[String] {
        &self.static_files
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn nav(&self) -> &Navigation {
        &self.nav
    }

    pub fn link_index(&self) -> &LinkIndex {
        &self.index
    }

    /// The page with this source, if it is loaded.
    pub fn page(&self, source: &str) -> Option<&Page> {
        self.pages
            .binary_search_by(|p| p.source.as_str().cmp(source))
            .ok()
            .map(|i| &self.pages[i])
    }

    /// Whether the page exists and is built.
    pub fn is_published(&self, source: &str) -> bool {
        self.page(source)
            .is_some_and(|p| self.config.drafts || !p.front.draft)
    }

    pub(crate) fn take_page(&mut self, source: &str) -> Option<Page> {
        let at = self
            .pages
            .binary_search_by(|p| p.source.as_str().cmp(source))
            .ok()?;
        self.plan = OnceLock::new();
        Some(self.pages.remove(at))
    }

    pub(crate) fn insert_page(&mut self, page: Page) {
        self.plan = OnceLock::new();
        match self
            .pages
            .binary_search_by(|p| p.source.as_str().cmp(&page.source))
        {
            Ok(at) => self.pages[at] = page,
            Err(at) => self.pages.insert(at, page),
        }
    }

    /// Reads and parses `content/<source>`; `None` when it no longer exists.
    pub(crate) fn read_page(&self, source: &str) -> Result<Option<Page>> {
        let dir = self.config.content_dir();
        if !dir.join(source).is_file() {
            return Ok(None);
        }
        let bytes = source::read(&dir, source)?;
        Ok(Some(Page::parse_with(
            source,
            bytes,
            self.templating.as_ref(),
        )))
    }

    /// Pages that are published in this build.
    pub fn published(&self) -> impl Iterator<Item = &Page> + '_ {
        self.pages
            .iter()
            .filter(|p| self.config.drafts || !p.front.draft)
    }

    /// Every non-page file of the output and where it comes from, later sources winning:
    /// generated files, the theme's static files, `static/`, then content assets, then the
    /// redirect pages of `redirect_from` (those that collide with nothing).
    pub(crate) fn output_files(&self) -> &BTreeMap<String, FileOrigin> {
        &self.plan().files
    }

    fn plan(&self) -> &FilePlan {
        self.plan.get_or_init(|| self.plan_files())
    }

    /// The output file plan, with the problems of the redirects.
    fn plan_files(&self) -> FilePlan {
        let files = self.files_without_redirects();
        let pages: Vec<&Page> = self.published().collect();
        let describe = |path: &str| files.get(path).map(|origin| origin.describe(path));
        // Built only when a redirect needs it.
        let folders = std::cell::OnceCell::new();
        let folder = |path: &str| {
            folders
                .get_or_init(|| {
                    let written = self.written_files(&files);
                    super::conflicts::folders(written.keys().map(String::as_str))
                })
                .get(path)
                .cloned()
        };
        let (redirects, diagnostics) = crate::redirect::plan(&pages, describe, folder);
        let mut files = files;
        for redirect in redirects {
            files.insert(redirect.file.clone(), FileOrigin::Redirect(redirect));
        }
        FilePlan {
            files,
            redirect_problems: diagnostics,
        }
    }

    /// Whether docgen writes the generated `file` (no page, static file or content file
    /// provides it instead).
    pub(crate) fn generates(&self, file: &str) -> bool {
        let provided = |files: &[String]| files.binary_search_by(|f| f.as_str().cmp(file)).is_ok();
        let page = match file {
            HOME => Some("index.md"),
            NOT_FOUND => Some("404.md"),
            _ => None,
        };
        !provided(&self.static_files)
            && !provided(&self.assets)
            && !self.theme.static_files.iter().any(|f| f.path == file)
            && page.is_none_or(|source| self.page(source).is_none())
    }

    fn files_without_redirects(&self) -> BTreeMap<String, FileOrigin> {
        let mut files = BTreeMap::new();
        for generated in [SITEMAP, ROBOTS, ELEMENTS_NAV, HIGHLIGHT_CSS] {
            files.insert(generated.to_string(), FileOrigin::Generated);
        }
        if !self.pages.iter().any(|p| p.url == "/404.html") {
            files.insert(NOT_FOUND.to_string(), FileOrigin::Generated);
        }
        if !self.pages.iter().any(|p| p.url == "/") {
            files.insert(HOME.to_string(), FileOrigin::Generated);
        }
        for file in &self.theme.static_files {
            files.insert(file.path.clone(), FileOrigin::Theme(file.clone()));
        }
        for path in &self.static_files {
            files.insert(path.clone(), FileOrigin::Static);
        }
        for path in &self.assets {
            files.insert(path.clone(), FileOrigin::Content);
        }
        files
    }

    /// Two sources that would write the same output file, a file where another source needs a
    /// folder, invalid or colliding redirects, and site files in the search index's folder.
    pub(crate) fn collisions(&self) -> Vec<Diagnostic> {
        let mut diagnostics = self.source_collisions();
        let written = self.written_files(&self.files_without_redirects());
        diagnostics.extend(super::conflicts::check(&written));
        let plan = self.plan();
        diagnostics.extend(plan.redirect_problems.iter().cloned());
        if self.config.search {
            diagnostics.extend(super::conflicts::reserved(
                &self.written_files(&plan.files),
                crate::search::DIR,
                "the search index",
                "set `search = false` in docgen.toml to build without it",
            ));
        }
        diagnostics
    }

    /// Every output file but the redirects → what writes it (for messages): the published
    /// pages, then `files`.
    fn written_files(&self, files: &BTreeMap<String, FileOrigin>) -> BTreeMap<String, String> {
        let mut written: BTreeMap<String, String> = files
            .iter()
            .map(|(path, origin)| (path.clone(), origin.describe(path)))
            .collect();
        for page in self.published() {
            written.insert(
                links::output_file_for_url(&page.url),
                format!("the page {}", page.file()),
            );
        }
        written
    }

    /// The redirect pages to write (output path → origin).
    pub(crate) fn redirect_files(
        &self,
    ) -> impl Iterator<Item = (&String, &crate::redirect::Redirect)> {
        self.output_files()
            .iter()
            .filter_map(|(file, origin)| match origin {
                FileOrigin::Redirect(redirect) => Some((file, redirect)),
                _ => None,
            })
    }

    fn source_collisions(&self) -> Vec<Diagnostic> {
        // (output file, source) for every page and copied file; names are only formatted for
        // the few that collide.
        let mut claims: Vec<(std::borrow::Cow<'_, str>, Claim<'_>)> = Vec::new();
        for page in self.published() {
            claims.push((
                links::output_file_for_url(&page.url).into(),
                Claim::Page(page),
            ));
        }
        claims.extend(
            self.static_files
                .iter()
                .map(|p| (p.as_str().into(), Claim::Static(p))),
        );
        claims.extend(
            self.assets
                .iter()
                .map(|p| (p.as_str().into(), Claim::Content(p))),
        );
        // Stable: within one output file, pages come before static files before assets.
        claims.sort_by(|a, b| a.0.cmp(&b.0));
        claims
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|group| group.len() > 1)
            .map(|group| {
                let sources: Vec<String> = group.iter().map(|(_, claim)| claim.file()).collect();
                Diagnostic::error(
                    "url-collision",
                    sources[0].clone(),
                    format!(
                        "{} and {} would both be written to {}",
                        sources[0],
                        sources[1..].join(" and "),
                        group[0].0
                    ),
                )
                .with_note("rename or move one of them")
            })
            .collect()
    }
}

/// Which source writes each output file that is not a page.
struct FilePlan {
    files: BTreeMap<String, FileOrigin>,
    /// The problems of the redirects (`redirect::plan`).
    redirect_problems: Vec<Diagnostic>,
}

/// A source that writes an output file.
enum Claim<'a> {
    Page(&'a Page),
    Static(&'a str),
    Content(&'a str),
}

impl Claim<'_> {
    fn file(&self) -> String {
        match self {
            Claim::Page(page) => page.file(),
            Claim::Static(path) => format!("static/{path}"),
            Claim::Content(path) => format!("content/{path}"),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum FileOrigin {
    Generated,
    Theme(ThemeFile),
    Static,
    Content,
    /// A page's `redirect_from`.
    Redirect(crate::redirect::Redirect),
}

impl FileOrigin {
    /// What writes the output file `path`, for messages.
    fn describe(&self, path: &str) -> String {
        match self {
            FileOrigin::Generated => format!("the generated {path}"),
            FileOrigin::Theme(_) => format!("the theme's {path}"),
            FileOrigin::Static => format!("static/{path}"),
            FileOrigin::Content => format!("content/{path}"),
            FileOrigin::Redirect(r) => format!("the redirect_from of content/{}", r.source),
        }
    }
}

//! The pipeline: load → parse → index → check → render → write.
//!
//! 1. `Site::load` reads `docgen.toml`, lists `content/`, `static/` and the theme, and parses
//!    every page in parallel (front matter, Markdown, highlighting).
//! 2. `Site::index` groups pages into elements (`Navigation`), indexes every page and file
//!    (`LinkIndex`) and plans the redirect pages of `redirect_from`.
//! 3. `check` resolves every link of every page and checks layouts; nothing is written yet.
//! 4. `render` fills each page's links and renders its layout, in parallel, and `write` puts
//!    pages, assets, redirect pages and the generated files (sitemap, robots.txt, 404, shared
//!    navigation, search index, highlighting CSS) into a staging folder, then swaps it in as the
//!    output (`OutputDir::commit`).
//!
//! Each step takes values and returns values, and every problem becomes a `Diagnostic`, so one
//! run reports all of them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, Overrides};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::highlight::Highlighter;
use crate::links::{self, LinkIndex};
use crate::markdown::LinkKind;
use crate::nav::{self, Navigation, Trail};
use crate::output::{OutputDir, Written};
use crate::page::{Page, display_path};
use crate::render::{
    ElementSummary, ElementView, GuideView, NavLink, NavView, PageContext, PageView, Renderer,
    SiteContext,
};
use crate::source;
use crate::templating::Templating;
use crate::theme::{Theme, ThemeFile};

/// Files docgen generates in every site (unless the site provides its own).
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
pub const NOT_FOUND: &str = "404.html";
pub const ELEMENTS_NAV: &str = "elements-nav.json";
pub const HIGHLIGHT_CSS: &str = "highlight.css";
pub const SEARCH_INDEX: &str = crate::search::INDEX_FILE;

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
}

impl BuildReport {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// `Built 27 pages (3 elements), 14 assets copied — 0 warnings, 0 errors in 0.21s`
    pub fn summary(&self) -> String {
        let verb = if self.output.is_some() {
            "Built"
        } else {
            "Checked"
        };
        format!(
            "{verb} {} {} ({} {}), {} {} copied — {} {}, {} {} in {:.2}s",
            self.pages,
            plural(self.pages, "page", "pages"),
            self.elements,
            plural(self.elements, "element", "elements"),
            self.assets,
            plural(self.assets, "asset", "assets"),
            self.warnings(),
            plural(self.warnings(), "warning", "warnings"),
            self.errors(),
            plural(self.errors(), "error", "errors"),
            self.elapsed.as_secs_f64()
        )
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Builds the site at `options.root` into its output folder.
pub fn build(options: &BuildOptions, highlighter: &Highlighter) -> Result<BuildReport> {
    let started = Instant::now();
    let config = Config::load(&options.root, &options.overrides)?;
    let output_path = options
        .output
        .clone()
        .unwrap_or_else(|| config.root.join("public"));
    let site = Site::load(config)?;
    let mut report = site.check_and_write(Some(&output_path), highlighter)?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Everything known about a site after loading and indexing it.
pub struct Site {
    pub config: Config,
    /// Sorted by source path.
    pub pages: Vec<Page>,
    /// Files below `content/` that are not pages (content-relative paths).
    pub assets: Vec<String>,
    /// Files below `static/`.
    pub static_files: Vec<String>,
    pub theme: Theme,
    pub nav: Navigation,
    pub index: LinkIndex,
    /// Source of the page listing all elements (see `find_elements_index`).
    pub elements_index: Option<String>,
    /// Problems found while loading and indexing.
    pub diagnostics: Vec<Diagnostic>,
    /// Wall time of loading and indexing.
    pub timings: Vec<(&'static str, Duration)>,
    /// Content templating's shared state (includes, data), unless the site turned it off.
    pub templating: Option<Templating>,
}

/// Measures consecutive stages.
struct Stopwatch {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn start() -> Self {
        Stopwatch {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

impl Site {
    /// Loads and parses every page, then indexes the site.
    pub fn load(config: Config) -> Result<Site> {
        let mut watch = Stopwatch::start();
        let content_dir = config.content_dir();
        let tree = source::scan_content(&content_dir)?;
        let static_files = source::list_files(&config.static_dir())?;
        let theme = Theme::load(&config)?;
        let templating = match config.templating {
            true => Some(Templating::load(&config)?),
            false => None,
        };
        watch.lap("scan");
        let mut diagnostics = Vec::new();
        if let Some(templating) = &templating {
            diagnostics.extend(templating.diagnostics.iter().cloned());
        }
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
        for page in &pages {
            diagnostics.extend(page.diagnostics.iter().cloned());
        }
        let mut site = Site {
            config,
            pages,
            assets: tree.assets,
            static_files,
            theme,
            nav: Navigation::default(),
            index: LinkIndex::default(),
            elements_index: None,
            diagnostics,
            timings: Vec::new(),
            templating,
        };
        watch.lap("parse");
        site.index();
        watch.lap("index");
        site.timings = watch.laps;
        Ok(site)
    }

    /// Computes the navigation and the link index from the parsed pages.
    pub fn index(&mut self) {
        let nav = Navigation::build(&self.pages, self.config.drafts);
        self.diagnostics.extend(nav.diagnostics().cloned());
        let mut index = LinkIndex::new(&self.config.base_path, self.config.drafts);
        for page in &self.pages {
            index.insert_page(page.indexed(nav.element_dir(&page.source)));
        }
        for (path, origin) in self.output_files() {
            if let FileOrigin::Redirect(redirect) = origin {
                redirect.register(&mut index);
            } else if !path.ends_with(".html") || index.page_at(&format!("/{path}")).is_none() {
                index.insert_file(format!("/{path}"));
            }
        }
        self.diagnostics.extend(self.collisions());
        self.nav = nav;
        self.index = index;
        self.elements_index = find_elements_index(self);
    }

    /// Pages that are published in this build.
    pub fn published(&self) -> impl Iterator<Item = &Page> + '_ {
        self.pages
            .iter()
            .filter(|p| self.config.drafts || !p.front.draft)
    }

    /// Every non-page file of the output and where it comes from, later sources winning:
    /// generated files, the theme's static files, `static/`, then content assets.
    pub(crate) fn output_files(&self) -> BTreeMap<String, FileOrigin> {
        self.files_and_redirects().0
    }

    /// `output_files`, with the redirect pages of `redirect_from` (those that collide with
    /// nothing), and the problems of the redirects.
    fn files_and_redirects(&self) -> (BTreeMap<String, FileOrigin>, Vec<Diagnostic>) {
        let files = self.files_without_redirects();
        let pages: Vec<&Page> = self.published().collect();
        let describe = |path: &str| files.get(path).map(|origin| origin.describe(path));
        let (redirects, diagnostics) = crate::redirect::plan(&pages, describe);
        let mut files = files;
        for redirect in redirects {
            files.insert(redirect.file.clone(), FileOrigin::Redirect(redirect));
        }
        (files, diagnostics)
    }

    fn files_without_redirects(&self) -> BTreeMap<String, FileOrigin> {
        let mut files = BTreeMap::new();
        for generated in [SITEMAP, ROBOTS, ELEMENTS_NAV, HIGHLIGHT_CSS, SEARCH_INDEX] {
            files.insert(generated.to_string(), FileOrigin::Generated);
        }
        if !self.pages.iter().any(|p| p.url == "/404.html") {
            files.insert(NOT_FOUND.to_string(), FileOrigin::Generated);
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

    /// Two sources that would write the same output file, and invalid or colliding redirects.
    pub(crate) fn collisions(&self) -> Vec<Diagnostic> {
        let mut diagnostics = self.source_collisions();
        diagnostics.extend(self.files_and_redirects().1);
        diagnostics
    }

    /// The redirect pages to write (output path → origin).
    pub(crate) fn redirect_files(&self) -> BTreeMap<String, FileOrigin> {
        let mut files = self.files_and_redirects().0;
        files.retain(|_, origin| matches!(origin, FileOrigin::Redirect(_)));
        files
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

    /// Checks every page and, when nothing is wrong and `output` is given, writes the site.
    pub fn check_and_write(
        &self,
        output: Option<&std::path::Path>,
        highlighter: &Highlighter,
    ) -> Result<BuildReport> {
        let mut watch = Stopwatch::start();
        let mut diagnostics = self.diagnostics.clone();
        if self.config.base_url.is_none() {
            diagnostics.push(Diagnostic::warning(
                "config",
                crate::config::CONFIG_FILE,
                "base_url is not set: sitemap.xml is not written and permalinks are site-relative",
            ));
        }
        let (mut renderer, template_diagnostics) = Renderer::new(&self.theme.templates);
        diagnostics.extend(template_diagnostics);
        let derived = Derived::new(self, &mut diagnostics);
        renderer.set_site(&derived.site, &derived.summaries);
        watch.lap("templates");

        let pages: Vec<&Page> = self.published().collect();
        let checked: Vec<PageCheck> = pages
            .par_iter()
            .map(|page| self.check_page(page, &renderer))
            .collect();
        let mut hrefs = Vec::with_capacity(checked.len());
        for check in checked {
            hrefs.push(check.hrefs);
            diagnostics.extend(check.diagnostics);
        }
        watch.lap("check");

        let has_errors = diagnostics.iter().any(Diagnostic::is_error);
        let out = match output {
            Some(path) if !has_errors => Some(OutputDir::stage(path, &self.config.root)?),
            _ => None,
        };
        let rendered: Vec<Result<Option<Diagnostic>>> = pages
            .par_iter()
            .zip(hrefs.par_iter())
            .map(|(page, hrefs)| {
                if !renderer.has_layout(page.layout()) {
                    return Ok(None);
                }
                let context = self.page_context(page, hrefs, &derived, highlighter);
                match renderer.render(page.layout(), &context, &page.file()) {
                    Ok(html) => {
                        if let Some(out) = &out {
                            out.write(&links::output_file_for_url(&page.url), html.as_bytes())?;
                        }
                        Ok(None)
                    }
                    Err(d) => Ok(Some(d)),
                }
            })
            .collect();
        let mut template_errors: HashMap<(String, u32, u32, String), (Diagnostic, usize)> =
            HashMap::new();
        for result in rendered {
            if let Some(d) = result? {
                // A broken layout fails every page that uses it: say so once.
                template_errors
                    .entry((d.file.clone(), d.line, d.column, d.message.clone()))
                    .or_insert((d, 0))
                    .1 += 1;
            }
        }
        watch.lap("render");
        for (_, (mut d, count)) in template_errors {
            if count > 1 {
                d = d.with_note(format!("and {} other pages", count - 1));
            }
            diagnostics.push(d);
        }

        let mut assets = 0;
        let written = match out {
            Some(out) if !diagnostics.iter().any(Diagnostic::is_error) => {
                assets = self.write_files(&out, &renderer, &derived, highlighter)?;
                // Published only now, complete. A build with errors drops `out` uncommitted,
                // which deletes what it wrote and leaves the previous output as it was.
                Some(out.commit()?)
            }
            _ => None,
        };
        watch.lap("write");
        diagnostic::sort(&mut diagnostics);
        diagnostics.dedup();
        Ok(BuildReport {
            pages: pages.len(),
            elements: self.nav.elements.len(),
            assets,
            diagnostics,
            elapsed: Duration::default(),
            output: written,
            timings: self.timings.iter().copied().chain(watch.laps).collect(),
        })
    }

    /// Resolves a page's links (the URLs its slots get) and checks its layout.
    pub(crate) fn check_page(&self, page: &Page, renderer: &Renderer) -> PageCheck {
        let mut diagnostics = Vec::new();
        let mut targets = BTreeSet::new();
        let mut titles = BTreeSet::new();
        let mut broken = false;
        let file = page.file();
        let severity = self.config.broken_links;
        let hrefs = page
            .doc
            .links
            .iter()
            .map(|link| {
                if link.kind == LinkKind::Title {
                    let name = link.dest.split('#').next().unwrap_or("");
                    titles.insert(name.trim().to_lowercase());
                }
                match self.index.resolve(&page.source, link.kind, &link.dest) {
                    Ok(resolved) => {
                        targets.insert(resolved.target().to_string());
                        if let Some(old) = &resolved.redirect {
                            diagnostics
                                .push(redirect_link_warning(&file, page, link, old, &resolved));
                        }
                        resolved.href
                    }
                    Err(failure) => {
                        broken = true;
                        diagnostics.push(link_diagnostic(&file, page, link, failure, severity));
                        link.dest.clone()
                    }
                }
            })
            .collect();
        if let Some(target) = &page.front.breadcrumbs
            && let Err(failure) = self.index.resolve(&page.source, LinkKind::Link, target)
        {
            broken = true;
            let line = page.front.line_of("breadcrumbs");
            let mut d = Diagnostic::error(
                "broken-link",
                &file,
                format!("`breadcrumbs`: {}", failure.message),
            )
            .at(line, 1)
            .with_suggestion(failure.suggestion)
            .with_source(&page.text, "breadcrumbs".len());
            d.severity = severity;
            diagnostics.push(d);
        }
        let layout = page.layout();
        if !renderer.has_layout(layout) {
            let available = renderer.layouts();
            let line = page.front.line_of("layout");
            let suggestion = links::closest(layout, available.iter().map(String::as_str));
            diagnostics.push(
                Diagnostic::error(
                    "unknown-layout",
                    &file,
                    format!("unknown layout `{layout}`"),
                )
                .at(line, u32::from(line > 0))
                .with_suggestion(suggestion.map(str::to_string))
                .with_note(format!("available layouts: {}", available.join(", ")))
                .with_source(&page.text, "layout".len()),
            );
        }
        if let Some(target) = &page.front.breadcrumbs
            && let Ok(resolved) = self.index.resolve(&page.source, LinkKind::Link, target)
        {
            targets.insert(resolved.target().to_string());
        }
        PageCheck {
            hrefs,
            diagnostics,
            targets,
            titles,
            broken,
        }
    }

    /// The template context of one page.
    pub(crate) fn page_context<'a>(
        &'a self,
        page: &'a Page,
        hrefs: &[String],
        derived: &'a Derived,
        highlighter: &Highlighter,
    ) -> PageContext<'a> {
        let base = &self.config.base_path;
        let front = &page.front;
        let element = self.nav.element_of(&page.source);
        let element_view = element.map(|e| {
            let data = &derived.elements[&e.dir];
            ElementView {
                heading: &e.heading,
                element_id: e.element_id.as_deref(),
                key: &e.key,
                url: data.url.clone(),
                logo: data.logo.clone(),
                guides: e
                    .guides
                    .iter()
                    .map(|g| GuideView {
                        title: &g.title,
                        url: format!("{base}{}", g.url),
                        order: g.order,
                        current: g.source == page.source,
                    })
                    .collect(),
            }
        });
        let (prev, next) = self.nav.prev_next(&page.source);
        let nav_link = |g: &nav::Guide| NavLink {
            title: g.title.clone(),
            url: format!("{base}{}", g.url),
        };
        let parent = self.parent_crumb(page, derived);
        let breadcrumbs = nav::breadcrumbs(Trail {
            home_url: &derived.site.home_url,
            is_home: page.source == "index.md",
            parent,
            element: element.map(|e| (e.heading.as_str(), derived.elements[&e.dir].url.clone())),
            is_overview: element.is_some_and(|e| e.overview.as_deref() == Some(&page.source)),
            title: &page.title,
        });
        let heading = front
            .heading
            .as_deref()
            .or(element.map(|e| e.heading.as_str()));
        let url = format!("{base}{}", page.url);
        PageContext {
            page: PageView {
                title: &page.title,
                seo: front.seo.clone().unwrap_or_else(|| {
                    let mut parts = vec![page.title.as_str()];
                    parts.extend(heading.filter(|h| *h != page.title));
                    parts.push(&self.config.title);
                    parts.join(" | ")
                }),
                description: front.description.as_deref(),
                heading,
                layout: page.layout(),
                permalink: self
                    .config
                    .absolute_url(&page.url)
                    .unwrap_or_else(|| url.clone()),
                url,
                source: page.file(),
                element_id: front
                    .element_id
                    .as_deref()
                    .or(element.and_then(|e| e.element_id.as_deref())),
                order: front.order,
                draft: front.draft,
                content: page.render_body(hrefs, highlighter),
                extra: &front.extra,
            },
            element: element_view,
            nav: NavView {
                prev: prev.map(nav_link),
                next: next.map(nav_link),
            },
            breadcrumbs,
            toc: page.doc.toc(),
        }
    }

    /// The `parent` breadcrumb: its label and the resolved `breadcrumbs` target. Without a
    /// target it points at the elements index.
    fn parent_crumb(&self, page: &Page, derived: &Derived) -> Option<(String, String)> {
        let target = match &page.front.breadcrumbs {
            Some(target) => {
                let resolved = self
                    .index
                    .resolve(&page.source, LinkKind::Link, target)
                    .ok()?;
                Some(resolved)
            }
            None => None,
        };
        let label = page.front.parent.clone().or_else(|| {
            let source = target.as_ref()?.page.as_ref()?;
            self.index.page(source).map(|p| p.title.clone())
        });
        let url = target.map(|t| t.href).or_else(|| {
            page.front
                .parent
                .as_ref()
                .and(derived.site.elements_url.clone())
        })?;
        Some((label.unwrap_or_else(|| "Back".to_string()), url))
    }

    /// Writes everything but the pages. Returns the number of files copied.
    pub(crate) fn write_files(
        &self,
        out: &OutputDir,
        renderer: &Renderer,
        derived: &Derived,
        highlighter: &Highlighter,
    ) -> Result<usize> {
        let files: Vec<(String, FileOrigin)> = self.output_files().into_iter().collect();
        let results: Vec<Result<bool>> = files
            .par_iter()
            .map(|(path, origin)| match origin {
                FileOrigin::Generated => {
                    if let Some(text) = self.generated(path, renderer, derived, highlighter) {
                        out.write(path, text.as_bytes())?;
                    }
                    Ok(false)
                }
                FileOrigin::Redirect(_) => self.write_file(out, path, origin).map(|_| false),
                _ => self.write_file(out, path, origin).map(|_| true),
            })
            .collect();
        let mut copied = 0;
        for result in results {
            if result? {
                copied += 1;
            }
        }
        Ok(copied)
    }

    /// Copies one file that is not generated into the output.
    pub(crate) fn write_file(
        &self,
        out: &OutputDir,
        path: &str,
        origin: &FileOrigin,
    ) -> Result<Written> {
        match origin {
            FileOrigin::Content => out.copy(path, &self.config.content_dir().join(path)),
            FileOrigin::Static => out.copy(path, &self.config.static_dir().join(path)),
            FileOrigin::Theme(file) => match file.disk_path() {
                Some(disk) => out.copy(path, disk),
                None => out.write(path, &file.bytes()?),
            },
            FileOrigin::Redirect(redirect) => out.write(
                path,
                crate::redirect::html(redirect, &self.config).as_bytes(),
            ),
            // Generated files depend on the whole site; the callers write them.
            FileOrigin::Generated => Ok(Written::Unchanged),
        }
    }

    /// The content of a generated file; `None` when there is nothing to write.
    pub(crate) fn generated(
        &self,
        path: &str,
        renderer: &Renderer,
        derived: &Derived,
        highlighter: &Highlighter,
    ) -> Option<String> {
        match path {
            HIGHLIGHT_CSS => Some(highlighter.stylesheet()),
            ELEMENTS_NAV => Some(elements_nav_json(&derived.summaries)),
            SITEMAP => self.sitemap(),
            ROBOTS => Some(self.robots()),
            SEARCH_INDEX => Some(self.search_index()),
            NOT_FOUND => self.not_found_page(renderer, derived),
            _ => None,
        }
    }

    /// Every published page with an absolute URL, sorted; without `base_url` there is none.
    fn sitemap(&self) -> Option<String> {
        self.config.base_url.as_ref()?;
        let mut urls: Vec<String> = self
            .published()
            .filter(|p| p.front.sitemap && !p.front.draft)
            .filter_map(|p| self.config.absolute_url(&p.url))
            .collect();
        urls.sort();
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for url in urls {
            xml.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                crate::highlight::escape(&url)
            ));
        }
        xml.push_str("</urlset>\n");
        Some(xml)
    }

    /// The search index of the published pages (`search.rs`).
    fn search_index(&self) -> String {
        let entries: Vec<String> = self.published().map(|p| self.search_entry(p)).collect();
        crate::search::join(entries.iter().map(String::as_str))
    }

    /// A page's entry in the search index, with its element's heading.
    pub(crate) fn search_entry(&self, page: &Page) -> String {
        let element = self
            .nav
            .element_of(&page.source)
            .map(|e| e.heading.as_str());
        let element = element.or(page.front.heading.as_deref());
        crate::search::entry_json(page, element, &self.config.base_path)
    }

    fn robots(&self) -> String {
        let mut robots = String::from("User-agent: *\nAllow: /\n");
        if let Some(sitemap) = self.config.absolute_url(&format!("/{SITEMAP}")) {
            robots.push_str(&format!("Sitemap: {sitemap}\n"));
        }
        robots
    }

    fn not_found_page(&self, renderer: &Renderer, derived: &Derived) -> Option<String> {
        let extra = serde_json::Map::new();
        let url = format!("{}/{NOT_FOUND}", self.config.base_path);
        let context = PageContext {
            page: PageView {
                title: "Page not found",
                seo: format!("Page not found | {}", self.config.title),
                description: None,
                heading: None,
                layout: "404",
                permalink: self
                    .config
                    .absolute_url(&format!("/{NOT_FOUND}"))
                    .unwrap_or_else(|| url.clone()),
                url,
                source: String::new(),
                element_id: None,
                order: None,
                draft: false,
                content: String::new(),
                extra: &extra,
            },
            element: None,
            nav: NavView::default(),
            breadcrumbs: vec![nav::Crumb {
                label: "Home".into(),
                url: Some(derived.site.home_url.clone()),
            }],
            toc: Vec::new(),
        };
        renderer.render("404", &context, NOT_FOUND).ok()
    }
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

/// What checking one page found: the URL each link becomes, its problems, and what it depends
/// on (so an incremental rebuild knows when to check it again).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PageCheck {
    pub hrefs: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Pages (sources) and files (site paths) its links resolved to.
    pub targets: BTreeSet<String>,
    /// Lowercased names of its `[[title]]` links.
    pub titles: BTreeSet<String>,
    /// Whether any link is broken (it may resolve once pages are added).
    pub broken: bool,
}

/// The warning for a link written with a page's old address (its `redirect_from`): the link
/// goes straight to the page, but the source should say so.
fn redirect_link_warning(
    file: &str,
    page: &Page,
    link: &crate::markdown::Link,
    old: &str,
    resolved: &links::Resolved,
) -> Diagnostic {
    let source = resolved.page.as_deref().unwrap_or_default();
    let written = match link.dest.split(['?', '#']).next() {
        Some(path) if path == old => format!("link \"{}\"", link.dest),
        _ => format!("link \"{}\" ({old})", link.dest),
    };
    Diagnostic::warning(
        "redirect-link",
        file,
        format!("{written} is an old address (redirect_from) of content/{source}"),
    )
    .at(link.line, link.column)
    .with_suggestion(Some(format!(
        "@/{source}{}",
        links::fragment_of(&link.dest)
    )))
    .with_source(&page.text, link.len as usize)
}

/// The diagnostic for a link that does not resolve.
fn link_diagnostic(
    file: &str,
    page: &Page,
    link: &crate::markdown::Link,
    failure: links::Broken,
    severity: Severity,
) -> Diagnostic {
    let mut d =
        Diagnostic::error("broken-link", file, failure.message).with_suggestion(failure.suggestion);
    d.severity = severity;
    if link.kind != LinkKind::Title && !link.text.is_empty() {
        let what = if link.kind == LinkKind::Image {
            "alt text"
        } else {
            "link text"
        };
        d = d.with_note(format!("{what}: \"{}\"", link.text));
    }
    d.notes.extend(failure.notes);
    // In the page, or in the include that holds the link.
    link.place(d, &page.text)
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

/// Values computed once per build from the whole site and shared by every page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Derived {
    pub site: SiteContext,
    pub summaries: Vec<ElementSummary>,
    /// Element folder → its URL and logo URL (with the base path).
    pub elements: HashMap<String, ElementUrls>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ElementUrls {
    url: String,
    logo: Option<String>,
}

impl Derived {
    pub(crate) fn new(site: &Site, diagnostics: &mut Vec<Diagnostic>) -> Derived {
        let config = &site.config;
        let base = &config.base_path;
        let mut elements = HashMap::new();
        let mut summaries = Vec::new();
        for element in &site.nav.elements {
            let logo = element.logo.as_ref().and_then(|logo| {
                let overview = element.overview.as_ref()?;
                match site.index.resolve(overview, LinkKind::Image, logo) {
                    Ok(resolved) => Some(resolved.href),
                    Err(broken) => {
                        let page = site.pages.iter().find(|p| &p.source == overview)?;
                        diagnostics.push(
                            Diagnostic::error(
                                "broken-link",
                                page.file(),
                                format!("`logo`: {}", broken.message),
                            )
                            .at(page.front.line_of("logo"), 1)
                            .with_suggestion(broken.suggestion)
                            .with_source(&page.text, 4),
                        );
                        None
                    }
                }
            });
            let url = format!("{base}{}", element.url());
            summaries.push(ElementSummary {
                heading: element.heading.clone(),
                element_id: element.element_id.clone(),
                key: element.key.clone(),
                url: url.clone(),
                logo: logo.clone(),
                description: element.description.clone(),
                guide_count: element.guides.len(),
            });
            elements.insert(element.dir.clone(), ElementUrls { url, logo });
        }
        if let Some(configured) = &config.elements_index
            && site.elements_index.is_none()
        {
            diagnostics.push(Diagnostic::error(
                "config",
                crate::config::CONFIG_FILE,
                format!("elements_index \"{configured}\" is not a page below content/"),
            ));
        }
        let elements_index = site.elements_index.clone();
        let home = if site.index.page("index.md").is_some() {
            "/".to_string()
        } else {
            elements_index
                .as_ref()
                .map_or_else(|| "/".to_string(), |s| links::url_for_source(s))
        };
        Derived {
            site: SiteContext {
                title: config.title.clone(),
                base_url: config.base_url.clone(),
                base_path: base.clone(),
                home_url: format!("{base}{home}"),
                elements_url: elements_index
                    .map(|s| format!("{base}{}", links::url_for_source(&s))),
                elements_nav_url: format!("{base}/{ELEMENTS_NAV}"),
                extra: config.extra.clone(),
                generator: format!("docgen {}", env!("CARGO_PKG_VERSION")),
            },
            summaries,
            elements,
        }
    }
}

/// The page listing all elements: `elements_index` in docgen.toml, else the page using the
/// `elements` layout, else the page most guides' `breadcrumbs` point to.
pub(crate) fn find_elements_index(site: &Site) -> Option<String> {
    if let Some(configured) = &site.config.elements_index {
        let source = configured.trim_start_matches("@/").trim_start_matches('/');
        return site.index.page(source).map(|_| source.to_string());
    }
    let published: Vec<&Page> = site.published().collect();
    if let Some(page) = published.iter().find(|p| p.layout() == "elements") {
        return Some(page.source.clone());
    }
    // Count each distinct breadcrumbs value once per folder it is written from (it resolves
    // the same for every page there): thousands of guides share a handful of values.
    let mut written: BTreeMap<(&str, &str), (usize, &str)> = BTreeMap::new();
    for page in published
        .iter()
        .filter(|p| site.nav.element_of(&p.source).is_some())
    {
        if let Some(target) = &page.front.breadcrumbs {
            let from = if target.starts_with('/') {
                ""
            } else {
                page.dir()
            };
            written.entry((from, target)).or_insert((0, &page.source)).0 += 1;
        }
    }
    let mut targets: BTreeMap<String, usize> = BTreeMap::new();
    for ((_, target), (count, page)) in written {
        if let Ok(resolved) = site.index.resolve(page, LinkKind::Link, target)
            && let Some(source) = resolved.page
        {
            *targets.entry(source).or_default() += count;
        }
    }
    targets
        .into_iter()
        .max_by(|(a, n), (b, m)| n.cmp(m).then_with(|| b.cmp(a)))
        .map(|(source, _)| source)
}

#[derive(Serialize)]
struct NavEntry<'a> {
    heading: &'a str,
    url: &'a str,
    key: &'a str,
}

/// The shared list of all elements, written once instead of into every page.
fn elements_nav_json(summaries: &[ElementSummary]) -> String {
    let entries: Vec<NavEntry> = summaries
        .iter()
        .map(|s| NavEntry {
            heading: &s.heading,
            url: &s.url,
            key: &s.key,
        })
        .collect();
    serde_json::to_string(&entries).expect("plain data serializes")
}

/// Whether a diagnostic fails the build.
pub fn fails(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

impl From<Error> for BuildReport {
    fn from(_: Error) -> Self {
        BuildReport::default()
    }
}

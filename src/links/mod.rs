//! Index and check stages: `LinkIndex` knows every page (by source path, URL, title and file stem)
//! and every file of the site, and resolves a link as written to the URL it must become — or
//! explains why it is broken and suggests the nearest thing that exists. Pure: no I/O, and pages
//! can be inserted and removed one at a time, so `serve` keeps one index across rebuilds.

use std::collections::{BTreeSet, HashMap, HashSet};

mod nearest;
mod paths;
mod resolve;
mod suggestions;

use paths::*;
pub use paths::{
    encode_path, fragment_of, is_external, join_clamped, output_file_for_url, percent_decode,
    relative_path, url_dir, url_for_source,
};
use suggestions::Suggestions;

/// What the index knows about one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedPage {
    /// Path below `content/`, e.g. `elements/gotowebinar/events.md`.
    pub source: String,
    pub title: String,
    /// The element folder the page belongs to, if any.
    pub element: Option<String>,
    pub anchors: HashSet<String>,
    /// The front matter that keeps it out of the site (`draft: true`, `published: false`),
    /// or `None` when it is published.
    pub draft: Option<&'static str>,
}

/// Where a resolved link goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The URL to write into the page.
    pub href: String,
    /// The page it names (its source path); `None` for files and external links.
    pub page: Option<String>,
    /// The old site path the link was written with, when that is a redirect (`redirect_from`)
    /// of `page`: the link goes straight to the page, and the writer should update it.
    pub redirect: Option<String>,
}

impl Resolved {
    /// What the link depends on: the page's source, or the URL it points to.
    pub fn target(&self) -> &str {
        self.page.as_deref().unwrap_or(&self.href)
    }
}

/// Why a link is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub message: String,
    /// The nearest existing target, written the way the link was.
    pub suggestion: Option<String>,
    pub notes: Vec<String>,
}

impl Broken {
    fn new(message: String) -> Self {
        Broken {
            message,
            suggestion: None,
            notes: Vec::new(),
        }
    }

    fn suggest(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }
}

#[derive(Debug, Default, Clone)]
pub struct LinkIndex {
    base_path: String,
    /// The base path links may be written with besides `base_path` (docgen.toml's, when a
    /// preview or `--base-url` publishes elsewhere), or empty.
    written_base_path: String,
    drafts_built: bool,
    pages: HashMap<String, IndexedPage>,
    /// Site path (`/a/b.html`, `/a/` and `/a/index.html` for an index page) → source.
    by_url: HashMap<String, String>,
    /// Lowercased title → sources.
    by_title: HashMap<String, BTreeSet<String>>,
    /// File stem (`events`) → sources.
    by_stem: HashMap<String, BTreeSet<String>>,
    /// URL folder (`/a/`) → sources of the pages in it.
    by_dir: HashMap<String, BTreeSet<String>>,
    /// Site paths of every copied file (static files, content assets).
    files: BTreeSet<String>,
    /// Old site paths of pages (`redirect_from`) → their sources.
    redirects: HashMap<String, String>,
    /// Ids that the site's templates write as literals (`<main id="main">`).
    template_anchors: HashSet<String>,
    /// Suggestions asked so far; replaced by an empty memo whenever the index changes.
    suggestions: Suggestions,
}

/// Two indexes are equal when they hold the same pages, files, redirects and anchors: the
/// suggestion memo is left out (it is only a cache). Lets the incremental index stage be
/// compared with a fresh one.
impl PartialEq for LinkIndex {
    fn eq(&self, other: &LinkIndex) -> bool {
        // Destructured, so a new field does not compile until it is compared (or left out).
        let LinkIndex {
            base_path,
            written_base_path,
            drafts_built,
            pages,
            by_url,
            by_title,
            by_stem,
            by_dir,
            files,
            redirects,
            template_anchors,
            suggestions: _,
        } = self;
        *base_path == other.base_path
            && *written_base_path == other.written_base_path
            && *drafts_built == other.drafts_built
            && *pages == other.pages
            && *by_url == other.by_url
            && *by_title == other.by_title
            && *by_stem == other.by_stem
            && *by_dir == other.by_dir
            && *files == other.files
            && *redirects == other.redirects
            && *template_anchors == other.template_anchors
    }
}

impl LinkIndex {
    /// An empty index for a site published under `base_path` (`""` or `/docs`).
    pub fn new(base_path: &str, drafts_built: bool) -> Self {
        LinkIndex {
            base_path: base_path.to_string(),
            drafts_built,
            ..LinkIndex::default()
        }
    }

    /// The index of a site whose links may also be written with `written_base_path` (the
    /// base path of docgen.toml, when `--base-url` or the preview server publish the site
    /// under another): such a link resolves as it does in the published build.
    pub fn written_under(mut self, written_base_path: &str) -> Self {
        if written_base_path != self.base_path {
            self.written_base_path = written_base_path.to_string();
        }
        self
    }

    pub fn insert_page(&mut self, page: IndexedPage) {
        self.suggestions = Suggestions::default();
        self.remove_page(&page.source.clone());
        let url = url_for_source(&page.source);
        for alias in url_aliases(&url) {
            self.by_url.insert(alias, page.source.clone());
        }
        self.by_title
            .entry(page.title.to_lowercase())
            .or_default()
            .insert(page.source.clone());
        self.by_stem
            .entry(stem(&page.source).to_string())
            .or_default()
            .insert(page.source.clone());
        self.by_dir
            .entry(url_dir(&url).to_string())
            .or_default()
            .insert(page.source.clone());
        self.pages.insert(page.source.clone(), page);
    }

    pub fn remove_page(&mut self, source: &str) -> Option<IndexedPage> {
        self.suggestions = Suggestions::default();
        let page = self.pages.remove(source)?;
        let url = url_for_source(source);
        for alias in url_aliases(&url) {
            if self.by_url.get(&alias).is_some_and(|s| s == source) {
                self.by_url.remove(&alias);
            }
        }
        remove_from(&mut self.by_title, &page.title.to_lowercase(), source);
        remove_from(&mut self.by_stem, stem(source), source);
        remove_from(&mut self.by_dir, url_dir(&url), source);
        Some(page)
    }

    /// Registers a file the site serves at `site_path` (`/img/x.png`).
    pub fn insert_file(&mut self, site_path: String) {
        self.suggestions = Suggestions::default();
        self.files.insert(site_path);
    }

    /// Registers `site_path` (`/old.html`, `/old/`) as an old address of the page `source`.
    pub fn insert_redirect(&mut self, site_path: String, source: String) {
        self.suggestions = Suggestions::default();
        self.redirects.insert(site_path, source);
    }

    /// Sets the ids the templates write into pages (they count as anchors of every page).
    pub fn set_template_anchors(&mut self, anchors: HashSet<String>) {
        self.suggestions = Suggestions::default();
        self.template_anchors = anchors;
    }

    /// Forgets every redirect (before registering the current ones again).
    pub fn clear_redirects(&mut self) {
        self.suggestions = Suggestions::default();
        self.redirects.clear();
    }

    pub fn remove_file(&mut self, site_path: &str) {
        self.suggestions = Suggestions::default();
        self.files.remove(site_path);
    }

    pub fn page(&self, source: &str) -> Option<&IndexedPage> {
        self.pages.get(source)
    }

    /// The source of the page served at a site path, if any.
    pub fn page_at(&self, site_path: &str) -> Option<&str> {
        self.by_url.get(site_path).map(String::as_str)
    }
}

fn remove_from(map: &mut HashMap<String, BTreeSet<String>>, key: &str, source: &str) {
    if let Some(set) = map.get_mut(key) {
        set.remove(source);
        if set.is_empty() {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests;

//! Dependency rules of incremental rebuilds, pure: which parts of the built site a `Change`
//! invalidates. The engine (`session`) asks these functions and does the work; nothing here
//! reads the disk or the site.
//!
//! The rules are written by destructuring `FrontMatter` and `Page` without `..` and by
//! matching every `Change`, so a new front-matter field (or page field, or change kind) does
//! not compile until its effect on other pages is decided here.

use crate::change::Change;
use crate::front_matter::FrontMatter;
use crate::page::Page;

/// How far a change reaches before its details are looked at; ordered, so the furthest of a
/// batch is its `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// A file of the site's content: only what depends on it is rebuilt (see `page` and
    /// `file`).
    Content,
    /// The templates or the theme: they are loaded again and every page is rendered again.
    Theme,
    /// `docgen.toml`: the site is loaded again and everything is rebuilt.
    Site,
}

/// How far `change` reaches. `reloads`: the site's listing must be made again for it — an
/// `.html` file of `content/` that is or was a page (a page by its first line, which an edit can
/// change), or a path through a symlink (followed only inside the site, which the listing
/// decides).
pub fn reach(change: &Change, reloads: bool) -> Reach {
    match change {
        Change::Config => Reach::Site,
        Change::Theme => Reach::Theme,
        Change::Page(_) | Change::ContentFile(_) | Change::StaticFile(_) if reloads => Reach::Site,
        Change::Page(_)
        | Change::ContentFile(_)
        | Change::StaticFile(_)
        | Change::Templating(_) => Reach::Content,
    }
}

/// How far a batch of changes reaches: its furthest change's reach — but a theme change
/// re-renders the pages as loaded, so mixed with other changes the site is loaded again too.
pub fn batch(reaches: &[Reach]) -> Reach {
    match reaches.iter().copied().max() {
        Some(Reach::Theme) if reaches.len() > 1 => Reach::Site,
        furthest => furthest.unwrap_or(Reach::Content),
    }
}

/// What a change to one page invalidates besides parsing it again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Effects {
    /// The page's own output and check (always, for an edited page that still exists).
    pub own: bool,
    /// The navigation of the page's folder: its element's sidebar (every guide of the
    /// element), or for a page outside elements its top section's sidebar, and the site data
    /// derived from all elements (the header on every page, the pages listing elements).
    pub navigation: bool,
    /// What links to the page can resolve to (its title, draft state, anchors): the pages
    /// linking to it, by path or `[[title]]`, and those with broken links are checked again.
    pub linking_pages: bool,
    /// The plan of output files: which files the site has (collisions, the generated home
    /// page), and `sitemap.xml`.
    pub file_plan: bool,
    /// The page's search index entry.
    pub search: bool,
    /// The redirect pages of `redirect_from`.
    pub redirects: bool,
    /// What decides which page is the elements index.
    pub elements_index: bool,
}

impl Effects {
    /// A page that appeared or disappeared: everything that lists, links or counts pages.
    /// The redirect plan is among them whether or not the page has `redirect_from`: a
    /// redirect never replaces a page, so a page coming or going frees or takes the output
    /// file another page's `redirect_from` claims.
    fn presence() -> Effects {
        Effects {
            own: true,
            navigation: true,
            linking_pages: true,
            file_plan: true,
            search: true,
            redirects: true,
            elements_index: true,
        }
    }
}

impl std::ops::BitOrAssign for Effects {
    fn bitor_assign(&mut self, other: Effects) {
        let Effects {
            own,
            navigation,
            linking_pages,
            file_plan,
            search,
            redirects,
            elements_index,
        } = other;
        self.own |= own;
        self.navigation |= navigation;
        self.linking_pages |= linking_pages;
        self.file_plan |= file_plan;
        self.search |= search;
        self.redirects |= redirects;
        self.elements_index |= elements_index;
    }
}

/// What changing a page from `old` to `new` invalidates (`None`: the page does not exist).
pub fn page(old: Option<&Page>, new: Option<&Page>) -> Effects {
    match (old, new) {
        (None, None) => Effects::default(),
        (Some(_), None) | (None, Some(_)) => Effects::presence(),
        (Some(old), Some(new)) => edited(old, new),
    }
}

/// Both versions of an edited page, field by field.
fn edited(old: &Page, new: &Page) -> Effects {
    let Page {
        source,
        // Made from `source`.
        url: _,
        text,
        body_offset,
        expanded,
        front,
        doc,
        title,
        // Read from the page each time they are reported.
        diagnostics: _,
        // Read from the pages each time an include or data file changes
        // (`templating::pages_to_rebuild`).
        dependencies: _,
    } = old;
    debug_assert_eq!(source, &new.source, "a change is to one page");
    // Every edit is checked and rendered again (it is cheap, and a touched file is a request).
    let mut effects = Effects {
        own: true,
        ..Effects::default()
    };
    let has_redirects = !front.redirect_from.is_empty() || !new.front.redirect_from.is_empty();
    if title != &new.title {
        // Sidebars and the section lists show it, `[[title]]` links find it by it, its search
        // entry weighs it, and its redirect pages name it.
        effects.navigation = true;
        effects.linking_pages = true;
        effects.search = true;
        effects.redirects |= has_redirects;
    }
    // The file's text (front matter included) is quoted by the page's own diagnostics; its
    // body, expanded, is what search reads (what links see of it is its anchors, below).
    let body = |text: &str, expanded: &Option<String>, at: usize| {
        expanded
            .as_deref()
            .unwrap_or(text)
            .get(at..)
            .map(str::to_string)
    };
    if body(text, expanded, *body_offset) != body(&new.text, &new.expanded, new.body_offset) {
        effects.search = true;
    }
    if anchors(old) != anchors(new) {
        // A `#fragment` link to it may break or resolve.
        effects.linking_pages = true;
    }
    if doc.headings != new.doc.headings {
        effects.search = true;
    }
    effects |= front_matter(front, &new.front, has_redirects);
    effects
}

/// The ids a link's fragment can name, sorted.
fn anchors(page: &Page) -> Vec<&str> {
    let mut ids: Vec<&str> = page.doc.anchor_ids().collect();
    ids.sort_unstable();
    ids
}

/// What a change of front matter from `old` to `new` invalidates besides the page itself.
/// `has_redirects`: the page has redirect pages before or after.
fn front_matter(old: &FrontMatter, new: &FrontMatter, has_redirects: bool) -> Effects {
    let FrontMatter {
        heading,
        // Only the page itself shows these: `<title>`, the parent crumb's label, the template
        // context and whether its body is expanded.
        seo: _,
        parent: _,
        extra: _,
        templating: _,
        // Where its keys are: its own diagnostics point there, and so do two the site makes
        // (below).
        lines,
        // Read through `Page::title` (see `edited`).
        title: _,
        // `published: false` sets `draft`, whose change is what matters (below).
        unpublished: _,
        description,
        layout,
        breadcrumbs,
        element_id,
        order,
        sitemap,
        search,
        draft,
        logo,
        redirect_from,
    } = old;
    let mut effects = Effects::default();
    if heading != &new.heading || element_id != &new.element_id || order != &new.order {
        // The element's name, id and the guides' order: its sidebar and the element list;
        // the heading is searched in every guide's entry.
        effects.navigation = true;
        effects.search |= heading != &new.heading;
    }
    if description != &new.description || logo != &new.logo {
        // An element's overview gives the element list its description and logo.
        effects.navigation = true;
    }
    if layout != &new.layout {
        // The `elements` layout marks the elements index, and pages listing elements re-render
        // when the list changes.
        effects.navigation = true;
        effects.elements_index = true;
    }
    if breadcrumbs != &new.breadcrumbs {
        // The elements index can be the page most guides' `breadcrumbs` point to.
        effects.navigation = true;
        effects.elements_index = true;
    }
    if sitemap != &new.sitemap {
        effects.file_plan = true;
    }
    if search != &new.search {
        effects.search = true;
    }
    if redirect_from != &new.redirect_from {
        effects.redirects = true;
        effects.file_plan = true;
    }
    if draft != &new.draft {
        // A draft is not built: like a page that appears or disappears.
        effects |= Effects::presence();
    }
    let moved = |key: &str| lines.get(key) != new.lines.get(key);
    if has_redirects && moved("redirect_from") {
        // A redirect's warnings (an address taken, a path without `/`) quote its line.
        effects.redirects = true;
    }
    if ["heading", "elementId"].into_iter().any(moved) {
        // The element's consistency warnings (`elementId: 1743` differs …) quote these lines.
        effects.navigation = true;
    }
    effects
}

/// What a change to a file that is not a page (below `content/` or `static/`) invalidates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileEffects {
    /// The file came or went: the output file plan, and the links to it (pages linking below
    /// its path, and those with broken links) are checked again.
    pub presence: bool,
    /// An image's size is read when pages render: the pages showing it re-render.
    pub image_pages: bool,
    /// The redirect plan: a redirect never replaces a file, so one coming or going frees or
    /// takes the output file of a page's `redirect_from`.
    pub redirects: bool,
}

/// What a change to the file `path` does; `existed` and `exists` say whether the site had it
/// before and has it now.
pub fn file(path: &str, existed: bool, exists: bool) -> FileEffects {
    FileEffects {
        presence: existed != exists,
        image_pages: crate::images::is_image(path),
        redirects: existed != exists,
    }
}

/// What a batch of changes does through content templating (`include`, `site.data`,
/// `include_relative`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Templated {
    /// The changes to apply, with those to includes, data files and partials replaced by the
    /// pages to parse again: those that used the file, or asked for it and did not find it
    /// (`Page::dependencies`). An edited page stays, and the pages that include its text
    /// (`include_relative`) join it.
    pub changes: std::collections::BTreeSet<Change>,
    /// Whether templating is loaded again before the pages are parsed: its includes are read
    /// once per load.
    pub reload: bool,
}

/// The changes of a batch as content templating sees them, over the loaded `pages`.
pub fn templating(batch: &[Change], pages: &[Page]) -> Templated {
    let mut files = Vec::new();
    let mut changes = std::collections::BTreeSet::new();
    for change in batch {
        match change {
            Change::Templating(path) => files.push(path.clone()),
            Change::Page(path) | Change::ContentFile(path) if crate::source::is_partial(path) => {
                files.push(crate::page::display_path(path));
            }
            Change::Page(path) => {
                files.push(crate::page::display_path(path));
                changes.insert(change.clone());
            }
            Change::ContentFile(_) | Change::StaticFile(_) | Change::Theme | Change::Config => {
                changes.insert(change.clone());
            }
        }
    }
    let mut dependents = std::collections::BTreeSet::new();
    for file in &files {
        dependents.extend(crate::templating::pages_to_rebuild(pages, file));
    }
    let reload = batch.iter().any(|c| matches!(c, Change::Templating(_)))
        || !dependents.is_empty()
        || files.iter().any(|p| p.contains("/includes/"));
    changes.extend(dependents.into_iter().map(Change::Page));
    Templated { changes, reload }
}

#[cfg(test)]
mod tests;

//! Index stage: `Indexed`, a `Loaded` site with its pages grouped into elements and sections
//! (`Navigation`), every page and file indexed for links (`LinkIndex`), the redirect pages'
//! old addresses registered, the elements index page found and the output collisions listed.
//! The incremental step changes it only through `apply.rs`, which keeps all of that
//! consistent with the pages and files.

use std::time::Instant;

use super::{FileOrigin, Loaded, find_elements_index};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::links::LinkIndex;
use crate::nav::Navigation;

mod apply;
mod navigation;
#[cfg(test)]
mod tests;

pub(crate) use apply::{Reindexed, Slot};

/// The index stage's value: the loaded site (read through `Deref`) and what indexing found.
///
/// There is no `DerefMut`: the loaded pages and files change only through `Indexed`'s own
/// methods, which update the index, the navigation and the collisions with them.
pub struct Indexed {
    loaded: Loaded,
    nav: Navigation,
    index: LinkIndex,
    /// Source of the page listing all elements (see `find_elements_index`).
    elements_index: Option<String>,
    /// Output files claimed by two sources, bad redirects (`Loaded::collisions`).
    collisions: Vec<Diagnostic>,
}

impl std::ops::Deref for Indexed {
    type Target = Loaded;

    fn deref(&self) -> &Loaded {
        &self.loaded
    }
}

impl Indexed {
    /// Loads and parses every page, then indexes the site.
    pub fn load(config: Config) -> Result<Indexed> {
        Ok(Indexed::new(Loaded::load(config)?))
    }

    /// The index stage: groups the loaded pages into elements (`Navigation`), indexes every
    /// page and file (`LinkIndex`), registers the redirect pages and finds the elements index.
    pub fn new(loaded: Loaded) -> Indexed {
        let started = Instant::now();
        let config = loaded.config();
        let nav = Navigation::build(loaded.pages(), config.drafts);
        let mut index = LinkIndex::new(&config.base_path, config.drafts)
            .written_under(&config.written_base_path);
        for page in loaded.pages() {
            index.insert_page(page.indexed(nav.element_dir(&page.source)));
        }
        index.set_template_anchors(crate::output_links::template_anchors(
            &loaded.theme().templates,
        ));
        // The files besides the pages, and the old addresses of `redirect_from`, are link
        // targets too.
        let mut files = Vec::new();
        for (path, origin) in loaded.output_files() {
            if let FileOrigin::Redirect(redirect) = origin {
                redirect.register(&mut index);
            } else if links_as_file(&index, path, origin) {
                files.push(format!("/{path}"));
            }
        }
        for file in files {
            index.insert_file(file);
        }
        let collisions = loaded.collisions();
        // Finding the elements index reads the indexed site; nothing sees it before.
        let mut site = Indexed {
            loaded,
            nav,
            index,
            elements_index: None,
            collisions,
        };
        site.elements_index = find_elements_index(&site);
        site.loaded.add_timing("index", started.elapsed());
        site
    }

    pub fn nav(&self) -> &Navigation {
        &self.nav
    }

    pub fn link_index(&self) -> &LinkIndex {
        &self.index
    }

    /// Source of the page listing all elements, if the site has one.
    pub(crate) fn elements_index(&self) -> Option<&str> {
        self.elements_index.as_deref()
    }

    /// The problems loading and indexing found, each list in the order it was made: the
    /// pages', the navigation's, content templating's, the listing's, the theme's and the
    /// collisions.
    pub(crate) fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> + '_ {
        self.pages()
            .iter()
            .flat_map(|p| p.diagnostics.iter())
            .chain(self.nav.diagnostics())
            .chain(
                self.templating()
                    .into_iter()
                    .flat_map(|t| t.diagnostics.iter()),
            )
            .chain(self.listing().iter())
            .chain(self.theme().diagnostics.iter())
            .chain(self.collisions.iter())
    }

    /// Loads the theme again; the template anchors (ids the layouts give every page) with it.
    pub(crate) fn reload_theme(&mut self) -> Result<()> {
        self.loaded.reload_theme()?;
        self.index
            .set_template_anchors(crate::output_links::template_anchors(
                &self.loaded.theme().templates,
            ));
        Ok(())
    }
}

/// Whether the output file `path`, written by `origin`, is a file links can point to: not a
/// redirect page (links through it are resolved by its old address) and not a page's file.
fn links_as_file(index: &LinkIndex, path: &str, origin: &FileOrigin) -> bool {
    !matches!(origin, FileOrigin::Redirect(_))
        && (!path.ends_with(".html") || index.page_at(&format!("/{path}")).is_none())
}

//! Check stage's value: `Checked`, every published page's `PageCheck` (the URL each link
//! becomes, its problems, what it depends on), made from the indexed site and the templates,
//! and the questions an incremental step asks of it (which pages link where).

use std::collections::{BTreeSet, HashMap};

use rayon::prelude::*;

use crate::build::{Indexed, PageCheck};
use crate::diagnostic::Diagnostic;
use crate::markdown::ResolvedLinks;
use crate::page::Page;
use crate::render::Renderer;

/// Every published page's check, by source.
pub(crate) struct Checked {
    pages: HashMap<String, PageCheck>,
}

impl Checked {
    /// The check stage: checks every published page of `site`, in parallel.
    pub(crate) fn new(site: &Indexed, renderer: &Renderer) -> Checked {
        let mut checked = Checked {
            pages: HashMap::new(),
        };
        let sources: Vec<String> = site.published().map(|p| p.source.clone()).collect();
        checked.check(site, renderer, &sources);
        checked
    }

    /// Checks the given published pages again (in parallel); others are skipped.
    pub(crate) fn check(&mut self, site: &Indexed, renderer: &Renderer, sources: &[String]) {
        let pages: Vec<&Page> = sources
            .iter()
            .filter_map(|s| site.page(s))
            .filter(|page| site.is_published(&page.source))
            .collect();
        let checks: Vec<(String, PageCheck)> = pages
            .par_iter()
            .map(|page| (page.source.clone(), site.check_page(page, renderer)))
            .collect();
        self.pages.extend(checks);
    }

    /// Checks the page `source` again; returns whether its check differs from the one kept
    /// (so it renders differently and is to be rendered again).
    pub(crate) fn check_changed(&self, site: &Indexed, renderer: &Renderer, source: &str) -> bool {
        let Some(page) = site.page(source) else {
            return false;
        };
        let check = site.check_page(page, renderer);
        self.pages.get(source) != Some(&check)
    }

    /// Forgets the check of a page that is gone or no longer published.
    pub(crate) fn remove(&mut self, source: &str) {
        self.pages.remove(source);
    }

    pub(crate) fn get(&self, source: &str) -> Option<&PageCheck> {
        self.pages.get(source)
    }

    /// The URL each link of the page `source` became.
    pub(crate) fn hrefs(&self, source: &str) -> Option<&ResolvedLinks> {
        self.pages.get(source).map(|c| &c.hrefs)
    }

    /// Every page's problems (in no particular order; `Engine::diagnostics` sorts).
    pub(crate) fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> + '_ {
        self.pages.values().flat_map(|c| c.diagnostics.iter())
    }

    /// The pages with a link target (a source, or a site path with its anchor) that `matches`.
    pub(crate) fn targeting(&self, matches: impl Fn(&str) -> bool) -> BTreeSet<String> {
        self.pages
            .iter()
            .filter(|(_, c)| c.targets.iter().any(|t| matches(t)))
            .map(|(s, _)| s.clone())
            .collect()
    }

    /// The pages linking by one of `names` (`[[title]]` links, lower case).
    pub(crate) fn naming<'a>(
        &'a self,
        names: &'a BTreeSet<String>,
    ) -> impl Iterator<Item = String> + 'a {
        self.pages
            .iter()
            .filter(|(_, c)| !c.titles.is_disjoint(names))
            .map(|(s, _)| s.clone())
    }

    /// The pages with a broken link, which another page or file may now resolve.
    pub(crate) fn broken(&self) -> impl Iterator<Item = String> + '_ {
        self.pages
            .iter()
            .filter(|(_, c)| c.broken)
            .map(|(s, _)| s.clone())
    }

    /// The pages with a link written with an old address (`redirect_from`) of a page.
    pub(crate) fn redirected(&self) -> impl Iterator<Item = String> + '_ {
        self.pages
            .iter()
            .filter(|(_, c)| c.redirected)
            .map(|(s, _)| s.clone())
    }
}

//! Index stage: the site's navigation, computed once per build from all pages — which folders
//! are elements, each element's guides in sidebar order, previous/next, breadcrumbs — and the
//! warnings when an element's guides disagree. Pure: no I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::page::Page;
use crate::sections::Sections;

mod breadcrumbs;
#[cfg(test)]
mod tests;

pub use breadcrumbs::{Crumb, Trail, breadcrumbs};

/// A folder of guides about one API connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Folder name: `gotowebinar`.
    pub key: String,
    /// Folder below `content/`: `elements/gotowebinar`.
    pub dir: String,
    pub heading: String,
    pub element_id: Option<String>,
    /// Source of the Overview (`index.md`), if the element has one.
    pub overview: Option<String>,
    /// Sorted by `order` (pages without one last), then title.
    pub guides: Vec<Guide>,
    pub description: Option<String>,
    /// The `logo` front matter of the Overview, as written (relative to it).
    pub logo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guide {
    #[serde(skip)]
    pub source: String,
    pub title: String,
    /// Site path (without the base path).
    pub url: String,
    pub order: Option<i64>,
}

impl Element {
    /// Where the element's name links to: its Overview, else its first guide.
    pub fn url(&self) -> &str {
        let overview = self
            .overview
            .as_ref()
            .and_then(|o| self.guides.iter().find(|g| &g.source == o));
        overview.or(self.guides.first()).map_or("/", |g| &g.url)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Navigation {
    /// Sorted by heading (then folder).
    pub elements: Vec<Element>,
    /// Page source → (element index, position among its guides).
    positions: HashMap<String, (usize, usize)>,
    /// Warnings about each element folder's guides.
    warnings: BTreeMap<String, Vec<Diagnostic>>,
    /// The folders of pages outside elements (`sections.rs`).
    pub sections: Sections,
}

impl Navigation {
    /// Groups `pages` into elements. Drafts are left out unless `drafts` is set.
    pub fn build(pages: &[Page], drafts: bool) -> Navigation {
        let mut by_dir: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
        for page in pages.iter().filter(|p| drafts || !p.front.draft) {
            by_dir.entry(page.dir()).or_default().push(page);
        }
        let mut nav = Navigation::default();
        for (dir, pages) in by_dir {
            nav.set_element(dir, &pages);
        }
        nav.reorder();
        nav.sections = Sections::build(pages, &nav, drafts);
        nav
    }

    /// Recomputes the sections after pages changed (and `update_dir` ran for their folders).
    /// Returns the pages whose section navigation changed: every page of each top section
    /// that changed, before and after.
    pub fn update_sections(&mut self, pages: &[Page], drafts: bool) -> BTreeSet<String> {
        let new = Sections::build(pages, self, drafts);
        let mut affected = BTreeSet::new();
        for top in self.sections.changed_tops(&new) {
            affected.extend(self.sections.pages_of_top(&top).iter().cloned());
            affected.extend(new.pages_of_top(&top).iter().cloned());
        }
        self.sections = new;
        affected
    }

    /// Recomputes the element of folder `dir` from its published `pages` (after one of them
    /// changed), leaving the other elements as they are.
    pub fn update_dir(&mut self, dir: &str, pages: &[&Page]) {
        self.warnings.remove(dir);
        let at = self.elements.iter().position(|e| e.dir == dir);
        let new = self.compute(dir, pages);
        match (at, new) {
            (Some(i), Some(new)) if self.elements[i].heading == new.heading => {
                // Same heading, same place in the list: only this element's guides move.
                for guide in &self.elements[i].guides {
                    self.positions.remove(&guide.source);
                }
                for (g, guide) in new.guides.iter().enumerate() {
                    self.positions.insert(guide.source.clone(), (i, g));
                }
                self.elements[i] = new;
            }
            (at, new) => {
                if let Some(i) = at {
                    self.elements.remove(i);
                }
                self.elements.extend(new);
                self.reorder();
            }
        }
    }

    fn set_element(&mut self, dir: &str, pages: &[&Page]) {
        if let Some(element) = self.compute(dir, pages) {
            self.elements.push(element);
        }
    }

    /// The element of `dir`, if it is one, keeping the warnings about it.
    fn compute(&mut self, dir: &str, pages: &[&Page]) -> Option<Element> {
        if !is_element(dir, pages) {
            return None;
        }
        let mut warnings = Vec::new();
        let element = element(dir, pages, &mut warnings);
        if !warnings.is_empty() {
            self.warnings.insert(dir.to_string(), warnings);
        }
        Some(element)
    }

    /// Sorts the elements by heading and indexes every guide's position.
    fn reorder(&mut self) {
        self.elements
            .sort_by_cached_key(|e| (e.heading.to_lowercase(), e.dir.clone()));
        self.positions.clear();
        for (e, element) in self.elements.iter().enumerate() {
            for (g, guide) in element.guides.iter().enumerate() {
                self.positions.insert(guide.source.clone(), (e, g));
            }
        }
    }

    /// Warnings about elements whose guides disagree, by folder.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.warnings.values().flatten()
    }

    /// The element of folder `dir`, if it is one.
    pub fn element_at(&self, dir: &str) -> Option<&Element> {
        self.elements.iter().find(|e| e.dir == dir)
    }

    /// The element a page belongs to.
    pub fn element_of(&self, source: &str) -> Option<&Element> {
        self.positions.get(source).map(|&(e, _)| &self.elements[e])
    }

    /// The element folder of a page, for the link index.
    pub fn element_dir(&self, source: &str) -> Option<String> {
        self.element_of(source).map(|e| e.dir.clone())
    }

    /// The guides before and after a page in its element's order.
    pub fn prev_next(&self, source: &str) -> (Option<&Guide>, Option<&Guide>) {
        match self.positions.get(source) {
            Some(&(e, g)) => {
                let guides = &self.elements[e].guides;
                (g.checked_sub(1).map(|p| &guides[p]), guides.get(g + 1))
            }
            None => (None, None),
        }
    }
}

/// A folder is an element when any of its pages names one (`heading` or `elementId`); the
/// content root never is.
fn is_element(dir: &str, pages: &[&Page]) -> bool {
    !dir.is_empty()
        && pages
            .iter()
            .any(|p| p.front.heading.is_some() || p.front.element_id.is_some())
}

fn element(dir: &str, pages: &[&Page], diagnostics: &mut Vec<Diagnostic>) -> Element {
    let overview = pages.iter().find(|p| p.is_index());
    let heading = agreed(
        pages,
        overview,
        "heading",
        |p| p.front.heading.as_deref(),
        diagnostics,
    )
    .unwrap_or_else(|| dir.rsplit('/').next().unwrap_or(dir).to_string());
    let element_id = agreed(
        pages,
        overview,
        "elementId",
        |p| p.front.element_id.as_deref(),
        diagnostics,
    );
    let mut guides: Vec<(&Page, Guide)> = pages
        .iter()
        .map(|p| {
            (
                *p,
                Guide {
                    source: p.source.clone(),
                    title: p.title.clone(),
                    url: p.url.clone(),
                    order: p.front.order,
                },
            )
        })
        .collect();
    guides.sort_by(|(_, a), (_, b)| {
        (a.order.is_none(), a.order, &a.title, &a.source).cmp(&(
            b.order.is_none(),
            b.order,
            &b.title,
            &b.source,
        ))
    });
    for pair in guides.windows(2) {
        let ((first, a), (second, b)) = (&pair[0], &pair[1]);
        if let (Some(order), true) = (a.order, a.order == b.order) {
            diagnostics.push(
                Diagnostic::warning(
                    "element",
                    second.file(),
                    format!(
                        "`order: {order}` is also used by {}; the sidebar puts \"{}\" before \"{}\" by title",
                        first.file(),
                        a.title,
                        b.title
                    ),
                )
                .at(second.front.line_of("order"), 1)
                .with_source(&second.text, 5),
            );
        }
    }
    Element {
        key: dir.rsplit('/').next().unwrap_or(dir).to_string(),
        dir: dir.to_string(),
        heading,
        element_id,
        overview: overview.map(|p| p.source.clone()),
        description: overview.and_then(|p| p.front.description.clone()),
        logo: overview.and_then(|p| p.front.logo.clone()),
        guides: guides.into_iter().map(|(_, g)| g).collect(),
    }
}

/// The value the element's guides give for `key`: the Overview's, else the most common one.
/// Each guide that says otherwise gets a warning naming the file it disagrees with.
fn agreed(
    pages: &[&Page],
    overview: Option<&&Page>,
    key: &str,
    value: impl Fn(&Page) -> Option<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let reference = overview
        .filter(|p| value(p).is_some())
        .copied()
        .or_else(|| {
            let mut counts: BTreeMap<&str, (usize, &Page)> = BTreeMap::new();
            for page in pages {
                if let Some(v) = value(page) {
                    counts.entry(v).or_insert((0, page)).0 += 1;
                }
            }
            // Most common; ties go to the value seen in the first file.
            counts
                .into_values()
                .max_by(|(n, a), (m, b)| n.cmp(m).then_with(|| b.source.cmp(&a.source)))
                .map(|(_, page)| page)
        })?;
    let agreed = value(reference)?.to_string();
    for page in pages {
        if let Some(v) = value(page).filter(|v| *v != agreed) {
            diagnostics.push(
                Diagnostic::warning(
                    "element",
                    page.file(),
                    format!(
                        "`{key}: {v}` differs from `{key}: {agreed}` in {}, in the same element",
                        reference.file()
                    ),
                )
                .at(page.front.line_of(key), 1)
                .with_source(&page.text, key.len()),
            );
        }
    }
    Some(agreed)
}

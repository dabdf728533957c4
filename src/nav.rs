//! Index stage: the site's navigation, computed once per build from all pages — which folders
//! are elements, each element's guides in sidebar order, previous/next, breadcrumbs — and the
//! warnings when an element's guides disagree. Pure: no I/O.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::page::Page;
use crate::sections::Sections;

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

/// One step of a page's breadcrumb trail; the current page has no URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Crumb {
    pub label: String,
    pub url: Option<String>,
}

/// What a breadcrumb trail is made of, resolved by the caller (URLs include the base path).
pub struct Trail<'a> {
    pub home_url: &'a str,
    pub is_home: bool,
    /// The `parent` label and the resolved `breadcrumbs` target.
    pub parent: Option<(String, String)>,
    /// The sections above a page outside elements, top first: (title, URL).
    pub sections: Vec<(String, String)>,
    /// The element's heading and URL, when the page belongs to one.
    pub element: Option<(&'a str, String)>,
    pub is_overview: bool,
    pub title: &'a str,
}

/// Home › parent › sections › element › page. The Overview of an element ends at the element.
pub fn breadcrumbs(trail: Trail<'_>) -> Vec<Crumb> {
    if trail.is_home {
        return Vec::new();
    }
    let mut crumbs = vec![Crumb {
        label: "Home".to_string(),
        url: Some(trail.home_url.to_string()),
    }];
    if let Some((label, url)) = trail.parent
        && url != trail.home_url
        && !trail.sections.iter().any(|(_, section)| *section == url)
    {
        crumbs.push(Crumb {
            label,
            url: Some(url),
        });
    }
    for (label, url) in trail.sections {
        crumbs.push(Crumb {
            label,
            url: Some(url),
        });
    }
    match trail.element {
        Some((heading, _)) if trail.is_overview => crumbs.push(Crumb {
            label: heading.to_string(),
            url: None,
        }),
        Some((heading, url)) => {
            crumbs.push(Crumb {
                label: heading.to_string(),
                url: Some(url),
            });
            crumbs.push(Crumb {
                label: trail.title.to_string(),
                url: None,
            });
        }
        None => crumbs.push(Crumb {
            label: trail.title.to_string(),
            url: None,
        }),
    }
    crumbs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(source: &str, front: &str) -> Page {
        Page::parse(
            source,
            format!(
                "---
{front}
---
Body
"
            )
            .into_bytes(),
        )
    }

    fn gotowebinar() -> Vec<Page> {
        vec![
            page(
                "elements/gtw/events.md",
                "heading: GoToWebinar\ntitle: Events\norder: 25\nelementId: 1743",
            ),
            page(
                "elements/gtw/index.md",
                "heading: GoToWebinar\ntitle: Overview\norder: 1\nelementId: 1743",
            ),
            page(
                "elements/gtw/setup.md",
                "heading: GoToWebinar\ntitle: Endpoint Setup\norder: 5",
            ),
            page("elements/gtw/faq.md", "heading: GoToWebinar\ntitle: FAQ"),
            page(
                "elements/gtw/auth.md",
                "heading: GoToWebinar\ntitle: Authentication\norder: 10",
            ),
            page(
                "elements/acme/index.md",
                "heading: Acme CRM\ntitle: Overview\norder: 1",
            ),
            page("elements.md", "title: Element Guides\nheading: All"),
            page("guides/plain.md", "title: Plain"),
        ]
    }

    #[test]
    fn guides_are_sorted_by_order_then_title_with_unordered_last() {
        let nav = Navigation::build(&gotowebinar(), false);
        assert_eq!(nav.diagnostics().count(), 0);
        let headings: Vec<_> = nav.elements.iter().map(|e| e.heading.as_str()).collect();
        assert_eq!(
            headings,
            ["Acme CRM", "GoToWebinar"],
            "sorted by heading; root and plain folders are not elements"
        );
        let gtw = &nav.elements[1];
        let titles: Vec<_> = gtw.guides.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Overview",
                "Endpoint Setup",
                "Authentication",
                "Events",
                "FAQ"
            ]
        );
        assert_eq!(gtw.url(), "/elements/gtw/");
        assert_eq!(gtw.element_id.as_deref(), Some("1743"));
        assert_eq!(gtw.key, "gtw");
    }

    #[test]
    fn prev_and_next_stay_inside_the_element() {
        let nav = Navigation::build(&gotowebinar(), false);
        let (prev, next) = nav.prev_next("elements/gtw/setup.md");
        assert_eq!(prev.unwrap().title, "Overview");
        assert_eq!(next.unwrap().title, "Authentication");
        let (prev, next) = nav.prev_next("elements/gtw/index.md");
        assert!(prev.is_none());
        assert_eq!(next.unwrap().title, "Endpoint Setup");
        assert_eq!(nav.prev_next("elements/gtw/faq.md").1, None);
        assert_eq!(nav.prev_next("guides/plain.md"), (None, None));
    }

    #[test]
    fn disagreements_and_shared_orders_warn_naming_both_files() {
        let pages = vec![
            page(
                "elements/gtw/index.md",
                "heading: GoToWebinar\nelementId: 1743\norder: 1",
            ),
            page(
                "elements/gtw/a.md",
                "heading: Go To Webinar\nelementId: 1743\norder: 5\ntitle: A",
            ),
            page(
                "elements/gtw/b.md",
                "heading: GoToWebinar\nelementId: 1744\norder: 5\ntitle: B",
            ),
        ];
        let nav = Navigation::build(&pages, false);
        assert_eq!(nav.elements[0].heading, "GoToWebinar");
        let found: Vec<_> = nav
            .diagnostics()
            .map(|d| (d.file.as_str(), d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "content/elements/gtw/a.md",
                    2,
                    "`heading: Go To Webinar` differs from `heading: GoToWebinar` in content/elements/gtw/index.md, in the same element"
                ),
                (
                    "content/elements/gtw/b.md",
                    3,
                    "`elementId: 1744` differs from `elementId: 1743` in content/elements/gtw/index.md, in the same element"
                ),
                (
                    "content/elements/gtw/b.md",
                    4,
                    "`order: 5` is also used by content/elements/gtw/a.md; the sidebar puts \"A\" before \"B\" by title"
                ),
            ]
        );
    }

    #[test]
    fn without_an_overview_the_most_common_heading_wins() {
        let pages = vec![
            page("elements/x/a.md", "heading: Xero"),
            page("elements/x/b.md", "heading: Xero"),
            page("elements/x/c.md", "heading: XERO"),
        ];
        let nav = Navigation::build(&pages, false);
        assert_eq!(nav.elements[0].heading, "Xero");
        let diagnostics: Vec<_> = nav.diagnostics().collect();
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].file, "content/elements/x/c.md");
    }

    #[test]
    fn drafts_are_left_out_unless_built() {
        let pages = vec![
            page("elements/x/index.md", "heading: X"),
            page("elements/x/wip.md", "heading: X\ndraft: true"),
        ];
        assert_eq!(Navigation::build(&pages, false).elements[0].guides.len(), 1);
        assert_eq!(Navigation::build(&pages, true).elements[0].guides.len(), 2);
    }

    #[test]
    fn one_folder_can_be_recomputed_alone() {
        let mut pages = gotowebinar();
        let mut nav = Navigation::build(&pages, false);
        let events = pages
            .iter_mut()
            .find(|p| p.source == "elements/gtw/events.md")
            .unwrap();
        *events = page(
            "elements/gtw/events.md",
            "heading: GoToWebinar\ntitle: Events\norder: 2\nelementId: 1743",
        );
        let gtw: Vec<&Page> = pages.iter().filter(|p| p.dir() == "elements/gtw").collect();
        nav.update_dir("elements/gtw", &gtw);
        assert_eq!(nav, Navigation::build(&pages, false));
        assert_eq!(
            nav.prev_next("elements/gtw/events.md").0.unwrap().title,
            "Overview"
        );
        nav.update_dir("elements/gtw", &[]);
        assert_eq!(nav.elements.len(), 1, "an emptied folder is no element");
        assert!(nav.element_of("elements/gtw/events.md").is_none());
    }

    #[test]
    fn breadcrumbs_run_home_parent_element_page() {
        let crumbs = |is_overview, element: bool| {
            breadcrumbs(Trail {
                home_url: "/",
                is_home: false,
                parent: Some(("Back to Element Guides".into(), "/elements.html".into())),
                sections: Vec::new(),
                element: element.then(|| ("GoToWebinar", "/elements/gtw/".to_string())),
                is_overview,
                title: "Events",
            })
            .into_iter()
            .map(|c| format!("{}={}", c.label, c.url.unwrap_or_default()))
            .collect::<Vec<_>>()
        };
        assert_eq!(
            crumbs(false, true),
            [
                "Home=/",
                "Back to Element Guides=/elements.html",
                "GoToWebinar=/elements/gtw/",
                "Events="
            ]
        );
        assert_eq!(
            crumbs(true, true),
            [
                "Home=/",
                "Back to Element Guides=/elements.html",
                "GoToWebinar="
            ]
        );
        assert_eq!(
            crumbs(false, false),
            ["Home=/", "Back to Element Guides=/elements.html", "Events="]
        );
        let in_sections = breadcrumbs(Trail {
            home_url: "/",
            is_home: false,
            parent: Some(("Guides".into(), "/guides/".into())),
            sections: vec![
                ("Guides".into(), "/guides/".into()),
                ("Advanced".into(), "/guides/advanced/".into()),
            ],
            element: None,
            is_overview: false,
            title: "Paging",
        });
        let labels: Vec<_> = in_sections.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Home", "Guides", "Advanced", "Paging"],
            "a parent that is a section is not repeated"
        );
    }
}

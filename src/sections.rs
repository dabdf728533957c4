//! Index stage: navigation for the pages outside elements (Getting Started, a CEQL guide, …),
//! from the folder tree below `content/`. Every folder holding such pages is a *section*: its
//! `index.md` gives its title, URL and `order`, its pages and sub-folders are listed by
//! `order` (pages without one last), then title. A page gets the sidebar of its top section
//! (the folder below `content/` it is in), breadcrumbs through the folders above it, and
//! previous/next in its top section's reading order (depth first). Pure: no I/O.
//!
//! Element folders are not sections (they have their own sidebar), and pages directly in
//! `content/` belong to no section: the header navigation leads to them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::nav::Navigation;
use crate::page::Page;

/// The sections of a site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sections {
    /// Every section, by folder below `content/` (`guides`, `guides/advanced`).
    sections: BTreeMap<String, Section>,
    /// The top sections' folders, sorted by `order`, then title.
    pub top: Vec<String>,
    /// Pages directly in `content/` (not the home page), sorted like sections' entries.
    pub root_pages: Vec<Entry>,
    /// Page source → its section's folder.
    page_section: HashMap<String, String>,
}

/// A folder of pages outside elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub dir: String,
    /// The `index.md` page's title, else the folder name as words (`getting-started` →
    /// `Getting started`).
    pub title: String,
    /// The source of its `index.md`, when it has one.
    pub index: Option<String>,
    /// Site path of its index page, else of its first page in reading order.
    pub url: String,
    pub order: Option<i64>,
    /// The section it is in, when it is not a top section.
    pub parent: Option<String>,
    /// Its pages (the index page aside) and sub-sections, sorted.
    pub entries: Vec<Entry>,
    /// The sources of every page in it and below, in reading order: the index page, then each
    /// entry (a sub-section's own reading order in its place).
    pub reading: Vec<String>,
}

/// One line of a section's list: a page, or a sub-section (by folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Page {
        source: String,
        title: String,
        /// Site path.
        url: String,
        order: Option<i64>,
    },
    Section(String),
}

/// A page of a section, as the layout's previous/next links need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbour {
    pub title: String,
    /// Site path.
    pub url: String,
}

impl Sections {
    /// The sections of the published `pages` (`drafts` decides whether drafts count) that are
    /// not in one of `nav`'s elements.
    pub fn build(pages: &[Page], nav: &Navigation, drafts: bool) -> Sections {
        let pages: Vec<&Page> = pages
            .iter()
            .filter(|p| (drafts || !p.front.draft) && nav.element_of(&p.source).is_none())
            .collect();
        let element_dirs: BTreeSet<&str> = nav.elements.iter().map(|e| e.dir.as_str()).collect();
        // Folder → its pages; every folder above a page is a section too (unless an element).
        let mut folders: BTreeMap<String, Vec<&Page>> = BTreeMap::new();
        let mut root_pages = Vec::new();
        for page in &pages {
            let dir = page.dir();
            if dir.is_empty() {
                if page.source != "index.md" && page.source != "404.md" {
                    root_pages.push(page_entry(page));
                }
                continue;
            }
            folders.entry(dir.to_string()).or_default().push(page);
            let mut above = dir;
            while let Some((parent, _)) = above.rsplit_once('/') {
                if !element_dirs.contains(parent) {
                    folders.entry(parent.to_string()).or_default();
                }
                above = parent;
            }
        }
        let mut sections: BTreeMap<String, Section> = BTreeMap::new();
        let mut page_section = HashMap::new();
        for (dir, pages) in &folders {
            let index = pages.iter().find(|p| p.is_index());
            let parent = parent_section(dir, &folders);
            let entries: Vec<Entry> = pages
                .iter()
                .filter(|p| !p.is_index())
                .map(|p| page_entry(p))
                .collect();
            // Sub-sections join as entries once every section exists (below).
            for page in pages {
                page_section.insert(page.source.clone(), dir.clone());
            }
            sections.insert(
                dir.clone(),
                Section {
                    dir: dir.clone(),
                    title: index
                        .map(|p| p.title.clone())
                        .unwrap_or_else(|| folder_title(dir)),
                    index: index.map(|p| p.source.clone()),
                    url: index.map(|p| p.url.clone()).unwrap_or_default(),
                    order: index.and_then(|p| p.front.order),
                    parent,
                    entries,
                    reading: Vec::new(),
                },
            );
        }
        let children: Vec<(String, String)> = sections
            .values()
            .filter_map(|s| Some((s.parent.clone()?, s.dir.clone())))
            .collect();
        for (parent, child) in children {
            if let Some(section) = sections.get_mut(&parent) {
                section.entries.push(Entry::Section(child));
            }
        }
        // Sort every section's entries (sub-sections by their index page's order and title).
        let keys: HashMap<String, (Option<i64>, String)> = sections
            .values()
            .map(|s| (s.dir.clone(), (s.order, s.title.clone())))
            .collect();
        for section in sections.values_mut() {
            section
                .entries
                .sort_by_cached_key(|entry| sort_key(entry, &keys));
        }
        let mut top: Vec<String> = sections
            .values()
            .filter(|s| s.parent.is_none())
            .map(|s| s.dir.clone())
            .collect();
        top.sort_by_cached_key(|dir| sort_key(&Entry::Section(dir.clone()), &keys));
        root_pages.sort_by_cached_key(|entry| sort_key(entry, &keys));
        let mut built = Sections {
            sections,
            top,
            root_pages,
            page_section,
        };
        for dir in built.top.clone() {
            built.fill_reading(&dir);
        }
        // A section without an index page is reached through its first page; one with no page
        // at all (only empty sub-folders) through its first sub-section's.
        let urls: Vec<(String, String)> = built
            .sections
            .values()
            .filter(|s| s.url.is_empty())
            .map(|s| {
                let first = s.reading.first().and_then(|source| built.url_of(source));
                (s.dir.clone(), first.unwrap_or_default())
            })
            .collect();
        for (dir, url) in urls {
            if let Some(section) = built.sections.get_mut(&dir) {
                section.url = url;
            }
        }
        built
    }

    /// Computes the reading order of `dir` and its sub-sections.
    fn fill_reading(&mut self, dir: &str) -> Vec<String> {
        let Some(section) = self.sections.get(dir) else {
            return Vec::new();
        };
        let entries = section.entries.clone();
        let mut reading: Vec<String> = section.index.iter().cloned().collect();
        for entry in entries {
            match entry {
                Entry::Page { source, .. } => reading.push(source),
                Entry::Section(child) => reading.extend(self.fill_reading(&child)),
            }
        }
        if let Some(section) = self.sections.get_mut(dir) {
            section.reading = reading.clone();
        }
        reading
    }

    /// The site path of a page of some section.
    fn url_of(&self, source: &str) -> Option<String> {
        let section = self.sections.get(self.page_section.get(source)?)?;
        if section.index.as_deref() == Some(source) {
            return Some(section.url.clone());
        }
        section.entries.iter().find_map(|e| match e {
            Entry::Page { source: s, url, .. } if s == source => Some(url.clone()),
            _ => None,
        })
    }

    fn title_of(&self, source: &str) -> Option<String> {
        let section = self.sections.get(self.page_section.get(source)?)?;
        if section.index.as_deref() == Some(source) {
            return Some(section.title.clone());
        }
        section.entries.iter().find_map(|e| match e {
            Entry::Page {
                source: s, title, ..
            } if s == source => Some(title.clone()),
            _ => None,
        })
    }

    pub fn get(&self, dir: &str) -> Option<&Section> {
        self.sections.get(dir)
    }

    /// The section a page is in, if any.
    pub fn section_of(&self, source: &str) -> Option<&Section> {
        self.sections.get(self.page_section.get(source)?)
    }

    /// The sections from the top one down to the page's own.
    pub fn chain(&self, source: &str) -> Vec<&Section> {
        let mut chain = Vec::new();
        let mut at = self.section_of(source);
        while let Some(section) = at {
            chain.push(section);
            at = section.parent.as_deref().and_then(|p| self.sections.get(p));
        }
        chain.reverse();
        chain
    }

    /// The top section a page is in.
    pub fn top_of(&self, source: &str) -> Option<&Section> {
        self.chain(source).into_iter().next()
    }

    /// The pages before and after `source` in its top section's reading order.
    pub fn prev_next(&self, source: &str) -> (Option<Neighbour>, Option<Neighbour>) {
        let Some(top) = self.top_of(source) else {
            return (None, None);
        };
        let Some(at) = top.reading.iter().position(|s| s == source) else {
            return (None, None);
        };
        let neighbour = |i: usize| {
            let source = top.reading.get(i)?;
            Some(Neighbour {
                title: self.title_of(source)?,
                url: self.url_of(source)?,
            })
        };
        (at.checked_sub(1).and_then(neighbour), neighbour(at + 1))
    }

    /// Every page of the top section `dir` (in reading order), for re-rendering after a change.
    pub fn pages_of_top(&self, dir: &str) -> &[String] {
        self.sections.get(dir).map_or(&[], |s| s.reading.as_slice())
    }

    /// The top sections whose navigation differs between `self` and `other` (either side).
    pub fn changed_tops(&self, other: &Sections) -> BTreeSet<String> {
        let mut changed = BTreeSet::new();
        for dir in self.top.iter().chain(&other.top) {
            if self.subtree(dir) != other.subtree(dir) {
                changed.insert(dir.clone());
            }
        }
        changed
    }

    /// A top section and everything below it, for comparing.
    fn subtree(&self, dir: &str) -> Vec<&Section> {
        self.sections
            .range(dir.to_string()..)
            .take_while(|(d, _)| *d == dir || d.starts_with(&format!("{dir}/")))
            .map(|(_, s)| s)
            .collect()
    }
}

fn page_entry(page: &Page) -> Entry {
    Entry::Page {
        source: page.source.clone(),
        title: page.title.clone(),
        url: page.url.clone(),
        order: page.front.order,
    }
}

/// Pages and sections with an `order` first, by it; then by title, case-insensitively.
fn sort_key(
    entry: &Entry,
    sections: &HashMap<String, (Option<i64>, String)>,
) -> (bool, Option<i64>, String, String) {
    match entry {
        Entry::Page {
            source,
            title,
            order,
            ..
        } => (
            order.is_none(),
            *order,
            title.to_lowercase(),
            source.clone(),
        ),
        Entry::Section(dir) => {
            let (order, title) = sections.get(dir).cloned().unwrap_or_default();
            (order.is_none(), order, title.to_lowercase(), dir.clone())
        }
    }
}

/// The nearest folder above `dir` that is a section.
fn parent_section<T>(dir: &str, folders: &BTreeMap<String, T>) -> Option<String> {
    let mut above = dir;
    while let Some((parent, _)) = above.rsplit_once('/') {
        if folders.contains_key(parent) {
            return Some(parent.to_string());
        }
        above = parent;
    }
    None
}

/// `getting-started` → `Getting started`.
fn folder_title(dir: &str) -> String {
    let name = dir
        .rsplit('/')
        .next()
        .unwrap_or(dir)
        .replace(['-', '_'], " ");
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(source: &str, front: &str) -> Page {
        Page::parse(source, format!("---\n{front}\n---\nBody\n").into_bytes())
    }

    fn site() -> Vec<Page> {
        vec![
            page("index.md", "title: Home"),
            page("elements.md", "title: Element Guides\nlayout: elements"),
            page("about.md", "title: About\norder: 9"),
            page("elements/box/index.md", "heading: Box\ntitle: Overview"),
            page("guides/index.md", "title: User Guides\norder: 1"),
            page("guides/ceql.md", "title: CEQL Queries\norder: 2"),
            page(
                "guides/getting-started.md",
                "title: Getting Started\norder: 1",
            ),
            page("guides/zz-appendix.md", "title: Appendix"),
            page("guides/advanced/index.md", "title: Advanced\norder: 3"),
            page("guides/advanced/paging.md", "title: Paging"),
            page("guides/advanced/bulk.md", "title: Bulk"),
            page("guides/advanced/deep/x.md", "title: Deep X"),
            page("reference/api.md", "title: API"),
            page("reference/wip.md", "title: WIP\ndraft: true"),
        ]
    }

    fn build(pages: &[Page]) -> Sections {
        Sections::build(pages, &Navigation::build(pages, false), false)
    }

    fn titles(section: &Section, sections: &Sections) -> Vec<String> {
        section
            .entries
            .iter()
            .map(|e| match e {
                Entry::Page { title, .. } => title.clone(),
                Entry::Section(dir) => format!("[{}]", sections.get(dir).unwrap().title),
            })
            .collect()
    }

    #[test]
    fn folders_become_sections_sorted_by_order_then_title() {
        let s = build(&site());
        assert_eq!(s.top, ["guides", "reference"], "elements are not sections");
        let guides = s.get("guides").unwrap();
        assert_eq!(guides.title, "User Guides");
        assert_eq!(guides.url, "/guides/");
        assert_eq!(
            titles(guides, &s),
            ["Getting Started", "CEQL Queries", "[Advanced]", "Appendix"]
        );
        let advanced = s.get("guides/advanced").unwrap();
        assert_eq!(titles(advanced, &s), ["Bulk", "[Deep]", "Paging"]);
        assert_eq!(
            guides.reading,
            [
                "guides/index.md",
                "guides/getting-started.md",
                "guides/ceql.md",
                "guides/advanced/index.md",
                "guides/advanced/bulk.md",
                "guides/advanced/deep/x.md",
                "guides/advanced/paging.md",
                "guides/zz-appendix.md",
            ]
        );
        let reference = s.get("reference").unwrap();
        assert_eq!(
            (reference.title.as_str(), reference.url.as_str()),
            ("Reference", "/reference/api.html"),
            "without an index page: the folder name and the first page; drafts left out"
        );
        let root: Vec<_> = s
            .root_pages
            .iter()
            .map(|e| match e {
                Entry::Page { title, .. } => title.as_str(),
                Entry::Section(_) => "",
            })
            .collect();
        assert_eq!(root, ["About", "Element Guides"], "the home page aside");
    }

    #[test]
    fn chains_and_neighbours_follow_the_reading_order() {
        let s = build(&site());
        let chain: Vec<_> = s
            .chain("guides/advanced/deep/x.md")
            .iter()
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(chain, ["User Guides", "Advanced", "Deep"]);
        assert_eq!(
            s.get("guides/advanced/deep").unwrap().url,
            "/guides/advanced/deep/x.html"
        );
        let (prev, next) = s.prev_next("guides/advanced/index.md");
        assert_eq!(prev.unwrap().title, "CEQL Queries");
        assert_eq!(next.unwrap().url, "/guides/advanced/bulk.html");
        let (prev, next) = s.prev_next("guides/index.md");
        assert_eq!(
            (prev, next.unwrap().title.as_str()),
            (None, "Getting Started")
        );
        assert_eq!(
            s.prev_next("guides/zz-appendix.md").1,
            None,
            "not into another top section"
        );
        assert_eq!(s.prev_next("about.md"), (None, None));
        assert_eq!(s.prev_next("elements/box/index.md"), (None, None));
        assert!(s.section_of("elements/box/index.md").is_none());
    }

    #[test]
    fn a_changed_title_or_order_changes_only_its_top_section() {
        let pages = site();
        let before = build(&pages);
        let mut after_pages = pages.clone();
        let at = after_pages
            .iter()
            .position(|p| p.source == "guides/advanced/bulk.md")
            .unwrap();
        after_pages[at] = page("guides/advanced/bulk.md", "title: Bulk Jobs\norder: 1");
        let after = build(&after_pages);
        assert_eq!(
            before.changed_tops(&after).into_iter().collect::<Vec<_>>(),
            ["guides"]
        );
        assert!(before.changed_tops(&build(&pages)).is_empty());
        assert_eq!(before.pages_of_top("guides").len(), 8);
    }
}

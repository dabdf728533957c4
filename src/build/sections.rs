//! Render stage, the data side of section navigation: what a page outside elements shows of
//! `sections.rs` (its sidebar, the section part of its breadcrumbs), and the header navigation
//! every page shows — `[[nav]]` of docgen.toml resolved like links, or the default list.

use std::collections::HashSet;

use super::Indexed;
use crate::config::{CONFIG_FILE, NavItem};
use crate::diagnostic::Diagnostic;
use crate::links;
use crate::markdown::LinkKind;
use crate::page::Page;
use crate::render::{HeaderLink, SectionEntry, SectionView};
use crate::sections::{Entry, Section};

impl Indexed {
    /// The sidebar of a page outside elements: its top section, when that holds more than the
    /// page itself.
    pub(crate) fn section_view(&self, page: &Page) -> Option<SectionView> {
        let chain = self.nav().sections.chain(&page.source);
        let top = chain.first()?;
        if top.reading.len() < 2 {
            return None;
        }
        let open: HashSet<&str> = chain.iter().map(|s| s.dir.as_str()).collect();
        Some(SectionView {
            title: top.title.clone(),
            url: format!(
                "{}{}",
                self.config().base_path,
                links::encode_path(&top.url)
            ),
            dir: top.dir.clone(),
            current: top.index.as_deref() == Some(&page.source),
            entries: self.section_entries(top, page, &open),
        })
    }

    /// The entries of `section`; sub-sections in `open` (those holding the page) list theirs.
    fn section_entries(
        &self,
        section: &Section,
        page: &Page,
        open: &HashSet<&str>,
    ) -> Vec<SectionEntry> {
        let base = &self.config().base_path;
        section
            .entries
            .iter()
            .filter_map(|entry| match entry {
                Entry::Page {
                    source, title, url, ..
                } => Some(SectionEntry {
                    title: title.clone(),
                    url: format!("{base}{}", links::encode_path(url)),
                    current: *source == page.source,
                    is_section: false,
                    open: false,
                    children: Vec::new(),
                }),
                Entry::Section(dir) => {
                    let sub = self.nav().sections.get(dir)?;
                    let is_open = open.contains(dir.as_str());
                    Some(SectionEntry {
                        title: sub.title.clone(),
                        url: format!("{base}{}", links::encode_path(&sub.url)),
                        current: sub.index.as_deref() == Some(&page.source),
                        is_section: true,
                        open: is_open,
                        children: if is_open {
                            self.section_entries(sub, page, open)
                        } else {
                            Vec::new()
                        },
                    })
                }
            })
            .collect()
    }

    /// The breadcrumbs of the sections above a page outside elements, top first: (label, URL).
    /// A section's index page is the last crumb itself, so its own section is left out.
    pub(crate) fn section_crumbs(&self, page: &Page) -> Vec<(String, String)> {
        self.nav()
            .sections
            .chain(&page.source)
            .into_iter()
            .filter(|s| s.index.as_deref() != Some(&page.source))
            .map(|s| {
                (
                    s.title.clone(),
                    format!("{}{}", self.config().base_path, links::encode_path(&s.url)),
                )
            })
            .collect()
    }

    /// The header navigation: `[[nav]]` when docgen.toml has it (a `url` that names nothing is
    /// an error at its line), else the elements index, then the top sections and the pages in
    /// `content/` that have an `order`, sorted by `order`, then title.
    pub(crate) fn header_nav(
        &self,
        elements_index: Option<&str>,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<HeaderLink> {
        if !self.config().nav.is_empty() {
            return self
                .config()
                .nav
                .iter()
                .filter_map(|item| match self.nav_item(item, elements_index) {
                    Ok(link) => Some(link),
                    Err(d) => {
                        diagnostics.push(d);
                        None
                    }
                })
                .collect();
        }
        let sections = &self.nav().sections;
        let base = &self.config().base_path;
        type Key = (bool, Option<i64>, String);
        let mut links: Vec<(Key, HeaderLink)> = Vec::new();
        for dir in &sections.top {
            let Some(section) = sections.get(dir) else {
                continue;
            };
            links.push((
                (
                    section.order.is_none(),
                    section.order,
                    section.title.to_lowercase(),
                ),
                HeaderLink {
                    title: section.title.clone(),
                    url: format!("{base}{}", links::encode_path(&section.url)),
                    section: Some(dir.clone()),
                    elements: section
                        .index
                        .as_deref()
                        .is_some_and(|i| Some(i) == elements_index),
                },
            ));
        }
        for entry in &sections.root_pages {
            let Entry::Page {
                source,
                title,
                url,
                order,
            } = entry
            else {
                continue;
            };
            let is_elements = Some(source.as_str()) == elements_index;
            if order.is_some() || is_elements {
                links.push((
                    (order.is_none(), *order, title.to_lowercase()),
                    HeaderLink {
                        title: title.clone(),
                        url: format!("{base}{}", links::encode_path(url)),
                        section: None,
                        elements: is_elements,
                    },
                ));
            }
        }
        // The elements index leads (it is what an element-guide site is for), wherever it is.
        links.sort_by(|a, b| (!a.1.elements, &a.0).cmp(&(!b.1.elements, &b.0)));
        let mut links: Vec<HeaderLink> = links.into_iter().map(|(_, link)| link).collect();
        if let Some(source) = elements_index
            && !links.iter().any(|l| l.elements)
            && let Some(page) = self.page(source)
        {
            links.insert(
                0,
                HeaderLink {
                    title: page.title.clone(),
                    url: format!("{base}{}", links::encode_path(&page.url)),
                    section: None,
                    elements: true,
                },
            );
        }
        links
    }

    /// One `[[nav]]` entry: an external URL as written, a section folder (`/guides/`, with or
    /// without the slashes), else a page or file resolved like a link in `content/index.md`.
    fn nav_item(
        &self,
        item: &NavItem,
        elements_index: Option<&str>,
    ) -> Result<HeaderLink, Diagnostic> {
        let base = &self.config().base_path;
        let url = item.url.trim();
        if links::is_external(url) {
            return Ok(HeaderLink {
                title: item.title.clone(),
                url: url.to_string(),
                section: None,
                elements: false,
            });
        }
        let folder = url.trim_start_matches("@/").trim_matches('/');
        let folder = folder
            .strip_prefix(base.trim_start_matches('/'))
            .filter(|_| !base.is_empty())
            .map_or(folder, |rest| rest.trim_start_matches('/'));
        if let Some(section) = self.nav().sections.get(folder) {
            return Ok(HeaderLink {
                title: item.title.clone(),
                url: format!("{base}{}", links::encode_path(&section.url)),
                section: Some(self.top_dir(section)),
                elements: section
                    .index
                    .as_deref()
                    .is_some_and(|i| Some(i) == elements_index),
            });
        }
        match self.link_index().resolve("index.md", LinkKind::Link, url) {
            Ok(resolved) => {
                let page = resolved.page.as_deref();
                let section = page
                    .and_then(|p| self.nav().sections.section_of(p))
                    .filter(|s| s.index.as_deref() == page)
                    .map(|s| self.top_dir(s));
                Ok(HeaderLink {
                    title: item.title.clone(),
                    url: resolved.href.clone(),
                    section,
                    elements: page.is_some() && page == elements_index,
                })
            }
            Err(broken) => Err(Diagnostic::error(
                "config",
                CONFIG_FILE,
                format!(
                    "[[nav]] \"{}\": {}",
                    item.title,
                    broken
                        .message
                        .replacen("broken link", "url", 1)
                ),
            )
            .at(item.line, item.column)
            .with_suggestion(broken.suggestion)
            .with_note("a [[nav]] url is a section folder (\"/guides/\"), a page (\"@/guides/setup.md\") or an external URL")),
        }
    }

    /// The folder of the top section `section` is in.
    fn top_dir(&self, section: &Section) -> String {
        let mut at = section;
        while let Some(parent) = at
            .parent
            .as_deref()
            .and_then(|p| self.nav().sections.get(p))
        {
            at = parent;
        }
        at.dir.clone()
    }
}

//! Render stage, the data side: the typed template context of each page, and the values
//! derived once from the whole site that every page shares (`Derived`).

use std::collections::{BTreeMap, HashMap};

use super::{ELEMENTS_NAV, Indexed, PageCheck};
use crate::diagnostic::Diagnostic;
use crate::links;
use crate::markdown::LinkKind;
use crate::nav::{self, Trail};
use crate::page::Page;
use crate::render::{
    ElementSummary, ElementView, GuideView, NavLink, NavView, PageContext, PageView, SiteContext,
};
impl Indexed {
    /// The template context of one page, whose body rendered as `rendered` (`Page::render`).
    pub(crate) fn page_context<'a>(
        &'a self,
        page: &'a Page,
        check: &PageCheck,
        derived: &'a Derived,
        rendered: crate::markdown::Body,
    ) -> PageContext<'a> {
        let base = &self.config().base_path;
        let front = &page.front;
        let element = self.nav().element_of(&page.source);
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
                        url: format!("{base}{}", links::encode_path(&g.url)),
                        order: g.order,
                        current: g.source == page.source,
                    })
                    .collect(),
            }
        });
        let (prev, next) = self.nav().prev_next(&page.source);
        let nav_link = |g: &nav::Guide| NavLink {
            title: g.title.clone(),
            url: format!("{base}{}", links::encode_path(&g.url)),
        };
        let (mut prev, mut next) = (prev.map(nav_link), next.map(nav_link));
        // A page outside elements: its section's sidebar, crumbs and neighbours.
        let (section, section_crumbs) = match element {
            Some(_) => (None, Vec::new()),
            None => {
                let (p, n) = self.nav().sections.prev_next(&page.source);
                let link = |n: crate::sections::Neighbour| NavLink {
                    title: n.title,
                    url: format!("{base}{}", links::encode_path(&n.url)),
                };
                (prev, next) = (p.map(link), n.map(link));
                (self.section_view(page), self.section_crumbs(page))
            }
        };
        let parent = self.parent_crumb(page, check.breadcrumbs.as_ref(), derived);
        let breadcrumbs = nav::breadcrumbs(Trail {
            home_url: &derived.site.home_url,
            is_home: page.source == "index.md",
            parent,
            sections: section_crumbs,
            element: element.map(|e| (e.heading.as_str(), derived.elements[&e.dir].url.clone())),
            is_overview: element.is_some_and(|e| e.overview.as_deref() == Some(&page.source)),
            title: &page.title,
        });
        let heading = front
            .heading
            .as_deref()
            .or(element.map(|e| e.heading.as_str()));
        let url = format!("{base}{}", links::encode_path(&page.url));
        // Images sized, task lists and tables made accessible: on the text, not the title.
        let body = self.finish_body(page, rendered.html);
        let (title_html, title_id, content) = match rendered.title {
            Some(title) => (title.html, Some(title.id), title.heading + &body),
            None => (crate::highlight::escape(&page.title), None, body.clone()),
        };
        PageContext {
            page: PageView {
                title: &page.title,
                title_html,
                title_id,
                seo: front.seo.clone().unwrap_or_else(|| {
                    let mut parts = vec![page.title.as_str()];
                    parts.extend(heading.filter(|h| *h != page.title));
                    parts.push(&self.config().title);
                    parts.join(" | ")
                }),
                description: front.description.as_deref(),
                heading,
                layout: page.layout(),
                permalink: self
                    .config()
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
                content,
                body,
                extra: &front.extra,
            },
            element: element_view,
            nav: NavView { prev, next },
            breadcrumbs,
            toc: page.doc.toc(),
            section,
        }
    }

    /// The `parent` breadcrumb: its label and the resolved `breadcrumbs` target. Without a
    /// target it points at the elements index.
    fn parent_crumb(
        &self,
        page: &Page,
        target: Option<&links::Resolved>,
        derived: &Derived,
    ) -> Option<(String, String)> {
        // A `breadcrumbs` that does not resolve gives no crumb (its check reports it).
        if page.front.breadcrumbs.is_some() && target.is_none() {
            return None;
        }
        let label = page.front.parent.clone().or_else(|| {
            let source = target.as_ref()?.page.as_ref()?;
            self.link_index().page(source).map(|p| p.title.clone())
        });
        let url = target.map(|t| t.href.clone()).or_else(|| {
            page.front
                .parent
                .as_ref()
                .and(derived.site.elements_url.clone())
        })?;
        Some((label.unwrap_or_else(|| "Back".to_string()), url))
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
    pub(crate) fn new(site: &Indexed, diagnostics: &mut Vec<Diagnostic>) -> Derived {
        let config = site.config();
        let base = &config.base_path;
        let mut elements = HashMap::new();
        let mut summaries = Vec::new();
        for element in &site.nav().elements {
            // A logo that does not resolve is left out; the check stage reports it on the
            // overview page (`Indexed::check_page`).
            let logo = element.logo.as_ref().and_then(|logo| {
                let overview = element.overview.as_ref()?;
                let resolved = site
                    .link_index()
                    .resolve(overview, LinkKind::Image, logo)
                    .ok()?;
                Some(resolved.href)
            });
            let url = format!("{base}{}", links::encode_path(element.url()));
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
            && site.elements_index().is_none()
        {
            diagnostics.push(Diagnostic::error(
                "config",
                crate::config::CONFIG_FILE,
                format!("elements_index \"{configured}\" is not a page below content/"),
            ));
        }
        let elements_index = site.elements_index().map(str::to_string);
        let header_nav = site.header_nav(elements_index.as_deref(), diagnostics);
        // `content/index.md`, or the home page docgen generates without one.
        let home = "/";
        Derived {
            site: SiteContext {
                title: config.title.clone(),
                base_url: config.base_url.clone(),
                base_path: base.clone(),
                home_url: format!("{base}{home}"),
                elements_url: elements_index
                    .map(|s| format!("{base}{}", links::encode_path(&links::url_for_source(&s)))),
                elements_nav_url: format!("{base}/{ELEMENTS_NAV}"),
                search_url: config
                    .search
                    .then(|| format!("{base}/{}", crate::search::MANIFEST)),
                extra: config.extra.clone(),
                generator: format!("docgen {}", env!("CARGO_PKG_VERSION")),
                nav: header_nav,
            },
            summaries,
            elements,
        }
    }
}

/// The page listing all elements: `elements_index` in docgen.toml, else the page using the
/// `elements` layout, else the page most guides' `breadcrumbs` point to.
pub(crate) fn find_elements_index(site: &Indexed) -> Option<String> {
    if let Some(configured) = &site.config().elements_index {
        let source = configured.trim_start_matches("@/").trim_start_matches('/');
        return site.link_index().page(source).map(|_| source.to_string());
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
        .filter(|p| site.nav().element_of(&p.source).is_some())
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
        if let Ok(resolved) = site.link_index().resolve(page, LinkKind::Link, target)
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

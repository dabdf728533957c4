//! Index and check stages: `LinkIndex` knows every page (by source path, URL, title and file stem)
//! and every file of the site, and resolves a link as written to the URL it must become — or
//! explains why it is broken and suggests the nearest thing that exists. Pure: no I/O, and pages
//! can be inserted and removed one at a time, so `serve` keeps one index across rebuilds.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::markdown::LinkKind;

mod paths;
mod suggestions;

use paths::*;
pub use paths::{
    fragment_of, is_external, join_clamped, output_file_for_url, percent_decode, relative_path,
    url_dir, url_for_source,
};
use suggestions::{Form, Question, Set, Suggestions};

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

impl LinkIndex {
    /// An empty index for a site published under `base_path` (`""` or `/docs`).
    pub fn new(base_path: &str, drafts_built: bool) -> Self {
        LinkIndex {
            base_path: base_path.to_string(),
            drafts_built,
            ..LinkIndex::default()
        }
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

    /// Resolves `dest`, written in the page `from` (a source path), to the URL it must become.
    pub fn resolve(&self, from: &str, kind: LinkKind, dest: &str) -> Result<Resolved, Broken> {
        self.resolve_with(from, kind, dest, false)
    }

    /// `resolve` for a URL written in raw HTML, read as a browser reads it (RFC 3986): `..`
    /// above the site's root stays at the root, so `/../img/x.png` is `/img/x.png`.
    pub fn resolve_html(&self, from: &str, kind: LinkKind, dest: &str) -> Result<Resolved, Broken> {
        self.resolve_with(from, kind, dest, true)
    }

    fn resolve_with(
        &self,
        from: &str,
        kind: LinkKind,
        dest: &str,
        browser: bool,
    ) -> Result<Resolved, Broken> {
        let dest = dest.trim();
        if dest.is_empty() {
            return Err(Broken::new("empty link target".into()));
        }
        if kind == LinkKind::Title {
            return self.resolve_title(from, dest);
        }
        if is_external(dest) {
            return Ok(Resolved {
                href: dest.to_string(),
                page: None,
                redirect: None,
            });
        }
        let (path, query, fragment) = split_link(dest);
        let from_url = url_for_source(from);
        if path.is_empty() {
            // `#fragment` or `?query` on the page itself.
            self.check_fragment(from, fragment, dest)?;
            let href = if query.is_empty() {
                format!("#{fragment}")
            } else {
                format!("{}{}{query}{}", self.base_path, from_url, hash(fragment))
            };
            return Ok(Resolved {
                href,
                page: Some(from.to_string()),
                redirect: None,
            });
        }
        let path = percent_decode(path);
        let style = PathStyle::of(&path);
        let candidates: Vec<String> = match style {
            PathStyle::Content => vec![format!("/{}", path.trim_start_matches("@/"))],
            PathStyle::Absolute if browser && has_dot_segments(&path) => {
                let path = join_clamped("/", &path);
                let mut c = Vec::new();
                if let Some(stripped) = strip_base(&path, &self.base_path) {
                    c.push(stripped);
                }
                c.push(path);
                c
            }
            PathStyle::Relative if browser => vec![join_clamped(url_dir(&from_url), &path)],
            PathStyle::Absolute => {
                let mut c = Vec::new();
                if let Some(stripped) = strip_base(&path, &self.base_path) {
                    c.push(stripped);
                }
                c.push(path.clone());
                c
            }
            PathStyle::Relative => match join(url_dir(&from_url), &path) {
                Some(joined) => vec![joined],
                None => {
                    return Err(Broken::new(format!(
                        "broken link \"{dest}\": it goes above the site's root"
                    )));
                }
            },
        };
        for candidate in &candidates {
            if let Some(target) = self.find(candidate, style == PathStyle::Content) {
                return match target {
                    Target::Page(source) => {
                        self.check_draft(source, dest)?;
                        self.check_fragment(source, fragment, dest)?;
                        Ok(Resolved {
                            href: format!(
                                "{}{}{query}{}",
                                self.base_path,
                                url_for_source(source),
                                hash(fragment)
                            ),
                            page: Some(source.to_string()),
                            redirect: None,
                        })
                    }
                    Target::Redirect(source) => {
                        self.check_draft(source, dest)?;
                        self.check_fragment(source, fragment, dest)?;
                        Ok(Resolved {
                            href: format!(
                                "{}{}{query}{}",
                                self.base_path,
                                url_for_source(source),
                                hash(fragment)
                            ),
                            page: Some(source.to_string()),
                            redirect: Some(candidate.clone()),
                        })
                    }
                    Target::File(site_path) => Ok(Resolved {
                        href: format!(
                            "{}{}{query}{}",
                            self.base_path,
                            encode_path(site_path),
                            hash(fragment)
                        ),
                        page: None,
                        redirect: None,
                    }),
                };
            }
        }
        let wanted = &candidates[0];
        let suggestion = self
            .nearest_path(wanted, style == PathStyle::Content)
            .map(|found| {
                let written = match style {
                    PathStyle::Content => format!("@{found}"),
                    PathStyle::Absolute if candidates.len() > 1 => {
                        format!("{}{found}", self.base_path)
                    }
                    PathStyle::Absolute => found,
                    PathStyle::Relative => relative_path(url_dir(&from_url), &found),
                };
                format!("{written}{query}{}", hash(fragment))
            });
        let what = if kind == LinkKind::Image {
            "image"
        } else {
            "link"
        };
        Err(Broken::new(format!("broken {what} \"{dest}\"")).suggest(suggestion))
    }

    /// `[[Title]]`: by title, then by file stem; in the page's own element first, then site-wide.
    fn resolve_title(&self, from: &str, dest: &str) -> Result<Resolved, Broken> {
        let (name, fragment) = dest.split_once('#').unwrap_or((dest, ""));
        let name = name.trim();
        let element = self.pages.get(from).and_then(|p| p.element.as_deref());
        let none = BTreeSet::new();
        let by_title = self.by_title.get(&name.to_lowercase()).unwrap_or(&none);
        let by_stem = self.by_stem.get(name).unwrap_or(&none);
        let local = |matches: &'_ BTreeSet<String>| -> Vec<String> {
            matches
                .iter()
                .filter(|s| element.is_some() && self.element_of(s) == element)
                .cloned()
                .collect()
        };
        let everywhere = |matches: &BTreeSet<String>| matches.iter().cloned().collect();
        // The page's own element first (by title, then file name), then the whole site.
        let scopes: [Vec<String>; 4] = [
            local(by_title),
            local(by_stem),
            everywhere(by_title),
            everywhere(by_stem),
        ];
        let mut found = None;
        for chosen in &scopes {
            match chosen.as_slice() {
                [] => continue,
                [one] => {
                    found = Some(one.clone());
                    break;
                }
                many => {
                    let mut broken = Broken::new(format!(
                        "ambiguous title link \"[[{dest}]]\": {} pages match",
                        many.len()
                    ));
                    broken.notes.push(format!(
                        "candidates: {}",
                        many.iter()
                            .map(|s| format!("content/{s}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                    broken
                        .notes
                        .push("link by path instead, e.g. [text](@/path/to/page.md)".into());
                    return Err(broken);
                }
            }
        }
        let Some(source) = found else {
            let question = Question::Title {
                element: element.map(str::to_string),
                name: name.to_string(),
            };
            let suggestion = self.suggestions.answer(question, || {
                let titles = |element: Option<&str>| {
                    let set = Set::Titles {
                        element: element.map(str::to_string),
                    };
                    self.suggestions.set(set, || {
                        self.pages
                            .values()
                            .filter(|p| element.is_none() || p.element.as_deref() == element)
                            .map(|p| p.title.clone())
                            .collect()
                    })
                };
                let local = element.and_then(|e| titles(Some(e)).closest(name).map(str::to_string));
                local.or_else(|| titles(None).closest(name).map(str::to_string))
            });
            return Err(Broken::new(format!(
                "broken title link \"[[{dest}]]\": no page has that title or file name"
            ))
            .suggest(suggestion));
        };
        let source = source.as_str();
        self.check_draft(source, dest)?;
        self.check_fragment(source, fragment, dest)?;
        Ok(Resolved {
            href: format!(
                "{}{}{}",
                self.base_path,
                url_for_source(source),
                hash(fragment)
            ),
            page: Some(source.to_string()),
            redirect: None,
        })
    }

    fn element_of(&self, source: &str) -> Option<&str> {
        self.pages.get(source).and_then(|p| p.element.as_deref())
    }

    fn check_draft(&self, source: &str, dest: &str) -> Result<(), Broken> {
        match self.pages.get(source) {
            Some(IndexedPage {
                draft: Some(setting),
                ..
            }) if !self.drafts_built => {
                let mut broken = Broken::new(format!(
                    "link \"{dest}\" goes to a draft page, which is not published"
                ));
                broken.notes.push(format!(
                    "content/{source} has `{setting}`; build with --drafts to include it"
                ));
                Err(broken)
            }
            _ => Ok(()),
        }
    }

    fn check_fragment(&self, source: &str, fragment: &str, dest: &str) -> Result<(), Broken> {
        if fragment.is_empty() {
            return Ok(());
        }
        let fragment = percent_decode(fragment);
        let Some(page) = self.pages.get(source) else {
            return Ok(());
        };
        // `#top` needs no element (browsers scroll to the top); template ids are on every page
        // (the rendered output's check sees whether this page's layout really writes one).
        if page.anchors.contains(&fragment)
            || self.template_anchors.contains(&fragment)
            || fragment.eq_ignore_ascii_case("top")
        {
            return Ok(());
        }
        let question = Question::Anchor {
            source: source.to_string(),
            fragment: fragment.to_string(),
        };
        let nearest = self.suggestions.answer(question, || {
            let set = Set::Anchors {
                source: source.to_string(),
            };
            let anchors = self
                .suggestions
                .set(set, || page.anchors.iter().cloned().collect());
            anchors.closest(&fragment).map(str::to_string)
        });
        let suggestion = nearest.map(|a| {
            let prefix = &dest[..dest.find('#').unwrap_or(dest.len())];
            format!("{prefix}#{a}")
        });
        Err(Broken::new(format!(
            "broken anchor \"{dest}\": content/{source} has no heading with id \"{fragment}\""
        ))
        .suggest(suggestion))
    }

    /// The page or file at an absolute site path; `.md` paths name sources.
    fn find(&self, path: &str, content_path: bool) -> Option<Target<'_>> {
        if path.ends_with(".md") {
            let source = path.trim_start_matches('/');
            return self
                .pages
                .get_key_value(source)
                .map(|(s, _)| Target::Page(s.as_str()));
        }
        if content_path {
            return None;
        }
        if let Some(source) = self.by_url.get(path) {
            return Some(Target::Page(source));
        }
        if let Some(file) = self.files.get(path) {
            return Some(Target::File(file));
        }
        if path.ends_with('/')
            && let Some(file) = self.files.get(&format!("{path}index.html"))
        {
            // A folder served by its index file, like the generated home page: link the folder.
            return Some(Target::File(&file[..file.len() - "index.html".len()]));
        }
        if let Some(source) = self.redirects.get(path) {
            return Some(Target::Redirect(source));
        }
        let last = path.rsplit('/').next().unwrap_or("");
        if !last.is_empty() && !last.contains('.') {
            // An extensionless path: `/a/b` means `/a/b.html` or `/a/b/`.
            for guess in [format!("{path}.html"), format!("{path}/")] {
                if let Some(source) = self.by_url.get(&guess) {
                    return Some(Target::Page(source));
                }
            }
        }
        None
    }

    /// The existing site path closest to `wanted`: in the same folder first, then anywhere.
    fn nearest_path(&self, wanted: &str, content_path: bool) -> Option<String> {
        let question = Question::Path {
            wanted: wanted.to_string(),
            content_path,
        };
        self.suggestions.answer(question, || {
            let form = Form::of(wanted, content_path);
            let dir = url_dir(wanted);
            let nearby = Set::Nearby {
                dir: dir.to_string(),
                form,
            };
            let nearby = self.suggestions.set(nearby, || self.paths_in(dir, form));
            if let Some(found) = nearby.closest(wanted) {
                return Some(found.to_string());
            }
            let everywhere = self
                .suggestions
                .set(Set::Everywhere { form }, || self.all_paths(form));
            everywhere.closest(wanted).map(str::to_string)
        })
    }

    /// The page `source` as a suggestion written in `form`.
    fn written(source: &str, form: Form) -> String {
        if form.source {
            return format!("/{source}");
        }
        let url = url_for_source(source);
        if url.ends_with('/') && form.index_html {
            format!("{url}index.html")
        } else {
            url
        }
    }

    /// The pages and files directly in the URL folder `dir`.
    fn paths_in(&self, dir: &str, form: Form) -> Vec<String> {
        self.by_dir
            .get(dir)
            .into_iter()
            .flatten()
            .map(|s| Self::written(s, form))
            .chain(
                self.files
                    .range(dir.to_string()..)
                    .take_while(|f| f.starts_with(dir))
                    .filter(|f| !f[dir.len()..].contains('/'))
                    .cloned(),
            )
            .collect()
    }

    /// Every page, and every file unless only pages can be meant.
    fn all_paths(&self, form: Form) -> Vec<String> {
        let files = (!form.content_path).then_some(&self.files);
        self.pages
            .keys()
            .map(|s| Self::written(s, form))
            .chain(files.into_iter().flatten().cloned())
            .collect()
    }
}

enum Target<'a> {
    Page(&'a str),
    File(&'a str),
    /// A redirect page's path: the page (source) it redirects to.
    Redirect(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathStyle {
    /// `@/a/b.md`: a path below `content/`.
    Content,
    /// `/a/b.html`: from the site's root.
    Absolute,
    /// `b.html`, `../a/b.html`: from the page's folder.
    Relative,
}

impl PathStyle {
    fn of(path: &str) -> Self {
        if path.starts_with("@/") {
            PathStyle::Content
        } else if path.starts_with('/') {
            PathStyle::Absolute
        } else {
            PathStyle::Relative
        }
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
mod tests {
    use super::*;

    fn page(source: &str, title: &str, element: Option<&str>, anchors: &[&str]) -> IndexedPage {
        IndexedPage {
            source: source.into(),
            title: title.into(),
            element: element.map(str::to_string),
            anchors: anchors.iter().map(|a| a.to_string()).collect(),
            draft: None,
        }
    }

    fn site(base_path: &str) -> LinkIndex {
        let gtw = Some("elements/gotowebinar");
        let zd = Some("elements/zendesk");
        let mut index = LinkIndex::new(base_path, false);
        for p in [
            page("index.md", "Home", None, &[]),
            page("elements.md", "Element Guides", None, &["all"]),
            page(
                "elements/gotowebinar/index.md",
                "Overview",
                gtw,
                &["base-url"],
            ),
            page(
                "elements/gotowebinar/gotowebinar-endpoint-setup.md",
                "Endpoint Setup",
                gtw,
                &["register-your-application"],
            ),
            page(
                "elements/gotowebinar/gotowebinar-create-instance.md",
                "Create Instance",
                gtw,
                &[],
            ),
            page(
                "elements/gotowebinar/events.md",
                "Events",
                gtw,
                &["webhooks"],
            ),
            page("elements/zendesk/index.md", "Overview", zd, &[]),
            page("elements/zendesk/events.md", "Events", zd, &["polling"]),
            page("guides/start.md", "Getting Started", None, &[]),
        ] {
            index.insert_page(p);
        }
        index.insert_file("/elements/gotowebinar/img/app.png".into());
        index.insert_file("/downloads/postman.json".into());
        index
    }

    const SETUP: &str = "elements/gotowebinar/gotowebinar-endpoint-setup.md";
    const OVERVIEW: &str = "elements/gotowebinar/index.md";

    #[test]
    fn urls_follow_the_file_tree() {
        assert_eq!(url_for_source("index.md"), "/");
        assert_eq!(url_for_source("elements/x/index.md"), "/elements/x/");
        assert_eq!(
            url_for_source("elements/x/x-setup.md"),
            "/elements/x/x-setup.html"
        );
        assert_eq!(url_for_source("reindex.md"), "/reindex.html");
        assert_eq!(output_file_for_url("/"), "index.html");
        assert_eq!(output_file_for_url("/elements/x/"), "elements/x/index.html");
        assert_eq!(output_file_for_url("/a/b.html"), "a/b.html");
    }

    #[test]
    fn every_link_form_resolves() {
        let index = site("");
        // (from, kind, as written, expected href)
        let cases = [
            (
                OVERVIEW,
                LinkKind::Link,
                "gotowebinar-endpoint-setup.html",
                "/elements/gotowebinar/gotowebinar-endpoint-setup.html",
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "gotowebinar-endpoint-setup.md",
                "/elements/gotowebinar/gotowebinar-endpoint-setup.html",
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "events.html#webhooks",
                "/elements/gotowebinar/events.html#webhooks",
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "events.html?tab=2#webhooks",
                "/elements/gotowebinar/events.html?tab=2#webhooks",
            ),
            (OVERVIEW, LinkKind::Link, "./", "/elements/gotowebinar/"),
            (
                OVERVIEW,
                LinkKind::Link,
                "../zendesk/",
                "/elements/zendesk/",
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "../zendesk/events.html#polling",
                "/elements/zendesk/events.html#polling",
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "../zendesk/index.html",
                "/elements/zendesk/",
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "../../elements.html",
                "/elements.html",
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "../../guides/start",
                "/guides/start.html",
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "/elements/zendesk/events.html",
                "/elements/zendesk/events.html",
            ),
            (OVERVIEW, LinkKind::Link, "/", "/"),
            (
                OVERVIEW,
                LinkKind::Link,
                "/downloads/postman.json",
                "/downloads/postman.json",
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "@/elements/zendesk/events.md#polling",
                "/elements/zendesk/events.html#polling",
            ),
            (OVERVIEW, LinkKind::Link, "@/index.md", "/"),
            (OVERVIEW, LinkKind::Link, "#base-url", "#base-url"),
            (
                OVERVIEW,
                LinkKind::Image,
                "img/app.png",
                "/elements/gotowebinar/img/app.png",
            ),
            (
                SETUP,
                LinkKind::Title,
                "Create Instance",
                "/elements/gotowebinar/gotowebinar-create-instance.html",
            ),
            (
                SETUP,
                LinkKind::Title,
                "create instance",
                "/elements/gotowebinar/gotowebinar-create-instance.html",
            ),
            (
                SETUP,
                LinkKind::Title,
                "Events#webhooks",
                "/elements/gotowebinar/events.html#webhooks",
            ),
            (
                SETUP,
                LinkKind::Title,
                "gotowebinar-create-instance",
                "/elements/gotowebinar/gotowebinar-create-instance.html",
            ),
            (
                "elements/zendesk/index.md",
                LinkKind::Title,
                "Events",
                "/elements/zendesk/events.html",
            ),
            (
                "guides/start.md",
                LinkKind::Title,
                "Endpoint Setup",
                "/elements/gotowebinar/gotowebinar-endpoint-setup.html",
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "https://example.com/x",
                "https://example.com/x",
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "mailto:help@example.com",
                "mailto:help@example.com",
            ),
        ];
        for (from, kind, dest, href) in cases {
            match index.resolve(from, kind, dest) {
                Ok(resolved) => assert_eq!(resolved.href, href, "{dest}"),
                Err(broken) => panic!("{dest}: {broken:?}"),
            }
        }
    }

    #[test]
    fn base_path_prefixes_every_internal_url() {
        let index = site("/docs");
        let href = |dest: &str| index.resolve(OVERVIEW, LinkKind::Link, dest).unwrap().href;
        assert_eq!(
            href("events.html"),
            "/docs/elements/gotowebinar/events.html"
        );
        assert_eq!(href("/elements.html"), "/docs/elements.html");
        assert_eq!(href("/docs/elements.html"), "/docs/elements.html");
        assert_eq!(
            href("img/app.png"),
            "/docs/elements/gotowebinar/img/app.png"
        );
        assert_eq!(href("#base-url"), "#base-url");
        assert_eq!(href("https://x.org/docs/a"), "https://x.org/docs/a");
    }

    #[test]
    fn broken_links_suggest_the_nearest_target_as_written() {
        let index = site("");
        // (from, kind, as written, message, suggestion)
        let cases = [
            (
                OVERVIEW,
                LinkKind::Link,
                "gotowebinar-endpoint-setp.html",
                "broken link \"gotowebinar-endpoint-setp.html\"",
                Some("gotowebinar-endpoint-setup.html"),
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "../zendesk/event.html",
                "broken link \"../zendesk/event.html\"",
                Some("../zendesk/events.html"),
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "/elements/zendesk/evnts.html",
                "broken link \"/elements/zendesk/evnts.html\"",
                Some("/elements/zendesk/events.html"),
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "@/elements/zendesk/event.md",
                "broken link \"@/elements/zendesk/event.md\"",
                Some("@/elements/zendesk/events.md"),
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "events.html#webhook",
                "broken anchor \"events.html#webhook\": content/elements/gotowebinar/events.md has no heading with id \"webhook\"",
                Some("events.html#webhooks"),
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "#base",
                "broken anchor \"#base\": content/elements/gotowebinar/index.md has no heading with id \"base\"",
                Some("#base-url"),
            ),
            (
                OVERVIEW,
                LinkKind::Image,
                "img/ap.png",
                "broken image \"img/ap.png\"",
                Some("img/app.png"),
            ),
            (
                SETUP,
                LinkKind::Title,
                "Create Instanse",
                "broken title link \"[[Create Instanse]]\": no page has that title or file name",
                Some("Create Instance"),
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "../../../x.html",
                "broken link \"../../../x.html\": it goes above the site's root",
                None,
            ),
            (
                OVERVIEW,
                LinkKind::Link,
                "completely-unrelated-name.html",
                "broken link \"completely-unrelated-name.html\"",
                None,
            ),
            (OVERVIEW, LinkKind::Link, "", "empty link target", None),
        ];
        for (from, kind, dest, message, suggestion) in cases {
            let broken = index.resolve(from, kind, dest).expect_err(dest);
            assert_eq!(broken.message, message, "{dest}");
            assert_eq!(broken.suggestion.as_deref(), suggestion, "{dest}");
        }
    }

    #[test]
    fn a_file_name_in_the_own_element_beats_a_title_elsewhere() {
        let mut index = site("");
        let gtw = Some("elements/gotowebinar");
        index.insert_page(page(
            "elements/gotowebinar/webhooks.md",
            "Receiving Events",
            gtw,
            &[],
        ));
        index.insert_page(page(
            "elements/zendesk/hooks.md",
            "Webhooks",
            Some("elements/zendesk"),
            &[],
        ));
        let r = index.resolve(SETUP, LinkKind::Title, "webhooks").unwrap();
        assert_eq!(r.href, "/elements/gotowebinar/webhooks.html");
        let r = index
            .resolve("guides/start.md", LinkKind::Title, "webhooks")
            .unwrap();
        assert_eq!(
            r.href, "/elements/zendesk/hooks.html",
            "outside any element, titles come first"
        );
    }

    #[test]
    fn ambiguous_titles_list_the_candidates() {
        let broken = site("")
            .resolve("guides/start.md", LinkKind::Title, "Events")
            .unwrap_err();
        assert_eq!(
            broken.message,
            "ambiguous title link \"[[Events]]\": 2 pages match"
        );
        assert_eq!(
            broken.notes[0],
            "candidates: content/elements/gotowebinar/events.md, content/elements/zendesk/events.md"
        );
    }

    #[test]
    fn links_to_unpublished_drafts_are_broken() {
        let mut index = site("");
        let mut draft = page("guides/wip.md", "Work in Progress", None, &[]);
        draft.draft = Some("draft: true");
        index.insert_page(draft.clone());
        let broken = index
            .resolve("index.md", LinkKind::Link, "guides/wip.html")
            .unwrap_err();
        assert!(broken.message.contains("draft"), "{broken:?}");
        let mut with_drafts = LinkIndex::new("", true);
        with_drafts.insert_page(page("index.md", "Home", None, &[]));
        with_drafts.insert_page(draft);
        assert!(
            with_drafts
                .resolve("index.md", LinkKind::Link, "guides/wip.html")
                .is_ok()
        );
    }

    #[test]
    fn removing_a_page_breaks_links_to_it() {
        let mut index = site("");
        assert!(
            index
                .resolve(OVERVIEW, LinkKind::Link, "events.html")
                .is_ok()
        );
        index.remove_page("elements/gotowebinar/events.md");
        assert!(
            index
                .resolve(OVERVIEW, LinkKind::Link, "events.html")
                .is_err()
        );
        assert!(
            index.resolve(SETUP, LinkKind::Title, "Events").is_ok(),
            "zendesk's Events is left"
        );
        assert!(index.page_at("/elements/gotowebinar/events.html").is_none());
    }

    #[test]
    fn externality_is_decided_by_scheme() {
        for dest in [
            "https://a.b",
            "http://a",
            "mailto:x@y",
            "tel:+1",
            "data:image/png;base64,x",
            "//cdn.x/y.js",
            "ftp://f",
        ] {
            assert!(is_external(dest), "{dest}");
        }
        for dest in ["a.html", "/a:b.html", "../x", "@/a.md", "#top", "dir/a:b"] {
            assert!(!is_external(dest), "{dest}");
        }
    }

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(relative_path("/a/b/", "/a/b/c.html"), "c.html");
        assert_eq!(relative_path("/a/b/", "/a/d/c.html"), "../d/c.html");
        assert_eq!(relative_path("/", "/x/y.html"), "x/y.html");
        assert_eq!(relative_path("/a/", "/b.html"), "../b.html");
        assert_eq!(relative_path("/a/", "/a/"), "./");
    }

    #[test]
    fn joining_resolves_dots() {
        assert_eq!(join("/a/b/", "../c.html").as_deref(), Some("/a/c.html"));
        assert_eq!(join("/a/b/", "./").as_deref(), Some("/a/b/"));
        assert_eq!(join("/a/b/", "..").as_deref(), Some("/a/"));
        assert_eq!(join("/a/", "x/../y/z.png").as_deref(), Some("/a/y/z.png"));
        assert_eq!(join("/a/", "../../x"), None);
    }

    #[test]
    fn percent_encoded_paths_are_decoded() {
        let mut index = LinkIndex::new("", false);
        index.insert_page(page("index.md", "Home", None, &[]));
        index.insert_file("/files/My Report.pdf".into());
        let r = index
            .resolve("index.md", LinkKind::Link, "files/My%20Report.pdf")
            .unwrap();
        assert_eq!(r.href, "/files/My%20Report.pdf");
        assert_eq!(percent_decode("a%2Fb%zz%"), "a/b%zz%");
    }
}

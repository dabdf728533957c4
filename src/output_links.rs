//! Check stage for the rendered output: after rendering, every internal URL of every HTML file
//! docgen writes (pages with their theme and templates, the generated home and 404 pages,
//! redirect pages) and every `url()` of the site's CSS is resolved as a browser resolves it and
//! checked against the files of the output and the ids each HTML file holds. Broken ones are
//! blamed where they were written: a template literal once at the template's line (with the
//! number of pages), a front matter value at the page's key, content at the link. Pure: the
//! build and the serve session feed it what they render (`OutputCheck` is kept between rebuilds).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use crate::diagnostic::{Diagnostic, Severity};
use crate::links::{self, is_external, join_clamped, percent_decode, url_dir};
use crate::markdown::LinkKind;
use crate::raw_html::{self, UrlRole};
use crate::theme::TemplateFile;
use crate::wording::{thousands, word};

/// How the site's URLs look: its base path and the origin of `base_url` (`https://d.example.com`),
/// so that an absolute URL to the site itself is checked too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteUrls {
    pub base_path: String,
    pub origin: Option<String>,
}

impl SiteUrls {
    pub fn new(config: &crate::config::Config) -> SiteUrls {
        let origin = config.base_url.as_ref().map(|base| {
            let base = base.trim_end_matches('/');
            base[..base.len().saturating_sub(config.base_path.len())].to_string()
        });
        SiteUrls {
            base_path: config.base_path.clone(),
            origin,
        }
    }

    /// Where `url`, written in the page at site path `from` (`/a/b.html`, without the base
    /// path), leads; `None` for a URL that leaves the site.
    fn locate(&self, from: &str, url: &str) -> Option<Located> {
        let own;
        let mut url = url;
        if let Some(rest) = self.own_path(url) {
            own = format!(
                "{}{}",
                self.base_path,
                if rest.is_empty() { "/" } else { rest }
            );
            url = &own;
        } else if is_external(url) {
            return None;
        }
        let (before, fragment) = url.split_once('#').unwrap_or((url, ""));
        let path = before.split('?').next().unwrap_or("");
        let fragment = percent_decode(fragment);
        if path.is_empty() {
            return Some(Located::Path {
                path: from.to_string(),
                fragment,
            });
        }
        let path = percent_decode(path);
        let path = if path.starts_with('/') {
            let absolute = join_clamped("/", &path);
            if self.base_path.is_empty() {
                absolute
            } else {
                match absolute.strip_prefix(&self.base_path) {
                    Some("") => "/".to_string(),
                    Some(rest) if rest.starts_with('/') => rest.to_string(),
                    _ => return Some(Located::OutsideBase),
                }
            }
        } else {
            join_clamped(url_dir(from), &path)
        };
        Some(Located::Path { path, fragment })
    }
}

impl SiteUrls {
    /// For an absolute URL below `base_url`, the rest of it (`/a.html`, or "").
    fn own_path<'u>(&self, url: &'u str) -> Option<&'u str> {
        let origin = self.origin.as_deref()?;
        let rest = url
            .strip_prefix(origin)?
            .strip_prefix(self.base_path.as_str())?;
        (rest.is_empty() || rest.starts_with(['/', '?', '#'])).then_some(rest)
    }
}

enum Located {
    Path {
        path: String,
        fragment: String,
    },
    /// An absolute path that is not below the site's base path.
    OutsideBase,
}

/// What wrote an HTML file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// A page (its source below `content/`).
    Page(String),
    /// A page docgen makes itself: `404.html`, `index.html`.
    Generated(&'static str),
    /// A redirect page of the `redirect_from` of this page (its source).
    Redirect(String),
}

/// An internal URL found in an HTML file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutRef {
    /// As the browser reads the attribute (character references decoded).
    pub url: String,
    /// `a href`, `img srcset`.
    pub attr: &'static str,
    pub role: UrlRole,
    /// Whether it is inside the page's rendered Markdown (its links are checked at their line).
    pub in_content: bool,
}

/// One HTML file of the output, read: its site path, ids and internal URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub owner: Owner,
    /// Its site path without the base path: `/a/b.html`, `/a/`.
    pub site_path: String,
    pub ids: HashSet<String>,
    pub refs: Vec<OutRef>,
}

/// The rendered Markdown inside a page's HTML: where it is, and what the page's outline knows
/// of it (its ids, and the URLs its links became), so that it need not be read again.
pub struct Content<'a> {
    pub range: Range<usize>,
    pub ids: Vec<&'a str>,
    /// (URL, `a href`-style label, role) of each link of the Markdown, with its resolved href.
    pub links: Vec<(&'a str, &'static str, UrlRole)>,
}

impl Scanned {
    /// Reads `html`, written at `site_path` by `owner`. With `content`, the page's rendered
    /// Markdown is not read again: its ids come from the outline, and of its links (checked at
    /// their lines already) only those with a `#fragment` are kept, since a fragment may name an
    /// id that only a layout writes.
    pub fn new(
        owner: Owner,
        site_path: String,
        html: &str,
        content: Option<Content<'_>>,
        urls: &SiteUrls,
    ) -> Scanned {
        let mut ids = HashSet::new();
        let mut refs = Vec::new();
        let mut read = |part: &str| {
            raw_html::for_each_link_tag(part, |tag| {
                ids.extend(raw_html::anchor_ids(tag).map(str::to_string));
                for r in raw_html::url_refs(tag, part) {
                    if is_external(&r.url) && urls.own_path(&r.url).is_none() {
                        continue;
                    }
                    refs.push(OutRef {
                        url: r.url,
                        attr: r.attr,
                        role: r.role,
                        in_content: false,
                    });
                }
            });
        };
        match &content {
            Some(c) if c.range.end <= html.len() => {
                read(&html[..c.range.start]);
                read(&html[c.range.end..]);
            }
            _ => read(html),
        }
        if let Some(c) = content {
            ids.extend(c.ids.into_iter().map(str::to_string));
            for (url, attr, role) in c.links {
                if url.contains('#') && (!is_external(url) || urls.own_path(url).is_some()) {
                    refs.push(OutRef {
                        url: url.to_string(),
                        attr,
                        role,
                        in_content: true,
                    });
                }
            }
        }
        // A fragment of the page itself is settled now (its ids change only when it is read
        // again); only broken ones are kept, to be reported.
        refs.retain(|r| {
            let Some(fragment) = r.url.strip_prefix('#') else {
                return true;
            };
            let fragment = percent_decode(fragment);
            !(fragment.is_empty()
                || fragment.eq_ignore_ascii_case("top")
                || ids.contains(&fragment))
        });
        Scanned {
            owner,
            site_path,
            ids,
            refs,
        }
    }
}

/// A stylesheet of the site (static or theme), read: its `url()`s with their positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CssScan {
    /// The file, for messages: `static/css/site.css`, `themes/x/static/theme.css`.
    pub file: String,
    pub site_path: String,
    /// (URL, line, column).
    pub refs: Vec<(String, u32, u32)>,
    /// The text, to quote lines.
    pub text: String,
}

impl CssScan {
    pub fn new(file: String, site_path: String, text: String) -> CssScan {
        CssScan {
            file,
            site_path,
            refs: css_urls(&text),
            text,
        }
    }
}

/// Why a URL of the output is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Nothing in the output is at that path.
    Missing,
    /// An absolute path outside the site's base path.
    OutsideBase,
    /// The file exists but has no element with the fragment's id.
    Anchor { file: String, fragment: String },
}

/// A broken URL: the index of the ref (or CSS `url()`) in its file, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub index: usize,
    pub problem: Problem,
}

/// The output as far as links care: its files, its HTML files read, its stylesheets, and what
/// is broken in each. Kept between the rebuilds of `serve`.
#[derive(Debug, Clone, Default)]
pub struct OutputCheck {
    urls: SiteUrls,
    /// Output paths (`a/b.html`, `img/x.png`) of every file written.
    files: HashSet<String>,
    /// HTML files of the output by output path.
    pages: HashMap<String, Scanned>,
    css: HashMap<String, CssScan>,
    /// Output path → its broken URLs (HTML files and stylesheets).
    findings: BTreeMap<String, Vec<Finding>>,
}

impl OutputCheck {
    pub fn new(urls: SiteUrls) -> OutputCheck {
        OutputCheck {
            urls,
            ..OutputCheck::default()
        }
    }

    /// Sets the files the output has (output paths), HTML pages included.
    pub fn set_files(&mut self, files: impl IntoIterator<Item = String>) {
        self.files = files.into_iter().collect();
    }

    pub fn add_file(&mut self, file: String) -> bool {
        self.files.insert(file)
    }

    pub fn remove_file(&mut self, file: &str) -> bool {
        self.pages.remove(file);
        self.css.remove(file);
        self.findings.remove(file);
        self.files.remove(file)
    }

    /// Records an HTML file of the output (not yet checked); whether its ids changed.
    pub fn insert_page(&mut self, file: String, scanned: Scanned) -> bool {
        self.files.insert(file.clone());
        let ids_changed = self
            .pages
            .get(&file)
            .is_none_or(|old| old.ids != scanned.ids);
        self.pages.insert(file, scanned);
        ids_changed
    }

    pub fn insert_css(&mut self, file: String, scan: CssScan) {
        self.files.insert(file.clone());
        self.css.insert(file, scan);
    }

    /// Forgets every stylesheet (before reading them again).
    pub fn clear_css(&mut self) {
        for file in self.css.keys() {
            self.findings.remove(file);
        }
        self.css.clear();
    }

    /// Checks every file again.
    pub fn verify_all(&mut self) {
        let files: Vec<String> = self.pages.keys().chain(self.css.keys()).cloned().collect();
        self.verify(files.iter().map(String::as_str));
    }

    /// Checks the given output files again (HTML files or stylesheets).
    pub fn verify<'a>(&mut self, files: impl IntoIterator<Item = &'a str>) {
        for file in files {
            let found = if let Some(page) = self.pages.get(file) {
                self.verify_page(page)
            } else if let Some(css) = self.css.get(file) {
                self.verify_css(css)
            } else {
                Vec::new()
            };
            if found.is_empty() {
                self.findings.remove(file);
            } else {
                self.findings.insert(file.to_string(), found);
            }
        }
    }

    fn verify_page(&self, page: &Scanned) -> Vec<Finding> {
        let mut found = Vec::new();
        for (index, r) in page.refs.iter().enumerate() {
            if let Some(problem) = self.problem(&page.site_path, &r.url, true) {
                found.push(Finding { index, problem });
            }
        }
        found
    }

    fn verify_css(&self, css: &CssScan) -> Vec<Finding> {
        let mut found = Vec::new();
        for (index, (url, _, _)) in css.refs.iter().enumerate() {
            if let Some(problem) = self.problem(&css.site_path, url, false) {
                found.push(Finding { index, problem });
            }
        }
        found
    }

    /// What is wrong with `url` written in the file at `from`, if anything.
    fn problem(&self, from: &str, url: &str, check_fragment: bool) -> Option<Problem> {
        let (path, fragment) = match self.urls.locate(from, url)? {
            Located::OutsideBase => return Some(Problem::OutsideBase),
            Located::Path { path, fragment } => (path, fragment),
        };
        let Some(file) = self.file_at(&path) else {
            return Some(Problem::Missing);
        };
        // `#` and `#top` scroll to the top of any page (HTML standard).
        if !check_fragment || fragment.is_empty() || fragment.eq_ignore_ascii_case("top") {
            return None;
        }
        match self.pages.get(&file) {
            Some(target) if !target.ids.contains(&fragment) => {
                Some(Problem::Anchor { file, fragment })
            }
            _ => None,
        }
    }

    /// The output file served at a site path: `/a/` is `a/index.html`; an extensionless `/a/b`
    /// is `a/b.html` or `a/b/index.html`, as static hosts serve them.
    fn file_at(&self, path: &str) -> Option<String> {
        let rel = path.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            let file = format!("{rel}index.html");
            return self.files.contains(&file).then_some(file);
        }
        if self.files.contains(rel) {
            return Some(rel.to_string());
        }
        let last = rel.rsplit('/').next().unwrap_or(rel);
        if !last.contains('.') {
            for file in [format!("{rel}.html"), format!("{rel}/index.html")] {
                if self.files.contains(&file) {
                    return Some(file);
                }
            }
        }
        None
    }

    /// The HTML files read, by output path (to carry them into a new check).
    pub fn into_pages(self) -> HashMap<String, Scanned> {
        self.pages
    }

    /// Whether anything is broken.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// The broken URLs as diagnostics, each blamed where it was written (see `Blame`).
    pub fn report(&self, blame: &Blame<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        // A template literal: one diagnostic per template location and message.
        let mut grouped: BTreeMap<(String, u32, u32, String), (Diagnostic, usize)> =
            BTreeMap::new();
        let mut literals: HashMap<String, Option<(String, u32, u32, String)>> = HashMap::new();
        for (file, findings) in &self.findings {
            if let Some(css) = self.css.get(file) {
                for f in findings {
                    let (url, line, column) = &css.refs[f.index];
                    let mut d = Diagnostic::error(
                        "broken-link",
                        &css.file,
                        format!(
                            "{} in url()",
                            self.message(url, UrlRole::Image, &f.problem, "")
                        ),
                    )
                    .at(*line, *column)
                    .with_suggestion(self.suggest(&css.site_path, url, &f.problem))
                    .with_source(&css.text, url.chars().count());
                    d.severity = blame.severity;
                    out.push(d);
                }
                continue;
            }
            let Some(page) = self.pages.get(file) else {
                continue;
            };
            let owner_label = blame.owner_file(&page.owner);
            for f in findings {
                let r = &page.refs[f.index];
                let message = self.message(&r.url, r.role, &f.problem, file);
                let suggestion = self.suggest(&page.site_path, &r.url, &f.problem);
                let where_note = format!("in <{}> of the rendered {owner_label}", r.attr);
                if r.in_content
                    && let Owner::Page(source) = &page.owner
                {
                    if let Some(d) = blame.content(source, r, &message, suggestion.clone()) {
                        out.extend(d);
                        continue;
                    }
                } else {
                    let literal = literals
                        .entry(r.url.clone())
                        .or_insert_with(|| find_literal(blame.templates, &r.url, &self.urls));
                    if let Some((origin, line, column, text)) = literal {
                        let key = (origin.clone(), *line, *column, message.clone());
                        let entry = grouped.entry(key).or_insert_with(|| {
                            let mut d = Diagnostic::error("broken-link", origin.clone(), &message)
                                .at(*line, *column)
                                .with_suggestion(suggestion.clone())
                                .with_note(where_note.clone())
                                .with_source(text, r.url.chars().count());
                            d.severity = blame.severity;
                            (d, 0)
                        });
                        entry.1 += 1;
                        continue;
                    }
                    if let Some(d) = blame.front_matter(&page.owner, &r.url, &message) {
                        out.push(d.with_suggestion(suggestion));
                        continue;
                    }
                }
                let mut d = blame
                    .owner_diagnostic(&page.owner, message)
                    .with_suggestion(suggestion)
                    .with_note(where_note)
                    .with_note("not written as a literal in any template".to_string());
                d.severity = blame.severity;
                out.push(d);
            }
        }
        for (_, (mut d, count)) in grouped {
            if count > 1 {
                let others = count - 1;
                d = d.with_note(format!(
                    "and {} other {}",
                    thousands(others),
                    word(others, "page", "pages")
                ));
            }
            out.push(d);
        }
        out
    }

    fn message(&self, url: &str, role: UrlRole, problem: &Problem, this_file: &str) -> String {
        let what = if role == UrlRole::Image {
            "image"
        } else {
            "link"
        };
        match problem {
            Problem::Missing => format!("broken {what} \"{url}\""),
            Problem::OutsideBase => format!(
                "broken {what} \"{url}\": it is outside the site's base path {}",
                self.urls.base_path
            ),
            Problem::Anchor { file, fragment } if file == this_file => {
                format!("broken anchor \"{url}\": the page has no element with id \"{fragment}\"")
            }
            Problem::Anchor { file, fragment } => {
                format!("broken anchor \"{url}\": {file} has no element with id \"{fragment}\"")
            }
        }
    }

    /// The nearest existing file (or id), written as the URL was (an absolute path as one).
    fn suggest(&self, from: &str, url: &str, problem: &Problem) -> Option<String> {
        match problem {
            Problem::Missing => {
                let Some(Located::Path { path, .. }) = self.urls.locate(from, url) else {
                    return None;
                };
                let dir = url_dir(&path).trim_start_matches('/');
                let nearby: Vec<&str> = self
                    .files
                    .iter()
                    .filter(|f| f.starts_with(dir) && !f[dir.len()..].contains('/'))
                    .map(String::as_str)
                    .collect();
                let found = crate::suggest::closest(path.trim_start_matches('/'), nearby)?;
                let absolute = format!("/{found}");
                Some(if url.starts_with('/') || url.contains("://") {
                    format!("{}{absolute}", self.urls.base_path)
                } else {
                    links::relative_path(url_dir(from), &absolute)
                })
            }
            Problem::Anchor { file, fragment } => {
                let ids = &self.pages.get(file)?.ids;
                let found = crate::suggest::closest(fragment, ids.iter().map(String::as_str))?;
                let prefix = &url[..url.find('#').unwrap_or(url.len())];
                Some(format!("{prefix}#{found}"))
            }
            Problem::OutsideBase => None,
        }
    }
}

/// What `OutputCheck::report` needs to blame a broken URL where it was written.
pub struct Blame<'a> {
    pub templates: &'a [TemplateFile],
    pub site: &'a crate::build::Site,
    /// The hrefs the check stage gave a page's links (by source), to find the link behind a URL
    /// of its rendered Markdown.
    pub hrefs: &'a dyn Fn(&str) -> Option<&'a crate::markdown::ResolvedLinks>,
    pub severity: Severity,
}

impl Blame<'_> {
    fn owner_file(&self, owner: &Owner) -> String {
        match owner {
            Owner::Page(source) | Owner::Redirect(source) => crate::page::display_path(source),
            Owner::Generated(file) => format!("generated {file}"),
        }
    }

    /// A diagnostic about the file that wrote `owner`'s page (no better place known).
    fn owner_diagnostic(&self, owner: &Owner, message: String) -> Diagnostic {
        match owner {
            Owner::Page(source) => {
                Diagnostic::error("broken-link", self.owner_file(owner), message).with_note(
                    format!(
                        "written by its layout \"{}\"",
                        self.site.page(source).map_or("page", |p| p.layout())
                    ),
                )
            }
            Owner::Redirect(source) => {
                let mut d = Diagnostic::error("broken-link", self.owner_file(owner), message);
                if let Some(page) = self.site.page(source) {
                    let line = page.front.line_of("redirect_from");
                    d = d
                        .at(line, u32::from(line > 0))
                        .with_source(&page.text, "redirect_from".len());
                }
                d.with_note("in its redirect page")
            }
            Owner::Generated(file) => {
                Diagnostic::error("broken-link", format!("the generated {file}"), message)
            }
        }
    }

    /// A URL of a page's rendered Markdown: `None` when its link is already reported by the
    /// check stage (`Some(vec![])`), or at the link that resolved to it.
    fn content(
        &self,
        source: &str,
        r: &OutRef,
        message: &str,
        suggestion: Option<String>,
    ) -> Option<Vec<Diagnostic>> {
        let page = self.site.page(source)?;
        let hrefs = (self.hrefs)(source)?;
        let link = page
            .doc
            .links
            .iter()
            .find(|link| hrefs.href(link.id) == Some(r.url.as_str()))?;
        let resolved = match link.html {
            Some(_) => self.site.index.resolve_html(source, link.kind, &link.dest),
            None => self.site.index.resolve(source, link.kind, &link.dest),
        };
        if resolved.is_err() {
            // The check stage reported it at its line already.
            return Some(Vec::new());
        }
        let kind_note = match (link.html, link.kind) {
            (Some(attr), _) => format!("in raw HTML: <{attr}>"),
            (None, LinkKind::Image) => format!("alt text: \"{}\"", link.text),
            _ => format!("link text: \"{}\"", link.text),
        };
        let mut d = Diagnostic::error("broken-link", page.file(), message)
            .with_suggestion(suggestion)
            .with_note(kind_note)
            .with_note("found in the rendered page: the layout does not write that id");
        d.severity = self.severity;
        Some(vec![link.place(d, &page.text)])
    }

    /// A URL that is the value of a front matter key of the page (`logo:`, `breadcrumbs:`, or a
    /// key of its own a template writes as a URL): blamed on the key.
    fn front_matter(&self, owner: &Owner, url: &str, message: &str) -> Option<Diagnostic> {
        let Owner::Page(source) = owner else {
            return None;
        };
        let page = self.site.page(source)?;
        let front = &page.front;
        let base = &self.site.config.base_path;
        let matches = |value: &str| {
            !value.is_empty()
                && (value == url
                    || format!("{base}{value}") == url
                    || (value.len() > 3 && url.ends_with(value)))
        };
        let mut keys: Vec<(&str, &str)> = Vec::new();
        keys.extend(front.logo.as_deref().map(|v| ("logo", v)));
        keys.extend(front.breadcrumbs.as_deref().map(|v| ("breadcrumbs", v)));
        for (key, value) in &front.extra {
            if let Some(v) = value.as_str() {
                keys.push((key.as_str(), v));
            }
        }
        let (key, _) = keys.into_iter().find(|(_, v)| matches(v))?;
        let line = front.line_of(key);
        let mut d = Diagnostic::error("broken-link", page.file(), format!("`{key}`: {message}"))
            .at(line, u32::from(line > 0))
            .with_note(format!(
                "its layout \"{}\" writes it into the page",
                page.layout()
            ))
            .with_source(&page.text, key.len());
        d.severity = self.severity;
        Some(d)
    }
}

/// Where a template writes `url` as a literal: (origin, line, column, the template's text).
/// The base path may come from a variable (`{{ site.base_path }}/x.html`).
fn find_literal(
    templates: &[TemplateFile],
    url: &str,
    urls: &SiteUrls,
) -> Option<(String, u32, u32, String)> {
    let mut needles = vec![url.to_string(), crate::highlight::escape(url)];
    if !urls.base_path.is_empty()
        && let Some(rest) = url.strip_prefix(&urls.base_path)
        && rest.starts_with('/')
    {
        needles.push(rest.to_string());
    }
    for template in templates {
        for needle in &needles {
            let text = &template.text;
            let mut from = 0;
            while let Some(i) = text[from..].find(needle.as_str()) {
                let start = from + i;
                let end = start + needle.len();
                from = start + 1;
                let before = &text[..start];
                let after = &text[end..];
                let opens = before.ends_with(['"', '\'', '=']) || before.ends_with("}}");
                let closes = after.starts_with(['"', '\'', ' ', '>', '\n']) || after.is_empty();
                if opens && closes {
                    let (line, column) = crate::diagnostic::LineIndex::new(text).position(start);
                    return Some((template.origin.clone(), line, column, text.clone()));
                }
            }
        }
    }
    None
}

/// The ids the templates write as literals (`<main id="main">`); values built from variables
/// are left out.
pub fn template_anchors(templates: &[TemplateFile]) -> HashSet<String> {
    let mut ids = HashSet::new();
    for template in templates {
        raw_html::for_each_start_tag(&template.text, |tag| {
            ids.extend(
                raw_html::anchor_ids(tag)
                    .filter(|id| !id.contains("{{") && !id.contains("{%"))
                    .map(str::to_string),
            );
        });
    }
    ids
}

/// The URLs a stylesheet loads: every `url(…)` (quoted or not) and `@import "…"`, outside
/// comments, with their 1-based line and column. `data:` and external URLs are left out.
pub fn css_urls(css: &str) -> Vec<(String, u32, u32)> {
    let bytes = css.as_bytes();
    let lines = crate::diagnostic::LineIndex::new(css);
    let mut out = Vec::new();
    let mut push = |url: &str, at: usize| {
        let url = url.trim();
        if !url.is_empty() && !is_external(url) && !url.starts_with('#') {
            let (line, column) = lines.position(at);
            out.push((url.to_string(), line, column));
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = css[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
            }
            b'"' | b'\'' => i = string_end(bytes, i),
            b'@' if css[i..].len() > 7 && css[i + 1..i + 7].eq_ignore_ascii_case("import") => {
                let mut j = i + 7;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < bytes.len() && matches!(bytes[j], b'"' | b'\'') {
                    let end = string_end(bytes, j);
                    push(&css[j + 1..end.saturating_sub(1).max(j + 1)], j + 1);
                    i = end;
                } else {
                    i = j;
                }
            }
            b'u' | b'U'
                if css[i..].len() > 4
                    && css[i..i + 4].eq_ignore_ascii_case("url(")
                    && (i == 0 || !is_ident(bytes[i - 1])) =>
            {
                let mut j = i + 4;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < bytes.len() && matches!(bytes[j], b'"' | b'\'') {
                    let end = string_end(bytes, j);
                    push(&css[j + 1..end.saturating_sub(1).max(j + 1)], j + 1);
                    i = end;
                } else {
                    let end = css[j..].find(')').map_or(bytes.len(), |e| j + e);
                    push(&css[j..end], j);
                    i = end;
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// The index just past the string starting with the quote at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(base: &str) -> SiteUrls {
        SiteUrls {
            base_path: base.into(),
            origin: Some("https://d.example.com".into()),
        }
    }

    fn scan(site_path: &str, html: &str, base: &str) -> Scanned {
        Scanned::new(
            Owner::Page("x.md".into()),
            site_path.into(),
            html,
            None,
            &urls(base),
        )
    }

    fn problems(check: &OutputCheck, file: &str) -> Vec<(String, Problem)> {
        let page = &check.pages[file];
        check
            .findings
            .get(file)
            .into_iter()
            .flatten()
            .map(|f| (page.refs[f.index].url.clone(), f.problem.clone()))
            .collect()
    }

    #[test]
    fn urls_are_resolved_as_a_browser_does() {
        let mut check = OutputCheck::new(urls("/docs"));
        check.set_files(["img/x.png", "b.html", "guide/index.html"].map(String::from));
        let html = "<main id=main><a href=#main></a><a href=\"#nope\"></a><a href=#top></a>\
            <img src=\"/../../docs/img/x.png\"><img src=../img/x.png><a href=/docs/b.html#main>\
            <a href=/other/x.html><a href=https://d.example.com/docs/guide/><a href=/docs/guide>\
            <a href=\"https://elsewhere.org/x\"><a href=\"missing.html\"><a href=\"/docs/b.html?q=1#x\">";
        check.insert_page("a/index.html".into(), scan("/a/", html, "/docs"));
        check.insert_page("b.html".into(), scan("/b.html", "<h2 id=main>", "/docs"));
        check.verify_all();
        assert_eq!(
            problems(&check, "a/index.html"),
            [
                (
                    "#nope".into(),
                    Problem::Anchor {
                        file: "a/index.html".into(),
                        fragment: "nope".into()
                    }
                ),
                ("/other/x.html".into(), Problem::OutsideBase),
                ("missing.html".into(), Problem::Missing),
                (
                    "/docs/b.html?q=1#x".into(),
                    Problem::Anchor {
                        file: "b.html".into(),
                        fragment: "x".into()
                    }
                ),
            ]
        );
        // Removing a file breaks what links to it once checked again.
        check.remove_file("img/x.png");
        check.verify(["a/index.html"]);
        assert_eq!(problems(&check, "a/index.html").len(), 6);
    }

    #[test]
    fn css_urls_outside_comments_and_strings() {
        let css = "/* url(no.png) */\n.a { background: url( \"img/a.png\" ) }\n\
                   .b{background:URL(img/b.svg#icon)} .c { content: \"url(x)\" }\n\
                   @import 'base.css';\n.d { mask: url(data:image/svg+xml;x) } .e{x:my-url(z)}";
        let found: Vec<(String, u32, u32)> = css_urls(css);
        assert_eq!(
            found,
            [
                ("img/a.png".to_string(), 2, 24),
                ("img/b.svg#icon".to_string(), 3, 19),
                ("base.css".to_string(), 4, 10),
            ]
        );
    }

    #[test]
    fn template_literals_are_found_at_their_line() {
        let templates = [TemplateFile {
            name: "base.html".into(),
            text: "<a href=\"/about.html\">\n<img src=\"{{ site.base_path }}/logo.svg\">".into(),
            origin: "templates/base.html".into(),
        }];
        let u = urls("/docs");
        let found = find_literal(&templates, "/about.html", &u).unwrap();
        assert_eq!(
            (found.0.as_str(), found.1, found.2),
            ("templates/base.html", 1, 10)
        );
        let found = find_literal(&templates, "/docs/logo.svg", &u).unwrap();
        assert_eq!((found.1, found.2), (2, 31));
        assert!(find_literal(&templates, "/elsewhere.html", &u).is_none());
        assert_eq!(thousands(1399), "1,399");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}

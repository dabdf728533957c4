//! Check stage for the rendered output, reporting: each broken URL becomes a diagnostic blamed
//! where it was written: a template literal once at the template's line (with the number of
//! pages), a front matter value at the page's key, content at the link.

use std::collections::{BTreeMap, HashMap};

use super::{Located, OutRef, OutputCheck, Owner, Problem, SiteUrls};
use crate::diagnostic::{Diagnostic, Severity};
use crate::links;
use crate::links::url_dir;
use crate::markdown::LinkKind;
use crate::raw_html::UrlRole;
use crate::theme::TemplateFile;
use crate::wording::{thousands, word};

impl OutputCheck {
    /// The broken URLs as diagnostics, each blamed where it was written (see `Blame`).
    pub fn report(&self, blame: &Blame<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let mut memo = Memo::default();
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
                    .with_suggestion(self.suggest(&mut memo, &css.site_path, url, &f.problem))
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
                let suggestion = self.suggest(&mut memo, &page.site_path, &r.url, &f.problem);
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
                        .entry(r.url.to_string())
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

    /// The nearest existing file (or id), written as the URL was (an absolute path as one);
    /// asked once per URL and folder it is written in (a page repeating a broken link
    /// thousands of times costs one answer), each file's ids made into candidates once.
    fn suggest(&self, memo: &mut Memo, from: &str, url: &str, problem: &Problem) -> Option<String> {
        let question = (url_dir(from).to_string(), url.to_string());
        if let Some(known) = memo.answers.get(&question) {
            return known.clone();
        }
        let answer = self.compute_suggestion(memo, from, url, problem);
        memo.answers.insert(question, answer.clone());
        answer
    }

    fn compute_suggestion(
        &self,
        memo: &mut Memo,
        from: &str,
        url: &str,
        problem: &Problem,
    ) -> Option<String> {
        match problem {
            Problem::Missing => {
                let Some(Located::Path { path, .. }) = self.urls.locate(from, url) else {
                    return None;
                };
                let dir = url_dir(&path).trim_start_matches('/');
                // Names are compared without their folder: a deep folder must not widen the
                // edits allowed (`nowhere.html` is not near `box bulk.html`).
                let nearby: Vec<&str> = self
                    .files
                    .iter()
                    .filter(|f| f.starts_with(dir) && !f[dir.len()..].contains('/'))
                    .map(|f| &f[dir.len()..])
                    .collect();
                let name = path.trim_start_matches('/');
                let name = name.strip_prefix(dir).unwrap_or(name);
                let found = crate::suggest::closest(name, nearby)?;
                let absolute = format!("/{dir}{found}");
                Some(if url.starts_with('/') || url.contains("://") {
                    format!("{}{absolute}", self.urls.base_path)
                } else {
                    links::relative_path(url_dir(from), &absolute)
                })
            }
            Problem::Anchor { file, fragment } => {
                let ids = &self.pages.get(file)?.ids;
                let candidates = memo
                    .anchors
                    .entry(file.clone())
                    .or_insert_with(|| crate::suggest::Candidates::new(ids.iter()));
                let found = candidates.closest(fragment)?;
                let prefix = &url[..url.find('#').unwrap_or(url.len())];
                Some(format!("{prefix}#{found}"))
            }
            Problem::OutsideBase => None,
        }
    }
}

/// The suggestions of one report, so each is computed once.
#[derive(Default)]
struct Memo {
    /// (folder of the page, URL as written) → the suggestion.
    answers: HashMap<(String, String), Option<String>>,
    /// Output file → its ids as candidates.
    anchors: HashMap<String, crate::suggest::Candidates>,
}

/// What `OutputCheck::report` needs to blame a broken URL where it was written.
pub struct Blame<'a> {
    pub templates: &'a [TemplateFile],
    pub site: &'a crate::build::Indexed,
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
            .find(|link| hrefs.href(link.id) == Some(&*r.url))?;
        let resolved = match link.html {
            Some(_) => self
                .site
                .link_index()
                .resolve_html(source, link.kind, &link.dest),
            None => self
                .site
                .link_index()
                .resolve(source, link.kind, &link.dest),
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
        let base = &self.site.config().base_path;
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
pub(super) fn find_literal(
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

//! Check stage, resolution: how `LinkIndex` turns a link as written (a path in one of its forms, a
//! `[[Title]]`, a fragment) into the URL it must become, or says why it is broken.

use std::collections::BTreeSet;

use super::paths::*;
use super::suggestions::{Question, Set};
use super::{Broken, IndexedPage, LinkIndex, Resolved};
use crate::markdown::LinkKind;

impl LinkIndex {
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
                format!(
                    "{}{}{query}{}",
                    self.base_path,
                    encode_path(&from_url),
                    hash(fragment)
                )
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
                self.absolute_candidates(path)
            }
            PathStyle::Relative if browser => vec![join_clamped(url_dir(&from_url), &path)],
            PathStyle::Absolute => self.absolute_candidates(path.clone()),
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
                let (source, redirect) = match target {
                    Target::Page(source) => (source, None),
                    Target::Redirect(source) => (source, Some(candidate.clone())),
                    Target::File(site_path) => {
                        return Ok(Resolved {
                            href: format!(
                                "{}{}{query}{}",
                                self.base_path,
                                encode_path(site_path),
                                hash(fragment)
                            ),
                            page: None,
                            redirect: None,
                        });
                    }
                };
                self.check_draft(source, dest)?;
                self.check_fragment(source, fragment, dest)?;
                return Ok(Resolved {
                    href: format!(
                        "{}{}{query}{}",
                        self.base_path,
                        encode_path(&url_for_source(source)),
                        hash(fragment)
                    ),
                    page: Some(source.to_string()),
                    redirect,
                });
            }
        }
        let wanted = &candidates[0];
        let suggestion = self
            .nearest_path(wanted, &path, style == PathStyle::Content)
            .map(|found| {
                let written = match style {
                    PathStyle::Content => format!("@{found}"),
                    // Written with a base path: suggested with the same one.
                    PathStyle::Absolute if candidates.len() > 1 => {
                        let base = [&self.base_path, &self.written_base_path]
                            .into_iter()
                            .find(|base| strip_base(&path, base).is_some())
                            .unwrap_or(&self.base_path);
                        format!("{base}{found}")
                    }
                    PathStyle::Absolute => found,
                    PathStyle::Relative => relative_path(url_dir(&from_url), &found),
                };
                // As it can be written in Markdown: `Quick%20Start.html`, not a space —
                // unless the link was written with spaces (kramdown's way, or raw HTML).
                let written = match dest.contains(' ') {
                    true => written,
                    false => encode_path(&written),
                };
                format!("{}{query}{}", written, hash(fragment))
            });
        let what = if kind == LinkKind::Image {
            "image"
        } else {
            "link"
        };
        Err(Broken::new(format!("broken {what} \"{dest}\"")).suggest(suggestion))
    }

    /// `[[Title]]`: by title, then by file stem; in the page's own element first, then site-wide.
    /// The site paths a root-absolute `path` may mean: without the base path it was written
    /// with (the site's, or docgen.toml's when published elsewhere), then as written.
    fn absolute_candidates(&self, path: String) -> Vec<String> {
        let mut c = Vec::new();
        for base in [&self.base_path, &self.written_base_path] {
            if let Some(stripped) = strip_base(&path, base)
                && !c.contains(&stripped)
            {
                c.push(stripped);
            }
        }
        c.push(path);
        c
    }

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
                encode_path(&url_for_source(source)),
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
            if let Some((source, _)) = self.pages.get_key_value(source) {
                return Some(Target::Page(source.as_str()));
            }
            if content_path {
                return None;
            }
            // A Markdown file that is not a page (in static/, or one Jekyll would not read)
            // is published as it is, at its own path.
            return self.files.get(path).map(|file| Target::File(file));
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

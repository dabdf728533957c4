//! The output file plan, part of the load stage: which source writes each output file that is
//! not a page (generated files, the theme's static files, `static/`, content assets, the
//! redirect pages of `redirect_from`), and the collisions between sources.

use std::collections::BTreeMap;

use super::Loaded;
use crate::build::{ELEMENTS_NAV, HIGHLIGHT_CSS, HOME, NOT_FOUND, ROBOTS, SITEMAP, conflicts};
use crate::diagnostic::Diagnostic;
use crate::links;
use crate::page::Page;
use crate::theme::ThemeFile;

impl Loaded {
    /// Every non-page file of the output and where it comes from, later sources winning:
    /// generated files, the theme's static files, `static/`, then content assets, then the
    /// redirect pages of `redirect_from` (those that collide with nothing).
    pub(crate) fn output_files(&self) -> &BTreeMap<String, FileOrigin> {
        &self.plan().files
    }

    fn plan(&self) -> &FilePlan {
        self.plan.get_or_init(|| self.plan_files())
    }

    /// The output file plan, with the problems of the redirects.
    fn plan_files(&self) -> FilePlan {
        let files = self.files_without_redirects();
        let pages: Vec<&Page> = self.published().collect();
        let describe = |path: &str| files.get(path).map(|origin| origin.describe(path));
        // Built only when a redirect needs it.
        let folders = std::cell::OnceCell::new();
        let folder = |path: &str| {
            folders
                .get_or_init(|| {
                    let written = self.written_files(&files);
                    conflicts::folders(written.keys().map(String::as_str))
                })
                .get(path)
                .cloned()
        };
        let (redirects, diagnostics) = crate::redirect::plan(&pages, describe, folder);
        let mut files = files;
        for redirect in redirects {
            files.insert(redirect.file.clone(), FileOrigin::Redirect(redirect));
        }
        FilePlan {
            files,
            redirect_problems: diagnostics,
        }
    }

    /// Whether docgen writes the generated `file` (no page, static file or content file
    /// provides it instead).
    pub(crate) fn generates(&self, file: &str) -> bool {
        let provided = |files: &[String]| files.binary_search_by(|f| f.as_str().cmp(file)).is_ok();
        let page = match file {
            HOME => Some("index.md"),
            NOT_FOUND => Some("404.md"),
            _ => None,
        };
        !provided(&self.static_files)
            && !provided(&self.assets)
            && !self.theme.static_files.iter().any(|f| f.path == file)
            && page.is_none_or(|source| self.page(source).is_none())
    }

    /// The generated files that a file of the site or theme replaces (`static/robots.txt`,
    /// `content/sitemap.xml`), with what replaces each: later sources win, on purpose or not.
    pub(crate) fn replaced_generated(&self) -> Vec<(String, String)> {
        let files = self.output_files();
        [SITEMAP, ROBOTS, ELEMENTS_NAV, HIGHLIGHT_CSS]
            .into_iter()
            .filter_map(|file| match files.get(file) {
                Some(FileOrigin::Generated) | None => None,
                Some(origin) => Some((file.to_string(), origin.describe(file))),
            })
            .collect()
    }

    fn files_without_redirects(&self) -> BTreeMap<String, FileOrigin> {
        let mut files = BTreeMap::new();
        for generated in [SITEMAP, ROBOTS, ELEMENTS_NAV, HIGHLIGHT_CSS] {
            files.insert(generated.to_string(), FileOrigin::Generated);
        }
        if !self.pages.iter().any(|p| p.url == "/404.html") {
            files.insert(NOT_FOUND.to_string(), FileOrigin::Generated);
        }
        if !self.pages.iter().any(|p| p.url == "/") {
            files.insert(HOME.to_string(), FileOrigin::Generated);
        }
        for file in &self.theme.static_files {
            files.insert(file.path.clone(), FileOrigin::Theme(file.clone()));
        }
        for path in &self.static_files {
            files.insert(path.clone(), FileOrigin::Static);
        }
        for path in &self.assets {
            files.insert(path.clone(), FileOrigin::Content);
        }
        files
    }

    /// Two sources that would write the same output file, a file where another source needs a
    /// folder, invalid or colliding redirects, and site files in the search index's folder.
    pub(crate) fn collisions(&self) -> Vec<Diagnostic> {
        let mut diagnostics = self.source_collisions();
        let written = self.written_files(&self.files_without_redirects());
        diagnostics.extend(conflicts::check(&written));
        let plan = self.plan();
        diagnostics.extend(plan.redirect_problems.iter().cloned());
        if self.config.search {
            diagnostics.extend(conflicts::reserved(
                &self.written_files(&plan.files),
                crate::search::DIR,
                "the search index",
                "set `search = false` in docgen.toml to build without it",
            ));
        }
        diagnostics
    }

    /// Every output file but the redirects → what writes it (for messages): the published
    /// pages, then `files`.
    fn written_files(&self, files: &BTreeMap<String, FileOrigin>) -> BTreeMap<String, String> {
        let mut written: BTreeMap<String, String> = files
            .iter()
            .map(|(path, origin)| (path.clone(), origin.describe(path)))
            .collect();
        for page in self.published() {
            written.insert(
                links::output_file_for_url(&page.url),
                format!("the page {}", page.file()),
            );
        }
        written
    }

    /// The redirect pages to write (output path → origin).
    pub(crate) fn redirect_files(
        &self,
    ) -> impl Iterator<Item = (&String, &crate::redirect::Redirect)> {
        self.output_files()
            .iter()
            .filter_map(|(file, origin)| match origin {
                FileOrigin::Redirect(redirect) => Some((file, redirect)),
                _ => None,
            })
    }

    fn source_collisions(&self) -> Vec<Diagnostic> {
        // (output file, source) for every page and copied file; names are only formatted for
        // the few that collide.
        let mut claims: Vec<(std::borrow::Cow<'_, str>, Claim<'_>)> = Vec::new();
        for page in self.published() {
            claims.push((
                links::output_file_for_url(&page.url).into(),
                Claim::Page(page),
            ));
        }
        claims.extend(
            self.static_files
                .iter()
                .map(|p| (p.as_str().into(), Claim::Static(p))),
        );
        claims.extend(
            self.assets
                .iter()
                .map(|p| (p.as_str().into(), Claim::Content(p))),
        );
        // Stable: within one output file, pages come before static files before assets.
        claims.sort_by(|a, b| a.0.cmp(&b.0));
        claims
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|group| group.len() > 1)
            .map(|group| {
                let sources: Vec<String> = group.iter().map(|(_, claim)| claim.file()).collect();
                Diagnostic::error(
                    "url-collision",
                    sources[0].clone(),
                    format!(
                        "{} and {} would both be written to {}",
                        sources[0],
                        sources[1..].join(" and "),
                        group[0].0
                    ),
                )
                .with_note("rename or move one of them")
            })
            .collect()
    }
}

/// Which source writes each output file that is not a page.
pub(super) struct FilePlan {
    files: BTreeMap<String, FileOrigin>,
    /// The problems of the redirects (`redirect::plan`).
    redirect_problems: Vec<Diagnostic>,
}

/// A source that writes an output file.
enum Claim<'a> {
    Page(&'a Page),
    Static(&'a str),
    Content(&'a str),
}

impl Claim<'_> {
    fn file(&self) -> String {
        match self {
            Claim::Page(page) => page.file(),
            Claim::Static(path) => format!("static/{path}"),
            Claim::Content(path) => format!("content/{path}"),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum FileOrigin {
    Generated,
    Theme(ThemeFile),
    Static,
    Content,
    /// A page's `redirect_from`.
    Redirect(crate::redirect::Redirect),
}

impl FileOrigin {
    /// What writes the output file `path`, for messages.
    fn describe(&self, path: &str) -> String {
        match self {
            FileOrigin::Generated => format!("the generated {path}"),
            FileOrigin::Theme(_) => format!("the theme's {path}"),
            FileOrigin::Static => format!("static/{path}"),
            FileOrigin::Content => format!("content/{path}"),
            FileOrigin::Redirect(r) => format!("the redirect_from of content/{}", r.source),
        }
    }
}

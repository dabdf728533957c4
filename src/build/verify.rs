//! Check stage for the rendered output, the site side: what `output_links::OutputCheck` is fed
//! — the files of the output, the HTML of the pages docgen makes itself (home, 404, redirect
//! pages) and the site's stylesheets — shared by `build`, `check` and the serve session.

use super::{Derived, FileOrigin, HOME, Indexed, NOT_FOUND, SITEMAP};
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::output_links::{Content, CssScan, OutputCheck, Owner, Scanned, SiteUrls, TagMemo};
use crate::page::Page;
use crate::raw_html::UrlRole;
use crate::render::Renderer;

impl Indexed {
    /// A new output check knowing every file the output has besides the rendered pages.
    pub(crate) fn output_check(&self) -> OutputCheck {
        let mut check = OutputCheck::new(SiteUrls::new(self.config()));
        let base_url = self.config().base_url.is_some();
        check.set_files(
            self.output_files()
                .keys()
                .filter(|f| base_url || *f != SITEMAP)
                .cloned(),
        );
        check
    }

    /// Reads a rendered page for the output check: (its output file, what it holds). `hrefs`
    /// are the URLs its links became; `memo` has the tags read in earlier pages.
    pub(crate) fn scan_page(
        &self,
        page: &Page,
        html: &str,
        content: &str,
        hrefs: &crate::markdown::ResolvedLinks,
        memo: &mut TagMemo,
    ) -> (String, Scanned) {
        let file = crate::links::output_file_for_url(&page.url);
        // The page's Markdown (its body, after a title the layout prints as the h1) is one
        // piece of the layout's output.
        let content = match content.is_empty() {
            true => None,
            false => find_content(html, content).map(|at| Content {
                range: at..at + content.len(),
                ids: page.doc.anchor_ids().collect(),
                links: page
                    .doc
                    .links
                    .iter()
                    .map(|link| {
                        let role = match link.kind {
                            crate::markdown::LinkKind::Image => UrlRole::Image,
                            _ => UrlRole::Link,
                        };
                        (hrefs.href_of(link), link.html.unwrap_or("a href"), role)
                    })
                    .collect(),
            }),
        };
        let scanned = Scanned::new(
            Owner::Page(page.source.clone()),
            page.url.clone(),
            html,
            content,
            &SiteUrls::new(self.config()),
            memo,
        );
        (file, scanned)
    }

    /// Feeds the check the pages docgen makes itself and the site's stylesheets.
    pub(crate) fn scan_generated(
        &self,
        check: &mut OutputCheck,
        renderer: &Renderer,
        derived: &Derived,
        highlighter: &Highlighter,
    ) -> Result<()> {
        let urls = SiteUrls::new(self.config());
        let mut memo = TagMemo::default();
        for (file, owner) in [
            (NOT_FOUND, Owner::Generated(NOT_FOUND)),
            (HOME, Owner::Generated(HOME)),
        ] {
            if !self.generates(file) {
                continue;
            }
            if let Some(html) = self.generated(file, renderer, derived, highlighter) {
                let site_path = if file == HOME {
                    "/".into()
                } else {
                    format!("/{file}")
                };
                check.insert_page(
                    file.into(),
                    Scanned::new(owner, site_path, &html, None, &urls, &mut memo),
                );
            }
        }
        for (file, redirect) in self.redirect_files() {
            let html = crate::redirect::html(redirect, self.config());
            let owner = Owner::Redirect(redirect.source.clone());
            let scanned = Scanned::new(owner, format!("/{file}"), &html, None, &urls, &mut memo);
            check.insert_page(file.clone(), scanned);
        }
        self.scan_stylesheets(check)
    }

    /// Reads the stylesheets of `static/` and of the theme that the output has.
    pub(crate) fn scan_stylesheets(&self, check: &mut OutputCheck) -> Result<()> {
        check.clear_css();
        for (file, origin) in self.output_files() {
            if !file.ends_with(".css") {
                continue;
            }
            let (label, bytes) = match origin {
                FileOrigin::Static => (
                    format!("static/{file}"),
                    crate::error::fs::read(&self.config().static_dir().join(file))?,
                ),
                FileOrigin::Theme(theme_file) => {
                    let label = match theme_file.disk_path() {
                        Some(path) => path
                            .strip_prefix(&self.config().root)
                            .unwrap_or(path)
                            .display()
                            .to_string(),
                        None => format!("(built-in) {file}"),
                    };
                    (label, theme_file.bytes()?.into_owned())
                }
                _ => continue,
            };
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let scan = CssScan::new(label, format!("/{file}"), text);
            check.insert_css(file.clone(), scan);
        }
        Ok(())
    }
}

/// Where `content` is in `html`: found by its first bytes and confirmed by its last ones and its
/// length, since a search for the whole text (tens of kilobytes) costs more than reading the
/// page (`memmem`, vectorised: `str::find` read the layout's header a byte at a time). The
/// layout writes the content verbatim, so a match of both ends is the content.
fn find_content(html: &str, content: &str) -> Option<usize> {
    let mut cut = content.len().min(64);
    while !content.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &content[..cut];
    let tail = &content.as_bytes()[content.len().saturating_sub(64)..];
    let finder = memchr::memmem::Finder::new(head);
    let mut from = 0;
    while let Some(i) = finder.find(&html.as_bytes()[from..]) {
        let at = from + i;
        if html
            .as_bytes()
            .get(at..at + content.len())
            .is_some_and(|found| found.ends_with(tail))
        {
            return Some(at);
        }
        from = at + 1;
        while !html.is_char_boundary(from) {
            from += 1;
        }
    }
    None
}

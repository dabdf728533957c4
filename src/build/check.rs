//! Check stage: resolving one page's links and checking its layout, with what the page
//! depends on so an incremental rebuild knows when to check it again.

use std::collections::BTreeSet;

use super::Indexed;
use crate::diagnostic::{Diagnostic, Severity, SourceLines};
use crate::links;
use crate::markdown::{LinkKind, ResolvedLinks};
use crate::page::Page;
use crate::render::Renderer;

impl Indexed {
    /// Resolves a page's links (the URL each one becomes) and checks its layout.
    pub(crate) fn check_page(&self, page: &Page, renderer: &Renderer) -> PageCheck {
        let mut diagnostics = Vec::new();
        let mut targets = BTreeSet::new();
        let mut titles = BTreeSet::new();
        let mut broken = false;
        let mut redirected = false;
        let file = page.file();
        let severity = self.config().broken_links;
        // Indexed on the first problem, once for all of them.
        let lines = std::cell::OnceCell::new();
        let lines = || lines.get_or_init(|| SourceLines::new(&page.text));
        let hrefs = ResolvedLinks::new(&page.doc, |link| {
            if link.kind == LinkKind::Title {
                let name = link.dest.split('#').next().unwrap_or("");
                titles.insert(name.trim().to_lowercase());
            }
            let resolved = match link.html {
                // Raw HTML is read as the browser reads it.
                Some(_) => self
                    .link_index()
                    .resolve_html(&page.source, link.kind, &link.dest),
                None => self
                    .link_index()
                    .resolve(&page.source, link.kind, &link.dest),
            };
            match resolved {
                Ok(resolved) => {
                    targets.insert(resolved.target().to_string());
                    redirected |= resolved.redirect.is_some();
                    if let Some(old) = &resolved.redirect {
                        diagnostics.push(redirect_link_warning(
                            &file,
                            lines(),
                            link,
                            old,
                            &resolved,
                        ));
                    }
                    resolved.href
                }
                Err(failure) => {
                    broken = true;
                    diagnostics.push(link_diagnostic(&file, lines(), link, failure, severity));
                    link.dest.clone()
                }
            }
        });
        // Resolved once: the check reports it, the render stage links the parent crumb to it.
        let mut breadcrumbs = None;
        if let Some(target) = &page.front.breadcrumbs {
            match self
                .link_index()
                .resolve(&page.source, LinkKind::Link, target)
            {
                Ok(resolved) => {
                    targets.insert(resolved.target().to_string());
                    redirected |= resolved.redirect.is_some();
                    breadcrumbs = Some(resolved);
                }
                Err(failure) => {
                    broken = true;
                    let line = page.front.line_of("breadcrumbs");
                    let mut d = Diagnostic::error(
                        "broken-link",
                        &file,
                        format!("`breadcrumbs`: {}", failure.message),
                    )
                    .at(line, 1)
                    .with_suggestion(failure.suggestion)
                    .with_source(&page.text, "breadcrumbs".len());
                    d.severity = severity;
                    diagnostics.push(d);
                }
            }
        }
        // An element's logo is named by its overview page's `logo`: checked there, like a link.
        if let Some(element) = self.nav().element_of(&page.source)
            && element.overview.as_deref() == Some(page.source.as_str())
            && let Some(logo) = &element.logo
        {
            match self
                .link_index()
                .resolve(&page.source, LinkKind::Image, logo)
            {
                Ok(resolved) => {
                    targets.insert(resolved.target().to_string());
                }
                Err(failure) => {
                    broken = true;
                    diagnostics.push(
                        Diagnostic::error(
                            "broken-link",
                            &file,
                            format!("`logo`: {}", failure.message),
                        )
                        .at(page.front.line_of("logo"), 1)
                        .with_suggestion(failure.suggestion)
                        .with_source(&page.text, 4),
                    );
                }
            }
        }
        let layout = page.layout();
        if !renderer.has_layout(layout) {
            let available = renderer.layouts();
            let line = page.front.line_of("layout");
            let suggestion = crate::suggest::closest(layout, available.iter().map(String::as_str));
            diagnostics.push(
                Diagnostic::error(
                    "unknown-layout",
                    &file,
                    format!("unknown layout `{layout}`"),
                )
                .at(line, u32::from(line > 0))
                .with_suggestion(suggestion.map(str::to_string))
                .with_note(format!("available layouts: {}", available.join(", ")))
                .with_source(&page.text, "layout".len()),
            );
        }
        PageCheck {
            hrefs,
            diagnostics,
            targets,
            titles,
            broken,
            redirected,
            breadcrumbs,
        }
    }
}

/// What checking one page found: the URL each link becomes, its problems, and what it depends
/// on (so an incremental rebuild knows when to check it again).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct PageCheck {
    pub hrefs: ResolvedLinks,
    pub diagnostics: Vec<Diagnostic>,
    /// Pages (sources) and files (site paths) its links resolved to.
    pub targets: BTreeSet<String>,
    /// Lowercased names of its `[[title]]` links.
    pub titles: BTreeSet<String>,
    /// Whether any link is broken (it may resolve once pages are added).
    pub broken: bool,
    /// Whether a link was written with a page's old address (`redirect_from`), which another
    /// page can claim.
    pub redirected: bool,
    /// Where its `breadcrumbs` key leads, when it resolves.
    pub breadcrumbs: Option<links::Resolved>,
}

/// The warning for a link written with a page's old address (its `redirect_from`): the link
/// goes straight to the page, but the source should say so.
fn redirect_link_warning(
    file: &str,
    page: &SourceLines<'_>,
    link: &crate::markdown::Link,
    old: &str,
    resolved: &links::Resolved,
) -> Diagnostic {
    let source = resolved.page.as_deref().unwrap_or_default();
    let written = match link.dest.split(['?', '#']).next() {
        Some(path) if path == old => format!("link \"{}\"", link.dest),
        _ => format!("link \"{}\" ({old})", link.dest),
    };
    Diagnostic::warning(
        "redirect-link",
        file,
        format!("{written} is an old address (redirect_from) of content/{source}"),
    )
    .at(link.line, link.column)
    .with_suggestion(Some(format!(
        "@/{source}{}",
        links::fragment_of(&link.dest)
    )))
    .with_source_lines(page, link.len as usize)
}

/// The diagnostic for a link that does not resolve.
fn link_diagnostic(
    file: &str,
    page: &SourceLines<'_>,
    link: &crate::markdown::Link,
    failure: links::Broken,
    severity: Severity,
) -> Diagnostic {
    let mut d =
        Diagnostic::error("broken-link", file, failure.message).with_suggestion(failure.suggestion);
    d.severity = severity;
    if let Some(attr) = link.html {
        d = d.with_note(format!("in raw HTML: <{attr}>"));
    } else if link.kind != LinkKind::Title && !link.text.is_empty() {
        let what = if link.kind == LinkKind::Image {
            "alt text"
        } else {
            "link text"
        };
        d = d.with_note(format!("{what}: \"{}\"", link.text));
    }
    d.notes.extend(failure.notes);
    // In the page, or in the include that holds the link.
    link.place_in(d, page)
}

//! Check stage for the rendered output, reading: an HTML file of the output becomes its ids and
//! internal URLs (`Scanned`), and the templates' literal ids become anchors of every page.

use std::collections::HashSet;
use std::ops::Range;

use super::SiteUrls;
use crate::links::{is_external, percent_decode};
use crate::raw_html::{self, UrlRole};
use crate::theme::TemplateFile;

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

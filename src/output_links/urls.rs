//! Check stage for the rendered output, URLs: where a URL written in a file of the output leads
//! (as a browser resolves it, below the site's base path and its own `base_url` origin).

use crate::links::{is_external, join_clamped, percent_decode, url_dir};

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
    pub(super) fn locate(&self, from: &str, url: &str) -> Option<Located> {
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
    pub(super) fn own_path<'u>(&self, url: &'u str) -> Option<&'u str> {
        let origin = self.origin.as_deref()?;
        let rest = url
            .strip_prefix(origin)?
            .strip_prefix(self.base_path.as_str())?;
        (rest.is_empty() || rest.starts_with(['/', '?', '#'])).then_some(rest)
    }
}

pub(super) enum Located {
    Path {
        path: String,
        fragment: String,
    },
    /// An absolute path that is not below the site's base path.
    OutsideBase,
}

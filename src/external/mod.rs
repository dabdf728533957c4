//! Check stage, opt-in (`docgen check --external`): are the external http(s) links alive?
//!
//! 1. `collect` gathers every external link of every published page with its file, line and
//!    column, keyed by the URL to request (without its `#fragment`), so each is requested once.
//! 2. Live results younger than `Options::cache_max_age` come from the cache file
//!    (`cache`: `.docgen-cache/external-links.json` below the site root); the rest is requested.
//! 3. `fetch::fetch_all` requests them on a few worker threads, at most `per_host` at a time per
//!    host: HEAD, then GET when HEAD gets an error status (some servers refuse or mishandle
//!    HEAD), following redirects, retrying timeouts, 429 and 5xx with a growing pause.
//! 4. The cache is rewritten (sorted by URL) and each dead link becomes a diagnostic on every
//!    page and line that holds it.

mod cache;
mod fetch;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::build::Indexed;
use crate::diagnostic::Diagnostic;
use crate::links;
use crate::page::Page;

use cache::Entry;

/// The cache of link results, below the site root.
pub const CACHE_FILE: &str = ".docgen-cache/external-links.json";

/// How external links are checked.
#[derive(Debug, Clone)]
pub struct Options {
    /// The longest one request (with its redirects) may take.
    pub timeout: Duration,
    /// How often a timeout, 429 or 5xx is retried.
    pub retries: u32,
    /// The pause before the first retry; it doubles before each further one.
    pub backoff: Duration,
    /// Requests in flight at once.
    pub workers: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// Redirects followed before a link counts as dead (a loop ends here too).
    pub max_redirects: u32,
    /// How long a live result is reused from the cache; dead links are always requested again.
    pub cache_max_age: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(10),
            retries: 2,
            backoff: Duration::from_millis(500),
            workers: 8,
            per_host: 2,
            max_redirects: 10,
            cache_max_age: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// How many distinct URLs were checked, and how many of them came from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub urls: usize,
    pub cached: usize,
}

/// The diagnostics of an external link check and its counts.
#[derive(Debug, Default)]
pub struct Found {
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
}

/// Checks the external links of every published page of `site`.
pub fn check(site: &Indexed, options: &Options) -> Found {
    let links = collect(site.published(), &site.config().external_skip);
    let cache_path = site.config().root.join(CACHE_FILE);
    let now = cache::unix_now();
    let mut diagnostics = Vec::new();
    let cache = match cache::load(&cache_path) {
        Ok(cache) => cache,
        Err(problem) => {
            diagnostics.push(problem);
            BTreeMap::new()
        }
    };
    let mut results: BTreeMap<String, Entry> = BTreeMap::new();
    let mut to_request = Vec::new();
    for url in links.keys() {
        match cache.get(url) {
            Some(entry) if entry.is_fresh(now, options.cache_max_age) => {
                results.insert(url.clone(), entry.clone());
            }
            _ => to_request.push(url.as_str()),
        }
    }
    let cached = results.len();
    for (url, outcome) in to_request
        .iter()
        .zip(fetch::fetch_all(&to_request, options))
    {
        results.insert(
            url.to_string(),
            Entry {
                url: url.to_string(),
                outcome,
                checked: now,
            },
        );
    }
    if let Err(e) = cache::save(&cache_path, &results) {
        diagnostics.push(Diagnostic::warning(
            "external-link-cache",
            CACHE_FILE,
            format!("cannot write the external link cache: {e}"),
        ));
    }
    for (url, places) in &links {
        diagnostics.extend(report(&results[url].outcome, places));
    }
    Found {
        diagnostics,
        stats: Stats {
            urls: links.len(),
            cached,
        },
    }
}

/// Where a page holds an external link.
#[derive(Debug, Clone)]
struct Place<'a> {
    page: &'a Page,
    /// The link as written, `#fragment` included.
    dest: &'a str,
    line: u32,
    column: u32,
    len: u32,
    /// The include the link was written in, when not the page.
    origin: Option<&'a crate::markdown::Origin>,
}

/// Every external http(s) link of `pages`, keyed by the URL to request, minus the URLs under a
/// `skip` prefix. Places are in page order, then link order.
fn collect<'a>(
    pages: impl Iterator<Item = &'a Page>,
    skip: &[String],
) -> BTreeMap<String, Vec<Place<'a>>> {
    let mut links: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for page in pages {
        for link in &page.doc.links {
            if !links::is_external(&link.dest) {
                continue;
            }
            let Some(url) = request_url(&link.dest) else {
                continue;
            };
            if skip.iter().any(|prefix| url.starts_with(prefix.as_str())) {
                continue;
            }
            links.entry(url).or_default().push(Place {
                page,
                dest: &link.dest,
                line: link.line,
                column: link.column,
                len: link.len,
                origin: link.origin.as_deref(),
            });
        }
    }
    links
}

/// The URL to request for an external link: http(s) only (`//host/x` means https), without the
/// `#fragment`, with spaces and non-ASCII characters percent-encoded as a browser would.
fn request_url(dest: &str) -> Option<String> {
    let dest = dest.trim();
    let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    let url = if lower.starts_with("http://") || lower.starts_with("https://") {
        dest.to_string()
    } else if dest.starts_with("//") {
        format!("https:{dest}")
    } else {
        return None;
    };
    let url = url.split_once('#').map_or(url.as_str(), |(u, _)| u);
    let mut encoded = String::with_capacity(url.len());
    for byte in url.bytes() {
        if byte.is_ascii_graphic() {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    Some(encoded)
}

/// What requesting a URL found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
enum Outcome {
    Live {
        status: u16,
    },
    Dead {
        /// The final HTTP status, when there was a response.
        status: Option<u16>,
        /// `HTTP 404`, `connection failed`, …
        reason: String,
        /// Where redirects ended, when not at the URL itself.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        redirected_to: Option<String>,
    },
    Timeout {
        attempts: u32,
    },
    RateLimited {
        attempts: u32,
    },
}

/// The diagnostics of one URL's outcome, one per place it is linked from.
fn report(outcome: &Outcome, places: &[Place]) -> Vec<Diagnostic> {
    places
        .iter()
        .filter_map(|place| {
            let dest = place.dest;
            let d = match outcome {
                Outcome::Live { .. } => return None,
                Outcome::Dead {
                    reason,
                    redirected_to,
                    ..
                } => {
                    let d = Diagnostic::error(
                        "dead-external-link",
                        place.page.file(),
                        format!("dead external link \"{dest}\": {reason}"),
                    );
                    match redirected_to {
                        Some(to) => d.with_note(format!("redirected to {to}")),
                        None => d,
                    }
                }
                Outcome::Timeout { attempts } => Diagnostic::warning(
                    "external-link-timeout",
                    place.page.file(),
                    format!("external link \"{dest}\": timed out after {attempts} attempts"),
                ),
                Outcome::RateLimited { attempts } => Diagnostic::warning(
                    "external-link-rate-limited",
                    place.page.file(),
                    format!(
                        "external link \"{dest}\": rate limited (HTTP 429) after {attempts} attempts"
                    ),
                ),
            };
            // In the page, or in the include that holds the link.
            Some(crate::markdown::place(
                d,
                place.line,
                place.column,
                place.len,
                place.origin,
                &place.page.text,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_urls_are_http_without_fragment() {
        let cases = [
            ("https://a.example/x#top", Some("https://a.example/x")),
            ("HTTP://A.example/", Some("HTTP://A.example/")),
            ("//cdn.example/lib.js", Some("https://cdn.example/lib.js")),
            (
                "https://de.example/wiki/Köln x",
                Some("https://de.example/wiki/K%C3%B6ln%20x"),
            ),
            ("mailto:a@b.example", None),
            ("ftp://files.example/a", None),
            ("tel:+123", None),
        ];
        for (dest, expected) in cases {
            assert_eq!(request_url(dest).as_deref(), expected, "{dest}");
        }
    }
}

//! Check stage, opt-in (`docgen check --external`): are the external http(s) links alive?
//!
//! 1. `collect` gathers every external link of every published page with its file, line and
//!    column, keyed by the URL to request (without its `#fragment`), so each is requested once.
//! 2. Live results younger than `Options::cache_max_age` come from the cache file
//!    (`.docgen-cache/external-links.json` below the site root); everything else is requested.
//! 3. `fetch_all` requests them on a few worker threads, at most `per_host` at a time per host:
//!    HEAD, then GET when HEAD gets an error status (some servers refuse or mishandle HEAD),
//!    following redirects, retrying timeouts, 429 and 5xx with a growing pause.
//! 4. The cache is rewritten (sorted by URL) and each dead link becomes a diagnostic on every
//!    page and line that holds it.
//!
//! The only user of `ureq`.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use ureq::ResponseExt;

use crate::build::Site;
use crate::diagnostic::Diagnostic;
use crate::error::{Result, fs};
use crate::links;
use crate::page::Page;

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
pub fn check(site: &Site, options: &Options) -> Found {
    let links = collect(site.published(), &site.config.external_skip);
    let cache_path = site.config.root.join(CACHE_FILE);
    let now = unix_now();
    let mut diagnostics = Vec::new();
    let cache = match load_cache(&cache_path) {
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
    for (url, outcome) in to_request.iter().zip(fetch_all(&to_request, options)) {
        results.insert(
            url.to_string(),
            Entry {
                url: url.to_string(),
                outcome,
                checked: now,
            },
        );
    }
    if let Err(e) = save_cache(&cache_path, &results) {
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

/// The host a URL's requests count against for the per-host limit.
fn host_of(url: &str) -> String {
    url.parse::<ureq::http::Uri>()
        .ok()
        .and_then(|uri| uri.host().map(str::to_ascii_lowercase))
        .unwrap_or_default()
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

/// One line of the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    url: String,
    #[serde(flatten)]
    outcome: Outcome,
    /// When it was requested, in seconds since 1970-01-01 UTC.
    checked: u64,
}

impl Entry {
    /// Whether the cached result can stand in for a request at `now`: only live results are
    /// reused, and only for `max_age`.
    fn is_fresh(&self, now: u64, max_age: Duration) -> bool {
        matches!(self.outcome, Outcome::Live { .. })
            && self.checked <= now
            && now - self.checked < max_age.as_secs()
    }
}

#[derive(Serialize, Deserialize)]
struct CacheFile {
    links: Vec<Entry>,
}

/// Reads the cache; a missing file is an empty cache, an unreadable one a warning.
fn load_cache(path: &Path) -> std::result::Result<BTreeMap<String, Entry>, Diagnostic> {
    if !path.exists() {
        return Ok(BTreeMap::new());
    }
    let problem = |why: String| {
        Diagnostic::warning(
            "external-link-cache",
            CACHE_FILE,
            format!("ignoring the external link cache: {why}"),
        )
    };
    let text = fs::read_to_string(path).map_err(|e| problem(e.to_string()))?;
    let file: CacheFile = serde_json::from_str(&text).map_err(|e| problem(e.to_string()))?;
    Ok(file.links.into_iter().map(|e| (e.url.clone(), e)).collect())
}

/// Writes the cache: the URLs of this check, sorted, one entry per line.
fn save_cache(path: &Path, entries: &BTreeMap<String, Entry>) -> Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(path, cache_json(entries).as_bytes())
}

fn cache_json(entries: &BTreeMap<String, Entry>) -> String {
    let mut json = String::from("{\"links\": [\n");
    for (i, entry) in entries.values().enumerate() {
        let separator = if i + 1 < entries.len() { "," } else { "" };
        json.push_str(&format!(
            "  {}{separator}\n",
            serde_json::to_string(entry).expect("plain data serializes")
        ));
    }
    json.push_str("]}\n");
    json
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
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
            Some(
                d.at(place.line, place.column)
                    .with_source(&place.page.text, place.len as usize),
            )
        })
        .collect()
}

/// URLs waiting to be requested, by host, and how many requests each host has in flight.
#[derive(Default)]
struct Queue {
    waiting: BTreeMap<String, VecDeque<usize>>,
    in_flight: HashMap<String, usize>,
}

/// Requests every URL on `options.workers` threads, at most `options.per_host` at a time per
/// host. Returns the outcomes in the order of `urls`.
fn fetch_all(urls: &[&str], options: &Options) -> Vec<Outcome> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent = agent(options);
    let mut queue = Queue::default();
    for (i, url) in urls.iter().enumerate() {
        queue.waiting.entry(host_of(url)).or_default().push_back(i);
    }
    let queue = Mutex::new(queue);
    let changed = Condvar::new();
    let outcomes: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..options.workers.clamp(1, urls.len()) {
            scope.spawn(|| {
                while let Some((i, host)) = next_url(&queue, &changed, options.per_host.max(1)) {
                    let outcome = check_url(&agent, urls[i], options);
                    outcomes.lock().expect("no worker panics")[i] = Some(outcome);
                    let mut queue = queue.lock().expect("no worker panics");
                    if let Some(n) = queue.in_flight.get_mut(&host) {
                        *n -= 1;
                    }
                    changed.notify_all();
                }
            });
        }
    });
    outcomes
        .into_inner()
        .expect("no worker panics")
        .into_iter()
        .map(|o| o.expect("every URL is requested"))
        .collect()
}

/// The next URL (its index and host) whose host has a free slot, waiting for one when every
/// waiting host is busy; `None` when nothing waits.
fn next_url(queue: &Mutex<Queue>, changed: &Condvar, per_host: usize) -> Option<(usize, String)> {
    let mut queue = queue.lock().expect("no worker panics");
    loop {
        queue.waiting.retain(|_, urls| !urls.is_empty());
        if queue.waiting.is_empty() {
            return None;
        }
        let free = queue
            .waiting
            .keys()
            .find(|host| queue.in_flight.get(*host).copied().unwrap_or(0) < per_host)
            .cloned();
        if let Some(host) = free {
            let i = queue
                .waiting
                .get_mut(&host)
                .and_then(VecDeque::pop_front)
                .expect("hosts in the queue have URLs");
            *queue.in_flight.entry(host.clone()).or_default() += 1;
            return Some((i, host));
        }
        queue = changed.wait(queue).expect("no worker panics");
    }
}

fn agent(options: &Options) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .max_redirects(options.max_redirects)
        .http_status_as_error(false)
        .user_agent(format!("docgen/{} (link check)", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// One try at a URL.
#[derive(Debug, PartialEq, Eq)]
enum Attempt {
    Response { status: u16, final_url: String },
    Timeout,
    Failed(String),
}

impl Attempt {
    /// Whether trying again may help: a timeout, 429 Too Many Requests or a server error.
    fn is_transient(&self) -> bool {
        match self {
            Attempt::Timeout => true,
            Attempt::Response { status, .. } => *status == 429 || *status >= 500,
            Attempt::Failed(_) => false,
        }
    }
}

/// Requests `url`, retrying transient failures.
fn check_url(agent: &ureq::Agent, url: &str, options: &Options) -> Outcome {
    let mut attempts = 1;
    loop {
        let attempt = request(agent, url, options.max_redirects);
        if attempt.is_transient() && attempts <= options.retries {
            std::thread::sleep(options.backoff * 2u32.saturating_pow(attempts - 1));
            attempts += 1;
            continue;
        }
        return outcome(url, attempt, attempts);
    }
}

/// HEAD, then GET when HEAD gets an error status other than 429. The body is never read.
fn request(agent: &ureq::Agent, url: &str, max_redirects: u32) -> Attempt {
    let response = match agent.head(url).call() {
        Ok(head) if head.status().as_u16() >= 400 && head.status().as_u16() != 429 => {
            agent.get(url).call()
        }
        other => other,
    };
    match response {
        Ok(response) => Attempt::Response {
            status: response.status().as_u16(),
            final_url: response.get_uri().to_string(),
        },
        Err(ureq::Error::Timeout(_)) => Attempt::Timeout,
        Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::TimedOut => Attempt::Timeout,
        Err(ureq::Error::TooManyRedirects) => Attempt::Failed(format!(
            "too many redirects (a loop, or more than {max_redirects})"
        )),
        Err(ureq::Error::HostNotFound) => Attempt::Failed("host not found".into()),
        Err(ureq::Error::ConnectionFailed) => Attempt::Failed("connection failed".into()),
        Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Attempt::Failed("connection refused".into())
        }
        Err(ureq::Error::BadUri(_) | ureq::Error::Http(_)) => {
            Attempt::Failed("not a valid URL".into())
        }
        Err(e) => Attempt::Failed(e.to_string()),
    }
}

/// The verdict on a URL from its last attempt.
fn outcome(url: &str, attempt: Attempt, attempts: u32) -> Outcome {
    match attempt {
        Attempt::Response { status, .. } if status < 400 => Outcome::Live { status },
        Attempt::Response { status: 429, .. } => Outcome::RateLimited { attempts },
        Attempt::Response { status, final_url } => Outcome::Dead {
            status: Some(status),
            reason: if attempts > 1 {
                format!("HTTP {status} after {attempts} attempts")
            } else {
                format!("HTTP {status}")
            },
            redirected_to: (final_url != url).then_some(final_url),
        },
        Attempt::Timeout => Outcome::Timeout { attempts },
        Attempt::Failed(reason) => Outcome::Dead {
            status: None,
            reason,
            redirected_to: None,
        },
    }
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

    #[test]
    fn hosts_are_lowercase_without_port() {
        assert_eq!(host_of("https://API.Example.com:8443/a"), "api.example.com");
        assert_eq!(host_of("http://127.0.0.1:9/"), "127.0.0.1");
        assert_eq!(host_of("not a url"), "");
    }

    #[test]
    fn only_recent_live_results_are_reused() {
        let day = Duration::from_secs(86_400);
        let entry = |outcome| Entry {
            url: "https://a.example/".into(),
            outcome,
            checked: 1_000_000,
        };
        let live = entry(Outcome::Live { status: 200 });
        assert!(live.is_fresh(1_000_000, day));
        assert!(live.is_fresh(1_000_000 + 86_399, day));
        assert!(!live.is_fresh(1_000_000 + 86_400, day), "too old");
        assert!(!live.is_fresh(999_999, day), "from the future");
        assert!(!live.is_fresh(1_000_000, Duration::ZERO), "caching off");
        let dead = entry(Outcome::Dead {
            status: Some(404),
            reason: "HTTP 404".into(),
            redirected_to: None,
        });
        assert!(!dead.is_fresh(1_000_000, day));
        assert!(!entry(Outcome::Timeout { attempts: 3 }).is_fresh(1_000_000, day));
    }

    #[test]
    fn cache_is_sorted_one_entry_a_line_and_reads_back() {
        let mut entries = BTreeMap::new();
        for (url, outcome) in [
            ("https://b.example/", Outcome::Live { status: 200 }),
            (
                "https://a.example/old",
                Outcome::Dead {
                    status: Some(404),
                    reason: "HTTP 404".into(),
                    redirected_to: Some("https://a.example/new".into()),
                },
            ),
            ("https://c.example/", Outcome::Timeout { attempts: 3 }),
        ] {
            entries.insert(
                url.to_string(),
                Entry {
                    url: url.into(),
                    outcome,
                    checked: 7,
                },
            );
        }
        let json = cache_json(&entries);
        assert_eq!(
            json,
            "{\"links\": [\n  \
             {\"url\":\"https://a.example/old\",\"result\":\"dead\",\"status\":404,\"reason\":\"HTTP 404\",\"redirected_to\":\"https://a.example/new\",\"checked\":7},\n  \
             {\"url\":\"https://b.example/\",\"result\":\"live\",\"status\":200,\"checked\":7},\n  \
             {\"url\":\"https://c.example/\",\"result\":\"timeout\",\"attempts\":3,\"checked\":7}\n]}\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CACHE_FILE);
        save_cache(&path, &entries).unwrap();
        assert_eq!(load_cache(&path).unwrap(), entries);
    }

    #[test]
    fn a_broken_cache_is_ignored_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        assert!(
            load_cache(&path).unwrap().is_empty(),
            "a missing cache is empty"
        );
        std::fs::write(&path, "{not json").unwrap();
        let d = load_cache(&path).unwrap_err();
        assert!(!d.is_error());
        assert!(
            d.message.starts_with("ignoring the external link cache: "),
            "{}",
            d.message
        );
    }

    #[test]
    fn verdicts_from_the_last_attempt() {
        let response = |status: u16, final_url: &str| Attempt::Response {
            status,
            final_url: final_url.into(),
        };
        let url = "https://a.example/x";
        assert_eq!(
            outcome(url, response(200, url), 1),
            Outcome::Live { status: 200 }
        );
        assert_eq!(
            outcome(url, response(404, "https://a.example/y"), 1),
            Outcome::Dead {
                status: Some(404),
                reason: "HTTP 404".into(),
                redirected_to: Some("https://a.example/y".into()),
            }
        );
        assert_eq!(
            outcome(url, response(503, url), 3),
            Outcome::Dead {
                status: Some(503),
                reason: "HTTP 503 after 3 attempts".into(),
                redirected_to: None,
            }
        );
        assert_eq!(
            outcome(url, response(429, url), 3),
            Outcome::RateLimited { attempts: 3 }
        );
        assert_eq!(
            outcome(url, Attempt::Timeout, 3),
            Outcome::Timeout { attempts: 3 }
        );
        assert!(Attempt::Timeout.is_transient());
        assert!(response(502, url).is_transient());
        assert!(response(429, url).is_transient());
        assert!(!response(404, url).is_transient());
        assert!(!Attempt::Failed("connection failed".into()).is_transient());
    }
}

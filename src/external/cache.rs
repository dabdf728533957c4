//! The cache of external link results: one JSON entry per URL and line, sorted by URL, so a
//! live link is not requested again for a while (and a diff of the file stays readable).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{CACHE_FILE, Outcome};
use crate::diagnostic::Diagnostic;
use crate::error::{Result, fs};

/// One line of the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Entry {
    pub url: String,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// When it was requested, in seconds since 1970-01-01 UTC.
    pub checked: u64,
}

impl Entry {
    /// Whether the cached result can stand in for a request at `now`: only live results are
    /// reused, and only for `max_age`.
    pub fn is_fresh(&self, now: u64, max_age: Duration) -> bool {
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
pub(super) fn load(path: &Path) -> std::result::Result<BTreeMap<String, Entry>, Diagnostic> {
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
pub(super) fn save(path: &Path, entries: &BTreeMap<String, Entry>) -> Result<()> {
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

pub(super) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        save(&path, &entries).unwrap();
        assert_eq!(load(&path).unwrap(), entries);
    }

    #[test]
    fn a_broken_cache_is_ignored_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.json");
        assert!(load(&path).unwrap().is_empty(), "a missing cache is empty");
        std::fs::write(&path, "{not json").unwrap();
        let d = load(&path).unwrap_err();
        assert!(!d.is_error());
        assert!(
            d.message.starts_with("ignoring the external link cache: "),
            "{}",
            d.message
        );
    }
}

//! Render stage, site-wide: the search index, one compact JSON file (`search-index.json`) that
//! the default theme's search box loads on first use and queries in the browser — search with
//! no service, working offline.
//!
//! One entry a published page, in source order: `t` title, `e` element heading (absent outside
//! an element), `u` URL with the base path, `h` the headings below the title as `[id, text]`
//! pairs (a result can link straight to a section), `x` the excerpt — the first 160 characters
//! of the page's plain text, taken from the Markdown while parsing. Short keys and no
//! whitespace keep it small; the repeated keys and element names cost little once gzipped.
//! Full page text is left out on purpose: it would make the file as large as the site.

use serde::Serialize;

use crate::page::Page;

/// The index's path in the output.
pub const INDEX_FILE: &str = "search-index.json";
/// Bumped when the format changes, so a theme can tell.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct Entry<'a> {
    t: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    e: Option<&'a str>,
    u: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    h: Vec<(&'a str, &'a str)>,
    #[serde(skip_serializing_if = "str::is_empty")]
    x: &'a str,
}

/// The index of `pages` (published, sorted), each with its element heading, for a site under
/// `base_path` (`""` or `/docs`).
pub fn index_json<'a>(
    pages: impl Iterator<Item = (&'a Page, Option<&'a str>)>,
    base_path: &str,
) -> String {
    let entries: Vec<String> = pages
        .map(|(page, element)| entry_json(page, element, base_path))
        .collect();
    join(entries.iter().map(String::as_str))
}

/// One page's entry. `serve` keeps these and rewrites only the entries of pages that changed.
pub fn entry_json(page: &Page, element: Option<&str>, base_path: &str) -> String {
    let entry = Entry {
        t: &page.title,
        e: element,
        u: format!("{base_path}{}", page.url),
        h: page
            .doc
            .headings
            .iter()
            .filter(|h| h.level >= 2)
            .map(|h| (h.id.as_str(), h.text.as_str()))
            .collect(),
        x: &page.doc.excerpt,
    };
    serde_json::to_string(&entry).expect("plain data serializes")
}

/// The index made of entries (from `entry_json`), in order.
pub fn join<'a>(entries: impl Iterator<Item = &'a str>) -> String {
    let mut json = format!("{{\"v\":{VERSION},\"pages\":[");
    for (n, entry) in entries.enumerate() {
        if n > 0 {
            json.push(',');
        }
        json.push_str(entry);
    }
    json.push_str("]}");
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_compact_and_complete() {
        let page = |source: &str, text: &str| Page::parse(source, text.as_bytes().to_vec());
        let events = page(
            "x/events.md",
            "---\ntitle: Events\n---\nPolling & \"webhooks\".\n\n## Webhooks {#hooks}\n\n### Payload\n",
        );
        let bare = page("about.md", "");
        let json = index_json(
            [(&events, Some("Xero")), (&bare, None)].into_iter(),
            "/docs",
        );
        assert_eq!(
            json,
            r#"{"v":1,"pages":[{"t":"Events","e":"Xero","u":"/docs/x/events.html","h":[["hooks","Webhooks"],["payload","Payload"]],"x":"Polling & “webhooks”."},{"t":"About","u":"/docs/about.html"}]}"#
        );
    }
}

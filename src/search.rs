//! Render stage, site-wide: the full-text search index the default theme's search box queries
//! in the browser — no service, works offline and under any base path.
//!
//! 1. `PageRecord::new` (per page, in parallel): the page's sections (extract.rs) and the
//!    weighted frequency of each term (terms.rs) — title words count most, then the element's
//!    name and section headings, then body text, then code.
//! 2. `files` (per site): the files below `search-index/` (shards.rs) — a small manifest, the
//!    terms split into shards by alphabetical range so a query fetches only the shards of its
//!    words, and one fragment per page with its sections' text, fetched for the pages a query
//!    ranks highest so the browser can pick the best section, its excerpt and highlights.
//!
//! `serve` keeps one record per page and rebuilds the files from them after an edit.

mod extract;
mod shards;
mod terms;

use std::collections::HashMap;

pub use extract::{Section, sections};
pub use shards::{DIR, MANIFEST, files};
pub use terms::{STOP_WORDS, Stems, is_stop_word, words};

use crate::page::Page;

/// How much one occurrence of a word counts, by where it is.
const TITLE_WEIGHT: f32 = 8.0;
const ELEMENT_WEIGHT: f32 = 3.0;
const HEADING_WEIGHT: f32 = 4.0;
const BODY_WEIGHT: f32 = 1.0;
const CODE_WEIGHT: f32 = 0.3;

/// What the index holds of one published page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRecord {
    /// With the base path: `/docs/elements/xero/events.html`.
    pub url: String,
    pub title: String,
    /// The element's heading, for guides.
    pub element: Option<String>,
    pub sections: Vec<Section>,
    /// Each term with its weighted count and the shortest word it came from (shown in "did
    /// you mean"), sorted by term.
    pub terms: Vec<(String, f32, String)>,
    /// Words on the page, for length normalisation.
    pub length: u32,
}

impl PageRecord {
    /// The record of `page`, under `base_path`, with its element's heading; `stems` is the
    /// worker's stem cache.
    pub fn new(page: &Page, element: Option<&str>, base_path: &str, stems: &mut Stems) -> Self {
        let text = page.expanded.as_deref().unwrap_or(&page.text);
        let body = text.get(page.body_offset..).unwrap_or("");
        let sections = sections(body, &page.doc.headings);
        let mut counts: HashMap<String, (f32, String)> = HashMap::new();
        let mut length = 0;
        let mut add = |text: &str, weight: f32, length: &mut u32| {
            for (word, _) in words(text) {
                *length += 1;
                if is_stop_word(&word) {
                    continue;
                }
                let stem = stems.stem(&word);
                match counts.get_mut(stem) {
                    Some((w, shortest)) => {
                        *w += weight;
                        if (word.len(), &word) < (shortest.len(), shortest) {
                            *shortest = word;
                        }
                    }
                    None => {
                        counts.insert(stem.to_string(), (weight, word));
                    }
                }
            }
        };
        add(&page.title, TITLE_WEIGHT, &mut length);
        if let Some(element) = element {
            add(element, ELEMENT_WEIGHT, &mut length);
        }
        for section in &sections {
            // A heading repeating the page title (`# Events` on the Events page) adds nothing.
            if section.heading != page.title {
                add(&section.heading, HEADING_WEIGHT, &mut length);
            }
            add(&section.text, BODY_WEIGHT, &mut length);
            add(&section.code, CODE_WEIGHT, &mut length);
        }
        let mut terms: Vec<(String, f32, String)> =
            counts.into_iter().map(|(t, (w, s))| (t, w, s)).collect();
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        PageRecord {
            url: format!("{base_path}{}", page.url),
            title: page.title.clone(),
            element: element.map(str::to_string),
            sections,
            terms,
            length,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_weighs_title_element_heading_body_and_code() {
        let page = Page::parse(
            "x/auth.md",
            b"---\ntitle: Authentication\n---\nTokens expire.\n\n## Refreshing Tokens\n\nRefresh the token.\n\n```\ntoken=1\n```\n".to_vec(),
        );
        let record = PageRecord::new(&page, Some("Xero"), "/docs", &mut Stems::default());
        assert_eq!(record.url, "/docs/x/auth.html");
        assert_eq!(record.sections.len(), 2);
        assert_eq!(record.sections[1].id, "refreshing-tokens");
        let weight = |term: &str| {
            record
                .terms
                .iter()
                .find(|t| t.0 == term)
                .map(|t| (t.1, t.2.as_str()))
        };
        assert_eq!(weight("authent"), Some((TITLE_WEIGHT, "authentication")));
        assert_eq!(weight("xero"), Some((ELEMENT_WEIGHT, "xero")));
        assert_eq!(
            weight("refresh"),
            Some((HEADING_WEIGHT + BODY_WEIGHT, "refresh"))
        );
        assert_eq!(
            weight("token"),
            Some((
                BODY_WEIGHT + HEADING_WEIGHT + BODY_WEIGHT + CODE_WEIGHT,
                "token"
            ))
        );
        assert_eq!(weight("the"), None, "stop words are left out");
        assert_eq!(record.length, 11);
    }
}

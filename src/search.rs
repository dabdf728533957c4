//! Render stage, site-wide: the full-text search index the default theme's search box queries
//! in the browser — no service, works offline and under any base path.
//!
//! 1. `index_page` (per page, in parallel): the page's sections (extract.rs) become its
//!    fragment — the sections' text, fetched for the pages a query ranks highest so the browser
//!    can pick the best section, its excerpt and highlights — and its `PageRecord`, the weighted
//!    count of each term (terms.rs): title words count most, then the element's name and section
//!    headings, then body text, then code.
//!    Fragments are bundled by folder into files of a few pages (fragments.rs, `layout`),
//!    which also gives the pages their numbers.
//! 2. `shard_files` (per site): from the records, a small manifest and the terms split into
//!    shards by alphabetical range, so a query fetches only the shards of its words (shards.rs).
//!
//! Fragments are written as they are made and not kept; `serve` keeps one record per page and
//! makes the shards again after an edit, and rewrites only the fragment files of the folders
//! whose pages changed.

mod extract;
mod fragments;
mod shards;
mod terms;

pub use extract::{Section, sections};
pub use fragments::{CHUNK_PAGES, Chunk, chunk_json, chunk_path, layout, order};
pub use shards::{DIR, MANIFEST, shard_files};
pub use terms::{STOP_WORDS, Stems, for_each_word, is_stop_word, words};

use crate::page::Page;

/// How much one occurrence of a word counts, by where it is.
const TITLE_WEIGHT: f32 = 8.0;
const ELEMENT_WEIGHT: f32 = 3.0;
const HEADING_WEIGHT: f32 = 4.0;
const BODY_WEIGHT: f32 = 1.0;
const CODE_WEIGHT: f32 = 0.3;

/// What the term shards need of one published page, kept compact (`serve` keeps one per page):
/// its terms in order, one a line, with their weighted counts and the shortest word each came
/// from (shown in "did you mean"; an empty line when it is the term itself).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageRecord {
    pub terms: String,
    pub weights: Vec<f32>,
    pub words: String,
    /// Words on the page, for length normalisation.
    pub length: u32,
}

impl PageRecord {
    /// (term, weighted count, shortest word) of each term, in order.
    pub fn terms(&self) -> impl Iterator<Item = (&str, f32, &str)> {
        self.terms
            .split('\n')
            .zip(&self.weights)
            .zip(self.words.split('\n'))
            .map(|((term, weight), word)| {
                (term, *weight, if word.is_empty() { term } else { word })
            })
    }
}

/// A page's record and its fragment (the JSON the browser fetches to rank its sections), for
/// `page` under `base_path` with its element's heading; `stems` is the worker's stem cache.
pub fn index_page(
    page: &Page,
    element: Option<&str>,
    base_path: &str,
    stems: &mut Stems,
) -> (PageRecord, String) {
    let text = page.expanded.as_deref().unwrap_or(&page.text);
    let body = text.get(page.body_offset..).unwrap_or("");
    let sections = sections(body, &page.doc.headings);
    let mut length = 0;
    let add = |text: &str, weight: f32, length: &mut u32, stems: &mut Stems| {
        for_each_word(text, |word| {
            *length += 1;
            stems.count(word, weight);
        });
    };
    add(&page.title, TITLE_WEIGHT, &mut length, stems);
    if let Some(element) = element {
        add(element, ELEMENT_WEIGHT, &mut length, stems);
    }
    for section in &sections {
        // A heading repeating the page title (`# Events` on the Events page) adds nothing.
        if section.heading != page.title {
            add(&section.heading, HEADING_WEIGHT, &mut length, stems);
        }
        add(&section.text, BODY_WEIGHT, &mut length, stems);
        add(&section.code, CODE_WEIGHT, &mut length, stems);
    }
    let counts = stems.take_counts();
    let mut sorted: Vec<(&str, f32, &str)> = counts
        .into_iter()
        .map(|(stem, weight, word)| (stems.term(stem), weight, stems.word(word)))
        .collect();
    // Terms are distinct: no need for a stable sort.
    sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut record = PageRecord {
        length,
        ..PageRecord::default()
    };
    for (n, (term, weight, word)) in sorted.into_iter().enumerate() {
        if n > 0 {
            record.terms.push('\n');
            record.words.push('\n');
        }
        record.terms.push_str(term);
        record.weights.push(weight);
        if word != term {
            record.words.push_str(word);
        }
    }
    let url = format!("{base_path}{}", page.url);
    let fragment = shards::fragment_json(&url, &page.title, element, &sections);
    (record, fragment)
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
        let (record, fragment) = index_page(&page, Some("Xero"), "/docs", &mut Stems::default());
        assert_eq!(
            fragment,
            r#"{"u":"/docs/x/auth.html","t":"Authentication","e":"Xero","s":[["","","Tokens expire.",""],["refreshing-tokens","Refreshing Tokens","Refresh the token.","token=1"]]}"#
        );
        let terms: Vec<(&str, f32, &str)> = record.terms().collect();
        assert_eq!(
            terms,
            [
                ("1", CODE_WEIGHT, "1"),
                ("authent", TITLE_WEIGHT, "authentication"),
                ("expir", BODY_WEIGHT, "expire"),
                ("refresh", HEADING_WEIGHT + BODY_WEIGHT, "refresh"),
                (
                    "token",
                    BODY_WEIGHT + HEADING_WEIGHT + BODY_WEIGHT + CODE_WEIGHT,
                    "token"
                ),
                ("xero", ELEMENT_WEIGHT, "xero"),
            ],
            "stop words are left out"
        );
        assert_eq!(record.length, 11);
    }
}

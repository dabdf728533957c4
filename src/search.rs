//! Render stage, site-wide: the full-text search index the default theme's search box queries
//! in the browser — no service, works offline and under any base path.
//!
//! 1. Each page's sections (extract.rs) are read from its render's events while it renders;
//!    `serve` reads them alone.
//! 2. `index_page` (per page, in parallel once every page is rendered, while the output check
//!    runs; a group of folders per worker):
//!    the sections become the page's fragment — the sections' text, fetched for the pages a
//!    query ranks highest so the browser can pick the best section, its excerpt and highlights
//!    — and its `PageRecord`, the weighted count of each term (terms.rs): title words count
//!    most, then the element's name and section headings, then body text, then code. Fragments
//!    are bundled by folder into files of a few pages (fragments.rs, `layout`), which also
//!    gives the pages their numbers. The records' terms are numbered by the worker's `Stems`,
//!    then by the site's `Vocabulary` (vocabulary.rs).
//! 3. `shard_files` (per site): from the records, a small manifest and the terms split into
//!    shards by alphabetical range, so a query fetches only the shards of its words (shards.rs).
//!
//! The word cutter, the whitespace collapser and the fragments' JSON writer read every byte of
//! the index's text, sixteen bytes a test (lanes.rs).
//!
//! A build holds each page's sections, in one string of their exact size (`PageSections`),
//! from its render until the index writes its folder's file, and keeps none after; `serve`
//! keeps one record per page and the vocabulary, makes the shards again after an edit, and
//! rewrites only the fragment files of the folders whose pages changed.

mod extract;
mod fragments;
mod lanes;
mod shards;
mod terms;
mod vocabulary;

pub use extract::{
    PageSections, Section, SectionText, Sections, html_sections, sections, sections_while,
};
pub use fragments::{CHUNK_PAGES, Chunk, chunk_json, chunk_path, layout, order};
pub use shards::{DIR, MANIFEST, file_hash, files_hash, shard_files};
pub use terms::{STOP_WORDS, StemPool, Stems, for_each_word, is_stop_word, words};
pub use vocabulary::{Renumbering, Vocabulary};

use crate::page::Page;

/// How much one occurrence of a word counts, by where it is.
const TITLE_WEIGHT: f32 = 8.0;
const ELEMENT_WEIGHT: f32 = 3.0;
const HEADING_WEIGHT: f32 = 4.0;
const BODY_WEIGHT: f32 = 1.0;
const CODE_WEIGHT: f32 = 0.3;

/// What the term shards need of one published page, kept compact (`serve` keeps one per page):
/// each term it uses, in the order it first used it, as (term, weighted count, the shortest
/// word it came from — shown in "did you mean"), term and word by number: the worker's
/// `Stems` numbers when `index_page` makes it, the site's `Vocabulary` numbers once adopted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageRecord {
    pub terms: Vec<(u32, f32, u32)>,
    /// Words on the page, for length normalisation.
    pub length: u32,
}

/// A page's record and its fragment (the JSON the browser fetches to rank its sections), for
/// `page` with its `sections` (`sections`, `sections_while`) under `base_path` with its
/// element's heading; `stems` is the worker's stem cache.
pub fn index_page(
    page: &Page,
    element: Option<&str>,
    base_path: &str,
    sections: &PageSections,
    stems: &mut Stems,
) -> (PageRecord, String) {
    let mut length = 0;
    length += stems.count_words(&page.title, TITLE_WEIGHT);
    if let Some(element) = element {
        length += stems.count_words(element, ELEMENT_WEIGHT);
    }
    for section in sections.iter() {
        // A heading repeating the page title (`# Events` on the Events page) adds nothing.
        if section.heading != page.title {
            length += stems.count_words(section.heading, HEADING_WEIGHT);
        }
        length += stems.count_words(section.text, BODY_WEIGHT);
        length += stems.count_words(section.code, CODE_WEIGHT);
    }
    // The terms in the order the page first used them: the shards sort the site's terms
    // once, so a record needs no order of its own, only the same one for the same page.
    let record = PageRecord {
        terms: stems.take_counts(),
        length,
    };
    // The URL as the site's links write it: a path with spaces or non-ASCII letters
    // percent-encoded.
    let url = format!("{base_path}{}", crate::links::encode_path(&page.url));
    let fragment = shards::fragment_json(&url, &page.title, element, sections);
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
        let mut stems = Stems::default();
        let (record, fragment) =
            index_page(&page, Some("Xero"), "/docs", &sections(&page), &mut stems);
        assert_eq!(
            fragment,
            r#"{"u":"/docs/x/auth.html","t":"Authentication","e":"Xero","s":[["","","Tokens expire.",""],["refreshing-tokens","Refreshing Tokens","Refresh the token.","token=1"]]}"#
        );
        let mut terms: Vec<(&str, f32, &str)> = record
            .terms
            .iter()
            .map(|&(term, weight, word)| (stems.term(term), weight, stems.word(word)))
            .collect();
        terms.sort_by(|a, b| a.0.cmp(b.0));
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

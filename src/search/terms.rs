//! Render stage, search: the words of the index — how text is cut into terms, the same way
//! the browser cuts a query (themes/default/static/search.js mirrors every rule here, and the
//! Chromium tests compare the two on real words).
//!
//! A word is a run of letters and digits (Unicode alphabetic or numeric), lowercased, so
//! `Retry-After` is `retry` then `after` and `OAuth2` is `oauth2`. A word of ASCII letters only
//! is stemmed with the Snowball English (Porter2) stemmer — `refreshing`, `refreshed` and
//! `refreshes` all become `refresh` — other words are kept as they are. A short list of English
//! function words is left out: every page has them, they would make the largest shards, and
//! they say nothing about what a page is about.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

/// Words never indexed. search.js holds the same list.
pub const STOP_WORDS: [&str; 33] = [
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "their", "then", "there", "these", "this", "to",
    "was", "were", "which", "will", "with", "you",
];

/// The words of `text` as (lowercased word, byte offset), stop words included.
pub fn words(text: &str) -> impl Iterator<Item = (String, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = chars.peek() {
            if c.is_alphanumeric() {
                break;
            }
            chars.next();
        }
        let (start, _) = *chars.peek()?;
        let mut word = String::new();
        while let Some(&(_, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                break;
            }
            word.extend(c.to_lowercase());
            chars.next();
        }
        Some((word, start))
    })
}

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Stems words, remembering each word's stem: a site's vocabulary is small next to its word
/// count, so most words are looked up, not stemmed. One per worker thread.
pub struct Stems {
    stemmer: Stemmer,
    known: HashMap<String, String>,
}

impl Default for Stems {
    fn default() -> Self {
        Stems {
            stemmer: Stemmer::create(Algorithm::English),
            known: HashMap::new(),
        }
    }
}

impl Stems {
    /// The term of a lowercased `word`.
    pub fn stem(&mut self, word: &str) -> &str {
        if !self.known.contains_key(word) {
            let stem = if word.bytes().all(|b| b.is_ascii_lowercase()) {
                self.stemmer.stem(word).into_owned()
            } else {
                word.to_string()
            };
            self.known.insert(word.to_string(), stem);
        }
        &self.known[word]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS;
        sorted.sort();
        assert_eq!(sorted, STOP_WORDS);
        assert!(is_stop_word("the") && !is_stop_word("token"));
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_lowercased() {
        let found: Vec<(String, usize)> = words("Retry-After: OAuth2 — Zürich's 429").collect();
        let expect = [
            ("retry", 0),
            ("after", 6),
            ("oauth2", 13),
            ("zürich", 24),
            ("s", 32),
            ("429", 34),
        ];
        assert_eq!(found, expect.map(|(w, at)| (w.to_string(), at)).to_vec());
    }

    #[test]
    fn english_words_are_stemmed_and_others_kept() {
        let mut stems = Stems::default();
        let table = [
            ("refresh", "refresh"),
            ("refreshing", "refresh"),
            ("refreshed", "refresh"),
            ("refreshes", "refresh"),
            ("webhooks", "webhook"),
            ("webhook", "webhook"),
            ("authentication", "authent"),
            ("oauth2", "oauth2"),
            ("zürich", "zürich"),
            ("429", "429"),
        ];
        for (word, stem) in table {
            assert_eq!(stems.stem(word), stem, "{word}");
        }
    }
}

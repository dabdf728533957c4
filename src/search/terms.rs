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
use std::hash::{BuildHasherDefault, Hasher};

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

/// A hash map with a fast, non-randomised hash (FxHash, as rustc uses): the indexer hashes
/// every word of the site, and its keys come from the site's own files, so there is nothing to
/// defend against.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut hash = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
            hash = (hash.rotate_left(5) ^ word).wrapping_mul(SEED);
        }
        for &byte in chunks.remainder() {
            hash = (hash.rotate_left(5) ^ byte as u64).wrapping_mul(SEED);
        }
        self.0 = hash;
    }

    fn write_u32(&mut self, n: u32) {
        self.write(&n.to_le_bytes());
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Calls `f` with each lowercased word of `text`, stop words included: the indexer's hot loop,
/// so it allocates nothing per word. Most words are ASCII lowercase letters and digits already
/// and are passed as they stand in `text`; only the others are lowercased into one reused buffer.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let plain = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut word = String::new();
    let mut at = 0;
    while at < bytes.len() {
        if plain(bytes[at]) {
            let start = at;
            while at < bytes.len() && plain(bytes[at]) {
                at += 1;
            }
            let run = &text[start..at];
            if word.is_empty() && !continues_word(text, at) {
                f(run);
            } else {
                word.push_str(run);
            }
            continue;
        }
        let c = text[at..].chars().next().expect("a char starts here");
        at += c.len_utf8();
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() && c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            f(&word);
            word.clear();
        }
    }
    if !word.is_empty() {
        f(&word);
    }
}

/// Whether the character at byte `at` of `text` (if any) is part of a word.
fn continues_word(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        None => false,
        Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        Some(_) => text[at..].chars().next().is_some_and(char::is_alphanumeric),
    }
}

pub fn is_stop_word(word: &str) -> bool {
    word.len() <= 5 && STOP_WORDS.binary_search(&word).is_ok()
}

/// Stems words, remembering each word's stem: a site's vocabulary is small next to its word
/// count, so most words are looked up, not stemmed. Words and stems are numbered, so counting
/// a page's terms hashes small integers. One per worker thread.
pub struct Stems {
    stemmer: Stemmer,
    /// Word → (word number, stem number); `None` for stop words.
    known: FastMap<String, Option<(u32, u32)>>,
    words: Vec<String>,
    stems: Vec<String>,
    stem_numbers: FastMap<String, u32>,
    /// The page being counted: (weighted count, number of the shortest word) by stem number,
    /// `NONE` where the page has not used the stem, and the stems it used. An array, not a
    /// map: every word of the site passes through here.
    counts: Vec<(f32, u32)>,
    counted: Vec<u32>,
}

/// An unused slot of `Stems::counts`.
const NONE: u32 = u32::MAX;

impl Default for Stems {
    fn default() -> Self {
        Stems {
            stemmer: Stemmer::create(Algorithm::English),
            known: FastMap::default(),
            words: Vec::new(),
            stems: Vec::new(),
            stem_numbers: FastMap::default(),
            counts: Vec::new(),
            counted: Vec::new(),
        }
    }
}

impl Stems {
    /// The term of a lowercased `word`.
    pub fn stem(&mut self, word: &str) -> &str {
        let stem = self.stem_of(word);
        &self.stems[stem as usize]
    }

    /// The word and stem numbers of a lowercased `word`; `None` for a stop word.
    pub fn lookup(&mut self, word: &str) -> Option<(u32, u32)> {
        if let Some(known) = self.known.get(word) {
            return *known;
        }
        let numbers = (!is_stop_word(word)).then(|| {
            let stem = self.stem_of(word);
            self.words.push(word.to_string());
            (self.words.len() as u32 - 1, stem)
        });
        self.known.insert(word.to_string(), numbers);
        numbers
    }

    /// Counts a lowercased `word` with `weight` for the page being indexed, remembering the
    /// shortest word each stem came from (stop words are not counted).
    pub fn count(&mut self, word: &str, weight: f32) {
        let Some((word, stem)) = self.lookup(word) else {
            return;
        };
        let at = stem as usize;
        if at >= self.counts.len() {
            self.counts.resize(at + 1, (0.0, NONE));
        }
        let slot = &mut self.counts[at];
        if slot.1 == NONE {
            *slot = (weight, word);
            self.counted.push(stem);
            return;
        }
        slot.0 += weight;
        if slot.1 != word {
            let (old, new) = (&self.words[slot.1 as usize], &self.words[word as usize]);
            if (new.len(), new) < (old.len(), old) {
                slot.1 = word;
            }
        }
    }

    /// The page's counts as (stem number, weighted count, shortest word number), in the order
    /// the stems were first seen; the next page starts from none.
    pub fn take_counts(&mut self) -> Vec<(u32, f32, u32)> {
        let counted = std::mem::take(&mut self.counted);
        counted
            .into_iter()
            .map(|stem| {
                let (weight, word) =
                    std::mem::replace(&mut self.counts[stem as usize], (0.0, NONE));
                (stem, weight, word)
            })
            .collect()
    }

    /// The word numbered `n` by `lookup`.
    pub fn word(&self, n: u32) -> &str {
        &self.words[n as usize]
    }

    /// The stem numbered `n` by `lookup`.
    pub fn term(&self, n: u32) -> &str {
        &self.stems[n as usize]
    }

    fn stem_of(&mut self, word: &str) -> u32 {
        let stem = if word.bytes().all(|b| b.is_ascii_lowercase()) {
            self.stemmer.stem(word)
        } else {
            std::borrow::Cow::Borrowed(word)
        };
        if let Some(&n) = self.stem_numbers.get(stem.as_ref()) {
            return n;
        }
        self.stems.push(stem.to_string());
        let n = self.stems.len() as u32 - 1;
        self.stem_numbers.insert(stem.into_owned(), n);
        n
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
    fn the_indexer_sees_the_same_words() {
        // Lowercase runs are passed as they stand; a run that an uppercase or non-ASCII letter
        // continues (either side), ends the text, or that stands alone must still be one word.
        let table = [
            "Retry-After: OAuth2 — ZÜRICH's 429",
            "plain words only",
            "oauthToken tokenÄnd endé éstart mid-dle",
            "x",
            "X",
            "",
            "  ümlaut ",
            "abc123def 4five Six",
            "naïve café's coöperate",
            "trailing",
            "ß ẞ İstanbul",
        ];
        for text in table {
            let mut seen = Vec::new();
            for_each_word(text, |w| seen.push(w.to_string()));
            let expected: Vec<String> = words(text).map(|(w, _)| w).collect();
            assert_eq!(seen, expected, "{text:?}");
        }
    }

    #[test]
    fn stop_words_have_no_numbers_and_variants_share_a_stem() {
        let mut stems = Stems::default();
        assert_eq!(stems.lookup("the"), None);
        let (a, refresh) = stems.lookup("refreshing").unwrap();
        let (b, again) = stems.lookup("refreshed").unwrap();
        assert_ne!(a, b);
        assert_eq!(refresh, again);
        assert_eq!(
            (stems.word(a), stems.term(refresh)),
            ("refreshing", "refresh")
        );
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

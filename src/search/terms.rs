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
use std::sync::Mutex;

use hashbrown::HashTable;
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
        // A multiply leaves the low bits poor, and hash tables index by them: the high bits
        // rotated down (as rustc-hash 2 does).
        self.0.rotate_left(26)
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
/// a page's terms touches small integers; a word is found by a hash of its bytes that the word
/// cutter (`count_words`) computes as it goes. One per worker thread.
pub struct Stems {
    stemmer: Stemmer,
    /// Word numbers, by `word_hash` of the word.
    table: HashTable<u32>,
    /// Each known word, by number.
    words: Vec<Word>,
    /// The text of every known word, one after the other.
    text: String,
    stems: Vec<String>,
    stem_numbers: FastMap<String, u32>,
    /// The page being counted: (weighted count, number of the shortest word) by stem number,
    /// `NONE` where the page has not used the stem, and the stems it used. An array, not a
    /// map: every word of the site passes through here.
    counts: Vec<(f32, u32)>,
    counted: Vec<u32>,
    /// A word being lowercased (one that is not ASCII lowercase as written).
    lowered: String,
}

/// A known word: where its text is in `Stems::text`, its hash, and its stem's number (`NONE`
/// for a stop word).
struct Word {
    start: u32,
    len: u32,
    hash: u64,
    stem: u32,
}

/// An unused slot of `Stems::counts`; the stem of a stop word.
const NONE: u32 = u32::MAX;

impl Default for Stems {
    fn default() -> Self {
        Stems {
            stemmer: Stemmer::create(Algorithm::English),
            table: HashTable::new(),
            words: Vec::new(),
            text: String::new(),
            stems: Vec::new(),
            stem_numbers: FastMap::default(),
            counts: Vec::new(),
            counted: Vec::new(),
            lowered: String::new(),
        }
    }
}

/// How the word cutter sees a byte: part of a word as it stands (ASCII lowercase letters and
/// digits), an uppercase ASCII letter, a byte of a non-ASCII character, or a separator.
#[derive(Clone, Copy, PartialEq)]
enum Class {
    Plain,
    Upper,
    Wide,
    Separator,
}

const CLASSES: [Class; 256] = {
    let mut classes = [Class::Separator; 256];
    let mut b = 0;
    while b < 256 {
        classes[b] = match b as u8 {
            b'a'..=b'z' | b'0'..=b'9' => Class::Plain,
            b'A'..=b'Z' => Class::Upper,
            0x80..=0xFF => Class::Wide,
            _ => Class::Separator,
        };
        b += 1;
    }
    classes
};

/// The hash `Stems` finds a word by: FxHash over its bytes eight at a time, its high bits
/// rotated down (the table indexes by the low bits, which a multiply leaves poor).
fn word_hash(word: &[u8]) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut hash = word.len() as u64;
    let mut chunks = word.chunks_exact(8);
    for chunk in &mut chunks {
        let bytes = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        hash = (hash.rotate_left(5) ^ bytes).wrapping_mul(SEED);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut bytes = 0u64;
        for (n, &b) in rest.iter().enumerate() {
            bytes |= (b as u64) << (8 * n);
        }
        hash = (hash.rotate_left(5) ^ bytes).wrapping_mul(SEED);
    }
    hash.rotate_left(26)
}

/// The text of word `n` of `words`, stored in `text`.
fn word_text<'t>(words: &[Word], text: &'t str, n: u32) -> &'t str {
    let word = &words[n as usize];
    &text[word.start as usize..(word.start + word.len) as usize]
}

impl Stems {
    /// The term of a lowercased `word`.
    pub fn stem(&mut self, word: &str) -> &str {
        let stem = self.stem_of(word);
        &self.stems[stem as usize]
    }

    /// The word and stem numbers of a lowercased `word`; `None` for a stop word.
    pub fn lookup(&mut self, word: &str) -> Option<(u32, u32)> {
        let n = self.number(word, word_hash(word.as_bytes()));
        let stem = self.words[n as usize].stem;
        (stem != NONE).then_some((n, stem))
    }

    /// The number of a lowercased `word` whose `word_hash` is `hash`, numbered (and stemmed)
    /// when it is new.
    fn number(&mut self, word: &str, hash: u64) -> u32 {
        let (words, text) = (&self.words, &self.text);
        let found = self.table.find(hash, |&n| {
            words[n as usize].hash == hash && word_text(words, text, n) == word
        });
        if let Some(&n) = found {
            return n;
        }
        let stem = match is_stop_word(word) {
            true => NONE,
            false => self.stem_of(word),
        };
        let n = self.words.len() as u32;
        self.words.push(Word {
            start: self.text.len() as u32,
            len: word.len() as u32,
            hash,
            stem,
        });
        self.text.push_str(word);
        let words = &self.words;
        self.table
            .insert_unique(hash, n, |&n| words[n as usize].hash);
        n
    }

    /// Counts a lowercased `word` with `weight` for the page being indexed, remembering the
    /// shortest word each stem came from (stop words are not counted).
    pub fn count(&mut self, word: &str, weight: f32) {
        let n = self.number(word, word_hash(word.as_bytes()));
        self.count_number(n, weight);
    }

    /// Counts every word of `text` (`for_each_word`'s words) with `weight` for the page being
    /// indexed; returns how many words it has, stop words included. The indexer's hot loop:
    /// a word of ASCII lowercase letters and digits, as most are, is looked up as it stands in
    /// `text`; only the others are lowercased, into a reused buffer.
    pub fn count_words(&mut self, text: &str, weight: f32) -> u32 {
        let bytes = text.as_bytes();
        let mut words = 0;
        let mut at = 0;
        while at < bytes.len() {
            let start = at;
            match CLASSES[bytes[at] as usize] {
                Class::Separator => {
                    at += 1;
                    continue;
                }
                Class::Plain => {
                    while at < bytes.len() && CLASSES[bytes[at] as usize] == Class::Plain {
                        at += 1;
                    }
                    if at == bytes.len() || CLASSES[bytes[at] as usize] == Class::Separator {
                        let word = &text[start..at];
                        let n = self.number(word, word_hash(word.as_bytes()));
                        self.count_number(n, weight);
                        words += 1;
                        continue;
                    }
                }
                Class::Upper | Class::Wide => {}
            }
            // A word with an uppercase or non-ASCII letter, or a non-ASCII separator.
            let (end, found) = self.lower_word(text, start);
            at = end;
            if found {
                let word = std::mem::take(&mut self.lowered);
                let n = self.number(&word, word_hash(word.as_bytes()));
                self.lowered = word;
                self.count_number(n, weight);
                words += 1;
            }
        }
        words
    }

    /// Lowercases the word starting at byte `start` of `text` into `lowered`; returns where
    /// it ends and whether there was one (a non-ASCII character may be a separator).
    fn lower_word(&mut self, text: &str, start: usize) -> (usize, bool) {
        self.lowered.clear();
        let mut end = start;
        for c in text[start..].chars() {
            if c.is_ascii_alphanumeric() {
                self.lowered.push(c.to_ascii_lowercase());
            } else if !c.is_ascii() && c.is_alphanumeric() {
                self.lowered.extend(c.to_lowercase());
            } else {
                break;
            }
            end += c.len_utf8();
        }
        if end == start {
            // Not part of a word: a separator, skipped.
            let width = text[start..].chars().next().map_or(1, char::len_utf8);
            return (start + width, false);
        }
        (end, true)
    }

    /// Counts the word numbered `n` with `weight` (nothing for a stop word).
    fn count_number(&mut self, n: u32, weight: f32) {
        let stem = self.words[n as usize].stem;
        if stem == NONE {
            return;
        }
        let at = stem as usize;
        if at >= self.counts.len() {
            self.counts.resize(at + 1, (0.0, NONE));
        }
        let slot = &mut self.counts[at];
        if slot.1 == NONE {
            *slot = (weight, n);
            self.counted.push(stem);
            return;
        }
        slot.0 += weight;
        if slot.1 != n {
            let text = |n: u32| word_text(&self.words, &self.text, n);
            let (old, new) = (text(slot.1), text(n));
            if (new.len(), new) < (old.len(), old) {
                slot.1 = n;
            }
        }
    }

    /// The page's counts as (stem number, weighted count, shortest word number), in the order
    /// the stems were first seen; the next page starts from none.
    pub fn take_counts(&mut self) -> Vec<(u32, f32, u32)> {
        let mut counts = Vec::with_capacity(self.counted.len());
        self.drain_counts(|stem, weight, word| counts.push((stem, weight, word)));
        counts
    }

    /// Hands `f` the page's counts as `take_counts` lists them, and clears them.
    pub fn drain_counts(&mut self, mut f: impl FnMut(u32, f32, u32)) {
        for &stem in &self.counted {
            let (weight, word) = std::mem::replace(&mut self.counts[stem as usize], (0.0, NONE));
            f(stem, weight, word);
        }
        self.counted.clear();
    }

    /// The word numbered `n` by `lookup`.
    pub fn word(&self, n: u32) -> &str {
        word_text(&self.words, &self.text, n)
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

/// Stem caches for the threads of a parallel pass (the render), so each cache learns the
/// site's vocabulary once per thread rather than once per page: a page borrows one for the
/// time it is indexed.
#[derive(Default)]
pub struct StemPool(Mutex<Vec<Stems>>);

impl StemPool {
    /// Runs `f` with a cache no other thread is using.
    pub fn with<R>(&self, f: impl FnOnce(&mut Stems) -> R) -> R {
        let taken = self.0.lock().expect("no panics").pop();
        let mut stems = taken.unwrap_or_default();
        let result = f(&mut stems);
        self.0.lock().expect("no panics").push(stems);
        result
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
    fn counting_a_text_counts_each_of_its_words() {
        // `count_words` cuts words itself (ASCII lowercase runs as they stand, the others
        // lowercased): it must count what `words` gives, word by word.
        let table = [
            "Retry-After: OAuth2 — ZÜRICH's 429 refreshing refreshed Refresh",
            "oauthToken tokenÄnd endé éstart mid-dle the The THE",
            "x X  ümlaut ß ẞ İstanbul naïve café's coöperate",
            "abc123def 4five Six — « guillemets » 日本語 text",
            "",
            "trailing",
        ];
        for text in table {
            let (mut by_text, mut by_word) = (Stems::default(), Stems::default());
            let counted = by_text.count_words(text, 2.0);
            let words: Vec<String> = words(text).map(|(w, _)| w).collect();
            for word in &words {
                by_word.count(word, 2.0);
            }
            assert_eq!(counted as usize, words.len(), "{text:?}");
            let named = |stems: &mut Stems| -> Vec<(String, f32, String)> {
                let counts = stems.take_counts();
                counts
                    .into_iter()
                    .map(|(s, w, n)| (stems.term(s).to_string(), w, stems.word(n).to_string()))
                    .collect()
            };
            assert_eq!(named(&mut by_text), named(&mut by_word), "{text:?}");
        }
    }

    #[test]
    fn every_word_keeps_its_number_as_the_cache_grows() {
        let mut stems = Stems::default();
        let words: Vec<String> = (0..5000).map(|n| format!("w{n}x")).collect();
        let numbers: Vec<(u32, u32)> = words.iter().map(|w| stems.lookup(w).unwrap()).collect();
        for (word, number) in words.iter().zip(&numbers) {
            assert_eq!(stems.lookup(word), Some(*number));
            assert_eq!(stems.word(number.0), word);
        }
        stems.count_words("w7x w7x w8x the", 1.0);
        assert_eq!(
            stems.take_counts(),
            [
                (numbers[7].1, 2.0, numbers[7].0),
                (numbers[8].1, 1.0, numbers[8].0)
            ]
        );
        assert_eq!(stems.take_counts(), [], "the next page starts from none");
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

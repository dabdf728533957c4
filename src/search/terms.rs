//! Render stage, search: the words of the index — how text is cut into terms, the same way
//! the browser cuts a query (themes/default/static/search.js mirrors every rule here, and the
//! Chromium tests compare the two on real words).
//!
//! A word is a run of letters and digits (Unicode alphabetic or numeric), lowercased, so
//! `Retry-After` is `retry` then `after` and `OAuth2` is `oauth2`. A word of ASCII letters only
//! is stemmed with the Snowball English (Porter2) stemmer — `refreshing`, `refreshed` and
//! `refreshes` all become `refresh` — other words are kept as they are. A short list of English
//! function words is left out: every page has them, they would make the largest shards, and
//! they say nothing about what a page is about. So is a word longer than `MAX_TERM_BYTES` (the
//! browser need not know: a query for one finds it nowhere).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use rust_stemmers::{Algorithm, Stemmer};

use super::lanes::{LANES, within};

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

/// The longest word indexed, in bytes (a SHA-256 in hex is 64). A longer one — a base64 blob,
/// a minified line — is counted in the page's length like a stop word, but no reader searches
/// for it, and indexed it could start a shard, which puts it in the manifest every first
/// query fetches.
pub const MAX_TERM_BYTES: usize = 64;

pub fn is_stop_word(word: &str) -> bool {
    word.len() <= 5 && STOP_WORDS.binary_search(&word).is_ok()
}

/// Stems words, remembering each word's stem: a site's vocabulary is small next to its word
/// count, so most words are looked up, not stemmed. Words and stems are numbered, so counting
/// a page's terms touches small integers. The word cutter (`count_words`) finds a word by its
/// first sixteen bytes read as one number (`Key`), lowercased in place, so most words are
/// hashed and compared without being copied. One per worker thread.
pub struct Stems {
    stemmer: Stemmer,
    /// The known words, found by `Key`: open addressing with linear probing, a power of two
    /// of slots at most half full, so a word is found in the slot its hash names or one of
    /// the next few, one cache line read and no call (hashbrown's `find` calls its key test
    /// through a `dyn`, and reads its control bytes first: a second line).
    table: Vec<Slot>,
    /// Each known word, by number.
    words: Vec<Word>,
    /// The text of every known word, one after the other.
    text: String,
    stems: Vec<String>,
    stem_numbers: FastMap<String, u32>,
    /// The page being counted: (weighted count, number of the shortest word) by stem number
    /// (one for each stem), `NONE` where the page has not used the stem, and the stems it
    /// used. An array, not a map: every word of the site passes through here.
    counts: Vec<(f32, u32)>,
    counted: Vec<u32>,
    /// A word being lowercased (one with a non-ASCII letter, or longer than a `Key`).
    lowered: String,
}

/// A lowercased word as the table knows it: its first sixteen bytes (little-endian, zeros
/// after a shorter word) and its length; a longer word is told apart by its text. Aligned to
/// eight bytes, not sixteen, so a table slot takes 32 bytes rather than 48: every word of
/// the site is looked up in that table.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(C, packed(8))]
struct Key {
    head: u128,
    len: u32,
}

/// What `KEY_BYTES` holds of a word.
const KEY_BYTES: usize = 16;

/// A known word in the table: its key, number and stem number (`NONE` for a stop word); an
/// empty slot has a key of length 0 (no word has one).
#[derive(Clone, Copy)]
#[repr(C)]
struct Slot {
    key: Key,
    n: u32,
    stem: u32,
}

/// A known word: where its text is in `Stems::text`.
struct Word {
    start: u32,
    len: u32,
}

/// An unused slot of `Stems::counts`; the stem of a stop word.
const NONE: u32 = u32::MAX;

impl Default for Stems {
    fn default() -> Self {
        Stems {
            stemmer: Stemmer::create(Algorithm::English),
            table: Vec::new(),
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

const _: () = assert!(std::mem::size_of::<Slot>() == 32);

const EMPTY: Slot = Slot {
    key: Key { head: 0, len: 0 },
    n: NONE,
    stem: NONE,
};

/// The key of `word` (ASCII or not), lowercased already.
fn key_of(word: &[u8]) -> Key {
    let n = word.len().min(KEY_BYTES);
    let mut head = [0u8; KEY_BYTES];
    head[..n].copy_from_slice(&word[..n]);
    Key {
        head: u128::from_le_bytes(head),
        len: word.len() as u32,
    }
}

/// `HEAD_MASKS[n]` keeps the first `n` bytes of a key's head.
const HEAD_MASKS: [u128; KEY_BYTES + 1] = {
    let mut masks = [u128::MAX; KEY_BYTES + 1];
    let mut n = 0;
    while n < KEY_BYTES {
        masks[n] = (1u128 << (8 * n)) - 1;
        n += 1;
    }
    masks
};

/// The key of the `len` ASCII bytes at `start` of `bytes`, read as one number where sixteen
/// bytes are there to read.
fn key_at(bytes: &[u8], start: usize, len: usize) -> Key {
    match bytes.get(start..start + KEY_BYTES) {
        Some(sixteen) => {
            let all = u128::from_le_bytes(sixteen.try_into().expect("16 bytes"));
            let head = all & HEAD_MASKS[len.min(KEY_BYTES)];
            Key {
                head,
                len: len as u32,
            }
        }
        None => key_of(&bytes[start..start + len]),
    }
}

/// The bytes of a block of text read at once by the word cutter: one bit a byte.
const BLOCK: usize = 64;

/// What each byte of a block is, bit `i` for byte `i`: an ASCII letter or digit (`word`), an
/// ASCII capital (`upper`), a byte of a non-ASCII character (`high`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ByteKinds {
    word: u64,
    upper: u64,
    high: u64,
}

/// The kinds of the `BLOCK` bytes at `base` of `bytes`; past the end of `bytes` is read as
/// zeros (separators).
#[inline(always)]
fn kinds_at(bytes: &[u8], base: usize) -> ByteKinds {
    match bytes.get(base..base + BLOCK) {
        Some(block) => kinds(block.try_into().expect("a block")),
        None => {
            let mut block = [0; BLOCK];
            let rest = &bytes[base..];
            block[..rest.len()].copy_from_slice(rest);
            kinds(&block)
        }
    }
}

/// `kinds` of a block, a chunk of `LANES` bytes at a time.
#[inline(always)]
fn kinds(block: &[u8; BLOCK]) -> ByteKinds {
    let mut kinds = ByteKinds {
        word: 0,
        upper: 0,
        high: 0,
    };
    for (n, chunk) in block.chunks_exact(LANES).enumerate() {
        let chunk = chunk.try_into().expect("a chunk");
        let bits = |mask: u16| (mask as u64) << (LANES * n);
        let upper = within(chunk, b'A', b'Z');
        kinds.word |= bits(within(chunk, b'0', b'9') | upper | within(chunk, b'a', b'z'));
        kinds.upper |= bits(upper);
        kinds.high |= bits(within(chunk, 0x80, 0xff));
    }
    kinds
}

/// The bits below bit `n` (all of them for 64).
fn below(n: usize) -> u64 {
    u64::MAX.checked_shr((BLOCK - n) as u32).unwrap_or(0)
}

/// The high bit of each byte of `x` that is ASCII from `first` to `last`, eight at once: a
/// byte's low seven bits plus a constant carry into its own high bit, never into the next
/// byte; a byte with its own high bit set is no ASCII.
fn ascii_within(x: u64, first: u8, last: u8) -> u64 {
    let seven = x & !HIGH;
    let from = seven + (0x80 - first as u64) * LOW;
    let past = seven + (0x7f - last as u64) * LOW;
    from & !past & !x & HIGH
}

/// The high bit of each of eight bytes.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// The low bit of each of eight bytes: a byte-wise constant times this is that byte in every
/// lane.
const LOW: u64 = 0x0101_0101_0101_0101;

/// `head` with its ASCII uppercase letters lowercased, eight bytes at a time (`ascii_within`
/// finds `A`–`Z`; a capital's high bit shifted down is the 0x20 that lowercases it).
fn lowercase(head: u128) -> u128 {
    let lower = |half: u64| half | (ascii_within(half, b'A', b'Z') >> 2);
    let (low, high) = (head as u64, (head >> 64) as u64);
    lower(low) as u128 | (lower(high) as u128) << 64
}

/// The hash the table finds a key by (FxHash-like multiplies, the high bits rotated down:
/// the table indexes by the low bits, which a multiply leaves poor).
fn key_hash(key: Key) -> u64 {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let (low, high) = (key.head as u64, (key.head >> 64) as u64);
    let hash = (low ^ key.len as u64).wrapping_mul(SEED);
    let hash = (hash.rotate_left(5) ^ high).wrapping_mul(SEED);
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

    /// The word and stem numbers of a lowercased `word`; `None` for a stop word or one longer
    /// than `MAX_TERM_BYTES`.
    pub fn lookup(&mut self, word: &str) -> Option<(u32, u32)> {
        let (n, stem) = self.find(key_of(word.as_bytes()), word.as_bytes());
        (stem != NONE).then_some((n, stem))
    }

    /// The number and stem number of the lowercased word whose key is `key`, numbered (and
    /// stemmed) when it is new; `word` gives its text (read only for a new word, or one
    /// longer than a key).
    #[inline(always)]
    fn find(&mut self, key: Key, word: &[u8]) -> (u32, u32) {
        let long = key.len as usize > KEY_BYTES;
        let (words, text) = (&self.words, &self.text);
        let found = self.probe(key, |slot| {
            !long || word_text(words, text, slot.n).as_bytes() == word
        });
        found.unwrap_or_else(|| self.insert(key, word))
    }

    /// `find` for a word no longer than a key, which is its whole text.
    #[inline(always)]
    fn find_short(&mut self, key: Key) -> (u32, u32) {
        self.probe(key, |_| true)
            .unwrap_or_else(|| self.insert_short(key))
    }

    /// The number and stem number in the slot holding `key` whose word `same` accepts (the
    /// text of a word longer than a key), `None` when none does: from the slot its hash names
    /// on, to the first empty one.
    #[inline(always)]
    fn probe(&self, key: Key, same: impl Fn(&Slot) -> bool) -> Option<(u32, u32)> {
        let mask = self.table.len().wrapping_sub(1);
        let mut at = key_hash(key) as usize & mask;
        while let Some(slot) = self.table.get(at) {
            if slot.key.len == 0 {
                return None;
            }
            if slot.key == key && same(slot) {
                return Some((slot.n, slot.stem));
            }
            at = (at + 1) & mask;
        }
        None
    }

    /// `insert` for a word no longer than a key, its text taken from the key: apart, so the
    /// hot loop does not keep the key's bytes on its stack.
    #[cold]
    #[inline(never)]
    fn insert_short(&mut self, key: Key) -> (u32, u32) {
        let len = key.len as usize;
        self.insert(key, &key.head.to_le_bytes()[..len])
    }

    /// Numbers and stems a word `find` did not know.
    #[cold]
    fn insert(&mut self, key: Key, word: &[u8]) -> (u32, u32) {
        let word = std::str::from_utf8(word).expect("a word is cut at characters");
        let stem = match is_stop_word(word) || word.len() > MAX_TERM_BYTES {
            true => NONE,
            false => self.stem_of(word),
        };
        let n = self.words.len() as u32;
        self.words.push(Word {
            start: self.text.len() as u32,
            len: word.len() as u32,
        });
        self.text.push_str(word);
        if self.table.len() < 2 * self.words.len() {
            let grown = (2 * self.table.len()).max(1024);
            let old = std::mem::replace(&mut self.table, vec![EMPTY; grown]);
            for slot in old.into_iter().filter(|slot| slot.key.len != 0) {
                self.place(slot);
            }
        }
        self.place(Slot { key, n, stem });
        (n, stem)
    }

    /// Puts `slot` in the first empty slot from where its hash points.
    fn place(&mut self, slot: Slot) {
        let mask = self.table.len() - 1;
        let mut at = key_hash(slot.key) as usize & mask;
        while self.table[at].key.len != 0 {
            at = (at + 1) & mask;
        }
        self.table[at] = slot;
    }

    /// Counts a lowercased `word` with `weight` for the page being indexed, remembering the
    /// shortest word each stem came from (stop words are not counted).
    pub fn count(&mut self, word: &str, weight: f32) {
        let (n, stem) = self.find(key_of(word.as_bytes()), word.as_bytes());
        self.count_number(n, stem, weight);
    }

    /// Counts every word of `text` (`words`' words) with `weight` for the page being indexed;
    /// returns how many words it has, stop words included. The indexer's hot loop, a block of
    /// 64 bytes at a time: the block's bytes are told apart at once (`kinds_at`), and its words
    /// are the runs of ones among its ASCII letters and digits, found by counting bits. Such a
    /// word is read in place as its key (`count_ascii`); from the first non-ASCII byte of a
    /// block on, the word it is part of (or the separator it is) is read by chars, and the
    /// next block starts after it.
    pub fn count_words(&mut self, text: &str, weight: f32) -> u32 {
        let bytes = text.as_bytes();
        let mut words = 0;
        // Where the block starts (always at a char: after a block of ASCII, or after what
        // was read by chars), and where a word that runs into it began.
        let mut base = 0;
        let mut open = None;
        while base < bytes.len() {
            let kinds = kinds_at(bytes, base);
            // `BLOCK` when the block is all ASCII.
            let stop = kinds.high.trailing_zeros() as usize;
            let mut runs = kinds.word & below(stop);
            // Where reading by chars starts: at the first non-ASCII byte, or at the start of
            // the ASCII word it continues.
            let mut by_chars = base + stop;
            if let Some(start) = open {
                let run = runs.trailing_ones() as usize;
                if run == BLOCK {
                    base += BLOCK;
                    continue;
                }
                if run == stop {
                    by_chars = start;
                    runs = 0;
                } else {
                    let capitals = bytes[start..base + run].iter().any(u8::is_ascii_uppercase);
                    self.count_ascii(bytes, start, base + run, capitals, weight);
                    words += 1;
                    runs &= !below(run);
                }
                open = None;
            }
            while runs != 0 {
                let start = runs.trailing_zeros() as usize;
                // The lowest run of ones: adding its lowest bit carries through it.
                let rest = runs & runs.wrapping_add(1 << start);
                let run = runs ^ rest;
                let end = BLOCK - run.leading_zeros() as usize;
                if end == BLOCK {
                    open = Some(base + start);
                    break;
                }
                if end == stop {
                    by_chars = base + start;
                    break;
                }
                let capitals = kinds.upper & run != 0;
                self.count_ascii(bytes, base + start, base + end, capitals, weight);
                words += 1;
                runs = rest;
            }
            if stop == BLOCK {
                base += BLOCK;
                continue;
            }
            let (end, found) = self.lower_word(text, by_chars);
            if found {
                let word = std::mem::take(&mut self.lowered);
                let (n, stem) = self.find(key_of(word.as_bytes()), word.as_bytes());
                self.lowered = word;
                self.count_number(n, stem, weight);
                words += 1;
            }
            base = end;
        }
        if let Some(start) = open {
            // A word ending the text at the end of a block.
            let capitals = bytes[start..].iter().any(u8::is_ascii_uppercase);
            self.count_ascii(bytes, start, bytes.len(), capitals, weight);
            words += 1;
        }
        words
    }

    /// Counts the word of ASCII letters and digits at `start..end` of `bytes`, which has
    /// `capitals` or not: read in place as its key (lowercased there), or, longer than a key
    /// and with capitals, lowercased into a buffer.
    #[inline(always)]
    fn count_ascii(&mut self, bytes: &[u8], start: usize, end: usize, capitals: bool, weight: f32) {
        let len = end - start;
        let (n, stem) = if len <= KEY_BYTES {
            let key = key_at(bytes, start, len);
            match capitals {
                true => self.find_short(Key {
                    head: lowercase(key.head),
                    len: key.len,
                }),
                false => self.find_short(key),
            }
        } else if !capitals {
            self.find(key_at(bytes, start, len), &bytes[start..end])
        } else {
            let mut word = std::mem::take(&mut self.lowered);
            word.clear();
            word.extend(
                bytes[start..end]
                    .iter()
                    .map(|b| b.to_ascii_lowercase() as char),
            );
            let found = self.find(key_of(word.as_bytes()), word.as_bytes());
            self.lowered = word;
            found
        };
        self.count_number(n, stem, weight);
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

    /// Counts word `n`, whose stem is `stem`, with `weight` (nothing for a stop word).
    #[inline(always)]
    fn count_number(&mut self, n: u32, stem: u32, weight: f32) {
        if stem == NONE {
            return;
        }
        let slot = &mut self.counts[stem as usize];
        if slot.1 == NONE {
            *slot = (weight, n);
            self.counted.push(stem);
            return;
        }
        slot.0 += weight;
        if slot.1 != n {
            // The shortest word, then the first in byte order.
            let (old, new) = (&self.words[slot.1 as usize], &self.words[n as usize]);
            let shorter = new.len < old.len
                || (new.len == old.len
                    && word_text(&self.words, &self.text, n)
                        < word_text(&self.words, &self.text, slot.1));
            if shorter {
                slot.1 = n;
            }
        }
    }

    /// The page's counts as (stem number, weighted count, shortest word number), in the order
    /// the stems were first seen; the next page starts from none.
    pub fn take_counts(&mut self) -> Vec<(u32, f32, u32)> {
        let mut counts = Vec::with_capacity(self.counted.len());
        for &stem in &self.counted {
            let (weight, word) = std::mem::replace(&mut self.counts[stem as usize], (0.0, NONE));
            counts.push((stem, weight, word));
        }
        self.counted.clear();
        counts
    }

    /// The word numbered `n` by `lookup`.
    pub fn word(&self, n: u32) -> &str {
        word_text(&self.words, &self.text, n)
    }

    /// How many words are numbered: every word number is below it.
    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// How many stems are numbered: every stem number is below it.
    pub fn term_count(&self) -> usize {
        self.stems.len()
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
        self.counts.push((0.0, NONE));
        let n = self.stems.len() as u32 - 1;
        self.stem_numbers.insert(stem.into_owned(), n);
        n
    }
}

/// Stem caches lent to the groups of a parallel pass: a group takes one no other group is
/// using, so each cache learns the site's vocabulary (stemming every word once) per thread,
/// not per group. A group's records keep the numbers of the cache that counted them: `with`
/// says which, and `into_stems` gives them all back, by that number.
#[derive(Default)]
pub struct StemPool(Mutex<(Vec<(usize, Stems)>, usize)>);

impl StemPool {
    /// Runs `f` with a cache no other thread is using; returns its number with `f`'s result.
    pub fn with<R>(&self, f: impl FnOnce(&mut Stems) -> R) -> (usize, R) {
        let (n, mut stems) = {
            let mut pool = self.0.lock().expect("no panics");
            match pool.0.pop() {
                Some(lent) => lent,
                None => {
                    pool.1 += 1;
                    (pool.1 - 1, Stems::default())
                }
            }
        };
        let result = f(&mut stems);
        self.0.lock().expect("no panics").0.push((n, stems));
        (n, result)
    }

    /// The caches, by number.
    pub fn into_stems(self) -> Vec<Stems> {
        let mut lent = self.0.into_inner().expect("no panics").0;
        lent.sort_by_key(|(n, _)| *n);
        lent.into_iter().map(|(_, stems)| stems).collect()
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
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz0123 Internationalization x1",
            "Y2@z3[a4`b5{c6 WebHooks/webhooks_x 0x7F\u{7f}del tabs\tand\nlines",
            "longwordwithoutcapitalsatall longwordwithoutcapitalsatalL endé",
            "",
            "trailing",
        ];
        for text in table {
            counts_as_word_by_word(text);
        }
    }

    /// Asserts that `count_words` counts `text` as counting `words`' words one by one does.
    fn counts_as_word_by_word(text: &str) {
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

    #[test]
    fn a_blocks_bytes_are_told_apart_as_one_by_one() {
        // Every byte at every position, beside neighbours of each kind.
        for b in 0..=255u8 {
            for fill in [b'a', b' ', b'Z', 0xc3, b'9', 0x7f, 0x80, 0xff, b'@', b'['] {
                for at in 0..BLOCK {
                    let mut block = [fill; BLOCK];
                    block[at] = b;
                    let bit = |yes: fn(&u8) -> bool| {
                        block
                            .iter()
                            .enumerate()
                            .filter(|(_, byte)| yes(byte))
                            .fold(0u64, |mask, (n, _)| mask | 1 << n)
                    };
                    let want = ByteKinds {
                        word: bit(u8::is_ascii_alphanumeric),
                        upper: bit(u8::is_ascii_uppercase),
                        high: bit(|byte| *byte >= 0x80),
                    };
                    assert_eq!(kinds(&block), want, "{block:?}");
                }
            }
        }
    }

    #[test]
    fn words_are_cut_alike_at_every_place_in_a_block() {
        // Words of every length put at every offset, so each one starts, ends, or runs
        // across a block boundary, or ends the text there; non-ASCII letters and
        // separators beside them send the cutter to read by chars and back.
        let pieces = [
            "a",
            "Token",
            "refreshing",
            "WebHooks",
            "x9",
            "é",
            "café",
            "Zürich",
            "—",
            "’",
            "日本語",
            "internationalizationS",
            "internationalizations",
            "ÅB",
            "-",
            "  ",
            "\n",
        ];
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for lead in 0..70 {
            for _ in 0..12 {
                let mut text = "q".repeat(lead % 3) + &" ".repeat(lead);
                while text.len() < 200 {
                    text.push_str(pieces[next() % pieces.len()]);
                    if next() % 3 != 0 {
                        text.push(' ');
                    }
                }
                counts_as_word_by_word(&text);
            }
        }
    }

    #[test]
    fn capitals_are_lowercased_in_place_as_char_by_char() {
        let mut all = Vec::new();
        for b in 0u8..0x80 {
            all.push(b);
        }
        for chunk in all.chunks(16) {
            let key = key_of(chunk);
            let want = key_of(chunk.to_ascii_lowercase().as_slice());
            let (got, want) = (lowercase(key.head), want.head);
            assert_eq!(got, want, "{chunk:?}");
        }
        let text = b"xxAbCdEfGhIjKlMnOpQrStUvWxYz0189@[`{";
        for start in 0..text.len() {
            for len in 0..=(text.len() - start).min(KEY_BYTES) {
                let key = key_at(text, start, len);
                assert!(key == key_of(&text[start..start + len]), "{start} {len}");
            }
        }
    }

    #[test]
    fn long_words_and_words_sharing_a_head_are_told_apart() {
        let mut stems = Stems::default();
        let text = "internationalizations internationalizationX INTERNATIONALIZATIONS \
                    Internationalizationx internationalization";
        assert_eq!(stems.count_words(text, 1.0), 5);
        let counts = stems.take_counts();
        let words: Vec<&str> = counts.iter().map(|c| stems.word(c.2)).collect();
        let terms: Vec<&str> = counts.iter().map(|c| stems.term(c.0)).collect();
        assert_eq!(terms, ["internation", "internationalizationx"]);
        assert_eq!(words, ["internationalization", "internationalizationx"]);
        assert_eq!(counts.iter().map(|c| c.1).collect::<Vec<_>>(), [3.0, 2.0]);
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
    fn a_word_longer_than_a_term_may_be_counts_in_the_length_only() {
        let mut stems = Stems::default();
        let longest = "a".repeat(MAX_TERM_BYTES);
        let longer = "b".repeat(MAX_TERM_BYTES + 1);
        let text = format!("{longest} {longer} {} token", longer.to_uppercase());
        assert_eq!(stems.count_words(&text, 1.0), 4);
        let counts = stems.take_counts();
        let terms: Vec<&str> = counts.iter().map(|c| stems.term(c.0)).collect();
        assert_eq!(terms, [longest.as_str(), "token"]);
        assert_eq!(stems.lookup(&longer), None);
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

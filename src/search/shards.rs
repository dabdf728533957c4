//! Render stage, search: the index files, written below `search-index/`.
//!
//! - `index.json`, the manifest: format version, page count, and the first term of every
//!   shard, so the browser knows which shard holds a word (or every word with a prefix).
//! - `t/<n>.json`, the shards: terms in alphabetical order, each `[term, word, ids, scores]`
//!   — `word` the shortest word it came from when that is not the term itself (for "did you
//!   mean"), `ids` the pages holding it (the first id, then the gaps: small numbers that
//!   compress well), `scores` each page's BM25 term-frequency part (length-normalised, weighted
//!   by where the words are), quantised to 1–255. A shard is cut at about `SHARD_BYTES`, so a
//!   common word may fill one alone; a query loads one shard per word.
//! - `p/<name>.json`, the fragments: for each page of a folder (fragments.rs), its URL, title,
//!   element and sections `[anchor, heading, text, code]`, fetched only for the pages a query
//!   ranks highest. The manifest lists the files as `[name, pages]` in index order: page `id`
//!   is in the file where the running count of pages passes `id`.
//! - `r/<n>.json`, the spelling shards, for "did you mean": the terms again, each
//!   `[term, word, pages]`, but in the order of the *reversed* term (`koohbew` for `webhook`),
//!   so a word mistyped in its first letters (`xebhook`) still sorts next to the right one. A
//!   typo near the end of a word keeps its start, and the term shards around it hold the right
//!   word; a typo near the start keeps its end, and the spelling shards around it do. Fetched
//!   only for a word found nowhere; the manifest lists the first reversed term of each.
//!
//! The inverse document frequency is computed in the browser from the length of `ids`.

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU8, AtomicU32, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use super::lanes;
use super::terms::FxHasher;
use super::{PageRecord, PageSections, SectionText, Vocabulary};

/// The folder of the index in the output.
pub const DIR: &str = "search-index";
/// The manifest's path in the output.
pub const MANIFEST: &str = "search-index/index.json";
/// Bumped when the format changes, so a theme can tell.
const VERSION: u32 = 4;
/// Roughly how large a shard may grow (uncompressed JSON) before the next term starts a new one.
const SHARD_BYTES: usize = 48_000;
/// The same for spelling shards, smaller: a word found nowhere fetches three of them.
const SPELLING_BYTES: usize = 16_000;
/// Code in a fragment is cut at this many characters: it is indexed in full, but the browser
/// only needs enough of it to rank sections and show an excerpt.
const FRAGMENT_CODE_CHARS: usize = 2_000;
/// BM25 parameters (the usual ones).
const K1: f32 = 1.2;
const B: f32 = 0.75;

#[derive(Serialize)]
struct Manifest<'a> {
    v: u32,
    /// Pages in the index.
    pages: usize,
    /// A hash of the shards, added to their URLs so a browser never mixes two builds.
    build: String,
    /// The first term of each shard.
    shards: Vec<&'a str>,
    /// The first reversed term of each spelling shard.
    spelling: Vec<String>,
    /// Each fragment file's name and page count, in index order.
    p: &'a [(&'a str, usize)],
}

/// What pass 1 of `shard_files` finds in a run of pages: by term number, how many of them use
/// it and the shortest word it came from (`u32::MAX` for none); the term and the score of each
/// page's terms, one page after another (two arrays: a pair would be padded to eight bytes),
/// and where each page's terms end.
struct Counted {
    counts: Vec<u32>,
    shortest: Vec<u32>,
    terms: Vec<u32>,
    scores: Vec<u8>,
    ends: Vec<usize>,
}

/// One term's postings: the shortest word it came from, the pages holding it (in order) and
/// each one's score.
struct Postings<'a> {
    word: &'a str,
    ids: &'a [u32],
    scores: &'a [u8],
}

/// The manifest and the term shards of `records` (the pages to search, numbered in order; their
/// terms and words numbered in `vocabulary`) whose fragment files are `chunks` (name, pages; in
/// the same order) with the hash `fragments` (`files_hash` of their texts, in order), as
/// (output path, text): the manifest first, then the shards in order. The manifest's `build`
/// hash covers the fragment files and the shards, so a browser fetches any that changed again.
pub fn shard_files(
    records: &[&PageRecord],
    vocabulary: &Vocabulary,
    chunks: &[(&str, usize)],
    fragments: u64,
) -> Vec<(String, String)> {
    debug_assert_eq!(chunks.iter().map(|c| c.1).sum::<usize>(), records.len());
    let average = if records.is_empty() {
        1.0
    } else {
        (records.iter().map(|r| r.length as f64).sum::<f64>() / records.len() as f64).max(1.0)
            as f32
    };
    // Pass 1, in parallel over runs of pages: each term's page count and shortest word, each
    // (page, term) pair its term and score, in page order. Flat arrays sized once: the site
    // has millions of such pairs, and a growing list per term cost more than the rest of the
    // shards.
    // The shortest word a term came from, then the first in byte order (`u32::MAX`: none yet).
    let keep_shorter = |known: &mut u32, word: u32| {
        let shorter = || {
            let (word, than) = (vocabulary.word(word), vocabulary.word(*known));
            (word.len(), word) < (than.len(), than)
        };
        if *known == u32::MAX || (*known != word && shorter()) {
            *known = word;
        }
    };
    let run = records.len().div_ceil(rayon::current_num_threads()).max(1);
    let counted: Vec<Counted> = records
        .par_chunks(run)
        .map(|records| {
            let pairs = records.iter().map(|r| r.terms.len()).sum();
            let mut counted = Counted {
                counts: vec![0; vocabulary.terms()],
                shortest: vec![u32::MAX; vocabulary.terms()],
                terms: Vec::with_capacity(pairs),
                scores: Vec::with_capacity(pairs),
                ends: Vec::with_capacity(records.len()),
            };
            for record in records {
                let norm = K1 * (1.0 - B + B * record.length as f32 / average);
                for &(term, weight, word) in &record.terms {
                    let score = weight * (K1 + 1.0) / (weight + norm);
                    let quantised = round(score / (K1 + 1.0) * 255.0).clamp(1, 255) as u8;
                    keep_shorter(&mut counted.shortest[term as usize], word);
                    counted.counts[term as usize] += 1;
                    counted.terms.push(term);
                    counted.scores.push(quantised);
                }
                counted.ends.push(counted.terms.len());
            }
            counted
        })
        .collect();
    let mut counts: Vec<u32> = vec![0; vocabulary.terms()];
    let mut shortest: Vec<u32> = vec![u32::MAX; vocabulary.terms()];
    for part in &counted {
        for (n, (&count, &word)) in part.counts.iter().zip(&part.shortest).enumerate() {
            counts[n] += count;
            if word != u32::MAX {
                keep_shorter(&mut shortest[n], word);
            }
        }
    }
    // Pass 2: the terms used in alphabetical order, each one's pages in one stretch of `ids`,
    // filled in parallel: each run of pages fills its own slots of each stretch, after the
    // slots of the runs before it, so every stretch is in page order as one pass leaves it.
    // No two runs write one slot; the stores are atomic only so that safe code can share the
    // arrays (a relaxed store is a plain one).
    let mut order: Vec<u32> = (0..vocabulary.terms() as u32)
        .filter(|&n| counts[n as usize] > 0)
        .collect();
    order.par_sort_unstable_by(|a, b| vocabulary.term(*a).cmp(vocabulary.term(*b)));
    let mut starts: Vec<usize> = vec![0; vocabulary.terms()];
    let mut at = 0;
    for &n in &order {
        starts[n as usize] = at;
        at += counts[n as usize] as usize;
    }
    let pairs = at;
    let mut firsts = Vec::with_capacity(counted.len());
    let (mut next, mut first_page) = (starts.clone(), 0u32);
    for part in &counted {
        firsts.push((next.clone(), first_page));
        for (slot, &count) in next.iter_mut().zip(&part.counts) {
            *slot += count as usize;
        }
        first_page += part.ends.len() as u32;
    }
    let ids: Vec<AtomicU32> = (0..pairs).map(|_| AtomicU32::new(0)).collect();
    let scores: Vec<AtomicU8> = (0..pairs).map(|_| AtomicU8::new(0)).collect();
    counted
        .par_iter()
        .zip(firsts)
        .for_each(|(part, (mut next, first_page))| {
            let mut start = 0;
            for (page, &end) in part.ends.iter().enumerate() {
                let terms = part.terms[start..end].iter();
                for (&n, &score) in terms.zip(&part.scores[start..end]) {
                    let slot = &mut next[n as usize];
                    ids[*slot].store(first_page + page as u32, Ordering::Relaxed);
                    scores[*slot].store(score, Ordering::Relaxed);
                    *slot += 1;
                }
                start = end;
            }
        });
    let ids: Vec<u32> = ids.into_iter().map(AtomicU32::into_inner).collect();
    let scores: Vec<u8> = scores.into_iter().map(AtomicU8::into_inner).collect();
    drop(counted);
    let sorted: Vec<(&str, Postings)> = order
        .iter()
        .map(|&n| {
            let range = starts[n as usize]..starts[n as usize] + counts[n as usize] as usize;
            let postings = Postings {
                word: vocabulary.word(shortest[n as usize]),
                ids: &ids[range.clone()],
                scores: &scores[range],
            };
            (vocabulary.term(n), postings)
        })
        .collect();
    // The term shards and the spelling shards are independent: made side by side.
    let (shards, spelling) = rayon::join(
        || {
            // The entries in parallel (they hold millions of numbers), then joined in order.
            let entries: Vec<Vec<u8>> = sorted
                .par_iter()
                .map(|(term, postings)| {
                    let mut entry = Vec::new();
                    term_json(term, postings, &mut entry);
                    entry
                })
                .collect();
            let mut shards = Cutter::new(SHARD_BYTES, "{\"t\":[");
            for ((term, _), entry) in sorted.iter().zip(&entries) {
                shards.push(term, entry_text(entry));
            }
            shards.finish()
        },
        || {
            let mut spelling: Vec<(String, &str, &Postings)> = sorted
                .iter()
                .filter(|(term, _)| suggestable(term))
                .map(|(term, postings)| (term.chars().rev().collect(), *term, postings))
                .collect();
            spelling.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let mut shards = Cutter::new(SPELLING_BYTES, "{\"r\":[");
            let mut entry = Vec::new();
            for (reversed, term, postings) in &spelling {
                spelling_json(term, postings, &mut entry);
                shards.push(reversed, entry_text(&entry));
            }
            shards.finish()
        },
    );
    let mut hasher = FxHasher::default();
    fragments.hash(&mut hasher);
    shards.hash(&mut hasher);
    spelling.hash(&mut hasher);
    let manifest = Manifest {
        v: VERSION,
        pages: records.len(),
        build: format!("{:016x}", hasher.finish()),
        shards: shards.iter().map(|(first, _)| first.as_str()).collect(),
        spelling: spelling.iter().map(|(first, _)| first.clone()).collect(),
        p: chunks,
    };
    let mut out = Vec::with_capacity(1 + shards.len() + spelling.len());
    out.push((
        MANIFEST.to_string(),
        serde_json::to_string(&manifest).expect("plain data serializes"),
    ));
    for (n, (_, json)) in shards.into_iter().enumerate() {
        out.push((format!("{DIR}/t/{n}.json"), json));
    }
    for (n, (_, json)) in spelling.into_iter().enumerate() {
        out.push((format!("{DIR}/r/{n}.json"), json));
    }
    out
}

/// A hash of the text of each index file of `texts` (fragment files, in index order), for the
/// manifest's `build` hash: `file_hash` of each, combined.
pub fn files_hash(hashes: impl IntoIterator<Item = u64>) -> u64 {
    let mut hasher = FxHasher::default();
    for hash in hashes {
        hasher.write_u64(hash);
    }
    hasher.finish()
}

/// A hash of one index file's text (FxHash: the files are the site's own, and the hash only
/// tells builds apart).
pub fn file_hash(text: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(text);
    hasher.write_usize(text.len());
    hasher.finish()
}

/// Joins sorted JSON entries into shards of about `limit` bytes: (first key, the shard's JSON,
/// `open` + the entries separated by commas + `]}`), each made in place.
struct Cutter {
    limit: usize,
    open: &'static str,
    shards: Vec<(String, String)>,
    current: String,
    first: String,
}

impl Cutter {
    fn new(limit: usize, open: &'static str) -> Self {
        Cutter {
            limit,
            open,
            shards: Vec::new(),
            current: String::new(),
            first: String::new(),
        }
    }

    fn push(&mut self, key: &str, entry: &str) {
        let empty = self.current.len() <= self.open.len();
        if !empty && self.current.len() + entry.len() > self.limit + self.open.len() {
            self.close();
        }
        if self.current.is_empty() {
            self.current.reserve(self.limit + self.open.len() + 64);
            self.current.push_str(self.open);
            self.first = key.to_string();
        } else {
            self.current.push(',');
        }
        self.current.push_str(entry);
    }

    fn close(&mut self) {
        let mut full = std::mem::take(&mut self.current);
        full.push_str("]}");
        self.shards.push((std::mem::take(&mut self.first), full));
    }

    fn finish(mut self) -> Vec<(String, String)> {
        if !self.current.is_empty() {
            self.close();
        }
        self.shards
    }
}

/// `x.round()` for `x` from 0 to 255, without the call to libm's `roundf` it is on x86-64 (one
/// per (page, term) pair): the integer part by truncation, the fraction exact (`x` minus its
/// integer part loses nothing).
fn round(x: f32) -> u32 {
    let whole = x as u32;
    whole + (x - whole as f32 >= 0.5) as u32
}

/// Whether "did you mean" may offer `term`: a word of three letters or more (one letter off a
/// shorter word is another word, not a typo), not a number.
fn suggestable(term: &str) -> bool {
    term.chars().nth(2).is_some() && term.chars().any(char::is_alphabetic)
}

/// The start every entry shares, `[term, word` (`word` empty when it is the term). Entries
/// are bytes (ASCII but for a term's letters), made without UTF-8 bookkeeping per digit.
fn push_term_and_word(term: &str, postings: &Postings, json: &mut Vec<u8>) {
    json.push(b'[');
    push_string(json, term);
    json.push(b',');
    push_string(
        json,
        if postings.word == term {
            ""
        } else {
            postings.word
        },
    );
}

/// A spelling entry, `[term, word, pages]` (`word` empty when it is the term), into `json`.
fn spelling_json(term: &str, postings: &Postings, json: &mut Vec<u8>) {
    json.clear();
    push_term_and_word(term, postings, json);
    json.push(b',');
    push_number(json, postings.ids.len() as u32);
    json.push(b']');
}

/// A term's entry, `[term, word, ids, scores]`, into `json` (reused: a shard entry per term).
fn term_json(term: &str, postings: &Postings, json: &mut Vec<u8>) {
    json.clear();
    json.reserve(16 + postings.ids.len() * 7);
    push_term_and_word(term, postings, json);
    json.extend_from_slice(b",[");
    let mut last = 0;
    for (n, id) in postings.ids.iter().enumerate() {
        if n > 0 {
            json.push(b',');
        }
        push_number(json, id - last);
        last = *id;
    }
    json.extend_from_slice(b"],[");
    for (n, score) in postings.scores.iter().enumerate() {
        if n > 0 {
            json.push(b',');
        }
        push_number(json, *score as u32);
    }
    json.extend_from_slice(b"]]");
}

/// The text of an entry made by `term_json` or `spelling_json`.
fn entry_text(json: &[u8]) -> &str {
    std::str::from_utf8(json).expect("JSON of strings is UTF-8")
}

/// Appends `text` as a JSON string.
fn push_string(json: &mut Vec<u8>, text: &str) {
    // Terms are letters and digits: nothing to escape, except in theory; serde_json knows how.
    if text.bytes().all(|b| b.is_ascii_alphanumeric()) {
        json.push(b'"');
        json.extend_from_slice(text.as_bytes());
        json.push(b'"');
    } else {
        json.extend_from_slice(
            serde_json::to_string(text)
                .expect("a string serializes")
                .as_bytes(),
        );
    }
}

/// Appends `n` in decimal. The shards hold millions of numbers, and `write!` cost more than
/// everything else the shards need. A number below 1,000 (most are) is appended as three
/// digits, a small store where a slice of its digits would call `memcpy`, and the digits it
/// lacks cut off after.
#[inline(always)]
fn push_number(json: &mut Vec<u8>, n: u32) {
    // Most are page gaps and scores (1–255): read from a table.
    let Some(&[a, b, c, len]) = DIGITS.get(n as usize) else {
        return push_large_number(json, n);
    };
    json.extend_from_slice(&[a, b, c]);
    json.truncate(json.len() - (3 - len as usize));
}

#[cold]
fn push_large_number(json: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    while n > 0 {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    json.extend_from_slice(&digits[at..]);
}

/// The decimal digits of each number below 1,000, and (last) how many there are.
const DIGITS: [[u8; 4]; 1000] = {
    let mut table = [[0u8; 4]; 1000];
    let mut n = 0;
    while n < 1000 {
        let digits = [(n / 100) as u8, (n / 10 % 10) as u8, (n % 10) as u8];
        let len = if n >= 100 {
            3
        } else if n >= 10 {
            2
        } else {
            1
        };
        let mut at = 0;
        while at < len {
            table[n][at] = b'0' + digits[3 - len + at];
            at += 1;
        }
        table[n][3] = len as u8;
        n += 1;
    }
    table
};

/// The fragment of the page at `url`: what the browser needs to rank its sections and show
/// them, `{"u":url,"t":title,"e":element,"s":[[anchor,heading,text,code],…]}` (no `e` without
/// an element). Written by hand, as serde_json would write it, sized at once: it copies the
/// whole text of the site.
pub(crate) fn fragment_json(
    url: &str,
    title: &str,
    element: Option<&str>,
    sections: &PageSections,
) -> String {
    let code = |s: &SectionText| -> usize {
        // Cut at FRAGMENT_CODE_CHARS characters; a shorter text in bytes has fewer.
        if s.code.len() <= FRAGMENT_CODE_CHARS {
            return s.code.len();
        }
        s.code
            .char_indices()
            .nth(FRAGMENT_CODE_CHARS)
            .map_or(s.code.len(), |(at, _)| at)
    };
    let size: usize = sections
        .iter()
        .map(|s| s.id.len() + s.heading.len() + s.text.len() + code(&s) + 16)
        .sum::<usize>()
        + url.len()
        + title.len()
        + element.map_or(0, str::len)
        + 32;
    let mut json = String::with_capacity(size + size / 16);
    json.push_str("{\"u\":");
    push_json_string(&mut json, url);
    json.push_str(",\"t\":");
    push_json_string(&mut json, title);
    if let Some(element) = element {
        json.push_str(",\"e\":");
        push_json_string(&mut json, element);
    }
    json.push_str(",\"s\":[");
    for (n, section) in sections.iter().enumerate() {
        if n > 0 {
            json.push(',');
        }
        json.push('[');
        push_json_string(&mut json, section.id);
        json.push(',');
        push_json_string(&mut json, section.heading);
        json.push(',');
        push_json_string(&mut json, section.text);
        json.push(',');
        push_json_string(&mut json, &section.code[..code(&section)]);
        json.push(']');
    }
    json.push_str("]}");
    json
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it: `"`, `\\` and control
/// characters (`\n`, `\t`, … or `\u00XX`); everything else as it is. Sixteen bytes are
/// tested at a time (`lanes`): fragments hold the whole text of the site.
fn push_json_string(json: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    json.push('"');
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        at = lanes::find(bytes, at, |chunk| {
            lanes::within(chunk, 0, 0x1f) | lanes::equal(chunk, b'"') | lanes::equal(chunk, b'\\')
        });
        if at == bytes.len() {
            break;
        }
        let byte = bytes[at];
        at += 1;
        if byte >= 0x20 && byte != b'"' && byte != b'\\' {
            continue;
        }
        json.push_str(&text[start..at - 1]);
        start = at;
        match byte {
            b'"' => json.push_str("\\\""),
            b'\\' => json.push_str("\\\\"),
            b'\n' => json.push_str("\\n"),
            b'\r' => json.push_str("\\r"),
            b'\t' => json.push_str("\\t"),
            0x08 => json.push_str("\\b"),
            0x0c => json.push_str("\\f"),
            _ => {
                json.push_str("\\u00");
                json.push(HEX[(byte >> 4) as usize] as char);
                json.push(HEX[(byte & 0xf) as usize] as char);
            }
        }
    }
    json.push_str(&text[start..]);
    json.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Section;

    fn record(vocabulary: &mut Vocabulary, terms: &[(&str, f32, &str)], length: u32) -> PageRecord {
        PageRecord {
            terms: terms
                .iter()
                .map(|&(term, weight, word)| {
                    let (term, word) = vocabulary.numbered(term, word);
                    (term, weight, word)
                })
                .collect(),
            length,
        }
    }

    #[test]
    fn the_manifest_names_the_first_term_of_each_shard() {
        let mut vocabulary = Vocabulary::default();
        let records = [
            record(
                &mut vocabulary,
                &[("refresh", 1.0, "refreshing"), ("token", 8.0, "tokens")],
                10,
            ),
            record(&mut vocabulary, &[("refresh", 4.0, "refresh")], 10),
        ];
        let files = shard_files(
            &records.iter().collect::<Vec<_>>(),
            &vocabulary,
            &[("a", 1), ("b", 1)],
            0,
        );
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "search-index/index.json",
                "search-index/t/0.json",
                "search-index/r/0.json"
            ]
        );
        assert!(files[0].1.starts_with(r#"{"v":4,"pages":2,"build":""#));
        assert!(
            files[0].1.ends_with(
                r#"","shards":["refresh"],"spelling":["hserfer"],"p":[["a",1],["b",1]]}"#
            ),
            "{}",
            files[0].1
        );
        // refresh: pages 0 and 1, the heavier weight scoring higher; the shortest word, on
        // the second page, is the term itself, so none is given; token came only from tokens.
        assert_eq!(
            files[1].1,
            r#"{"t":[["refresh","",[0,1],[116,196]],["token","tokens",[0],[222]]]}"#
        );
    }

    #[test]
    fn spelling_shards_sort_terms_by_their_end_and_leave_out_short_words_and_numbers() {
        let mut vocabulary = Vocabulary::default();
        let records = [record(
            &mut vocabulary,
            &[
                ("429", 1.0, "429"),
                ("api", 1.0, "api"),
                ("id", 1.0, "id"),
                ("oauth2", 1.0, "oauth2"),
                ("token", 1.0, "tokens"),
                ("webhook", 1.0, "webhooks"),
                ("zürich", 1.0, "zürich"),
            ],
            10,
        )];
        let files = shard_files(
            &records.iter().collect::<Vec<_>>(),
            &vocabulary,
            &[("_", 1)],
            0,
        );
        assert_eq!(files[2].0, "search-index/r/0.json");
        // Reversed: 2htuao, hcirüz, ipa, koohbew, nekot.
        assert_eq!(
            files[2].1,
            r#"{"r":[["oauth2","",1],["zürich","",1],["api","",1],["webhook","webhooks",1],["token","tokens",1]]}"#
        );
        assert!(
            files[0]
                .1
                .ends_with(r#""spelling":["2htuao"],"p":[["_",1]]}"#),
            "{}",
            files[0].1
        );
    }

    #[test]
    fn shards_are_cut_by_size_in_term_order() {
        let terms: Vec<String> = (0..3000).map(|n| format!("term{n:04}")).collect();
        let mut vocabulary = Vocabulary::default();
        let records: Vec<PageRecord> = (0..20)
            .map(|_| {
                let list: Vec<(&str, f32, &str)> = terms
                    .iter()
                    .map(|t| (t.as_str(), 1.0, t.as_str()))
                    .collect();
                record(&mut vocabulary, &list, 3000)
            })
            .collect();
        let files = shard_files(
            &records.iter().collect::<Vec<_>>(),
            &vocabulary,
            &[("_", 20)],
            0,
        );
        let manifest: serde_json::Value = serde_json::from_str(&files[0].1).unwrap();
        let firsts: Vec<&str> = manifest["shards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(firsts.len() > 1, "{firsts:?}");
        assert!(firsts.windows(2).all(|w| w[0] < w[1]));
        let term_shards = &files[1..=firsts.len()];
        for (name, text) in term_shards {
            assert!(name.contains("/t/"), "{name}");
            assert!(text.len() <= SHARD_BYTES + 200, "{name}: {}", text.len());
        }
        let spelling: Vec<&str> = manifest["spelling"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(spelling.len() > 1, "{spelling:?}");
        assert!(spelling.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(files.len(), firsts.len() + spelling.len() + 1);
        for (name, text) in &files[firsts.len() + 1..] {
            assert!(name.contains("/r/"), "{name}");
            assert!(text.len() <= SPELLING_BYTES + 200, "{name}: {}", text.len());
        }
    }

    #[test]
    fn a_fragment_is_the_json_serde_would_write() {
        #[derive(Serialize)]
        struct Fragment<'a> {
            u: &'a str,
            t: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            e: Option<&'a str>,
            s: Vec<(&'a str, &'a str, &'a str, &'a str)>,
        }
        let nasty = "quote \" back \\ nl \n cr \r tab \t bs \u{8} ff \u{c} nul \0 us \u{1f} del \u{7f} é 日 \u{2028} </script>";
        let sections = [
            Section {
                id: "a-1".into(),
                heading: nasty.into(),
                text: "plain".into(),
                code: nasty.repeat(2),
            },
            Section::default(),
        ];
        for element in [Some("El \"x\""), None] {
            let want = serde_json::to_string(&Fragment {
                u: "/d/a%20b.html",
                t: nasty,
                e: element,
                s: sections
                    .iter()
                    .map(|s| (&*s.id, &*s.heading, &*s.text, &*s.code))
                    .collect(),
            })
            .unwrap();
            assert_eq!(
                fragment_json("/d/a%20b.html", nasty, element, &sections.iter().collect()),
                want
            );
        }
    }

    #[test]
    fn every_byte_in_every_lane_is_escaped_as_serde_escapes_it() {
        // Sixteen bytes at once, the last few in the text's last sixteen or padded: each ASCII
        // byte, and a character of two and of three bytes, at every place of three chunks.
        let mut odd: Vec<String> = (0u8..0x80).map(|b| (b as char).to_string()).collect();
        odd.extend(["é".to_string(), "\u{2028}".to_string()]);
        let odd: Vec<&str> = odd.iter().map(String::as_str).collect();
        for text in lanes::texts_with_pieces(&odd, 40) {
            let mut json = String::new();
            push_json_string(&mut json, &text);
            assert_eq!(json, serde_json::to_string(&text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn scores_are_rounded_as_round_rounds_them() {
        // Every half from 0 to 255.5 and the 32 floats either side of it, and a sweep between.
        for half in 0..=511 {
            let (mut up, mut down) = (half as f32 / 2.0, half as f32 / 2.0);
            for _ in 0..32 {
                for x in [up, down] {
                    if (0.0..=256.0).contains(&x) {
                        assert_eq!(round(x), x.round() as u32, "{x}");
                    }
                }
                (up, down) = (up.next_up(), down.next_down());
            }
        }
        for n in 0..25_600 {
            let x = n as f32 / 100.0;
            assert_eq!(round(x), x.round() as u32, "{x}");
        }
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut json = Vec::new();
        for n in [
            0,
            7,
            10,
            99,
            100,
            255,
            1000,
            1_002_003,
            65_536,
            10_000_001,
            u32::MAX,
        ] {
            push_number(&mut json, n);
            json.push(b',');
        }
        assert_eq!(
            entry_text(&json),
            "0,7,10,99,100,255,1000,1002003,65536,10000001,4294967295,"
        );
        for n in 0..2_000 {
            json.clear();
            push_number(&mut json, n);
            assert_eq!(entry_text(&json), n.to_string());
        }
    }

    #[test]
    fn a_fragment_keeps_code_short() {
        let section = Section {
            id: "a".into(),
            heading: "A".into(),
            text: "x".into(),
            code: "y".repeat(FRAGMENT_CODE_CHARS + 50),
        };
        let json = fragment_json("/a.html", "T", Some("E"), &[section].iter().collect());
        assert_eq!(
            json.len(),
            r#"{"u":"/a.html","t":"T","e":"E","s":[["a","A","x",""]]}"#.len() + FRAGMENT_CODE_CHARS
        );
        // Cut by characters, not bytes.
        let wide = Section {
            code: "é".repeat(FRAGMENT_CODE_CHARS + 1),
            ..Section::default()
        };
        let json = fragment_json("/a.html", "T", None, &[wide].iter().collect());
        assert_eq!(json.matches('é').count(), FRAGMENT_CODE_CHARS);
    }
}

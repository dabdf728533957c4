//! Render stage, search: the site's terms and words, each numbered once. A page's record is
//! made with the numbers of the worker that counted it (`Stems`); adopting it gives it the
//! site's numbers, so the shards add up integers instead of hashing every (page, term) pair's
//! text again — millions of them at 10,000 pages, against the few tens of thousands of terms
//! the workers learned. Numbers only grow (`serve` adds the terms of edited pages), so a record
//! adopted earlier keeps its meaning and two records of one page compare equal when the page's
//! terms did not change.

use super::PageRecord;
use super::terms::{FastMap, Stems};

/// The site's terms and the words they came from, each by number (records hold the numbers).
#[derive(Debug, Default)]
pub struct Vocabulary {
    terms: Numbered,
    words: Numbered,
}

/// Texts by number, and numbers by text.
#[derive(Debug, Default)]
struct Numbered {
    texts: Vec<Box<str>>,
    numbers: FastMap<Box<str>, u32>,
}

impl Numbered {
    fn number(&mut self, text: &str) -> u32 {
        if let Some(&n) = self.numbers.get(text) {
            return n;
        }
        let n = self.texts.len() as u32;
        self.texts.push(text.into());
        self.numbers.insert(text.into(), n);
        n
    }
}

/// A worker's numbers (`Stems`) as the vocabulary's.
pub struct Renumbering {
    terms: Vec<u32>,
    words: Vec<u32>,
}

impl Renumbering {
    /// Gives `record`, made by `index_page` with the worker's `Stems`, the vocabulary's numbers.
    pub fn adopt(&self, record: &mut PageRecord) {
        for (term, _, word) in &mut record.terms {
            *term = self.terms[*term as usize];
            *word = self.words[*word as usize];
        }
    }
}

impl Vocabulary {
    /// Gives `records`, made by `index_page` with `stems`, the vocabulary's numbers.
    pub fn adopt<'r>(
        &mut self,
        stems: &Stems,
        records: impl IntoIterator<Item = &'r mut PageRecord>,
    ) {
        let renumbering = self.renumbering(stems);
        for record in records {
            renumbering.adopt(record);
        }
    }

    /// The vocabulary's numbers of every term and word `stems` knows, numbered when new: the
    /// text of each is looked up once, and records then adopted in parallel.
    pub fn renumbering(&mut self, stems: &Stems) -> Renumbering {
        Renumbering {
            terms: (0..stems.term_count() as u32)
                .map(|n| self.terms.number(stems.term(n)))
                .collect(),
            words: (0..stems.word_count() as u32)
                .map(|n| self.words.number(stems.word(n)))
                .collect(),
        }
    }

    /// The text of term number `n`.
    pub fn term(&self, n: u32) -> &str {
        &self.terms.texts[n as usize]
    }

    /// The text of word number `n`.
    pub fn word(&self, n: u32) -> &str {
        &self.words.texts[n as usize]
    }

    /// The numbers of `term` and `word`, numbered when new (for tests that make records by
    /// hand).
    #[cfg(test)]
    pub(super) fn numbered(&mut self, term: &str, word: &str) -> (u32, u32) {
        (self.terms.number(term), self.words.number(word))
    }

    /// How many terms there are: every term number is below it.
    pub fn terms(&self) -> usize {
        self.terms.texts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(stems: &mut Stems, text: &str) -> PageRecord {
        let length = stems.count_words(text, 1.0);
        PageRecord {
            terms: stems.take_counts(),
            length,
        }
    }

    #[test]
    fn records_of_two_workers_share_the_sites_numbers() {
        let (mut first, mut second) = (Stems::default(), Stems::default());
        // The second worker learns the words in another order: other local numbers.
        let mut a = counted(&mut first, "refreshing tokens expire");
        let mut b = counted(&mut second, "webhooks expire tokens refreshed");
        assert_ne!(a.terms[0].0, b.terms[3].0);
        let mut vocabulary = Vocabulary::default();
        vocabulary.adopt(&first, [&mut a]);
        vocabulary.adopt(&second, [&mut b]);
        let named = |record: &PageRecord| -> Vec<(String, String)> {
            let mut terms: Vec<(String, String)> = record
                .terms
                .iter()
                .map(|&(t, _, w)| (vocabulary.term(t).into(), vocabulary.word(w).into()))
                .collect();
            terms.sort();
            terms
        };
        let pair = |t: &str, w: &str| (t.to_string(), w.to_string());
        assert_eq!(
            named(&a),
            [
                pair("expir", "expire"),
                pair("refresh", "refreshing"),
                pair("token", "tokens")
            ]
        );
        assert_eq!(
            named(&b),
            [
                pair("expir", "expire"),
                pair("refresh", "refreshed"),
                pair("token", "tokens"),
                pair("webhook", "webhooks")
            ]
        );
        // The same term has one number, whichever worker counted it.
        let number = |record: &PageRecord, term: &str| {
            record
                .terms
                .iter()
                .find(|t| vocabulary.term(t.0) == term)
                .unwrap()
                .0
        };
        assert_eq!(number(&a, "token"), number(&b, "token"));
        assert_eq!(vocabulary.terms(), 4);
    }

    #[test]
    fn a_page_counted_again_gives_an_equal_record() {
        // What `serve` relies on to tell whether an edit changed a page's terms.
        let mut vocabulary = Vocabulary::default();
        let mut build = Stems::default();
        counted(&mut build, "unrelated words first");
        let mut kept = counted(&mut build, "Retry-After tells when to retry");
        vocabulary.adopt(&build, [&mut kept]);
        let mut edit = Stems::default();
        let mut again = counted(&mut edit, "Retry-After tells when to retry");
        vocabulary.adopt(&edit, [&mut again]);
        assert_eq!(again, kept);
        let mut changed = counted(&mut edit, "Retry-After tells when to wait");
        vocabulary.adopt(&edit, [&mut changed]);
        assert_ne!(changed, kept);
    }
}

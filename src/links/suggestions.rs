//! The "did you mean" of broken links, memoized: each distinct question (a path, a title, an
//! anchor) is answered once, from candidate sets prepared once, until the index changes. A page
//! may hold 10,000 copies of one broken link or 100,000 different ones: the first cost one
//! lookup each, the second a bounded search each (see `crate::suggest`), never a pass over the
//! whole site per link.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::suggest::Candidates;

/// A question the index answers with a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Question {
    /// The site path nearest to `wanted` (absolute, as resolved), as close as `written` (the
    /// link's path as typed) allows.
    Path {
        wanted: String,
        written: String,
        content_path: bool,
    },
    /// The title nearest to `name`, in `element` first.
    Title {
        element: Option<String>,
        name: String,
    },
    /// The anchor of the page `source` nearest to `fragment`.
    Anchor { source: String, fragment: String },
}

/// A set of candidates, prepared once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Set {
    /// The pages and files in the URL folder `dir`, written in `form`.
    Nearby { dir: String, form: Form },
    /// Every page, and every file unless `form.content_path`, written in `form`.
    Everywhere { form: Form },
    /// The titles of the pages of `element`, or of all pages for `None`.
    Titles { element: Option<String> },
    /// The anchors of the page `source`.
    Anchors { source: String },
}

/// How a suggested path is written, which follows how the broken one was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Form {
    /// As a source path (`/a/b.md`) rather than a URL.
    pub source: bool,
    /// An index page as `/a/index.html` rather than `/a/`.
    pub index_html: bool,
    /// An `@/` content path: only pages, no files.
    pub content_path: bool,
}

impl Form {
    pub fn of(wanted: &str, content_path: bool) -> Self {
        Form {
            source: content_path || wanted.ends_with(".md"),
            index_html: wanted.ends_with("index.html"),
            content_path,
        }
    }
}

/// The memo; emptied whenever the index changes (a fresh value replaces it).
#[derive(Default)]
pub(super) struct Suggestions {
    answers: Mutex<HashMap<Question, Option<String>>>,
    sets: Mutex<HashMap<Set, Arc<Candidates>>>,
}

impl Suggestions {
    /// The answer to `question`, computed by `compute` the first time it is asked.
    pub fn answer(
        &self,
        question: Question,
        compute: impl FnOnce() -> Option<String>,
    ) -> Option<String> {
        if let Some(known) = lock(&self.answers).get(&question) {
            return known.clone();
        }
        // Computed without the lock: two threads asking at once both compute the same answer.
        let answer = compute();
        lock(&self.answers).insert(question, answer.clone());
        answer
    }

    /// The candidate set `set`, made by `names` the first time it is needed.
    pub fn set(&self, set: Set, names: impl FnOnce() -> Vec<String>) -> Arc<Candidates> {
        if let Some(known) = lock(&self.sets).get(&set) {
            return Arc::clone(known);
        }
        let made = Arc::new(Candidates::new(names()));
        Arc::clone(lock(&self.sets).entry(set).or_insert(made))
    }
}

/// A poisoned memo is still a valid memo: every entry is written whole under the lock.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A copy of the index starts with an empty memo.
impl Clone for Suggestions {
    fn clone(&self) -> Self {
        Suggestions::default()
    }
}

impl std::fmt::Debug for Suggestions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Suggestions")
            .field("answers", &lock(&self.answers).len())
            .field("sets", &lock(&self.sets).len())
            .finish()
    }
}

//! Parse stage, heading ids: the slug of a heading's text and its deduplication within a page
//! (`setup`, `setup-1`, …). The scan gives every heading its id here; the render pass writes
//! the ids the scan recorded.

use std::collections::{HashMap, HashSet};

/// A GitHub-style heading id: lowercase letters and digits, `-` for spaces, `_` and `-` kept,
/// other punctuation dropped.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' {
            slug.push('-');
        } else if c == '_' {
            slug.push('_');
        }
    }
    slug
}

/// The heading ids a page has given, and for each base the next suffix to try: 10,000 headings
/// with one title must not try `-1`, `-2`… from the start each time (each id is a hash lookup,
/// amortised).
#[derive(Debug, Default)]
pub(super) struct HeadingIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl HeadingIds {
    /// The id of a heading whose text is `text`: `explicit` (its `{#id}`) when written, else
    /// its slug, with `-1`, `-2`… when taken (`section` for a heading with no slug).
    pub fn assign(&mut self, explicit: Option<String>, text: &str) -> String {
        match explicit {
            Some(id) => {
                self.used.insert(id.clone());
                id
            }
            None => self.unique(&slugify(text)),
        }
    }

    /// `base`, or `base-1`, `base-2`… when taken.
    fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let mut n = self.next.get(base).copied().unwrap_or(0);
        let mut id = match n {
            0 => base.to_string(),
            n => format!("{base}-{n}"),
        };
        while self.used.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.next.insert(base.to_string(), n + 1);
        self.used.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        let cases = [
            (
                "Get Elements OAuth Information",
                "get-elements-oauth-information",
            ),
            ("Step 2: Create the App", "step-2-create-the-app"),
            ("What’s new in v2.0?", "whats-new-in-v20"),
            ("snake_case and kebab-case", "snake_case-and-kebab-case"),
            ("Ünïcödé Straße", "ünïcödé-straße"),
            ("`POST /instances`", "post-instances"),
            ("???", ""),
        ];
        for (text, slug) in cases {
            assert_eq!(slugify(text), slug, "{text}");
        }
    }

    #[test]
    fn ids_are_unique_within_a_page() {
        let mut ids = HeadingIds::default();
        let given: Vec<String> = [
            (None, "Setup"),
            (None, "Setup"),
            // An explicit id takes a slug the next heading would have had.
            (Some("setup-2"), "Custom"),
            (None, "Setup"),
            // `setup-1` exists: "Setup 1" becomes `setup-1-1`.
            (None, "Setup 1"),
            (None, "?"),
            (None, "!"),
        ]
        .into_iter()
        .map(|(explicit, text)| ids.assign(explicit.map(str::to_string), text))
        .collect();
        assert_eq!(
            given,
            [
                "setup",
                "setup-1",
                "setup-2",
                "setup-3",
                "setup-1-1",
                "section",
                "section-1"
            ]
        );
    }

    #[test]
    fn many_identical_headings_stay_linear() {
        let mut ids = HeadingIds::default();
        for n in 0..20_000 {
            let id = ids.assign(None, "Same");
            assert_eq!(
                id,
                if n == 0 {
                    "same".into()
                } else {
                    format!("same-{n}")
                }
            );
        }
        // Each id looked at once: the next suffix is remembered, not searched from 1.
        assert_eq!(ids.next["same"], 20_000);
    }
}

//! Reference definitions (`[sfdc]: https://…`) are the page's, wherever they are written, as in
//! kramdown. pulldown-cmark parses the content of each `markdown="1"` element on its own (see
//! `element`), so without help a definition outside an element is unknown inside it, and one
//! inside is unknown everywhere else. `References` gathers the definitions every parse of the
//! page has seen and answers each parse's broken-link callback from them (a page that may
//! define references inside elements is parsed once to learn them first, see
//! `markdown::walk`). It also records the full references (`[text][id]`) defined nowhere.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, LinkType, RefDefs};

/// The reference definitions of one page, and its references defined nowhere.
#[derive(Default)]
pub struct References {
    /// Normalized label → destination and title, the first definition of a label winning.
    defs: RefCell<HashMap<String, (String, String)>>,
    /// `[text][id]` with `id` defined nowhere: where in the body, and the label as written.
    undefined: RefCell<Vec<(Range<usize>, String)>>,
}

impl References {
    /// Takes note of the definitions one parse found.
    pub fn learn(&self, found: &RefDefs<'_>) {
        let mut defs = self.defs.borrow_mut();
        for (label, def) in found.iter() {
            defs.entry(normalize(label)).or_insert_with(|| {
                let title = def.title.as_deref().unwrap_or("").to_string();
                (def.dest.to_string(), title)
            });
        }
    }

    /// Forgets the references found undefined so far: the page is parsed again, knowing more.
    pub fn forget_undefined(&self) {
        self.undefined.borrow_mut().clear();
    }

    /// The answer to pulldown-cmark's broken-link callback for a parse of text starting at byte
    /// `base` of the body: the definition of the label, if any parse of the page saw one.
    pub fn resolve<'a>(
        &self,
        broken: BrokenLink<'a>,
        base: usize,
    ) -> Option<(CowStr<'a>, CowStr<'a>)> {
        if let Some((dest, title)) = self.defs.borrow().get(&normalize(&broken.reference)) {
            return Some((dest.clone().into(), title.clone().into()));
        }
        // `[text]` alone is often just text in brackets; `[text][id]` surely meant a link.
        if broken.link_type == LinkType::Reference {
            let span = broken.span.start + base..broken.span.end + base;
            self.undefined
                .borrow_mut()
                .push((span, broken.reference.to_string()));
        }
        None
    }

    /// The full references defined nowhere, in the order they were read.
    pub fn into_undefined(self) -> Vec<(Range<usize>, String)> {
        self.undefined.into_inner()
    }
}

/// A label as CommonMark matches it: case-insensitive, runs of whitespace as one space.
fn normalize(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for word in label.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_without_case_or_spacing() {
        assert_eq!(normalize("  Salesforce \n Docs "), "salesforce docs");
        assert_eq!(normalize("SFDC"), normalize("sfdc"));
    }
}

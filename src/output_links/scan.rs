//! Check stage for the rendered output, reading: an HTML file of the output becomes its ids and
//! internal URLs (`Scanned`), and the templates' literal ids become anchors of every page.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use super::SiteUrls;
use crate::links::{is_external, percent_decode};
use crate::raw_html::{self, UrlRole};
use crate::theme::TemplateFile;

/// What wrote an HTML file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// A page (its source below `content/`).
    Page(String),
    /// A page docgen makes itself: `404.html`, `index.html`.
    Generated(&'static str),
    /// A redirect page of the `redirect_from` of this page (its source).
    Redirect(String),
}

/// An internal URL found in an HTML file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutRef {
    /// As the browser reads the attribute (character references decoded). Shared: the same
    /// layout URL is in every page (`TagMemo`).
    pub url: Arc<str>,
    /// `a href`, `img srcset`.
    pub attr: &'static str,
    pub role: UrlRole,
    /// Whether it is inside the page's rendered Markdown (its links are checked at their line).
    pub in_content: bool,
}

/// One HTML file of the output, read: its site path, ids and internal URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub owner: Owner,
    /// Its site path without the base path: `/a/b.html`, `/a/`.
    pub site_path: String,
    /// Shared like the URLs: the layout's ids are in every page.
    pub ids: HashSet<Arc<str>>,
    pub refs: Vec<OutRef>,
}

/// The rendered Markdown inside a page's HTML: where it is, and what the page's outline knows
/// of it (its ids, and the URLs its links became), so that it need not be read again.
pub struct Content<'a> {
    pub range: Range<usize>,
    pub ids: Vec<&'a str>,
    /// (URL, `a href`-style label, role) of each link of the Markdown, with its resolved href.
    pub links: Vec<(&'a str, &'static str, UrlRole)>,
}

impl Scanned {
    /// Reads `html`, written at `site_path` by `owner`. With `content`, the page's rendered
    /// Markdown is not read again: its ids come from the outline, and of its links (checked at
    /// their lines already) only those with a `#fragment` are kept, since a fragment may name an
    /// id that only a layout writes.
    /// Tags read before are taken from `memo` (see `TagMemo`).
    pub fn new(
        owner: Owner,
        site_path: String,
        html: &str,
        content: Option<Content<'_>>,
        urls: &SiteUrls,
        memo: &mut TagMemo,
    ) -> Scanned {
        let mut found = TagFacts::default();
        match &content {
            Some(c) if c.range.end <= html.len() => {
                memo.read(&html[..c.range.start], &mut found);
                memo.read(&html[c.range.end..], &mut found);
            }
            _ => memo.read(html, &mut found),
        }
        let mut ids: HashSet<Arc<str>> = found.ids.into_iter().collect();
        let mut refs: Vec<OutRef> = found
            .refs
            .into_iter()
            .filter(|(url, ..)| !is_external(url) || urls.own_path(url).is_some())
            .map(|(url, attr, role)| OutRef {
                url,
                attr,
                role,
                in_content: false,
            })
            .collect();
        if let Some(c) = content {
            ids.extend(c.ids.into_iter().map(Arc::from));
            for (url, attr, role) in c.links {
                if url.contains('#') && (!is_external(url) || urls.own_path(url).is_some()) {
                    refs.push(OutRef {
                        url: url.into(),
                        attr,
                        role,
                        in_content: true,
                    });
                }
            }
        }
        // A fragment of the page itself is settled now (its ids change only when it is read
        // again); only broken ones are kept, to be reported.
        refs.retain(|r| {
            let Some(fragment) = r.url.strip_prefix('#') else {
                return true;
            };
            let fragment = percent_decode(fragment);
            !(fragment.is_empty()
                || fragment.eq_ignore_ascii_case("top")
                || ids.contains(fragment.as_str()))
        });
        // Kept until every page is read: without the slack of its growth.
        refs.shrink_to_fit();
        Scanned {
            owner,
            site_path,
            ids,
            refs,
        }
    }
}
/// What the output check takes from start tags: the ids they name and their URLs (with the
/// attribute's label and role), in order.
#[derive(Debug, Clone, Default)]
struct TagFacts {
    ids: Vec<Arc<str>>,
    refs: Vec<(Arc<str>, &'static str, UrlRole)>,
}

impl TagFacts {
    /// Adds what `tag` holds (`html` is the text its spans point into).
    fn add(&mut self, tag: &raw_html::StartTag, html: &str) {
        self.ids.extend(raw_html::anchor_ids(tag).map(Arc::from));
        self.refs.extend(
            raw_html::url_refs(tag, html)
                .into_iter()
                .map(|r| (r.url.into(), r.attr, r.role)),
        );
    }

    fn extend(&mut self, other: &TagFacts) {
        self.ids.extend(other.ids.iter().cloned());
        self.refs.extend(other.refs.iter().cloned());
    }
}

/// The start tags the output check has read, by their text. A site's layouts write the same
/// tags into every page (the head, the header and its search box, the footer, an element's
/// sidebar and breadcrumbs), so most tags of a page were read in an earlier one: looking one
/// up costs a hash of its text where the tokenizer costs a pass over every attribute. Only a
/// plain tag (`raw_html::read_plain_tag`) is kept, as what it holds depends on its text alone;
/// a page with any other tag is read by the tokenizer in one run, as before. One memo per
/// render worker, bounded in tags and in the length of a tag kept.
#[derive(Debug, Default)]
pub struct TagMemo {
    tags: HashMap<Box<str>, TagFacts>,
}

impl TagMemo {
    /// At most this many tags are kept (then the memo starts again), each at most this long.
    const TAGS: usize = 4096;
    const TAG_BYTES: usize = 1024;

    /// Adds what the tags of `part` (a piece of a page) hold to `found`.
    fn read(&mut self, part: &str, found: &mut TagFacts) {
        let texts: Vec<&str> = raw_html::link_tag_spans(part)
            .into_iter()
            .map(|span| &part[span])
            .collect();
        let known: Vec<Option<&TagFacts>> = texts.iter().map(|t| self.tags.get(*t)).collect();
        let missing: Vec<&str> = (texts.iter().zip(&known))
            .filter(|(_, known)| known.is_none())
            .map(|(text, _)| *text)
            .collect();
        let mut read = vec![TagFacts::default(); missing.len()];
        if !raw_html::read_plain_tags(&missing, |n, tag| read[n].add(tag, missing[n])) {
            // A tag that is not plain: what this part holds comes from the tokenizer's run
            // over all of its tags, as a browser reads them together.
            raw_html::for_each_link_tag(part, |tag| found.add(tag, part));
            return;
        }
        let fresh: HashMap<&str, TagFacts> = missing.into_iter().zip(read).collect();
        for (text, known) in texts.iter().zip(known) {
            if let Some(facts) = known.or_else(|| fresh.get(text)) {
                found.extend(facts);
            }
        }
        if self.tags.len() + fresh.len() > Self::TAGS {
            self.tags.clear();
        }
        for (text, facts) in fresh {
            if text.len() <= Self::TAG_BYTES {
                self.tags.insert(text.into(), facts);
            }
        }
    }
}

/// The ids the templates write as literals (`<main id="main">`); values built from variables
/// are left out.
pub fn template_anchors(templates: &[TemplateFile]) -> HashSet<String> {
    let mut ids = HashSet::new();
    for template in templates {
        raw_html::for_each_start_tag(&template.text, |tag| {
            ids.extend(
                raw_html::anchor_ids(tag)
                    .filter(|id| !id.contains("{{") && !id.contains("{%"))
                    .map(str::to_string),
            );
        });
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the tokenizer's one run over every tag of `part` finds (the reading before memos).
    fn tokenized(part: &str) -> TagFacts {
        let mut found = TagFacts::default();
        raw_html::for_each_link_tag(part, |tag| found.add(tag, part));
        found
    }

    fn memoized(memo: &mut TagMemo, part: &str) -> TagFacts {
        let mut found = TagFacts::default();
        memo.read(part, &mut found);
        found
    }

    fn same(a: &TagFacts, b: &TagFacts) -> bool {
        a.ids == b.ids && a.refs == b.refs
    }

    #[test]
    fn a_page_read_through_the_memo_holds_what_the_tokenizer_reads() {
        let chrome = "<!doctype html><head><link rel=stylesheet href=\"/theme.css\">\
            <script src=/theme.js defer></script><title>a <a href=no.html></title></head>\
            <body><a class=\"skip-link\" href=\"#main\">Skip</a>\
            <input class=\"field\" id=\"site-search-input\" type=search aria-controls='r'>\
            <p id=\"site-search-status\" role=status></p><br/><img src=x.png alt=\"\"/>\
            <a href=../up/ >up</a><a href=\"a.html?x=1&amp;y=2#b\">b</a><div ID=Upper></div>";
        let mut memo = TagMemo::default();
        let first = memoized(&mut memo, chrome);
        assert!(same(&first, &tokenized(chrome)), "{first:?}");
        assert!(!memo.tags.is_empty(), "plain tags are kept");
        // The second page's tags come from the memo, with the same result.
        let second = memoized(&mut memo, chrome);
        assert!(same(&second, &first));
        assert_eq!(
            first.refs.iter().map(|r| &*r.0).collect::<Vec<_>>(),
            [
                "/theme.css",
                "/theme.js",
                "#main",
                "x.png",
                "../up/",
                "a.html?x=1&y=2#b"
            ]
        );
        assert_eq!(
            first.ids.iter().map(|id| &**id).collect::<Vec<_>>(),
            // `ID=` is an id: HTML's attribute names have no case.
            ["site-search-input", "site-search-status", "Upper"]
        );
    }

    #[test]
    fn a_part_with_a_tag_that_is_not_plain_is_read_by_the_tokenizer() {
        // Tags the tokenizer reads across their `>` or as errors: their part is read in one
        // run, even when its plain tags are in the memo.
        let mut memo = TagMemo::default();
        let plain = "<a href=\"/x.html\">x</a>";
        memoized(&mut memo, plain);
        for odd in [
            "<a =\"> <a href=hidden.html> \">",
            "<a b==\"c\" href=\"y.html\">",
            "<a href=\"y.html\"class=z id=q>",
            "<a href='unterminated>",
            "<a href=x.html",
            "<img src=a.png/ id=\"i\" srcset=\"b.png 1x,c.png 2x\">",
            "<a href=\"a\0b.html\">",
            "<a\thref=\"t.html\"\r\nid=n>",
        ] {
            let part = format!("{plain}{odd}<p id=after></p>{plain}");
            let got = memoized(&mut memo, &part);
            let want = tokenized(&part);
            assert!(same(&got, &want), "{odd:?}: {got:?} vs {want:?}");
        }
    }

    #[test]
    fn random_markup_reads_alike_with_and_without_the_memo() {
        // A fixed seed's pages of tag fragments, quotes, entities and text: the memo (shared
        // across pages, as in a render worker) never changes what a page holds.
        let pieces = [
            "<a",
            "<img",
            "<div",
            "<p",
            " href=",
            " id=",
            " src=",
            " srcset=",
            " name=",
            "=",
            "\"",
            "'",
            "x.html",
            "#f",
            "a b",
            ">",
            "/>",
            "/",
            " ",
            "\t",
            "&amp;",
            "&",
            "<!--",
            "-->",
            "<script>",
            "</script>",
            "text",
            "<",
            "`",
            "1x, y.png 2x",
        ];
        let mut seed: u64 = 0x5eed;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let mut memo = TagMemo::default();
        for _ in 0..3000 {
            let len = 1 + next() % 24;
            let page: String = (0..len).map(|_| pieces[next() % pieces.len()]).collect();
            let got = memoized(&mut memo, &page);
            let want = tokenized(&page);
            assert!(same(&got, &want), "{page:?}: {got:?} vs {want:?}");
        }
    }
}

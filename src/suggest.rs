//! "Did you mean": the one policy for suggesting the existing name nearest to a mistyped one,
//! used wherever a diagnostic offers one (front matter keys, config keys, link targets and
//! anchors, layouts, Liquid tags, filters, variables and includes). The only `strsim` user.
//!
//! The policy, in one place so that every suggestion behaves alike:
//! - names are compared case-insensitively (`Order` is `order`);
//! - the distance is the optimal string alignment distance: one inserted, deleted or replaced
//!   character, or two neighbours swapped, is one edit — anywhere, the first letter included
//!   (`xrder` → `order`, `webhok` → `webhook`);
//! - a name is close enough when it is at most a quarter of the typed name's length away, in
//!   characters, and at least one edit (`len / 4`: one edit for 3–7 characters, two for 8–11,
//!   three for 12–15, …; none below 3 characters), or when it starts with the typed name and is
//!   at most twice as long (`#base` for `#base-url`, not `desc` for `description`), which
//!   counts as just close enough;
//! - ties go to the smaller name in lowercase order, then in byte order: the same input always
//!   gets the same suggestion.
//!
//! The work per question is bounded whatever the number of candidates: a `Candidates` set is
//! built once and sorted by length, a question looks at the lengths nearest the typed one first,
//! skips cheaply any name whose letters alone show it is too far, and stops after
//! `SCAN_LIMIT` names or `MEASURE_LIMIT` distance computations. A page may hold 100,000 broken
//! links; each costs a bounded amount, never a pass over the whole site.

/// Most candidates one question looks at (the nearest lengths first).
pub const SCAN_LIMIT: usize = 20_000;
/// Most exact distances one question computes.
pub const MEASURE_LIMIT: usize = 500;

/// How many edits away a suggestion for `wanted` may be.
pub fn limit(wanted: &str) -> usize {
    limit_of(wanted.chars().count())
}

fn limit_of(chars: usize) -> usize {
    if chars < 3 { 0 } else { (chars / 4).max(1) }
}

/// The candidate nearest to `wanted` under the policy, if any is close enough.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let list: Vec<&'a str> = candidates.into_iter().collect();
    Candidates::new(list.iter().copied())
        .closest_index(wanted)
        .map(|i| list[i])
}

/// Up to `n` candidates ordered by distance to `wanted` (then by the tie rule), however far:
/// for a note listing the names that do exist, nearest first.
pub fn ranked<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<&'a str> {
    let wanted = Name::new(wanted, 0);
    let list: Vec<&'a str> = candidates.into_iter().collect();
    let mut scored: Vec<(usize, Name)> = list
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let c = Name::new(c, i);
            (distance(&wanted.lower, &c.lower), c)
        })
        .collect();
    scored.sort_by(|a, b| (a.0, &a.1.lower, &a.1.text).cmp(&(b.0, &b.1.lower, &b.1.text)));
    scored.dedup_by(|a, b| a.1.text == b.1.text);
    scored
        .into_iter()
        .take(n)
        .map(|(_, c)| list[c.index])
        .collect()
}

/// A name prepared for comparison: lowercased, its length in characters and a 64-bit set of
/// the letters it holds.
#[derive(Debug, Clone)]
struct Name {
    text: String,
    lower: String,
    chars: usize,
    letters: u64,
    /// Its place among the candidates as given.
    index: usize,
}

impl Name {
    fn new(text: &str, index: usize) -> Self {
        let lower = text.to_lowercase();
        let mut letters = 0u64;
        let mut chars = 0;
        for c in lower.chars() {
            letters |= 1 << (u32::from(c) % 64);
            chars += 1;
        }
        Name {
            text: text.to_string(),
            lower,
            chars,
            letters,
            index,
        }
    }
}

/// A set of names to suggest from, prepared once for many questions.
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    /// Sorted by length in characters, then by the tie rule.
    names: Vec<Name>,
    /// Indexes into `names`, sorted by lowercase name: the names starting with a prefix are a
    /// range of it.
    by_lower: Vec<usize>,
}

impl Candidates {
    pub fn new<S: AsRef<str>>(candidates: impl IntoIterator<Item = S>) -> Self {
        let mut names: Vec<Name> = candidates
            .into_iter()
            .enumerate()
            .map(|(i, c)| Name::new(c.as_ref(), i))
            .collect();
        names.sort_by(|a, b| (a.chars, &a.lower, &a.text).cmp(&(b.chars, &b.lower, &b.text)));
        names.dedup_by(|a, b| a.text == b.text);
        let mut by_lower: Vec<usize> = (0..names.len()).collect();
        by_lower.sort_by(|&a, &b| {
            (&names[a].lower, &names[a].text).cmp(&(&names[b].lower, &names[b].text))
        });
        Candidates { names, by_lower }
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The name nearest to `wanted` under the policy, if any is close enough.
    pub fn closest(&self, wanted: &str) -> Option<&str> {
        self.nearest(wanted).map(|name| name.text.as_str())
    }

    /// Like `closest`, as the place of the name among the candidates as given.
    pub fn closest_index(&self, wanted: &str) -> Option<usize> {
        self.nearest(wanted).map(|name| name.index)
    }

    /// Like `closest`, with the edits allowed counted from `written` — what the writer typed
    /// — rather than from `wanted`, when the two differ: a relative link `nowhere.html` is
    /// looked up as `/docs/elements/box/nowhere.html`, whose folder must not widen the edits
    /// allowed for the name.
    pub fn closest_as_written(&self, wanted: &str, written: &str) -> Option<&str> {
        let limit = limit(wanted).min(limit(written));
        self.nearest_within(wanted, limit)
            .map(|name| name.text.as_str())
    }

    fn nearest(&self, wanted: &str) -> Option<&Name> {
        self.nearest_within(wanted, limit(wanted))
    }

    fn nearest_within(&self, wanted: &str, limit: usize) -> Option<&Name> {
        let wanted = Name::new(wanted, 0);
        let mut best: Option<(usize, &Name)> = None;
        // A name cut short counts as just close enough: the names starting with it.
        if wanted.chars >= 3 {
            let start = self
                .by_lower
                .partition_point(|&i| self.names[i].lower.as_str() < wanted.lower.as_str());
            for &i in self.by_lower[start..].iter().take(MEASURE_LIMIT) {
                let name = &self.names[i];
                if !name.lower.starts_with(&wanted.lower) {
                    break;
                }
                if name.chars > 2 * wanted.chars {
                    continue;
                }
                let d = if name.lower == wanted.lower { 0 } else { limit };
                consider(&mut best, d, name);
            }
        }
        // The lengths nearest the wanted one first: a name `k` characters longer or shorter is
        // at least `k` edits away, so the search stops once `k` passes the best distance.
        let at = self.names.partition_point(|n| n.chars < wanted.chars);
        let mut below = at;
        let mut above = at;
        let mut scanned = 0;
        let mut measured = 0;
        loop {
            let bound = best.map_or(limit, |(d, _)| d);
            let below_gap = (below > 0).then(|| wanted.chars - self.names[below - 1].chars);
            let above_gap =
                (above < self.names.len()).then(|| self.names[above].chars - wanted.chars);
            let next = match (below_gap, above_gap) {
                (Some(b), Some(a)) if b < a => Some(below - 1),
                (_, Some(_)) => Some(above),
                (Some(_), None) => Some(below - 1),
                (None, None) => None,
            };
            let Some(i) = next else { break };
            if i == above {
                above += 1;
            } else {
                below -= 1;
            }
            let name = &self.names[i];
            let gap = name.chars.abs_diff(wanted.chars);
            if gap > bound || scanned == SCAN_LIMIT || measured == MEASURE_LIMIT {
                break;
            }
            scanned += 1;
            // Each letter one name has and the other lacks takes an edit of its own.
            let only_wanted = (wanted.letters & !name.letters).count_ones() as usize;
            let only_name = (name.letters & !wanted.letters).count_ones() as usize;
            if only_wanted.max(only_name) > bound {
                continue;
            }
            measured += 1;
            let d = distance(&wanted.lower, &name.lower);
            if d <= bound {
                consider(&mut best, d, name);
            }
        }
        best.map(|(_, name)| name)
    }
}

/// Keeps `name` at distance `d` if it beats `best` under the tie rule.
fn consider<'n>(best: &mut Option<(usize, &'n Name)>, d: usize, name: &'n Name) {
    let better = match best {
        None => true,
        Some((bd, b)) => (d, &name.lower, &name.text) < (*bd, &b.lower, &b.text),
    };
    if better {
        *best = Some((d, name));
    }
}

/// The optimal string alignment distance of two lowercased names, in characters. What both
/// share at the start and the end costs nothing and is cut first: paths share most of theirs.
fn distance(a: &str, b: &str) -> usize {
    let prefix: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix: usize = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    strsim::osa_distance(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [&str; 9] = [
        "title",
        "heading",
        "description",
        "layout",
        "breadcrumbs",
        "parent",
        "elementId",
        "order",
        "draft",
    ];

    #[test]
    fn the_policy_on_a_table() {
        // (typed, expected suggestion)
        let cases = [
            // One edit anywhere, the first letter included.
            ("xrder", Some("order")),
            ("oder", Some("order")),
            ("ordr", Some("order")),
            ("orderr", Some("order")),
            ("rodre", None),
            // A swap is one edit.
            ("odrer", Some("order")),
            ("tilte", Some("title")),
            // Case does not count.
            ("Title", Some("title")),
            ("ELEMENTID", Some("elementId")),
            ("elementid", Some("elementId")),
            ("elemntid", Some("elementId")),
            // One edit up to 7 characters, two from 8 on.
            ("hedaing", Some("heading")),
            ("heding", Some("heading")),
            ("hadinx", None),
            ("descripton", Some("description")),
            ("dscripton", Some("description")),
            ("bredcrums", Some("breadcrumbs")),
            ("bredcrms", None),
            // Keys of other tools are not near misses.
            ("redirect_to", None),
            ("date", None),
            ("tags", None),
            ("desc", None),
            ("author", None),
            // Too far, too short, or nothing like it.
            ("tit", Some("title")),
            ("ab", None),
            ("", None),
            ("tags", None),
            ("xyz", None),
            ("lay", Some("layout")),
            ("zzzzzzzzzzzz", None),
        ];
        let set = Candidates::new(KEYS);
        for (typed, expected) in cases {
            assert_eq!(set.closest(typed), expected, "{typed}");
            assert_eq!(closest(typed, KEYS), expected, "{typed}");
        }
    }

    #[test]
    fn the_limit_grows_with_the_length() {
        let cases = [
            ("", 0),
            ("ab", 0),
            ("abc", 1),
            ("abcdefg", 1),
            ("abcdefgh", 2),
            ("é".repeat(12).as_str(), 3),
        ]
        .map(|(s, n)| (s.to_string(), n));
        for (typed, n) in cases {
            assert_eq!(limit(&typed), n, "{typed}");
        }
        // Characters, not bytes: `ééé` is three characters, one edit from `éèé`.
        assert_eq!(closest("éèé", ["ééé"]), Some("ééé"));
        assert_eq!(closest("ÉÉÉ", ["ééé"]), Some("ééé"));
    }

    #[test]
    fn ties_go_to_the_first_name_in_lowercase_order() {
        // `note` is one edit from both.
        assert_eq!(closest("note", ["notes", "nose"]), Some("nose"));
        assert_eq!(closest("note", ["nose", "notes"]), Some("nose"));
        // The nearer name wins whatever the order.
        assert_eq!(closest("notes", ["nose", "notes2", "note"]), Some("note"));
        // An exact match in another case beats everything.
        assert_eq!(closest("Note", ["note", "nots", "NOTE"]), Some("NOTE"));
        assert_eq!(closest("NOTe", ["note", "NOTE"]), Some("NOTE"));
    }

    #[test]
    fn a_name_cut_short_suggests_the_whole_name() {
        assert_eq!(closest("base", ["base-url", "case"]), Some("base-url"));
        assert_eq!(
            closest("register-your", ["register-your-application"]),
            Some("register-your-application")
        );
        assert_eq!(closest("reg", ["register-your-application"]), None);
        // A closer name still wins over a prefix.
        assert_eq!(closest("bas", ["base-url", "bas"]), Some("bas"));
        assert_eq!(closest("ba", ["base-url"]), None);
    }

    #[test]
    fn paths_compare_what_differs() {
        let paths = [
            "/elements/gotowebinar/setup.html",
            "/elements/gotowebinar/events.html",
            "/elements/zendesk/events.html",
        ];
        assert_eq!(
            closest("/elements/gotowebinar/setp.html", paths),
            Some("/elements/gotowebinar/setup.html")
        );
        assert_eq!(
            closest("/elements/zendesk/evnets.html", paths),
            Some("/elements/zendesk/events.html")
        );
        assert_eq!(closest("/missing-12345.html", paths), None);
        assert_eq!(distance("abcdef", "abdcef"), 1);
        assert_eq!(distance("xab", "xba"), 1);
        assert_eq!(distance("abx", "bax"), 1);
        assert_eq!(distance("same", "same"), 0);
    }

    #[test]
    fn ranked_lists_the_nearest_however_far() {
        assert_eq!(
            ranked(
                "noet.html",
                ["callout.html", "note.html", "notes.html", "x.md"],
                3
            ),
            ["note.html", "notes.html", "callout.html"]
        );
        assert_eq!(ranked("a", ["b"], 0), Vec::<&str>::new());
    }

    #[test]
    fn work_is_bounded_on_huge_sets() {
        // 100,000 names of one length, none near: the question stops after its limits and
        // still answers when the nearest is among the first looked at.
        let names: Vec<String> = (0..100_000).map(|n| format!("page-{n:06}")).collect();
        let set = Candidates::new(names.iter().map(String::as_str));
        assert_eq!(set.closest("page-000001"), Some("page-000001"));
        assert_eq!(set.closest("PAGE-00000X"), Some("page-000000"));
        assert_eq!(set.closest("zzzzzzzzzzz"), None);
    }
}

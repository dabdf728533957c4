//! Render stage, search: which pages share a fragment file. The browser fetches the sections of
//! the ten pages a query ranks highest; one file per page made the index 10,000 files on a
//! 10,000-page site, so pages are bundled by folder — an element's guides sit together — in
//! files of at most `CHUNK_PAGES` pages, named after the folder. A file's name and content do
//! not depend on any other folder, so adding a page rewrites its folder's file only (`serve`),
//! not every fragment after it. Pure.
//!
//! The index numbers pages in this layout's order (folder by folder, by source within a
//! folder), so a page's number tells the browser its file: the manifest lists each file's
//! name and page count, in order.

use std::collections::BTreeSet;

/// At most this many pages share a fragment file: a query fetches up to ten files, so their
/// size bounds what a first query transfers (about 4.5 KB gzip for eight guides on the bench
/// site).
pub const CHUNK_PAGES: usize = 8;
/// A file name longer than this is cut and completed with a hash of the folder.
const MAX_NAME: usize = 96;

/// One fragment file: its name (`p/<name>.json`) and its pages' sources, in index order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk<'a> {
    pub name: String,
    pub sources: Vec<&'a str>,
}

/// The folder of a page's source (`""` for the content root), as `Page::dir` gives it.
pub fn folder(source: &str) -> &str {
    source.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The index order of two sources: folder by folder, by source within a folder.
pub fn order(a: &str, b: &str) -> std::cmp::Ordering {
    (folder(a), a).cmp(&(folder(b), b))
}

/// The fragment files of the pages `sources` (any order, no repeats): each folder's pages in
/// order, cut every `CHUNK_PAGES` pages; the files in index order.
pub fn layout<'a>(sources: impl IntoIterator<Item = &'a str>) -> Vec<Chunk<'a>> {
    let mut sorted: Vec<&str> = sources.into_iter().collect();
    sorted.sort_unstable_by(|a, b| order(a, b));
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut start = 0;
    while start < sorted.len() {
        let dir = folder(sorted[start]);
        let end = start + sorted[start..].partition_point(|s| folder(s) == dir);
        for (piece, group) in sorted[start..end].chunks(CHUNK_PAGES).enumerate() {
            let mut name = file_name(dir);
            if piece > 0 {
                name.push_str(&format!("~{piece}"));
            }
            // Two folders whose names clean up alike (`A b`, `a_b`): the later one numbered.
            let mut unique = name.clone();
            let mut n = 2;
            while used.contains(&unique) {
                unique = format!("{name}-{n}");
                n += 1;
            }
            used.insert(unique.clone());
            chunks.push(Chunk {
                name: unique,
                sources: group.to_vec(),
            });
        }
        start = end;
    }
    chunks
}

/// A file name for the fragments of folder `dir`: lowercase (a case-insensitive disk must not
/// merge two files), `/` as `.`, other characters than ASCII letters, digits, `-` and `_` as
/// `_` (so no name starts with a dot); `_` for the content root.
fn file_name(dir: &str) -> String {
    if dir.is_empty() {
        return "_".to_string();
    }
    let mut name: String = dir
        .chars()
        .map(|c| match c {
            '/' => '.',
            'a'..='z' | '0'..='9' | '-' | '_' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '_',
        })
        .collect();
    if name.len() > MAX_NAME {
        // FNV-1a: the same name from every build and toolchain.
        let hash = dir.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
        });
        name.truncate(MAX_NAME - 17);
        name.push_str(&format!("-{hash:016x}"));
    }
    name
}

/// The output path of the fragment file `name`.
pub fn chunk_path(name: &str) -> String {
    format!("{}/p/{name}.json", super::DIR)
}

/// The JSON of a fragment file: its pages' fragments (`fragment_json`), in order.
pub fn chunk_json(fragments: &[String]) -> String {
    // Sized at once: the index holds the whole text of the site, copied here once.
    let size = fragments.iter().map(|f| f.len() + 1).sum::<usize>() + 8;
    let mut json = String::with_capacity(size);
    json.push_str("{\"p\":[");
    for (n, fragment) in fragments.iter().enumerate() {
        if n > 0 {
            json.push(',');
        }
        json.push_str(fragment);
    }
    json.push_str("]}");
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_and_sizes(sources: &[&str]) -> Vec<(String, Vec<String>)> {
        layout(sources.iter().copied())
            .into_iter()
            .map(|c| (c.name, c.sources.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn pages_are_bundled_by_folder_in_index_order() {
        let got = names_and_sizes(&[
            "elements/zoom/setup.md",
            "index.md",
            "elements/box/index.md",
            "elements/box/api/events.md",
            "elements/box/auth.md",
            "about.md",
        ]);
        let want: Vec<(String, Vec<String>)> = [
            ("_", vec!["about.md", "index.md"]),
            (
                "elements.box",
                vec!["elements/box/auth.md", "elements/box/index.md"],
            ),
            ("elements.box.api", vec!["elements/box/api/events.md"]),
            ("elements.zoom", vec!["elements/zoom/setup.md"]),
        ]
        .into_iter()
        .map(|(n, s)| (n.to_string(), s.into_iter().map(str::to_string).collect()))
        .collect();
        assert_eq!(got, want);
        assert_eq!(
            order("elements/box/auth.md", "elements/box/api/events.md"),
            std::cmp::Ordering::Less
        );
    }

    #[test]
    fn a_large_folder_is_cut_and_adding_a_page_leaves_other_folders_alone() {
        let mut sources: Vec<String> = (0..CHUNK_PAGES * 2 + 1)
            .map(|n| format!("big/p{n:02}.md"))
            .collect();
        sources.push("small/a.md".to_string());
        let before = names_and_sizes(&sources.iter().map(String::as_str).collect::<Vec<_>>());
        let names: Vec<&str> = before.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["big", "big~1", "big~2", "small"]);
        assert_eq!(before[0].1.len(), CHUNK_PAGES);
        assert_eq!(before[2].1, ["big/p16.md"]);
        sources.push("small/b.md".to_string());
        let after = names_and_sizes(&sources.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(
            before[..3],
            after[..3],
            "the other folder's files are the same"
        );
        assert_eq!(after[3].1, ["small/a.md", "small/b.md"]);
    }

    #[test]
    fn folder_names_become_safe_distinct_file_names() {
        let got: Vec<String> = layout(["A b/x.md", "a_b/y.md", ".well-known/z.md", "Ünï/q.md"])
            .into_iter()
            .map(|c| c.name)
            .collect();
        // Sorted by folder: ".well-known", "A b", "a_b", "Ünï".
        assert_eq!(got, ["_well-known", "a_b", "a_b-2", "_n_"]);
        let long = format!("{}/x.md", "d".repeat(200));
        let name = &layout([long.as_str()])[0].name;
        assert_eq!(name.len(), MAX_NAME);
        assert!(name.starts_with("ddd"), "{name}");
    }

    #[test]
    fn a_chunk_lists_its_fragments_in_order() {
        assert_eq!(
            chunk_json(&[r#"{"u":"/a"}"#.to_string(), r#"{"u":"/b"}"#.to_string()]),
            r#"{"p":[{"u":"/a"},{"u":"/b"}]}"#
        );
        assert_eq!(
            chunk_path("elements.box"),
            "search-index/p/elements.box.json"
        );
    }
}

//! Index stage: output paths that cannot all be written, found before anything is written so
//! that a build that passes the check stage never fails while writing. Two sources writing
//! the same file are `Loaded::source_collisions`; this module finds a file where another source
//! needs a folder (`docs/tutorial` beside `docs/tutorial/index.html`), names a file system
//! cannot hold, and site files inside a folder docgen fills itself (`search-index/`). Pure.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;

/// The longest file or folder name docgen writes (most file systems allow 255 bytes).
pub const MAX_NAME: usize = 255;

/// Every folder the output files need → the first file (in path order) written below it.
pub fn folders<'a>(files: impl Iterator<Item = &'a str>) -> BTreeMap<String, String> {
    let mut folders = BTreeMap::new();
    for file in files {
        for (i, _) in file.match_indices('/') {
            if !folders.contains_key(&file[..i]) {
                folders.insert(file[..i].to_string(), file.to_string());
            }
        }
    }
    folders
}

/// The problems of the output files `files` (output path → what writes it, for messages): a
/// file that another file needs as a folder, and a name too long for a file system. Each is an
/// error at the first source, naming both.
pub fn check(files: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    let folders = folders(files.keys().map(String::as_str));
    let mut diagnostics = Vec::new();
    for (file, writer) in files {
        if let Some(below) = folders.get(file) {
            diagnostics.push(
                Diagnostic::error(
                    "output-conflict",
                    source_file(writer),
                    format!(
                        "{writer} is written to {file}, but {} needs {file} as a folder ({below})",
                        files[below]
                    ),
                )
                .with_note("a path cannot be a file and a folder: rename or move one of them"),
            );
        }
        if let Some(name) = file.split('/').find(|name| name.len() > MAX_NAME) {
            diagnostics.push(Diagnostic::error(
                "output-conflict",
                source_file(writer),
                format!(
                    "{writer} is written to a name of {} bytes (\"{}…\"): file systems allow {MAX_NAME}",
                    name.len(),
                    name.chars().take(40).collect::<String>()
                ),
            ));
        }
    }
    diagnostics
}

/// The output files of `files` (output path → what writes it) at or below `folder`, which
/// docgen fills itself with `what` (the search index): an error at each, since what is in the
/// folder changes with the content (a site file that misses today's file names would be
/// overwritten, or would overwrite, after the next edit). `switch` says how to free the folder.
pub fn reserved(
    files: &BTreeMap<String, String>,
    folder: &str,
    what: &str,
    switch: &str,
) -> Vec<Diagnostic> {
    let inside = format!("{folder}/");
    files
        .range(folder.to_string()..)
        .take_while(|(file, _)| file.starts_with(folder))
        .filter(|(file, _)| file.as_str() == folder || file.starts_with(&inside))
        .map(|(file, writer)| {
            Diagnostic::error(
                "output-conflict",
                source_file(writer),
                format!("{writer} is written to {file}, but docgen writes {what} to {inside}"),
            )
            .with_note(format!(
                "{inside} is docgen's: move the file out of it, or {switch}"
            ))
        })
        .collect()
}

/// The file a diagnostic is placed at: the source named by a writer's description
/// (`content/x.md`, `static/x`, or the description itself for generated files).
fn source_file(writer: &str) -> String {
    ["the page ", "the redirect_from of "]
        .iter()
        .find_map(|prefix| writer.strip_prefix(prefix))
        .unwrap_or(writer)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reserved_folder_is_reported_at_the_file_that_writes_into_it() {
        let files: BTreeMap<String, String> = [
            (
                "search-index/index.json",
                "the redirect_from of content/r.md",
            ),
            ("search-index/x.png", "static/search-index/x.png"),
            ("search-indexes.html", "the page content/search-indexes.md"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let found: Vec<String> = reserved(&files, "search-index", "the search index", "x")
            .iter()
            .map(|d| d.headline())
            .collect();
        assert_eq!(
            found,
            [
                "content/r.md: the redirect_from of content/r.md is written to search-index/index.json, but docgen writes the search index to search-index/",
                "static/search-index/x.png: static/search-index/x.png is written to search-index/x.png, but docgen writes the search index to search-index/",
            ]
        );
    }

    #[test]
    fn a_file_where_a_folder_is_needed_names_both() {
        let files: BTreeMap<String, String> = [
            ("docs/tutorial", "static/docs/tutorial"),
            ("docs/tutorial/index.html", "content/docs/tutorial/index.md"),
            (
                "docs/tutorial/step-1.html",
                "content/docs/tutorial/step-1.md",
            ),
            ("docs/other.html", "content/docs/other.md"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let headlines: Vec<String> = check(&files).iter().map(Diagnostic::headline).collect();
        assert_eq!(
            headlines,
            [
                "static/docs/tutorial: static/docs/tutorial is written to docs/tutorial, but content/docs/tutorial/index.md needs docs/tutorial as a folder (docs/tutorial/index.html)"
            ]
        );
    }

    #[test]
    fn files_at_or_below_a_reserved_folder_are_errors() {
        let files: BTreeMap<String, String> = [
            ("search-index", "static/search-index"),
            ("search-index/index.json", "static/search-index/index.json"),
            ("search-index/p/0.json", "content/search-index/p/0.json"),
            (
                "search-index/notes.html",
                "the page content/search-index/notes.md",
            ),
            (
                "search-index-old/index.json",
                "static/search-index-old/index.json",
            ),
            ("search-indexes.html", "the page content/search-indexes.md"),
            ("search.js", "the theme's search.js"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let found = reserved(&files, "search-index", "the search index", "turn it off");
        let headlines: Vec<String> = found.iter().map(Diagnostic::headline).collect();
        assert_eq!(
            headlines,
            [
                "static/search-index: static/search-index is written to search-index, but docgen writes the search index to search-index/",
                "static/search-index/index.json: static/search-index/index.json is written to search-index/index.json, but docgen writes the search index to search-index/",
                "content/search-index/notes.md: the page content/search-index/notes.md is written to search-index/notes.html, but docgen writes the search index to search-index/",
                "content/search-index/p/0.json: content/search-index/p/0.json is written to search-index/p/0.json, but docgen writes the search index to search-index/",
            ]
        );
        assert_eq!(
            found[0].notes,
            ["search-index/ is docgen's: move the file out of it, or turn it off"]
        );
        assert!(found.iter().all(Diagnostic::is_error));
    }

    #[test]
    fn names_too_long_for_a_file_system_are_errors() {
        let long = "x".repeat(254);
        let files = BTreeMap::from([(format!("{long}.html"), format!("content/{long}.md"))]);
        let found = check(&files);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("a name of 259 bytes"),
            "{}",
            found[0].message
        );
        assert!(
            check(&BTreeMap::from([(
                "a/b.html".into(),
                "content/a/b.md".into()
            )]))
            .is_empty()
        );
    }
}

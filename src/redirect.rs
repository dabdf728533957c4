//! Index stage: redirects from old URLs. A page's `redirect_from` front matter lists site paths
//! it used to be published at (`/old/page.html`, `/old/folder/`, as Jekyll's redirect_from plugin
//! writes them); each becomes a small HTML page at that path that sends readers (meta refresh,
//! a link, and a script that keeps the `#fragment`) and search engines (canonical link,
//! `noindex`) to the page. Pure: `plan` maps every path to its file as jekyll-redirect-from
//! does and leaves out, with a warning naming both, a redirect whose place is taken (a redirect
//! never replaces a page or a file); `html` writes one redirect page; `build` puts them in the
//! output.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::highlight::escape;
use crate::links;
use crate::page::Page;

/// A redirect page to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old site path, as written but percent-decoded: `/old/page.html`, `/old/folder/`.
    pub from: String,
    /// The file written for it in the output: `old/page.html`, `old/folder/index.html`.
    pub file: String,
    /// The page it sends to: its source, title and site path (without the base path).
    pub source: String,
    pub title: String,
    pub to: String,
}

impl Redirect {
    /// Tells the link index that the old path (and its output file's path) is this page.
    pub fn register(&self, index: &mut crate::links::LinkIndex) {
        index.insert_redirect(self.from.clone(), self.source.clone());
        index.insert_redirect(format!("/{}", self.file), self.source.clone());
    }
}

/// The redirects of `pages` (the published pages, sorted by source) and the problems found.
///
/// As jekyll-redirect-from writes them: a path without its leading slash is taken from the
/// site root (with a warning), an extensionless path gets `.html`, a path ending in `/` gets
/// `index.html`. A redirect never replaces anything: when its file is already written by a
/// page, by one of `files` (output path → what writes it, e.g. `static/x.html`), or by a
/// redirect of an earlier page (in source order), or when it would be a file where `folders`
/// says there is a folder (folder → the first file written below it) or the reverse, the
/// redirect is left out with a warning naming both. A path that is no site path at all is an
/// error.
pub fn plan(
    pages: &[&Page],
    files: impl Fn(&str) -> Option<String>,
    folders: impl Fn(&str) -> Option<String>,
) -> (Vec<Redirect>, Vec<Diagnostic>) {
    if pages.iter().all(|p| p.front.redirect_from.is_empty()) {
        return (Vec::new(), Vec::new());
    }
    let page_files: BTreeMap<String, &Page> = pages
        .iter()
        .map(|p| (links::output_file_for_url(&p.url), *p))
        .collect();
    // What the redirects planned so far write: their files, and the folders holding them.
    let mut claimed: BTreeMap<String, (&Page, &str)> = BTreeMap::new();
    let mut claimed_folders: BTreeMap<String, (&Page, &str)> = BTreeMap::new();
    let mut redirects = Vec::new();
    let mut diagnostics = Vec::new();
    for page in pages {
        let line = page.front.line_of("redirect_from");
        for written in &page.front.redirect_from {
            // At the path where it is written (its list item's line), else at the key.
            let place = |d: Diagnostic| match written_at(&page.text, line, written) {
                Some((line, column)) => d
                    .at(line, column)
                    .with_source(&page.text, written.chars().count().max(1)),
                None => d
                    .at(line, u32::from(line > 0))
                    .with_source(&page.text, "redirect_from".len()),
            };
            let file = match output_file(written) {
                Ok(file) => file,
                Err(why) => {
                    diagnostics.push(place(Diagnostic::error(
                        "redirect",
                        page.file(),
                        format!("redirect_from \"{written}\" {why}"),
                    )));
                    continue;
                }
            };
            // Decoded, as links to it are before they are looked up.
            let from = site_path(&links::percent_decode(written));
            if !written.starts_with('/') {
                diagnostics.push(
                    place(Diagnostic::warning(
                        "redirect",
                        page.file(),
                        format!(
                            "redirect_from \"{written}\" does not start with /: it is taken from the site root, as jekyll-redirect-from does"
                        ),
                    ))
                    .with_suggestion(Some(from.clone())),
                );
            }
            let redirect_of = |other: &Page, other_from: &str| {
                format!(
                    "the redirect_from \"{other_from}\" of {}:{}",
                    other.file(),
                    other.front.line_of("redirect_from")
                )
            };
            let taken = if let Some(other) = page_files.get(&file) {
                if other.source == page.source {
                    Some(("it is this page's own address".to_string(), None))
                } else {
                    Some((format!("the page {} is there", other.file()), None))
                }
            } else if let Some(writer) = files(&file) {
                Some((format!("{writer} is there"), None))
            } else if let Some((other, other_from)) = claimed.get(&file) {
                if other.source == page.source {
                    continue; // the same path twice on one page
                }
                Some((
                    format!("{} claims it first", redirect_of(other, other_from)),
                    Some("the first page in path order keeps the address"),
                ))
            } else if let Some(below) = folders(&file) {
                Some((
                    format!("{file} is a folder: {below} is written below it"),
                    None,
                ))
            } else if let Some((other, other_from)) = claimed_folders.get(&file) {
                Some((
                    format!(
                        "{file} is a folder: {} writes below it",
                        redirect_of(other, other_from)
                    ),
                    None,
                ))
            } else {
                parent_folders(&file).find_map(|folder| {
                    let writer = page_files
                        .get(folder)
                        .map(|p| format!("the page {}", p.file()))
                        .or_else(|| files(folder))
                        .or_else(|| claimed.get(folder).map(|(o, f)| redirect_of(o, f)))?;
                    Some((
                        format!("{folder} is a file, not a folder: {writer} writes it"),
                        None,
                    ))
                })
            };
            if let Some((why, note)) = taken {
                let mut d = place(Diagnostic::warning(
                    "redirect",
                    page.file(),
                    format!("redirect_from \"{written}\" is not written to {file}: {why}"),
                ))
                .with_note("a redirect never replaces a page or a file");
                if let Some(note) = note {
                    d = d.with_note(note);
                }
                diagnostics.push(d);
                continue;
            }
            for folder in parent_folders(&file) {
                claimed_folders
                    .entry(folder.to_string())
                    .or_insert((page, written));
            }
            claimed.insert(file.clone(), (page, written));
            redirects.push(Redirect {
                from,
                file,
                source: page.source.clone(),
                title: page.title.clone(),
                to: page.url.clone(),
            });
        }
    }
    (redirects, diagnostics)
}

/// The folders holding an output file, nearest last: `a/b/c.html` → `a`, `a/b`.
/// Line and column of `written` in the front matter of `text`, on the `redirect_from` key's
/// line (`key_line`) or the lines of its list below.
fn written_at(text: &str, key_line: u32, written: &str) -> Option<(u32, u32)> {
    if key_line == 0 || written.is_empty() {
        return None;
    }
    let mut lines = text.lines().enumerate().skip(key_line as usize - 1);
    let (n, key) = lines.next()?;
    let column = |line: &str, i: usize| line[..i].chars().count() as u32 + 1;
    if let Some(i) = key.find(written) {
        return Some((n as u32 + 1, column(key, i)));
    }
    for (n, line) in lines.take_while(|(_, l)| l.starts_with([' ', '\t', '-'])) {
        let Some(item) = line.trim_start().strip_prefix('-') else {
            continue;
        };
        let value = item.trim();
        let unquoted = ['"', '\'']
            .iter()
            .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
            .unwrap_or(value);
        if unquoted == written {
            let i = line.len() - item.trim_start().len() + (value.len() - unquoted.len()) / 2;
            return Some((n as u32 + 1, column(line, i)));
        }
    }
    None
}

fn parent_folders(file: &str) -> impl Iterator<Item = &str> {
    file.match_indices('/').map(move |(i, _)| &file[..i])
}

/// A redirect path as a site path: with its leading slash.
fn site_path(from: &str) -> String {
    match from.starts_with('/') {
        true => from.to_string(),
        false => format!("/{from}"),
    }
}

/// The output file for a redirect path, as jekyll-redirect-from writes it: `/a/b.html` →
/// `a/b.html`, `/a/` → `a/index.html`, `/a/b` → `a/b.html`; a path without its leading slash
/// is taken from the site root. `Err` says why the path is refused.
pub fn output_file(written: &str) -> Result<String, &'static str> {
    if links::is_external(written) {
        return Err("must be a site path like /old/page.html, not a URL");
    }
    // `/old%20page.html` is the URL of the file `old page.html`, as a server reads it (and
    // `/a/%2e%2e/b.html` is `/a/../b.html`).
    let from = &links::percent_decode(written);
    if from.contains(['?', '#', '\\']) || from.chars().any(char::is_control) {
        return Err("must be a plain path, without ?query, #fragment or backslashes");
    }
    let path = from.strip_prefix('/').unwrap_or(from);
    if path.is_empty() {
        return Err("is the site's home page");
    }
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    if segments
        .iter()
        .enumerate()
        .any(|(i, s)| matches!(*s, "." | "..") || (s.is_empty() && i != last))
    {
        return Err("must not contain empty, . or .. segments");
    }
    if segments.iter().any(|s| s.starts_with('.')) {
        // Never docgen's marker or a deploy `.git/`; the preview serves no such path either.
        return Err("must not name a hidden file or folder (a name starting with .)");
    }
    if segments.iter().any(|s| s.len() > 250) {
        return Err("has a name longer than a file system allows (250 bytes)");
    }
    let file = links::output_file_for_url(&site_path(from));
    let name = file.rsplit('/').next().unwrap_or(&file);
    Ok(match name.contains('.') {
        true => file,
        false => format!("{file}.html"),
    })
}

/// The redirect page for `redirect` in a site configured by `config`: its links honour the
/// base path, and the canonical link is absolute when `base_url` is set.
pub fn html(redirect: &Redirect, config: &Config) -> String {
    let href = format!(
        "{}{}",
        config.base_path,
        crate::links::encode_path(&redirect.to)
    );
    let canonical = config.absolute_url(&redirect.to).unwrap_or(href.clone());
    let script_url = serde_json::to_string(&href)
        .expect("a string serializes")
        .replace("</", "<\\/");
    let (href, canonical, title) = (escape(&href), escape(&canonical), escape(&redirect.title));
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: {title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{href}\">{title}</a>.</p>\n\
         <script>location.replace({script_url} + location.hash)</script>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;

    fn page(source: &str, front: &str) -> Page {
        Page::parse(
            source,
            format!("---\ntitle: T {source}\n{front}---\n").into_bytes(),
        )
    }

    #[test]
    fn paths_map_to_files_like_jekyll() {
        let cases = [
            ("/old.html", Ok("old.html")),
            ("/a/b/page.html", Ok("a/b/page.html")),
            ("/a/folder/", Ok("a/folder/index.html")),
            ("/a/extensionless", Ok("a/extensionless.html")),
            ("/docs/v1.2", Ok("docs/v1.2")),
            ("old.html", Ok("old.html")),
            ("docs/guide/", Ok("docs/guide/index.html")),
            (
                "https://example.com/old.html",
                Err("must be a site path like /old/page.html, not a URL"),
            ),
            (
                "/old.html#x",
                Err("must be a plain path, without ?query, #fragment or backslashes"),
            ),
            (
                "/a/../b.html",
                Err("must not contain empty, . or .. segments"),
            ),
            (
                "//host/x.html",
                Err("must be a site path like /old/page.html, not a URL"),
            ),
            (
                "/a//b.html",
                Err("must not contain empty, . or .. segments"),
            ),
            ("/", Err("is the site's home page")),
            ("/old%20page.html", Ok("old page.html")),
            (
                "/a/%2e%2e/%2E%2E/b.html",
                Err("must not contain empty, . or .. segments"),
            ),
            (
                "/a%2F..%2Fb.html",
                Err("must not contain empty, . or .. segments"),
            ),
            (
                "/a%5cb.html",
                Err("must be a plain path, without ?query, #fragment or backslashes"),
            ),
            (
                "/.docgen-output",
                Err("must not name a hidden file or folder (a name starting with .)"),
            ),
            (
                "/.git/config",
                Err("must not name a hidden file or folder (a name starting with .)"),
            ),
            (
                "/docs/.old/",
                Err("must not name a hidden file or folder (a name starting with .)"),
            ),
        ];
        for (from, expected) in cases {
            assert_eq!(output_file(from).as_deref(), expected.as_deref(), "{from}");
        }
    }

    #[test]
    fn a_redirect_never_replaces_a_page_a_file_or_an_earlier_redirect() {
        let a = page(
            "a.md",
            "redirect_from: [/old.html, /a.html, /b.html, /old.html, /docs/tutorial, /x/]\n",
        );
        let b = page(
            "b.md",
            "redirect_from:\n  - /old.html\n  - /robots.txt\n  - new/\n  - /docs\n  - /x/index.html/deep/\n",
        );
        let files = BTreeMap::from([(
            "robots.txt".to_string(),
            "the generated robots.txt".to_string(),
        )]);
        let folders = BTreeMap::from([(
            "docs".to_string(),
            "content/docs/tutorial/index.md".to_string(),
        )]);
        let (redirects, diagnostics) = plan(
            &[&a, &b],
            |path| files.get(path).cloned(),
            |path| folders.get(path).cloned(),
        );
        let planned: Vec<_> = redirects
            .iter()
            .map(|r| (r.from.as_str(), r.file.as_str(), r.to.as_str()))
            .collect();
        assert_eq!(
            planned,
            [
                ("/old.html", "old.html", "/a.html"),
                ("/docs/tutorial", "docs/tutorial.html", "/a.html"),
                ("/x/", "x/index.html", "/a.html"),
                ("/new/", "new/index.html", "/b.html"),
                ("/docs", "docs.html", "/b.html"),
            ]
        );
        let headlines: Vec<String> = diagnostics.iter().map(Diagnostic::headline).collect();
        assert_eq!(
            headlines,
            [
                "content/a.md:3:28: redirect_from \"/a.html\" is not written to a.html: it is this page's own address",
                "content/a.md:3:37: redirect_from \"/b.html\" is not written to b.html: the page content/b.md is there",
                "content/b.md:4:5: redirect_from \"/old.html\" is not written to old.html: the redirect_from \"/old.html\" of content/a.md:3 claims it first",
                "content/b.md:5:5: redirect_from \"/robots.txt\" is not written to robots.txt: the generated robots.txt is there",
                "content/b.md:6:5: redirect_from \"new/\" does not start with /: it is taken from the site root, as jekyll-redirect-from does — did you mean \"/new/\"?",
                "content/b.md:8:5: redirect_from \"/x/index.html/deep/\" is not written to x/index.html/deep/index.html: x/index.html is a file, not a folder: the redirect_from \"/x/\" of content/a.md:3 writes it",
            ]
        );
        assert!(diagnostics.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn a_redirect_where_a_folder_is_or_a_folder_where_a_file_is_is_left_out() {
        let a = page("a.md", "redirect_from: [/docs/tutorial.html/, /guides]\n");
        let folders = BTreeMap::from([(
            "guides.html".to_string(),
            "static/guides.html/x.png".to_string(),
        )]);
        let files = BTreeMap::from([(
            "docs/tutorial.html".to_string(),
            "static/docs/tutorial.html".to_string(),
        )]);
        let (redirects, diagnostics) = plan(
            &[&a],
            |path| files.get(path).cloned(),
            |path| folders.get(path).cloned(),
        );
        assert!(redirects.is_empty(), "{redirects:?}");
        let headlines: Vec<String> = diagnostics.iter().map(Diagnostic::headline).collect();
        assert_eq!(
            headlines,
            [
                "content/a.md:3:17: redirect_from \"/docs/tutorial.html/\" is not written to docs/tutorial.html/index.html: docs/tutorial.html is a file, not a folder: static/docs/tutorial.html writes it",
                "content/a.md:3:39: redirect_from \"/guides\" is not written to guides.html: guides.html is a folder: static/guides.html/x.png is written below it",
            ]
        );
    }

    #[test]
    fn the_page_sends_readers_and_search_engines_to_the_new_url() {
        let config = Config::parse(
            std::path::Path::new("/s"),
            "base_url = \"https://host/docs\"",
            &Overrides::default(),
        )
        .unwrap();
        let redirect = Redirect {
            from: "/old.html".into(),
            file: "old.html".into(),
            source: "new.md".into(),
            title: "New & improved".into(),
            to: "/guides/new.html".into(),
        };
        let html = html(&redirect, &config);
        for expected in [
            "<meta http-equiv=\"refresh\" content=\"0; url=/docs/guides/new.html\">",
            "<link rel=\"canonical\" href=\"https://host/docs/guides/new.html\">",
            "<meta name=\"robots\" content=\"noindex\">",
            "<a href=\"/docs/guides/new.html\">New &amp; improved</a>",
            "location.replace(\"/docs/guides/new.html\" + location.hash)",
        ] {
            assert!(html.contains(expected), "{expected} in {html}");
        }
    }
}

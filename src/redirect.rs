//! Index stage: redirects from old URLs. A page's `redirect_from` front matter lists site paths
//! it used to be published at (`/old/page.html`, `/old/folder/`, as Jekyll's redirect_from plugin
//! writes them); each becomes a small HTML page at that path that sends readers (meta refresh,
//! a link, and a script that keeps the `#fragment`) and search engines (canonical link,
//! `noindex`) to the page. Pure: `plan` checks every path and finds the collisions, `html`
//! writes one redirect page; `build` puts them in the output.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::highlight::escape;
use crate::links;
use crate::page::Page;

/// A redirect page to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The old site path, as written: `/old/page.html`, `/old/folder/`.
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

/// The redirects of `pages` (the published pages, sorted by source) and the problems found:
/// a path that is not site-absolute, and a path whose file is already written by a page, by
/// one of `files` (output path → what writes it, e.g. `static/x.html`), or by an earlier
/// redirect. Redirects with problems are left out.
pub fn plan(
    pages: &[&Page],
    files: impl Fn(&str) -> Option<String>,
) -> (Vec<Redirect>, Vec<Diagnostic>) {
    if pages.iter().all(|p| p.front.redirect_from.is_empty()) {
        return (Vec::new(), Vec::new());
    }
    let page_files: BTreeMap<String, &Page> = pages
        .iter()
        .map(|p| (links::output_file_for_url(&p.url), *p))
        .collect();
    let mut claimed: BTreeMap<String, (&Page, &str)> = BTreeMap::new();
    let mut redirects = Vec::new();
    let mut diagnostics = Vec::new();
    for page in pages {
        let line = page.front.line_of("redirect_from");
        let error = |message: String| {
            Diagnostic::error("redirect", page.file(), message)
                .at(line, u32::from(line > 0))
                .with_source(&page.text, "redirect_from".len())
        };
        for from in &page.front.redirect_from {
            let file = match output_file(from) {
                Ok(file) => file,
                Err(why) => {
                    diagnostics.push(error(format!("redirect_from \"{from}\" {why}")));
                    continue;
                }
            };
            let collision = if let Some(other) = page_files.get(&file) {
                if other.source == page.source {
                    Some("is this page's own URL".to_string())
                } else {
                    Some(format!("collides with the page {}", other.file()))
                }
            } else if let Some(writer) = files(&file) {
                Some(format!("collides with {writer}, also written to {file}"))
            } else if let Some((other, other_from)) = claimed.get(&file) {
                if other.source == page.source {
                    continue; // the same path twice on one page
                }
                Some(format!(
                    "is also claimed by {}:{} (redirect_from \"{other_from}\")",
                    other.file(),
                    other.front.line_of("redirect_from")
                ))
            } else {
                None
            };
            if let Some(collision) = collision {
                diagnostics.push(
                    error(format!("redirect_from \"{from}\" {collision}"))
                        .with_note("a redirect needs an address no page or file uses"),
                );
                continue;
            }
            claimed.insert(file.clone(), (page, from));
            redirects.push(Redirect {
                from: from.clone(),
                file,
                source: page.source.clone(),
                title: page.title.clone(),
                to: page.url.clone(),
            });
        }
    }
    (redirects, diagnostics)
}

/// The output file for a redirect path: `/a/b.html` → `a/b.html`, `/a/` → `a/index.html`, and
/// (as Jekyll does) `/a/b` → the extensionless file `a/b`. `Err` says why the path is refused.
pub fn output_file(from: &str) -> Result<String, &'static str> {
    if links::is_external(from) {
        return Err("must be a site path like /old/page.html, not a URL");
    }
    let Some(path) = from.strip_prefix('/') else {
        return Err("must be a site-absolute path: start it with /");
    };
    if from.contains(['?', '#', '\\']) || from.chars().any(char::is_control) {
        return Err("must be a plain path, without ?query, #fragment or backslashes");
    }
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
    Ok(links::output_file_for_url(from))
}

/// The redirect page for `redirect` in a site configured by `config`: its links honour the
/// base path, and the canonical link is absolute when `base_url` is set.
pub fn html(redirect: &Redirect, config: &Config) -> String {
    let href = format!("{}{}", config.base_path, redirect.to);
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
            ("/a/extensionless", Ok("a/extensionless")),
            (
                "old.html",
                Err("must be a site-absolute path: start it with /"),
            ),
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
        ];
        for (from, expected) in cases {
            assert_eq!(output_file(from).as_deref(), expected.as_deref(), "{from}");
        }
    }

    #[test]
    fn collisions_name_both_sources_and_keep_the_first_claim() {
        let a = page(
            "a.md",
            "redirect_from: [/old.html, /a.html, /b.html, /old.html]\n",
        );
        let b = page(
            "b.md",
            "redirect_from:\n  - /old.html\n  - /robots.txt\n  - /new/\n",
        );
        let files = BTreeMap::from([("robots.txt".to_string(), "the generated robots.txt".into())]);
        let files: BTreeMap<String, String> = files;
        let (redirects, diagnostics) = plan(&[&a, &b], |path| files.get(path).cloned());
        let planned: Vec<_> = redirects
            .iter()
            .map(|r| (r.from.as_str(), r.file.as_str(), r.to.as_str()))
            .collect();
        assert_eq!(
            planned,
            [
                ("/old.html", "old.html", "/a.html"),
                ("/new/", "new/index.html", "/b.html")
            ]
        );
        let headlines: Vec<String> = diagnostics.iter().map(Diagnostic::headline).collect();
        assert_eq!(
            headlines,
            [
                "content/a.md:3:1: redirect_from \"/a.html\" is this page's own URL",
                "content/a.md:3:1: redirect_from \"/b.html\" collides with the page content/b.md",
                "content/b.md:3:1: redirect_from \"/old.html\" is also claimed by content/a.md:3 (redirect_from \"/old.html\")",
                "content/b.md:3:1: redirect_from \"/robots.txt\" collides with the generated robots.txt, also written to robots.txt",
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

//! Check stage for the rendered output: after rendering, every internal URL of every HTML file
//! docgen writes (pages with their theme and templates, the generated home and 404 pages,
//! redirect pages) and every `url()` of the site's CSS is resolved as a browser resolves it and
//! checked against the files of the output and the ids each HTML file holds. Broken ones are
//! blamed where they were written: a template literal once at the template's line (with the
//! number of pages), a front matter value at the page's key, content at the link. Pure: the
//! build and the serve session feed it what they render (`OutputCheck` is kept between rebuilds).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

mod css;
mod report;
mod scan;
mod urls;

pub use css::{CssScan, css_urls};
pub use report::Blame;
pub use scan::{Content, OutRef, Owner, Scanned, TagMemo, template_anchors};
use urls::Located;
pub use urls::SiteUrls;

/// The answers of one verify: (URL, where it is written — the page for `#x`, its folder for
/// another relative URL, "" for a path from the root) → what is wrong with it.
type Answers = HashMap<(Arc<str>, String), Option<Problem>>;

/// Why a URL of the output is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Nothing in the output is at that path.
    Missing,
    /// An absolute path outside the site's base path.
    OutsideBase,
    /// The file exists but has no element with the fragment's id.
    Anchor { file: String, fragment: String },
}

/// A broken URL: the index of the ref (or CSS `url()`) in its file, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub index: usize,
    pub problem: Problem,
}

/// The output as far as links care: its files, its HTML files read, its stylesheets, and what
/// is broken in each. Kept between the rebuilds of `serve`.
#[derive(Debug, Clone, Default)]
pub struct OutputCheck {
    urls: SiteUrls,
    /// Output paths (`a/b.html`, `img/x.png`) of every file written.
    files: HashSet<String>,
    /// HTML files of the output by output path.
    pages: HashMap<String, Scanned>,
    css: HashMap<String, CssScan>,
    /// Output path → its broken URLs (HTML files and stylesheets).
    findings: BTreeMap<String, Vec<Finding>>,
}

impl OutputCheck {
    pub fn new(urls: SiteUrls) -> OutputCheck {
        OutputCheck {
            urls,
            ..OutputCheck::default()
        }
    }

    /// Sets the files the output has (output paths), HTML pages included.
    pub fn set_files(&mut self, files: impl IntoIterator<Item = String>) {
        self.files = files.into_iter().collect();
    }

    pub fn add_file(&mut self, file: String) -> bool {
        self.files.insert(file)
    }

    pub fn remove_file(&mut self, file: &str) -> bool {
        self.pages.remove(file);
        self.css.remove(file);
        self.findings.remove(file);
        self.files.remove(file)
    }

    /// Records an HTML file of the output (not yet checked); whether its ids changed.
    pub fn insert_page(&mut self, file: String, scanned: Scanned) -> bool {
        self.files.insert(file.clone());
        let ids_changed = self
            .pages
            .get(&file)
            .is_none_or(|old| old.ids != scanned.ids);
        self.pages.insert(file, scanned);
        ids_changed
    }

    pub fn insert_css(&mut self, file: String, scan: CssScan) {
        self.files.insert(file.clone());
        self.css.insert(file, scan);
    }

    /// Forgets every stylesheet (before reading them again).
    pub fn clear_css(&mut self) {
        for file in self.css.keys() {
            self.findings.remove(file);
        }
        self.css.clear();
    }

    /// Checks every file again.
    pub fn verify_all(&mut self) {
        let files: Vec<String> = self.pages.keys().chain(self.css.keys()).cloned().collect();
        self.verify(files.iter().map(String::as_str));
    }

    /// Checks the given output files again (HTML files or stylesheets).
    pub fn verify<'a>(&mut self, files: impl IntoIterator<Item = &'a str>) {
        let mut answers = Answers::default();
        for file in files {
            let found = if let Some(page) = self.pages.get(file) {
                self.verify_page(page, &mut answers)
            } else if let Some(css) = self.css.get(file) {
                self.verify_css(css)
            } else {
                Vec::new()
            };
            if found.is_empty() {
                self.findings.remove(file);
            } else {
                self.findings.insert(file.to_string(), found);
            }
        }
    }

    fn verify_page(&self, page: &Scanned, answers: &mut Answers) -> Vec<Finding> {
        let mut found = Vec::new();
        for (index, r) in page.refs.iter().enumerate() {
            // Where a URL leads depends on the page only for `#x` and `?y` (the page itself),
            // on its folder for another relative URL, and not at all for a path from the
            // root: the layout's URLs are answered once per verify.
            let dir = if r.url.starts_with(['#', '?']) {
                page.site_path.as_str()
            } else if r.url.starts_with('/') && !r.url.starts_with("//") {
                ""
            } else {
                crate::links::url_dir(&page.site_path)
            };
            let key = (Arc::clone(&r.url), dir.to_string());
            let problem = match answers.get(&key) {
                Some(known) => known.clone(),
                None => {
                    let answer = self.problem(&page.site_path, &r.url, true);
                    answers.insert(key, answer.clone());
                    answer
                }
            };
            if let Some(problem) = problem {
                found.push(Finding { index, problem });
            }
        }
        found
    }

    fn verify_css(&self, css: &CssScan) -> Vec<Finding> {
        let mut found = Vec::new();
        for (index, (url, _, _)) in css.refs.iter().enumerate() {
            if let Some(problem) = self.problem(&css.site_path, url, false) {
                found.push(Finding { index, problem });
            }
        }
        found
    }

    /// What is wrong with `url` written in the file at `from`, if anything.
    fn problem(&self, from: &str, url: &str, check_fragment: bool) -> Option<Problem> {
        let (path, fragment) = match self.urls.locate(from, url)? {
            Located::OutsideBase => return Some(Problem::OutsideBase),
            Located::Path { path, fragment } => (path, fragment),
        };
        let Some(file) = self.file_at(&path) else {
            return Some(Problem::Missing);
        };
        // `#` and `#top` scroll to the top of any page (HTML standard).
        if !check_fragment || fragment.is_empty() || fragment.eq_ignore_ascii_case("top") {
            return None;
        }
        match self.pages.get(&file) {
            Some(target) if !target.ids.contains(fragment.as_str()) => {
                Some(Problem::Anchor { file, fragment })
            }
            _ => None,
        }
    }

    /// The output file served at a site path: `/a/` is `a/index.html`; an extensionless `/a/b`
    /// is `a/b.html` or `a/b/index.html`, as static hosts serve them.
    fn file_at(&self, path: &str) -> Option<String> {
        let rel = path.trim_start_matches('/');
        if rel.is_empty() || rel.ends_with('/') {
            let file = format!("{rel}index.html");
            return self.files.contains(&file).then_some(file);
        }
        if self.files.contains(rel) {
            return Some(rel.to_string());
        }
        let last = rel.rsplit('/').next().unwrap_or(rel);
        if !last.contains('.') {
            for file in [format!("{rel}.html"), format!("{rel}/index.html")] {
                if self.files.contains(&file) {
                    return Some(file);
                }
            }
        }
        None
    }

    /// The HTML files read, by output path (to carry them into a new check).
    pub fn into_pages(self) -> HashMap<String, Scanned> {
        self.pages
    }

    /// After the last verify of a one-shot run (`build`, `check`): forgets what only a later
    /// verify would read — the pages with nothing broken that no broken anchor names — and
    /// keeps what the report reads (every file, the pages with broken URLs, the ids of the
    /// pages their broken anchors name). Frees most of what the check holds before the rest of
    /// the build (the search index) runs. A serve session keeps everything.
    pub fn keep_for_report(&mut self) {
        let named: HashSet<&str> = (self.findings.values().flatten())
            .filter_map(|f| match &f.problem {
                Problem::Anchor { file, .. } => Some(file.as_str()),
                _ => None,
            })
            .collect();
        let findings = &self.findings;
        self.pages
            .retain(|file, _| findings.contains_key(file) || named.contains(file.as_str()));
        self.pages.shrink_to_fit();
    }

    /// Whether anything is broken.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::report::find_literal;
    use super::*;
    use crate::theme::TemplateFile;
    use crate::wording::thousands;

    fn urls(base: &str) -> SiteUrls {
        SiteUrls {
            base_path: base.into(),
            origin: Some("https://d.example.com".into()),
        }
    }

    fn scan(site_path: &str, html: &str, base: &str) -> Scanned {
        Scanned::new(
            Owner::Page("x.md".into()),
            site_path.into(),
            html,
            None,
            &urls(base),
            &mut TagMemo::default(),
        )
    }

    fn problems(check: &OutputCheck, file: &str) -> Vec<(String, Problem)> {
        let page = &check.pages[file];
        check
            .findings
            .get(file)
            .into_iter()
            .flatten()
            .map(|f| (page.refs[f.index].url.to_string(), f.problem.clone()))
            .collect()
    }

    #[test]
    fn urls_are_resolved_as_a_browser_does() {
        let mut check = OutputCheck::new(urls("/docs"));
        check.set_files(["img/x.png", "b.html", "guide/index.html"].map(String::from));
        let html = "<main id=main><a href=#main></a><a href=\"#nope\"></a><a href=#top></a>\
            <img src=\"/../../docs/img/x.png\"><img src=../img/x.png><a href=/docs/b.html#main>\
            <a href=/other/x.html><a href=https://d.example.com/docs/guide/><a href=/docs/guide>\
            <a href=\"https://elsewhere.org/x\"><a href=\"missing.html\"><a href=\"/docs/b.html?q=1#x\">";
        check.insert_page("a/index.html".into(), scan("/a/", html, "/docs"));
        check.insert_page("b.html".into(), scan("/b.html", "<h2 id=main>", "/docs"));
        check.verify_all();
        assert_eq!(
            problems(&check, "a/index.html"),
            [
                (
                    "#nope".into(),
                    Problem::Anchor {
                        file: "a/index.html".into(),
                        fragment: "nope".into()
                    }
                ),
                ("/other/x.html".into(), Problem::OutsideBase),
                ("missing.html".into(), Problem::Missing),
                (
                    "/docs/b.html?q=1#x".into(),
                    Problem::Anchor {
                        file: "b.html".into(),
                        fragment: "x".into()
                    }
                ),
            ]
        );
        // Removing a file breaks what links to it once checked again.
        check.remove_file("img/x.png");
        check.verify(["a/index.html"]);
        assert_eq!(problems(&check, "a/index.html").len(), 6);
    }

    #[test]
    fn one_url_is_answered_for_where_it_is_written() {
        // The same URLs in pages of one folder and of another, answered once per place: a
        // fragment of the page itself is the page's own, a relative URL its folder's.
        let mut check = OutputCheck::new(urls(""));
        check.set_files(["a/x.html", "a/y.html", "b/z.html", "a/n.html"].map(String::from));
        let html = "<a href=\"?q=1#own\"><a href=n.html><a href=/a/n.html#own>";
        check.insert_page("a/x.html".into(), scan("/a/x.html", html, ""));
        check.insert_page(
            "a/y.html".into(),
            scan("/a/y.html", &format!("<i id=own>{html}"), ""),
        );
        check.insert_page("b/z.html".into(), scan("/b/z.html", html, ""));
        check.insert_page("a/n.html".into(), scan("/a/n.html", "<i id=own>", ""));
        check.verify_all();
        let urls_of = |file: &str| -> Vec<String> {
            problems(&check, file)
                .into_iter()
                .map(|(url, _)| url)
                .collect()
        };
        assert_eq!(urls_of("a/x.html"), ["?q=1#own"]);
        assert!(urls_of("a/y.html").is_empty());
        assert_eq!(urls_of("b/z.html"), ["?q=1#own", "n.html"]);
    }

    #[test]
    fn a_one_shot_check_keeps_what_its_report_reads() {
        let mut check = OutputCheck::new(urls(""));
        check.set_files(["a.html", "b.html", "c.html"].map(String::from));
        check.insert_page("a.html".into(), scan("/a.html", "<a href=b.html#x>", ""));
        check.insert_page("b.html".into(), scan("/b.html", "<h2 id=y>", ""));
        check.insert_page("c.html".into(), scan("/c.html", "<a href=a.html>", ""));
        check.verify_all();
        let before = problems(&check, "a.html");
        check.keep_for_report();
        let mut kept: Vec<&String> = check.pages.keys().collect();
        kept.sort();
        // a.html has the broken anchor, b.html is the page it names; c.html is not needed.
        assert_eq!(kept, ["a.html", "b.html"]);
        assert_eq!(problems(&check, "a.html"), before);
        assert!(
            check.files.contains("c.html"),
            "links are still found missing or not"
        );
    }

    #[test]
    fn css_urls_outside_comments_and_strings() {
        let css = "/* url(no.png) */\n.a { background: url( \"img/a.png\" ) }\n\
                   .b{background:URL(img/b.svg#icon)} .c { content: \"url(x)\" }\n\
                   @import 'base.css';\n.d { mask: url(data:image/svg+xml;x) } .e{x:my-url(z)}";
        let found: Vec<(String, u32, u32)> = css_urls(css);
        assert_eq!(
            found,
            [
                ("img/a.png".to_string(), 2, 24),
                ("img/b.svg#icon".to_string(), 3, 19),
                ("base.css".to_string(), 4, 10),
            ]
        );
    }

    #[test]
    fn template_literals_are_found_at_their_line() {
        let templates = [TemplateFile {
            name: "base.html".into(),
            text: "<a href=\"/about.html\">\n<img src=\"{{ site.base_path }}/logo.svg\">".into(),
            origin: "templates/base.html".into(),
        }];
        let u = urls("/docs");
        let found = find_literal(&templates, "/about.html", &u).unwrap();
        assert_eq!(
            (found.0.as_str(), found.1, found.2),
            ("templates/base.html", 1, 10)
        );
        let found = find_literal(&templates, "/docs/logo.svg", &u).unwrap();
        assert_eq!((found.1, found.2), (2, 31));
        assert!(find_literal(&templates, "/elsewhere.html", &u).is_none());
        assert_eq!(thousands(1399), "1,399");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}

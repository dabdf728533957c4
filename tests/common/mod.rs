//! A small site in a temp folder, built with the library, with helpers to read what it wrote.
//! Chains read like the feature list: `TestSite::new().page(..).build().html(..)`.
// Each test file uses only some of these helpers.
#![allow(dead_code)]

pub mod browser;
pub mod live;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::rc::Rc;
use std::time::{Duration, Instant};

use docgen::build::{self, BuildOptions, BuildReport};
use docgen::config::Overrides;
use docgen::highlight::Highlighter;

pub struct TestSite {
    /// Shared with every `Built`, so the files outlive a chained `TestSite::new()…build()`.
    dir: Rc<tempfile::TempDir>,
}

pub struct Built {
    pub report: BuildReport,
    pub out: PathBuf,
    _site: Rc<tempfile::TempDir>,
}

/// Front matter for a guide of element `heading` at `order`.
pub fn guide(heading: &str, title: &str, order: i64, body: &str) -> String {
    format!(
        "---\nheading: {heading}\ntitle: {title}\nlayout: sidebarelementdoc\nbreadcrumbs: /elements.html\n\
         parent: Back to Element Guides\norder: {order}\n---\n{body}"
    )
}

impl Default for TestSite {
    fn default() -> Self {
        Self::new()
    }
}

impl TestSite {
    /// A site with a `docgen.toml` (base_url https://docs.example.com) and nothing else.
    pub fn new() -> Self {
        let site = TestSite {
            dir: Rc::new(tempfile::tempdir().expect("temp dir")),
        };
        site.file(
            "docgen.toml",
            "title = \"Test Docs\"\nbase_url = \"https://docs.example.com\"\n",
        )
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `rel` below the site root.
    pub fn file(self, rel: &str, text: &str) -> Self {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(self, rel: &str, bytes: &[u8]) -> Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// Writes `content/<rel>`.
    pub fn page(self, rel: &str, text: &str) -> Self {
        self.file(&format!("content/{rel}"), text)
    }

    pub fn remove(self, rel: &str) -> Self {
        std::fs::remove_file(self.root().join(rel)).unwrap();
        self
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn build(&self) -> Built {
        self.build_with(Overrides::default())
    }

    pub fn build_with(&self, overrides: Overrides) -> Built {
        let options = BuildOptions {
            root: self.root().to_path_buf(),
            output: None,
            overrides,
        };
        let report = build::build(&options, &Highlighter::new()).expect("the build runs");
        Built {
            report,
            out: self.output(),
            _site: Rc::clone(&self.dir),
        }
    }

    /// Runs the `docgen` binary in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        Self::run_in(self.root(), args)
    }

    /// Runs the `docgen` binary in `dir`.
    pub fn run_in(dir: &Path, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_docgen"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .output()
            .expect("docgen runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Built {
    /// The text of an output file; panics with the build's diagnostics when it is missing.
    pub fn html(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| {
            panic!(
                "{rel} was not written ({e}); {}; diagnostics:\n{}",
                self.report.summary(),
                self.diagnostics_text()
            )
        })
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).exists()
    }

    /// Every diagnostic in its one-line form.
    pub fn headlines(&self) -> Vec<String> {
        self.report
            .diagnostics
            .iter()
            .map(|d| d.headline())
            .collect()
    }

    pub fn diagnostics_text(&self) -> String {
        self.report
            .diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    /// Asserts the build found nothing to report.
    pub fn clean(self) -> Self {
        assert!(
            self.report.diagnostics.is_empty(),
            "expected a clean build, got:\n{}",
            self.diagnostics_text()
        );
        self
    }

    /// Asserts one of the diagnostics' headlines is exactly `headline`.
    pub fn reports(&self, headline: &str) -> &Self {
        assert!(
            self.headlines().iter().any(|h| h == headline),
            "expected `{headline}` among:\n{}",
            self.headlines().join("\n")
        );
        self
    }
}

/// The `href`s of every `<a>` inside the element with `class="{class}"`… kept simple: the hrefs
/// of all links in `html` in order.
pub fn hrefs(html: &str) -> Vec<String> {
    html.match_indices("href=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// The text between `start` and the next `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found in:\n{html}"))
        + start.len();
    let to = html[from..].find(end).map_or(html.len(), |i| from + i);
    &html[from..to]
}

/// Every file below `dir`, by relative path, with its bytes.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Asserts two folders hold the same files with the same bytes, naming the first difference.
pub fn assert_same_files(left: &Path, right: &Path, what: &str) {
    let (left, right) = (snapshot(left), snapshot(right));
    let names =
        |m: &std::collections::BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&left), names(&right), "{what}: the files differ");
    for (name, bytes) in &left {
        assert!(
            bytes == &right[name],
            "{what}: {name} differs:\n--- left\n{}\n--- right\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&right[name])
        );
    }
}

/// The headless Chromium binary (Debian's `chromium`), if installed.
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// The flags every headless Chromium run in the tests starts with (a fresh `--user-data-dir`
/// is added by each test).
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
];

/// Stops a `docgen serve` child as Ctrl-C does, so it removes its temporary folder (a killed
/// preview leaves its whole built site in the system temp folder); kills it only if it does not
/// stop within 10 s.
pub fn stop(child: &mut Child) {
    // Only a child not yet reaped is signalled: its pid cannot have been reused.
    #[cfg(unix)]
    if let Ok(None) = child.try_wait() {
        let pid = child.id().to_string();
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

//! A live session (`serve --watch`'s engine) over a `TestSite`, and the drift check: after any
//! sequence of incremental rebuilds, the session's output folder and diagnostics must equal a
//! clean `build` of the same tree into a fresh folder.
//!
//! This is the one place the tests call the session's API (`Session::open`, `apply`,
//! `diagnostics`), so a move of that API is an edit here only.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use docgen::build::{BuildOptions, build};
use docgen::config::Overrides;
use docgen::highlight::Highlighter;
use docgen::session::{Change, Rebuild, Session};

use super::{TestSite, snapshot};

/// docgen's marker in an output folder. It legitimately differs: a build's lists every file it
/// wrote with its hash (`State::Built`), a preview's says the whole folder is docgen's
/// (`State::Live`) and lists nothing. Every other file must be byte-identical.
const MARKER: &str = ".docgen-output";

pub struct Live {
    pub site: TestSite,
    overrides: Overrides,
    /// `None` after a rebuild failed to run (an invalid `docgen.toml`): the next change loads
    /// the site afresh, as `serve` does.
    session: Option<Session>,
    out: tempfile::TempDir,
    highlighter: Highlighter,
}

/// How a session compared with a clean build.
#[derive(Debug, Default)]
pub struct Comparison {
    /// Whether the output folders were compared: a build whose checks find errors writes
    /// nothing, so then only the diagnostics are.
    pub output_compared: bool,
    /// What differs, ready to print; `None` when nothing does.
    pub drift: Option<String>,
}

impl Live {
    pub fn open(site: TestSite) -> (Live, Rebuild) {
        Self::open_with(site, Overrides::default())
    }

    pub fn open_with(site: TestSite, overrides: Overrides) -> (Live, Rebuild) {
        let out = tempfile::tempdir().unwrap();
        let highlighter = Highlighter::new();
        let (session, rebuild) =
            Session::open(site.root(), overrides.clone(), out.path(), &highlighter)
                .expect("the session opens");
        let live = Live {
            site,
            overrides,
            session: Some(session),
            out,
            highlighter,
        };
        (live, rebuild)
    }

    pub fn root(&self) -> &Path {
        self.site.root()
    }

    pub fn output(&self) -> &Path {
        self.out.path()
    }

    /// Writes `rel` (below the site root) and applies the change.
    pub fn write(&mut self, rel: &str, text: &str) -> Rebuild {
        write_file(self.root(), rel, text);
        self.apply_paths(&[rel]).expect("the rebuild runs")
    }

    /// Removes `rel` and applies the change.
    pub fn delete(&mut self, rel: &str) -> Rebuild {
        std::fs::remove_file(self.root().join(rel)).unwrap();
        self.apply_paths(&[rel]).expect("the rebuild runs")
    }

    /// Applies the changes of the files `rels` (below the site root), each mapped as the watcher
    /// maps it (see `change_for`).
    pub fn apply_paths(&mut self, rels: &[&str]) -> docgen::error::Result<Rebuild> {
        let changes: Vec<Change> = rels.iter().map(|rel| self.change_for(rel)).collect();
        self.apply(&changes)
    }

    /// Applies `changes`; after a failure to run, the session is dropped and the next call loads
    /// the site afresh, as `serve` does.
    pub fn apply(&mut self, changes: &[Change]) -> docgen::error::Result<Rebuild> {
        let result = match &mut self.session {
            Some(session) => session.apply(changes, &self.highlighter),
            None => Session::open(
                self.site.root(),
                self.overrides.clone(),
                self.out.path(),
                &self.highlighter,
            )
            .map(|(session, rebuild)| {
                self.session = Some(session);
                rebuild
            }),
        };
        if result.is_err() {
            self.session = None;
        }
        result
    }

    /// The change the watcher reports for the file `rel` (below the site root).
    pub fn change_for(&self, rel: &str) -> Change {
        if rel == "docgen.toml" {
            Change::Config
        } else if rel.starts_with("templates/") || rel.starts_with("themes/") {
            Change::Theme
        } else if rel.starts_with("includes/") || rel.starts_with("data/") {
            Change::Templating(rel.to_string())
        } else if let Some(path) = rel.strip_prefix("content/") {
            if path.ends_with(".md") {
                Change::Page(path.to_string())
            } else {
                Change::ContentFile(path.to_string())
            }
        } else if let Some(path) = rel.strip_prefix("static/") {
            Change::StaticFile(path.to_string())
        } else {
            panic!("{rel} is no file of a site")
        }
    }

    /// The text of an output file of the session.
    pub fn html(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.path().join(rel))
            .unwrap_or_else(|e| panic!("{rel} is not in the session's output: {e}"))
    }

    /// The session's current diagnostics (none when it is not loaded).
    pub fn diagnostics(&self) -> Vec<docgen::diagnostic::Diagnostic> {
        self.session
            .as_ref()
            .map(Session::diagnostics)
            .unwrap_or_default()
    }

    /// Compares the session with a clean `build` of the tree as it is now, into a fresh folder:
    /// every output file's bytes (when the build writes) and the diagnostics' exact text.
    pub fn compare_with_build(&self) -> Comparison {
        let fresh = tempfile::tempdir().unwrap();
        let options = BuildOptions {
            root: self.root().to_path_buf(),
            output: Some(fresh.path().join("site")),
            overrides: self.overrides.clone(),
        };
        let mut drift = String::new();
        let report = match (build(&options, &self.highlighter), &self.session) {
            (Ok(report), Some(_)) => report,
            (Err(_), None) => return Comparison::default(),
            (Ok(_), None) => {
                return Comparison {
                    output_compared: false,
                    drift: Some("the session failed to load the site, the build ran".into()),
                };
            }
            (Err(e), Some(_)) => {
                return Comparison {
                    output_compared: false,
                    drift: Some(format!("the build failed to run ({e}), the session runs")),
                };
            }
        };
        let built: Vec<String> = sorted_text(report.diagnostics.iter().map(|d| d.to_string()));
        let live: Vec<String> = sorted_text(self.diagnostics().iter().map(|d| d.to_string()));
        if built != live {
            let only = |a: &[String], b: &[String]| -> String {
                let lines: String = a
                    .iter()
                    .filter(|d| !b.contains(d))
                    .map(|d| format!("  {}\n", d.trim_end().replace('\n', "\n  ")))
                    .collect();
                match lines.is_empty() {
                    true => "  (none)\n".into(),
                    false => lines,
                }
            };
            let _ = write!(
                drift,
                "diagnostics differ\n- only from build:\n{}+ only from the session:\n{}",
                only(&built, &live),
                only(&live, &built)
            );
        }
        let output_compared = report.output.is_some();
        if let Some(built_dir) = &report.output {
            if let Some(files) = compare_folders(built_dir, self.out.path()) {
                drift.push_str(&files);
            }
        }
        Comparison {
            output_compared,
            drift: (!drift.is_empty()).then_some(drift),
        }
    }

    /// Asserts the session equals a clean build of the current tree — diagnostics and output;
    /// the tree must build (no errors), or there is no output to compare.
    pub fn assert_matches_build(&self) {
        let comparison = self.compare_with_build();
        if let Some(drift) = &comparison.drift {
            panic!("the session drifted from a clean build:\n{drift}");
        }
        assert!(
            comparison.output_compared,
            "the tree has errors, so `build` wrote nothing to compare the output with; \
             use assert_matches_check, or make the problem a warning"
        );
    }

    /// Asserts the session reports exactly what a clean build reports, for a tree with errors
    /// (which `build` does not write).
    pub fn assert_matches_check(&self) {
        let comparison = self.compare_with_build();
        if let Some(drift) = &comparison.drift {
            panic!("the session drifted from a clean build:\n{drift}");
        }
        assert!(
            !comparison.output_compared,
            "the tree builds: use assert_matches_build, which compares the output too"
        );
    }
}

fn sorted_text(texts: impl Iterator<Item = String>) -> Vec<String> {
    let mut texts: Vec<String> = texts.collect();
    texts.sort();
    texts
}

/// Writes `rel` below `root`, creating its folder.
pub fn write_file(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// What differs between a build's output folder and the session's, or `None`: the files only
/// in one, those whose bytes differ, and a diff of the first of those.
fn compare_folders(built: &Path, live: &Path) -> Option<String> {
    let files = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        let mut files = snapshot(dir);
        files.remove(MARKER);
        files
    };
    let (built, live) = (files(built), files(live));
    let only_built: Vec<&String> = built.keys().filter(|f| !live.contains_key(*f)).collect();
    let only_live: Vec<&String> = live.keys().filter(|f| !built.contains_key(*f)).collect();
    let differing: Vec<&String> = built
        .iter()
        .filter(|(f, bytes)| live.get(*f).is_some_and(|l| l != *bytes))
        .map(|(f, _)| f)
        .collect();
    if only_built.is_empty() && only_live.is_empty() && differing.is_empty() {
        return None;
    }
    let list = |files: &[&String]| -> String {
        files.iter().map(|f| format!("  {f}\n")).collect::<String>()
    };
    let mut text = format!(
        "output differs\n- only from build:\n{}+ only from the session:\n{}~ different bytes:\n{}",
        list(&only_built),
        list(&only_live),
        list(&differing)
    );
    for first in differing.iter().take(3) {
        let (b, l) = (
            String::from_utf8_lossy(&built[*first]),
            String::from_utf8_lossy(&live[*first]),
        );
        let diff = similar::TextDiff::from_lines(b.as_ref(), l.as_ref())
            .unified_diff()
            .context_radius(2)
            .header(&format!("build/{first}"), &format!("session/{first}"))
            .to_string();
        // A minified file is one long line: keep the message readable.
        let shown: String = diff.lines().take(60).collect::<Vec<_>>().join("\n");
        let mut shown: String = shown.chars().take(6000).collect();
        if shown.len() < diff.len() {
            shown.push_str("\n…");
        }
        let _ = writeln!(text, "{shown}");
    }
    Some(text)
}

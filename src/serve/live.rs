//! The site being served: loads it or applies a batch of changes to its session, prints the
//! outcome through the diagnostic printer, and turns a failure to run into diagnostics the
//! preview can show.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use crate::change::Change;
use crate::config::{CONFIG_FILE, Overrides};
use crate::diagnostic::{ColorChoice, Diagnostic, Format, Printer, Shown};
use crate::error::Error;
use crate::highlight::Highlighter;
use crate::session::{Rebuild, Session};
use crate::source;
use crate::wording::count;

use super::reload::Update;

/// What open pages should do after `rebuild`.
pub(super) fn update(rebuild: &Rebuild) -> Update {
    if rebuild.written.is_empty() && rebuild.removed.is_empty() {
        Update::Nothing
    } else if rebuild.only_css() {
        Update::Css(rebuild.written.clone())
    } else {
        Update::Files
    }
}

/// The site being served, and what the terminal was last told about it.
pub(super) struct Live<'a> {
    pub(super) root: PathBuf,
    pub(super) output: PathBuf,
    pub(super) overrides: Overrides,
    pub(super) highlighter: &'a Highlighter,
    /// `None` before the first build and after a failure to run: the next rebuild loads the
    /// site afresh.
    pub(super) session: Option<Session>,
    /// The diagnostics already printed, so each rebuild prints only new ones.
    pub(super) shown: Shown,
    pub(super) errors: usize,
}

/// Why a rebuild did not happen.
pub(super) enum Failure {
    /// A failure to run (`Error`): an invalid `docgen.toml`, a missing theme, an I/O error.
    Run(Error),
    /// A bug in docgen: the session may be half updated.
    Panic,
}

impl Failure {
    /// The failure, shown like a problem in content.
    fn diagnostics(self, root: &Path) -> Vec<Diagnostic> {
        match self {
            Failure::Run(Error::Config(diagnostics)) => diagnostics,
            Failure::Run(Error::Usage(message)) => {
                vec![Diagnostic::error("serve", CONFIG_FILE, message)]
            }
            Failure::Run(Error::Io { path, source }) => vec![Diagnostic::error(
                "io",
                source::relative(root, &path),
                source.to_string(),
            )],
            Failure::Panic => vec![Diagnostic::error(
                "serve",
                "docgen",
                "the rebuild stopped on an internal error (a bug in docgen); the site is loaded \
                 afresh on the next change",
            )],
        }
    }
}

impl Live<'_> {
    /// Applies `changes`, or loads the site when it is not loaded, and prints the outcome. After
    /// a failure the session is dropped, so the next rebuild loads the site afresh.
    pub(super) fn rebuild(&mut self, changes: &[Change]) -> std::result::Result<Rebuild, Failure> {
        let loading = self.session.is_none();
        let rebuild = self.guarded(|live| {
            fail_for_tests(&live.root);
            match &mut live.session {
                // The search index follows in `update_search`, once the pages reload.
                Some(session) => session.apply_pages(changes, live.highlighter),
                None => Session::open(
                    &live.root,
                    live.overrides.clone(),
                    &live.output,
                    live.highlighter,
                )
                .map(|(session, rebuild)| {
                    live.session = Some(session);
                    rebuild
                }),
            }
        })?;
        self.print(&rebuild.diagnostics);
        let problems = self.problems(&rebuild.diagnostics);
        let ms = rebuild.elapsed.as_millis();
        let pages = count(rebuild.rendered, "page", "pages");
        if loading {
            say!("Built {pages} in {ms} ms — {problems}");
        } else {
            let files = rebuild.written.len() + rebuild.removed.len();
            say!(
                "Rebuilt {} in {ms} ms: {pages} rendered, {} changed — {problems}",
                describe(changes),
                count(files, "file", "files"),
            );
        }
        Ok(rebuild)
    }

    /// Brings the search index up to date after a rebuild the open pages were told about.
    /// A failure is shown like a failed rebuild (the next change loads the site afresh).
    pub(super) fn update_search(&mut self) -> std::result::Result<(), Failure> {
        self.guarded(|live| match &mut live.session {
            Some(session) => session.update_search().map(drop),
            None => Ok(()),
        })
    }

    /// Runs `step`, turning an error or a panic into a `Failure`. After a failure the session
    /// may be half updated, so it is dropped: the next rebuild loads the site afresh.
    fn guarded<T>(
        &mut self,
        step: impl FnOnce(&mut Self) -> crate::error::Result<T>,
    ) -> std::result::Result<T, Failure> {
        let failure = match panic::catch_unwind(AssertUnwindSafe(|| step(self))) {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(error)) => Failure::Run(error),
            // The panic message is already printed.
            Err(_) => Failure::Panic,
        };
        self.session = None;
        Err(failure)
    }

    /// Prints a failure to rebuild and returns its diagnostics.
    pub(super) fn failed(&mut self, failure: Failure) -> Vec<Diagnostic> {
        let diagnostics = failure.diagnostics(&self.root);
        self.print(&diagnostics);
        say!(
            "The site cannot be built — {}; fix it and save again (the preview keeps the files \
             already written)",
            self.problems(&diagnostics)
        );
        diagnostics
    }

    /// Prints the diagnostics not printed after the previous rebuild.
    fn print(&mut self, diagnostics: &[Diagnostic]) {
        let printer = Printer::new(Format::Human, ColorChoice::Auto);
        let _ = printer.print_new(diagnostics, &mut self.shown);
    }

    /// `0 warnings, 2 errors`, and a word when the errors are all fixed.
    fn problems(&mut self, diagnostics: &[Diagnostic]) -> String {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        let mut text = format!(
            "{}, {}",
            count(warnings, "warning", "warnings"),
            count(errors, "error", "errors")
        );
        if errors == 0 && self.errors > 0 {
            text.push_str(" (all fixed)");
        }
        self.errors = errors;
        text
    }
}

/// Debug builds only: a rebuild panics, like a bug in docgen would, while the file named by
/// `DOCGEN_TEST_FAIL_WHILE` exists below the site root — so tests can check that the preview
/// recovers when the page that broke the rebuild is removed. Release builds have no such hook.
fn fail_for_tests(root: &Path) {
    #[cfg(debug_assertions)]
    if let Some(rel) = std::env::var_os("DOCGEN_TEST_FAIL_WHILE")
        && root.join(&rel).exists()
    {
        panic!(
            "DOCGEN_TEST_FAIL_WHILE: {} exists",
            Path::new(&rel).display()
        );
    }
    #[cfg(not(debug_assertions))]
    let _ = root;
}

/// `content/a.md`, `content/a.md and 3 more`, `the whole site`.
fn describe(changes: &[Change]) -> String {
    let name = |change: &Change| match change {
        Change::Page(p) | Change::ContentFile(p) => format!("content/{p}"),
        Change::StaticFile(p) => format!("static/{p}"),
        Change::Templating(p) => p.clone(),
        Change::Theme => "the theme".to_string(),
        Change::Config => "the whole site".to_string(),
    };
    match changes {
        [] => "the site".to_string(),
        [one] => name(one),
        [first, rest @ ..] => format!("{} and {} more", name(first), rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn changes_are_described_briefly() {
        assert_eq!(describe(&[Change::Page("a.md".into())]), "content/a.md");
        assert_eq!(
            describe(&[
                Change::Page("a.md".into()),
                Change::StaticFile("x.css".into()),
                Change::StaticFile("y.css".into())
            ]),
            "content/a.md and 2 more"
        );
        assert_eq!(describe(&[Change::Config]), "the whole site");
    }
}

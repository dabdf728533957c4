//! `docgen serve`: builds the site into a temporary folder, serves it, and with `--watch`
//! rebuilds what each change touches and tells the open pages to reload.
//!
//! The flow, on top of `session::Session` (the incremental build):
//! 1. bind the port (a port in use fails at once), start watching, build the site into a fresh
//!    temporary folder (never the site's `public/`);
//! 2. `http` answers requests from worker threads, reading the output folder and the
//!    `reload::Hub`;
//! 3. `watch` turns file events into batches of `Change`s; this thread owns the `Session`,
//!    applies each batch, prints what happened and publishes the outcome to the hub, which
//!    answers the pages waiting for news;
//! 4. Ctrl-C (or SIGTERM) ends the loop; the server stops and the temporary folder is removed.
//!
//! A broken edit never stops the server. Problems in content are diagnostics, as in any build;
//! a failure to run (an invalid `docgen.toml`, a theme that is gone) is shown the same way, and
//! the site is loaded afresh on the next change.

pub mod guard;
pub mod http;
pub mod reload;
pub mod watch;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use crate::change::Change;
use crate::config::{CONFIG_FILE, Config, Overrides};
use crate::diagnostic::{ColorChoice, Diagnostic, Format, Printer, Shown};
use crate::error::{Error, Result, fs};
use crate::highlight::Highlighter;
use crate::session::{Rebuild, Session};
use crate::source;

use crate::wording::count;
use reload::{Hub, Update};
use watch::{Area, Signal, Watcher};

/// A burst of file events ends after this long without one. Editors save in a few
/// milliseconds; this keeps save → reload well under 100 ms.
const QUIET: Duration = Duration::from_millis(30);
/// A burst that goes on longer (a large `git checkout`) is applied in steps of this long.
const MAX_WAIT: Duration = Duration::from_secs(1);

/// The options of `docgen serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The folder holding `docgen.toml`.
    pub root: PathBuf,
    /// The address to listen on; loopback unless asked otherwise.
    pub interface: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Rebuild on changes and reload open pages.
    pub watch: bool,
    /// Open the site in the default browser.
    pub open: bool,
    pub drafts: bool,
}

/// Serves the site until Ctrl-C (or SIGTERM).
pub fn run(options: &ServeOptions, highlighter: &Highlighter) -> Result<()> {
    // Fail on a missing docgen.toml at once (an invalid one can be fixed while serving).
    match Config::load(&options.root, &Overrides::default()) {
        Err(Error::Config(_)) if options.watch => {}
        Err(error) => return Err(error),
        Ok(_) => {}
    }
    let root = fs::canonicalize(&options.root)?;
    let (signals, receiver) = mpsc::channel();
    stop_on_interrupt(signals.clone())?;

    let server = http::bind(SocketAddr::new(options.interface, options.port))?;
    let url = site_url(server.addr());
    if !options.interface.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines that can reach this one can read the preview",
            options.interface
        );
    }
    let mut watcher = match options.watch {
        true => Some(Watcher::start(&root, signals)?),
        false => None,
    };
    let output = tempfile::Builder::new()
        .prefix("docgen-serve-")
        .tempdir()
        .map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let mut live = Live {
        root: root.clone(),
        output: fs::canonicalize(output.path())?,
        overrides: Overrides {
            base_url: Some(url.trim_end_matches('/').to_string()),
            drafts: options.drafts,
        },
        highlighter,
        session: None,
        shown: Shown::default(),
        errors: 0,
    };
    eprintln!(
        "Building {} into {} (removed on exit)",
        root.display(),
        live.output.display()
    );
    let diagnostics = match live.rebuild(&[]) {
        Ok(rebuild) => rebuild.diagnostics,
        Err(Failure::Run(error)) if !options.watch => return Err(error),
        Err(failure) => live.failed(failure),
    };
    let hub = Arc::new(Hub::new(&diagnostics));
    let running = server.start(http::Preview {
        root: live.output.clone(),
        hub: Arc::clone(&hub),
    });
    println!("Serving {url}");
    if let Some(watcher) = &watcher {
        let mut folders: Vec<String> = watcher.watched().iter().map(|f| format!("{f}/")).collect();
        folders.push(CONFIG_FILE.to_string());
        println!(
            "Watching {} for changes — Ctrl-C to stop",
            folders.join(", ")
        );
    } else {
        println!("Ctrl-C to stop");
    }
    if options.open
        && let Err(e) = opener::open(&url)
    {
        eprintln!("warning: cannot open a browser: {e}");
    }

    follow(&receiver, watcher.as_mut(), &mut live, &hub);

    running.stop();
    drop(watcher);
    let _ = output.close();
    println!("Stopped.");
    Ok(())
}

/// Rebuilds after each burst of file events, and publishes the outcome, until a stop.
fn follow(
    signals: &Receiver<Signal>,
    mut watcher: Option<&mut Watcher>,
    live: &mut Live,
    hub: &Hub,
) {
    while let Ok(signal) = signals.recv() {
        if signal == Signal::Stop {
            return;
        }
        let batch = watch::debounce(signals, signal, QUIET, MAX_WAIT);
        for error in &batch.errors {
            eprintln!("warning: watching for changes: {error}");
        }
        if batch.stop {
            return;
        }
        if let Some(watcher) = watcher.as_deref_mut() {
            watcher.refresh(&batch.moved);
        }
        let tree = SiteTree {
            root: &live.root,
            session: live.session.as_ref(),
        };
        let mut changes = watch::changes(&live.root, &batch, &tree);
        if live.session.is_none() && changes.is_empty() && watch::touches_site(&live.root, &batch) {
            // Not loaded (the last rebuild failed): removing the file that broke it is a change.
            changes = vec![Change::Config];
        }
        if changes.is_empty() {
            continue;
        }
        match live.rebuild(&changes) {
            Ok(rebuild) => hub.publish(update(&rebuild), &rebuild.diagnostics),
            Err(failure) => hub.publish(Update::Nothing, &live.failed(failure)),
        };
    }
}

/// Sends `Signal::Stop` on Ctrl-C or SIGTERM. The `ctrlc` crate does the platform part
/// (sigaction, console handlers); the handler only sends a message, so the serve loop stops
/// between rebuilds and cleans up.
fn stop_on_interrupt(signals: Sender<Signal>) -> Result<()> {
    let asked = AtomicBool::new(false);
    ctrlc::set_handler(move || {
        if asked.swap(true, Ordering::SeqCst) {
            // A second Ctrl-C while a long rebuild finishes: stop now.
            std::process::exit(130);
        }
        let _ = signals.send(Signal::Stop);
    })
    .map_err(|e| Error::io("Ctrl-C handler", std::io::Error::other(e.to_string())))
}

/// The URL pages are served at. An unspecified interface (`0.0.0.0`) listens on loopback too.
pub fn site_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// What open pages should do after `rebuild`.
fn update(rebuild: &Rebuild) -> Update {
    if rebuild.written.is_empty() && rebuild.removed.is_empty() {
        Update::Nothing
    } else if rebuild.only_css() {
        Update::Css(rebuild.written.clone())
    } else {
        Update::Files
    }
}

/// The site being served, and what the terminal was last told about it.
struct Live<'a> {
    root: PathBuf,
    output: PathBuf,
    overrides: Overrides,
    highlighter: &'a Highlighter,
    /// `None` before the first build and after a failure to run: the next rebuild loads the
    /// site afresh.
    session: Option<Session>,
    /// The diagnostics already printed, so each rebuild prints only new ones.
    shown: Shown,
    errors: usize,
}

/// Why a rebuild did not happen.
enum Failure {
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
    fn rebuild(&mut self, changes: &[Change]) -> std::result::Result<Rebuild, Failure> {
        let loading = self.session.is_none();
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            fail_for_tests(&self.root);
            match &mut self.session {
                Some(session) => session.apply(changes, self.highlighter),
                None => Session::open(
                    &self.root,
                    self.overrides.clone(),
                    &self.output,
                    self.highlighter,
                )
                .map(|(session, rebuild)| {
                    self.session = Some(session);
                    rebuild
                }),
            }
        }));
        let failure = match result {
            Ok(Ok(rebuild)) => {
                self.print(&rebuild.diagnostics);
                let problems = self.problems(&rebuild.diagnostics);
                let ms = rebuild.elapsed.as_millis();
                let pages = count(rebuild.rendered, "page", "pages");
                if loading {
                    println!("Built {pages} in {ms} ms — {problems}");
                } else {
                    let files = rebuild.written.len() + rebuild.removed.len();
                    println!(
                        "Rebuilt {} in {ms} ms: {pages} rendered, {} changed — {problems}",
                        describe(changes),
                        count(files, "file", "files"),
                    );
                }
                return Ok(rebuild);
            }
            Ok(Err(error)) => Failure::Run(error),
            // The panic message is already printed.
            Err(_) => Failure::Panic,
        };
        self.session = None;
        Err(failure)
    }

    /// Prints a failure to rebuild and returns its diagnostics.
    fn failed(&mut self, failure: Failure) -> Vec<Diagnostic> {
        let diagnostics = failure.diagnostics(&self.root);
        self.print(&diagnostics);
        println!(
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

/// The files of the site, on disk now and as last loaded, for expanding folder events.
struct SiteTree<'a> {
    root: &'a Path,
    session: Option<&'a Session>,
}

impl SiteTree<'_> {
    /// The site's files in `area` as last loaded, relative to the area's folder. For `includes/`
    /// and `data/`, those the pages' templating used.
    fn known(&self, area: Area) -> Vec<&str> {
        let Some(session) = self.session else {
            return Vec::new();
        };
        let site = session.site();
        match area {
            Area::Content => site
                .pages()
                .iter()
                .map(|p| p.source.as_str())
                .chain(site.assets().iter().map(String::as_str))
                .collect(),
            Area::Static => site.static_files().iter().map(String::as_str).collect(),
            Area::Includes | Area::Data => {
                let prefix = format!("{}/", area.folder());
                let mut used: Vec<&str> = site
                    .pages()
                    .iter()
                    .flat_map(|p| &p.dependencies)
                    .filter_map(|d| d.strip_prefix(prefix.as_str()))
                    .collect();
                used.sort_unstable();
                used.dedup();
                used
            }
        }
    }
}

impl watch::Tree for SiteTree<'_> {
    fn has(&self, area: Area, rel: &str) -> bool {
        if self.root.join(area.folder()).join(rel).is_file() {
            return true;
        }
        let Some(session) = self.session else {
            return false;
        };
        // The site's lists are sorted: a removal in a large checkout stays cheap.
        let site = session.site();
        let listed = |files: &[String]| files.binary_search_by(|f| f.as_str().cmp(rel)).is_ok();
        match area {
            Area::Content => site.page(rel).is_some() || listed(site.assets()),
            Area::Static => listed(site.static_files()),
            Area::Includes | Area::Data => self.known(area).contains(&rel),
        }
    }

    fn files_below(&self, area: Area, rel: &str) -> Vec<String> {
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        let folder = self.root.join(area.folder()).join(rel);
        let on_disk = source::list_files(&folder).unwrap_or_default();
        let mut files: Vec<String> = on_disk
            .into_iter()
            .map(|f| format!("{prefix}{f}"))
            .collect();
        files.extend(
            self.known(area)
                .into_iter()
                .filter(|f| f.starts_with(&prefix))
                .map(str::to_string),
        );
        files.sort();
        files.dedup();
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_a_reachable_address() {
        for (addr, url) in [
            ("127.0.0.1:1111", "http://127.0.0.1:1111/"),
            ("0.0.0.0:8080", "http://127.0.0.1:8080/"),
            ("[::1]:1111", "http://[::1]:1111/"),
            ("[::]:1111", "http://[::1]:1111/"),
            ("192.168.1.5:80", "http://192.168.1.5:80/"),
        ] {
            assert_eq!(site_url(addr.parse().unwrap()), url, "{addr}");
        }
    }

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

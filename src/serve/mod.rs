//! `docgen serve`: builds the site into a temporary folder, serves it, and with `--watch`
//! rebuilds what each change touches and tells the open pages to reload.
//!
//! The flow, on top of `session::Session` (the incremental build):
//! 1. bind the port (a port in use fails at once), start watching, build the site into a fresh
//!    temporary folder (never the site's `public/`);
//! 2. `http` answers requests from worker threads, reading the output folder and the
//!    `reload::Hub`;
//! 3. `watch` turns file events into batches of `Change`s (`tree` expands a folder event to
//!    its files); this thread owns the `Session` (`live`), applies each batch, prints what
//!    happened and publishes the outcome to the hub, which answers the pages waiting for news;
//! 4. Ctrl-C (or SIGTERM) ends the loop; the server stops and the temporary folder is removed
//!    (the folders of previews that were killed are removed by the next one).
//!
//! A broken edit never stops the server. Problems in content are diagnostics, as in any build;
//! a failure to run (an invalid `docgen.toml`, a theme that is gone) is shown the same way, and
//! the site is loaded afresh on the next change.

pub mod guard;
pub mod http;
pub mod reload;
pub mod watch;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use crate::change::Change;
use crate::config::{CONFIG_FILE, Config, Overrides};
use crate::diagnostic::Shown;
use crate::error::{Error, Result, fs};
use crate::highlight::Highlighter;

use reload::{Hub, Update};
use watch::{Signal, Watcher};

/// Prints a line for the writer. The preview goes on serving when nobody reads its output any
/// more (a closed pipe or terminal), where `println!` would panic and take the server down.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `say!` on stderr.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod live;
mod tree;

use live::{Failure, Live, update};
use tree::SiteTree;

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
        tell!(
            "warning: listening on {}: other machines that can reach this one can read the preview",
            options.interface
        );
    }
    let mut watcher = match options.watch {
        true => Some(Watcher::start(&root, signals)?),
        false => None,
    };
    let output = tempfile::Builder::new()
        .prefix(&format!("{PREVIEW_PREFIX}{}-", std::process::id()))
        .tempdir()
        .map_err(|e| Error::io(std::env::temp_dir(), e))?;
    remove_abandoned_previews(output.path());
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
    tell!(
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
    let listening = server.addr();
    let running = server.start(http::Preview {
        root: live.output.clone(),
        hub: Arc::clone(&hub),
        listening,
    });
    say!("Serving {url}");
    if let Some(watcher) = &watcher {
        let mut folders: Vec<String> = watcher.watched().iter().map(|f| format!("{f}/")).collect();
        folders.push(CONFIG_FILE.to_string());
        say!(
            "Watching {} for changes — Ctrl-C to stop",
            folders.join(", ")
        );
    } else {
        say!("Ctrl-C to stop");
    }
    if options.open
        && let Err(e) = opener::open(&url)
    {
        tell!("warning: cannot open a browser: {e}");
    }

    follow(&receiver, watcher.as_mut(), &mut live, &hub);

    running.stop();
    drop(watcher);
    let _ = output.close();
    say!("Stopped.");
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
            tell!("warning: watching for changes: {error}");
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
            Ok(rebuild) => {
                // Reload first: the search index of a large site takes longer than the pages.
                hub.publish(update(&rebuild), &rebuild.diagnostics);
                if let Err(failure) = live.update_search() {
                    hub.publish(Update::Nothing, &live.failed(failure));
                }
            }
            Err(failure) => {
                hub.publish(Update::Nothing, &live.failed(failure));
            }
        }
    }
}

/// The name of a preview's temporary folder: `docgen-serve-<pid>-<random>`.
const PREVIEW_PREFIX: &str = "docgen-serve-";

/// Removes the temporary folders of previews that were killed (SIGKILL, a crash, a CI
/// timeout), which never got to remove their own copy of the site: beside `ours`, named by a
/// process that is gone, owned by this user and marked as a preview's output, so a running
/// preview's folder or anything else is never touched.
fn remove_abandoned_previews(ours: &std::path::Path) {
    let (Some(temp), Ok(own)) = (ours.parent(), std::fs::symlink_metadata(ours)) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(PREVIEW_PREFIX)) else {
            continue;
        };
        // `docgen-serve-http-<pid>-…` holds the private socket of the preview's HTTP layer.
        let (socket, rest) = match rest.strip_prefix("http-") {
            Some(rest) => (true, rest),
            None => (false, rest),
        };
        let Some(pid) = rest
            .split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        if pid == std::process::id()
            || !meta.is_dir()
            || !same_owner(&meta, &own)
            || crate::output::process_alive(pid)
            || !(match socket {
                true => only_the_socket(&entry.path()),
                false => crate::output::is_preview_folder(&entry.path()),
            })
        {
            continue;
        }
        let _ = std::fs::remove_dir_all(entry.path());
    }
}

/// Whether `dir` holds nothing but the HTTP layer's socket (`http.sock`).
fn only_the_socket(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir)
        .is_ok_and(|entries| entries.flatten().all(|e| e.file_name() == "http.sock"))
}

#[cfg(unix)]
fn same_owner(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.uid() == b.uid()
}

#[cfg(not(unix))]
fn same_owner(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
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
}

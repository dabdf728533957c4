//! Watching the site's sources for `serve --watch`, the first step of a live rebuild:
//!
//! 1. notify's raw events become `Signal`s (opening and reading a file are not changes, so the
//!    rebuild's own reads never trigger another rebuild);
//! 2. `debounce` gathers a burst of them — an editor's save-by-rename, a `git checkout` touching
//!    hundreds of files — into one `Batch`;
//! 3. `changes`, a pure function, folds the batch's paths into the `change::Change`s that one
//!    rebuild applies: which folder a path is in, ignored editor files, folders that appeared or
//!    vanished as a whole.
//!
//! This module is the only user of notify.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind};
use notify::{RecursiveMode, Watcher as _};

use crate::error::{Error, Result};

/// The folders of a site whose files a rebuild reads, watched recursively.
const WATCHED: [&str; 6] = crate::config::dirs::WATCHED;

mod changes;
pub use changes::{Area, Touched, Tree, changes, classify, touches_site};

/// What the serve loop waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// These files were written (their content or metadata changed).
    Written(Vec<PathBuf>),
    /// These paths were created, removed or renamed: files, or whole folders.
    Moved(Vec<PathBuf>),
    /// The watcher lost events (the kernel's queue overflowed): reload everything.
    Rescan,
    /// The watcher reports a problem (too many folders to watch, …).
    Error(String),
    /// Stop serving (Ctrl-C).
    Stop,
}

/// The events of one burst.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    pub written: BTreeSet<PathBuf>,
    pub moved: BTreeSet<PathBuf>,
    pub rescan: bool,
    pub errors: Vec<String>,
    /// A stop was asked for during the burst.
    pub stop: bool,
}

impl Batch {
    fn add(&mut self, signal: Signal) {
        match signal {
            Signal::Written(paths) => self.written.extend(paths),
            Signal::Moved(paths) => self.moved.extend(paths),
            Signal::Rescan => self.rescan = true,
            Signal::Error(e) => self.errors.push(e),
            Signal::Stop => self.stop = true,
        }
    }

    /// Every path the batch names.
    pub fn paths(&self) -> impl Iterator<Item = &PathBuf> {
        self.written.iter().chain(&self.moved)
    }
}

/// Collects `first` and the signals that follow it until none came for `quiet`, or `max_wait`
/// has passed since `first` (so a stream of events never starves the rebuild), or a stop.
pub fn debounce(
    signals: &Receiver<Signal>,
    first: Signal,
    quiet: Duration,
    max_wait: Duration,
) -> Batch {
    let started = Instant::now();
    let mut batch = Batch::default();
    batch.add(first);
    while !batch.stop {
        let left = max_wait.saturating_sub(started.elapsed());
        if left.is_zero() {
            break;
        }
        match signals.recv_timeout(quiet.min(left)) {
            Ok(signal) => batch.add(signal),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => batch.stop = true,
        }
    }
    batch
}

/// What an event can mean for a build: `None` when nothing changed. Opening, reading and closing
/// a file unchanged is nothing, and a rebuild does exactly that to every file it reads.
pub fn happened(kind: &EventKind) -> Option<Happened> {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Some(Happened::Written),
        EventKind::Access(_) => None,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => None,
        EventKind::Modify(ModifyKind::Name(_)) => Some(Happened::Moved),
        EventKind::Modify(_) => Some(Happened::Written),
        // Created, removed, or an event the platform cannot tell more about.
        _ => Some(Happened::Moved),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Happened {
    Written,
    Moved,
}

/// The running file watcher: the site root (for `docgen.toml` and folders appearing) and each
/// of its source folders that exists.
pub struct Watcher {
    inner: notify::RecommendedWatcher,
    root: PathBuf,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    /// Starts watching the site at `root` (canonical), sending what happens to `signals`.
    pub fn start(root: &Path, signals: Sender<Signal>) -> Result<Watcher> {
        let handler = move |event: notify::Result<notify::Event>| {
            let signal = match event {
                Ok(event) if event.need_rescan() => Signal::Rescan,
                Ok(event) if event.paths.is_empty() => return,
                Ok(event) => match happened(&event.kind) {
                    Some(Happened::Written) => Signal::Written(event.paths),
                    Some(Happened::Moved) => Signal::Moved(event.paths),
                    None => return,
                },
                Err(e) => Signal::Error(e.to_string()),
            };
            // The receiver is gone only while serve is stopping.
            let _ = signals.send(signal);
        };
        let failed = |e: notify::Error| {
            Error::io(
                root,
                std::io::Error::other(format!("cannot watch for changes: {e}")),
            )
        };
        let mut inner = notify::recommended_watcher(handler).map_err(failed)?;
        inner
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(failed)?;
        let mut watcher = Watcher {
            inner,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
        };
        watcher.refresh(std::iter::empty());
        Ok(watcher)
    }

    /// Watches the source folders that appeared and forgets those that vanished; a folder among
    /// `paths` (it was created, removed or renamed) is watched afresh.
    pub fn refresh<'a>(&mut self, paths: impl IntoIterator<Item = &'a PathBuf>) {
        let renewed: BTreeSet<&PathBuf> = paths.into_iter().collect();
        for area in WATCHED {
            let dir = self.root.join(area);
            if self.watched.contains(area) && (renewed.contains(&dir) || !dir.is_dir()) {
                // Fails harmlessly when the kernel already dropped the watch with the folder.
                let _ = self.inner.unwatch(&dir);
                self.watched.remove(area);
            }
            if !self.watched.contains(area)
                && dir.is_dir()
                && self.inner.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(area);
            }
        }
    }

    /// The source folders being watched, for the start-up message.
    pub fn watched(&self) -> Vec<&'static str> {
        self.watched.iter().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn reading_a_file_is_not_a_change() {
        use notify::event::{CreateKind, DataChange, RemoveKind, RenameMode};
        for (kind, expected) in [
            (EventKind::Create(CreateKind::File), Some(Happened::Moved)),
            (EventKind::Create(CreateKind::Folder), Some(Happened::Moved)),
            (EventKind::Remove(RemoveKind::Any), Some(Happened::Moved)),
            (
                EventKind::Modify(ModifyKind::Name(RenameMode::To)),
                Some(Happened::Moved),
            ),
            (EventKind::Any, Some(Happened::Moved)),
            (
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                Some(Happened::Written),
            ),
            (
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime)),
                Some(Happened::Written),
            ),
            (
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                Some(Happened::Written),
            ),
            (EventKind::Access(AccessKind::Open(AccessMode::Any)), None),
            (EventKind::Access(AccessKind::Read), None),
            (EventKind::Access(AccessKind::Close(AccessMode::Read)), None),
            (
                EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)),
                None,
            ),
        ] {
            assert_eq!(happened(&kind), expected, "{kind:?}");
        }
    }

    fn written(name: &str) -> Signal {
        Signal::Written(vec![PathBuf::from(name)])
    }

    #[test]
    fn a_burst_is_one_batch() {
        let (tx, rx) = mpsc::channel();
        for i in 0..300 {
            tx.send(written(&format!("/site/content/p{i}.md"))).unwrap();
        }
        tx.send(Signal::Moved(vec!["/site/content/new".into()]))
            .unwrap();
        tx.send(Signal::Rescan).unwrap();
        tx.send(Signal::Error("too many".into())).unwrap();
        let batch = debounce(
            &rx,
            written("/site/docgen.toml"),
            Duration::from_millis(30),
            Duration::from_secs(60),
        );
        assert_eq!(batch.written.len(), 301);
        assert_eq!(batch.moved.len(), 1);
        assert!(batch.rescan && !batch.stop);
        assert_eq!(batch.errors, ["too many"]);
        assert!(rx.try_recv().is_err(), "the whole burst was taken");
    }

    #[test]
    fn a_stop_ends_the_batch() {
        let (tx, rx) = mpsc::channel();
        tx.send(Signal::Stop).unwrap();
        tx.send(written("/site/content/later.md")).unwrap();
        let batch = debounce(
            &rx,
            written("/site/content/a.md"),
            Duration::from_secs(60),
            Duration::from_secs(60),
        );
        assert!(batch.stop);
        assert_eq!(batch.written.len(), 1);
    }

    #[test]
    fn a_steady_stream_of_events_still_ends_the_batch() {
        let (tx, rx) = mpsc::channel();
        let sender = std::thread::spawn(move || {
            // Far more events, far longer, than the batch may wait for.
            for i in 0..20_000 {
                if tx.send(written(&format!("/site/content/{i}.md"))).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        let batch = debounce(
            &rx,
            written("/site/content/a.md"),
            Duration::from_millis(200),
            Duration::from_millis(300),
        );
        assert!(!batch.stop && !batch.written.is_empty());
        drop(rx);
        sender.join().unwrap();
    }
}

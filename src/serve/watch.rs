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
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind};
use notify::{RecursiveMode, Watcher as _};

use crate::change::Change;
use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::source;

/// The folders of a site whose files a rebuild reads, watched recursively.
const WATCHED: [&str; 6] = [
    "content",
    "static",
    "includes",
    "data",
    "themes",
    "templates",
];

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

/// The folders whose files map one to one to `Change`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Content,
    Static,
    /// Content templating's `includes/` and `data/`.
    Includes,
    Data,
}

impl Area {
    const ALL: [Area; 4] = [Area::Content, Area::Static, Area::Includes, Area::Data];

    /// The area's folder below the site root.
    pub fn folder(self) -> &'static str {
        match self {
            Area::Content => "content",
            Area::Static => "static",
            Area::Includes => crate::templating::INCLUDES_DIR,
            Area::Data => crate::templating::DATA_DIR,
        }
    }

    fn change(self, rel: String) -> Change {
        match self {
            Area::Content if source::is_page(&rel) => Change::Page(rel),
            Area::Content => Change::ContentFile(rel),
            Area::Static => Change::StaticFile(rel),
            Area::Includes | Area::Data => Change::Templating(format!("{}/{rel}", self.folder())),
        }
    }
}

/// Where a path lies in a site, when it matters to a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touched {
    /// A path below an area's folder, relative to it (`""` is the folder itself).
    File(Area, String),
    /// Anything below `themes/` or `templates/`.
    Theme,
    /// `docgen.toml`.
    Config,
}

/// Classifies `path` (absolute, below `root`). `None` for what no build reads: other folders
/// (`public/`, `.git/`), hidden files, editor backups, swap and temporary files.
pub fn classify(root: &Path, path: &Path) -> Option<Touched> {
    let rel = path.strip_prefix(root).ok()?;
    let mut segments = Vec::new();
    for component in rel.components() {
        match component {
            Component::Normal(name) => segments.push(name.to_str()?),
            _ => return None,
        }
    }
    let (&top, rest) = segments.split_first()?;
    if rest.iter().any(|name| source::is_ignored(name)) {
        return None;
    }
    match top {
        CONFIG_FILE if rest.is_empty() => Some(Touched::Config),
        "themes" | "templates" => Some(Touched::Theme),
        _ => Area::ALL
            .into_iter()
            .find(|area| area.folder() == top)
            .map(|area| Touched::File(area, rest.join("/"))),
    }
}

/// What the fold needs to know about the site's files: those on disk now and those the site had
/// when it was last loaded (for `includes/` and `data/`: those its pages used).
pub trait Tree {
    /// Whether `rel` (relative to `area`) is a file on disk, or was one of the site's files.
    fn has(&self, area: Area, rel: &str) -> bool;
    /// The files below folder `rel` of `area` (every file when `rel` is `""`), relative to the
    /// area. Empty when `rel` is a file, or a folder the site never had files in.
    fn files_below(&self, area: Area, rel: &str) -> Vec<String>;
}

/// Folds a batch into the changes one rebuild applies, sorted and without repeats.
///
/// A path that is not a file now and was none of the site's files is no change: a temporary
/// file that came and went (vim's `4913`, sed's `sedXXXXXX`), a folder's own metadata. A folder
/// that appeared or vanished as a whole (a `git checkout`, a `mv` into `content/`) gives one
/// event for the folder, none for its files: a moved path becomes a change for every file below
/// it that exists now or existed before. A change to `docgen.toml`, a lost event, or a theme
/// change mixed with content changes becomes a single `Change::Config`, which reloads everything
/// (a theme change alone re-renders with the pages already loaded).
pub fn changes(root: &Path, batch: &Batch, tree: &dyn Tree) -> Vec<Change> {
    let mut found = BTreeSet::new();
    for (path, moved) in batch
        .written
        .iter()
        .map(|p| (p, false))
        .chain(batch.moved.iter().map(|p| (p, true)))
    {
        match classify(root, path) {
            None => {}
            Some(Touched::Config) => {
                found.insert(Change::Config);
            }
            Some(Touched::Theme) => {
                found.insert(Change::Theme);
            }
            Some(Touched::File(area, rel)) => {
                let below = if moved {
                    tree.files_below(area, &rel)
                } else {
                    Vec::new()
                };
                if below.is_empty() {
                    if tree.has(area, &rel) {
                        found.insert(area.change(rel));
                    }
                } else {
                    found.extend(below.into_iter().map(|f| area.change(f)));
                }
            }
        }
    }
    let everything = batch.rescan
        || found.contains(&Change::Config)
        || (found.contains(&Change::Theme) && found.len() > 1);
    if everything {
        return vec![Change::Config];
    }
    found.into_iter().collect()
}

/// Whether `batch` touched any file of the site at all. After a failed rebuild the site is not
/// loaded, so `changes` cannot tell a removed page from a file that never mattered; any touch
/// then loads the site afresh (the page that made the rebuild fail may be the one removed).
pub fn touches_site(root: &Path, batch: &Batch) -> bool {
    batch.rescan
        || batch
            .written
            .iter()
            .chain(batch.moved.iter())
            .any(|path| classify(root, path).is_some())
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

    const ROOT: &str = "/site";

    /// A site whose files (known at the last build or on disk now) are `files`, below the root.
    struct FakeTree {
        files: Vec<&'static str>,
    }

    impl Tree for FakeTree {
        fn has(&self, area: Area, rel: &str) -> bool {
            let path = format!("{}/{rel}", area.folder());
            self.files.contains(&path.as_str())
        }

        fn files_below(&self, area: Area, rel: &str) -> Vec<String> {
            let top = format!("{}/", area.folder());
            let prefix = if rel.is_empty() {
                String::new()
            } else {
                format!("{rel}/")
            };
            self.files
                .iter()
                .filter_map(|f| f.strip_prefix(top.as_str()))
                .filter(|f| f.starts_with(&prefix))
                .map(str::to_string)
                .collect()
        }
    }

    fn paths(names: &[&str]) -> Vec<PathBuf> {
        names.iter().map(|n| Path::new(ROOT).join(n)).collect()
    }

    /// Folds `written` and `moved` paths (below the root) with a site holding `files`.
    fn fold(written: &[&str], moved: &[&str], files: &[&'static str]) -> Vec<Change> {
        let batch = Batch {
            written: paths(written).into_iter().collect(),
            moved: paths(moved).into_iter().collect(),
            ..Batch::default()
        };
        let tree = FakeTree {
            files: files.to_vec(),
        };
        changes(Path::new(ROOT), &batch, &tree)
    }

    fn page(p: &str) -> Change {
        Change::Page(p.into())
    }

    fn file(p: &str) -> Change {
        Change::ContentFile(p.into())
    }

    const FILES: [&str; 10] = [
        "content/a.md",
        "content/b.md",
        "content/deleted.md",
        "content/img/x.png",
        "content/elements/new/index.md",
        "content/elements/new/img/logo.svg",
        "static/site.css",
        "includes/note.html",
        "includes/boxes/warning.html",
        "data/glossary.yml",
    ];

    fn templating(p: &str) -> Change {
        Change::Templating(p.into())
    }

    #[test]
    fn written_files_fold_into_changes() {
        let table: &[(&[&str], Vec<Change>)] = &[
            (&["content/a.md"], vec![page("a.md")]),
            (&["content/img/x.png"], vec![file("img/x.png")]),
            (
                &["static/site.css"],
                vec![Change::StaticFile("site.css".into())],
            ),
            (&["docgen.toml"], vec![Change::Config]),
            (
                &["includes/note.html"],
                vec![templating("includes/note.html")],
            ),
            (
                &["data/glossary.yml"],
                vec![templating("data/glossary.yml")],
            ),
            (&["templates/page.html"], vec![Change::Theme]),
            (&["themes/default/static/theme.css"], vec![Change::Theme]),
            // Repeats and order do not matter.
            (
                &["content/b.md", "content/a.md", "content/b.md"],
                vec![page("a.md"), page("b.md")],
            ),
            // A folder's own metadata: its files have their own events.
            (&["content/elements/new"], vec![]),
            (&["content"], vec![]),
            // A file that came and went, unknown to the site.
            (&["content/sed4kqUx2"], vec![]),
            // docgen.toml reloads everything, whatever else changed.
            (&["content/a.md", "docgen.toml"], vec![Change::Config]),
            // A theme change with content changes reloads everything, so no edit is lost.
            (
                &["content/a.md", "templates/page.html"],
                vec![Change::Config],
            ),
            (
                &["templates/page.html", "themes/x/templates/base.html"],
                vec![Change::Theme],
            ),
        ];
        for (written, expected) in table {
            assert_eq!(&fold(written, &[], &FILES), expected, "{written:?}");
        }
    }

    #[test]
    fn moved_folders_expand_into_their_files() {
        let table: &[(&[&str], Vec<Change>)] = &[
            // A file created, removed or renamed.
            (&["content/a.md"], vec![page("a.md")]),
            (&["content/deleted.md"], vec![page("deleted.md")]),
            // A folder that appeared (or vanished) as a whole: every file below it, now or before.
            (
                &["content/elements/new"],
                vec![
                    page("elements/new/index.md"),
                    file("elements/new/img/logo.svg"),
                ],
            ),
            // The content folder itself (a checkout that created or removed it).
            (
                &["content"],
                vec![
                    page("a.md"),
                    page("b.md"),
                    page("deleted.md"),
                    page("elements/new/index.md"),
                    file("elements/new/img/logo.svg"),
                    file("img/x.png"),
                ],
            ),
            (&["static"], vec![Change::StaticFile("site.css".into())]),
            // A folder of includes: every include below it (on disk, or used by pages).
            (
                &["includes/boxes"],
                vec![templating("includes/boxes/warning.html")],
            ),
            (&["includes/4913"], vec![]),
            // A folder the site never had files in.
            (&["content/empty"], vec![]),
        ];
        for (moved, expected) in table {
            assert_eq!(&fold(&[], moved, &FILES), expected, "{moved:?}");
        }
    }

    #[test]
    fn editor_and_unrelated_files_are_ignored() {
        for event in [
            "content/.a.md.swp",
            "content/.a.md.swx",
            "content/a.md~",
            "content/.#a.md",
            "content/#a.md#",
            "content/a.md.tmp",
            "content/a.md___jb_tmp___",
            "content/a.md___jb_old___",
            "content/.git/HEAD",
            "content/.hidden/a.md",
            "templates/.page.html.swp",
            "docgen.toml~",
            ".docgen.toml.swp",
            "public/index.html",
            "target/debug/docgen",
            "README.md",
            "",
        ] {
            assert_eq!(fold(&[event], &[event], &[]), [], "{event}");
        }
        let outside = Batch {
            moved: [PathBuf::from("/elsewhere/content/a.md")].into(),
            ..Batch::default()
        };
        let tree = FakeTree { files: vec![] };
        assert_eq!(changes(Path::new(ROOT), &outside, &tree), []);
    }

    #[test]
    fn save_by_rename_is_one_page_change() {
        // vim: rename a.md to a.md~, write a new a.md, test-write 4913, remove the backup.
        let written = ["content/a.md", "content/4913"];
        let moved = ["content/a.md", "content/a.md~", "content/4913"];
        // 4913 no longer exists and the site never had it.
        assert_eq!(fold(&written, &moved, &["content/a.md"]), [page("a.md")]);
        // VS Code, JetBrains: write a temporary file, rename it over the page.
        let written = ["content/.a.md.tmp", "content/a.md___jb_tmp___"];
        let moved = ["content/a.md___jb_tmp___", "content/a.md"];
        assert_eq!(fold(&written, &moved, &["content/a.md"]), [page("a.md")]);
    }

    #[test]
    fn a_lost_event_reloads_everything() {
        let batch = Batch {
            written: paths(&["content/a.md"]).into_iter().collect(),
            rescan: true,
            ..Batch::default()
        };
        let tree = FakeTree { files: vec![] };
        assert_eq!(changes(Path::new(ROOT), &batch, &tree), [Change::Config]);
    }

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

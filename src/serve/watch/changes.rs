//! The pure step of watching: the paths of a `Batch` fold into the `Change`s one rebuild
//! applies — which folder (`Area`) a path is in, ignored editor files, folders that appeared or
//! vanished as a whole (expanded through a `Tree`). Table-tested without a file system.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use super::Batch;
use crate::change::Change;
use crate::config::CONFIG_FILE;
use crate::source;

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
            Area::Content => crate::config::dirs::CONTENT,
            Area::Static => crate::config::dirs::STATIC,
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
        crate::config::dirs::THEMES | crate::config::dirs::TEMPLATES => Some(Touched::Theme),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

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
}

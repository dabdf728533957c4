//! The change vocabulary between the watcher and the engine: what `serve::watch` folds file
//! events into, and what `session::Session::apply` (through `deps`) turns into work.

/// One thing that changed on disk, as the watcher reports it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// A Markdown file below `content/` was created, modified or deleted (path below `content/`).
    Page(String),
    /// Another file below `content/` (path below `content/`).
    ContentFile(String),
    /// A file below `static/` (path below `static/`).
    StaticFile(String),
    /// A file of content templating: below `includes/` or `data/` (its path from the site
    /// root: `includes/note.html`, `data/glossary.yml`). A file below a folder named
    /// `includes` inside `content/` may come as `Page` or `ContentFile`: it is treated as this.
    Templating(String),
    /// A template or theme file.
    Theme,
    /// `docgen.toml`.
    Config,
}

//! `docgen import jekyll`, files: walking the Jekyll source as Jekyll's own reader does (hidden,
//! `_`-prefixed and backup files skipped unless `include`d, `exclude` honoured, the special
//! `_includes`, `_data`, `_layouts`… folders) and deciding where each file goes in the docgen
//! site: pages to `content/`, includes to `includes/`, data to `data/`, the rest to `static/` at
//! the same URL (where a page goes within `content/` is `pages`' job). Reads only; what is
//! decided is a `Plan`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};

use super::jekyll_config::JekyllConfig;
use super::pages::{front_matter_of, layout_of};
use crate::error::{Error, Result, fs};

/// The extensions Jekyll renders as Markdown (its default `markdown_ext`).
const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mkdown", "mkdn", "mkd", "mdown"];
/// Files jekyll-optional-front-matter leaves alone even when it is on.
const NOT_PAGES: &[&str] = &[
    "README",
    "LICENSE",
    "LICENCE",
    "COPYING",
    "CODE_OF_CONDUCT",
    "CONTRIBUTING",
    "ISSUE_TEMPLATE",
    "PULL_REQUEST_TEMPLATE",
];
/// Folders that are Jekyll's output or caches, or version control: skipped without a word.
const SILENT: &[&str] = &[
    "_site",
    ".jekyll-cache",
    ".sass-cache",
    ".git",
    ".github",
    ".gitignore",
    ".jekyll-metadata",
];

/// Where a source file goes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A page: `content/…` (Markdown renamed `.md`; `.html` pages keep their name).
    Page,
    /// A file of `_includes/` → `includes/`.
    Include,
    /// A file of `_data/` → `data/`.
    Data,
    /// Any other published file → `static/`, at the same URL.
    Static,
    /// A file below a folder named `includes` next to pages, for `include_relative`:
    /// `content/` keeps it where it is (docgen neither publishes nor renders it).
    Partial,
}

/// One file to copy into the new site.
#[derive(Debug, Clone)]
pub struct Copy {
    /// Path below SRC, `/`-separated.
    pub from: String,
    /// Path below DEST.
    pub to: String,
    pub kind: Kind,
    /// For pages: the `layout` its front matter names.
    pub layout: Option<String>,
    /// What the importer changed about where it lives: a note for the report.
    pub note: Option<String>,
    /// For pages given values by `defaults:`: the text to write (the file's own front matter
    /// with those keys added); `None` to copy the file as it is.
    pub text: Option<String>,
}

/// Something of the Jekyll site that is not carried over, with why and what to do.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    /// A group name: `_layouts/`, `_posts/`, `Liquid in a file that is not a page`…
    pub what: String,
    pub path: String,
    pub why: String,
}

/// What the walk decided.
#[derive(Debug, Default)]
pub struct Plan {
    pub copies: Vec<Copy>,
    pub skipped: Vec<Skipped>,
    /// Files Jekyll itself leaves out (hidden, `_`-prefixed, backups, `exclude`).
    pub excluded: Vec<String>,
    /// `_layouts/NAME.html` → the layout it is itself laid out in, and its text.
    pub layouts: BTreeMap<String, (Option<String>, String)>,
    /// Ruby plugins in `_plugins/`.
    pub ruby_plugins: Vec<String>,
}

/// Walks `src` as Jekyll would with `config`.
pub fn plan(src: &Path, config: &JekyllConfig) -> Result<Plan> {
    let exclude = Excludes::new(&config.exclude);
    let mut plan = Plan::default();
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    for entry in read_dir(src)? {
        let name = entry.0;
        let path = entry.1;
        let is_dir = path.is_dir();
        if SILENT.contains(&name.as_str()) || is_config(&name) {
            continue;
        }
        // A symlinked `_includes/` would be followed wherever it points (`is_dir` follows it).
        let linked = std::fs::symlink_metadata(&path).map_err(|e| Error::io(&path, e))?;
        if linked.file_type().is_symlink() {
            plan.skipped.push(symlink_skipped(name));
            continue;
        }
        if is_dir && name.starts_with('_') {
            plan.skipped.extend(
                symlinks_below(&path)?
                    .into_iter()
                    .map(|rel| symlink_skipped(format!("{name}/{rel}"))),
            );
        }
        match name.as_str() {
            "_includes" if is_dir => {
                for rel in files_below(&path)? {
                    plan.copies.push(copy(
                        format!("_includes/{rel}"),
                        format!("includes/{rel}"),
                        Kind::Include,
                    ));
                }
                continue;
            }
            "_data" if is_dir => {
                for rel in files_below(&path)? {
                    let from = format!("_data/{rel}");
                    match extension(&rel) {
                        "yml" | "yaml" | "json" | "toml" => {
                            plan.copies.push(copy(from, format!("data/{rel}"), Kind::Data))
                        }
                        ext => plan.skipped.push(Skipped {
                            what: "data files docgen cannot read".into(),
                            path: from,
                            why: format!(
                                "docgen reads YAML, JSON and TOML data, not .{ext}: convert it and put it in data/"
                            ),
                        }),
                    }
                }
                continue;
            }
            "_layouts" if is_dir => {
                for rel in files_below(&path)? {
                    let text = String::from_utf8_lossy(&fs::read(&path.join(&rel))?).into_owned();
                    let parent = layout_of(&text);
                    let name = rel.rsplit_once('.').map_or(rel.as_str(), |(stem, _)| stem);
                    plan.layouts.insert(name.to_string(), (parent, text));
                }
                continue;
            }
            "_plugins" if is_dir => {
                plan.ruby_plugins = files_below(&path)?;
                continue;
            }
            "_posts" | "_drafts" if is_dir => {
                for rel in files_below(&path)? {
                    plan.skipped.push(Skipped {
                        what: format!("{name}/ (blog posts)"),
                        path: format!("{name}/{rel}"),
                        why: "docgen has no blog: move posts you keep into content/ as pages"
                            .into(),
                    });
                }
                continue;
            }
            "_sass" if is_dir => {
                for rel in files_below(&path)? {
                    plan.skipped.push(Skipped {
                        what: "_sass/".into(),
                        path: format!("_sass/{rel}"),
                        why: "docgen does not compile Sass: put the compiled CSS in static/".into(),
                    });
                }
                continue;
            }
            _ => {}
        }
        if let Some(collection) = name.strip_prefix('_')
            && is_dir
            && config.collections.iter().any(|c| c == collection)
        {
            for rel in files_below(&path)? {
                plan.skipped.push(Skipped {
                    what: format!("{name}/ (collection)"),
                    path: format!("{name}/{rel}"),
                    why: "docgen has no collections: move the pages into content/".into(),
                });
            }
            continue;
        }
        let mut reader = Reader {
            config,
            exclude: &exclude,
            plan: &mut plan,
            pages: &mut pages,
        };
        walk(&mut reader, &name, &path)?;
    }
    plan.copies.sort_by(|a, b| a.to.cmp(&b.to));
    plan.skipped.sort();
    plan.excluded.sort();
    Ok(plan)
}

/// Walks the published part of the site below `rel` (a file or folder at `path`), applying
/// Jekyll's filter at every level as Jekyll's reader does.
fn walk(reader: &mut Reader<'_>, rel: &str, path: &Path) -> Result<()> {
    let Reader {
        config,
        exclude,
        plan,
        pages,
    } = reader;
    let (config, exclude): (&JekyllConfig, &Excludes) = (config, exclude);
    let (plan, pages): (&mut Plan, &mut BTreeMap<String, String>) = (plan, pages);
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let meta = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    if filtered_out(name, rel, config, exclude) {
        if meta.is_dir() {
            for below in files_below(path)? {
                plan.excluded.push(format!("{rel}/{below}"));
            }
        } else {
            plan.excluded.push(rel.to_string());
        }
        return Ok(());
    }
    if meta.file_type().is_symlink() {
        plan.skipped.push(symlink_skipped(rel.to_string()));
        return Ok(());
    }
    if meta.is_dir() {
        for (child, child_path) in read_dir(path)? {
            let mut below = Reader {
                config,
                exclude,
                plan,
                pages,
            };
            walk(&mut below, &format!("{rel}/{child}"), &child_path)?;
        }
        return Ok(());
    }
    let bytes = fs::read(path)?;
    let front = front_matter_of(&bytes);
    let ext = extension(rel);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let in_partials = rel
        .rsplit_once('/')
        .is_some_and(|(dir, _)| dir.split('/').any(|p| p == crate::source::PARTIALS_DIR));
    if in_partials {
        plan.copies.push(copy(
            rel.to_string(),
            format!("content/{rel}"),
            Kind::Partial,
        ));
        return Ok(());
    }
    // Jekyll compares extensions lowercased: `Setup.MD` is Markdown too.
    let markdown = MARKDOWN_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str());
    let page = match (&front, markdown, ext) {
        (Some(_), true, _) | (Some(_), _, "html") => true,
        (None, true, _) => config.optional_front_matter() && !NOT_PAGES.contains(&stem),
        (Some(_), _, _) => {
            let why = if matches!(ext, "scss" | "sass") {
                "docgen does not compile Sass: put the compiled CSS in static/"
            } else if name == "sitemap.xml" || name == "robots.txt" {
                "docgen generates sitemap.xml and robots.txt itself"
            } else {
                "Jekyll expands Liquid in it; docgen does that in pages only: write the result into static/"
            };
            plan.skipped.push(Skipped {
                what: "files with front matter that are not pages".into(),
                path: rel.to_string(),
                why: why.into(),
            });
            return Ok(());
        }
        (None, false, _) => false,
    };
    if !page {
        plan.copies
            .push(copy(rel.to_string(), format!("static/{rel}"), Kind::Static));
        return Ok(());
    }
    super::pages::add(
        &mut Reader {
            config,
            exclude,
            plan,
            pages,
        },
        rel,
        &bytes,
        front,
    );
    Ok(())
}

/// What the walk of the published files reads with and writes into.
pub(super) struct Reader<'a> {
    pub(super) config: &'a JekyllConfig,
    exclude: &'a Excludes,
    pub(super) plan: &'a mut Plan,
    /// Content paths of the pages so far → their source.
    pub(super) pages: &'a mut BTreeMap<String, String>,
}

fn copy(from: String, to: String, kind: Kind) -> Copy {
    Copy {
        from,
        to,
        kind,
        layout: None,
        note: None,
        text: None,
    }
}

/// Jekyll's entry filter: hidden, `_`-prefixed, `#`-prefixed and backup files are left out
/// unless `include` names them; `exclude` leaves out what it matches.
fn filtered_out(name: &str, rel: &str, config: &JekyllConfig, exclude: &Excludes) -> bool {
    let included = config.include.iter().any(|i| i == name || i == rel);
    let special = name.starts_with(['.', '_', '#']) || name.ends_with('~');
    (special && !included) || exclude.matches(rel)
}

/// Jekyll's `exclude` patterns: `File.fnmatch` against the path below the site (so `*`
/// crosses `/`) or a plain prefix of it.
struct Excludes {
    patterns: Vec<(String, Option<GlobMatcher>)>,
}

impl Excludes {
    fn new(patterns: &[String]) -> Self {
        Excludes {
            patterns: patterns
                .iter()
                .map(|p| {
                    let p = p.trim_start_matches('/').to_string();
                    let glob = Glob::new(&p).ok().map(|g| g.compile_matcher());
                    (p, glob)
                })
                .collect(),
        }
    }

    fn matches(&self, rel: &str) -> bool {
        self.patterns.iter().any(|(pattern, glob)| {
            rel.starts_with(pattern.as_str())
                || pattern.strip_suffix('/') == Some(rel)
                || glob.as_ref().is_some_and(|g| g.is_match(rel))
        })
    }
}

/// `_config.yml` and the other names Jekyll reads its configuration from.
fn is_config(name: &str) -> bool {
    matches!(name, "_config.yml" | "_config.yaml" | "_config.toml")
}

pub(super) fn extension(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or("", |(_, ext)| ext)
}

/// The entries of a folder, by name, sorted.
fn read_dir(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut entries: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .map(|e| {
            let e = e.map_err(|e| Error::io(dir, e))?;
            Ok((e.file_name().to_string_lossy().into_owned(), e.path()))
        })
        .collect::<Result<_>>()?;
    entries.sort();
    Ok(entries)
}

/// What the report says of a symbolic link at `path`, which the import never follows.
fn symlink_skipped(path: String) -> Skipped {
    Skipped {
        what: "symbolic links".into(),
        path,
        why: "symbolic links are not followed: copy the file it points to into the site".into(),
    }
}

/// A failed step of a walk below `dir`, at the path it failed on.
fn walk_error(dir: &Path, e: walkdir::Error) -> Error {
    let path = e
        .path()
        .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
    Error::io(path, e.into())
}

/// The symbolic links below a special folder, which `files_below` leaves out.
fn symlinks_below(dir: &Path) -> Result<Vec<String>> {
    let mut links = Vec::new();
    for entry in crate::source::walk(dir).sorted().min_depth(1) {
        let entry = entry.map_err(|e| walk_error(dir, e))?;
        if entry.path_is_symlink()
            && !crate::source::is_ignored(&entry.file_name().to_string_lossy())
        {
            links.push(crate::source::relative(dir, entry.path()));
        }
    }
    Ok(links)
}

/// Every file below a special folder (`_includes`, `_data`…), skipping hidden and backup files
/// and symbolic links.
fn files_below(dir: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    let mut walker = crate::source::walk(dir).sorted().into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|e| walk_error(dir, e))?;
        if entry.depth() > 0 && crate::source::is_ignored(&entry.file_name().to_string_lossy()) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            files.push(crate::source::relative(dir, entry.path()));
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excludes_match_like_jekyll() {
        let ex = Excludes::new(&[
            "scripts".into(),
            "*.sh".into(),
            "/vendor/bundle/".into(),
            "docs/*.tmp".into(),
        ]);
        for excluded in [
            "scripts",
            "scripts/x.md",
            "scriptsold.md",
            "a/b/run.sh",
            "vendor/bundle/x.rb",
            "vendor/bundle",
            "docs/a/b.tmp",
        ] {
            assert!(ex.matches(excluded), "{excluded}");
        }
        for kept in ["docs/scripts.md", "run.sh.txt", "vendor/x.rb"] {
            assert!(!ex.matches(kept), "{kept}");
        }
    }
}

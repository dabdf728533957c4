//! `docgen import jekyll`, files: walking the Jekyll source as Jekyll's own reader does (hidden,
//! `_`-prefixed and backup files skipped unless `include`d, `exclude` honoured, the special
//! `_includes`, `_data`, `_layouts`… folders) and deciding where each file goes in the docgen
//! site: pages to `content/`, includes to `includes/`, data to `data/`, the rest to `static/` at
//! the same URL. Reads only; what is decided is a `Plan`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};

use super::jekyll_config::JekyllConfig;
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
        plan.skipped.push(Skipped {
            what: "symbolic links".into(),
            path: rel.to_string(),
            why: "symbolic links are not followed: copy the file it points to into the site".into(),
        });
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
    let markdown = MARKDOWN_EXTENSIONS.contains(&ext);
    let page = match (&front, markdown, ext) {
        (Some(_), true, _) | (Some(_), _, "html") => true,
        (None, true, _) => config.optional_front_matter() && !NOT_PAGES.contains(&stem),
        (Some(_), _, _) => {
            let why = if matches!(ext, "scss" | "sass") {
                "docgen does not compile Sass: put the compiled CSS in static/"
            } else if name == "sitemap.xml" || name == "robots.txt" {
                "docgen generates it"
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
    let text = String::from_utf8_lossy(&bytes);
    let own = front.as_deref().map(object_of).unwrap_or_default();
    // `defaults:` fill in what the page does not set itself (the page's own value wins).
    let added: serde_json::Map<String, serde_json::Value> = config
        .defaults_for(rel)
        .into_iter()
        .filter(|(key, _)| !own.contains_key(key))
        .collect();
    let new_text = (!added.is_empty())
        .then(|| std::str::from_utf8(&bytes).ok())
        .flatten()
        .map(|text| with_front_matter_keys(text, front.is_some(), &added));
    let fields: BTreeMap<String, String> = own
        .iter()
        .chain(&added)
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect();
    let mut target = match ext {
        "html" => rel.to_string(),
        _ => format!("{}.md", &rel[..rel.len() - ext.len() - 1]),
    };
    let mut note = (ext != "md" && ext != "html").then(|| format!("renamed from .{ext}"));
    let permalink = jekyll_permalink(rel, fields.get("permalink"), config.permalink.as_deref());
    if let Some(permalink) = &permalink
        && let Some(moved) = permalink_source(permalink, ext == "html")
        && moved != target
    {
        if text.contains("include_relative") {
            note = Some(format!(
                "has permalink {permalink} but stays at its path: it uses include_relative (list the old URL in redirect_from)"
            ));
        } else if !pages.contains_key(&moved) {
            note = Some(format!("moved to match its permalink {permalink}"));
            target = moved;
        }
    } else if let Some(permalink) = permalink.as_ref().filter(|p| p.contains(':')) {
        note = Some(format!(
            "has permalink {permalink}, which docgen cannot follow: it stays at its path (list the old URL in redirect_from)"
        ));
    }
    if let Some(other) = pages.get(&target) {
        plan.skipped.push(Skipped {
            what: "pages with the same URL".into(),
            path: rel.to_string(),
            why: format!("{other} is already content/{target}: rename one of them"),
        });
        return Ok(());
    }
    pages.insert(target.clone(), rel.to_string());
    plan.copies.push(Copy {
        from: rel.to_string(),
        to: format!("content/{target}"),
        kind: Kind::Page,
        layout: fields.get("layout").cloned(),
        note,
        text: new_text,
    });
    Ok(())
}

/// The URL Jekyll publishes the page at `rel` at, as a permalink without placeholders, when it
/// differs from the file's own path: the page's `permalink` (its own or from `defaults:`) with
/// `:path`, `:basename` and `:output_ext` filled in, or — without one — the page template of
/// the site's permalink style (`pretty`, or a style ending in `/`: `/:path/:basename/`). `None`
/// when Jekyll keeps the file's path (`.html`, or no extension, which writes the same file).
fn jekyll_permalink(rel: &str, own: Option<&String>, style: Option<&str>) -> Option<String> {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let basename = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let dir = if dir.is_empty() {
        String::new()
    } else {
        format!("/{dir}")
    };
    let template = match own {
        Some(own) => own.trim().to_string(),
        None => {
            let style = style.map(str::trim).unwrap_or("date");
            if basename == "index" || !(style == "pretty" || style.ends_with('/')) {
                return None;
            }
            "/:path/:basename/".to_string()
        }
    };
    let filled = template
        .replace(":path", &dir)
        .replace(":basename", basename)
        .replace(":output_ext", ".html");
    // Jekyll collapses the doubled slashes an empty `:path` leaves.
    let mut url = String::with_capacity(filled.len());
    for c in filled.chars() {
        if !(c == '/' && url.ends_with('/')) {
            url.push(c);
        }
    }
    Some(url)
}

/// `text` (a page, with front matter when `has_front`) with `keys` added at the end of its front
/// matter, each as `key: value` with the value in JSON, which YAML reads as written.
fn with_front_matter_keys(
    text: &str,
    has_front: bool,
    keys: &serde_json::Map<String, serde_json::Value>,
) -> String {
    let mut lines = String::from("# from defaults: in _config.yml\n");
    for (key, value) in keys {
        let plain = key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && !key.is_empty();
        let key = match plain {
            true => key.clone(),
            false => serde_json::Value::String(key.clone()).to_string(),
        };
        lines.push_str(&format!("{key}: {value}\n"));
    }
    if !has_front {
        return format!("---\n{lines}---\n{text}");
    }
    // The closing `---` (or `...`) of the front matter that starts the file.
    let mut at = text.find('\n').map_or(text.len(), |i| i + 1);
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        if matches!(text[at..end].trim_end(), "---" | "...") {
            break;
        }
        at = end;
    }
    let mut out = String::with_capacity(text.len() + lines.len());
    out.push_str(&text[..at]);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&lines);
    out.push_str(&text[at..]);
    out
}

/// What the walk of the published files reads with and writes into.
struct Reader<'a> {
    config: &'a JekyllConfig,
    exclude: &'a Excludes,
    plan: &'a mut Plan,
    /// Content paths of the pages so far → their source.
    pages: &'a mut BTreeMap<String, String>,
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

/// The YAML front matter of a file, when it starts with one (`---` on the first line), as
/// Jekyll decides.
pub fn front_matter_of(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let (first, rest) = text.split_once('\n')?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut yaml = String::new();
    for line in rest.split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            return Some(yaml);
        }
        yaml.push_str(line);
    }
    None
}

/// A front matter's keys and values (empty when it is not a map).
fn object_of(yaml: &str) -> serde_json::Map<String, serde_json::Value> {
    match crate::front_matter::yaml_data("front matter", yaml) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}

/// The top-level text values of a front matter (`layout`, `permalink`).
fn fields_of(yaml: &str) -> BTreeMap<String, String> {
    match crate::front_matter::yaml_data("front matter", yaml) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k, s)),
                _ => None,
            })
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// The layout a Jekyll layout file is itself laid out in.
fn layout_of(text: &str) -> Option<String> {
    front_matter_of(text.as_bytes())
        .and_then(|yaml| fields_of(&yaml).remove("layout"))
        .filter(|l| !l.is_empty() && l != "none" && l != "null")
}

/// The content path a page with `permalink` must have for docgen to publish it there:
/// `/a/b/` → `a/b/index.md`, `/a/b.html` and `/a/b` → `a/b.md`. `None` for permalinks docgen
/// cannot follow (placeholders like `:title`, other extensions, the site root's neighbours).
fn permalink_source(permalink: &str, html: bool) -> Option<String> {
    let ext = if html { "html" } else { "md" };
    let path = permalink.trim().strip_prefix('/')?;
    if path.contains([':', '?', '#', '\\']) || path.split('/').any(|s| s == ".." || s == ".") {
        return None;
    }
    if path.is_empty() {
        return Some(format!("index.{ext}"));
    }
    if let Some(dir) = path.strip_suffix('/') {
        return Some(format!("{dir}/index.{ext}"));
    }
    let stem = path.strip_suffix(".html").unwrap_or(path);
    let last = stem.rsplit('/').next().unwrap_or(stem);
    (!last.contains('.') && !last.is_empty()).then(|| format!("{stem}.{ext}"))
}

fn extension(rel: &str) -> &str {
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

/// Every file below a special folder (`_includes`, `_data`…), skipping hidden and backup files
/// and symbolic links.
fn files_below(dir: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    let mut walker = crate::source::walk(dir).sorted().into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|e| {
            let path = e
                .path()
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
            Error::io(path, e.into())
        })?;
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
    fn permalinks_become_content_paths() {
        let cases = [
            ("/docs/tutorial/", false, Some("docs/tutorial/index.md")),
            ("/docs/tutorial.html", false, Some("docs/tutorial.md")),
            ("/docs/tutorial", false, Some("docs/tutorial.md")),
            ("/", true, Some("index.html")),
            ("/about/", true, Some("about/index.html")),
            ("/:path/:basename", false, None),
            ("/feed.xml", false, None),
            ("relative/", false, None),
            ("/a/../b/", false, None),
        ];
        for (permalink, html, expected) in cases {
            assert_eq!(
                permalink_source(permalink, html).as_deref(),
                expected,
                "{permalink}"
            );
        }
    }

    #[test]
    fn jekyll_permalinks_of_pages() {
        // (page, its permalink, the site's style, the permalink docgen follows)
        let cases = [
            ("docs/faq.md", None, None, None),
            ("docs/faq.md", None, Some("/:categories/:title.html"), None),
            ("docs/faq.md", None, Some("date"), None),
            ("docs/faq.md", None, Some("pretty"), Some("/docs/faq/")),
            ("faq.md", None, Some("/:categories/:title/"), Some("/faq/")),
            ("docs/index.md", None, Some("pretty"), None),
            ("a/b.md", Some("/:path/:basename/"), None, Some("/a/b/")),
            (
                "b.md",
                Some("/:path/:basename:output_ext"),
                None,
                Some("/b.html"),
            ),
            ("a/b.md", Some("/guides/"), Some("pretty"), Some("/guides/")),
            ("a/b.md", Some("/:title/"), None, Some("/:title/")),
        ];
        for (rel, own, style, expected) in cases {
            let own = own.map(str::to_string);
            assert_eq!(
                jekyll_permalink(rel, own.as_ref(), style).as_deref(),
                expected,
                "{rel} {own:?} {style:?}"
            );
        }
        assert_eq!(permalink_source("/:title/", false), None);
    }

    #[test]
    fn defaults_are_added_to_the_front_matter() {
        let keys: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
            r#"{"layout": "guide", "tags": ["a", "b"], "odd key": "say \"hi\"\n"}"#,
        )
        .unwrap();
        let with = with_front_matter_keys("---\ntitle: T\n---\nBody\n", true, &keys);
        assert_eq!(
            with,
            "---\ntitle: T\n# from defaults: in _config.yml\nlayout: \"guide\"\n\
             \"odd key\": \"say \\\"hi\\\"\\n\"\ntags: [\"a\",\"b\"]\n---\nBody\n"
        );
        // YAML reads back what JSON wrote.
        let front = front_matter_of(with.as_bytes()).unwrap();
        let read = object_of(&front);
        assert_eq!(read["odd key"], "say \"hi\"\n");
        assert_eq!(read["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(
            with_front_matter_keys("Body\n", false, &keys)
                .lines()
                .next(),
            Some("---")
        );
    }

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

    #[test]
    fn front_matter_starts_the_file_or_is_not_there() {
        assert_eq!(
            front_matter_of(b"---\nlayout: x\n---\nbody").as_deref(),
            Some("layout: x\n")
        );
        assert_eq!(front_matter_of(b"---  \r\n---\n").as_deref(), Some(""));
        assert_eq!(front_matter_of(b"# Title\n---\nx\n---\n"), None);
        assert_eq!(front_matter_of(b"---\nnever closed\n"), None);
    }
}

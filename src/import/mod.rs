//! `docgen import jekyll SRC [DEST]`: turns a Jekyll site into a docgen site that builds. Its
//! own flow, before any build:
//!
//! 1. `jekyll_config`: `_config.yml` → the settings of `docgen.toml`.
//! 2. `files`: SRC walked as Jekyll reads it; each file gets its place (pages → `content/`,
//!    `_includes` → `includes/`, `_data` → `data/`, the rest → `static/` at the same URL);
//!    `pages` gives each page its `defaults:` and the path its permalink asks for.
//! 3. `layouts`: a `templates/NAME.html` for each layout name the pages use that the default
//!    theme lacks.
//! 4. Writing into DEST (SRC is only read). A second import refuses without `--force`; with
//!    it, files the last import wrote are updated, and a file changed or added by the user since
//!    is kept as it is (the `.docgen-import` manifest records what the importer wrote). Nothing
//!    is ever deleted.
//! 5. The new site is checked as `docgen check` would; the lenient options
//!    (`broken_links = "warn"`, `undefined_variables = "warn"`) are set when the check finds
//!    problems of that kind, so the site builds while its team fixes them.
//! 6. `report`: the migration report — what was imported, the problems by kind, what was not
//!    carried over and what to do next.

mod files;
mod jekyll_config;
mod layouts;
mod pages;
mod report;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::build::Indexed;
use crate::config::{CONFIG_FILE, Config, Overrides};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result, fs};
use crate::highlight::Highlighter;

pub use files::Kind;
use jekyll_config::JekyllConfig;

/// The file in DEST recording what the importer wrote (path and a hash of the bytes), so that
/// `--force` can tell its own files from the user's.
pub const MANIFEST: &str = ".docgen-import";

/// What `docgen import jekyll` is asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The Jekyll site (the folder holding `_config.yml`).
    pub src: PathBuf,
    /// Where to write the docgen site; by default `SRC-docgen` beside SRC.
    pub dest: Option<PathBuf>,
    /// Import into a DEST that already holds files (updating what an earlier import wrote).
    pub force: bool,
}

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    pub dest: PathBuf,
    /// The migration report, for the terminal.
    pub report: String,
    /// Every problem the check of the new site found (and problems reading `_config.yml`).
    pub diagnostics: Vec<Diagnostic>,
}

/// Where one written file's bytes come from.
enum Bytes {
    CopyOf(PathBuf),
    Text(String),
}

/// What happened to a file of DEST.
#[derive(Debug, Default)]
struct Written {
    new: usize,
    updated: usize,
    unchanged: usize,
    /// Files the user changed or made since the last import: left as they are.
    kept: Vec<String>,
}

/// Imports the Jekyll site at `options.src`.
pub fn jekyll(options: &ImportOptions, highlighter: &Highlighter) -> Result<Imported> {
    let src = options.src.as_path();
    if !src.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a folder: give the folder of the Jekyll site (the one holding _config.yml)",
            src.display()
        )));
    }
    let dest = options.dest.clone().unwrap_or_else(|| default_dest(src));
    refuse_overlap(src, &dest)?;
    let occupied = dest.is_dir()
        && std::fs::read_dir(&dest)
            .map_err(|e| Error::io(&dest, e))?
            .next()
            .is_some();
    if dest.exists() && !dest.is_dir() {
        return Err(Error::Usage(format!(
            "{} exists and is not a folder",
            dest.display()
        )));
    }
    if occupied && !options.force {
        let what = if dest.join(MANIFEST).is_file() {
            "an earlier import"
        } else {
            "files"
        };
        return Err(Error::Usage(format!(
            "{} already holds {what}: docgen import does not write into it. Pass --force to import \
             again (files the last import wrote are updated; files you changed or added are kept, \
             and nothing is deleted), or choose another DEST",
            dest.display()
        )));
    }

    let config_path = src.join("_config.yml");
    let config_text = match config_path.is_file() {
        true => Some(fs::read_to_string(&config_path)?),
        false => None,
    };
    let config = JekyllConfig::parse(config_text.as_deref());
    let plan = files::plan(src, &config)?;

    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for copy in plan.copies.iter().filter(|c| c.kind == Kind::Page) {
        if let Some(layout) = &copy.layout {
            *used.entry(layout.clone()).or_default() += 1;
        }
    }
    let templates = layouts::templates(&used, &plan.layouts);

    let mut outputs: Vec<(String, Bytes)> = plan
        .copies
        .iter()
        .map(|c| match &c.text {
            Some(text) => (c.to.clone(), Bytes::Text(text.clone())),
            None => (c.to.clone(), Bytes::CopyOf(src.join(&c.from))),
        })
        .collect();
    for template in &templates {
        outputs.push((
            format!("templates/{}.html", template.name),
            Bytes::Text(template.text()),
        ));
    }
    let settings = Settings::from(&config);

    fs::create_dir_all(&dest)?;
    let mut manifest = Manifest::read(&dest.join(MANIFEST))?;
    let mut written = Written::default();
    for (rel, bytes) in &outputs {
        write_one(&dest, rel, bytes, &mut manifest, &mut written)?;
    }
    // docgen.toml first with both lenient options, so the check sees every problem without
    // stopping; it is counted once, by what it finally holds.
    let config_before = std::fs::read(dest.join(CONFIG_FILE)).ok();
    let mut first = Written::default();
    let lenient_all = Bytes::Text(settings.toml(Lenient::all()));
    write_one(&dest, CONFIG_FILE, &lenient_all, &mut manifest, &mut first)?;
    written.kept.extend(first.kept);
    manifest.write(&dest.join(MANIFEST))?;

    // Check the new site as `docgen check` does.
    let checked = check(&dest, highlighter);
    let mut diagnostics = config.diagnostics.clone();
    let lenient = match &checked {
        Ok(found) => Lenient::needed(found),
        Err(_) => Lenient::all(),
    };
    if !written.kept.iter().any(|k| k == CONFIG_FILE) {
        // Now with only the lenient options the site needs.
        let text = settings.toml(lenient);
        let mut again = Written::default();
        let now = text.clone().into_bytes();
        write_one(
            &dest,
            CONFIG_FILE,
            &Bytes::Text(text),
            &mut manifest,
            &mut again,
        )?;
        manifest.write(&dest.join(MANIFEST))?;
        match config_before {
            None => written.new += 1,
            Some(before) if before == now => written.unchanged += 1,
            Some(_) => written.updated += 1,
        }
    }
    let check_failed = match checked {
        Ok(found) => {
            diagnostics.extend(found);
            None
        }
        Err(e) => Some(e.to_string()),
    };
    let report = report::Report {
        src,
        dest: &dest,
        config: &config,
        settings: &settings,
        lenient,
        plan: &plan,
        templates: &templates,
        written: &written,
        diagnostics: &diagnostics,
        check_failed: check_failed.as_deref(),
    }
    .text();
    Ok(Imported {
        dest,
        report,
        diagnostics,
    })
}

/// `SRC-docgen` beside SRC.
fn default_dest(src: &Path) -> PathBuf {
    // Resolved, so that `.` and `..` name the site's own folder.
    let absolute = std::fs::canonicalize(src).unwrap_or_else(|_| src.to_path_buf());
    let name = absolute
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    absolute.with_file_name(format!("{name}-docgen"))
}

/// SRC is never written: DEST must not be SRC or inside it, nor hold it.
fn refuse_overlap(src: &Path, dest: &Path) -> Result<()> {
    let src = fs::canonicalize(src)?;
    // DEST may not exist yet: resolve its nearest existing folder, then the rest.
    let resolved = crate::output::absolute(dest)?;
    if resolved.starts_with(&src) {
        return Err(Error::Usage(format!(
            "{} is inside the Jekyll site {}: docgen import never writes into the site it reads — choose a DEST outside it",
            dest.display(),
            src.display()
        )));
    }
    if src.starts_with(&resolved) {
        return Err(Error::Usage(format!(
            "{} holds the Jekyll site {}: choose a DEST outside it",
            dest.display(),
            src.display()
        )));
    }
    Ok(())
}

/// Writes `rel` in `dest` unless the user changed it since the importer last wrote it.
fn write_one(
    dest: &Path,
    rel: &str,
    bytes: &Bytes,
    manifest: &mut Manifest,
    written: &mut Written,
) -> Result<()> {
    let data = match bytes {
        Bytes::CopyOf(path) => fs::read(path)?,
        Bytes::Text(text) => text.clone().into_bytes(),
    };
    let path = dest.join(rel);
    if path.is_dir() {
        written.kept.push(rel.to_string());
        return Ok(());
    }
    if path.exists() {
        let current = fs::read(&path)?;
        if current == data {
            written.unchanged += 1;
            manifest.files.insert(rel.to_string(), hash(&data));
            return Ok(());
        }
        if manifest.files.get(rel) != Some(&hash(&current)) {
            written.kept.push(rel.to_string());
            return Ok(());
        }
        written.updated += 1;
    } else {
        written.new += 1;
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(&path, &data)?;
    manifest.files.insert(rel.to_string(), hash(&data));
    Ok(())
}

/// What the importer wrote into DEST: path → hash of the bytes.
#[derive(Default)]
struct Manifest {
    files: BTreeMap<String, u64>,
}

impl Manifest {
    fn read(path: &Path) -> Result<Manifest> {
        let mut manifest = Manifest::default();
        if !path.is_file() {
            return Ok(manifest);
        }
        for line in fs::read_to_string(path)?.lines() {
            if let Some((hash, file)) = line.split_once("  ")
                && let Ok(hash) = u64::from_str_radix(hash, 16)
            {
                manifest.files.insert(file.to_string(), hash);
            }
        }
        Ok(manifest)
    }

    fn write(&self, path: &Path) -> Result<()> {
        let mut text = String::from(
            "# Written by `docgen import jekyll`: the files it wrote, so that `--force` updates only\n\
             # those you have not changed. Safe to delete once the migration is done.\n",
        );
        for (file, hash) in &self.files {
            text.push_str(&format!("{hash:016x}  {file}\n"));
        }
        fs::write(path, text.as_bytes())
    }
}

/// FNV-1a: a stable hash (the same in every docgen version and on every platform), enough to
/// tell whether a file still holds what the importer wrote.
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Every problem `docgen check` finds in the site at `root`.
fn check(root: &Path, highlighter: &Highlighter) -> Result<Vec<Diagnostic>> {
    let config = Config::load(root, &Overrides::default())?;
    let site = Indexed::load(config)?;
    Ok(crate::engine::build_site(site, None, highlighter)?.diagnostics)
}

/// Which lenient options the new site gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lenient {
    pub broken_links: bool,
    pub undefined_variables: bool,
}

impl Lenient {
    fn all() -> Lenient {
        Lenient {
            broken_links: true,
            undefined_variables: true,
        }
    }

    /// The options the problems found call for.
    fn needed(found: &[Diagnostic]) -> Lenient {
        Lenient {
            broken_links: found.iter().any(|d| d.code == "broken-link"),
            undefined_variables: found.iter().any(is_undefined_variable),
        }
    }
}

/// Whether a diagnostic is about a variable that is not defined.
pub(crate) fn is_undefined_variable(d: &Diagnostic) -> bool {
    d.code == "undefined-variable"
        || (d.code == "template" && d.message.starts_with("unknown variable"))
}

/// The settings `docgen.toml` gets.
#[derive(Debug)]
pub(crate) struct Settings {
    pub title: Option<String>,
    pub base_url: Option<String>,
    /// Why `url` could not become `base_url`.
    pub base_url_problem: Option<String>,
    /// The `[extra]` table.
    pub extra: String,
    pub extra_keys: usize,
}

impl Settings {
    fn from(config: &JekyllConfig) -> Settings {
        let mut base_url_problem = None;
        let base_url = config.base_url.clone().filter(|url| {
            let line = format!("base_url = {}", toml_string(url));
            match Config::parse(Path::new("/"), &line, &Overrides::default()) {
                Ok(_) => true,
                Err(d) => {
                    base_url_problem = Some(d.message);
                    false
                }
            }
        });
        let extra = crate::config::toml_table_text("extra", &config.extra).unwrap_or_else(|e| {
            format!("# The keys of _config.yml could not be written as TOML: {e}\n")
        });
        Settings {
            title: config.title.clone(),
            base_url,
            base_url_problem,
            extra,
            extra_keys: config.extra.len(),
        }
    }

    /// The text of `docgen.toml`.
    fn toml(&self, lenient: Lenient) -> String {
        let mut text = String::from(
            "# Written by `docgen import jekyll` from _config.yml. See docgen's README, \"Coming from Jekyll\".\n",
        );
        if let Some(title) = &self.title {
            text.push_str(&format!("title = {}\n", toml_string(title)));
        }
        match (&self.base_url, &self.base_url_problem) {
            (Some(url), _) => text.push_str(&format!(
                "base_url = {}                # url + baseurl\n",
                toml_string(url)
            )),
            (None, Some(problem)) => text.push_str(&format!(
                "# base_url: not set, the url of _config.yml is refused: {problem}\n"
            )),
            (None, None) => {}
        }
        text.push_str(
            "\n# Jekyll-era sites hold problems Jekyll never reported. While they are fixed, these\n\
             # report each one as a warning instead of failing the build; delete a line once\n\
             # `docgen check` shows none of its kind, so new ones fail the build again.\n",
        );
        match lenient.broken_links {
            true => text.push_str("broken_links = \"warn\"\n"),
            false => text.push_str("# broken_links = \"warn\"         (none found at import)\n"),
        }
        match lenient.undefined_variables {
            true => text.push_str("undefined_variables = \"warn\"\n"),
            false => text.push_str("# undefined_variables = \"warn\"  (none found at import)\n"),
        }
        text.push_str("\n# The other keys of _config.yml: {{ site.KEY }} in pages, site.extra.KEY in templates.\n");
        text.push_str(&self.extra);
        text
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_stable() {
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn settings_write_a_docgen_toml_docgen_reads() {
        let config = JekyllConfig::parse(Some(
            "title: \"Guides \\\"2\\\"\"\nurl: https://docs.example.com\nbaseurl: /docs\nconsole: CE\nnested:\n  a: [1, 2]\n",
        ));
        let settings = Settings::from(&config);
        let text = settings.toml(Lenient {
            broken_links: true,
            undefined_variables: false,
        });
        let parsed = Config::parse(Path::new("/s"), &text, &Overrides::default()).unwrap();
        assert_eq!(parsed.title, "Guides \"2\"");
        assert_eq!(parsed.base_path, "/docs");
        assert_eq!(parsed.broken_links, crate::diagnostic::Severity::Warning);
        assert_eq!(parsed.extra["console"], "CE");
        assert_eq!(parsed.extra["nested"]["a"][1], 2);
        let bad = Settings::from(&JekyllConfig::parse(Some("url: localhost:4000\n")));
        assert!(bad.base_url.is_none());
        assert!(
            bad.toml(Lenient::all()).contains("# base_url: not set, the url of _config.yml is refused: base_url \"localhost:4000\" must be an absolute http:// or https:// URL"),
            "{}",
            bad.toml(Lenient::all())
        );
    }
}

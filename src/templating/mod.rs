//! Parse stage, before Markdown: content templating, so that guides written for Jekyll build
//! unchanged. A page's body is a Liquid template: `{{ page.heading }}`, `{{ site.console }}`,
//! `{{ site.data.glossary.element }}`, `{% include note.html content="…" %}`,
//! `{% include_relative includes/fields.md %}`, `{% raw %}…{% endraw %}`. The expanded text is
//! what Markdown renders; layouts stay Tera.
//!
//! 1. `Templating::load` (once per build) builds the Liquid language, the `site` variables from
//!    docgen.toml, `site.data` from `data/`, and the store of includable files (`includes/`,
//!    and every file below `content/` for `include_relative`), each parsed on first use.
//! 2. `Templating::expand` (per page, in parallel) renders a page's body. A page without `{{`
//!    or `{%` skips Liquid entirely. The result carries a source map, so diagnostics point at
//!    what the writer wrote — in the page, or in the include holding it — and the files the page
//!    used (`Page::dependencies`), which `pages_to_rebuild` turns into the pages an edit touches.
//!
//! The Liquid crates are used from this module only.

mod assign;
mod compiled;
mod data;
mod dialect;
mod errors;
mod filters;
mod jekyll;
mod lenient;
mod limits;
mod loops;
mod markers;
mod prepare;
mod runtime;
mod source_map;
mod store;
mod syntax;
mod tags;
mod values;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use liquid_core::{Runtime, ValueView};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::front_matter::FrontMatter;
use crate::source;

use compiled::Compiled;
pub use source_map::SourceMap;
use store::Store;
use tags::RenderState;
use values::{DataView, Fields, Map};

/// The site folder holding snippets for `{% include %}`.
pub const INCLUDES_DIR: &str = crate::config::dirs::INCLUDES;
/// The site folder holding data files for `site.data`.
pub const DATA_DIR: &str = crate::config::dirs::DATA;

/// What every page's templating shares in one build.
pub struct Templating {
    store: Arc<Store>,
    site: Map,
    data: data::Data,
    /// Problems with data files.
    pub diagnostics: Vec<Diagnostic>,
}

/// A page to expand: its path below `content/`, its whole text, where its body starts, and its
/// front matter.
#[derive(Debug, Clone, Copy)]
pub struct PageSource<'a> {
    pub source: &'a str,
    pub url: &'a str,
    pub text: &'a str,
    pub body_offset: usize,
    pub front: &'a FrontMatter,
}

/// A page after templating.
pub struct Expansion {
    /// The whole text (front matter as written, then the expanded body) with the map back to
    /// where each part was written; `None` when templating failed (the page then renders as
    /// written, and `diagnostics` say why).
    pub expanded: Option<(String, SourceMap)>,
    pub diagnostics: Vec<Diagnostic>,
    /// Site paths of the includes and data files the page used (or asked for), sorted.
    pub dependencies: Vec<String>,
}

impl Templating {
    /// Checks `[include_tags]` (an invalid declaration is a config error), lists `includes/` and
    /// reads `data/` of the site at `config.root`. Included files are
    /// read when a page first asks for them; after one changes, load a new `Templating`.
    pub fn load(config: &Config) -> Result<Templating> {
        check_declared_tags(config).map_err(|d| crate::error::Error::Config(vec![d]))?;
        let includes = source::list_site_files(&config.root, &config.includes_dir())?;
        let (data, mut diagnostics) = data::load(&config.data_dir())?;
        diagnostics.extend(includes.diagnostics);
        let includes = includes.files;
        Ok(Templating {
            store: Arc::new(Store::new(&config.root, dialect::dialect(config), includes)),
            site: values::site_object(config),
            data,
            diagnostics,
        })
    }

    /// Expands a page; `None` when it has nothing to expand (no `{{` or `{%` in its body, or
    /// `templating: false` in its front matter).
    pub fn expand(&self, page: PageSource<'_>) -> Option<Expansion> {
        let body = &page.text[page.body_offset..];
        if !page.front.templating || !(body.contains("{{") || body.contains("{%")) {
            return None;
        }
        let compiled = Arc::new(Compiled::new(
            source::display_path(page.source),
            0,
            Arc::from(page.text),
            page.body_offset,
            &self.store.dialect,
        ));
        let template = match &compiled.template {
            Ok(template) => template,
            Err(problem) => {
                // A page of a hostile pull request may hold a million unknown filters.
                let problems = std::iter::once(problem).chain(&problem.more);
                let mut diagnostics: Vec<Diagnostic> = problems
                    .take(lenient::MAX_REPORTED)
                    .map(|p| errors::problem_diagnostic(&compiled, p, Vec::new()))
                    .collect();
                let unlisted = (1 + problem.more.len()).saturating_sub(lenient::MAX_REPORTED);
                if unlisted > 0 {
                    diagnostics.push(Diagnostic::error(
                        "template",
                        source::display_path(page.source),
                        format!(
                            "{unlisted} more problems of this kind in this page are not listed"
                        ),
                    ));
                }
                return Some(Expansion {
                    expanded: None,
                    diagnostics,
                    dependencies: Vec::new(),
                });
            }
        };
        let page_object = values::page_object(page.source, page.url, page.front);
        let data_read = RefCell::new(BTreeSet::new());
        let data = DataView {
            data: &self.data.tree,
            read: &data_read,
        };
        let mut site_fields: Vec<(&str, &dyn ValueView)> = self
            .site
            .entries()
            .map(|(k, v)| (k, v as &dyn ValueView))
            .collect();
        site_fields.push(("data", &data));
        let site = Fields(site_fields);
        let globals = Fields(vec![("page", &page_object), ("site", &site)]);
        let runtime = runtime::with_globals(&globals);
        {
            let mut state = runtime.registers().get_mut::<RenderState>();
            state.store = Some(Arc::clone(&self.store));
            state.page = Some(Arc::clone(&compiled));
            state.undefined_warns = self.store.dialect.undefined_warns;
        }
        let mut out = Vec::with_capacity(body.len() + body.len() / 2);
        let result = limits::render(template, &mut out, &runtime);
        let mut state = std::mem::take(&mut *runtime.registers().get_mut::<RenderState>());
        let output = String::from_utf8_lossy(&out);
        let mut dependencies = state.dependencies.clone();
        for key in data_read.borrow().iter() {
            dependencies.extend(self.data.dependencies(key));
        }
        let dependencies = dependencies.into_iter().collect();
        let mut diagnostics = std::mem::take(&mut state.problems);
        if state.unreported > 0 {
            diagnostics.push(Diagnostic {
                severity: diagnostics[0].severity,
                ..Diagnostic::error(
                    "undefined-variable",
                    source::display_path(page.source),
                    format!(
                        "{} more uses of undefined variables in this page are not listed",
                        state.unreported
                    ),
                )
            });
        }
        if let Err(failed) = result {
            diagnostics.push(limits::failure_diagnostic(failed, &state, &output));
            return Some(Expansion {
                expanded: None,
                diagnostics,
                dependencies,
            });
        }
        let mut files: BTreeMap<u32, Arc<Compiled>> = state.used;
        files.insert(0, Arc::clone(&compiled));
        let (clean, markers) =
            markers::unmark(&output, |slot, index| files.get(&slot)?.piece_text(index));
        let mut text = String::with_capacity(page.body_offset + clean.len());
        text.push_str(&page.text[..page.body_offset]);
        text.push_str(&clean);
        let map = SourceMap::new(page.body_offset, &markers, files, state.instances);
        Some(Expansion {
            expanded: Some((text, map)),
            diagnostics,
            dependencies,
        })
    }
}

/// Renders `text` — a scaffold template (`file`, for messages) — with Liquid and the variables
/// `globals` (a JSON object). Includes are not available. Used by `docgen new`.
pub fn render_text(
    config: &Config,
    file: &str,
    text: &str,
    globals: &serde_json::Value,
) -> std::result::Result<String, Diagnostic> {
    check_declared_tags(config)?;
    let dialect = dialect::dialect(config);
    let compiled = Arc::new(Compiled::new(
        file.to_string(),
        0,
        Arc::from(text),
        0,
        &dialect,
    ));
    let template = match &compiled.template {
        Ok(template) => template,
        Err(problem) => return Err(errors::problem_diagnostic(&compiled, problem, Vec::new())),
    };
    let values::Tree::Map(globals) = values::to_tree(globals) else {
        return Err(Diagnostic::error(
            "template",
            file,
            "variables must be an object",
        ));
    };
    let runtime = runtime::with_globals(&globals);
    runtime.registers().get_mut::<RenderState>().page = Some(Arc::clone(&compiled));
    let mut out = Vec::new();
    let result = limits::render(template, &mut out, &runtime);
    let mut state = std::mem::take(&mut *runtime.registers().get_mut::<RenderState>());
    if let Err(failed) = result {
        let output = String::from_utf8_lossy(&out);
        return Err(limits::failure_diagnostic(failed, &state, &output));
    }
    if !state.problems.is_empty() {
        return Err(state.problems.swap_remove(0));
    }
    let output = String::from_utf8_lossy(&out);
    let (clean, _) = markers::unmark(&output, |slot, index| {
        (slot == 0).then(|| compiled.piece_text(index)).flatten()
    });
    Ok(clean)
}

/// Checks the tags of `[include_tags]` (their names are tag names, `Config` saw to that): none
/// is one of docgen's own tags, and each file is inside `includes/`. The error is placed at the
/// tag's line of docgen.toml; the first one found is returned, in name order.
pub fn check_declared_tags(config: &Config) -> std::result::Result<(), Diagnostic> {
    for (name, file) in &config.include_tags {
        if is_builtin_tag(name) {
            return Err(config.error_at_key(
                name,
                format!("[include_tags] `{name}` is a built-in tag and cannot be redeclared"),
            ));
        }
        if include_path(file).is_none() {
            return Err(config.error_at_key(
                name,
                format!(
                    "[include_tags] `{name}`: \"{file}\" must be a file name inside includes/ (no `..`, not absolute)"
                ),
            ));
        }
    }
    Ok(())
}

/// Whether `name` is one of the Liquid tags docgen has built in (so `[include_tags]` cannot
/// declare it).
fn is_builtin_tag(name: &str) -> bool {
    dialect::BUILTIN_TAGS.contains(&name)
        || ["else", "elsif", "when", "endhighlight"].contains(&name)
        || name
            .strip_prefix("end")
            .is_some_and(|block| dialect::BUILTIN_TAGS.contains(&block))
}

/// The site path of `name` in `includes/`, or `None` when it would leave the folder.
fn include_path(name: &str) -> Option<String> {
    tags::resolve(false, "", name)
}

/// What `pages_to_rebuild` needs of a page (`Page` implements it): which page it is, and the
/// site paths its templating used (`Expansion::dependencies`).
pub trait Dependent {
    /// Its path below `content/`.
    fn source(&self) -> &str;
    fn dependencies(&self) -> &[String];
}

/// The pages to parse again after the file at site path `changed` (`includes/note.html`,
/// `data/glossary.yml`, `content/elements/box/includes/fields.md`) was edited, added or
/// removed: those whose templating used it, or asked for it and did not find it. For a data
/// file, every page that read its top-level key. Sorted by source. The changed file itself, when
/// it is a page, is not included: it is rebuilt because it changed. An edit below `includes/`
/// or `data/` also needs a fresh `Templating` (which reads them).
pub fn pages_to_rebuild<P: Dependent>(pages: &[P], changed: &str) -> Vec<String> {
    let changed = changed.trim_start_matches("./");
    let changed_key = data_key(changed);
    let mut sources: Vec<String> = pages
        .iter()
        .filter(|page| {
            page.dependencies().iter().any(|dependency| {
                dependency == changed
                    || (changed_key.is_some() && data_key(dependency) == changed_key)
            })
        })
        .map(|page| page.source().to_string())
        .collect();
    sources.sort();
    sources
}

/// The top-level `site.data` key of a path below `data/`: `data/elements/box.yml` → `elements`.
fn data_key(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(DATA_DIR)?.strip_prefix('/')?;
    Some(match rest.split_once('/') {
        Some((dir, _)) => dir,
        None => rest.rsplit_once('.').map_or(rest, |(stem, _)| stem),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_tags_may_not_be_built_in_or_leave_includes() {
        // (docgen.toml, line, message start)
        let cases = [
            (
                "[include_tags]\nif = \"x.html\"\n",
                2,
                "[include_tags] `if` is a built-in tag",
            ),
            (
                "[include_tags]\nendhighlight = \"x.html\"\n",
                2,
                "[include_tags] `endhighlight` is a built-in tag",
            ),
            (
                "[include_tags]\nicon = \"../x.html\"\n",
                2,
                "[include_tags] `icon`: \"../x.html\" must be",
            ),
            (
                "[include_tags]\na = \"a.html\"\nicon = \"/x.html\"\n",
                3,
                "[include_tags] `icon`: \"/x.html\" must be",
            ),
        ];
        for (text, line, message) in cases {
            let config = Config::parse(
                std::path::Path::new("/site"),
                text,
                &crate::config::Overrides::default(),
            )
            .unwrap();
            let d = check_declared_tags(&config).unwrap_err();
            assert!(d.message.starts_with(message), "{}", d.message);
            assert_eq!((d.file.as_str(), d.line), ("docgen.toml", line), "{text}");
        }
        let fine = "[include_tags]\nicon = \"icon.html\"\nyt = \"media/yt.html\"\n";
        let config = Config::parse(
            std::path::Path::new("/site"),
            fine,
            &crate::config::Overrides::default(),
        )
        .unwrap();
        assert!(check_declared_tags(&config).is_ok());
    }

    #[test]
    fn text_renders_with_the_given_variables() {
        let config = Config::parse(
            std::path::Path::new("/site"),
            "",
            &crate::config::Overrides::default(),
        )
        .unwrap();
        let vars = serde_json::json!({"element": {"heading": "Box", "key": "box"}});
        assert_eq!(
            render_text(
                &config,
                "t.md",
                "# {{ element.heading }}\n\n{% raw %}{{ page.x }}{% endraw %} {{ element.key }}\n",
                &vars
            )
            .unwrap(),
            "# Box\n\n{{ page.x }} box\n"
        );
        let d = render_text(&config, "t.md", "one\n{{ element.heding }}\n", &vars).unwrap_err();
        assert_eq!(
            d.headline(),
            "t.md:2:4: unknown variable element.heding — did you mean \"element.heading\"?"
        );
    }

    #[test]
    fn data_paths_map_to_their_top_level_key() {
        assert_eq!(data_key("data/glossary.yml"), Some("glossary"));
        assert_eq!(data_key("data/glossary"), Some("glossary"));
        assert_eq!(data_key("data/elements/box.json"), Some("elements"));
        assert_eq!(data_key("includes/note.html"), None);
        assert_eq!(data_key("database.md"), None);
    }
}

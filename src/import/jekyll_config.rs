//! `docgen import jekyll`, settings: `_config.yml` read as Jekyll reads it and turned into the
//! settings of a docgen site — `title`, `url` + `baseurl` → `base_url`, `exclude` and `include`
//! for the file walk, `plugins` mapped to what replaces them, `defaults` and `permalink` for the
//! pages (see `front_defaults`, `files`), and every other key kept for `{{ site.x }}` in
//! `[extra]`.

use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;

/// What `_config.yml` says, as the importer uses it.
#[derive(Debug, Default)]
pub struct JekyllConfig {
    pub title: Option<String>,
    /// `url` + `baseurl`, when `url` is set.
    pub base_url: Option<String>,
    /// Jekyll's `exclude` (plus Jekyll's own default excludes).
    pub exclude: Vec<String>,
    /// Jekyll's `include`: names that are published although hidden or `_`-prefixed.
    pub include: Vec<String>,
    /// `plugins` (and the older `gems`), as listed.
    pub plugins: Vec<String>,
    /// Names of the collections (`collections:`), whose `_NAME/` folders Jekyll renders.
    pub collections: Vec<String>,
    /// `defaults:`, in the order written.
    pub defaults: Vec<FrontDefault>,
    /// `permalink:`, the site's permalink style (`pretty`, `/:categories/:title/`…).
    pub permalink: Option<String>,
    /// Every other key, for `[extra]` (keys whose value TOML cannot hold are left out).
    pub extra: Map<String, Value>,
    /// Keys left out of `[extra]` because TOML has no null: (key, why).
    pub dropped: Vec<String>,
    /// Settings of Jekyll's own build that docgen does not follow, with what to do instead.
    pub unsupported: Vec<(String, String)>,
    /// Problems reading the file.
    pub diagnostics: Vec<Diagnostic>,
}

/// One entry of `defaults:`: front matter values for the pages its scope matches.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontDefault {
    /// `scope.path`: a folder or file prefix (`elements`, `docs/faq.md`), or a glob with `*`;
    /// empty for every page.
    pub path: String,
    /// `scope.type`, when given (`pages`, `posts`, a collection).
    pub kind: Option<String>,
    pub values: Map<String, Value>,
}

/// Jekyll's default `exclude` list (Jekyll 4.3), which a site's own list adds to.
pub const DEFAULT_EXCLUDE: &[&str] = &[
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
];

/// Keys Jekyll uses for its own build: they say how Jekyll works, not what pages show, so they
/// are not carried into `[extra]` (the report says what replaces the ones that matter).
const BUILD_KEYS: &[&str] = &[
    "source",
    "destination",
    "safe",
    "keep_files",
    "encoding",
    "markdown_ext",
    "strict_front_matter",
    "show_drafts",
    "limit_posts",
    "future",
    "unpublished",
    "whitelist",
    "lsi",
    "incremental",
    "profile",
    "livereload",
    "livereload_port",
    "port",
    "host",
    "detach",
    "show_dir_listing",
    "quiet",
    "verbose",
    "liquid",
    "webrick",
    "plugins_dir",
    "layouts_dir",
    "data_dir",
    "includes_dir",
    "cache_dir",
    "disable_disk_cache",
];

impl JekyllConfig {
    /// Reads the text of `_config.yml` (`None` when the site has none).
    pub fn parse(text: Option<&str>) -> JekyllConfig {
        let mut config = JekyllConfig {
            exclude: DEFAULT_EXCLUDE.iter().map(|s| s.to_string()).collect(),
            include: vec![".htaccess".to_string()],
            ..JekyllConfig::default()
        };
        let Some(text) = text else {
            return config;
        };
        let map = match crate::front_matter::yaml_data("_config.yml", text) {
            Ok(Value::Object(map)) => map,
            Ok(Value::Null) => return config,
            Ok(_) => {
                config.diagnostics.push(Diagnostic::error(
                    "config",
                    "_config.yml",
                    "_config.yml must be `key: value` lines: it is not read",
                ));
                return config;
            }
            Err(d) => {
                config.diagnostics.push(d);
                return config;
            }
        };
        let mut url = None;
        let mut baseurl = None;
        for (key, value) in map {
            match key.as_str() {
                "title" => config.title = scalar_text(&value),
                "url" => url = scalar_text(&value),
                "baseurl" => baseurl = scalar_text(&value),
                "exclude" => config.exclude.extend(texts(&value)),
                "include" => config.include.extend(texts(&value)),
                "plugins" | "gems" => config.plugins.extend(texts(&value)),
                "collections" => {
                    config.collections = match &value {
                        Value::Object(map) => map.keys().cloned().collect(),
                        other => texts(other),
                    };
                    config.unsupported.push((
                        "collections".into(),
                        "docgen has no collections: their `_NAME/` folders are not carried over; \
                         move their pages into content/"
                            .into(),
                    ));
                }
                "permalink" => config.permalink = scalar_text(&value),
                "paginate" | "paginate_path" | "pagination" => config.unsupported.push((
                    key.clone(),
                    "docgen does not paginate: list pages in a layout instead".into(),
                )),
                "defaults" => {
                    config.defaults = front_defaults(&value, &mut config.unsupported);
                    continue;
                }
                "markdown" | "kramdown" | "highlighter" | "sass" | "theme" | "remote_theme" => {
                    let what = match key.as_str() {
                        "markdown" | "kramdown" => {
                            "docgen renders CommonMark with kramdown's common extensions"
                        }
                        "highlighter" => {
                            "docgen highlights code itself (CSS classes, highlight.css)"
                        }
                        "sass" => "docgen does not compile Sass: put the compiled CSS in static/",
                        _ => {
                            "Jekyll themes are gems: docgen uses its default theme (override it in templates/)"
                        }
                    };
                    config.unsupported.push((key.clone(), what.into()));
                    continue;
                }
                _ if BUILD_KEYS.contains(&key.as_str()) => continue,
                _ => {}
            }
            if matches!(
                key.as_str(),
                "title"
                    | "url"
                    | "baseurl"
                    | "exclude"
                    | "include"
                    | "plugins"
                    | "gems"
                    | "collections"
                    | "permalink"
            ) {
                continue;
            }
            match without_nulls(value) {
                Some(value) => {
                    config.extra.insert(key, value);
                }
                None => config.dropped.push(key),
            }
        }
        config.base_url = url.filter(|u| !u.trim().is_empty()).map(|url| {
            let base = baseurl.unwrap_or_default();
            let base = base.trim().trim_matches('/');
            let url = url.trim().trim_end_matches('/');
            if base.is_empty() {
                url.to_string()
            } else {
                format!("{url}/{base}")
            }
        });
        config
    }

    /// Whether pages may do without front matter, as `jekyll-optional-front-matter` (on by
    /// default on GitHub Pages) lets them.
    pub fn optional_front_matter(&self) -> bool {
        self.plugins
            .iter()
            .any(|p| p == "jekyll-optional-front-matter" || p == "github-pages")
    }
}

/// What replaces a Jekyll plugin in docgen: `(built in?, what to do)`.
pub fn plugin_replacement(plugin: &str) -> (bool, &'static str) {
    match plugin {
        "jekyll-redirect-from" => (true, "built in: redirect_from in front matter"),
        "jekyll-sitemap" => (true, "built in: sitemap.xml is generated"),
        "jekyll-seo-tag" => (
            true,
            "built in: the default theme writes <title> (front matter `seo`), the description and the canonical link",
        ),
        "jekyll-relative-links" => (true, "built in: links to .md files resolve to their pages"),
        "jekyll-optional-front-matter" => (true, "built in: every .md file is a page"),
        "jekyll-titles-from-headings" => (true, "built in: a page's title is its first heading"),
        "jekyll-default-layout" => (true, "built in: pages without `layout` use page.html"),
        "jekyll-readme-index" => (false, "not supported: name the folder's page index.md"),
        "jekyll-toc" => (true, "built in: layouts get `toc`, the page's headings"),
        "jekyll-include-cache" => (
            false,
            "includes are parsed once per build: replace {% include_cached %} with {% include %}",
        ),
        "jekyll-feed" => (false, "not supported: docgen writes no Atom feed"),
        "jekyll-paginate" | "jekyll-paginate-v2" => {
            (false, "not supported: docgen does not paginate")
        }
        "jemoji" => (false, "not supported: write emoji as characters"),
        "jekyll-mentions" => (false, "not supported: write @mentions as links"),
        "jekyll-github-metadata" => (
            false,
            "not supported: put the values you use (site.github.…) in [extra]",
        ),
        "jekyll-last-modified-at" => (false, "not supported: docgen writes no modification dates"),
        "github-pages" => (
            true,
            "its plugins are built in (redirect_from, sitemap, relative links, optional front matter, titles from headings)",
        ),
        _ => (
            false,
            "no docgen equivalent: a Liquid tag it added is reported as an unknown tag (declare it in [include_tags])",
        ),
    }
}

/// A scalar as text (numbers and booleans as written); `None` for nothing, lists and maps.
/// The entries of `defaults:`; one Jekyll could not read either is listed in `unsupported`.
fn front_defaults(value: &Value, unsupported: &mut Vec<(String, String)>) -> Vec<FrontDefault> {
    let entries = match value {
        Value::Array(entries) => entries.as_slice(),
        Value::Null => &[],
        _ => {
            unsupported.push((
                "defaults".into(),
                "not a list of `- scope: … values: …` entries: not applied".into(),
            ));
            &[]
        }
    };
    let mut defaults = Vec::new();
    for (n, entry) in entries.iter().enumerate() {
        let values = entry.get("values").and_then(Value::as_object);
        let scope = entry.get("scope");
        let path = scope
            .and_then(|s| s.get("path"))
            .and_then(scalar_text)
            .unwrap_or_default();
        let kind = scope.and_then(|s| s.get("type")).and_then(scalar_text);
        match values {
            Some(values) => defaults.push(FrontDefault {
                path: path.trim_matches('/').to_string(),
                kind,
                values: values.clone(),
            }),
            None => unsupported.push((
                format!("defaults entry {}", n + 1),
                "has no `values:` map: not applied".into(),
            )),
        }
    }
    defaults
}

impl JekyllConfig {
    /// The front matter `defaults:` give the page at `rel` (below SRC), as Jekyll merges them:
    /// a longer scope path wins over a shorter one, a scope with `type` over one without, and
    /// a later entry over an earlier equal one; nested maps are merged.
    pub fn defaults_for(&self, rel: &str) -> Map<String, Value> {
        let mut merged = Map::new();
        let mut winner: Option<&FrontDefault> = None;
        for set in &self.defaults {
            if set.kind.as_deref().is_some_and(|k| k != "pages") || !scope_matches(&set.path, rel) {
                continue;
            }
            let precedes = winner.is_none_or(|old| match set.path.len().cmp(&old.path.len()) {
                std::cmp::Ordering::Equal => set.kind.is_some() || old.kind.is_none(),
                longer => longer == std::cmp::Ordering::Greater,
            });
            if precedes {
                deep_merge(&mut merged, &set.values);
                winner = Some(set);
            } else {
                let mut under = set.values.clone();
                deep_merge(&mut under, &merged);
                merged = under;
            }
        }
        merged
    }
}

/// Whether a `scope.path` covers `rel`: Jekyll compares the start of the path as text
/// (`elements` covers `elements/box/index.md` and `elements.md`); with `*`, the glob must match
/// the path or one of its folders.
fn scope_matches(scope: &str, rel: &str) -> bool {
    if scope.is_empty() || scope == "." {
        return true;
    }
    if !scope.contains('*') {
        return rel.starts_with(scope);
    }
    let Ok(glob) = globset::GlobBuilder::new(scope)
        .literal_separator(true)
        .build()
    else {
        return false;
    };
    let glob = glob.compile_matcher();
    rel.match_indices('/')
        .map(|(i, _)| &rel[..i])
        .chain(std::iter::once(rel))
        .any(|prefix| glob.is_match(prefix))
}

/// `over` merged onto `base`: maps key by key, any other value replaced.
pub fn deep_merge(base: &mut Map<String, Value>, over: &Map<String, Value>) {
    for (key, value) in over {
        match (base.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(more)) => deep_merge(inner, more),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// One text or a list of texts.
fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(scalar_text).collect(),
        other => scalar_text(other).into_iter().collect(),
    }
}

/// `value` without null values (TOML has none); `None` when nothing is left.
fn without_nulls(value: Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::Array(items) => Some(Value::Array(
            items.into_iter().filter_map(without_nulls).collect(),
        )),
        Value::Object(map) => Some(Value::Object(
            map.into_iter()
                .filter_map(|(k, v)| without_nulls(v).map(|v| (k, v)))
                .collect(),
        )),
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jekyll_settings_and_keeps_the_rest_for_pages() {
        let config = JekyllConfig::parse(Some(
            "title: Element Guides\nurl: https://docs.example.com/\nbaseurl: /docs/\n\
             exclude: [scripts, \"*.sh\"]\nplugins:\n  - jekyll-redirect-from\n  - jekyll-feed\n\
             console: Cloud Elements\nsupport:\n  email: help@example.com\n  phone:\n\
             markdown: kramdown\nsafe: true\nversion: 2.1\nempty:\n",
        ));
        assert_eq!(config.title.as_deref(), Some("Element Guides"));
        assert_eq!(
            config.base_url.as_deref(),
            Some("https://docs.example.com/docs")
        );
        assert!(config.exclude.contains(&"scripts".to_string()));
        assert!(config.exclude.contains(&"Gemfile".to_string()), "defaults");
        assert_eq!(config.plugins, ["jekyll-redirect-from", "jekyll-feed"]);
        let extra = serde_json::to_string(&config.extra).unwrap();
        assert_eq!(
            extra,
            r#"{"console":"Cloud Elements","support":{"email":"help@example.com"},"version":2.1}"#
        );
        assert_eq!(config.dropped, ["empty"]);
        assert_eq!(config.unsupported[0].0, "markdown");
    }

    #[test]
    fn defaults_merge_as_jekyll_merges_them() {
        let config = JekyllConfig::parse(Some(
            "defaults:\n\
             - scope: {path: \"\"}\n  values: {layout: default, nav: {show: true, depth: 1}}\n\
             - scope: {path: elements, type: pages}\n  values: {layout: guide, nav: {depth: 2}}\n\
             - scope: {path: elements}\n  values: {layout: other, console: yes}\n\
             - scope: {path: \"docs/*/step-1.md\"}\n  values: {order: 1}\n\
             - scope: {path: \"\", type: posts}\n  values: {layout: post}\n\
             - scope: {path: docs}\n",
        ));
        let defaults = |rel| serde_json::to_string(&config.defaults_for(rel)).unwrap();
        assert_eq!(
            defaults("index.md"),
            r#"{"layout":"default","nav":{"depth":1,"show":true}}"#
        );
        // Same path length: the scope with a type wins; nested maps merge.
        assert_eq!(
            defaults("elements/box/index.md"),
            r#"{"console":"yes","layout":"guide","nav":{"depth":2,"show":true}}"#
        );
        // A text prefix, as in Jekyll.
        assert!(defaults("elements.md").contains(r#""layout":"guide""#));
        assert!(defaults("docs/tutorial/step-1.md").contains(r#""order":1"#));
        assert!(!defaults("docs/tutorial/step-2.md").contains("order"));
        assert_eq!(config.unsupported[0].0, "defaults entry 6");
        assert!(!config.extra.contains_key("defaults"));
    }

    #[test]
    fn url_without_baseurl_and_no_config_at_all() {
        let config = JekyllConfig::parse(Some("url: \"https://h.example.com\"\nbaseurl: \"\"\n"));
        assert_eq!(config.base_url.as_deref(), Some("https://h.example.com"));
        let none = JekyllConfig::parse(None);
        assert!(none.base_url.is_none() && none.title.is_none());
        let bad = JekyllConfig::parse(Some("title: [unclosed\n"));
        assert_eq!(bad.diagnostics.len(), 1);
        assert_eq!(bad.diagnostics[0].file, "_config.yml");
    }

    #[test]
    fn optional_front_matter_follows_the_plugins() {
        assert!(!JekyllConfig::parse(Some("plugins: [jekyll-feed]")).optional_front_matter());
        assert!(JekyllConfig::parse(Some("gems: [github-pages]")).optional_front_matter());
    }
}

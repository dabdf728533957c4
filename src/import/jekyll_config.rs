//! `docgen import jekyll`, settings: `_config.yml` read as Jekyll reads it and turned into the
//! settings of a docgen site — `title`, `url` + `baseurl` → `base_url`, `exclude` and `include`
//! for the file walk, `plugins` mapped to what replaces them, and every other key kept for
//! `{{ site.x }}` in `[extra]`.

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
    /// Every other key, for `[extra]` (keys whose value TOML cannot hold are left out).
    pub extra: Map<String, Value>,
    /// Keys left out of `[extra]` because TOML has no null: (key, why).
    pub dropped: Vec<String>,
    /// Settings of Jekyll's own build that docgen does not follow, with what to do instead.
    pub unsupported: Vec<(String, String)>,
    /// Problems reading the file.
    pub diagnostics: Vec<Diagnostic>,
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
                "permalink" => config.unsupported.push((
                    format!("permalink: {}", scalar_text(&value).unwrap_or_default()),
                    "docgen publishes a page at the URL of its file (x.md → x.html, \
                     folder/index.md → folder/); list old URLs in redirect_from"
                        .into(),
                )),
                "paginate" | "paginate_path" | "pagination" => config.unsupported.push((
                    key.clone(),
                    "docgen does not paginate: list pages in a layout instead".into(),
                )),
                "defaults" => config.unsupported.push((
                    "defaults".into(),
                    "front matter defaults are not applied: set the keys in the pages \
                     (kept in [extra].defaults for reference)"
                        .into(),
                )),
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

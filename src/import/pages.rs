//! `docgen import jekyll`, pages: what one page of the Jekyll site becomes in `content/` —
//! the `defaults:` of `_config.yml` that cover it added to its front matter, and the path that
//! gives the URL Jekyll publishes it at (its `permalink` or the site's permalink style). Pure:
//! the walk in `files` reads the file and hands its bytes here.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::files::{Copy, Kind, Reader, Skipped};
use super::jekyll_config::deep_merge;

/// Adds the page at `rel` (its `bytes`, and its front matter when it starts with one) to the
/// plan, at the content path that gives the URL Jekyll publishes it at.
pub(super) fn add(reader: &mut Reader<'_>, rel: &str, bytes: &[u8], front: Option<String>) {
    let Reader {
        config,
        plan,
        pages,
        ..
    } = reader;
    let ext = super::files::extension(rel);
    let text = String::from_utf8_lossy(bytes);
    // A front matter that is not valid YAML (a key given twice, which Jekyll's YAML reader
    // lets the last one win) is copied as written, without defaults: rewriting it from what
    // could be read would drop every key the page sets. The check of the new site reports it
    // at its line.
    let unreadable = front
        .as_deref()
        .and_then(|yaml| crate::front_matter::yaml_data("front matter", yaml).err());
    let own = front.as_deref().map(object_of).unwrap_or_default();
    let changes = match unreadable {
        Some(_) => FromDefaults::default(),
        None => from_defaults(config.defaults_for(rel), &own),
    };
    let new_text = (!changes.is_empty())
        .then(|| std::str::from_utf8(bytes).ok())
        .flatten()
        .map(|text| with_defaults(text, front.is_some(), &own, &changes));
    let fields: BTreeMap<String, String> = own
        .iter()
        .chain(&changes.added)
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect();
    let mut target = match ext {
        "html" => rel.to_string(),
        _ => format!("{}.md", &rel[..rel.len() - ext.len() - 1]),
    };
    let mut note = (ext != "md" && ext != "html").then(|| format!("renamed from .{ext}"));
    if let Some(problem) = &unreadable
        && !config.defaults_for(rel).is_empty()
    {
        note = Some(format!(
            "its front matter is not valid YAML ({}): copied as written, without the defaults of _config.yml; fix it and import again with --force",
            problem.message
        ));
    }
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
        return;
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

/// What `defaults:` change in a page's front matter, as Jekyll applies them
/// (`Utils.deep_merge_hashes(defaults, page)`): the page's own values win, and where both the
/// page and a default give a map for a key, the two maps are merged key by key.
#[derive(Debug, Default, PartialEq)]
struct FromDefaults {
    /// Keys the page does not set, with the default's value.
    added: Map<String, Value>,
    /// Keys whose map the page sets and a default extends: the merged map.
    merged: Map<String, Value>,
}

impl FromDefaults {
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.merged.is_empty()
    }
}

fn from_defaults(defaults: Map<String, Value>, own: &Map<String, Value>) -> FromDefaults {
    let mut changes = FromDefaults::default();
    for (key, value) in defaults {
        match (own.get(&key), value) {
            (None, value) => {
                changes.added.insert(key, value);
            }
            (Some(Value::Object(mine)), Value::Object(mut both)) => {
                deep_merge(&mut both, mine);
                if both != *mine {
                    changes.merged.insert(key, Value::Object(both));
                }
            }
            // Anything else the page sets replaces the default whole.
            (Some(_), _) => {}
        }
    }
    changes
}

/// `text` (a page, with front matter when `has_front`; `own` is what that front matter holds)
/// with `changes` written into its front matter: each added key at the end as `key: value`
/// with the value in JSON, which YAML reads as written, and each merged map in place of the
/// page's own lines for that key. Should the page's YAML be too unusual for that (an anchor
/// used by the key replaced, say), the whole front matter is written out the same way.
fn with_defaults(
    text: &str,
    has_front: bool,
    own: &Map<String, Value>,
    changes: &FromDefaults,
) -> String {
    let mut lines = String::new();
    if !changes.added.is_empty() {
        lines.push_str("# from defaults: in _config.yml\n");
        push_keys(&mut lines, &changes.added);
    }
    if !changes.merged.is_empty() {
        lines.push_str("# the page's own values merged over defaults: in _config.yml\n");
        push_keys(&mut lines, &changes.merged);
    }
    if !has_front {
        return format!("---\n{lines}---\n{text}");
    }
    // The front matter's lines: after the opening `---`, up to the closing `---` (or `...`).
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut end = start;
    while end < text.len() {
        let next = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        if matches!(text[end..next].trim_end(), "---" | "...") {
            break;
        }
        end = next;
    }
    let mut yaml = without_keys(&text[start..end], &changes.merged);
    if !yaml.is_empty() && !yaml.ends_with('\n') {
        yaml.push('\n');
    }
    yaml.push_str(&lines);
    let mut expected = own.clone();
    expected.extend(changes.added.clone());
    expected.extend(changes.merged.clone());
    if object_of(&yaml) != expected {
        yaml = String::from("# front matter merged with defaults: in _config.yml\n");
        push_keys(&mut yaml, &expected);
    }
    format!("{}{yaml}{}", &text[..start], &text[end..])
}

/// Appends `key: value` lines, each value in JSON.
fn push_keys(lines: &mut String, keys: &Map<String, Value>) {
    for (key, value) in keys {
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let key = match plain {
            true => key.clone(),
            false => Value::String(key.clone()).to_string(),
        };
        lines.push_str(&format!("{key}: {value}\n"));
    }
}

/// `yaml` (a block map) without the lines of the top-level `keys`: each key's line and what is
/// indented under it or continues it (`- item` lines may sit at the key's own indentation),
/// but not the blank or comment lines before the next key.
fn without_keys(yaml: &str, keys: &Map<String, Value>) -> String {
    let lines: Vec<&str> = yaml.split_inclusive('\n').collect();
    let mut out = String::with_capacity(yaml.len());
    let mut at = 0;
    while at < lines.len() {
        if top_level_key(lines[at]).is_none_or(|k| !keys.contains_key(&k)) {
            out.push_str(lines[at]);
            at += 1;
            continue;
        }
        let mut last = at;
        let mut next = at + 1;
        while next < lines.len() {
            let line = lines[next];
            let blank_or_comment = line.trim().is_empty() || line.starts_with('#');
            let continues =
                line.starts_with([' ', '\t']) || line.starts_with("- ") || line.trim_end() == "-";
            if continues && !blank_or_comment {
                last = next;
            } else if !blank_or_comment {
                break;
            }
            next += 1;
        }
        at = last + 1;
    }
    out
}

/// The key a line of a block map starts at column 0 (`key:`, `"key":`, `'key':`).
fn top_level_key(line: &str) -> Option<String> {
    let (key, rest) = match line.chars().next()? {
        q @ ('"' | '\'') => {
            let close = line[1..].find(q)? + 1;
            let raw = &line[1..close];
            let key = match q {
                '"' => serde_json::from_str::<String>(&line[..=close]).ok()?,
                _ => raw.replace("''", "'"),
            };
            (key, line[close + 1..].trim_start_matches([' ', '\t']))
        }
        ' ' | '\t' | '#' | '-' | '?' | '{' | '[' => return None,
        _ => {
            let colon = line.match_indices(':').find(|(i, _)| {
                line[i + 1..].is_empty() || line[i + 1..].starts_with([' ', '\t', '\n', '\r'])
            })?;
            (line[..colon.0].trim_end().to_string(), &line[colon.0..])
        }
    };
    rest.starts_with(':').then_some(key)
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
fn object_of(yaml: &str) -> Map<String, Value> {
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
pub(super) fn layout_of(text: &str) -> Option<String> {
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

    /// A page's text after the import with `defaults` (JSON) applied.
    fn imported(text: &str, defaults: &str) -> String {
        let front = front_matter_of(text.as_bytes());
        let own = front.as_deref().map(object_of).unwrap_or_default();
        let changes = from_defaults(serde_json::from_str(defaults).unwrap(), &own);
        with_defaults(text, front.is_some(), &own, &changes)
    }

    #[test]
    fn defaults_are_added_to_the_front_matter() {
        let defaults = r#"{"layout": "guide", "tags": ["a", "b"], "odd key": "say \"hi\"\n"}"#;
        let with = imported("---\ntitle: T\n---\nBody\n", defaults);
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
            imported("Body\n", defaults),
            "---\n# from defaults: in _config.yml\nlayout: \"guide\"\n\
             \"odd key\": \"say \\\"hi\\\"\\n\"\ntags: [\"a\",\"b\"]\n---\nBody\n"
        );
    }

    #[test]
    fn nested_maps_of_defaults_and_page_are_deep_merged() {
        let defaults = r#"{"seo": {"image": "/img/card.png", "twitter": {"site": "@acme", "card": "summary"}},
                           "tags": ["default"], "sidebar": {"nav": "docs"}, "layout": "guide"}"#;
        // The page's map keeps its own values and gains the default's others, at every depth;
        // a list or a scalar the page sets replaces the default whole; a map the page sets over
        // a default that is not one wins as it is.
        let page = "---\ntitle: T\nseo:\n  # the card\n  twitter:\n    card: large\n\n# next\ntags: [mine]\nsidebar: none\nlayout: page\n---\nBody\n";
        assert_eq!(
            imported(page, defaults),
            "---\ntitle: T\n\n# next\ntags: [mine]\nsidebar: none\nlayout: page\n\
             # the page's own values merged over defaults: in _config.yml\n\
             seo: {\"image\":\"/img/card.png\",\"twitter\":{\"card\":\"large\",\"site\":\"@acme\"}}\n\
             ---\nBody\n"
        );
        // Flow maps, quoted keys and lists at the key's own indentation are a key's lines too.
        let page = "---\n\"seo\": {twitter: {site: \"@me\"}}\nsidebar:\n- a\n- b\ntitle: T\n---\n";
        assert_eq!(
            imported(page, defaults),
            "---\nsidebar:\n- a\n- b\ntitle: T\n# from defaults: in _config.yml\n\
             layout: \"guide\"\ntags: [\"default\"]\n\
             # the page's own values merged over defaults: in _config.yml\n\
             seo: {\"image\":\"/img/card.png\",\"twitter\":{\"card\":\"summary\",\"site\":\"@me\"}}\n---\n"
        );
        // A map the defaults add nothing to stays as the page wrote it.
        let page = "---\nseo:\n  image: /x.png\n  twitter: {site: a, card: b}\nlayout: page\ntags: []\nsidebar: {nav: docs}\n---\n";
        assert_eq!(imported(page, defaults), page);
        // YAML the importer cannot edit line by line (the replaced key's value is an anchor
        // another key uses): the whole front matter is written out, merged.
        let page = "---\nseo: &card\n  twitter: {card: large}\nshare: *card\n---\nBody\n";
        let with = imported(page, r#"{"seo": {"image": "/i.png"}}"#);
        assert_eq!(
            with,
            "---\n# front matter merged with defaults: in _config.yml\n\
             seo: {\"image\":\"/i.png\",\"twitter\":{\"card\":\"large\"}}\n\
             share: {\"twitter\":{\"card\":\"large\"}}\n---\nBody\n"
        );
    }

    #[test]
    fn top_level_keys_of_front_matter_lines() {
        let cases = [
            ("seo:\n", Some("seo")),
            ("seo: {a: 1}\n", Some("seo")),
            ("url: http://x\n", Some("url")),
            ("a:b: c\n", Some("a:b")),
            ("\"odd key\": 1\n", Some("odd key")),
            ("'it''s': 1\n", None),
            ("  nested: 1\n", None),
            ("- item\n", None),
            ("# seo: x\n", None),
            ("plain text\n", None),
        ];
        for (line, key) in cases {
            assert_eq!(top_level_key(line).as_deref(), key, "{line:?}");
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

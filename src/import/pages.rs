//! `docgen import jekyll`, pages: what one page of the Jekyll site becomes in `content/` —
//! the `defaults:` of `_config.yml` that cover it added to its front matter, and the path that
//! gives the URL Jekyll publishes it at (its `permalink` or the site's permalink style). Pure:
//! the walk in `files` reads the file and hands its bytes here.

use std::collections::BTreeMap;

use super::files::{Copy, Kind, Reader, Skipped};

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
    let own = front.as_deref().map(object_of).unwrap_or_default();
    // `defaults:` fill in what the page does not set itself (the page's own value wins).
    let added: serde_json::Map<String, serde_json::Value> = config
        .defaults_for(rel)
        .into_iter()
        .filter(|(key, _)| !own.contains_key(key))
        .collect();
    let new_text = (!added.is_empty())
        .then(|| std::str::from_utf8(bytes).ok())
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

//! `docgen import jekyll`, layouts: Jekyll layouts are Liquid and cannot run as docgen's Tera
//! templates, so for every `layout:` name the pages use that the default theme lacks, the
//! importer writes a small `templates/NAME.html` extending the closest default-theme layout —
//! every page renders, and the writer ports what the Jekyll layout added at leisure.

use crate::wording::count as plural;
use std::collections::BTreeMap;

/// The default theme's layouts (what `layout:` may name in a new site).
pub const THEME_LAYOUTS: &[&str] = &["docs", "elements", "page", "sidebarelementdoc"];

/// A template the importer writes for a layout name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutTemplate {
    pub name: String,
    /// The default-theme layout it extends, or `None` for Jekyll's `none` (content only).
    pub extends: Option<&'static str>,
    /// `_layouts/NAME.html` when the Jekyll site has it, and the layouts it is laid out in.
    pub chain: Vec<String>,
    /// How many pages use it.
    pub pages: usize,
}

impl LayoutTemplate {
    /// The text of `templates/NAME.html`.
    pub fn text(&self) -> String {
        let from = if self.chain.is_empty() {
            "the Jekyll site has no _layouts file for it".to_string()
        } else {
            let files: Vec<String> = self
                .chain
                .iter()
                .map(|l| format!("_layouts/{l}.html"))
                .collect();
            format!("Jekyll rendered them with {}", files.join(", laid out in "))
        };
        match self.extends {
            Some(parent) => format!(
                "{{% extends \"{parent}.html\" %}}\n\
                 {{#- Written by `docgen import jekyll` for the {pages} with `layout: {name}` ({from}).\n    \
                 It renders them like the default theme's {parent}.html. To port what the Jekyll layout\n    \
                 added, override the blocks of base.html here (title, head, header, sidebar, content,\n    \
                 doc_header, toc, body, pager, footer): {{% block footer %}}…{{% endblock footer %}}. -#}}\n",
                pages = plural(self.pages, "page", "pages"),
                name = self.name,
            ),
            None => format!(
                "{{#- Written by `docgen import jekyll`: `layout: {name}` means no layout in Jekyll, so the\n    \
                 {pages} using it are written as their content alone. -#}}\n\
                 {{{{ page.content | safe }}}}\n",
                pages = plural(self.pages, "page", "pages"),
                name = self.name,
            ),
        }
    }
}

/// The templates to write for the `used` layout names (name → pages using it), given the
/// Jekyll site's layouts (name → (its own layout, its text)).
pub fn templates(
    used: &BTreeMap<String, usize>,
    jekyll: &BTreeMap<String, (Option<String>, String)>,
) -> Vec<LayoutTemplate> {
    used.iter()
        .filter(|(name, _)| !THEME_LAYOUTS.contains(&name.as_str()))
        .map(|(name, &pages)| {
            let chain = chain(name, jekyll);
            let extends = if name == "none" {
                None
            } else {
                Some(closest(name, &chain, jekyll))
            };
            LayoutTemplate {
                name: name.clone(),
                extends,
                chain,
                pages,
            }
        })
        .collect()
}

/// `name` and the layouts it is laid out in, as far as the Jekyll site has them (a cycle stops).
fn chain(name: &str, jekyll: &BTreeMap<String, (Option<String>, String)>) -> Vec<String> {
    let mut chain: Vec<String> = Vec::new();
    let mut next = Some(name.to_string());
    while let Some(layout) = next {
        if chain.contains(&layout) || !jekyll.contains_key(&layout) {
            break;
        }
        next = jekyll[&layout].0.clone();
        chain.push(layout);
    }
    chain
}

/// The default-theme layout closest to a Jekyll layout, judged by its name and the names and
/// text of the layouts in its chain: an element sidebar, a docs page with a table of contents,
/// or a plain page.
fn closest(
    name: &str,
    chain: &[String],
    jekyll: &BTreeMap<String, (Option<String>, String)>,
) -> &'static str {
    let names: Vec<String> = std::iter::once(name.to_string())
        .chain(chain.iter().cloned())
        .map(|n| n.to_lowercase())
        .collect();
    let texts: Vec<String> = chain.iter().map(|l| jekyll[l].1.to_lowercase()).collect();
    if let Some(theme) = names
        .iter()
        .find_map(|n| THEME_LAYOUTS.iter().find(|l| *l == n))
    {
        return theme;
    }
    // The names say most: the layout's own first, then those it is laid out in; the text of
    // the layouts decides only when no name does.
    for name in &names {
        if let Some(layout) = by_name(name) {
            return layout;
        }
    }
    if texts.iter().any(|t| t.contains("sidebar")) {
        "sidebarelementdoc"
    } else if texts
        .iter()
        .any(|t| t.contains("toc") || t.contains("table of contents"))
    {
        "docs"
    } else {
        "page"
    }
}

/// The theme layout a layout name suggests, if it suggests one.
fn by_name(name: &str) -> Option<&'static str> {
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["element", "sidebar", "connector"]) {
        Some("sidebarelementdoc")
    } else if has(&[
        "doc",
        "guide",
        "api",
        "reference",
        "manual",
        "tutorial",
        "article",
    ]) {
        Some("docs")
    } else if has(&["home", "landing", "index", "plain", "blank"]) {
        Some("page")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jekyll(
        layouts: &[(&str, Option<&str>, &str)],
    ) -> BTreeMap<String, (Option<String>, String)> {
        layouts
            .iter()
            .map(|(n, p, t)| (n.to_string(), (p.map(str::to_string), t.to_string())))
            .collect()
    }

    #[test]
    fn each_unknown_layout_extends_the_closest_theme_layout() {
        let site = jekyll(&[
            ("default", None, "<html>{{ content }}</html>"),
            ("guide", Some("default"), "<article>{{ content }}</article>"),
            (
                "wrapper",
                Some("default"),
                "{% include sidebar.html %}{{ content }}",
            ),
            ("reference", Some("default"), "{{ content }}"),
            ("loop", Some("loop"), ""),
        ]);
        let used: BTreeMap<String, usize> = [
            ("default", 3),
            ("guide", 40),
            ("reference", 1),
            ("page", 2),
            ("home", 1),
            ("none", 1),
            ("loop", 1),
            ("wrapper", 1),
        ]
        .into_iter()
        .map(|(n, c)| (n.to_string(), c))
        .collect();
        let planned: Vec<(String, Option<&str>, Vec<String>)> = templates(&used, &site)
            .into_iter()
            .map(|t| (t.name, t.extends, t.chain))
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            planned,
            [
                ("default".into(), Some("page"), s(&["default"])),
                ("guide".into(), Some("docs"), s(&["guide", "default"])),
                ("home".into(), Some("page"), s(&[])),
                ("loop".into(), Some("page"), s(&["loop"])),
                ("none".into(), None, s(&[])),
                (
                    "reference".into(),
                    Some("docs"),
                    s(&["reference", "default"])
                ),
                (
                    "wrapper".into(),
                    Some("sidebarelementdoc"),
                    s(&["wrapper", "default"])
                ),
            ]
        );
    }

    #[test]
    fn the_template_says_where_it_comes_from() {
        let template = LayoutTemplate {
            name: "guide".into(),
            extends: Some("sidebarelementdoc"),
            chain: vec!["guide".into(), "default".into()],
            pages: 40,
        };
        let text = template.text();
        assert!(
            text.starts_with("{% extends \"sidebarelementdoc.html\" %}\n"),
            "{text}"
        );
        assert!(
            text.contains("for the 40 pages with `layout: guide` (Jekyll rendered them with _layouts/guide.html, laid out in _layouts/default.html)"),
            "{text}"
        );
    }
}

//! The variables a page's templating sees: `page` (its front matter), `site` (docgen.toml and
//! `site.data`), as Liquid values. `site.data` is a view that records which data files a page
//! reads, so an edit to one rebuilds just the pages that use it.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;

use liquid_core::model::{
    ArrayView, DisplayCow, KString, KStringCow, ObjectRender, ObjectSource, State,
};
use liquid_core::{Object, ObjectView, Value, ValueView};

use crate::config::Config;
use crate::front_matter::FrontMatter;

/// A value of front matter, config or data. Liquid's own `Object` is a hash map, which would
/// make `{% for pair in site.data.glossary %}` list pairs in a different order on every build;
/// a `Tree` map keeps its keys sorted, so output is deterministic.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    Scalar(Value),
    List(Vec<Tree>),
    Map(Map),
}

/// An object whose keys iterate in sorted order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Map(Vec<(KString, Tree)>);

impl Map {
    /// Sets `key` (keeping the keys sorted).
    pub fn insert(&mut self, key: &str, value: Tree) {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (KString::from_ref(key), value)),
        }
    }

    pub fn get_tree(&self, key: &str) -> Option<&Tree> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }

    pub fn get_tree_mut(&mut self, key: &str) -> Option<&mut Tree> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| &mut self.0[i].1)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get_tree(key).is_some()
    }

    pub fn entries(&self) -> impl Iterator<Item = (&str, &Tree)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn key_names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

impl Tree {
    pub fn text(text: impl Into<String>) -> Tree {
        Tree::Scalar(Value::scalar(text.into()))
    }
}

/// A JSON value (front matter, config, data files) as a Liquid value.
pub fn to_tree(json: &serde_json::Value) -> Tree {
    match json {
        serde_json::Value::Array(items) => Tree::List(items.iter().map(to_tree).collect()),
        serde_json::Value::Object(map) => {
            let mut out = Map::default();
            for (key, value) in map {
                out.insert(key, to_tree(value));
            }
            Tree::Map(out)
        }
        scalar => Tree::Scalar(liquid_core::to_value(scalar).unwrap_or(Value::Nil)),
    }
}

/// `page`: every front matter key as written, plus `url` (the site path) and `path`
/// (`content/…`) unless the front matter sets them.
pub fn page_object(source: &str, url: &str, front: &FrontMatter) -> Map {
    let mut page = Map::default();
    let texts = [
        ("heading", &front.heading),
        ("seo", &front.seo),
        ("title", &front.title),
        ("description", &front.description),
        ("layout", &front.layout),
        ("breadcrumbs", &front.breadcrumbs),
        ("parent", &front.parent),
        ("elementId", &front.element_id),
        ("logo", &front.logo),
    ];
    for (key, value) in texts {
        if let Some(value) = value {
            page.insert(key, Tree::text(value.clone()));
        }
    }
    if let Some(order) = front.order {
        page.insert("order", Tree::Scalar(Value::scalar(order)));
    }
    page.insert("sitemap", Tree::Scalar(Value::scalar(front.sitemap)));
    page.insert("draft", Tree::Scalar(Value::scalar(front.draft)));
    for (key, value) in &front.extra {
        page.insert(key, to_tree(value));
    }
    if !page.contains("url") {
        page.insert("url", Tree::text(url));
    }
    if !page.contains("path") {
        page.insert("path", Tree::text(crate::source::display_path(source)));
    }
    page
}

/// `site` without `data`: `title`, `url` (the base URL), `baseurl` (its path) and every key of
/// `[extra]`; the built-in keys win over `[extra]`.
pub fn site_object(config: &Config) -> Map {
    let mut site = Map::default();
    for (key, value) in &config.extra {
        site.insert(key, to_tree(value));
    }
    site.insert("title", Tree::text(config.title.clone()));
    site.insert(
        "url",
        Tree::text(config.base_url.clone().unwrap_or_default()),
    );
    site.insert("baseurl", Tree::text(config.base_path.clone()));
    site
}

impl ValueView for Tree {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        match self {
            Tree::Scalar(v) => v.render(),
            Tree::List(items) => items.render(),
            Tree::Map(map) => map.render(),
        }
    }
    fn source(&self) -> DisplayCow<'_> {
        match self {
            Tree::Scalar(v) => v.source(),
            Tree::List(items) => items.source(),
            Tree::Map(map) => map.source(),
        }
    }
    fn type_name(&self) -> &'static str {
        match self {
            Tree::Scalar(v) => v.type_name(),
            Tree::List(_) => "array",
            Tree::Map(_) => "object",
        }
    }
    fn query_state(&self, state: State) -> bool {
        match self {
            Tree::Scalar(v) => v.query_state(state),
            Tree::List(items) => items.query_state(state),
            Tree::Map(map) => map.query_state(state),
        }
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        match self {
            Tree::Scalar(v) => v.to_kstr(),
            Tree::List(items) => items.to_kstr(),
            Tree::Map(map) => map.to_kstr(),
        }
    }
    fn to_value(&self) -> Value {
        match self {
            Tree::Scalar(v) => v.clone(),
            Tree::List(items) => items.to_value(),
            Tree::Map(map) => map.to_value(),
        }
    }
    fn as_scalar(&self) -> Option<liquid_core::model::ScalarCow<'_>> {
        match self {
            Tree::Scalar(v) => v.as_scalar(),
            _ => None,
        }
    }
    fn as_array(&self) -> Option<&dyn ArrayView> {
        match self {
            Tree::List(items) => Some(items),
            _ => None,
        }
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        match self {
            Tree::Map(map) => Some(map),
            _ => None,
        }
    }
    fn as_state(&self) -> Option<State> {
        match self {
            Tree::Scalar(v) => v.as_state(),
            _ => None,
        }
    }
    fn is_nil(&self) -> bool {
        matches!(self, Tree::Scalar(v) if v.is_nil())
    }
}

impl ValueView for Map {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(ObjectRender::new(self)))
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(ObjectSource::new(self)))
    }
    fn type_name(&self) -> &'static str {
        "object"
    }
    fn query_state(&self, state: State) -> bool {
        match state {
            State::Truthy => true,
            State::DefaultValue | State::Empty | State::Blank => self.0.is_empty(),
        }
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_string(ObjectRender::new(self).to_string())
    }
    fn to_value(&self) -> Value {
        let mut object = Object::new();
        for (key, value) in &self.0 {
            object.insert(key.clone(), value.to_value());
        }
        Value::Object(object)
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
}

impl ObjectView for Map {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.0.len() as i64
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(self.0.iter().map(|(k, _)| KStringCow::from_ref(k.as_str())))
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.0.iter().map(|(_, v)| v as &dyn ValueView))
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(
            self.0
                .iter()
                .map(|(k, v)| (KStringCow::from_ref(k.as_str()), v as &dyn ValueView)),
        )
    }
    fn contains_key(&self, index: &str) -> bool {
        self.contains(index)
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        self.get_tree(index).map(|v| v as &dyn ValueView)
    }
}

/// An object made of borrowed values: the globals of one render (`page`, `site`) and `site`
/// itself (its config keys and the recording `data`).
#[derive(Debug)]
pub struct Fields<'a>(pub Vec<(&'a str, &'a dyn ValueView)>);

impl ValueView for Fields<'_> {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(ObjectRender::new(self)))
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Owned(Box::new(ObjectSource::new(self)))
    }
    fn type_name(&self) -> &'static str {
        "object"
    }
    fn query_state(&self, state: State) -> bool {
        match state {
            State::Truthy => true,
            State::DefaultValue | State::Empty | State::Blank => self.0.is_empty(),
        }
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_string(ObjectRender::new(self).to_string())
    }
    fn to_value(&self) -> Value {
        let mut object = Object::new();
        for (key, value) in &self.0 {
            object.insert(KString::from_ref(key), value.to_value());
        }
        Value::Object(object)
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
}

impl ObjectView for Fields<'_> {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.0.len() as i64
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(self.0.iter().map(|(k, _)| KStringCow::from_ref(k)))
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(self.0.iter().map(|(_, v)| *v))
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(self.0.iter().map(|(k, v)| (KStringCow::from_ref(k), *v)))
    }
    fn contains_key(&self, index: &str) -> bool {
        self.0.iter().any(|(k, _)| *k == index)
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        self.0.iter().find(|(k, _)| *k == index).map(|(_, v)| *v)
    }
}

/// `site.data`, noting each top-level key a page reads (all of them when it walks the whole).
#[derive(Debug)]
pub struct DataView<'a> {
    pub data: &'a Map,
    pub read: &'a RefCell<BTreeSet<String>>,
}

impl DataView<'_> {
    fn read_all(&self) {
        self.read
            .borrow_mut()
            .extend(self.data.key_names().map(str::to_string));
    }
}

impl ValueView for DataView<'_> {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        self.read_all();
        self.data.render()
    }
    fn source(&self) -> DisplayCow<'_> {
        self.read_all();
        self.data.source()
    }
    fn type_name(&self) -> &'static str {
        "object"
    }
    fn query_state(&self, state: State) -> bool {
        self.data.query_state(state)
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        self.read_all();
        self.data.to_kstr()
    }
    fn to_value(&self) -> Value {
        self.read_all();
        self.data.to_value()
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
}

impl ObjectView for DataView<'_> {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.data.size()
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        self.read_all();
        ObjectView::keys(self.data)
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        self.read_all();
        ObjectView::values(self.data)
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        self.read_all();
        ObjectView::iter(self.data)
    }
    fn contains_key(&self, index: &str) -> bool {
        self.read.borrow_mut().insert(index.to_string());
        ObjectView::contains_key(self.data, index)
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        self.read.borrow_mut().insert(index.to_string());
        ObjectView::get(self.data, index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_has_every_front_matter_key_as_written() {
        let parsed = crate::front_matter::parse(
            "p.md",
            "---\nheading: Box\nelementId: 22\norder: 3\nelementKey: box\napiKey: k\n---\n",
        );
        let page = page_object("elements/box/index.md", "/elements/box/", &parsed.front);
        let get = |k: &str| page.get_tree(k).map(|v| v.render().to_string());
        assert_eq!(get("heading").as_deref(), Some("Box"));
        assert_eq!(get("elementId").as_deref(), Some("22"));
        assert_eq!(get("order").as_deref(), Some("3"));
        assert_eq!(get("elementKey").as_deref(), Some("box"));
        assert_eq!(get("url").as_deref(), Some("/elements/box/"));
        assert_eq!(
            get("path").as_deref(),
            Some("content/elements/box/index.md")
        );
        assert_eq!(get("title"), None);
    }

    #[test]
    fn maps_iterate_in_key_order() {
        let json = serde_json::json!({"b": 1, "a": [1, {"z": 1, "y": 2}], "c": "x"});
        let tree = to_tree(&json);
        let keys: Vec<_> = tree
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.to_string())
            .collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert_eq!(tree.as_object().unwrap().get("c").unwrap().to_kstr(), "x");
    }

    #[test]
    fn data_view_records_what_is_read() {
        let mut data = Map::default();
        data.insert("glossary", Tree::text("g"));
        data.insert("elements", Tree::text("e"));
        let read = RefCell::new(BTreeSet::new());
        let view = DataView {
            data: &data,
            read: &read,
        };
        assert!(ObjectView::get(&view, "glossary").is_some());
        assert!(ObjectView::get(&view, "missing").is_none());
        assert_eq!(
            read.borrow().iter().collect::<Vec<_>>(),
            ["glossary", "missing"]
        );
        let _ = view.to_value();
        assert!(read.borrow().contains("elements"));
    }
}

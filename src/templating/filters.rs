//! The Jekyll filters guides use that Liquid's libraries lack: `relative_url`, `absolute_url`
//! (the site's base URL in front of a site path) and `jsonify`; and `NilAs`, which gives
//! liquid-lib's list and number filters nil as Ruby's Liquid does.

use std::fmt;

use liquid_core::model::{Value, ValueView};
use liquid_core::parser::{FilterArguments, FilterReflection, ParameterReflection, ParseFilter};
use liquid_core::{Error, Filter, Result, Runtime};

use crate::config::Config;

/// `{{ "/elements.html" | relative_url }}` → `/docs/elements.html`; `absolute_url` also puts
/// the origin of `base_url` in front (when the site has one).
#[derive(Debug, Clone)]
pub struct UrlFilter {
    name: &'static str,
    /// What a site path gets in front of it.
    prefix: String,
}

impl UrlFilter {
    pub fn relative(config: &Config) -> UrlFilter {
        UrlFilter {
            name: "relative_url",
            prefix: config.base_path.clone(),
        }
    }

    pub fn absolute(config: &Config) -> UrlFilter {
        UrlFilter {
            name: "absolute_url",
            prefix: config.base_url.clone().unwrap_or(config.base_path.clone()),
        }
    }
}

impl fmt::Display for UrlFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl Filter for UrlFilter {
    fn evaluate(&self, input: &dyn ValueView, _runtime: &dyn Runtime) -> Result<Value> {
        let path = input.to_kstr();
        let path = path.as_str();
        if path.contains("://") || path.starts_with("//") {
            return Ok(Value::scalar(path.to_string()));
        }
        let slash = if path.starts_with('/') { "" } else { "/" };
        Ok(Value::scalar(format!("{}{slash}{path}", self.prefix)))
    }
}

impl FilterReflection for UrlFilter {
    fn name(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        "puts the site's base URL in front of a site path"
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for UrlFilter {
    fn parse(&self, arguments: FilterArguments) -> Result<Box<dyn Filter>> {
        no_arguments(self.name, arguments)?;
        Ok(Box::new(self.clone()))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

/// `{{ site.data.box | jsonify }}`: the value as JSON (object keys sorted).
#[derive(Debug, Clone, Copy)]
pub struct Jsonify;

impl fmt::Display for Jsonify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("jsonify")
    }
}

impl Filter for Jsonify {
    fn evaluate(&self, input: &dyn ValueView, _runtime: &dyn Runtime) -> Result<Value> {
        let json = serde_json::to_value(input.to_value())
            .and_then(|v| serde_json::to_string(&v))
            .map_err(|e| Error::with_msg(format!("cannot be written as JSON: {e}")))?;
        Ok(Value::scalar(json))
    }
}

impl FilterReflection for Jsonify {
    fn name(&self) -> &str {
        "jsonify"
    }
    fn description(&self) -> &str {
        "writes a value as JSON"
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for Jsonify {
    fn parse(&self, arguments: FilterArguments) -> Result<Box<dyn Filter>> {
        no_arguments("jsonify", arguments)?;
        Ok(Box::new(*self))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

pub(super) fn no_arguments(name: &str, mut arguments: FilterArguments) -> Result<()> {
    if arguments.positional.next().is_some() || arguments.keyword.next().is_some() {
        return Err(Error::with_msg(format!("`{name}` takes no arguments")));
    }
    Ok(())
}

/// A list or number filter that reads nil as Ruby's Liquid (Jekyll's) does: as an empty list
/// (`InputIterator`: `{{ page.tags | join: ", " }}` on a page without tags is empty text) or
/// as 0 (`Utils.to_number`: `{{ page.count | plus: 1 }}` is 1). liquid-lib stops the page with
/// "invalid input" instead.
#[derive(Debug, Clone)]
pub struct NilAs<F> {
    filter: F,
    instead: fn() -> Value,
    /// An empty list gives an empty list without asking the filter (liquid-lib's Jekyll
    /// `sort` refuses one: "Non-empty array expected"; Jekyll's returns it).
    empty_unchanged: bool,
}

impl<F> NilAs<F> {
    /// `filter`, reading nil as an empty list.
    pub fn list(filter: F) -> Self {
        NilAs {
            filter,
            instead: || Value::Array(Vec::new()),
            empty_unchanged: false,
        }
    }

    /// `filter` (a list filter), giving an empty list for an empty list or nil.
    pub fn empty_unchanged(filter: F) -> Self {
        NilAs {
            empty_unchanged: true,
            ..NilAs::list(filter)
        }
    }

    /// `filter`, reading nil as 0.
    pub fn zero(filter: F) -> Self {
        NilAs {
            filter,
            instead: || Value::scalar(0),
            empty_unchanged: false,
        }
    }
}

impl<F: ParseFilter + Clone + 'static> ParseFilter for NilAs<F> {
    fn parse(&self, arguments: FilterArguments) -> Result<Box<dyn Filter>> {
        Ok(Box::new(NilAsFilter {
            inner: self.filter.parse(arguments)?,
            instead: self.instead,
            empty_unchanged: self.empty_unchanged,
        }))
    }

    fn reflection(&self) -> &dyn FilterReflection {
        self.filter.reflection()
    }
}

#[derive(Debug)]
struct NilAsFilter {
    inner: Box<dyn Filter>,
    instead: fn() -> Value,
    empty_unchanged: bool,
}

impl fmt::Display for NilAsFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl Filter for NilAsFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let empty = input.is_nil() || input.as_array().is_some_and(|a| a.size() == 0);
        match input.is_nil() {
            _ if self.empty_unchanged && empty => Ok(Value::Array(Vec::new())),
            true => self.inner.evaluate(&(self.instead)(), runtime),
            false => self.inner.evaluate(input, runtime),
        }
    }
}

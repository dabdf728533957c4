//! The Liquid that Jekyll sites get from Jekyll itself or its plugins: `{% highlight %}`,
//! `{% link %}`, the `markdownify` filter, and custom tags declared in `[include_tags]` that
//! render an include (`{% icon fa-check %}` → `includes/icon.html`).
//!
//! `prepare` does the part that needs the text as written: it turns `{% highlight LANG %}…
//! {% endhighlight %}` into a fenced code block (so Markdown highlights it like any other), and
//! hands `{% link %}` and declared tags their offset (and a declared tag its markup as written).

use std::fmt;
use std::io::Write;
use std::sync::Arc;

use liquid_core::model::{Value, ValueView};
use liquid_core::parser::{
    BlockReflection, FilterArguments, FilterReflection, ParameterReflection, ParseBlock,
    ParseFilter, TagBlock, TryMatchToken,
};
use liquid_core::runtime::Template;
use liquid_core::{
    Error, Filter, Language, ParseTag, Renderable, Result, Runtime, TagReflection, TagTokenIter,
};

use super::lenient::{self, Lenient};
use super::tags::{Include, RenderState, literal_number};
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;

fn io_error(e: std::io::Error) -> Error {
    Error::with_msg(format!("cannot write: {e}"))
}

/// The offset `prepare` puts after a tag's first argument.
fn offset(arguments: &mut TagTokenIter) -> Result<usize> {
    let value = arguments
        .expect_next("an offset is expected")?
        .expect_literal()
        .into_result()?;
    Ok(value
        .as_scalar()
        .and_then(|s| s.to_integer())
        .unwrap_or(0)
        .max(0) as usize)
}

/// A tag declared in `[include_tags]`: `icon = "icon.html"`.
#[derive(Debug, Clone)]
pub struct DeclaredTag {
    pub name: String,
    pub file: String,
    description: String,
}

impl DeclaredTag {
    pub fn new(name: &str, file: &str) -> DeclaredTag {
        DeclaredTag {
            name: name.to_string(),
            file: file.to_string(),
            description: format!("renders includes/{file} (declared in [include_tags])"),
        }
    }
}

impl TagReflection for DeclaredTag {
    fn tag(&self) -> &str {
        &self.name
    }

    fn description(&self) -> &str {
        &self.description
    }
}

impl ParseTag for DeclaredTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter,
        _options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let token = arguments.expect_next("the tag's markup is expected")?;
        let markup = literal_number(token.as_str())
            .ok_or_else(|| Error::with_msg(format!("`{}` needs its markup", self.name)))?;
        let at = offset(&mut arguments)?;
        Ok(Box::new(Include::declared(&self.file, at, markup)))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// `{% link elements/box/index.md %}`: the URL of that file below `content/` (or `static/`).
/// In a Markdown link (`[Box]({% link … %})`) it becomes `@/elements/box/index.md`, which the
/// link stage resolves and checks like any link, at its place; elsewhere (raw HTML) it is
/// resolved here and a missing file is reported at the tag.
#[derive(Debug, Clone, Copy)]
pub struct LinkTag;

impl TagReflection for LinkTag {
    fn tag(&self) -> &str {
        "link"
    }

    fn description(&self) -> &str {
        "the URL of a page or file, checked"
    }
}

impl ParseTag for LinkTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let token = arguments.expect_next("a file path is expected")?;
        let written = match token.expect_literal() {
            TryMatchToken::Matches(value) => value.to_kstr().to_string(),
            TryMatchToken::Fails(token) => token.as_str().to_string(),
        };
        let built = if written.contains("{{") || written.contains("{%") {
            Some(Template::new(liquid_core::parser::parse(
                &written, options,
            )?))
        } else {
            None
        };
        let at = offset(&mut arguments)?;
        let in_markdown = arguments.next().is_some();
        Ok(Box::new(Link {
            written,
            built,
            at,
            in_markdown,
        }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Link {
    written: String,
    built: Option<Template>,
    at: usize,
    in_markdown: bool,
}

impl Renderable for Link {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        lenient::reached(runtime, self.at);
        let path = match &self.built {
            Some(template) => template.render(&Lenient::new(runtime, Some(self.at), true))?,
            None => self.written.clone(),
        };
        let path = path.trim().trim_start_matches("./").trim_start_matches('/');
        let mut state = runtime.registers().get_mut::<RenderState>();
        let (Some(store), Some(current)) = (state.store.clone(), state.current().cloned()) else {
            return Err(Error::with_msg("link is only available in docgen pages"));
        };
        let is_page = path.ends_with(".md");
        if self.in_markdown && is_page {
            // The link stage resolves it, reports it where it was written, and rewrites it.
            return write!(writer, "@/{path}").map_err(io_error);
        }
        let content = format!("content/{path}");
        let found = ["content", "static"]
            .iter()
            .find(|dir| store.root().join(dir).join(path).is_file());
        state.dependencies.insert(content.clone());
        let url = if is_page {
            crate::links::url_for_source(path)
        } else {
            format!("/{path}")
        };
        if found.is_none() {
            let folder = content.rsplit_once('/').map_or("content", |(dir, _)| dir);
            let file = path.rsplit('/').next().unwrap_or(path);
            let names = store.names_in(folder);
            let near =
                crate::suggest::closest(file, names.iter().map(String::as_str)).map(|name| {
                    match path.rsplit_once('/') {
                        Some((dir, _)) => format!("{dir}/{name}"),
                        None => name.to_string(),
                    }
                });
            let (line, column) = current.position(self.at);
            let tag = current.text.get(self.at..).unwrap_or("");
            let len = tag.find("%}").map_or(1, |i| tag[..i + 2].chars().count());
            let message = format!("broken link: {{% link {path} %}} — no file {content}");
            let d = if store.dialect.broken_links_warn {
                Diagnostic::warning("broken-link", &current.path, message)
            } else {
                Diagnostic::error("broken-link", &current.path, message)
            };
            let via = state.chain();
            state.problems.push(
                d.at(line, column)
                    .with_suggestion(near)
                    .with_via(via)
                    .with_source_lines(&current.line_index(), len),
            );
        }
        drop(state);
        if self.in_markdown {
            return write!(writer, "{url}").map_err(io_error);
        }
        write!(writer, "{}{url}", store.dialect.base_path).map_err(io_error)
    }
}

/// `{% highlight json %}`: `prepare` turns each closed one into a fenced code block. This block
/// is what Liquid sees of one never closed, so that it says so.
#[derive(Debug, Clone, Copy)]
pub struct HighlightBlock;

impl BlockReflection for HighlightBlock {
    fn start_tag(&self) -> &str {
        "highlight"
    }

    fn end_tag(&self) -> &str {
        "endhighlight"
    }

    fn description(&self) -> &str {
        "highlighted code, like a fenced code block"
    }
}

impl ParseBlock for HighlightBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter,
        mut block: TagBlock,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let lang = arguments
            .next()
            .map(|t| t.as_str().to_string())
            .unwrap_or_default();
        while arguments.next().is_some() {}
        let body = Template::new(block.parse_all(options)?);
        Ok(Box::new(Highlight { lang, body }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Highlight {
    lang: String,
    body: Template,
}

impl Renderable for Highlight {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        write!(writer, "\n```{}\n", self.lang).map_err(io_error)?;
        self.body.render_to(writer, runtime)?;
        write!(writer, "\n```\n").map_err(io_error)
    }
}

/// `{{ include.content | markdownify }}`: Markdown to HTML, as Jekyll's filter does.
#[derive(Clone)]
pub struct Markdownify {
    highlighter: Arc<Highlighter>,
}

impl Markdownify {
    pub fn new(highlighter: Arc<Highlighter>) -> Markdownify {
        Markdownify { highlighter }
    }
}

impl fmt::Debug for Markdownify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Markdownify")
    }
}

impl fmt::Display for Markdownify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("markdownify")
    }
}

impl Filter for Markdownify {
    fn evaluate(&self, input: &dyn ValueView, _runtime: &dyn Runtime) -> Result<Value> {
        let text = input.to_kstr();
        Ok(Value::scalar(crate::markdown::markdownify(
            text.as_str(),
            &self.highlighter,
        )))
    }
}

impl FilterReflection for Markdownify {
    fn name(&self) -> &str {
        "markdownify"
    }
    fn description(&self) -> &str {
        "renders Markdown as HTML"
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for Markdownify {
    fn parse(&self, arguments: FilterArguments) -> Result<Box<dyn Filter>> {
        super::filters::no_arguments("markdownify", arguments)?;
        Ok(Box::new(self.clone()))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

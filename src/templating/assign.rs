//! Parse stage, content templating: Liquid's `assign` and `capture`, written again so that the
//! values they store are charged to the page's budget (see `limits`).

use std::io::Write;

use liquid_core::model::KString;
use liquid_core::parser::FilterChain;
use liquid_core::{
    BlockReflection, Error, Language, ParseBlock, ParseTag, Renderable, Result, Runtime, TagBlock,
    TagReflection, TagTokenIter, Template, Value,
};

use super::limits::{self, Metered};

/// `{% assign name = value | filter %}`.
#[derive(Debug, Clone, Copy)]
pub struct AssignTag;

impl TagReflection for AssignTag {
    fn tag(&self) -> &str {
        "assign"
    }
    fn description(&self) -> &str {
        "sets a variable"
    }
}

impl ParseTag for AssignTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let name = arguments
            .expect_next("Identifier expected.")?
            .expect_identifier()
            .into_result()?;
        let name = KString::from_ref(name);
        arguments
            .expect_next("Assignment operator \"=\" expected.")?
            .expect_str("=")
            .into_result_custom_msg("Assignment operator \"=\" expected.")?;
        let value = arguments
            .expect_next("FilterChain expected.")?
            .expect_filter_chain(options)
            .into_result()?;
        arguments.expect_nothing()?;
        Ok(Box::new(Assign { name, value }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Assign {
    name: KString,
    value: FilterChain,
}

impl Renderable for Assign {
    fn render_to(&self, _writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let value = self.value.evaluate(runtime)?;
        limits::charge_value(value.as_view())?;
        runtime.set_global(self.name.clone(), value.into_owned());
        Ok(())
    }
}

/// `{% capture name %}…{% endcapture %}`.
#[derive(Debug, Clone, Copy)]
pub struct CaptureBlock;

impl BlockReflection for CaptureBlock {
    fn start_tag(&self) -> &str {
        "capture"
    }
    fn end_tag(&self) -> &str {
        "endcapture"
    }
    fn description(&self) -> &str {
        "sets a variable to the text of its content"
    }
}

impl ParseBlock for CaptureBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let name = arguments
            .expect_next("Identifier expected")?
            .expect_identifier()
            .into_result()?;
        let name = KString::from_ref(name);
        arguments.expect_nothing()?;
        let body = Template::new(tokens.parse_all(options)?);
        tokens.assert_empty();
        Ok(Box::new(Capture { name, body }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Capture {
    name: KString,
    body: Template,
}

impl Renderable for Capture {
    fn render_to(&self, _writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let mut captured = Vec::new();
        self.body.render_to(
            &mut Metered {
                inner: &mut captured,
            },
            runtime,
        )?;
        let text = String::from_utf8(captured)
            .map_err(|_| Error::with_msg("the captured text is not valid UTF-8"))?;
        runtime.set_global(self.name.clone(), Value::scalar(text));
        Ok(())
    }
}

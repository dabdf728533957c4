//! Parse and render stage, content templating: the wrappers every tag, block and filter is
//! registered in, so that parsing numbers each tag and rendering counts nesting, includes and
//! produced text against the page's budget and knows which construct it is in.

use std::io::Write;

use liquid_core::parser::{FilterArguments, ParseFilter};
use liquid_core::{
    BlockReflection, Filter, FilterReflection, Language, ParseBlock, ParseTag, Renderable, Result,
    Runtime, TagBlock, TagReflection, TagTokenIter, Value, ValueView,
};

use super::{
    Construct, Limit, MAX_DEPTH, MAX_INCLUDES, PARSING, RENDERING, budget, charge_value, trip,
};
use crate::templating::prepare;

/// Registers `tag` so that parsing numbers it and rendering counts and locates it.
pub fn guard_tag(tag: Box<dyn ParseTag>) -> Box<dyn ParseTag> {
    Box::new(GuardedTag(tag))
}

/// Registers `block` like `guard_tag`.
pub fn guard_block(block: Box<dyn ParseBlock>) -> Box<dyn ParseBlock> {
    Box::new(GuardedBlock(block))
}

/// Registers `filter` so that its results are charged to the page's budget.
pub fn guard_filter(filter: Box<dyn ParseFilter>) -> Box<dyn ParseFilter> {
    Box::new(GuardedFilter(filter))
}

#[derive(Clone)]
struct GuardedTag(Box<dyn ParseTag>);

#[derive(Clone)]
struct GuardedBlock(Box<dyn ParseBlock>);

#[derive(Clone)]
struct GuardedFilter(Box<dyn ParseFilter>);

/// Numbers the tag about to be parsed and notes it as being parsed (`parsed` when it is): its
/// file's slot and its number.
fn parsing() -> (u32, usize) {
    PARSING.with(|p| {
        let mut p = p.borrow_mut();
        let seq = p.next;
        p.next += 1;
        p.open.push(seq);
        (p.slot, seq)
    })
}

fn parsed() {
    PARSING.with(|p| {
        p.borrow_mut().open.pop();
    });
}

impl ParseTag for GuardedTag {
    fn parse(&self, arguments: TagTokenIter, options: &Language) -> Result<Box<dyn Renderable>> {
        let name = self.0.reflection().tag().to_string();
        let (slot, seq) = parsing();
        let inner = self.0.parse(arguments, options);
        parsed();
        // Tags that render no other template do not nest.
        let leaf = matches!(
            name.as_str(),
            "assign" | "break" | "continue" | "cycle" | "increment" | "decrement" | "link"
        ) || name == prepare::OUTPUT_TAG;
        Ok(Box::new(Guarded {
            inner: inner?,
            slot,
            seq,
            include: name.starts_with("include"),
            nests: !leaf,
            name,
        }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self.0.reflection()
    }
}

impl ParseBlock for GuardedBlock {
    fn parse(
        &self,
        arguments: TagTokenIter,
        block: TagBlock,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let name = self.0.reflection().start_tag().to_string();
        let (slot, seq) = parsing();
        let inner = self.0.parse(arguments, block, options);
        parsed();
        Ok(Box::new(Guarded {
            inner: inner?,
            slot,
            seq,
            include: false,
            nests: true,
            name,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self.0.reflection()
    }
}

impl ParseFilter for GuardedFilter {
    fn parse(&self, arguments: FilterArguments) -> Result<Box<dyn Filter>> {
        Ok(Box::new(MeteredFilter(self.0.parse(arguments)?)))
    }

    fn reflection(&self) -> &dyn FilterReflection {
        self.0.reflection()
    }
}

#[derive(Debug)]
struct MeteredFilter(Box<dyn Filter>);

impl std::fmt::Display for MeteredFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Filter for MeteredFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let value = self.0.evaluate(input, runtime)?;
        charge_value(&value)?;
        Ok(value)
    }
}

/// A parsed tag or block, with its number in its file.
#[derive(Debug)]
struct Guarded {
    inner: Box<dyn Renderable>,
    /// The slot of its file, and its number there.
    slot: u32,
    seq: usize,
    name: String,
    /// `include` or `include_relative`: counted against `MAX_INCLUDES`.
    include: bool,
    /// A block or a tag that renders other templates: counted against `MAX_DEPTH`.
    nests: bool,
}

impl Renderable for Guarded {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let construct = || Construct {
            slot: self.slot,
            seq: self.seq,
            name: self.name.clone(),
        };
        let refused = budget(|b| {
            b.depth += usize::from(self.nests);
            b.includes += usize::from(self.include);
            if b.depth > MAX_DEPTH {
                Some(Limit::Depth)
            } else if b.includes > MAX_INCLUDES {
                Some(Limit::Includes)
            } else {
                None
            }
        });
        let result = match refused {
            Some(limit) => Err(trip(limit)),
            None => {
                RENDERING.with(|r| r.borrow_mut().push(construct()));
                let result = self.inner.render_to(writer, runtime);
                RENDERING.with(|r| r.borrow_mut().pop());
                result
            }
        };
        budget(|b| {
            b.depth -= usize::from(self.nests);
            if result.is_err()
                && let Some(tripped) = b.tripped.as_mut()
                && tripped.at.is_none()
            {
                tripped.at = Some(construct());
            }
        });
        result
    }
}

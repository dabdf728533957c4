//! Undefined variables as Jekyll has them: `{{ page.missing }}` renders as empty text (nil), and
//! docgen reports each use — an error by default, a warning with `undefined_variables = "warn"`
//! — at its file, line and column, through the include chain. Rendering goes on, so every
//! undefined variable of a page is reported in one run.
//!
//! Liquid stops at the first unknown variable. Every lookup that can fail goes through a
//! `Lenient` runtime instead: `{{ … }}` (which `prepare` rewrites into `OutputTag`, holding its
//! offset), the tags and blocks that evaluate expressions (`if`, `for`, `assign`, …, wrapped by
//! `LenientTag`/`LenientBlock`), and include parameters. A failed lookup is recorded in the
//! page's `RenderState` and answers nil.

use std::collections::BTreeSet;
use std::io::Write;

use liquid_core::model::{
    ArrayView, DisplayCow, KString, KStringCow, KStringRef, ScalarCow, State, ValueCow,
};
use liquid_core::parser::{BlockReflection, FilterChain, ParseBlock, TagBlock, TryMatchToken};
use liquid_core::runtime::{PartialStore, Registers};
use liquid_core::{
    Error, Language, ParseTag, Renderable, Result, Runtime, TagReflection, TagTokenIter, Value,
    ValueView,
};

use super::errors;
use super::prepare::OUTPUT_TAG;
use super::tags::RenderState;
use crate::diagnostic::Diagnostic;

/// The most undefined-variable uses reported for one page; the rest are counted.
pub const MAX_REPORTED: usize = 200;

/// A runtime that answers nil for a variable its parent does not know, and records the use.
pub struct Lenient<'r> {
    parent: &'r dyn Runtime,
    /// The offset of the tag being evaluated in the file rendering now, when known.
    at: Option<usize>,
    /// `false` under `| default: …`, which exists for values that may be missing.
    report: bool,
    /// The runtime of an `if`/`unless` block: nil in its conditions is `NilInCondition`.
    conditions: bool,
}

impl<'r> Lenient<'r> {
    pub fn new(parent: &'r dyn Runtime, at: Option<usize>, report: bool) -> Self {
        Lenient {
            parent,
            at,
            report,
            conditions: false,
        }
    }

    /// The runtime of an `if` or `unless` block (see `NilInCondition`).
    fn of_conditions(parent: &'r dyn Runtime) -> Self {
        Lenient {
            conditions: true,
            ..Lenient::new(parent, None, true)
        }
    }

    fn lookup(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        match self.parent.get(path) {
            Ok(value) => Ok(value),
            Err(error) => {
                if self.report {
                    let roots: Vec<String> =
                        self.parent.roots().iter().map(|r| r.to_string()).collect();
                    record(self.parent, &error, self.at, &roots);
                }
                Ok(ValueCow::Owned(Value::Nil))
            }
        }
    }
}

/// nil, as an `if` or `unless` condition sees it. Ruby's Liquid, which Jekyll runs, makes
/// `nil contains "x"` false; liquid-lib stops the page with "expected string | array | object,
/// found `nil`" — so `{% if page.tags contains "beta" %}` on a page without tags (or with an
/// empty `tags:`) lost the rest of the page. This value is nil to every test (`== nil`,
/// truthiness, `empty`, `blank`) but offers an empty list to `contains`.
#[derive(Debug)]
struct NilInCondition;

static NIL_IN_CONDITION: NilInCondition = NilInCondition;

impl ValueView for NilInCondition {
    fn as_debug(&self) -> &dyn std::fmt::Debug {
        self
    }

    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Borrowed(&"")
    }

    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Borrowed(&"nil")
    }

    fn type_name(&self) -> &'static str {
        "nil"
    }

    fn query_state(&self, state: State) -> bool {
        Value::Nil.query_state(state)
    }

    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_static("")
    }

    fn to_value(&self) -> Value {
        Value::Nil
    }

    fn as_array(&self) -> Option<&dyn ArrayView> {
        Some(self)
    }

    fn is_nil(&self) -> bool {
        true
    }
}

impl ArrayView for NilInCondition {
    fn as_value(&self) -> &dyn ValueView {
        self
    }

    fn size(&self) -> i64 {
        0
    }

    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(std::iter::empty())
    }

    fn contains_key(&self, _index: i64) -> bool {
        false
    }

    fn get(&self, _index: i64) -> Option<&dyn ValueView> {
        None
    }
}

impl Runtime for Lenient<'_> {
    fn partials(&self) -> &dyn PartialStore {
        self.parent.partials()
    }

    fn name(&self) -> Option<KStringRef<'_>> {
        self.parent.name()
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        self.parent.roots()
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        self.parent.try_get(path)
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> Result<ValueCow<'_>> {
        // A lookup reaching this runtime while none is under way comes from the block's own
        // condition; one from a `{{ }}` inside the block comes through that tag's runtime.
        let direct = {
            let mut state = self.parent.registers().get_mut::<RenderState>();
            state.lookups += 1;
            state.lookups == 1
        };
        let value = self.lookup(path);
        self.parent.registers().get_mut::<RenderState>().lookups -= 1;
        match value {
            Ok(value) if self.conditions && direct && value.is_nil() => {
                Ok(ValueCow::Borrowed(&NIL_IN_CONDITION))
            }
            value => value,
        }
    }

    fn set_global(&self, name: KString, value: Value) -> Option<Value> {
        self.parent.set_global(name, value)
    }

    fn set_index(&self, name: KString, value: Value) -> Option<Value> {
        self.parent.set_index(name, value)
    }

    fn get_index<'s>(&'s self, name: &str) -> Option<ValueCow<'s>> {
        self.parent.get_index(name)
    }

    fn registers(&self) -> &Registers {
        self.parent.registers()
    }
}

/// Records a failed lookup (`error`, Liquid's) in the file rendering now: at the variable's
/// text in the tag at `at`, or — for a block's condition, whose tag has no offset — after the
/// last tag of that file whose place is known.
fn record(runtime: &dyn Runtime, error: &Error, at: Option<usize>, roots: &[String]) {
    let described = errors::describe(&error.to_string());
    let mut state = runtime.registers().get_mut::<RenderState>();
    let Some(file) = state.current().cloned() else {
        return;
    };
    let via = state.chain();
    let hint = described.hint.clone().unwrap_or_default();
    let text = &file.text;
    let offset = match at {
        Some(at) => {
            let tag = &text[at.min(text.len())..];
            let end = tag
                .find("}}")
                .or_else(|| tag.find("%}"))
                .unwrap_or(tag.len());
            tag[..end]
                .find(hint.as_str())
                .filter(|_| !hint.is_empty())
                .map_or(at, |i| at + i)
        }
        None => {
            let from = state
                .cursor
                .get(&file.slot)
                .copied()
                .or_else(|| file.pieces.first().map(|p| p.src))
                .unwrap_or(0)
                .min(text.len());
            text[from..]
                .find(hint.as_str())
                .map(|i| from + i)
                .or_else(|| text.find(hint.as_str()))
                .filter(|_| !hint.is_empty())
                .unwrap_or(from)
        }
    };
    if !state.reported.insert((file.slot, offset, via.clone())) {
        return;
    }
    if state.problems.len() >= MAX_REPORTED {
        state.unreported += 1;
        return;
    }
    let suggestion = described.suggestion.clone().or_else(|| {
        // `{{ paeg.title }}`: the closest variable there is.
        let first = hint.split(['.', '[']).next().unwrap_or("");
        crate::suggest::closest(first, roots.iter().map(String::as_str))
            .filter(|_| !hint.contains('.'))
            .map(str::to_string)
    });
    let (line, column) = file.position(offset);
    let d = if state.undefined_warns {
        Diagnostic::warning("undefined-variable", &file.path, described.message)
    } else {
        Diagnostic::error("undefined-variable", &file.path, described.message)
    };
    let d = d
        .at(line, column)
        .with_suggestion(suggestion)
        .with_via(via)
        .with_source_lines(&file.line_index(), hint.chars().count());
    state.problems.push(d);
}

/// Notes that the file rendering now reached its tag at `at`, so a lookup without a place of
/// its own is searched for from there.
pub fn reached(runtime: &dyn Runtime, at: usize) {
    let mut state = runtime.registers().get_mut::<RenderState>();
    if let Some(slot) = state.current().map(|f| f.slot) {
        state.cursor.insert(slot, at);
    }
}

/// `{{ expr }}`, rewritten by `prepare` as `{% __docgen_output 812 expr %}`.
#[derive(Debug, Clone, Copy)]
pub struct OutputTag;

impl TagReflection for OutputTag {
    fn tag(&self) -> &str {
        OUTPUT_TAG
    }

    fn description(&self) -> &str {
        "writes an expression ({{ … }})"
    }
}

impl ParseTag for OutputTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let at = arguments
            .expect_next("an offset is expected")?
            .expect_literal()
            .into_result()?
            .as_scalar()
            .and_then(|s| s.to_integer())
            .unwrap_or(0)
            .max(0) as usize;
        let start = arguments
            .expect_next("an offset is expected")?
            .expect_literal()
            .into_result()?
            .as_scalar()
            .and_then(|s| s.to_integer())
            .unwrap_or(0)
            .max(0) as usize;
        let token = arguments.expect_next("an expression is expected")?;
        let written = token.as_str().to_string();
        let chain = match token.expect_filter_chain(options) {
            TryMatchToken::Matches(chain) => chain,
            TryMatchToken::Fails(_) => return Err(expression_error(&written, start, options)),
        };
        if let Some(extra) = arguments.next() {
            let error = Error::with_msg(format!("unexpected `{}`", extra.as_str()));
            let at = written.len() + 1;
            return Err(errors::at_offset(error, start + at));
        }
        Ok(Box::new(Output {
            at,
            chain,
            report: !has_default(&written),
        }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// Why `written` (an expression starting at byte `start` of its file) is not one: Liquid's
/// own error for it (the tag API only says it failed), placed in the file.
fn expression_error(written: &str, start: usize, options: &Language) -> Error {
    let wrapped = format!("{{{{{written}}}}}");
    let error = match liquid_core::parser::parse(&wrapped, options) {
        Err(error) => error,
        Ok(_) => Error::with_msg("invalid expression"),
    };
    let described = errors::describe(&error.to_string());
    let within = described.position.map_or(0, |(line, column)| {
        let line_start: usize = wrapped
            .split_inclusive('\n')
            .take(line.saturating_sub(1) as usize)
            .map(str::len)
            .sum();
        let rest = &wrapped[line_start.min(wrapped.len())..];
        let at = rest
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(rest.len(), |(i, _)| i);
        (line_start + at).saturating_sub(2).min(written.len())
    });
    errors::at_offset(error, start + within)
}

/// Whether a filter chain uses `default`, which is how a writer says "this may be missing".
fn has_default(chain: &str) -> bool {
    // Quoted text is not a filter.
    let mut unquoted = String::with_capacity(chain.len());
    let mut quote = None;
    for c in chain.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None => unquoted.push(c),
        }
    }
    unquoted.split('|').skip(1).any(|filter| {
        let filter = filter.trim_start();
        filter
            .strip_prefix("default")
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
    })
}

#[derive(Debug)]
struct Output {
    at: usize,
    chain: FilterChain,
    report: bool,
}

impl Renderable for Output {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        reached(runtime, self.at);
        self.chain
            .render_to(writer, &Lenient::new(runtime, Some(self.at), self.report))
    }
}

/// A Liquid tag whose expressions are evaluated leniently.
#[derive(Debug, Clone)]
pub struct LenientTag<T>(pub T);

impl<T: ParseTag + Clone + 'static> ParseTag for LenientTag<T> {
    fn parse(&self, arguments: TagTokenIter, options: &Language) -> Result<Box<dyn Renderable>> {
        Ok(Box::new(LenientRender(self.0.parse(arguments, options)?)))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self.0.reflection()
    }
}

/// A Liquid block whose expressions (its condition, its collection) are evaluated leniently.
#[derive(Debug, Clone)]
pub struct LenientBlock<B>(pub B);

impl<B: ParseBlock + Clone + 'static> ParseBlock for LenientBlock<B> {
    fn parse(
        &self,
        arguments: TagTokenIter,
        block: TagBlock,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        Ok(Box::new(LenientRender(
            self.0.parse(arguments, block, options)?,
        )))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self.0.reflection()
    }
}

/// `if` and `unless`, evaluated leniently and with nil as Jekyll's Liquid tests it (see
/// `NilInCondition`).
#[derive(Debug, Clone)]
pub struct ConditionBlock<B>(pub B);

impl<B: ParseBlock + Clone + 'static> ParseBlock for ConditionBlock<B> {
    fn parse(
        &self,
        arguments: TagTokenIter,
        block: TagBlock,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        Ok(Box::new(ConditionRender(
            self.0.parse(arguments, block, options)?,
        )))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self.0.reflection()
    }
}

#[derive(Debug)]
struct LenientRender(Box<dyn Renderable>);

impl Renderable for LenientRender {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        self.0.render_to(writer, &Lenient::new(runtime, None, true))
    }
}

#[derive(Debug)]
struct ConditionRender(Box<dyn Renderable>);

impl Renderable for ConditionRender {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        self.0.render_to(writer, &Lenient::of_conditions(runtime))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_marks_a_value_that_may_be_missing() {
        assert!(has_default("page.x | default: \"y\""));
        assert!(has_default("page.x | upcase | default:'y'"));
        assert!(!has_default("page.x"));
        assert!(!has_default("page.x | default_value"));
        assert!(!has_default("\"a|default\""));
    }
}

//! Parse stage, content templating: Liquid's `for`, `tablerow`, `assign` and `capture`, written
//! again so that they run under the page's limits (see `limits`).
//!
//! The liquid-lib versions build a list of every item before the first iteration (a
//! `(1..9999999999999)` range asks for terabytes), and copy assigned and captured values without
//! counting them (forty doublings with `append` make 5 GB). These count each iteration, each
//! value and each captured byte against the page's budget, and walk ranges without building
//! them. They also keep `limit` from padding the list with nils past its end.

use std::io::Write;

use liquid_core::model::{KString, Scalar, ValueCow};
use liquid_core::parser::{BlockElement, TryMatchToken};
use liquid_core::runtime::{Interrupt, InterruptRegister, StackFrame};
use liquid_core::{
    BlockReflection, Error, Expression, Language, ParseBlock, Renderable, Result, Runtime,
    TagBlock, TagTokenIter, Template, Value, ValueView,
};

use super::limits;
use super::values::Fields;

/// `{% for item in list %}…{% else %}…{% endfor %}`, with `limit:`, `offset:` and `reversed`.
#[derive(Debug, Clone, Copy)]
pub struct ForBlock;

/// `{% tablerow item in list cols:3 %}…{% endtablerow %}`.
#[derive(Debug, Clone, Copy)]
pub struct TableRowBlock;

impl BlockReflection for ForBlock {
    fn start_tag(&self) -> &str {
        "for"
    }
    fn end_tag(&self) -> &str {
        "endfor"
    }
    fn description(&self) -> &str {
        "repeats its content for each item of a list or range"
    }
}

impl BlockReflection for TableRowBlock {
    fn start_tag(&self) -> &str {
        "tablerow"
    }
    fn end_tag(&self) -> &str {
        "endtablerow"
    }
    fn description(&self) -> &str {
        "repeats its content in table cells, one per item"
    }
}

/// What a loop walks: a list or map's items, or a range of integers.
#[derive(Debug)]
enum Source {
    List(Expression),
    Range(Expression, Expression),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::List(list) => write!(f, "{list}"),
            Source::Range(start, stop) => write!(f, "({start}..{stop})"),
        }
    }
}

/// The parts of a loop tag shared by `for` and `tablerow`.
#[derive(Debug)]
struct Head {
    var: KString,
    source: Source,
    limit: Option<Expression>,
    offset: Option<Expression>,
    reversed: bool,
    cols: Option<Expression>,
}

fn parse_head(arguments: &mut TagTokenIter<'_>, tablerow: bool) -> Result<Head> {
    let var = arguments
        .expect_next("Identifier expected.")?
        .expect_identifier()
        .into_result()?;
    arguments
        .expect_next("\"in\" expected.")?
        .expect_str("in")
        .into_result_custom_msg("\"in\" expected.")?;
    let source = match arguments
        .expect_next("Array or range expected.")?
        .expect_value()
    {
        TryMatchToken::Matches(list) => Source::List(list),
        TryMatchToken::Fails(token) => match token.expect_range() {
            TryMatchToken::Matches((start, stop)) => Source::Range(start, stop),
            TryMatchToken::Fails(token) => return Err(token.raise_error()),
        },
    };
    let mut head = Head {
        var: KString::from_ref(var),
        source,
        limit: None,
        offset: None,
        reversed: false,
        cols: None,
    };
    while let Some(token) = arguments.next() {
        match (token.as_str(), tablerow) {
            ("limit", _) => head.limit = Some(parse_attr(arguments)?),
            ("offset", _) => head.offset = Some(parse_attr(arguments)?),
            ("reversed", false) => head.reversed = true,
            ("cols", true) => head.cols = Some(parse_attr(arguments)?),
            _ => {
                let expected = if tablerow {
                    "\"cols\", \"limit\" or \"offset\" expected."
                } else {
                    "\"limit\", \"offset\" or \"reversed\" expected."
                };
                return Err(token.raise_custom_error(expected));
            }
        }
    }
    arguments.expect_nothing()?;
    Ok(head)
}

fn parse_attr(arguments: &mut TagTokenIter<'_>) -> Result<Expression> {
    arguments
        .expect_next("\":\" expected.")?
        .expect_str(":")
        .into_result_custom_msg("\":\" expected.")?;
    arguments
        .expect_next("Value expected.")?
        .expect_value()
        .into_result()
}

impl ParseBlock for ForBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let head = parse_head(&mut arguments, false)?;
        let mut body = Vec::new();
        let mut otherwise = None;
        while let Some(element) = tokens.next()? {
            match element {
                BlockElement::Tag(mut tag) if tag.name() == "else" => {
                    tag.tokens().expect_nothing()?;
                    otherwise = Some(Template::new(tokens.parse_all(options)?));
                    break;
                }
                element => body.push(element.parse(&mut tokens, options)?),
            }
        }
        tokens.assert_empty();
        Ok(Box::new(For {
            head,
            body: Template::new(body),
            otherwise,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

impl ParseBlock for TableRowBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let head = parse_head(&mut arguments, true)?;
        let body = Template::new(tokens.parse_all(options)?);
        tokens.assert_empty();
        Ok(Box::new(TableRow { head, body }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

/// A loop's items, evaluated: a list (borrowed where it can be), or a range walked lazily.
enum Items<'r> {
    List(Vec<ValueCow<'r>>),
    Range(i64, u128),
}

impl Items<'_> {
    fn len(&self) -> u128 {
        match self {
            Items::List(list) => list.len() as u128,
            Items::Range(_, len) => *len,
        }
    }

    fn get(&self, i: u128) -> ValueCow<'_> {
        match self {
            Items::List(list) => ValueCow::Borrowed(list[i as usize].as_view()),
            Items::Range(start, _) => ValueCow::Owned(Value::scalar(*start + i as i64)),
        }
    }
}

fn whole_number(expression: &Expression, runtime: &dyn Runtime) -> Result<i64> {
    let value = expression.evaluate(runtime)?;
    value
        .as_scalar()
        .and_then(|s| s.to_integer())
        .ok_or_else(|| {
            Error::with_msg(format!(
                "Expected whole number, found `{}`",
                value.type_name()
            ))
        })
}

impl Head {
    /// The items to walk (after `offset` and `limit`) and the first one's index.
    fn items<'r>(&'r self, runtime: &'r dyn Runtime) -> Result<(Items<'r>, u128, u128)> {
        let items = match &self.source {
            Source::List(list) => {
                let value = list.evaluate(runtime)?;
                Items::List(list_items(value)?)
            }
            Source::Range(start, stop) => {
                let start = whole_number(start, runtime)?;
                let stop = whole_number(stop, runtime)?;
                let len = (i128::from(stop) - i128::from(start) + 1).max(0) as u128;
                Items::Range(start, len)
            }
        };
        let attr = |attr: &Option<Expression>| -> Result<Option<u128>> {
            attr.as_ref()
                .map(|a| whole_number(a, runtime).map(|n| n.max(0) as u128))
                .transpose()
        };
        let len = items.len();
        let first = attr(&self.offset)?.unwrap_or(0).min(len);
        let count = attr(&self.limit)?.map_or(len - first, |l| l.min(len - first));
        limits::check_range(&self.source.to_string(), count)?;
        Ok((items, first, count))
    }
}

/// The items of a list, or `[key, value]` pairs of a map; nothing for nil.
fn list_items(value: ValueCow<'_>) -> Result<Vec<ValueCow<'_>>> {
    let wrong = |value: &dyn ValueView| {
        Error::with_msg(format!("Expected array, found `{}`", value.type_name()))
    };
    match value {
        ValueCow::Borrowed(value) => {
            if let Some(array) = value.as_array() {
                Ok(array.values().map(ValueCow::Borrowed).collect())
            } else if let Some(object) = value.as_object() {
                Ok(object
                    .iter()
                    .map(|(k, v)| {
                        ValueCow::Owned(Value::Array(vec![
                            Value::scalar(k.into_owned()),
                            v.to_value(),
                        ]))
                    })
                    .collect())
            } else if value.is_nil() || value.is_state() {
                Ok(Vec::new())
            } else {
                Err(wrong(value))
            }
        }
        ValueCow::Owned(value) => match value {
            Value::Array(items) => Ok(items.into_iter().map(ValueCow::Owned).collect()),
            Value::Object(object) => Ok(object
                .into_iter()
                .map(|(k, v)| ValueCow::Owned(Value::Array(vec![Value::scalar(k), v])))
                .collect()),
            Value::Nil | Value::State(_) => Ok(Vec::new()),
            other => Err(wrong(&other)),
        },
    }
}

#[derive(Debug)]
struct For {
    head: Head,
    body: Template,
    otherwise: Option<Template>,
}

impl Renderable for For {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let (items, first, count) = self.head.items(runtime)?;
        if count == 0 {
            if let Some(otherwise) = &self.otherwise {
                otherwise.render_to(writer, runtime)?;
            }
            return Ok(());
        }
        let parent = runtime.try_get(&[Scalar::new("forloop")]);
        let nil = Value::Nil;
        let parent: &dyn ValueView = parent.as_ref().map_or(&nil, |p| p.as_view());
        let length = Value::scalar(count as i64);
        for i in 0..count {
            limits::charge_iteration()?;
            let at = if self.head.reversed {
                first + count - 1 - i
            } else {
                first + i
            };
            let item = items.get(at);
            let numbers = [
                Value::scalar(i as i64),
                Value::scalar(i as i64 + 1),
                Value::scalar((count - i) as i64 - 1),
                Value::scalar((count - i) as i64),
                Value::scalar(i == 0),
                Value::scalar(i == count - 1),
            ];
            let forloop = Fields(vec![
                ("length", &length as &dyn ValueView),
                ("parentloop", parent),
                ("index0", &numbers[0]),
                ("index", &numbers[1]),
                ("rindex0", &numbers[2]),
                ("rindex", &numbers[3]),
                ("first", &numbers[4]),
                ("last", &numbers[5]),
            ]);
            let scope_vars = Fields(vec![
                ("forloop", &forloop as &dyn ValueView),
                (self.head.var.as_str(), item.as_view()),
            ]);
            let scope = StackFrame::new(runtime, &scope_vars);
            self.body.render_to(writer, &scope)?;
            let interrupt = scope.registers().get_mut::<InterruptRegister>().reset();
            if let Some(Interrupt::Break) = interrupt {
                break;
            }
        }
        Ok(())
    }
}

#[derive(Debug)]
struct TableRow {
    head: Head,
    body: Template,
}

impl Renderable for TableRow {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let (items, first, count) = self.head.items(runtime)?;
        let cols = match &self.head.cols {
            Some(cols) => whole_number(cols, runtime)?.max(1) as u128,
            None => count.max(1),
        };
        let io = |e: std::io::Error| Error::with_msg(format!("cannot write: {e}"));
        for i in 0..count {
            limits::charge_iteration()?;
            let item = items.get(first + i);
            let (col, row) = (i % cols, i / cols);
            let col_first = col == 0;
            let col_last = col == cols - 1 || i == count - 1;
            let numbers = [
                Value::scalar(count as i64),
                Value::scalar(i as i64),
                Value::scalar(i as i64 + 1),
                Value::scalar((count - i) as i64 - 1),
                Value::scalar((count - i) as i64),
                Value::scalar(i == 0),
                Value::scalar(i == count - 1),
                Value::scalar(col as i64),
                Value::scalar(col as i64 + 1),
                Value::scalar(col_first),
                Value::scalar(col_last),
            ];
            let names = [
                "length",
                "index0",
                "index",
                "rindex0",
                "rindex",
                "first",
                "last",
                "col0",
                "col",
                "col_first",
                "col_last",
            ];
            let tablerow = Fields(
                names
                    .iter()
                    .zip(&numbers)
                    .map(|(name, value)| (*name, value as &dyn ValueView))
                    .collect(),
            );
            let scope_vars = Fields(vec![
                ("tablerow", &tablerow as &dyn ValueView),
                (self.head.var.as_str(), item.as_view()),
            ]);
            if col_first {
                write!(writer, "<tr class=\"row{}\">", row + 1).map_err(io)?;
            }
            write!(writer, "<td class=\"col{}\">", col + 1).map_err(io)?;
            let scope = StackFrame::new(runtime, &scope_vars);
            self.body.render_to(writer, &scope)?;
            write!(writer, "</td>").map_err(io)?;
            if col_last {
                write!(writer, "</tr>").map_err(io)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

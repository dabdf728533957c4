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
use liquid_core::parser::{BlockElement, FilterChain, TryMatchToken};
use liquid_core::runtime::{Interrupt, InterruptRegister, StackFrame};
use liquid_core::{
    BlockReflection, Error, Expression, Language, ParseBlock, ParseTag, Renderable, Result,
    Runtime, TagBlock, TagReflection, TagTokenIter, Template, Value, ValueView,
};

use super::limits::{self, Metered};
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

#[cfg(test)]
mod tests {
    use crate::config::{Config, Overrides};

    fn render(text: &str) -> Result<String, String> {
        let config =
            Config::parse(std::path::Path::new("/site"), "", &Overrides::default()).unwrap();
        let vars =
            serde_json::json!({"list": ["a", "b", "c", "d"], "map": {"x": 1, "y": 2}, "n": 3});
        super::super::render_text(&config, "t.md", text, &vars).map_err(|d| d.headline())
    }

    #[test]
    fn loops_behave_as_in_liquid() {
        // (template, output)
        let cases = [
            ("{% for x in list %}{{ x }}{% endfor %}", "abcd"),
            (
                "{% for x in list limit:2 offset:1 %}{{ x }}{% endfor %}",
                "bc",
            ),
            (
                "{% for x in list limit:9 offset:3 %}{{ x }}{% endfor %}",
                "d",
            ),
            ("{% for x in list reversed %}{{ x }}{% endfor %}", "dcba"),
            ("{% for i in (1..n) %}{{ i }}{% endfor %}", "123"),
            (
                "{% for i in (3..1) %}{{ i }}{% else %}none{% endfor %}",
                "none",
            ),
            (
                "{% for x in nil %}{{ x }}{% else %}empty{% endfor %}",
                "empty",
            ),
            (
                "{% for x in list %}{{ forloop.index }}/{{ forloop.rindex0 }}{% if forloop.first %}F{% endif %}{% if forloop.last %}L{% endif %} {% endfor %}",
                "1/3F 2/2 3/1 4/0L ",
            ),
            (
                "{% for x in list %}{% if x == \"b\" %}{% continue %}{% endif %}{% if x == \"d\" %}{% break %}{% endif %}{{ x }}{% endfor %}",
                "ac",
            ),
            (
                "{% for i in (1..2) %}{% for j in (1..2) %}{{ forloop.parentloop.index }}{{ j }} {% endfor %}{% endfor %}",
                "11 12 21 22 ",
            ),
            (
                "{% for pair in map %}{{ pair[0] }}={{ pair[1] }};{% endfor %}",
                "x=1;y=2;",
            ),
            (
                "{% tablerow x in list cols:3 %}{{ x }}{% endtablerow %}",
                "<tr class=\"row1\"><td class=\"col1\">a</td><td class=\"col2\">b</td><td class=\"col3\">c</td></tr><tr class=\"row2\"><td class=\"col1\">d</td></tr>",
            ),
            (
                "{% tablerow x in list cols:0 limit:1 %}{{ x }}{% endtablerow %}",
                "<tr class=\"row1\"><td class=\"col1\">a</td></tr>",
            ),
            (
                "{% capture c %}{{ n }}-{{ n }}{% endcapture %}{{ c }}",
                "3-3",
            ),
            ("{% assign s = \"ab\" | append: \"c\" %}{{ s }}", "abc"),
        ];
        for (template, expected) in cases {
            assert_eq!(render(template).as_deref(), Ok(expected), "{template}");
        }
    }

    #[test]
    fn loops_and_values_stop_at_the_page_limits() {
        // (template, headline)
        let cases = [
            (
                "a\n{% for i in (1..9999999999999) %}{% endfor %}",
                "t.md:2:1: `{% for %}` over (1..9999999999999) would run 9999999999999 times: a page may run at most 1000000 loop iterations in all",
            ),
            (
                "{% for i in (1..1000) %}\n{% for j in (1..1000) %}{% for k in (1..2) %}{% endfor %}{% endfor %}{% endfor %}",
                "t.md:2:1: `{% for %}` stopped: a page may run at most 1000000 loop iterations in all",
            ),
            (
                "{% assign s = \"abcdefgh\" %}{% for i in (1..30) %}\n{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}",
                "t.md:2:23: templating produces more than 50 MB of text here (in `{{ … }}`): a page may produce at most that much (output, captures, assignments and filter results together)",
            ),
        ];
        for (template, expected) in cases {
            assert_eq!(render(template).unwrap_err(), expected, "{template}");
        }
    }
}

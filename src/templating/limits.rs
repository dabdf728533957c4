//! Parse stage, content templating: the limits a page's Liquid runs under, so that hostile or
//! careless input ends in a located error within milliseconds — never a crash, a stack overflow,
//! gigabytes of memory or a build that runs for minutes.
//!
//! - Before Liquid parses a file, `scan` checks how deep its blocks nest, how deep `[…]` indexes
//!   nest and how many `and`/`or` one condition chains: Liquid's parser and renderer recurse on
//!   each, so the error must come before the stack runs out. It also notes where each tag starts,
//!   so that problems found later (while rendering) can point at the tag.
//! - Every tag, block and filter is registered wrapped (`guard_tag`, `guard_block`,
//!   `guard_filter`): rendering counts nesting through includes, include expansions, and the text
//!   filters produce, in the page's `Budget` (kept by this thread while it renders the page:
//!   other tags write while holding the runtime's registers, so those cannot hold it); `loops` charges
//!   loop iterations, assignments and captured text to the same budget, and `render` meters what
//!   is written.
//! - A panic inside the Liquid crates is caught (`parse`, `render`) and becomes an error that
//!   names the tag it happened in.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use liquid_core::runtime::Template;
use liquid_core::{Error, Language, Renderable, Result, Runtime, ValueView};

use super::prepare;
use super::tags::RenderState;
use crate::diagnostic::Diagnostic;

mod guard;
mod scan;

pub use guard::{guard_block, guard_filter, guard_tag};
pub use scan::{filter_names, scan, unknown_filters, unknown_tags};

/// How deep blocks (and includes) may nest in a page.
pub const MAX_DEPTH: usize = 100;
/// Loop iterations a page may run, all loops together.
pub const MAX_ITERATIONS: u64 = 1_000_000;
/// Bytes of text a page's templating may produce: its output, captures, assignments and filter
/// results together.
pub const MAX_TEXT: usize = 50 * 1024 * 1024;
/// Includes a page may expand, nested ones counted.
pub const MAX_INCLUDES: usize = 10_000;
/// `and`/`or` in one condition (Liquid nests each in the one before).
pub const MAX_CONDITIONS: usize = 100;

/// A limit a page ran into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    Depth,
    Iterations,
    /// A range or list too long to loop over: its text and its length.
    Range {
        written: String,
        len: u128,
    },
    Text,
    Includes,
    /// Liquid's crates panicked (their message).
    Panic(String),
}

impl Limit {
    fn message(&self, construct: Option<&str>) -> String {
        let tag = construct.map(|name| match name {
            prepare::OUTPUT_TAG => "`{{ … }}`".to_string(),
            name => format!("`{{% {name} %}}`"),
        });
        match self {
            Limit::Depth => format!(
                "{} nests too deep: blocks and includes may nest at most {MAX_DEPTH} deep",
                tag.as_deref().unwrap_or("this template")
            ),
            Limit::Iterations => format!(
                "{} stopped: a page may run at most {MAX_ITERATIONS} loop iterations in all",
                tag.as_deref().unwrap_or("a loop")
            ),
            Limit::Range { written, len } => format!(
                "{} over {written} would run {len} times: a page may run at most \
                 {MAX_ITERATIONS} loop iterations in all",
                tag.as_deref().unwrap_or("a loop")
            ),
            Limit::Text => format!(
                "templating produces more than {} MB of text here{}: a page may produce at most \
                 that much (output, captures, assignments and filter results together)",
                MAX_TEXT / (1024 * 1024),
                tag.map(|t| format!(" (in {t})")).unwrap_or_default()
            ),
            Limit::Includes => format!(
                "{} stopped: a page may expand at most {MAX_INCLUDES} includes",
                tag.as_deref().unwrap_or("an include")
            ),
            Limit::Panic(message) => format!(
                "Liquid crashed on {}: {message} (a bug in the liquid crates; please report it)",
                tag.as_deref().unwrap_or("this template")
            ),
        }
    }
}

/// A tag or block of a file: the file's slot, and the tag's number (see `Compiled::tags`).
#[derive(Clone)]
pub struct Construct {
    pub slot: u32,
    pub seq: usize,
    pub name: String,
}

/// A limit reached, and the construct it was reached in (when one is known).
pub struct Tripped {
    pub limit: Limit,
    pub at: Option<Construct>,
}

/// A page's counters.
#[derive(Default)]
pub struct Budget {
    depth: usize,
    iterations: u64,
    text: usize,
    includes: usize,
    tripped: Option<Tripped>,
}

/// Runs `f` on the budget of the page rendering on this thread.
fn budget<T>(f: impl FnOnce(&mut Budget) -> T) -> T {
    BUDGET.with(|b| f(&mut b.borrow_mut()))
}

/// Notes that the page reached `limit`: the error to return.
fn trip(limit: Limit) -> Error {
    let message = limit.message(None);
    budget(|b| {
        if b.tripped.is_none() {
            b.tripped = Some(Tripped { limit, at: None });
        }
    });
    Error::with_msg(message)
}

/// Counts one loop iteration.
pub fn charge_iteration() -> Result<()> {
    let over = budget(|b| {
        b.iterations += 1;
        b.iterations > MAX_ITERATIONS
    });
    if over {
        return Err(trip(Limit::Iterations));
    }
    Ok(())
}

/// Checks, before a loop starts, that it fits: `len` iterations over `written`.
pub fn check_range(written: &str, len: u128) -> Result<()> {
    if len > u128::from(MAX_ITERATIONS) {
        return Err(trip(Limit::Range {
            written: written.to_string(),
            len,
        }));
    }
    Ok(())
}

/// Counts `bytes` of text produced.
pub fn charge_text(bytes: usize) -> Result<()> {
    let over = budget(|b| {
        b.text = b.text.saturating_add(bytes);
        b.text > MAX_TEXT
    });
    if over {
        return Err(trip(Limit::Text));
    }
    Ok(())
}

/// Counts a value made (assigned, or returned by a filter) by its size.
pub fn charge_value(value: &dyn ValueView) -> Result<()> {
    charge_text(size(value, MAX_TEXT + 1))
}

/// About how many bytes `value` holds (strings by length, each item some overhead), counted up
/// to `cap`.
pub fn size(value: &dyn ValueView, cap: usize) -> usize {
    const ITEM: usize = 16;
    if let Some(scalar) = value.as_scalar() {
        return ITEM + scalar.to_kstr().len();
    }
    let mut total = ITEM;
    if let Some(array) = value.as_array() {
        for item in array.values() {
            total += size(item, cap - total.min(cap));
            if total >= cap {
                return total;
            }
        }
    } else if let Some(object) = value.as_object() {
        for (key, item) in object.iter() {
            total += key.len() + size(item, cap - total.min(cap));
            if total >= cap {
                return total;
            }
        }
    }
    total
}

/// A writer that charges what goes through it to the page's budget.
pub struct Metered<'a> {
    pub inner: &'a mut dyn Write,
}

impl Write for Metered<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        charge_text(buf.len()).map_err(|e| std::io::Error::other(e.to_string()))?;
        self.inner.write_all(buf)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

thread_local! {
    /// The tags being parsed on this thread, innermost last, and how many were started: Liquid's
    /// parser calls our wrappers but hands them no position, so a tag is known by its number.
    static PARSING: RefCell<Parsing> = const { RefCell::new(Parsing { slot: 0, next: 0, open: Vec::new() }) };
    /// The budget of the page rendering on this thread.
    static BUDGET: RefCell<Budget> = RefCell::new(Budget::default());
    /// The constructs rendering on this thread, innermost last (left as they are by a panic).
    static RENDERING: RefCell<Vec<Construct>> = const { RefCell::new(Vec::new()) };
    /// Whether a panic here is caught (so the hook keeps quiet), and its message.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The file being parsed on this thread (its slot), the number of the next tag, and the tags
/// being parsed, innermost last.
#[derive(Default)]
struct Parsing {
    slot: u32,
    next: usize,
    open: Vec<usize>,
}

/// Runs `f`, turning a panic into `Err(message)`. The panic hook, installed once, stays quiet
/// about panics caught here and passes every other panic to the hook before it.
fn catch<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".to_string());
                let at = info
                    .location()
                    .map(|l| format!(" at {}:{}", short_path(l.file()), l.line()))
                    .unwrap_or_default();
                PANIC.with(|p| *p.borrow_mut() = Some(format!("{message}{at}")));
            } else {
                previous(info);
            }
        }));
    });
    let was = CATCHING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(was));
    result.map_err(|_| {
        PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "panic".to_string())
    })
}

/// `/root/.cargo/registry/src/…/liquid-core-0.26.11/src/parser/parser.rs` →
/// `liquid-core-0.26.11/src/parser/parser.rs`.
fn short_path(path: &str) -> &str {
    path.rfind("/liquid-")
        .map_or(path, |i| &path[i + 1..])
        .trim_start_matches('/')
}

/// Why a file could not be parsed.
pub enum ParseFailure {
    Liquid(Error),
    /// Liquid's parser panicked in the tag with this number (or outside any tag).
    Panic {
        message: String,
        seq: Option<usize>,
    },
}

/// Parses `text`, the file in marker slot `slot`, with Liquid's parser, catching a panic.
pub fn parse(
    text: &str,
    language: &Language,
    slot: u32,
) -> std::result::Result<Template, ParseFailure> {
    // A file may be parsed while another one renders (an include, on first use): keep the outer
    // state.
    let fresh = Parsing {
        slot,
        ..Parsing::default()
    };
    let outer = PARSING.with(|p| std::mem::replace(&mut *p.borrow_mut(), fresh));
    let result = catch(|| liquid_core::parser::parse(text, language));
    let inner = PARSING.with(|p| std::mem::replace(&mut *p.borrow_mut(), outer));
    match result {
        Ok(Ok(elements)) => Ok(Template::new(elements)),
        Ok(Err(error)) => Err(ParseFailure::Liquid(error)),
        Err(message) => Err(ParseFailure::Panic {
            message,
            seq: inner.open.last().copied(),
        }),
    }
}

/// Renders `template` into `out` with the page's budget, catching a panic.
pub fn render(
    template: &Template,
    out: &mut Vec<u8>,
    runtime: &dyn Runtime,
) -> std::result::Result<(), Failed> {
    let outer = RENDERING.with(|r| std::mem::take(&mut *r.borrow_mut()));
    let outer_budget = BUDGET.with(|b| std::mem::take(&mut *b.borrow_mut()));
    let result = catch(|| template.render_to(&mut Metered { inner: out }, runtime));
    let inner = RENDERING.with(|r| std::mem::replace(&mut *r.borrow_mut(), outer));
    let tripped = BUDGET
        .with(|b| std::mem::replace(&mut *b.borrow_mut(), outer_budget))
        .tripped;
    match (result, tripped) {
        (Ok(Ok(())), _) => Ok(()),
        (Ok(Err(_)), Some(tripped)) => Err(Failed::Limit(tripped)),
        (Ok(Err(error)), None) => Err(Failed::Liquid(error)),
        (Err(message), _) => Err(Failed::Limit(Tripped {
            limit: Limit::Panic(message),
            at: inner.last().cloned(),
        })),
    }
}

/// Why rendering failed.
pub enum Failed {
    Liquid(Error),
    Limit(Tripped),
}

/// The diagnostic for a limit reached while rendering; `fallback` places it when no construct is
/// known (Liquid's error locator, given the message).
pub fn diagnostic(
    tripped: &Tripped,
    state: &RenderState,
    fallback: impl FnOnce(&Error) -> Diagnostic,
) -> Diagnostic {
    let name = tripped.at.as_ref().map(|c| c.name.as_str());
    let message = tripped.limit.message(name);
    let located = tripped.at.as_ref().and_then(|construct| {
        let file = match construct.slot {
            0 => state.page.as_ref()?,
            slot => state.used.get(&slot)?,
        };
        let at = *file.tags.get(construct.seq)?;
        Some((file, at))
    });
    let Some((file, at)) = located else {
        return fallback(&Error::with_msg(message));
    };
    let (line, column) = file.position(at);
    let tag = file.text[at..].lines().next().unwrap_or("");
    let close = if tag.starts_with("{{") { "}}" } else { "%}" };
    let tag = tag.find(close).map_or(tag, |end| &tag[..end + 2]);
    Diagnostic::error("template", &file.path, message)
        .at(line, column)
        .with_via(state.chain())
        .with_source_lines(&file.line_index(), tag.chars().count())
}

/// The diagnostic for a failed render: Liquid's error placed by `errors`, or a limit reached.
/// `output` is what had been written before it.
pub fn failure_diagnostic(failed: Failed, state: &RenderState, output: &str) -> Diagnostic {
    match failed {
        Failed::Liquid(error) => super::errors::render_diagnostic(&error, state, output),
        Failed::Limit(tripped) => diagnostic(&tripped, state, |error| {
            super::errors::render_diagnostic(error, state, output)
        }),
    }
}

/// The message and the tag's number for a panic while parsing.
pub fn parse_panic_message(message: &str, name: Option<&str>) -> String {
    Limit::Panic(message.to_string()).message(name)
}

#[cfg(test)]
mod tests;

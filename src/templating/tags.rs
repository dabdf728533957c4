//! `{% include %}` and `{% include_relative %}` as Jekyll has them, written with Liquid's tag
//! API: a file name that may be built from variables (`includes/{{ page.elementKey }}.md`),
//! `key=value` parameters the file reads as `{{ include.key }}`. `include` looks in the site's
//! `includes/` folder, `include_relative` next to the file holding the tag.
//!
//! Liquid's `Jekyll` include tag resolves names through a partial store fixed before rendering;
//! these tags need per-page state instead (which file is rendering, the include chain for
//! cycles and error locations, the dependencies a page gains), kept in the runtime's registers
//! as a `RenderState`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::sync::Arc;

use liquid_core::model::KString;
use liquid_core::parser::TryMatchToken;
use liquid_core::runtime::Template;
use liquid_core::{
    Error, Expression, Language, ParseTag, Renderable, Result, Runtime, TagReflection,
    TagTokenIter, ValueView,
};

use super::INCLUDES_DIR;
use super::compiled::{Compiled, Problem};
use super::lenient::{self, Lenient};
use super::markers;
use super::prepare::LITERAL_PREFIX;
use super::runtime::Layer;
use super::store::Store;
use super::values::Fields;
use crate::diagnostic::Diagnostic;

/// The tag; `relative` for `include_relative`.
#[derive(Debug, Clone, Copy)]
pub struct IncludeTag {
    pub relative: bool,
}

impl TagReflection for IncludeTag {
    fn tag(&self) -> &str {
        if self.relative {
            "include_relative"
        } else {
            "include"
        }
    }

    fn description(&self) -> &str {
        if self.relative {
            "inserts a file next to the current one"
        } else {
            "inserts a file of the site's includes/ folder"
        }
    }
}

impl ParseTag for IncludeTag {
    fn parse(
        &self,
        mut arguments: TagTokenIter,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let token = arguments.expect_next("a file name is expected")?;
        let written = match token.expect_literal() {
            TryMatchToken::Matches(value) => value.to_kstr().to_string(),
            TryMatchToken::Fails(token) => token.as_str().to_string(),
        };
        let name = if written.contains("{{") || written.contains("{%") {
            Name::Built(Template::new(liquid_core::parser::parse(
                &written, options,
            )?))
        } else {
            Name::Fixed(written)
        };
        // docgen's preparation puts the tag's offset in its file after the name.
        let mut at = 0;
        let mut next = arguments.next();
        if let Some(token) = next.take() {
            match token.expect_literal() {
                TryMatchToken::Matches(value) => {
                    at = value
                        .as_scalar()
                        .and_then(|s| s.to_integer())
                        .unwrap_or(0)
                        .max(0) as usize;
                    next = arguments.next();
                }
                TryMatchToken::Fails(token) => next = Some(token),
            }
        }
        let mut params = Vec::new();
        while let Some(token) = next {
            let key = token
                .expect_identifier()
                .into_result_custom_msg("a parameter (`name=value`) is expected")?
                .to_string();
            arguments
                .expect_next("\"=\" is expected after a parameter name")?
                .expect_str("=")
                .into_result_custom_msg("\"=\" is expected after a parameter name")?;
            let token = arguments.expect_next("a value is expected")?;
            let value = match literal_number(token.as_str()) {
                Some(n) => Param::Literal(n),
                None => Param::Value(token.expect_value().into_result()?),
            };
            params.push((KString::from_string(key), value));
            next = arguments.next();
        }
        Ok(Box::new(Include {
            relative: self.relative,
            name,
            at,
            params,
        }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
enum Name {
    Fixed(String),
    /// Holds `{{ }}`: rendered each time.
    Built(Template),
}

/// `__docgen_literal_3` → 3.
pub fn literal_number(token: &str) -> Option<usize> {
    token.strip_prefix(LITERAL_PREFIX)?.parse().ok()
}

/// An include parameter's value.
#[derive(Debug)]
pub enum Param {
    Value(Expression),
    /// A literal of the file holding the tag (a value with escaped quotes, a tag's markup).
    Literal(usize),
    /// That literal split on whitespace (`include.args` of a declared tag).
    Words(usize),
}

#[derive(Debug)]
pub struct Include {
    relative: bool,
    name: Name,
    /// The tag's byte offset in its file.
    at: usize,
    params: Vec<(KString, Param)>,
}

impl Include {
    /// A tag declared in `[include_tags]`, at offset `at`, rendering `includes/<file>` with
    /// `include.markup` (literal `markup` of its file) and `include.args`.
    pub fn declared(file: &str, at: usize, markup: usize) -> Include {
        Include {
            relative: false,
            name: Name::Fixed(file.to_string()),
            at,
            params: vec![
                (KString::from_static("markup"), Param::Literal(markup)),
                (KString::from_static("args"), Param::Words(markup)),
            ],
        }
    }
}

/// What rendering one page keeps track of (in the runtime's registers).
#[derive(Default)]
pub struct RenderState {
    pub store: Option<Arc<Store>>,
    /// The page being rendered (slot 0).
    pub page: Option<Arc<Compiled>>,
    /// The includes being rendered, outermost first.
    pub stack: Vec<Frame>,
    /// Every include rendered, in order: instance `n` is `instances[n - 1]`.
    pub instances: Vec<Instance>,
    /// The included files, by slot.
    pub used: BTreeMap<u32, Arc<Compiled>>,
    /// Site paths of every file the page asked for (found or not).
    pub dependencies: BTreeSet<String>,
    /// Why an include tag failed; other errors are Liquid's own.
    pub failure: Option<Failure>,
    /// Whether an undefined variable is a warning (`undefined_variables = "warn"`), not an error.
    pub undefined_warns: bool,
    /// Problems that do not stop rendering: undefined variables, broken `{% link %}`s.
    pub problems: Vec<Diagnostic>,
    /// The places already reported (file slot, offset, include chain): a use inside a loop or
    /// an include rendered many times is reported once.
    pub reported: HashSet<(u32, usize, Vec<String>)>,
    /// Undefined-variable uses beyond `lenient::MAX_REPORTED`.
    pub unreported: usize,
    /// The last tag of each file (by slot) whose place is known.
    pub cursor: HashMap<u32, usize>,
    /// How many lenient lookups are under way: a lookup that reaches a condition's runtime
    /// while another is under way comes from inside its block, not from its condition.
    pub lookups: usize,
}

pub struct Frame {
    pub compiled: Arc<Compiled>,
    pub instance: u32,
}

/// One rendering of an include: which file, and the tag that asked for it.
pub struct Instance {
    /// The instance whose file holds the tag (0: the page).
    pub parent: u32,
    pub parent_file: Arc<Compiled>,
    /// The tag's offset in `parent_file`.
    pub at: usize,
    pub compiled: Arc<Compiled>,
}

/// An include tag that could not include its file.
pub struct Failure {
    pub kind: FailureKind,
    /// The file holding the tag, and the tag's offset in it.
    pub file: Arc<Compiled>,
    pub at: usize,
}

pub enum FailureKind {
    Missing {
        written: String,
        target: String,
        /// The folder searched, as shown to the writer (`includes/`).
        folder: String,
        /// Its files, closest to the name first.
        closest: Vec<String>,
    },
    Cycle {
        target: String,
    },
    Unsafe {
        written: String,
    },
    /// The file exists but cannot be read or parsed.
    Broken {
        target: Arc<Compiled>,
        problem: Problem,
    },
}

impl RenderState {
    /// The file whose text is rendering now.
    pub fn current(&self) -> Option<&Arc<Compiled>> {
        self.stack
            .last()
            .map(|f| &f.compiled)
            .or(self.page.as_ref())
    }

    /// `file:line` of each open include tag, outermost first.
    pub fn chain(&self) -> Vec<String> {
        self.stack
            .iter()
            .filter_map(|f| self.instances.get(f.instance as usize - 1))
            .map(|i| i.parent_file.line_ref(i.at))
            .collect()
    }
}

/// The site path an include names: `includes/<name>`, or for `include_relative` the name next
/// to `current` (a site path). `None` when the name leaves its folder or is absolute.
pub fn resolve(relative: bool, current: &str, name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty()
        || name.starts_with('/')
        || name.contains('\\')
        || name.split('/').any(|part| part == "..")
    {
        return None;
    }
    let name = name.trim_start_matches("./");
    if relative {
        Some(match current.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{name}"),
            None => name.to_string(),
        })
    } else {
        Some(format!("{INCLUDES_DIR}/{name}"))
    }
}

fn fail(runtime: &dyn Runtime, failure: Failure) -> Error {
    runtime.registers().get_mut::<RenderState>().failure = Some(failure);
    Error::with_msg("include failed")
}

fn io_error(e: std::io::Error) -> Error {
    Error::with_msg(format!("cannot write: {e}"))
}

impl Renderable for Include {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        lenient::reached(runtime, self.at);
        let lenient = Lenient::new(runtime, Some(self.at), true);
        let name = match &self.name {
            Name::Fixed(name) => name.clone(),
            Name::Built(template) => template.render(&lenient)?,
        };
        let (store, current, parent) = {
            let state = runtime.registers().get_mut::<RenderState>();
            let (Some(store), Some(current)) = (state.store.clone(), state.current().cloned())
            else {
                return Err(Error::with_msg("include is only available in docgen pages"));
            };
            (store, current, state.stack.last().map_or(0, |f| f.instance))
        };
        let failure = |kind| Failure {
            kind,
            file: Arc::clone(&current),
            at: self.at,
        };
        let Some(target) = resolve(self.relative, &current.path, &name) else {
            return Err(fail(
                runtime,
                failure(FailureKind::Unsafe {
                    written: name.clone(),
                }),
            ));
        };
        {
            let mut state = runtime.registers().get_mut::<RenderState>();
            state.dependencies.insert(target.clone());
            let open = state.stack.iter().map(|f| f.compiled.path.as_str());
            let mut open = state.page.iter().map(|p| p.path.as_str()).chain(open);
            if open.any(|path| path == target) {
                drop(state);
                return Err(fail(runtime, failure(FailureKind::Cycle { target })));
            }
        }
        let Some(compiled) = store.get(&target) else {
            let (folder, wanted) = if self.relative {
                let (folder, file) = target.rsplit_once('/').unwrap_or(("", &target));
                (folder.to_string(), file.to_string())
            } else {
                (
                    INCLUDES_DIR.to_string(),
                    name.trim_start_matches("./").to_string(),
                )
            };
            let names = store.names_in(&folder);
            let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
            let kind = FailureKind::Missing {
                written: name.clone(),
                target,
                folder: format!("{folder}/"),
                closest: closest(&wanted, &candidates),
            };
            return Err(fail(runtime, failure(kind)));
        };
        let template = match &compiled.template {
            Ok(template) => template,
            Err(problem) => {
                let kind = FailureKind::Broken {
                    target: Arc::clone(&compiled),
                    problem: problem.clone(),
                };
                return Err(fail(runtime, failure(kind)));
            }
        };
        let literal = |n: usize| current.literals.get(n).map_or("", String::as_str);
        let values = self
            .params
            .iter()
            .map(|(_, value)| {
                Ok(match value {
                    Param::Value(expression) => expression.evaluate(&lenient)?.into_owned(),
                    Param::Literal(n) => liquid_core::Value::scalar(literal(*n).to_string()),
                    Param::Words(n) => liquid_core::Value::Array(
                        literal(*n)
                            .split_whitespace()
                            .map(|w| liquid_core::Value::scalar(w.to_string()))
                            .collect(),
                    ),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let instance = {
            let mut state = runtime.registers().get_mut::<RenderState>();
            state.instances.push(Instance {
                parent,
                parent_file: Arc::clone(&current),
                at: self.at,
                compiled: Arc::clone(&compiled),
            });
            let instance = state.instances.len() as u32;
            state.stack.push(Frame {
                compiled: Arc::clone(&compiled),
                instance,
            });
            state.used.insert(compiled.slot, Arc::clone(&compiled));
            instance
        };
        let mut begin = String::new();
        let marked = markers::begin_marker(&mut begin, instance);
        writer.write_all(begin.as_bytes()).map_err(io_error)?;
        let params = Fields(
            self.params
                .iter()
                .zip(&values)
                .map(|((key, _), value)| (key.as_str(), value as &dyn ValueView))
                .collect(),
        );
        let scope = Fields(vec![("include", &params)]);
        template.render_to(writer, &Layer::new(runtime, &scope))?;
        if marked {
            write!(writer, "{}", markers::end_marker()).map_err(io_error)?;
        }
        // On an error the stack stays as it is: it says where the error happened.
        runtime.registers().get_mut::<RenderState>().stack.pop();
        Ok(())
    }
}

/// Up to three of `candidates` closest to `wanted`, closest first.
fn closest(wanted: &str, candidates: &[&str]) -> Vec<String> {
    crate::suggest::ranked(wanted, candidates.iter().copied(), 3)
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_to_site_paths() {
        let page = "content/elements/box/index.md";
        // (relative, current file, name, expected)
        let cases = [
            (false, page, "note.html", Some("includes/note.html")),
            (
                false,
                page,
                "./callouts/info.html",
                Some("includes/callouts/info.html"),
            ),
            (
                true,
                page,
                "includes/fields.md",
                Some("content/elements/box/includes/fields.md"),
            ),
            (true, "includes/a.md", "b.md", Some("includes/b.md")),
            (false, page, "../secret", None),
            (true, page, "/etc/passwd", None),
            (false, page, "", None),
        ];
        for (relative, current, name, expected) in cases {
            assert_eq!(
                resolve(relative, current, name).as_deref(),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn closest_names_come_first() {
        assert_eq!(
            closest(
                "noet.html",
                &["callout.html", "note.html", "notes.html", "x.md"]
            ),
            ["note.html", "notes.html", "callout.html"]
        );
    }
}

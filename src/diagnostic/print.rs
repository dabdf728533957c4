//! Printing diagnostics, the one place that does: for people (the human form, coloured on a
//! terminal), for programs (one JSON object per line) and for GitHub Actions (workflow-command
//! annotations, which show each problem on the pull request's diff line).
//!
//! The human form shows at most `PER_FILE_AND_KIND` problems of one kind (code and severity) in
//! one file, then one line saying how many more there are: a page with 100,000 broken links
//! prints its first hundred and `… and 99,900 more broken-link errors in content/x.md`, not
//! 50 MB. The machine formats and the counts in the summary always cover every problem.
//!
//! The only user of `anstream` and `anstyle`.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::io::{self, IsTerminal, Write};
use std::str::FromStr;

use anstyle::{AnsiColor, Style};

use super::{Diagnostic, Severity};
use crate::wording::{thousands, word};

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The headline, the source line with a caret and the notes, on stderr.
    #[default]
    Human,
    /// One JSON object per diagnostic and line, on stdout.
    Json,
    /// GitHub Actions `::error`/`::warning` workflow commands, on stdout.
    Github,
}

impl Format {
    pub const NAMES: [&'static str; 3] = ["human", "json", "github"];
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "human" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            "github" => Ok(Format::Github),
            _ => Err(format!("unknown format `{s}` (human, json or github)")),
        }
    }
}

/// Whether the human form is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// When stderr is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub const NAMES: [&'static str; 3] = ["auto", "always", "never"];
}

impl FromStr for ColorChoice {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(ColorChoice::Auto),
            "always" => Ok(ColorChoice::Always),
            "never" => Ok(ColorChoice::Never),
            _ => Err(format!(
                "unknown colour choice `{s}` (auto, always or never)"
            )),
        }
    }
}

/// The styles of the human form's parts.
pub(super) struct Styles {
    pub error: Style,
    pub warning: Style,
    pub headline: Style,
    pub gutter: Style,
}

impl Styles {
    pub const PLAIN: Styles = Styles {
        error: Style::new(),
        warning: Style::new(),
        headline: Style::new(),
        gutter: Style::new(),
    };

    /// The colours rustc and cargo use, so the output looks familiar.
    pub const COLOR: Styles = Styles {
        error: Style::new()
            .bold()
            .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red))),
        warning: Style::new()
            .bold()
            .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow))),
        headline: Style::new().bold(),
        gutter: Style::new()
            .bold()
            .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Blue))),
    };
}

/// Prints diagnostics and the closing summary in one format, each to the stream it belongs on:
/// the human form on stderr; JSON lines and GitHub commands on stdout, with everything else
/// (the summary) on stderr so stdout stays machine-readable.
#[derive(Debug, Clone, Default)]
pub struct Printer {
    format: Format,
    color: ColorChoice,
    /// Prepended to file names in GitHub annotations (see `github_file_prefix`).
    file_prefix: String,
}

impl Printer {
    pub fn new(format: Format, color: ColorChoice) -> Self {
        Printer {
            format,
            color,
            file_prefix: String::new(),
        }
    }

    /// Names files in GitHub annotations as `prefix/file` (the site's folder in the repository).
    pub fn with_file_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.file_prefix = prefix.into();
        self
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Prints the diagnostics: every one in the machine formats, the first
    /// `PER_FILE_AND_KIND` of each kind in each file in the human form.
    pub fn print(&self, diagnostics: &[Diagnostic]) -> io::Result<()> {
        match self.format {
            Format::Human => {
                let choice = match self.color {
                    ColorChoice::Auto => anstream::ColorChoice::Auto,
                    ColorChoice::Always => anstream::ColorChoice::Always,
                    ColorChoice::Never => anstream::ColorChoice::Never,
                };
                let mut err = anstream::AutoStream::new(io::stderr().lock(), choice);
                // stderr is unbuffered: write in chunks, not a few bytes at a time.
                let mut chunk = String::new();
                for piece in human_pieces(diagnostics, PER_FILE_AND_KIND) {
                    match piece {
                        Piece::Problem(d) => chunk.push_str(&d.to_human(true)),
                        Piece::More(more) => chunk.push_str(&more.to_human(true)),
                    }
                    if chunk.len() >= 1 << 16 {
                        err.write_all(chunk.as_bytes())?;
                        chunk.clear();
                    }
                }
                err.write_all(chunk.as_bytes())?;
                err.flush()
            }
            Format::Json | Format::Github => {
                let mut out = io::BufWriter::new(io::stdout().lock());
                for d in diagnostics {
                    let line = if self.format == Format::Json {
                        d.to_json()
                    } else {
                        d.to_github(&self.file_prefix)
                    };
                    writeln!(out, "{line}")?;
                }
                out.flush()
            }
        }
    }

    /// Prints the diagnostics that were not among those of the previous call with the same
    /// `shown` (the preview server prints after each rebuild only what is new), and remembers
    /// these for the next call.
    pub fn print_new(&self, diagnostics: &[Diagnostic], shown: &mut Shown) -> io::Result<()> {
        let now: HashSet<u64> = diagnostics.iter().map(|d| shown.key(d)).collect();
        let fresh: Vec<Diagnostic> = diagnostics
            .iter()
            .filter(|d| !shown.keys.contains(&shown.key(d)))
            .cloned()
            .collect();
        shown.keys = now;
        self.print(&fresh)
    }

    /// Prints the closing summary line. For people it goes to stdout, unless the run failed and
    /// stdout is not a terminal (so a log keeps it next to the problems); in the machine formats
    /// it always goes to stderr.
    pub fn summary(&self, line: &str, failed: bool) -> io::Result<()> {
        let on_stdout = self.format == Format::Human && (!failed || io::stdout().is_terminal());
        if on_stdout {
            writeln!(io::stdout().lock(), "{line}")
        } else {
            writeln!(io::stderr().lock(), "{line}")
        }
    }
}

/// Most problems of one kind (code and severity) the human form shows for one file.
pub const PER_FILE_AND_KIND: usize = 100;

/// What a previous `print_new` printed: a hash of each diagnostic, not its text, so that
/// 100,000 problems cost 100,000 numbers.
#[derive(Debug, Default)]
pub struct Shown {
    keys: HashSet<u64>,
    hasher: std::hash::RandomState,
}

impl Shown {
    fn key(&self, d: &Diagnostic) -> u64 {
        self.hasher.hash_one(d)
    }
}

/// One thing the human form prints: a problem, or the line counting those left out.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Problem(&'a Diagnostic),
    More(More<'a>),
}

/// `… and 99,900 more broken-link errors in content/x.md (--format json lists every one)`.
#[derive(Debug, PartialEq)]
struct More<'a> {
    file: &'a str,
    severity: Severity,
    code: &'a str,
    count: usize,
}

impl More<'_> {
    fn to_human(&self, color: bool) -> String {
        let styles = if color {
            &Styles::COLOR
        } else {
            &Styles::PLAIN
        };
        let style = match self.severity {
            Severity::Error => styles.error,
            Severity::Warning => styles.warning,
        };
        let what = match self.severity {
            Severity::Error => word(self.count, "error", "errors"),
            Severity::Warning => word(self.count, "warning", "warnings"),
        };
        format!(
            "{style}… and {} more {} {what} in {}{style:#} (--format json lists every one)\n",
            thousands(self.count),
            self.code,
            self.file,
        )
    }
}

/// The human form's pieces, in the order of `diagnostics`: at most `cap` problems of one kind
/// per file, and after the last problem shown of each file, one `More` per kind left out.
fn human_pieces<'a>(diagnostics: &'a [Diagnostic], cap: usize) -> Vec<Piece<'a>> {
    type Kind<'a> = (&'a str, Severity, &'a str);
    let kind = |d: &'a Diagnostic| -> Kind<'a> { (d.file.as_str(), d.severity, d.code) };
    let mut total: HashMap<Kind<'a>, usize> = HashMap::new();
    for d in diagnostics {
        *total.entry(kind(d)).or_default() += 1;
    }
    let mut printed: HashMap<Kind<'a>, usize> = HashMap::new();
    let mut pieces = Vec::new();
    // The kinds of the file being printed that reached the cap, announced when it ends.
    let mut capped: Vec<Kind<'a>> = Vec::new();
    let announce = |capped: &mut Vec<Kind<'a>>, pieces: &mut Vec<Piece<'a>>| {
        capped.sort();
        for k in capped.drain(..) {
            pieces.push(Piece::More(More {
                file: k.0,
                severity: k.1,
                code: k.2,
                count: total[&k] - cap,
            }));
        }
    };
    let mut file: Option<&'a str> = None;
    for d in diagnostics {
        if file != Some(d.file.as_str()) {
            announce(&mut capped, &mut pieces);
            file = Some(&d.file);
        }
        let k = kind(d);
        let n = printed.entry(k).or_default();
        if *n < cap {
            *n += 1;
            pieces.push(Piece::Problem(d));
            if *n == cap && total[&k] > cap {
                capped.push(k);
            }
        }
    }
    announce(&mut capped, &mut pieces);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::forms::tests::broken_link;

    #[test]
    fn the_human_form_caps_each_kind_per_file() {
        let link = |file: &str, n: u32| {
            Diagnostic::error("broken-link", file, format!("broken link \"m-{n}.html\"")).at(4, n)
        };
        let mut all: Vec<Diagnostic> = (1..=5).map(|n| link("content/a.md", n)).collect();
        all.push(Diagnostic::warning("unknown-key", "content/a.md", "k").at(9, 1));
        all.extend((1..=3).map(|n| link("content/b.md", n)));
        let pieces = human_pieces(&all, 2);
        let text: Vec<String> = pieces
            .iter()
            .map(|p| match p {
                Piece::Problem(d) => d.headline(),
                Piece::More(m) => m.to_human(false),
            })
            .collect();
        assert_eq!(
            text,
            [
                "content/a.md:4:1: broken link \"m-1.html\"",
                "content/a.md:4:2: broken link \"m-2.html\"",
                "content/a.md:9:1: k",
                "… and 3 more broken-link errors in content/a.md (--format json lists every one)\n",
                "content/b.md:4:1: broken link \"m-1.html\"",
                "content/b.md:4:2: broken link \"m-2.html\"",
                "… and 1 more broken-link error in content/b.md (--format json lists every one)\n",
            ]
        );
        // Under the cap nothing is left out.
        assert_eq!(human_pieces(&all, 5).len(), all.len());
    }

    #[test]
    fn print_new_remembers_what_it_printed() {
        let mut shown = Shown::default();
        let a = broken_link();
        let b = Diagnostic::warning("x", "a.md", "m");
        let key = |d: &Diagnostic, shown: &Shown| shown.key(d);
        let printer = Printer::new(Format::Json, ColorChoice::Never);
        printer
            .print_new(std::slice::from_ref(&a), &mut shown)
            .unwrap();
        assert!(shown.keys.contains(&key(&a, &shown)));
        printer
            .print_new(std::slice::from_ref(&b), &mut shown)
            .unwrap();
        assert!(!shown.keys.contains(&key(&a, &shown)));
        assert!(shown.keys.contains(&key(&b, &shown)));
    }

    #[test]
    fn names_parse_and_unknown_ones_are_refused() {
        for name in Format::NAMES {
            assert!(name.parse::<Format>().is_ok(), "{name}");
        }
        for name in ColorChoice::NAMES {
            assert!(name.parse::<ColorChoice>().is_ok(), "{name}");
        }
        assert_eq!("json".parse::<Format>(), Ok(Format::Json));
        assert!("xml".parse::<Format>().is_err());
        assert!("sometimes".parse::<ColorChoice>().is_err());
    }
}

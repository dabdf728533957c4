//! Problems found in a site's content, collected across every stage of the build and printed once
//! at the end. A `Diagnostic` is a value: stages return them, only the CLI prints them.

use std::fmt;

mod forms;
mod lines;
mod print;
mod snippet;

pub use forms::github_file_prefix;
pub use lines::{LineIndex, LineTable};
use print::Styles;
pub use print::{ColorChoice, Format, PER_FILE_AND_KIND, Printer, Shown};
pub use snippet::{Quote, Snippet};

/// The index `with_source_lines` quotes from: the same as `LineIndex`.
pub type SourceLines<'a> = LineIndex<'a>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem, located in a file (relative to the site root) at a 1-based line and column.
/// A line of 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable identifier such as `broken-link`, for filtering and machine-readable output.
    pub code: &'static str,
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// The closest existing thing, printed as `— did you mean "…"?`.
    pub suggestion: Option<String>,
    /// Extra lines of explanation (`= …`).
    pub notes: Vec<String>,
    /// The source line the problem is on, and how many characters to underline.
    pub snippet: Option<Snippet>,
    /// For a problem inside an include: the chain of include tags that led to `file`, outermost
    /// first (`content/x.md:14`, `includes/callout.html:3`), printed before the location.
    pub via: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, file, message)
    }

    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, file, message)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            suggestion: None,
            notes: Vec::new(),
            snippet: None,
            via: Vec::new(),
        }
    }

    /// A file that is not UTF-8 text, at its first byte that is not: Jekyll-era files saved
    /// as Latin-1 or Windows-1252 (`Caf\xe9`), with how to convert them.
    pub fn not_utf8(code: &'static str, file: impl Into<String>, bytes: &[u8]) -> Self {
        let valid = std::str::from_utf8(bytes)
            .err()
            .map_or(bytes.len(), |e| e.valid_up_to());
        let line_start = bytes[..valid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
        let column = String::from_utf8_lossy(&bytes[line_start..valid])
            .chars()
            .count()
            + 1;
        let byte = bytes.get(valid).copied().unwrap_or(0);
        // Latin-1 and Windows-1252 agree from 0xA0 on, where the byte is the code point.
        let latin = match byte {
            0xA0..=0xFF => format!(" (\"{}\" in Latin-1)", char::from(byte)),
            _ => String::new(),
        };
        Self::error(
            code,
            file,
            format!("the file is not valid UTF-8 text: byte 0x{byte:02X}{latin} here"),
        )
        .at(line as u32, column as u32)
        .with_note(
            "it was probably saved as Latin-1 or Windows-1252: save it as UTF-8 in your editor, or \
             convert it with `iconv -f WINDOWS-1252 -t UTF-8`",
        )
    }

    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn with_suggestion(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Attaches the source line `self.line` of `source` (a window of it, when it is long),
    /// underlining `len` characters from the column.
    pub fn with_source(mut self, source: &str, len: usize) -> Self {
        if let Some(snippet) = snippet::of(source, self.line, self.column, len) {
            self.snippet = Some(snippet);
        }
        self
    }

    /// Like `with_source`, with the text indexed once for many diagnostics.
    pub fn with_source_lines(mut self, lines: &SourceLines<'_>, len: usize) -> Self {
        if let Some(snippet) = lines.snippet(self.line, self.column, len) {
            self.snippet = Some(snippet);
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn with_via(mut self, via: Vec<String>) -> Self {
        self.via = via;
        self
    }

    /// `file:line:col`, or less when the position is unknown; after the include chain, if any:
    /// `content/x.md:14 → includes/note.html:3`.
    pub fn location(&self) -> String {
        let here = match (self.line, self.column) {
            (0, _) => self.file.clone(),
            (line, 0) => format!("{}:{line}", self.file),
            (line, col) => format!("{}:{line}:{col}", self.file),
        };
        if self.via.is_empty() {
            return here;
        }
        format!("{} → {here}", self.via.join(" → "))
    }

    /// The one-line form: `content/x.md:12:5: broken link "y.html" — did you mean "z.html"?`
    pub fn headline(&self) -> String {
        let mut line = format!("{}: {}", self.location(), self.message);
        if let Some(suggestion) = &self.suggestion {
            line.push_str(&format!(" — did you mean \"{suggestion}\"?"));
        }
        line
    }
}

/// The human form: severity and headline, then the source line with a caret under the problem.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_human(f, &Styles::PLAIN)
    }
}

impl Diagnostic {
    /// Writes the human form with `styles` (plain, or ANSI colours for a terminal).
    fn write_human(&self, f: &mut dyn fmt::Write, styles: &Styles) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => styles.error,
            Severity::Warning => styles.warning,
        };
        let gutter = styles.gutter;
        writeln!(
            f,
            "{severity}{}{severity:#}{bold}:{bold:#} {bold}{}{bold:#}",
            self.severity.as_str(),
            self.headline(),
            bold = styles.headline,
        )?;
        let pad = " ".repeat(self.line.to_string().len());
        if let Some(snippet) = &self.snippet {
            let snippet = snippet.quote();
            let lead: String = snippet
                .text
                .chars()
                .take(snippet.caret as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{gutter}{pad} |{gutter:#}")?;
            writeln!(f, "{gutter}{} |{gutter:#} {}", self.line, snippet.text)?;
            writeln!(
                f,
                "{gutter}{pad} |{gutter:#} {lead}{severity}{}{severity:#}",
                "^".repeat(snippet.underline as usize)
            )?;
        }
        for note in &self.notes {
            writeln!(f, "{gutter}{pad} ={gutter:#} {note}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics for output: by file, then position, errors before warnings at one spot.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_form_shows_the_line_and_a_caret() {
        let source = "# Title\n\nSee [setup](setp.html) now.\n";
        let d = Diagnostic::error("broken-link", "content/a.md", "broken link \"setp.html\"")
            .at(3, 5)
            .with_suggestion(Some("setup.html".into()))
            .with_note("link text: \"setup\"")
            .with_source(source, 19);
        assert_eq!(
            d.to_string(),
            "error: content/a.md:3:5: broken link \"setp.html\" — did you mean \"setup.html\"?\n  \
             |\n3 | See [setup](setp.html) now.\n  |     ^^^^^^^^^^^^^^^^^^^\n  = link text: \"setup\"\n"
        );
    }

    #[test]
    fn location_follows_the_include_chain() {
        let d = Diagnostic::error("template", "includes/note.html", "unknown variable x")
            .at(3, 0)
            .with_via(vec!["content/x.md:14".into()]);
        assert_eq!(
            d.headline(),
            "content/x.md:14 → includes/note.html:3: unknown variable x"
        );
    }

    #[test]
    fn location_omits_unknown_parts() {
        let d = Diagnostic::warning("x", "docgen.toml", "m");
        assert_eq!(d.location(), "docgen.toml");
        assert_eq!(d.clone().at(4, 0).location(), "docgen.toml:4");
    }
}

//! The three forms of one diagnostic — human (with its ANSI styles), one JSON line, a GitHub
//! Actions annotation — and the file prefix GitHub annotations need. `print` decides which form
//! goes where, and how many are shown.

use std::path::Path;

use serde::Serialize;

use super::print::Styles;
use super::{Diagnostic, Severity};

impl Diagnostic {
    /// The human form, with ANSI colours when `color` is set.
    pub fn to_human(&self, color: bool) -> String {
        let mut text = String::new();
        let styles = if color {
            &Styles::COLOR
        } else {
            &Styles::PLAIN
        };
        self.write_human(&mut text, styles)
            .expect("writing to a String cannot fail");
        text
    }

    /// One line of JSON: severity, code, file, line, column (null when unknown), message,
    /// suggestion (null when none) and notes; for a problem inside an include, `via`: the
    /// include tags that led to `file` (`["content/x.md:14"]`).
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            severity: &'a str,
            code: &'a str,
            file: &'a str,
            line: Option<u32>,
            column: Option<u32>,
            message: &'a str,
            suggestion: Option<&'a str>,
            notes: &'a [String],
            #[serde(skip_serializing_if = "<[String]>::is_empty")]
            via: &'a [String],
        }
        let known = |n: u32| (n > 0).then_some(n);
        serde_json::to_string(&Json {
            severity: self.severity.as_str(),
            code: self.code,
            file: &self.file,
            line: known(self.line),
            column: known(self.line).and(known(self.column)),
            message: &self.message,
            suggestion: self.suggestion.as_deref(),
            notes: &self.notes,
            via: &self.via,
        })
        .expect("plain data serializes")
    }

    /// A GitHub Actions workflow command that annotates the file and line:
    /// `::error file=content/a.md,line=3,col=5,title=docgen broken-link::broken link …`.
    /// The message is the headline without its location, then the notes on lines of their own.
    pub fn to_github(&self, file_prefix: &str) -> String {
        let command = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = match file_prefix.trim_end_matches('/') {
            "" => self.file.clone(),
            prefix => format!("{prefix}/{}", self.file),
        };
        let mut properties = vec![format!("file={}", escape_property(&file))];
        if self.line > 0 {
            properties.push(format!("line={}", self.line));
            if self.column > 0 {
                properties.push(format!("col={}", self.column));
            }
        }
        properties.push(format!(
            "title={}",
            escape_property(&format!("docgen {}", self.code))
        ));
        let mut message = self.message.clone();
        if let Some(suggestion) = &self.suggestion {
            message.push_str(&format!(" — did you mean \"{suggestion}\"?"));
        }
        for note in &self.notes {
            message.push('\n');
            message.push_str(note);
        }
        if !self.via.is_empty() {
            message.push_str(&format!("\nincluded from {}", self.via.join(" → ")));
        }
        format!(
            "::{command} {}::{}",
            properties.join(","),
            escape_data(&message)
        )
    }
}

/// GitHub's escaping of a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value, where `:` and `,` are separators.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The site folder's path inside the repository, which GitHub annotations need because
/// diagnostics name files relative to the site root. With `workspace` (`GITHUB_WORKSPACE`) it is
/// the root's path below it; otherwise a relative root as given (`docs` for `--root docs`), and
/// nothing for an absolute one.
pub fn github_file_prefix(root: &Path, workspace: Option<&Path>) -> String {
    let relative = workspace
        .and_then(|ws| {
            let root = std::fs::canonicalize(root).ok()?;
            let ws = std::fs::canonicalize(ws).ok()?;
            root.strip_prefix(ws).ok().map(Path::to_path_buf)
        })
        .or_else(|| root.is_relative().then(|| root.to_path_buf()));
    let Some(relative) = relative else {
        return String::new();
    };
    relative
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(crate) fn broken_link() -> Diagnostic {
        Diagnostic::error("broken-link", "content/a.md", "broken link \"setp.html\"")
            .at(3, 5)
            .with_suggestion(Some("setup.html".into()))
            .with_note("link text: \"setup\"")
            .with_source("# T\n\nSee [setup](setp.html) now.\n", 19)
    }

    #[test]
    fn plain_human_form_is_the_display_form() {
        let d = broken_link();
        assert_eq!(d.to_human(false), d.to_string());
        assert!(!d.to_human(false).contains('\x1b'));
    }

    #[test]
    fn coloured_human_form_styles_severity_gutter_and_caret() {
        let text = broken_link().to_human(true);
        let red = "\x1b[1m\x1b[31m";
        assert!(text.starts_with(&format!("{red}error\x1b[0m")), "{text:?}");
        assert!(text.contains(&format!("{red}^^^")), "{text:?}");
        assert!(
            text.contains("\x1b[1m\x1b[34m3 |\x1b[0m See [setup]"),
            "{text:?}"
        );
        // Stripped of its escapes it is the plain form.
        let stripped: String = anstream::adapter::strip_str(&text).to_string();
        assert_eq!(stripped, broken_link().to_string());
        let warning = Diagnostic::warning("x", "a.md", "m").to_human(true);
        assert!(warning.starts_with("\x1b[1m\x1b[33mwarning"), "{warning:?}");
    }

    #[test]
    fn json_form_is_one_line_with_every_field() {
        let line = broken_link().to_json();
        assert!(!line.contains('\n'));
        assert_eq!(
            line,
            r#"{"severity":"error","code":"broken-link","file":"content/a.md","line":3,"column":5,"message":"broken link \"setp.html\"","suggestion":"setup.html","notes":["link text: \"setup\""]}"#
        );
        let whole_file = Diagnostic::warning("config", "docgen.toml", "no base_url").to_json();
        assert_eq!(
            whole_file,
            r#"{"severity":"warning","code":"config","file":"docgen.toml","line":null,"column":null,"message":"no base_url","suggestion":null,"notes":[]}"#
        );
    }

    #[test]
    fn machine_forms_carry_the_include_chain() {
        let d = Diagnostic::error("template", "includes/note.html", "unknown variable x")
            .at(3, 0)
            .with_via(vec!["content/x.md:14".into()]);
        assert!(
            d.to_json()
                .ends_with(r#""notes":[],"via":["content/x.md:14"]}"#),
            "{}",
            d.to_json()
        );
        assert_eq!(
            d.to_github(""),
            "::error file=includes/note.html,line=3,title=docgen template::unknown variable x%0Aincluded from content/x.md:14"
        );
    }

    #[test]
    fn github_form_is_an_annotation_on_the_line() {
        assert_eq!(
            broken_link().to_github(""),
            "::error file=content/a.md,line=3,col=5,title=docgen broken-link::broken link \"setp.html\" — did you mean \"setup.html\"?%0Alink text: \"setup\""
        );
        assert_eq!(
            Diagnostic::warning("config", "docgen.toml", "no base_url").to_github("docs/"),
            "::warning file=docs/docgen.toml,title=docgen config::no base_url"
        );
        assert_eq!(
            Diagnostic::warning("c", "a.md", "m")
                .at(4, 0)
                .to_github("site"),
            "::warning file=site/a.md,line=4,title=docgen c::m"
        );
    }

    #[test]
    fn github_form_escapes_data_and_properties() {
        let d = Diagnostic::error("x", "content/a,b:c%.md", "100% broken\r\nreally: yes, a, b")
            .at(1, 1);
        assert_eq!(
            d.to_github(""),
            "::error file=content/a%2Cb%3Ac%25.md,line=1,col=1,title=docgen x::100%25 broken%0D%0Areally: yes, a, b"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape_data("a:b,c%\r\n"), "a:b,c%25%0D%0A");
    }

    #[test]
    fn github_prefix_is_the_site_folder_in_the_repository() {
        assert_eq!(github_file_prefix(Path::new("."), None), "");
        assert_eq!(
            github_file_prefix(Path::new("./docs/site/"), None),
            "docs/site"
        );
        assert_eq!(github_file_prefix(Path::new("/abs/site"), None), "");
        let repo = tempfile::tempdir().unwrap();
        let site = repo.path().join("docs");
        std::fs::create_dir(&site).unwrap();
        assert_eq!(github_file_prefix(&site, Some(repo.path())), "docs");
        assert_eq!(github_file_prefix(repo.path(), Some(repo.path())), "");
        let elsewhere = tempfile::tempdir().unwrap();
        assert_eq!(
            github_file_prefix(elsewhere.path(), Some(repo.path())),
            "",
            "an absolute root outside the workspace gets no prefix"
        );
    }
}

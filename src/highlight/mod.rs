//! Render stage helper: syntax highlighting of fenced code as CSS classes. The only user of
//! syntect. The syntax set (two-face's maintained grammars) is loaded lazily, once per
//! `Highlighter`, and the highlighter lives as long as the process so `serve` reuses it, with
//! the lines it has highlighted (`LineMemo`).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use syntect::html::ClassStyle;
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

mod memo;
mod palette;

use memo::{LineMemo, LineState};
use palette::{DARK_CODE_BACKGROUNDS, LIGHT_CODE_BACKGROUNDS, css, readable, scope};

/// Every generated class starts with this, so theme CSS cannot collide with it.
pub(super) const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Fence names writers use that are neither a grammar name nor an extension.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("console", "bash"),
    ("zsh", "bash"),
    ("curl", "bash"),
    ("yml", "yaml"),
    ("jsonc", "json"),
    ("json5", "json"),
    ("javascript", "js"),
    ("typescript", "ts"),
    ("python3", "py"),
    ("html5", "html"),
    ("xhtml", "html"),
    ("svg", "xml"),
    ("wsdl", "xml"),
    ("soap", "xml"),
    ("https", "http"),
    ("csharp", "cs"),
    ("c#", "cs"),
    ("golang", "go"),
    ("rust", "rs"),
    ("ruby", "rb"),
    ("kotlin", "kt"),
    ("powershell", "ps1"),
    ("markdown", "md"),
    ("graphql", "graphql"),
];

/// Fence names that mean "no highlighting".
const PLAIN: &[&str] = &["text", "txt", "plain", "plaintext", "none", "output"];

pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    /// Fence names looked up so far → the grammar's place in the set (a lookup walks every
    /// grammar's extensions); at most `FOUND_NAMES`, as fence names are the writers' text.
    found: Mutex<HashMap<String, Option<usize>>>,
    memo: LineMemo,
}

const FOUND_NAMES: usize = 256;

impl Default for Highlighter {
    fn default() -> Self {
        Self::new()
    }
}

impl Highlighter {
    pub fn new() -> Self {
        Highlighter {
            syntaxes: OnceLock::new(),
            found: Mutex::default(),
            memo: LineMemo::default(),
        }
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    /// The grammar for a fence's language name, if docgen knows one.
    fn find(&self, lang: &str) -> Option<&SyntaxReference> {
        let all = self.syntaxes().syntaxes();
        let mut found = self.found.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = found.get(lang) {
            return at.map(|at| &all[at]);
        }
        let syntax = self.look_up(lang);
        if found.len() < FOUND_NAMES {
            let at = syntax.and_then(|s| all.iter().position(|one| std::ptr::eq(one, s)));
            found.insert(lang.to_string(), at);
        }
        syntax
    }

    fn look_up(&self, lang: &str) -> Option<&SyntaxReference> {
        let lang = lang.to_ascii_lowercase();
        if PLAIN.contains(&lang.as_str()) {
            return None;
        }
        let token = ALIASES
            .iter()
            .find(|(alias, _)| *alias == lang)
            .map_or(lang.as_str(), |(_, to)| to);
        let syntaxes = self.syntaxes();
        syntaxes
            .find_syntax_by_token(token)
            .or_else(|| syntaxes.find_syntax_by_name(token))
    }

    /// A complete `<pre>` block for `code` in `lang` (the first word of the fence's info string).
    /// Unknown or missing languages render as escaped plain text.
    pub fn highlight(&self, lang: Option<&str>, code: &str) -> String {
        let mut html = String::with_capacity(code.len() * 3 + 64);
        html.push_str("<pre class=\"code\"");
        // Focusable, so a block that scrolls sideways can be scrolled from the keyboard, and
        // named, so what gets focus is announced as code.
        if let Some(lang) = lang {
            let lang = escape(lang);
            html.push_str(&format!(
                " data-lang=\"{lang}\" tabindex=\"0\" role=\"group\" aria-label=\"Code: {lang}\"><code class=\"language-{lang}\">"
            ));
        } else {
            html.push_str(" tabindex=\"0\" role=\"group\" aria-label=\"Code\"><code>");
        }
        match lang.and_then(|l| self.find(l)) {
            Some(syntax) => html.push_str(&self.classed(syntax, code)),
            None => html.push_str(&escape(code)),
        }
        html.push_str("</code></pre>\n");
        html
    }

    /// `code` as syntect's `ClassedHTMLGenerator` writes it, line by line, each line taken from
    /// the memo when it was highlighted before in the same state.
    fn classed(&self, syntax: &SyntaxReference, code: &str) -> String {
        let syntaxes = self.syntaxes();
        let mut state = LineState {
            parse: ParseState::new(syntax),
            scopes: ScopeStack::new(),
        };
        let mut html = String::with_capacity(code.len() * 3);
        let mut open_spans = 0;
        for line in LinesWithEndings::from(code) {
            match self.memo.step(line, &mut state, &mut html, syntaxes) {
                Some(delta) => open_spans += delta,
                // A grammar that fails mid-block must not fail the build: fall back to plain.
                None => return escape(code),
            }
        }
        for _ in 0..open_spans {
            html.push_str("</span>");
        }
        html
    }

    /// The stylesheet for the generated classes: a light and a dark palette following
    /// `prefers-color-scheme`, either forced by `html[data-theme]`. Both are scoped the same way,
    /// so one palette's very specific selectors can never win over the other's.
    pub fn stylesheet(&self) -> String {
        let themes = two_face::theme::extra();
        let light = readable(
            &css(themes.get(EmbeddedThemeName::InspiredGithub)),
            LIGHT_CODE_BACKGROUNDS,
        );
        let dark = readable(
            &css(themes.get(EmbeddedThemeName::OneHalfDark)),
            DARK_CODE_BACKGROUNDS,
        );
        format!(
            "/* Generated by docgen: syntax colours for code blocks. */\n\
             @media (prefers-color-scheme: light) {{\n{}}}\n{}\n\
             @media (prefers-color-scheme: dark) {{\n{}}}\n{}",
            scope(&light, "html:not([data-theme=\"dark\"])"),
            scope(&light, "html[data-theme=\"light\"]"),
            scope(&dark, "html:not([data-theme=\"light\"])"),
            scope(&dark, "html[data-theme=\"dark\"]"),
        )
    }
}

/// A `<pre>` block from `Highlighter::highlight` with numbered lines: an empty
/// `<span class="lineno">` starts each line and the theme draws the number, so copying the code
/// does not copy the numbers.
pub fn number_lines(html: &str) -> String {
    let Some(code_start) = html
        .find("<code")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
    else {
        return html.to_string();
    };
    let code_end = html.rfind("</code>").unwrap_or(html.len()).max(code_start);
    let code = &html[code_start..code_end];
    let mut out = String::with_capacity(html.len() + code.matches('\n').count() * 28 + 32);
    out.push_str(&html[..code_start].replacen(
        "<pre class=\"code\"",
        "<pre class=\"code linenos\"",
        1,
    ));
    for line in code.split_inclusive('\n') {
        // What follows the last line break is only the closing of open spans.
        let only_tags = !line.ends_with('\n')
            && line
                .split('<')
                .all(|part| part.find('>').is_some_and(|i| i + 1 == part.len()) || part.is_empty());
        if !only_tags {
            out.push_str("<span class=\"lineno\"></span>");
        }
        out.push_str(line);
    }
    out.push_str(&html[code_end..]);
    out
}
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `code` highlighted by syntect's own `ClassedHTMLGenerator`, as docgen did before the memo.
    fn reference(h: &Highlighter, lang: &str, code: &str) -> String {
        let syntax = h.find(lang).unwrap();
        let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            syntax,
            h.syntaxes(),
            CLASS_STYLE,
        );
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        generator.finalize()
    }

    #[test]
    fn a_line_met_again_is_highlighted_as_its_state_there_says() {
        let h = Highlighter::new();
        // The same line inside a comment and outside it, twice each; a heredoc (its state keeps
        // the delimiter it waits for); a block that ends inside a string (open spans closed).
        let blocks = [
            (
                "js",
                "/*\nvar a = 1;\n*/\nvar a = 1;\n/*\nvar a = 1;\n*/\nvar a = 1;\n",
            ),
            (
                "bash",
                "cat <<EOF\necho hi\nEOF\necho hi\ncat <<END\nEOF\necho hi\nEND\n",
            ),
            ("json", "{\n  \"a\": \"unclosed\n"),
            ("xml", "<a>\n  <b>x</b>\n</a>\n<!--\n  <b>x</b>\n-->\n"),
        ];
        for _ in 0..2 {
            for (lang, code) in blocks {
                assert_eq!(
                    h.classed(h.find(lang).unwrap(), code),
                    reference(&h, lang, code),
                    "{lang}"
                );
            }
        }
        let js = h.classed(h.find("js").unwrap(), blocks[0].1);
        let lines: Vec<&str> = js.split_inclusive('\n').collect();
        assert_ne!(lines[1], lines[3], "in a comment and out of it: {js}");
        assert!(h.memo.bytes() > 0);
    }

    #[test]
    fn the_memo_stays_within_its_bound_and_highlights_the_same_when_full() {
        let mut h = Highlighter::new();
        h.memo = LineMemo::with_bound(2048);
        let code: String = (0..400)
            .map(|n| format!("{{\"key{n}\": [{n}, \"v{n}\"]}}\n"))
            .collect();
        for _ in 0..2 {
            assert_eq!(
                h.classed(h.find("json").unwrap(), &code),
                reference(&h, "json", &code)
            );
        }
        assert!(
            h.memo.bytes() <= 2048 * memo::MEMO_SHARDS,
            "{}",
            h.memo.bytes()
        );
        assert!(h.memo.bytes() > 0);
    }

    #[test]
    fn numbered_lines_get_a_marker_each() {
        let html = Highlighter::new().highlight(None, "a\nb\n");
        assert_eq!(
            number_lines(&html),
            "<pre class=\"code linenos\" tabindex=\"0\" role=\"group\" aria-label=\"Code\"><code><span class=\"lineno\"></span>a\n<span class=\"lineno\"></span>b\n</code></pre>\n"
        );
    }

    #[test]
    fn the_languages_element_guides_use_are_highlighted() {
        let h = Highlighter::new();
        for lang in [
            "bash",
            "sh",
            "shell",
            "json",
            "xml",
            "yaml",
            "yml",
            "toml",
            "javascript",
            "js",
            "typescript",
            "ts",
            "python",
            "java",
            "http",
            "html",
            "css",
            "sql",
            "go",
        ] {
            assert!(h.find(lang).is_some(), "{lang} should be highlighted");
        }
    }

    #[test]
    fn highlighting_uses_classes_not_styles() {
        let html = Highlighter::new().highlight(Some("json"), "{\"a\": 1}\n");
        assert!(
            html.starts_with(r#"<pre class="code" data-lang="json" tabindex="0" role="group" aria-label="Code: json"><code class="language-json">"#)
        );
        assert!(html.contains(r#"<span class="hl-"#), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn unknown_and_plain_languages_are_escaped_text() {
        let h = Highlighter::new();
        assert_eq!(
            h.highlight(Some("klingon"), "a < b\n"),
            "<pre class=\"code\" data-lang=\"klingon\" tabindex=\"0\" role=\"group\" aria-label=\"Code: klingon\"><code class=\"language-klingon\">a &lt; b\n</code></pre>\n"
        );
        assert!(!h.highlight(Some("text"), "x").contains("hl-"));
        assert_eq!(
            h.highlight(None, "<x>"),
            "<pre class=\"code\" tabindex=\"0\" role=\"group\" aria-label=\"Code\"><code>&lt;x&gt;</code></pre>\n"
        );
    }
}

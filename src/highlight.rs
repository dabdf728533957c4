//! Render stage helper: syntax highlighting of fenced code as CSS classes. The only user of
//! syntect. The syntax set (two-face's maintained grammars) is loaded lazily, once per
//! `Highlighter`, and the highlighter lives as long as the process so `serve` reuses it, with
//! the lines it has highlighted (`LineMemo`).

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::{Mutex, OnceLock, PoisonError};

use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

/// Every generated class starts with this, so theme CSS cannot collide with it.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

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

/// Where the highlighting of a block stands between two lines: the grammar's parse state and
/// the scopes open (what `ClassedHTMLGenerator` keeps). Together with a line's text it decides
/// that line's HTML and the state after it, which is why a line can be memoised.
#[derive(Clone, PartialEq, Eq)]
struct LineState {
    parse: ParseState,
    scopes: ScopeStack,
}

/// One highlighted line: the state it started in, its HTML, the spans it left open (or closed,
/// when negative) and the state after it.
struct Step {
    from: LineState,
    html: Box<str>,
    open_spans: isize,
    to: LineState,
}

// SAFETY: `ParseState` is not `Send` only because, with syntect's onig regex engine, the state
// of a grammar whose end pattern refers back to its start (a heredoc's delimiter) keeps the
// captures in an `onig::Region`: a heap block of plain integers from `onig_region_new`, freed by
// `onig_region_free` on drop, bound to no thread and to no regex. A `Step` is only read, cloned
// from or dropped while the `Mutex` of its shard is held, so no two threads touch one at once;
// that is all `Mutex<T>: Sync` needs of `T: Send`.
unsafe impl Send for Step {}

/// Lines already highlighted, by text. Guides repeat lines (the same `curl` header, the same
/// JSON keys) across hundreds of code blocks, and grammar regexes are the costliest part of a
/// build: a line met again in the same state is copied, not parsed. Exact by construction (a
/// hit needs equal text and equal state), so the HTML is the same either way. Sharded so the
/// render threads rarely wait on one another, and bounded so a site of unique code cannot
/// grow it without limit: once full, new lines are highlighted and not kept.
struct LineMemo {
    shards: Vec<Mutex<MemoShard>>,
    hasher: std::collections::hash_map::RandomState,
    /// The bound of each shard, in bytes (`MEMO_SHARD_BYTES`; smaller in tests).
    shard_bytes: usize,
}

#[derive(Default)]
struct MemoShard {
    lines: HashMap<Box<str>, Vec<Step>>,
    bytes: usize,
}

const MEMO_SHARDS: usize = 16;
/// The memo's bound: about 32 MiB in all.
const MEMO_SHARD_BYTES: usize = 2 << 20;
/// States kept per line text: a line seen in more states than this is rare and cheap to parse.
const MEMO_STATES_PER_LINE: usize = 4;
/// What a `Step` costs beyond its texts (two parse states and scope stacks, roughly).
const STEP_OVERHEAD: usize = 384;

impl Default for LineMemo {
    fn default() -> Self {
        LineMemo::with_bound(MEMO_SHARD_BYTES)
    }
}

impl LineMemo {
    fn with_bound(shard_bytes: usize) -> Self {
        LineMemo {
            shards: (0..MEMO_SHARDS).map(|_| Mutex::default()).collect(),
            hasher: Default::default(),
            shard_bytes,
        }
    }

    /// The bytes kept, by the memo's own count.
    #[cfg(test)]
    fn bytes(&self) -> usize {
        let shards = self.shards.iter();
        shards.map(|s| s.lock().unwrap().bytes).sum()
    }

    /// Appends the HTML of `line` (which ends in its line break, if it has one) to `html` and
    /// moves `state` past it; returns the change in open spans, `None` when the grammar fails.
    fn step(
        &self,
        line: &str,
        state: &mut LineState,
        html: &mut String,
        syntaxes: &SyntaxSet,
    ) -> Option<isize> {
        let shard = &self.shards[self.hasher.hash_one(line) as usize % MEMO_SHARDS];
        {
            let shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(step) = shard
                .lines
                .get(line)
                .and_then(|steps| steps.iter().find(|s| s.from == *state))
            {
                html.push_str(&step.html);
                *state = step.to.clone();
                return Some(step.open_spans);
            }
        }
        let from = state.clone();
        let ops = state.parse.parse_line(line, syntaxes).ok()?;
        let (text, open_spans) =
            line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut state.scopes).ok()?;
        html.push_str(&text);
        let mut shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
        let cost = line.len() + text.len() + STEP_OVERHEAD;
        if shard.bytes + cost <= self.shard_bytes {
            let steps = shard.lines.entry(line.into()).or_default();
            if steps.len() < MEMO_STATES_PER_LINE && !steps.iter().any(|s| s.from == from) {
                steps.push(Step {
                    from,
                    html: text.into(),
                    open_spans,
                    to: state.clone(),
                });
                shard.bytes += cost;
            }
        }
        Some(open_spans)
    }
}

/// Token colours of a theme; its page background is left to the site's theme.
fn css(theme: &Theme) -> String {
    let css = css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default();
    rules(&css)
        .filter(|(selectors, _)| selectors.trim() != ".hl-code")
        .map(|(selectors, body)| format!("{} {{{body}}}\n", selectors.trim()))
        .collect()
}

/// The backgrounds code is shown on in the default theme (`--code-bg` of theme.css, and the
/// tints of diff lines), light and dark. Token colours are made readable on all of them.
const LIGHT_CODE_BACKGROUNDS: &[[u8; 3]] =
    &[[0xf7, 0xf8, 0xfa], [0xff, 0xec, 0xec], [0xea, 0xff, 0xea]];
const DARK_CODE_BACKGROUNDS: &[[u8; 3]] = &[[0x15, 0x1a, 0x22]];

/// The contrast every token colour gets: WCAG AA for normal text (4.5:1), with a margin for
/// rounding in browsers' colour maths.
const MIN_CONTRAST: f64 = 4.6;

/// `css` with every token colour that is too faint on its background (the rule's own
/// `background-color`, else every one of `backgrounds`) darkened or lightened just enough to
/// reach `MIN_CONTRAST`, keeping its hue: the grammars' palettes have comments and keys at
/// 2.7–3.9:1, which many readers cannot read.
fn readable(css: &str, backgrounds: &[[u8; 3]]) -> String {
    rules(css)
        .map(|(selectors, body)| {
            let own = declaration(body, "background-color").and_then(parse_hex);
            let body = match declaration(body, "color").and_then(|c| Some((c, parse_hex(c)?))) {
                Some((written, color)) => {
                    let on: Vec<[u8; 3]> = own.map_or_else(|| backgrounds.to_vec(), |b| vec![b]);
                    let fixed = with_contrast(color, &on);
                    body.replacen(
                        &format!("color: {written}"),
                        &format!("color: {}", hex(fixed)),
                        1,
                    )
                }
                None => body.to_string(),
            };
            format!("{} {{{body}}}\n", selectors.trim())
        })
        .collect()
}

/// The value of `property` in a declaration block (`color` does not match `background-color`).
fn declaration<'a>(body: &'a str, property: &str) -> Option<&'a str> {
    body.split(';').find_map(|decl| {
        let (name, value) = decl.split_once(':')?;
        (name.trim() == property).then(|| value.trim())
    })
}

fn parse_hex(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#')?;
    let channel = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    match hex.len() {
        6 | 8 => Some([channel(0)?, channel(2)?, channel(4)?]),
        _ => None,
    }
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG relative luminance.
fn luminance(rgb: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
}

/// WCAG contrast ratio of two colours.
pub(crate) fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `color` mixed towards black (on light backgrounds) or white (on dark ones) in small steps
/// until it reaches `MIN_CONTRAST` on every background.
fn with_contrast(color: [u8; 3], backgrounds: &[[u8; 3]]) -> [u8; 3] {
    let worst = |c: [u8; 3]| {
        backgrounds
            .iter()
            .map(|b| contrast(c, *b))
            .fold(f64::INFINITY, f64::min)
    };
    let dark_background = backgrounds.iter().map(|b| luminance(*b)).sum::<f64>()
        / (backgrounds.len().max(1) as f64)
        < 0.18;
    let target = if dark_background { 255.0 } else { 0.0 };
    let mut mixed = color;
    for step in 1..=100 {
        if worst(mixed) >= MIN_CONTRAST {
            break;
        }
        let t = f64::from(step) / 100.0;
        mixed = color.map(|c| (f64::from(c) * (1.0 - t) + target * t).round() as u8);
    }
    mixed
}

/// Prefixes every selector of `css` with `ancestor`.
fn scope(css: &str, ancestor: &str) -> String {
    rules(css)
        .map(|(selectors, body)| {
            let scoped: Vec<String> = selectors
                .split(',')
                .map(|s| format!("{ancestor} {}", s.trim()))
                .collect();
            format!("{} {{{body}}}\n", scoped.join(", "))
        })
        .collect()
}

/// The `selectors { body }` rules of flat CSS (no nesting, which syntect never emits), without
/// comments.
fn rules(css: &str) -> impl Iterator<Item = (&str, &str)> {
    css.split('}').filter_map(|rule| {
        let (selectors, body) = rule.split_once('{')?;
        let selectors = match selectors.rfind("*/") {
            Some(end) => &selectors[end + 2..],
            None => selectors,
        };
        (!selectors.trim().is_empty()).then_some((selectors, body))
    })
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
        assert!(h.memo.bytes() <= 2048 * MEMO_SHARDS, "{}", h.memo.bytes());
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

    #[test]
    fn every_token_colour_is_readable_on_its_background() {
        let h = Highlighter::new();
        let themes = two_face::theme::extra();
        for (name, backgrounds) in [
            (EmbeddedThemeName::InspiredGithub, LIGHT_CODE_BACKGROUNDS),
            (EmbeddedThemeName::OneHalfDark, DARK_CODE_BACKGROUNDS),
        ] {
            let raw = css(themes.get(name));
            assert!(
                rules(&raw).any(|(_, body)| declaration(body, "color")
                    .and_then(parse_hex)
                    .is_some_and(|c| contrast(c, backgrounds[0]) < 4.5)),
                "the palette {name:?} has faint colours to fix"
            );
            for (selectors, body) in rules(&readable(&raw, backgrounds)) {
                let Some(color) = declaration(body, "color").and_then(parse_hex) else {
                    continue;
                };
                let on = declaration(body, "background-color").and_then(parse_hex);
                for background in on.map_or_else(|| backgrounds.to_vec(), |b| vec![b]) {
                    let ratio = contrast(color, background);
                    assert!(
                        ratio >= 4.5,
                        "{selectors}: {} on {} is {ratio:.2}:1",
                        hex(color),
                        hex(background)
                    );
                }
            }
        }
        // The colours the issue measured: YAML keys and dark comments.
        let css = h.stylesheet();
        assert!(
            !css.contains("#63a35c") && !css.contains("#5c6370"),
            "{css}"
        );
        assert_eq!(contrast([0xff; 3], [0; 3]).round(), 21.0);
    }

    #[test]
    fn stylesheet_scopes_both_palettes() {
        let css = Highlighter::new().stylesheet();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains("@media (prefers-color-scheme: light)"));
        assert!(css.contains("html[data-theme=\"light\"] .hl-"));
        assert!(css.contains("html[data-theme=\"dark\"] .hl-"));
        assert!(css.contains("html:not([data-theme=\"light\"]) .hl-"));
        assert!(
            !css.contains(".hl-code {"),
            "page background is the theme's job"
        );
    }
}

//! The benchmark floor: the least work any generator must do to turn a docgen site into HTML.
//!
//! `floor SITE_DIR OUT_DIR` walks `SITE_DIR/content`; for every `.md` file it strips the `---`
//! front matter, renders the Markdown with pulldown-cmark (the extensions docgen enables),
//! highlights fenced code with syntect as CSS classes, wraps the result in one fixed HTML shell
//! and writes `OUT_DIR/<same path>.html`; every other file is copied as is. Pages are processed
//! in parallel with rayon. No templates, no navigation, no link handling: `bench/compare.sh`
//! measures docgen against this program to show how much docgen's extra work costs.
//!
//! Built as a cargo example of the docgen crate (`cargo build --release --example floor`).

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};
use rayon::prelude::*;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use walkdir::WalkDir;

/// The syntax definitions, deserialized once on first use and shared by every thread.
fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(two_face::syntax::extra_newlines)
}

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: floor SITE_DIR OUT_DIR");
        return ExitCode::from(2);
    }
    let content = Path::new(&args[1]).join("content");
    let out = PathBuf::from(&args[2]);
    match run(&content, &out) {
        Ok((pages, files)) => {
            println!(
                "floor: {pages} pages, {files} files copied -> {}",
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Renders every page and copies every other file; returns (pages, files).
fn run(content: &Path, out: &Path) -> io::Result<(usize, usize)> {
    let mut entries = Vec::new();
    for entry in WalkDir::new(content).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file() {
            entries.push(entry.into_path());
        }
    }
    // Load the syntaxes before the parallel section so no thread waits on another's load.
    syntaxes();
    let pages = entries
        .par_iter()
        .map(|src| {
            let rel = src.strip_prefix(content).expect("walked under content");
            let is_page = src.extension().is_some_and(|e| e == "md");
            let dest = if is_page {
                out.join(rel).with_extension("html")
            } else {
                out.join(rel)
            };
            if let Some(dir) = dest.parent() {
                fs::create_dir_all(dir).map_err(|e| with_path(e, dir))?;
            }
            if is_page {
                render_page(src, &dest)?;
            } else {
                fs::copy(src, &dest).map_err(|e| with_path(e, src))?;
            }
            Ok(usize::from(is_page))
        })
        .collect::<io::Result<Vec<usize>>>()?
        .into_iter()
        .sum::<usize>();
    Ok((pages, entries.len() - pages))
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

fn render_page(src: &Path, dest: &Path) -> io::Result<()> {
    let text = fs::read_to_string(src).map_err(|e| with_path(e, src))?;
    let body = strip_front_matter(&text);
    let file = File::create(dest).map_err(|e| with_path(e, dest))?;
    let mut w = BufWriter::with_capacity(64 * 1024, file);
    w.write_all(
        b"<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>page</title>",
    )?;
    w.write_all(b"<link rel=\"stylesheet\" href=\"/style.css\"></head>\n<body><main>\n")?;
    html::write_html_io(&mut w, highlight_code(Parser::new_ext(body, options())))?;
    w.write_all(b"</main></body>\n</html>\n")?;
    w.flush().map_err(|e| with_path(e, dest))
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Returns the text after a leading `---` ... `---` block, or all of it when there is none.
fn strip_front_matter(text: &str) -> &str {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return text;
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "---" {
            return &rest[offset..];
        }
    }
    text
}

/// Replaces each fenced code block's events with one HTML event holding the highlighted code.
fn highlight_code<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut lang: Option<CowStr<'a>> = None;
    let mut code = String::new();
    events.filter_map(move |event| match event {
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
            let token = info.split_whitespace().next().unwrap_or("").to_string();
            lang = Some(token.into());
            code.clear();
            None
        }
        Event::Text(text) if lang.is_some() => {
            code.push_str(&text);
            None
        }
        Event::End(TagEnd::CodeBlock) if lang.is_some() => {
            let token = lang.take().expect("checked");
            Some(Event::Html(highlight(&token, &code).into()))
        }
        other => Some(other),
    })
}

fn highlight(token: &str, code: &str) -> String {
    let set = syntaxes();
    let syntax = set
        .find_syntax_by_token(token)
        .unwrap_or_else(|| set.find_syntax_plain_text());
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            // A syntax that fails mid-block falls back to escaped plain text.
            return format!(
                "<pre class=\"hl-code\"><code>{}</code></pre>\n",
                escape(code)
            );
        }
    }
    let lang_class = if token.is_empty() {
        String::new()
    } else {
        format!(" class=\"language-{token}\"")
    };
    format!(
        "<pre class=\"hl-code\"><code{lang_class}>{}</code></pre>\n",
        generator.finalize()
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

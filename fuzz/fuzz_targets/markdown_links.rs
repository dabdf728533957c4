//! Fuzz target: the Markdown scan (`markdown::scan`) of a page body and the resolution of every
//! link it finds against a small index of pages and files (`LinkIndex::resolve`), then the
//! HTML render with those links. Nothing may panic, and every position must be inside the text.
#![no_main]

use std::collections::HashSet;
use std::sync::OnceLock;

use docgen::highlight::Highlighter;
use docgen::links::{IndexedPage, LinkIndex};
use docgen::markdown;
use libfuzzer_sys::fuzz_target;

const FROM: &str = "elements/box/index.md";

fn index() -> &'static LinkIndex {
    static INDEX: OnceLock<LinkIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = LinkIndex::new("", false);
        for (source, title, anchors) in [
            ("index.md", "Home", &["welcome"][..]),
            (FROM, "Box", &["setup", "events"][..]),
            ("elements/box/box-events.md", "Box Events", &["webhooks"][..]),
            ("guides/setup.md", "Setup", &[][..]),
        ] {
            index.insert_page(IndexedPage {
                source: source.to_string(),
                title: title.to_string(),
                element: source
                    .strip_prefix("elements/")
                    .and_then(|s| s.split('/').next())
                    .map(str::to_string),
                anchors: anchors.iter().map(|a| a.to_string()).collect::<HashSet<_>>(),
                draft: false,
            });
        }
        index.insert_file("/img/logo.png".to_string());
        index.insert_file("/elements/box/diagram.svg".to_string());
        index
    })
}

fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    HIGHLIGHTER.get_or_init(Highlighter::new)
}

fuzz_target!(|text: &str| {
    let doc = markdown::scan("content/elements/box/index.md", text, 0);
    let lines = text.split('\n').count() as u32;
    let mut hrefs = Vec::with_capacity(doc.links.len());
    for link in &doc.links {
        assert!(link.line >= 1 && link.line <= lines, "{link:?}");
        match index().resolve(FROM, link.kind, &link.dest) {
            Ok(resolved) => hrefs.push(resolved.href),
            Err(broken) => {
                let d = docgen::diagnostic::Diagnostic::error("broken-link", "x.md", broken.message);
                let _ = link.place(d, text).to_string();
                hrefs.push(link.dest.clone());
            }
        }
    }
    for d in &doc.diagnostics {
        let _ = d.to_string();
    }
    let _ = doc.toc();
    let _ = markdown::render_html(text, 0, &hrefs, highlighter());
});

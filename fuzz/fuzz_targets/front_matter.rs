//! Fuzz target: the front-matter splitter and YAML reader (`front_matter::parse`), which every
//! page goes through first. Any text must give a body that is a suffix of the page, positions
//! inside it, and printable diagnostics — never a panic.
#![no_main]

use docgen::front_matter;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parsed = front_matter::parse("content/x.md", text);
    assert!(parsed.body_offset <= text.len());
    assert_eq!(&text[parsed.body_offset..], parsed.body);
    let lines = text.lines().count().max(1) as u32 + 1;
    for d in &parsed.diagnostics {
        assert!(d.line <= lines, "line {} of {lines}: {d:?}", d.line);
        let _ = d.to_string();
    }
});

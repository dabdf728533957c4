//! A bounded fuzz run in the normal suite, so CI catches regressions the cargo-fuzz targets
//! (fuzz/, run by hand) found: pages of the example site, mutated with a fixed seed (byte
//! edits, and fragments of Liquid, front matter, Markdown links and raw HTML spliced in), go
//! through the whole check pipeline; every diagnostic must print in all three formats (human,
//! JSON, GitHub) and point inside its file. A panic names the round and the mutated pages.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use docgen::check::{CheckOptions, check};
use docgen::highlight::Highlighter;

const SEED: u64 = 0x5eed_d0c5_2026_0011;
const ROUNDS: usize = 16;

/// What writers and attackers type, spliced in at random places.
const FRAGMENTS: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{% raw %}",
    "{% endraw %}",
    "{% if x %}",
    "{% endif %}",
    "{% for i in (1..3) %}",
    "{% endfor %}",
    "{% include note.html content=\"x\" %}",
    "{% include missing.html %}",
    "{% include_relative nowhere.md %}",
    "{{ page.title }}",
    "{{ site.data.glossary }}",
    "{{ page.heading | upcase }}",
    "{% assign a = 1 %}",
    "---\n",
    "\n---\n",
    "title: ",
    "order: x\n",
    "layout: nosuch\n",
    "elementId: [\n",
    "[link](",
    "](#",
    "](../",
    ".html)",
    "![img](",
    "[[",
    "]]",
    "[[Box Events]]",
    "<div markdown=\"1\">",
    "</div>",
    "```",
    "\n```rust\nfn x() {}\n",
    "\n# ",
    "\n## Same\n",
    "{: .note}",
    "[^1]",
    "[^1]: a note\n",
    "|a|b|\n|-|-|\n",
    "\u{0}",
    "é",
    "\u{202e}",
    "\r\n",
    "\t",
    "<!--",
    "-->",
    "&amp;",
    "%2e%2e/",
    "http://",
    "mailto:",
    "#",
    "\\",
    "<a href=\"",
    "\" id=\"x\">",
    "\n[ref]: /elements/box/index.html\n",
    "[text][ref]",
];

/// xorshift64*: small, fixed and good enough to pick edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A char boundary of `text` near `at`.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(text: &str, others: &[String], rng: &mut Rng) -> String {
    let mut text = text.to_string();
    for _ in 0..1 + rng.below(4) {
        let at = boundary(&text, rng.below(text.len() + 1));
        match rng.below(5) {
            0 | 1 => text.insert_str(at, FRAGMENTS[rng.below(FRAGMENTS.len())]),
            2 => {
                let end = boundary(&text, at + rng.below(40));
                text.replace_range(at..end, "");
            }
            3 => {
                // A line of another page (or of this one) pasted in.
                let other = &others[rng.below(others.len())];
                let lines: Vec<&str> = other.lines().collect();
                if !lines.is_empty() {
                    let line = format!("{}\n", lines[rng.below(lines.len())]);
                    text.insert_str(at, &line);
                }
            }
            _ => {
                let end = boundary(&text, at + 1);
                let ascii = (b' ' + rng.below(95) as u8) as char;
                text.replace_range(at..end, &ascii.to_string());
            }
        }
    }
    text
}

/// Copies the example site (the repository root's site folders) into `to`.
fn copy_example_site(to: &Path) -> Vec<PathBuf> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("docgen.toml"), to.join("docgen.toml")).unwrap();
    let mut pages = Vec::new();
    for folder in [
        "content",
        "static",
        "includes",
        "data",
        "themes",
        "templates",
    ] {
        let from = repo.join(folder);
        if !from.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(repo).unwrap();
            let target = to.join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else if entry.file_type().is_file() {
                std::fs::copy(entry.path(), &target).unwrap();
                if folder == "content" && rel.extension().is_some_and(|e| e == "md") {
                    pages.push(rel.to_path_buf());
                }
            }
        }
    }
    pages.sort();
    pages
}

#[test]
fn mutated_example_pages_never_crash_the_check_and_every_problem_prints() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let pages = copy_example_site(root);
    assert!(pages.len() > 10, "the example site has its pages");
    let originals: Vec<String> = pages
        .iter()
        .map(|p| std::fs::read_to_string(root.join(p)).unwrap())
        .collect();
    let highlighter = Highlighter::new();
    let options = CheckOptions {
        root: root.to_path_buf(),
        ..CheckOptions::default()
    };
    let mut rng = Rng(SEED);
    let mut problems = 0;
    for round in 0..ROUNDS {
        let mut mutated = Vec::new();
        for _ in 0..1 + rng.below(3) {
            let i = rng.below(pages.len());
            let text = mutate(&originals[i], &originals, &mut rng);
            std::fs::write(root.join(&pages[i]), &text).unwrap();
            mutated.push((i, text));
        }
        let describe = || {
            mutated
                .iter()
                .map(|(i, text)| format!("--- {}\n{text}", pages[*i].display()))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| check(&options, &highlighter)));
        let report = match outcome {
            Ok(Ok(report)) => report,
            Ok(Err(error)) => panic!(
                "round {round}: the check failed to run: {error}\n{}",
                describe()
            ),
            Err(_) => panic!("round {round}: the check panicked on:\n{}", describe()),
        };
        for d in &report.build.diagnostics {
            problems += 1;
            let human = d.to_human(false);
            assert!(human.contains(&d.message), "round {round}: {human}");
            let _ = d.to_human(true);
            let json: serde_json::Value = serde_json::from_str(&d.to_json())
                .unwrap_or_else(|e| panic!("round {round}: {e}: {}", d.to_json()));
            assert_eq!(json["message"], d.message.as_str());
            let github = d.to_github("");
            assert!(!github.trim_end().contains('\n'), "round {round}: {github}");
            if d.line > 0
                && let Ok(text) = std::fs::read_to_string(root.join(&d.file))
            {
                let lines = text.split('\n').count() as u32;
                assert!(
                    d.line <= lines,
                    "round {round}: line {} of {lines}: {human}",
                    d.line
                );
            }
        }
        for (i, _) in &mutated {
            std::fs::write(root.join(&pages[*i]), &originals[*i]).unwrap();
        }
    }
    assert!(problems > 0, "the mutations reach the checks");
}

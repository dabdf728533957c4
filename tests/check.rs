//! `docgen check` and the diagnostic formats of `check` and `build`: exit codes, `--strict`,
//! JSON lines, GitHub annotations and colour.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Run, TestSite};
use docgen::check::{self, CheckOptions};
use docgen::highlight::Highlighter;

/// A site with one broken link (an error) and one near-miss front matter key (a warning).
fn site_with_problems() -> TestSite {
    TestSite::new()
        .page("index.md", "# Home\n\nSee [setup](setp.html).\n")
        .page("setup.md", "---\noder: 3\n---\n# Setup\n")
}

fn site_with_a_warning() -> TestSite {
    TestSite::new().page("index.md", "---\noder: 3\n---\n# Home\n")
}

/// Runs the binary in `dir` with extra environment variables.
fn run_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_docgen"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_WORKSPACE")
        .envs(env.iter().copied())
        .output()
        .expect("docgen runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn check_reports_what_build_would_and_writes_nothing() {
    let site = site_with_problems();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: content/index.md:3:5: broken link \"setp.html\" — did you mean \"setup.html\"?\n  |\n3 | See [setup](setp.html).\n  |     ^^^^^^^^^^^^^^^^^^\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "warning: content/setup.md:2:1: unknown front matter key `oder` — did you mean \"order\"?"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("Checked 2 pages (0 elements) — 1 warning, 1 error in "),
        "{}",
        run.stderr
    );
    assert!(!site.output().exists(), "check writes nothing");
}

#[test]
fn a_clean_check_exits_zero_with_a_summary() {
    let site = TestSite::new()
        .page("index.md", "# Home\n\n[Setup](setup.md)\n")
        .page("setup.md", "# Setup\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("Checked 2 pages (0 elements) — 0 warnings, 0 errors in "),
        "{}",
        run.stdout
    );
    assert_eq!(site.run(&["check", "--quiet"]).stdout, "");
    assert!(!site.output().exists());
}

#[test]
fn warnings_pass_unless_strict() {
    let site = site_with_a_warning();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: content/index.md:2:1: unknown front matter key `oder`")
    );
    let strict = site.run(&["check", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(
        strict
            .stderr
            .contains("error: content/index.md:2:1: unknown front matter key `oder`"),
        "--strict reports warnings as errors: {}",
        strict.stderr
    );
    assert!(
        strict.stderr.contains("0 warnings, 1 error"),
        "{}",
        strict.stderr
    );
}

#[test]
fn bad_usage_exits_two() {
    let site = TestSite::new();
    assert_eq!(site.run(&["check", "--no-such-flag"]).code, 2);
    assert_eq!(site.run(&["check", "--format", "xml"]).code, 2);
    assert_eq!(site.run(&["check", "--color", "sometimes"]).code, 2);
    assert_eq!(
        site.run(&["check", "--external-timeout", "5"]).code,
        2,
        "needs --external"
    );
    assert_eq!(
        site.run(&["check", "--external", "--external-timeout", "-1"])
            .code,
        2
    );
    let empty = tempfile::tempdir().unwrap();
    let run = site.run(&["check", "--root", empty.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no docgen.toml"), "{}", run.stderr);
}

#[test]
fn check_takes_the_site_options_of_build() {
    let site = TestSite::new()
        .page("index.md", "# Home\n\n[Next](next.md)\n")
        .page("next.md", "---\ndraft: true\n---\n# Next\n");
    assert_eq!(
        site.run(&["check"]).code,
        1,
        "a link to a draft is an error"
    );
    assert_eq!(site.run(&["check", "--drafts"]).code, 0);
    let run = site.run(&["check", "--drafts", "--base-url", "not-a-url"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("--base-url: base_url \"not-a-url\""),
        "{}",
        run.stderr
    );
}

#[test]
fn the_library_entry_point_checks_without_writing() {
    let site = site_with_problems();
    let options = CheckOptions {
        root: site.root().to_path_buf(),
        ..CheckOptions::default()
    };
    let report = check::check(&options, &Highlighter::new()).unwrap();
    assert_eq!((report.build.errors(), report.build.warnings()), (1, 1));
    assert_eq!(report.build.output, None);
    assert_eq!(report.external, None);
    let strict = check::check(
        &CheckOptions {
            strict: true,
            ..options
        },
        &Highlighter::new(),
    )
    .unwrap();
    assert_eq!((strict.build.errors(), strict.build.warnings()), (2, 0));
    assert!(!site.output().exists());
}

#[test]
fn json_format_prints_one_object_per_line_on_stdout() {
    let site = site_with_problems();
    for command in ["check", "build"] {
        let run = site.run(&[command, "--format", "json"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let objects: Vec<serde_json::Value> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect();
        assert_eq!(
            objects,
            [
                serde_json::json!({
                    "severity": "error",
                    "code": "broken-link",
                    "file": "content/index.md",
                    "line": 3,
                    "column": 5,
                    "message": "broken link \"setp.html\"",
                    "suggestion": "setup.html",
                    "notes": ["link text: \"setup\""],
                }),
                serde_json::json!({
                    "severity": "warning",
                    "code": "unknown-key",
                    "file": "content/setup.md",
                    "line": 2,
                    "column": 1,
                    "message": "unknown front matter key `oder`",
                    "suggestion": "order",
                    "notes": [],
                }),
            ],
            "{command}"
        );
        assert!(
            run.stderr.contains("1 warning, 1 error"),
            "the summary is on stderr"
        );
        assert!(!run.stderr.contains("broken link"), "{}", run.stderr);
    }
}

#[test]
fn json_format_covers_configuration_errors() {
    let site = TestSite::new().file("docgen.toml", "title = \"x\"\nbroken_link = \"warn\"\n");
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let d: serde_json::Value = serde_json::from_str(run.stdout.trim()).expect("one JSON line");
    assert_eq!(d["file"], "docgen.toml");
    assert_eq!(d["line"], 2);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown field `broken_link`"),
        "{d}"
    );
}

#[test]
fn github_format_prints_annotations_on_the_lines() {
    let site = site_with_problems();
    let run = site.run(&["check", "--format", "github"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "::error file=content/index.md,line=3,col=5,title=docgen broken-link::broken link \"setp.html\" — did you mean \"setup.html\"?%0Alink text: \"setup\"\n\
         ::warning file=content/setup.md,line=2,col=1,title=docgen unknown-key::unknown front matter key `oder` — did you mean \"order\"?\n"
    );
}

#[test]
fn github_annotations_name_files_from_the_repository_root() {
    let repo = tempfile::tempdir().unwrap();
    let site = site_with_a_warning();
    let docs = repo.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for file in ["docgen.toml", "content/index.md"] {
        std::fs::create_dir_all(docs.join(file).parent().unwrap()).unwrap();
        std::fs::copy(site.root().join(file), docs.join(file)).unwrap();
    }
    let expected = "::warning file=docs/content/index.md,line=2,col=1,title=docgen unknown-key::";
    let run = run_with_env(
        repo.path(),
        &["check", "--root", "docs", "--format", "github"],
        &[],
    );
    assert!(run.stdout.starts_with(expected), "{}", run.stdout);
    let run = run_with_env(
        &docs,
        &["build", "--format", "github"],
        &[("GITHUB_WORKSPACE", repo.path().to_str().unwrap())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with(expected), "{}", run.stdout);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let site = site_with_a_warning();
    let plain = run_with_env(site.root(), &["check"], &[]);
    assert!(
        !plain.stderr.contains('\x1b'),
        "stderr is not a terminal: {:?}",
        plain.stderr
    );
    let always = run_with_env(
        site.root(),
        &["check", "--color", "always"],
        &[("NO_COLOR", "1")],
    );
    assert!(
        always.stderr.starts_with("\x1b[1m\x1b[33mwarning\x1b[0m"),
        "--color always wins over NO_COLOR: {:?}",
        always.stderr
    );
    let never = run_with_env(
        site.root(),
        &["check", "--color", "never"],
        &[("CLICOLOR_FORCE", "1")],
    );
    assert!(!never.stderr.contains('\x1b'), "{:?}", never.stderr);
    let forced = run_with_env(
        site.root(),
        &["check"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
    );
    assert!(
        !forced.stderr.contains('\x1b'),
        "NO_COLOR is respected: {:?}",
        forced.stderr
    );
}

#[test]
fn help_lists_the_check_options() {
    let site = TestSite::new();
    let run = site.run(&["check", "--help"]);
    assert_eq!(run.code, 0);
    for option in [
        "--root",
        "--base-url",
        "--drafts",
        "--strict",
        "--format",
        "--color",
        "--external",
        "--external-timeout",
        "--external-cache-hours",
    ] {
        assert!(run.stdout.contains(option), "{option} in {}", run.stdout);
    }
    let build = site.run(&["build", "--help"]);
    assert!(build.stdout.contains("--format") && build.stdout.contains("--color"));
    assert!(!build.stdout.contains("--external"));
}

#[test]
fn site_files_that_replace_generated_ones_are_named_in_the_summary() {
    // A Jekyll site's own robots.txt and a hand-made sitemap.xml replace docgen's, as later
    // sources win; meant or not, the writer is told which, in build and check alike.
    let site = TestSite::new()
        .page("index.md", "# Home\n")
        .file("static/robots.txt", "User-agent: *\nDisallow: /private/\n")
        .file("content/sitemap.xml", "<urlset/>\n");
    let note = "; generated files replaced by the site's: sitemap.xml (content/sitemap.xml), \
                robots.txt (static/robots.txt)\n";
    let check = site.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check
            .stdout
            .starts_with("Checked 1 page (0 elements) — 0 warnings, 0 errors in ")
            && check.stdout.ends_with(note),
        "{}",
        check.stdout
    );
    let build = site.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stdout.ends_with(note), "{}", build.stdout);
    assert_eq!(
        std::fs::read_to_string(site.output().join("robots.txt")).unwrap(),
        "User-agent: *\nDisallow: /private/\n"
    );
    // One file: the singular.
    let site = site.remove("content/sitemap.xml");
    assert!(
        site.run(&["check"])
            .stdout
            .ends_with("; generated file replaced by the site's: robots.txt (static/robots.txt)\n")
    );
    let plain = TestSite::new().page("index.md", "# Home\n").run(&["check"]);
    assert!(!plain.stdout.contains("replaced"), "{}", plain.stdout);
}

//! The `docgen` binary: help, exit codes and what it prints.

mod common;

use common::TestSite;

#[test]
fn help_describes_every_option() {
    let site = TestSite::new();
    let run = site.run(&["--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("build"), "{}", run.stdout);
    let run = site.run(&["build", "--help"]);
    assert_eq!(run.code, 0);
    for option in ["--root", "--output", "--base-url", "--drafts"] {
        assert!(run.stdout.contains(option), "{option} in {}", run.stdout);
    }
}

#[test]
fn success_prints_a_one_line_summary_and_exits_zero() {
    let site = TestSite::new()
        .page("elements/x/index.md", "---\nheading: X\n---\n# X\n")
        .bytes("content/elements/x/img/a.png", b"png");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.stdout.trim();
    assert!(
        summary.starts_with("Built 1 page (1 element), ")
            && summary.contains(" copied — 0 warnings, 0 errors in "),
        "{summary}"
    );
    assert!(site.root().join("public/elements/x/index.html").exists());
}

#[test]
fn content_errors_exit_one_and_are_printed_on_stderr() {
    let site = TestSite::new().page("index.md", "[a](b.html)\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: content/index.md:1:1: broken link \"b.html\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "Build failed: 1 page (0 elements) checked, nothing written — 0 warnings, 1 error in "
        ),
        "{}",
        run.stderr
    );
    assert!(!site.root().join("public/index.html").exists());
}

#[test]
fn bad_usage_exits_two() {
    let site = TestSite::new();
    assert_eq!(site.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(site.run(&["frobnicate"]).code, 2);
    let empty = tempfile::tempdir().unwrap();
    let run = site.run(&["build", "--root", empty.path().to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no docgen.toml"), "{}", run.stderr);
}

#[test]
fn invalid_config_names_the_key_and_line() {
    let site = TestSite::new().file("docgen.toml", "title = \"x\"\nbroken_link = \"warn\"\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("docgen.toml:2:1: unknown field `broken_link`"),
        "{}",
        run.stderr
    );
}

#[test]
fn root_and_output_can_be_given() {
    let site = TestSite::new().page("index.md", "# Hi\n");
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let other = tempfile::tempdir().unwrap();
    let run = TestSite::run_in(
        other.path(),
        &[
            "build",
            "--root",
            site.root().to_str().unwrap(),
            "--output",
            target.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(target.join("index.html").exists());
    assert!(
        target.join(".docgen-output").exists(),
        "the output folder is marked as docgen's"
    );
}

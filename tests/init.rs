//! A writer's first hour: `docgen init`, `docgen new page`, shell completions, and the messages
//! a new writer meets first (no site here, a typo in docgen.toml, `--quiet`).

mod common;

use std::path::Path;
use std::process::Command;

use common::{TestSite, between};

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn init_writes_a_site_that_builds_with_no_warnings() {
    let parent = tempfile::tempdir().unwrap();
    let run = TestSite::run_in(parent.path(), &["init", "docs", "--title", "Acme: Docs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let root = parent.path().join("docs").canonicalize().unwrap();
    assert_eq!(
        run.stdout,
        format!(
            "Created a docgen site in {} (12 files):\n  content/elements.md\n  \
             content/elements/example/example-authentication.md\n  \
             content/elements/example/example-create-instance.md\n  \
             content/elements/example/example-endpoint-setup.md\n  \
             content/elements/example/example-error-codes.md\n  \
             content/elements/example/example-events.md\n  \
             content/elements/example/index.md\n  content/guides/getting-started.md\n  \
             content/index.md\n  data/product.yml\n  docgen.toml\n  includes/support.md\n\
             Next: cd docs && docgen serve --watch, then open http://127.0.0.1:1111/\n",
            root.display()
        )
    );
    // Every key docgen.toml may have is there, each with a comment above it: the keys are the
    // ones an unknown key's error lists, so a new setting fails here until init explains it.
    let config = read(&root, "docgen.toml");
    assert!(config.contains("title = \"Acme: Docs\"\n"), "{config}");
    let mut keys = vec!["support_email".to_string(), "skip".to_string()];
    let probe = TestSite::new().file("docgen.toml", "zzz = 1\n");
    let listed = probe.run(&["check"]).stderr;
    let listed = between(&listed, "expected one of ", " — ");
    keys.extend(listed.split('`').skip(1).step_by(2).map(str::to_string));
    assert!(keys.len() > 8, "{keys:?}");
    for key in &keys {
        let written = [
            format!("\n{key} ="),
            format!("\n[{key}]"),
            format!("\n[[{key}]]"),
        ];
        let Some(at) = written.iter().find_map(|w| config.find(w.as_str())) else {
            panic!("docgen init does not write `{key}`:\n{config}");
        };
        let before = config[..at].trim_end().lines().last().unwrap();
        assert!(before.starts_with('#'), "{key} has no comment: {before}");
    }
    assert!(read(&root, "content/index.md").contains("title: \"Acme: Docs\"\n"));

    let run = TestSite::run_in(&root, &["build"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert!(
        run.stdout
            .starts_with("Built 9 pages (1 element), 4 assets copied — 0 warnings, 0 errors in "),
        "{}",
        run.stdout
    );
    let guide = read(&root, "public/guides/getting-started.html");
    // The include and the data file are used; the built-in callout.html too.
    assert!(guide.contains("<h2 id=\"getting-help\">"), "{guide}");
    assert!(guide.contains("with Example API."), "{guide}");
    assert!(guide.contains("<div class=\"callout callout--warning\" role=\"note\">"));
    let overview = read(&root, "public/elements/example/index.html");
    assert!(overview.contains("Example Service"));
    assert_eq!(overview.matches("<h1").count(), 1, "{overview}");
}

#[test]
fn init_refuses_a_site_and_never_overwrites_a_file() {
    let site = TestSite::new().page("index.md", "# Mine\n");
    let before = common::snapshot(site.root());
    let run = site.run(&["init"]);
    assert_eq!(run.code, 2);
    let root = site.root().canonicalize().unwrap();
    assert_eq!(
        run.stderr,
        format!(
            "error: {} already holds a site (docgen.toml); nothing was written — edit it, or run `docgen init` in another folder\n",
            root.display()
        )
    );
    assert_eq!(common::snapshot(site.root()), before);

    // A folder with content but no docgen.toml: the site is added around it, its files kept.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/index.md"), "# My own home\n").unwrap();
    let run = TestSite::run_in(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("Kept what was already there:\n  content/index.md\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("Next: docgen serve --watch, then open http://127.0.0.1:1111/\n")
    );
    assert_eq!(read(dir.path(), "content/index.md"), "# My own home\n");
    assert!(dir.path().join("docgen.toml").is_file());

    // A file where the folder should be.
    let file = dir.path().join("plain.txt");
    std::fs::write(&file, "x").unwrap();
    let run = TestSite::run_in(dir.path(), &["init", "plain.txt"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "error: plain.txt is a file, not a folder\n");
}

#[test]
fn new_page_takes_its_front_matter_from_the_folders_element() {
    let site = TestSite::new()
        .page(
            "elements/box/index.md",
            "---\nheading: Box\nelementId: 22\nelementKey: box\ntitle: Overview\nlayout: sidebarelementdoc\n\
             breadcrumbs: /elements.html\nparent: Back to Element Guides\norder: 10\n---\nHi\n",
        )
        .page(
            "elements/box/box-events.md",
            "---\nheading: Box\nelementId: 22\ntitle: Events\nlayout: sidebarelementdoc\norder: 20\n---\nEvents\n",
        )
        .page("elements.md", "---\ntitle: Elements\nlayout: elements\n---\n");
    let run = site.run(&["new", "page", "elements/box/box-rate-limits"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = "---\nheading: Box\ntitle: Rate limits\nlayout: sidebarelementdoc\n\
                    breadcrumbs: \"/elements.html\"\nparent: Back to Element Guides\nelementId: 22\n\
                    elementKey: box\norder: 30\n---\n\n";
    assert_eq!(
        read(site.root(), "content/elements/box/box-rate-limits.md"),
        expected
    );
    assert_eq!(
        run.stdout,
        "Created content/elements/box/box-rate-limits.md:\n  ---\n  heading: Box\n  title: Rate limits\n  \
         layout: sidebarelementdoc\n  breadcrumbs: \"/elements.html\"\n  parent: Back to Element Guides\n  \
         elementId: 22\n  elementKey: box\n  order: 30\n  ---\n"
    );
    // It is a guide of the element at once: last in the sidebar, and the build is clean.
    let built = site.build().clean();
    let page = built.html("elements/box/box-rate-limits.html");
    assert!(
        page.contains("aria-current=\"page\">Rate limits</a>"),
        "{page}"
    );

    // Never over an existing page.
    let run = site.run(&["new", "page", "content/elements/box/box-events.md"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: content/elements/box/box-events.md already exists: choose another name\n"
    );
}

#[test]
fn new_page_outside_elements_copies_its_neighbours() {
    let site = TestSite::new()
        .page(
            "guides/setup.md",
            "---\ntitle: Setup\nlayout: docs\nparent: Back to Home\norder: 3\n---\n",
        )
        .page("index.md", "# Home\n");
    let run = site.run(&[
        "new",
        "page",
        "guides/faq.md",
        "--title",
        "FAQ: Common Questions",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        read(site.root(), "content/guides/faq.md"),
        "---\ntitle: \"FAQ: Common Questions\"\nlayout: docs\nparent: Back to Home\norder: 4\n---\n\n"
    );
    let run = site.run(&["new", "page", "notes/today.md"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        read(site.root(), "content/notes/today.md"),
        "---\ntitle: Today\n---\n\n"
    );
    let run = site.run(&["new", "page", "img/logo.svg"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: \"img/logo.svg\" is a .svg file: pages are .md files\n"
    );
    site.build().clean();
}

/// The shell at `name`, when installed (`.ci/run` installs zsh, fish and elvish).
fn shell(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Runs `program args… script` and asserts it accepts the script's syntax.
fn parses(program: &Path, args: &[&str], script: &Path) {
    let output = Command::new(program)
        .args(args)
        .arg(script)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{} rejects the script: {}",
        program.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn completion_scripts_parse_in_their_shells() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = TestSite::run_in(dir.path(), &["completions", name]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        // Every subcommand and a nested one are offered.
        for word in [
            "build",
            "check",
            "serve",
            "init",
            "completions",
            "element",
            "page",
        ] {
            assert!(run.stdout.contains(word), "{name} lacks {word}");
        }
        let script = dir.path().join(format!("docgen.{name}"));
        std::fs::write(&script, &run.stdout).unwrap();
        match name {
            "bash" => parses(&shell("bash").expect("bash is installed"), &["-n"], &script),
            "zsh" | "fish" => match shell(name) {
                Some(program) => parses(&program, &["-n"], &script),
                None => eprintln!("{name} is not installed: its script is not parsed"),
            },
            "elvish" => match shell("elvish") {
                // edit: exists only in an interactive shell: compile against a stand-in map.
                Some(program) => {
                    let standalone = dir.path().join("standalone.elv");
                    std::fs::write(
                        &standalone,
                        format!(
                            "var arg-completer = [&]\n{}",
                            run.stdout
                                .replace("edit:completion:arg-completer", "arg-completer")
                        ),
                    )
                    .unwrap();
                    parses(&program, &["-compileonly"], &standalone);
                }
                None => eprintln!("elvish is not installed: its script is not parsed"),
            },
            // PowerShell is not packaged for Debian: check the registration instead.
            _ => assert!(
                run.stdout
                    .contains("Register-ArgumentCompleter -Native -CommandName 'docgen'"),
                "{}",
                run.stdout
            ),
        }
    }
    let run = TestSite::run_in(dir.path(), &["completions", "tcsh"]);
    assert_eq!(run.code, 2);
}

#[test]
fn a_folder_without_a_site_says_where_and_what_to_do() {
    let empty = tempfile::tempdir().unwrap();
    let shown = empty.path().canonicalize().unwrap();
    for args in [&["build"][..], &["check"], &["new", "page", "faq.md"]] {
        let run = TestSite::run_in(empty.path(), args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(
            run.stderr,
            format!(
                "error: no docgen.toml in {} — run `docgen init` to start a site here, or pass --root DIR\n",
                shown.display()
            ),
            "{args:?}"
        );
    }
}

#[test]
fn a_docgen_toml_typo_gets_a_suggestion() {
    let site = TestSite::new().file("docgen.toml", "titel = \"Docs\"\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: docgen.toml:1:1: unknown field `titel`, expected one of `title`, `base_url`, `theme`, \
         `broken_links`, `elements_index`, `templating`, `undefined_variables`, `include_tags`, `extra`, \
         `external_links`, `nav` — did you mean \"title\"?\n  \
         |\n1 | titel = \"Docs\"\n  | ^^^^^\n  = site-specific values belong in the [extra] table\n"
    );
}

#[test]
fn quiet_prints_only_problems_on_success_and_on_failure() {
    let site = TestSite::new().page("index.md", "# Home\n\n[x](gone.html)\n");
    for command in ["build", "check"] {
        let run = site.run(&[command, "--quiet"]);
        assert_eq!(run.code, 1, "{command}");
        assert_eq!(
            run.stderr,
            "error: content/index.md:3:1: broken link \"gone.html\"\n  |\n3 | [x](gone.html)\n  | ^^^^^^^^^^^^^^\n  = link text: \"x\"\n",
            "{command}"
        );
        assert_eq!(run.stdout, "", "{command}");
    }
    let site = site.page("index.md", "# Home\n");
    for command in ["build", "check"] {
        let run = site.run(&[command, "--quiet"]);
        assert_eq!(
            (run.code, run.stderr.as_str(), run.stdout.as_str()),
            (0, "", ""),
            "{command}"
        );
    }
}

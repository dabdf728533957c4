//! Hostile and careless input: each page here once crashed docgen, overflowed its stack, asked
//! for gigabytes or ran for minutes. Each must end in a located error (or a clean build) with
//! the rest of the site still checked. The binary runs as a child process that is killed after
//! a generous time, which only catches hangs: speed is measured by benchmarks, not here.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::TestSite;

/// Long enough for a debug build on a loaded machine; only a hang gets near it.
const HANG: Duration = Duration::from_secs(120);

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `docgen args…` in `root`, killing it if it hangs.
fn run(root: &Path, args: &[&str]) -> Run {
    let out = tempfile::tempfile().unwrap();
    let err = tempfile::tempfile().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_docgen"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(err.try_clone().unwrap()))
        .spawn()
        .unwrap();
    let deadline = Instant::now() + HANG;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("docgen {args:?} hung: killed after {HANG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |mut file: std::fs::File| {
        use std::io::Seek;
        file.rewind().unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        text
    };
    Run {
        code: status.code(),
        stdout: read(out),
        stderr: read(err),
    }
}

/// A site with one hostile page `body` and one good page holding a broken link, so that every
/// run shows the rest of the site was still checked.
fn site(body: &str) -> TestSite {
    TestSite::new()
        .page("index.md", &format!("---\ntitle: Home\n---\n{body}"))
        .page(
            "guide.md",
            "---\ntitle: Guide\n---\n# Guide\n\nSee [the home page](hom.md).\n",
        )
}

/// `docgen check`: the exit code must be 1, the stderr must hold `headline` as an error, and the
/// good page's broken link must be reported too.
fn check_fails_with(site: &TestSite, headline: &str) -> Run {
    let run = run(site.root(), &["check"]);
    assert_eq!(run.code, Some(1), "stderr:\n{}", run.stderr);
    assert!(
        run.stderr
            .lines()
            .any(|l| l == format!("error: {headline}")),
        "expected `error: {headline}` in:\n{}",
        run.stderr.chars().take(4000).collect::<String>()
    );
    assert!(
        run.stderr
            .contains("error: content/guide.md:6:5: broken link \"hom.md\""),
        "the rest of the site is checked: {}",
        run.stderr.chars().take(4000).collect::<String>()
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

#[test]
fn a_block_left_open_in_a_comment_is_an_error_not_a_panic() {
    check_fails_with(
        &site("text\n{% comment %}{% if x %}"),
        "content/index.md:5:14: `{% if %}` inside `{% comment %}` is never closed: add \
         `{% endif %}` (Liquid reads the tags in a comment)",
    );
}

#[test]
fn an_include_followed_by_an_unclosed_string_is_an_error() {
    check_fails_with(
        &site("{%include o t=\"\" %}{{\"%}\n").file("includes/o", "o"),
        "content/index.md:4:20: `{{` is never closed: add `}}` (or close a quote in it)",
    );
}

#[test]
fn deep_nesting_stops_before_the_stack_does() {
    // One block per line: the 101st opens on line 104.
    let fors = format!(
        "{}x\n{}",
        "{% for i in (1..1) %}\n".repeat(1000),
        "{% endfor %}".repeat(1000)
    );
    check_fails_with(
        &site(&fors),
        "content/index.md:104:1: `{% for %}` nests too deep: blocks may nest at most 100 deep",
    );
    let ifs = format!(
        "{}x\n{}",
        "{% if true %}\n".repeat(5000),
        "{% endif %}".repeat(5000)
    );
    check_fails_with(
        &site(&ifs),
        "content/index.md:104:1: `{% if %}` nests too deep: blocks may nest at most 100 deep",
    );
    let condition = format!("{{% if a{} %}}x{{% endif %}}", " and a".repeat(50_000));
    check_fails_with(
        &site(&condition),
        "content/index.md:4:1: `{% if %}` chains more than 100 `and`/`or` conditions",
    );
    let index = format!("{{{{ a{}0{} }}}}", "[a".repeat(10_000), "]".repeat(10_000));
    check_fails_with(
        &site(&index),
        "content/index.md:4:1: `[…]` indexes nest more than 100 deep",
    );
}

#[test]
fn includes_nesting_deep_stop_at_the_same_depth() {
    // Each include holds an `if` around the next: two levels each.
    let mut site = site("{% include c0.html %}\n");
    for i in 0..80 {
        site = site.file(
            &format!("includes/c{i}.html"),
            &format!(
                "{{% if true %}}{{% include c{}.html %}}{{% endif %}}",
                i + 1
            ),
        );
    }
    let run = check_fails_with(
        &site.file("includes/c80.html", "end"),
        "content/index.md:4 → includes/c0.html:1 → includes/c1.html:1 → includes/c2.html:1 → \
         includes/c3.html:1 → includes/c4.html:1 → includes/c5.html:1 → includes/c6.html:1 → \
         includes/c7.html:1 → includes/c8.html:1 → includes/c9.html:1 → includes/c10.html:1 → \
         includes/c11.html:1 → includes/c12.html:1 → includes/c13.html:1 → includes/c14.html:1 → \
         includes/c15.html:1 → includes/c16.html:1 → includes/c17.html:1 → includes/c18.html:1 → \
         includes/c19.html:1 → includes/c20.html:1 → includes/c21.html:1 → includes/c22.html:1 → \
         includes/c23.html:1 → includes/c24.html:1 → includes/c25.html:1 → includes/c26.html:1 → \
         includes/c27.html:1 → includes/c28.html:1 → includes/c29.html:1 → includes/c30.html:1 → \
         includes/c31.html:1 → includes/c32.html:1 → includes/c33.html:1 → includes/c34.html:1 → \
         includes/c35.html:1 → includes/c36.html:1 → includes/c37.html:1 → includes/c38.html:1 → \
         includes/c39.html:1 → includes/c40.html:1 → includes/c41.html:1 → includes/c42.html:1 → \
         includes/c43.html:1 → includes/c44.html:1 → includes/c45.html:1 → includes/c46.html:1 → \
         includes/c47.html:1 → includes/c48.html:1 → includes/c49.html:1:14: `{% include %}` nests \
         too deep: blocks and includes may nest at most 100 deep",
    );
    assert!(run.stderr.contains("Checked 2 pages"), "{}", run.stderr);
}

#[test]
fn huge_ranges_are_refused_before_they_are_built() {
    check_fails_with(
        &site("a\n{% for i in (1..9999999999999) %}x{% endfor %}\n"),
        "content/index.md:5:1: `{% for %}` over (1..9999999999999) would run 9999999999999 \
         times: a page may run at most 1000000 loop iterations in all",
    );
    check_fails_with(
        &site("{% for i in (1..100000000) %}{{ i }}{% endfor %}\n"),
        "content/index.md:4:1: `{% for %}` over (1..100000000) would run 100000000 times: a \
         page may run at most 1000000 loop iterations in all",
    );
    check_fails_with(
        &site("{% tablerow i in (1..100000000) cols:0 %}{{ i }}{% endtablerow %}\n"),
        "content/index.md:4:1: `{% tablerow %}` over (1..100000000) would run 100000000 times: \
         a page may run at most 1000000 loop iterations in all",
    );
}

#[test]
fn nested_loops_stop_at_the_iteration_limit() {
    check_fails_with(
        &site(
            "{% for a in (1..1000) %}\n{% for b in (1..1000) %}\n{% for c in (1..1000) %}\
             {% endfor %}{% endfor %}{% endfor %}\n",
        ),
        "content/index.md:5:1: `{% for %}` stopped: a page may run at most 1000000 loop \
         iterations in all",
    );
}

#[test]
fn doubling_text_stops_at_the_size_limit() {
    let doublings = "{% assign s = s | append: s %}\n".repeat(40);
    check_fails_with(
        &site(&format!(
            "{{% assign s = \"ab\" %}}\n{doublings}{{{{ s | size }}}}\n"
        )),
        "content/index.md:27:1: templating produces more than 50 MB of text here (in \
         `{% assign %}`): a page may produce at most that much (output, captures, assignments \
         and filter results together)",
    );
    let captures = "{% capture s %}{{ s }}{{ s }}{% endcapture %}\n".repeat(40);
    check_fails_with(
        &site(&format!("{{% assign s = \"ab\" %}}\n{captures}")),
        "content/index.md:28:23: templating produces more than 50 MB of text here (in \
         `{{ … }}`): a page may produce at most that much (output, captures, assignments \
         and filter results together)",
    );
}

#[test]
fn an_include_fan_out_stops_at_the_include_limit() {
    let mut site = site("{% include a0.html %}\n");
    for i in 0..30 {
        site = site.file(
            &format!("includes/a{i}.html"),
            &format!(
                "{{% include a{n}.html %}}{{% include a{n}.html %}}",
                n = i + 1
            ),
        );
    }
    let site = site.file("includes/a30.html", "x");
    let chain: String = (0..29)
        .map(|i| format!(" → includes/a{i}.html:1"))
        .collect();
    check_fails_with(
        &site,
        &format!(
            "content/index.md:4{chain}:23: `{{% include %}}` stopped: a page may expand at most \
             10000 includes"
        ),
    );
}

#[test]
fn pages_at_the_limits_still_build() {
    let site = TestSite::new().page(
        "index.md",
        &format!(
            "---\ntitle: Home\n---\n{}{{{{ i }}}}{}\n\n{{% for i in (1..999000) %}}{{% endfor %}}done\n",
            "{% for i in (1..1) %}".repeat(100),
            "{% endfor %}".repeat(100)
        ),
    );
    let run = run(site.root(), &["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.starts_with("Built 1 page"), "{}", run.stdout);
    let html = std::fs::read_to_string(site.root().join("public/index.html")).unwrap();
    assert!(html.contains("<p>1</p>\n<p>done</p>"), "{html}");
}

#[test]
fn ten_thousand_identical_headings_get_unique_ids() {
    let site = TestSite::new().page(
        "index.md",
        &format!("---\ntitle: Home\n---\n{}", "## Same\n\n".repeat(10_000)),
    );
    let run = run(site.root(), &["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let html = std::fs::read_to_string(site.root().join("public/index.html")).unwrap();
    assert!(html.contains("<h2 id=\"same\">"));
    assert!(html.contains("<h2 id=\"same-9999\">"));
    assert!(!html.contains("same-10000"));
}

#[test]
fn a_hundred_thousand_links_on_one_line_resolve() {
    let line = "[home](index.md) ".repeat(100_000);
    let site = TestSite::new()
        .page("index.md", &format!("---\ntitle: Home\n---\n{line}\n"))
        .page(
            "other.md",
            "---\ntitle: Other\n---\nBack [home](index.md).\n",
        );
    let run = run(site.root(), &["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn broken_links_on_one_long_line_quote_a_window_of_it() {
    // 6,000 links (a 90 KB line) show every behaviour of the cap; the 100,000-link figure is
    // bench/hostile-links.sh's, so this stays cheap in a debug build under load.
    let count = 6_000;
    let line = "[a](nope.html) ".repeat(count);
    let site = TestSite::new().page("index.md", &format!("---\ntitle: Home\n---\n{line}\n"));
    let run = run(site.root(), &["check"]);
    assert_eq!(run.code, Some(1));
    // People see the first 100, then how many more there are; the count is complete.
    let headlines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: content/index.md:4:"))
        .collect();
    assert_eq!(headlines.len(), 100);
    let more = format!(
        "… and {} more broken-link errors in content/index.md (--format json lists every one)",
        thousands(count - 100)
    );
    assert!(run.stderr.lines().any(|l| l == more), "{more}");
    assert!(run.stderr.contains(&format!("0 warnings, {count} errors")));
    assert!(run.stderr.len() < 100_000, "{} bytes", run.stderr.len());
    // The 100th: column 1,486, quoted as a window with the caret under its link.
    let at = run
        .stderr
        .find("error: content/index.md:4:1486: broken link \"nope.html\"\n")
        .expect("the 100th link's error");
    let block: Vec<&str> = run.stderr[at..].lines().take(6).collect();
    let quoted = block[2].strip_prefix("4 | ").unwrap();
    let caret = block[3].strip_prefix("  | ").unwrap();
    assert!(quoted.chars().count() < 400, "{quoted}");
    assert!(quoted.starts_with('…') && quoted.ends_with('…'), "{quoted}");
    let column = caret.find('^').unwrap();
    assert_eq!(caret.trim(), "^".repeat(14));
    assert_eq!(
        quoted.chars().skip(column).take(14).collect::<String>(),
        "[a](nope.html)"
    );
    assert_eq!(block[4], "  = link text: \"a\"");
    assert_eq!(block[5], more);
    // The machine formats list every one, the 5,000th at column 74,986.
    let json = run_ok_or_failed(site.root(), &["check", "--format", "json"]);
    assert_eq!(json.stdout.lines().count(), count);
    assert!(json.stdout.contains(r#""line":4,"column":74986,"#));
    let github = run_ok_or_failed(site.root(), &["check", "--format", "github"]);
    assert_eq!(
        github
            .stdout
            .lines()
            .filter(|l| l.starts_with("::error "))
            .count(),
        count
    );
}

#[test]
fn each_kind_of_problem_in_a_file_is_capped_on_its_own() {
    // 150 broken links and 120 unknown-anchor links on one page, 3 broken links on another: the
    // page shows 100 of each kind and a count of the rest; the other page shows all of its own.
    let body = format!(
        "# Top\n\n{}\n\n{}\n",
        "[a](gone.html) ".repeat(150),
        "[b](#nowhere) ".repeat(120)
    );
    let site = site(&body).page(
        "other.md",
        "---\ntitle: Other\n---\n[x](y.html) [x](y.html) [x](y.html)\n",
    );
    let run = run(site.root(), &["check"]);
    assert_eq!(run.code, Some(1));
    let lines: Vec<&str> = run.stderr.lines().collect();
    let count = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count("error: content/index.md:6:"), 100);
    assert_eq!(count("error: content/index.md:8:"), 0);
    assert_eq!(count("error: content/other.md:"), 3);
    assert_eq!(count("error: content/guide.md:"), 1);
    // Both kinds share the code `broken-link`: 270 problems, 100 shown.
    let more =
        "… and 170 more broken-link errors in content/index.md (--format json lists every one)";
    assert_eq!(
        lines.iter().filter(|l| **l == more).count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("0 warnings, 274 errors"),
        "{}",
        run.stderr
    );
    // The count comes right after the last problem shown of its file.
    let at = lines.iter().position(|l| *l == more).unwrap();
    assert!(lines[at - 1].starts_with("  = "), "{}", lines[at - 1]);
    assert!(
        lines[at + 1].starts_with("error: content/other.md:"),
        "{}",
        lines[at + 1]
    );
}

#[test]
fn columns_on_long_non_ascii_lines_count_characters() {
    // 3,000 links among 1- to 4-byte characters on one line (about 100 KB).
    let unit = |n: usize| format!("Größe 接続 😀 [a](gone-{n}.html) ");
    let line: String = (0..3000).map(unit).collect();
    let site = TestSite::new().page("index.md", &format!("---\ntitle: Home\n---\n{line}\n"));
    let json = run_ok_or_failed(site.root(), &["check", "--format", "json"]);
    let columns: Vec<u32> = json
        .stdout
        .lines()
        .map(|l| {
            let at = l.find(r#""column":"#).unwrap() + 9;
            l[at..].split(',').next().unwrap().parse().unwrap()
        })
        .collect();
    let mut expected = Vec::new();
    let mut chars = 0;
    for n in 0..3000 {
        let text = unit(n);
        expected
            .push(chars + text.find('[').map(|i| text[..i].chars().count()).unwrap() as u32 + 1);
        chars += text.chars().count() as u32;
    }
    assert_eq!(columns, expected);
    // The human form quotes a window with the caret under the link, in characters.
    let human = run(site.root(), &["check"]);
    let headline = format!(
        "error: content/index.md:4:{}: broken link \"gone-57.html\"",
        expected[57]
    );
    let lines: Vec<&str> = human.stderr.lines().collect();
    let at = lines.iter().position(|l| *l == headline).expect(&headline);
    let quoted = lines[at + 2].strip_prefix("4 | ").unwrap();
    let caret = lines[at + 3].strip_prefix("  | ").unwrap();
    let column = caret.find('^').unwrap();
    assert_eq!(
        quoted.chars().skip(column).take(19).collect::<String>(),
        "[a](gone-57.html) G"
    );
    assert_eq!(caret.trim(), "^".repeat(17));
}

/// `1234567` as `1,234,567`, as the human form counts.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `run`, for a check that reports problems: exit code 1, no panic.
fn run_ok_or_failed(root: &Path, args: &[&str]) -> Run {
    let run = run(root, args);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_not_published() {
    use std::os::unix::fs::symlink;
    let site = TestSite::new()
        .page(
            "index.md",
            "---\ntitle: Home\n---\n# Home\n\n[shared](shared.md)\n",
        )
        .page(
            "docs/x/index.md",
            "---\ntitle: X\n---\n# X\n\n[x](nope.md)\n",
        )
        .file("notes/shared.md", "---\ntitle: Shared\n---\n# Shared\n")
        .file("notes/logo.txt", "logo")
        .file("secret/key.txt", "secret");
    let root = site.root();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("passwd"), "root:x:0:0").unwrap();
    let passwd = outside.path().join("passwd");
    for dir in ["static", "includes", "data"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    symlink(&passwd, root.join("static/passwd")).unwrap();
    symlink(outside.path(), root.join("content/outside")).unwrap();
    symlink(&passwd, root.join("includes/note.html")).unwrap();
    symlink(&passwd, root.join("data/users.yml")).unwrap();
    // Inside the site: followed.
    symlink("../notes/shared.md", root.join("content/shared.md")).unwrap();
    symlink("../notes/logo.txt", root.join("static/logo.txt")).unwrap();
    // A loop.
    symlink("..", root.join("content/docs/x/loop")).unwrap();

    let run = run(root, &["build"]);
    let shown = passwd.display().to_string();
    let outside = outside.path().display().to_string();
    let expected = [
        "error: content/docs/x/index.md:6:1: broken link \"nope.md\"".to_string(),
        "error: content/docs/x/loop: symlink loop: the link to .. leads back to content/docs, \
         which holds it; not followed"
            .to_string(),
        format!(
            "warning: content/outside: symlink to {outside} leads outside the site folder; not \
             followed"
        ),
        format!(
            "warning: data/users.yml: symlink to {shown} leads outside the site folder; not followed"
        ),
        format!(
            "warning: includes/note.html: symlink to {shown} leads outside the site folder; not \
             followed"
        ),
        format!(
            "warning: static/passwd: symlink to {shown} leads outside the site folder; not followed"
        ),
    ];
    let problems: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:") || l.starts_with("warning:"))
        .collect();
    assert_eq!(problems, expected, "{}", run.stderr);
    assert_eq!(run.code, Some(1));

    // Fixed, the site builds: inside links work, nothing from outside is published.
    std::fs::remove_file(root.join("content/docs/x/loop")).unwrap();
    std::fs::write(
        root.join("content/docs/x/index.md"),
        "---\ntitle: X\n---\n# X\n",
    )
    .unwrap();
    let run = run_ok(root);
    assert!(run.stderr.contains("static/passwd"), "{}", run.stderr);
    let out = root.join("public");
    assert!(out.join("shared.html").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("logo.txt")).unwrap(),
        "logo"
    );
    assert!(!out.join("passwd").exists());
    assert!(!out.join("outside").exists());
}

fn run_ok(root: &Path) -> Run {
    let run = run(root, &["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    run
}

/// `docgen serve` on a site whose page nests 4,000 loops: the page shows the error, and the
/// server keeps answering.
#[test]
fn the_preview_server_survives_hostile_templates() {
    let deep = format!(
        "{}x{}",
        "{% for i in (1..1) %}".repeat(4000),
        "{% endfor %}".repeat(4000)
    );
    let site = TestSite::new()
        .page("index.md", "---\ntitle: Home\n---\n# Home\n")
        .page("deep.md", &format!("---\ntitle: Deep\n---\n{deep}\n"))
        .page(
            "range.md",
            "---\ntitle: Range\n---\n{% for i in (1..9999999999999) %}x{% endfor %}\n",
        );
    let mut child = Command::new(env!("CARGO_BIN_EXE_docgen"))
        .args(["serve", "--port", "0"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
            let _ = tx.send(line);
        }
    });
    let port: u16 = loop {
        let line = rx
            .recv_timeout(HANG)
            .expect("docgen serve says where it serves");
        if let Some(rest) = line.strip_prefix("Serving http://127.0.0.1:") {
            break rest.trim_end_matches('/').parse().unwrap();
        }
    };
    let get = |path: &str| -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(HANG)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    };
    let home = get("/");
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    assert!(home.contains("docgen-overlay"), "{home}");
    assert!(
        home.contains("`{% for %}` nests too deep: blocks may nest at most 100 deep"),
        "{home}"
    );
    assert!(home.contains("over (1..9999999999999) would run 9999999999999 times"));
    assert!(get("/").starts_with("HTTP/1.1 200"), "still answering");
    assert!(child.try_wait().unwrap().is_none(), "the server is alive");
    // Stopped as Ctrl-C does, so it removes its temporary folder (a kill would leave it).
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + HANG;
    while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    if child.try_wait().unwrap().is_none() {
        child.kill().unwrap();
        child.wait().unwrap();
        panic!("docgen serve did not stop on SIGINT");
    }
}

/// A long generated page (an API reference pasted in) repeats its headings and links to a few
/// anchors it lacks, thousands of times, in Markdown and raw HTML. Each broken URL of the
/// rendered output used to compute its "did you mean" anew against every id of the page:
/// quadratic, minutes for this page. Now each distinct URL is asked once.
#[test]
fn thousands_of_links_to_a_few_missing_anchors_are_checked_in_linear_time() {
    let mut body = String::new();
    for i in 0..10_000 {
        body.push_str(&format!(
            "## Section {}\n\nSee [more](#section-{}) and <a href=\"#section-{}\">raw</a>.\n\n",
            i % 50,
            i % 60,
            i % 70
        ));
    }
    let site = site(&body);
    let run = run(site.root(), &["check", "--format", "json"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let broken: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("\"file\":\"content/index.md\""))
        .collect();
    // #section-50 … #section-59 (Markdown, 10 of every 60) and #section-50 … #section-69
    // (raw HTML, 20 of every 70): every use reported.
    let markdown = (0..10_000).filter(|i| i % 60 >= 50).count();
    let html = (0..10_000).filter(|i| i % 70 >= 50).count();
    assert_eq!(broken.len(), markdown + html, "{}", run.stderr);
    assert!(
        broken[0].contains(r##""message":"broken anchor \"#section-50\": content/index.md has no heading with id \"section-50\"","suggestion":"#section-0""##),
        "{}",
        broken[0]
    );
}

/// A NUL byte in a page (a binary paste, a hostile pull request) must not reach the HTML:
/// CommonMark replaces it with U+FFFD, and so does docgen, keeping every column in place.
#[test]
fn nul_bytes_never_reach_the_output() {
    let site = TestSite::new()
        .page(
            "index.md",
            "---\ntitle: Home\n---\n# Home\n\nHello \u{0} world, see [the guide](guid.md).\n\n<span title=\"a\u{0}b\">x</span>\n",
        )
        .page("guide.md", "---\ntitle: Guide\n---\n# Guide\n");
    let run = run(site.root(), &["check"]);
    assert!(
        run.stderr
            .contains("error: content/index.md:6:20: broken link \"guid.md\""),
        "{}",
        run.stderr
    );
    std::fs::write(
        site.root().join("content/index.md"),
        "---\ntitle: Home\n---\n# Home\n\nHello \u{0} world.\n\n<span title=\"a\u{0}b\">x</span>\n",
    )
    .unwrap();
    let built = site.build();
    assert_eq!(built.report.errors(), 0, "{}", built.diagnostics_text());
    for entry in walkdir::WalkDir::new(&built.out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            assert!(
                !bytes.contains(&0),
                "{} holds a NUL",
                entry.path().display()
            );
        }
    }
    assert!(built.html("index.html").contains("Hello \u{FFFD} world."));
}

/// A data file or front matter of `[[[[…` 100,000 deep (200 KB in a pull request) kept `check`
/// busy for minutes: libyaml's scanner is quadratic in the depth of flow collections.
#[test]
fn yaml_nested_without_end_is_refused_at_once() {
    let deep =
        |open: &str, close: &str| format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
    let site = site("Hi\n")
        .file("data/deep.yml", &format!("endpoints: {}\n", deep("[", "]")))
        .page(
            "deep.md",
            &format!("---\ntitle: Deep\nx: {}\n---\nBody\n", deep("{a: ", "}")),
        );
    let run = check_fails_with(
        &site,
        "data/deep.yml:1:140: invalid YAML: lists and maps nest more than 128 deep",
    );
    assert!(
        run.stderr.lines().any(|l| l
            == "error: content/deep.md:3:516: invalid YAML: lists and maps nest more than 128 deep"),
        "{}",
        run.stderr.chars().take(4000).collect::<String>()
    );
}

/// kramdown's `* TOC` / `{:toc}` lists every heading of the page: 5,000 of them among 5,000
/// headings grew to gigabytes (each list copied the whole page again) and ran for minutes.
#[test]
fn a_page_of_tables_of_contents_shows_ten_and_warns_at_the_eleventh() {
    let site = TestSite::new()
        .file("templates/page.html", "{{ page.content | safe }}")
        .page(
            "tocs.md",
            &format!(
                "---\ntitle: Tocs\n---\n{}",
                "* TOC\n{:toc}\n\n## Step\n\n".repeat(5000)
            ),
        );
    let run = run(site.root(), &["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "warning: content/tocs.md:55:1: a page shows at most 10 tables of contents: this one and those after it are left out\n"
        ),
        "{}",
        run.stderr.chars().take(2000).collect::<String>()
    );
    let html = std::fs::read_to_string(site.output().join("tocs.html")).unwrap();
    assert_eq!(html.matches("<ul id=\"markdown-toc\">").count(), 10);
    assert_eq!(html.matches("<h2 id=").count(), 5000);
    assert!(!html.contains("docgen-toc"), "no placeholder is left");
}

/// 20,000 `<div>`s never closed (a pasted export) are 20,000 warnings: each looked for its line
/// from the start of the page, 20 s (debug); now the page's lines are indexed once.
#[test]
fn thousands_of_nesting_warnings_are_placed_in_linear_time() {
    let site = TestSite::new().page(
        "pasted.md",
        &format!(
            "---\ntitle: Pasted\n---\n{}x\n\n{}",
            "<div>\n".repeat(20_000),
            "[a][nowhere] ".repeat(20_000)
        ),
    );
    let run = run(site.root(), &["check", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let nesting = run
        .stdout
        .lines()
        .filter(|l| l.contains("\"code\":\"html-nesting\""))
        .count();
    let references = run
        .stdout
        .lines()
        .filter(|l| l.contains("\"code\":\"undefined-reference\""))
        .count();
    assert_eq!((nesting, references), (20_000, 20_000));
    assert!(
        run.stdout
            .lines()
            .any(|l| l.contains("\"line\":20003,\"column\":1")),
        "the last div is placed"
    );
}

/// `includes/up -> ..` of the site's own folder is a loop to walkdir (the folder holds the site),
/// and was reported as one with a path like `//tmp`; it is a link out of the site.
#[cfg(unix)]
#[test]
fn a_link_to_a_folder_above_the_site_is_a_link_out_of_it() {
    let site = TestSite::new().page("index.md", "# Home\n");
    let above = site.root().parent().unwrap().to_path_buf();
    std::fs::create_dir_all(site.root().join("includes")).unwrap();
    std::os::unix::fs::symlink(&above, site.root().join("includes/up")).unwrap();
    let built = site.build();
    assert_eq!(
        built.headlines(),
        [format!(
            "includes/up: symlink to {} leads outside the site folder; not followed",
            above.display()
        )]
    );
}

//! Publishing from CI: atomic publish, reproducible output, preview deploys under `--base-url`,
//! redirects and the search index.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::TestSite;

/// Every file below `dir` (relative path → bytes), sorted by path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// The names of the entries of `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_build_failing_mid_render_leaves_the_previous_output_untouched() {
    let site = TestSite::new()
        .page("a.md", "# A\n")
        .page("b.md", "# B\n")
        .page("c.md", "# C\n")
        .bytes("content/img/x.png", b"png");
    site.build().clean();
    let before = snapshot(&site.output());
    assert!(before.contains_key("a.html") && before.contains_key("img/x.png"));

    // Only page B's render fails: A and C are rendered (and were written in place before
    // builds were atomic), the new image and page D too.
    let site = site
        .file(
            "templates/page.html",
            "{% if page.title == \"B\" %}{{ page.nosuch }}{% endif %}new {{ page.title }}",
        )
        .page("d.md", "# D\n")
        .bytes("content/img/x.png", b"changed")
        .remove("content/c.md");
    let built = site.build();
    assert_eq!(built.report.errors(), 1, "{}", built.diagnostics_text());
    assert!(built.report.output.is_none());
    assert!(
        snapshot(&site.output()) == before,
        "the previous output is byte-identical"
    );
    assert_eq!(
        names(site.root()),
        ["content", "docgen.toml", "public", "templates"],
        "no staging folder remains"
    );

    // Fixed: the next build swaps the new site in whole.
    let site = site.file("templates/page.html", "new {{ page.title }}");
    let built = site.build().clean();
    assert_eq!(built.html("a.html"), "new A");
    assert_eq!(built.html("d.html"), "new D");
    assert_eq!(built.html("img/x.png"), "changed");
    assert!(!built.exists("c.html"), "what the new site lacks is gone");
    assert_eq!(
        names(site.root()),
        ["content", "docgen.toml", "public", "templates"]
    );
}

#[cfg(unix)]
#[test]
fn unchanged_files_keep_their_identity_across_builds() {
    use std::os::unix::fs::MetadataExt;
    let site = TestSite::new().page("a.md", "# A\n").page("b.md", "# B\n");
    let built = site.build().clean();
    let inode = |rel: &str| std::fs::metadata(built.out.join(rel)).unwrap().ino();
    let (a, b, css) = (inode("a.html"), inode("b.html"), inode("theme.css"));
    let site = site.page("b.md", "# B changed\n");
    site.build().clean();
    assert_eq!(inode("a.html"), a, "unchanged page: same file, same mtime");
    assert_eq!(inode("theme.css"), css);
    assert_ne!(inode("b.html"), b, "a changed page is a new file");
}

#[test]
fn an_abandoned_staging_folder_is_cleaned_up_by_the_next_build() {
    let site = TestSite::new().page("a.md", "# A\n");
    // As left by a build that was killed (its pid cannot be running).
    let abandoned = site.root().join("public.docgen-staging-2147483646-0");
    std::fs::create_dir_all(abandoned.join("elements")).unwrap();
    std::fs::write(abandoned.join(".docgen-output"), "").unwrap();
    std::fs::write(abandoned.join("a.html"), "half").unwrap();
    site.build().clean();
    assert_eq!(names(site.root()), ["content", "docgen.toml", "public"]);
}

/// Runs the docgen binary with `RAYON_NUM_THREADS=threads`.
fn build_with_threads(root: &Path, out: &Path, threads: &str, extra: &[&str]) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_docgen"))
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(extra)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("docgen runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn two_builds_of_the_same_sources_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    // Separate processes (new hash seeds) with different parallelism.
    build_with_threads(&repo(), &one, "1", &[]);
    build_with_threads(&repo(), &two, "4", &[]);
    let (one, two) = (snapshot(&one), snapshot(&two));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>(),
        "the same files"
    );
    assert!(one.len() > 40, "{} files", one.len());
    for (path, bytes) in &one {
        assert!(bytes == &two[path], "{path} differs between builds");
    }
}

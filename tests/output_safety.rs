//! docgen never deletes or overwrites what it did not write: the output marker's manifest (the
//! files a build wrote, with their hashes) decides what a later build may remove. A deploy
//! `.git`, a `CNAME`, a user's file, a page edited by hand and everything next to a copied
//! marker survive; staging folders never become read-only, and those of killed builds go.

mod common;

use std::path::Path;

use common::{TestSite, snapshot};

/// The names of the entries of `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn a_deploy_git_folder_and_a_cname_are_kept_and_mentioned_once() {
    let site = TestSite::new().page("a.md", "# A\n").page("b.md", "# B\n");
    site.build().clean();
    let out = site.output();
    write(&out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n");
    write(&out.join(".git/objects/ab/cdef"), "blob");
    write(&out.join("CNAME"), "docs.example.com\n");

    let site = site.page("a.md", "# A again\n").remove("content/b.md");
    let built = site.build();
    assert_eq!(
        built.headlines(),
        [
            "public: kept 2 entries docgen did not write: .git/, CNAME (docgen never deletes \
          them; this is said once)"
        ]
    );
    assert!(!built.report.diagnostics[0].is_error());
    assert!(built.html("a.html").contains("A again"));
    assert!(!built.exists("b.html"), "docgen's own stale page goes");
    assert_eq!(
        std::fs::read_to_string(out.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
    assert_eq!(
        std::fs::read_to_string(out.join(".git/objects/ab/cdef")).unwrap(),
        "blob"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("CNAME")).unwrap(),
        "docs.example.com\n"
    );

    // Said once: the next builds keep them quietly.
    site.build().clean();
    let site = site.page("a.md", "# A third\n");
    let built = site.build().clean();
    assert!(built.exists(".git/HEAD") && built.exists("CNAME"));
    assert_eq!(
        names(site.root()),
        ["content", "docgen.toml", "public"],
        "no staging folder remains"
    );
}

#[test]
fn a_users_file_and_a_page_edited_by_hand_are_never_deleted() {
    let site = TestSite::new()
        .page("a.md", "# A\n")
        .page("b.md", "# B\n")
        .page("sub/c.md", "# C\n")
        .page("sub/d.md", "# D\n");
    site.build().clean();
    let out = site.output();
    write(&out.join("b.html"), "fixed by hand on the server");
    write(&out.join("sub/notes.txt"), "mine");
    write(&out.join("drafts/idea.html"), "mine too");

    // b.md and sub/ are gone from the site: docgen's unchanged files go, the others stay.
    let site = site
        .remove("content/b.md")
        .remove("content/sub/c.md")
        .remove("content/sub/d.md");
    let built = site.build();
    assert_eq!(
        built.headlines(),
        [
            "public: kept 3 entries docgen did not write: b.html, drafts/, sub/notes.txt (docgen \
          never deletes them; this is said once)"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(out.join("b.html")).unwrap(),
        "fixed by hand on the server"
    );
    assert_eq!(names(&out.join("sub")), ["notes.txt"]);
    assert!(out.join("drafts/idea.html").is_file());
    assert!(built.exists("a.html"));
}

#[test]
fn a_build_refuses_to_overwrite_a_file_docgen_did_not_write() {
    let site = TestSite::new().page("a.md", "# A\n").page("b.md", "# B\n");
    site.build().clean();
    let out = site.output();
    write(&out.join("a.html"), "edited by hand");
    let before = snapshot(&out);

    let site = site.page("a.md", "# A changed\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: refusing to overwrite what docgen did not write in the output folder public: \
         a.html (not listed in its .docgen-output, or changed since docgen wrote it); move it \
         away or delete it, then build again\n"
    );
    assert!(snapshot(&out) == before, "the output is as it was");
    assert_eq!(names(site.root()), ["content", "docgen.toml", "public"]);

    // Moved away: the build writes.
    std::fs::remove_file(out.join("a.html")).unwrap();
    let built = site.build().clean();
    assert!(built.html("a.html").contains("A changed"));
}

#[test]
fn a_copied_marker_deletes_only_files_byte_identical_to_what_it_lists() {
    let site = TestSite::new()
        .page("a.md", "# A\n")
        .page("old.md", "# Old\n")
        .page("other.md", "# Other\n");
    site.build().clean();
    let out = site.output();

    // Someone's folder, with the marker (and two pages) copied from the built site.
    let mine = tempfile::tempdir().unwrap();
    let mine = mine.path();
    std::fs::copy(out.join(".docgen-output"), mine.join(".docgen-output")).unwrap();
    std::fs::copy(out.join("old.html"), mine.join("old.html")).unwrap();
    write(&mine.join("other.html"), "my own other page");
    write(&mine.join("notes.txt"), "my notes");
    write(&mine.join("photos/cat.jpg"), "meow");

    let site = site.remove("content/old.md").remove("content/other.md");
    let run = site.run(&["build", "--quiet", "--output", mine.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "kept 3 entries docgen did not write: notes.txt, other.html, photos/ (docgen never \
             deletes them; this is said once)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !mine.join("old.html").exists(),
        "byte-identical to what it lists: docgen's"
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("other.html")).unwrap(),
        "my own other page"
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "my notes"
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("photos/cat.jpg")).unwrap(),
        "meow"
    );
    assert!(mine.join("a.html").is_file());
}

#[cfg(unix)]
#[test]
fn a_read_only_output_leaves_no_read_only_staging_folder_and_builds_after_chmod() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let site = TestSite::new().page("a.md", "# A\n");
    site.build().clean();
    let out = site.output();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o555)).unwrap();

    // A build either publishes (root, or a folder holding only docgen's files) or fails
    // naming the folder; it never leaves a folder behind that breaks the next build.
    let site = site.page("a.md", "# A changed\n");
    let run = site.run(&["build", "--quiet"]);
    assert!(
        run.code == 0 || run.stderr.contains("public"),
        "{}: {}",
        run.code,
        run.stderr
    );
    assert_eq!(names(site.root()), ["content", "docgen.toml", "public"]);
    if run.code == 0 {
        assert_eq!(
            mode(&out),
            0o755,
            "the published folder stays writable by its owner"
        );
    }

    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
    let built = site.build().clean();
    assert!(built.html("a.html").contains("A changed"));
    assert_eq!(names(site.root()), ["content", "docgen.toml", "public"]);
}

#[cfg(unix)]
#[test]
fn staging_folders_of_killed_builds_are_removed_whatever_the_moment() {
    use std::os::unix::fs::PermissionsExt;
    let site = TestSite::new().page("a.md", "# A\n");
    site.build().clean();
    let marker = std::fs::read_to_string(site.output().join(".docgen-output")).unwrap();
    let root = site.root();
    // pid 2^31 - 2 cannot be running (Linux pids stop at 2^22).
    let dead = |kind: &str, n: u32| root.join(format!("public.docgen-{kind}-2147483646-{n}"));

    // Killed right after creating its folder, before marking it.
    std::fs::create_dir(dead("staging", 0)).unwrap();
    // Killed while writing, with folders made read-only (a read-only output's mode).
    let writing = dead("staging", 1);
    write(&writing.join("elements/x/a.html"), "half");
    std::fs::write(
        writing.join(".docgen-output"),
        r#"{"about": "", "state": "writing"}"#,
    )
    .unwrap();
    for dir in [
        writing.join("elements/x"),
        writing.join("elements"),
        writing.clone(),
    ] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    // Killed while the previous output was being deleted: its marker goes last.
    let old = dead("old", 0);
    std::fs::create_dir(&old).unwrap();
    std::fs::write(old.join(".docgen-output"), &marker).unwrap();
    std::fs::copy(site.output().join("a.html"), old.join("a.html")).unwrap();
    // Killed while carrying a user's file over: that file is kept, and said so.
    let carrying = dead("staging", 2);
    std::fs::create_dir(&carrying).unwrap();
    std::fs::write(carrying.join(".docgen-output"), &marker).unwrap();
    std::fs::copy(site.output().join("a.html"), carrying.join("a.html")).unwrap();
    write(&carrying.join("CNAME"), "docs.example.com\n");
    // Not docgen's: a folder named like one but holding files and no marker.
    write(&dead("staging", 3).join("mine.txt"), "mine");

    let built = site.build();
    assert_eq!(
        built.headlines(),
        [format!(
            "public: {} was left by a docgen build that was killed; its own files are removed, \
             but it holds an entry that docgen did not write: CNAME — move them where they \
             belong and delete the folder",
            carrying.display()
        )]
    );
    assert_eq!(
        names(root),
        [
            "content",
            "docgen.toml",
            "public",
            "public.docgen-staging-2147483646-2",
            "public.docgen-staging-2147483646-3",
        ]
    );
    assert_eq!(names(&carrying), [".docgen-output", "CNAME"]);
    assert_eq!(names(&dead("staging", 3)), ["mine.txt"]);
}

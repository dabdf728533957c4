//! Tests of the write stage (`OutputDir`): staged and live writes, stale removal, foreign
//! files, refusals.

use super::*;

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/index.md"), "# Hi").unwrap();
    dir
}

/// Every name in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn refuses_folders_that_hold_the_writers_work() {
    let site = site();
    let root = site.path();
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("notes.txt"), "mine").unwrap();
    for (path, why) in [
        (root.to_path_buf(), "contains the site"),
        (root.join(".."), "contains the site"),
        (root.join("content"), "content/"),
        (root.join("content/sub"), "content/"),
        (root.join("static"), "static/"),
        (other.path().to_path_buf(), "not empty"),
        (root.join("content/index.md"), "content/"),
    ] {
        let err = OutputDir::stage(&path, root).err().expect("refused");
        assert!(err.to_string().contains(why), "{}: {err}", path.display());
        let err = OutputDir::open(&path, root).err().expect("refused");
        assert!(err.to_string().contains(why), "{}: {err}", path.display());
    }
    assert_eq!(
        std::fs::read_to_string(other.path().join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(names(root), ["content"], "nothing was created");
}

#[cfg(unix)]
#[test]
fn a_committed_build_replaces_the_output_and_links_unchanged_files() {
    use std::os::unix::fs::MetadataExt;
    let site = site();
    let out_path = site.path().join("public");
    let out = OutputDir::stage(&out_path, site.path()).unwrap();
    assert!(!out_path.exists(), "nothing is published before commit");
    assert_eq!(out.write("a/b.html", b"one").unwrap(), Written::Changed);
    assert_eq!(out.write("old.html", b"x").unwrap(), Written::Changed);
    assert_eq!(out.commit().unwrap(), out_path);
    let inode = std::fs::metadata(out_path.join("a/b.html")).unwrap().ino();

    let out = OutputDir::stage(&out_path, site.path()).expect("a marked folder is reusable");
    assert_eq!(out.write("a/b.html", b"one").unwrap(), Written::Unchanged);
    assert_eq!(out.write("c.html", b"new").unwrap(), Written::Changed);
    assert_eq!(
        std::fs::read(out_path.join("old.html")).unwrap(),
        b"x",
        "the published site is untouched while a build writes"
    );
    out.commit().unwrap();
    assert_eq!(
        names(&out_path),
        [MARKER, "a", "c.html"],
        "old.html is gone"
    );
    let meta = std::fs::metadata(out_path.join("a/b.html")).unwrap();
    assert_eq!(meta.ino(), inode, "an unchanged file is the same file");
    assert_eq!(meta.nlink(), 1, "the previous output is deleted");
    assert_eq!(names(site.path()), ["content", "public"], "no folder left");
}

#[test]
fn a_changed_file_never_writes_through_a_link_to_the_previous_output() {
    let site = site();
    let out_path = site.path().join("public");
    let out = OutputDir::stage(&out_path, site.path()).unwrap();
    out.write("a.html", b"v1").unwrap();
    out.commit().unwrap();
    let out = OutputDir::stage(&out_path, site.path()).unwrap();
    assert_eq!(out.write("a.html", b"v1").unwrap(), Written::Unchanged);
    // The same file written again with other bytes (a later writer wins).
    assert_eq!(out.write("a.html", b"v2").unwrap(), Written::Changed);
    assert_eq!(std::fs::read(out_path.join("a.html")).unwrap(), b"v1");
    drop(out);
    assert_eq!(std::fs::read(out_path.join("a.html")).unwrap(), b"v1");
}

#[test]
fn an_uncommitted_build_leaves_the_output_untouched_even_when_it_panics() {
    let site = site();
    let out_path = site.path().join("public");
    let out = OutputDir::stage(&out_path, site.path()).unwrap();
    out.write("a.html", b"published").unwrap();
    out.commit().unwrap();

    let result = std::panic::catch_unwind(|| {
        let out = OutputDir::stage(&out_path, site.path()).unwrap();
        out.write("a.html", b"half-built").unwrap();
        out.write("b.html", b"half-built").unwrap();
        panic!("a bug mid-build");
    });
    assert!(result.is_err());
    let out = OutputDir::stage(&out_path, site.path()).unwrap();
    out.write("x.html", b"").unwrap();
    drop(out); // an error: dropped without commit
    assert_eq!(names(&out_path), [MARKER, "a.html"]);
    assert_eq!(
        std::fs::read(out_path.join("a.html")).unwrap(),
        b"published"
    );
    assert_eq!(names(site.path()), ["content", "public"]);
}

#[test]
fn abandoned_staging_folders_are_removed_only_when_they_are_docgens() {
    let site = site();
    let root = site.path();
    // pid 2^31 - 2 cannot be running (Linux pids stop at 2^22).
    for (name, marked) in [
        ("public.docgen-staging-2147483646-0", true),
        ("public.docgen-old-2147483646-3", true),
        ("public.docgen-staging-2147483646-1", false),
        ("other.docgen-staging-2147483646-0", true),
        ("public.docgen-staging-mine", true),
    ] {
        std::fs::create_dir_all(root.join(name).join("a")).unwrap();
        if marked {
            std::fs::write(root.join(name).join(MARKER), "").unwrap();
        }
    }
    let out = OutputDir::stage(&root.join("public"), root).unwrap();
    out.commit().unwrap();
    assert_eq!(
        names(root),
        [
            "content",
            "other.docgen-staging-2147483646-0",
            "public",
            "public.docgen-staging-2147483646-1",
            "public.docgen-staging-mine",
        ]
    );
}

#[test]
fn an_empty_folder_is_adopted() {
    let site = site();
    let empty = tempfile::tempdir().unwrap();
    OutputDir::stage(empty.path(), site.path())
        .unwrap()
        .commit()
        .unwrap();
    assert!(empty.path().join(MARKER).is_file());
}

#[test]
fn both_swaps_publish_and_hand_back_the_old_output() {
    fn unsupported(_: &Path, _: &Path) -> io::Result<()> {
        Err(io::ErrorKind::Unsupported.into())
    }
    for (how, exchange) in [
        ("exchange", exchange as fn(&Path, &Path) -> io::Result<()>),
        ("two renames", unsupported),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("public");
        let staging = dir.path().join("public.docgen-staging-1-0");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old"), "").unwrap();
        std::fs::create_dir_all(&staging).unwrap();
        std::fs::write(staging.join("new"), "").unwrap();
        let old = swap_with(&staging, &target, exchange).unwrap().unwrap();
        assert_eq!(names(&target), ["new"], "{how}");
        assert_eq!(names(&old), ["old"], "{how}");
        if how == "two renames" {
            assert_eq!(old, dir.path().join("public.docgen-old-1-0"));
        }
    }
}

#[test]
fn live_writes_replace_single_files_atomically_and_full_rebuilds_remove_stale_ones() {
    let site = site();
    let out_path = site.path().join("public");
    let live = OutputDir::open(&out_path, site.path()).unwrap();
    assert_eq!(live.write("a/b.html", b"one").unwrap(), Written::Changed);
    assert_eq!(live.write("a/b.html", b"one").unwrap(), Written::Unchanged);
    assert_eq!(live.write("a/b.html", b"two").unwrap(), Written::Changed);
    assert_eq!(live.write("old.html", b"x").unwrap(), Written::Changed);
    assert_eq!(std::fs::read(out_path.join("a/b.html")).unwrap(), b"two");
    assert_eq!(names(&out_path.join("a")), ["b.html"], "no temp file left");
    assert!(live.remove("a/b.html").unwrap());
    assert!(!live.remove("a/b.html").unwrap());
    assert!(!out_path.join("a").exists(), "an emptied folder goes too");
    drop(live);

    let live = OutputDir::open(&out_path, site.path()).expect("a marked folder is reusable");
    live.start_full();
    assert_eq!(live.write("c.html", b"c").unwrap(), Written::Changed);
    assert_eq!(live.remove_stale_files().unwrap(), ["old.html"]);
    assert_eq!(names(&out_path), [MARKER, "c.html"]);
    assert_eq!(live.commit().unwrap(), out_path, "live output is published");
}

#[test]
fn live_files_are_replaced_whole() {
    let site = site();
    let out_path = site.path().join("public");
    let out = OutputDir::open(&out_path, site.path()).unwrap();
    out.write("a/b.html", b"old").unwrap();
    // A reader holding the old file keeps reading the old bytes: the new file is another one.
    let mut reader = std::fs::File::open(out_path.join("a/b.html")).unwrap();
    out.write("a/b.html", b"new and longer").unwrap();
    let mut old = String::new();
    std::io::Read::read_to_string(&mut reader, &mut old).unwrap();
    assert_eq!(old, "old");
    let from = site.path().join("content/index.md");
    assert_eq!(out.copy("a/c.md", &from).unwrap(), Written::Changed);
    assert_eq!(std::fs::read(out_path.join("a/c.md")).unwrap(), b"# Hi");
    assert_eq!(
        names(&out_path.join("a")),
        ["b.html", "c.md"],
        "no temporary file is left"
    );
}

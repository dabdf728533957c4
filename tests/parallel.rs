//! Parallel builds write exactly what a sequential build writes.

mod common;

use std::path::Path;
use std::process::Command;

use common::assert_same_files;

fn build_with_threads(threads: &str, out: &Path) {
    let repo = env!("CARGO_MANIFEST_DIR");
    let status = Command::new(env!("CARGO_BIN_EXE_docgen"))
        .args(["build", "--quiet", "--root", repo, "--output"])
        .arg(out)
        .env("RAYON_NUM_THREADS", threads)
        .status()
        .expect("docgen runs");
    assert!(status.success(), "build with {threads} threads failed");
}

#[test]
fn the_example_site_is_byte_identical_with_one_thread_and_with_many() {
    let dir = tempfile::tempdir().unwrap();
    let (one, many) = (dir.path().join("one"), dir.path().join("many"));
    build_with_threads("1", &one);
    build_with_threads("8", &many);
    assert_same_files(&one, &many, "1 thread against 8 threads");
}

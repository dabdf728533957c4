//! Parallel builds write exactly what a sequential build writes.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

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

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn the_example_site_is_byte_identical_with_one_thread_and_with_many() {
    let dir = tempfile::tempdir().unwrap();
    let (one, many) = (dir.path().join("one"), dir.path().join("many"));
    build_with_threads("1", &one);
    build_with_threads("8", &many);
    let (one, many) = (files(&one), files(&many));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        many.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one {
        assert!(
            bytes == &many[name],
            "{name} differs between 1 and 8 threads"
        );
    }
}

//! The output marker's manifest: which files docgen wrote into a folder, each with the hash of
//! its bytes. It is what lets a build tell its own files from everyone else's: a file is
//! docgen's only while it is listed and its bytes still hash to what is listed, so a deploy
//! `.git`, a `CNAME`, a file a user edited or a marker copied into a foreign folder never make
//! docgen delete anything it did not write.
//!
//! The marker (`.docgen-output`) is JSON, one file per line, sorted, so it is deterministic and
//! diffs well. A marker from an older docgen (plain text) lists nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// What the marker says first, for whoever opens it.
const ABOUT: &str = "This folder is written by docgen build. The files listed here are the ones \
                     it wrote; a later build replaces or removes them only while unchanged. \
                     Anything else in the folder is never deleted.";

/// The content hash of an output file: BLAKE3, in hex.
pub type Hash = String;

/// How far the build that wrote a folder got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// A staging folder being written: everything in it was written by docgen (nothing
    /// foreign is moved in before the manifest is complete).
    Writing,
    /// `files` lists what docgen wrote; anything else in the folder is someone else's.
    Complete,
    /// A preview's private folder (`docgen serve` creates it in the temp folder), written file
    /// by file as the site changes: everything in it is docgen's, so nothing is listed.
    Live,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    about: String,
    pub state: State,
    /// Output path (`a/b.html`) → hash of the bytes docgen wrote there.
    #[serde(default)]
    pub files: BTreeMap<String, Hash>,
    /// Entries of the folder docgen did not write and kept (`.git/`, `CNAME`), so each is
    /// mentioned once, by the build that first found it.
    #[serde(default)]
    pub kept: BTreeSet<String>,
}

impl Manifest {
    pub fn writing() -> Manifest {
        Manifest::new(State::Writing)
    }

    pub fn live() -> Manifest {
        Manifest::new(State::Live)
    }

    pub fn complete(files: BTreeMap<String, Hash>, kept: BTreeSet<String>) -> Manifest {
        Manifest {
            files,
            kept,
            ..Manifest::new(State::Complete)
        }
    }

    fn new(state: State) -> Manifest {
        Manifest {
            about: ABOUT.to_string(),
            state,
            files: BTreeMap::new(),
            kept: BTreeSet::new(),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a manifest serializes");
        bytes.push(b'\n');
        bytes
    }

    /// The manifest of `bytes`; `None` when they are not one (an older docgen's marker, or
    /// anything else): such a marker lists nothing.
    pub fn parse(bytes: &[u8]) -> Option<Manifest> {
        serde_json::from_slice(bytes).ok()
    }

    /// The manifest of the folder `dir` (its marker), if it has a readable one.
    pub fn read(dir: &Path) -> Option<Manifest> {
        Manifest::parse(&std::fs::read(dir.join(super::MARKER)).ok()?)
    }

    /// Whether `path`, found at `rel` in the folder, is the file docgen wrote there: listed, a
    /// regular file (never a link), and holding the listed bytes.
    pub fn lists_unchanged(&self, rel: &str, path: &Path) -> bool {
        let Some(listed) = self.files.get(rel) else {
            return false;
        };
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_file() => hash_file(path).is_ok_and(|h| &h == listed),
            _ => false,
        }
    }
}

pub fn hash_bytes(bytes: &[u8]) -> Hash {
    blake3::hash(bytes).to_hex().to_string()
}

pub fn hash_file(path: &Path) -> io::Result<Hash> {
    let mut hasher = blake3::Hasher::new();
    // `io::copy` reads through a stack buffer; a zeroed 64 KiB one per file cost more than
    // hashing the small images a site copies by the thousand.
    io::copy(&mut std::fs::File::open(path)?, &mut hasher)?;
    Ok(hasher.finalize().to_hex().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_and_an_old_marker_lists_nothing() {
        let files = BTreeMap::from([("a/b.html".to_string(), hash_bytes(b"x"))]);
        let kept = BTreeSet::from([".git/".to_string()]);
        let manifest = Manifest::complete(files, kept);
        let bytes = manifest.to_bytes();
        assert_eq!(Manifest::parse(&bytes), Some(manifest));
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("\"a/b.html\": \""), "{text}");
        assert_eq!(
            Manifest::parse(
                b"This folder is written by docgen build; its files are replaced on every build.\n"
            ),
            None
        );
        assert_eq!(Manifest::parse(b""), None);
    }

    #[test]
    fn only_listed_unchanged_regular_files_are_docgens() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.html"), "mine").unwrap();
        std::fs::write(dir.path().join("b.html"), "edited").unwrap();
        std::fs::write(dir.path().join("c.html"), "not listed").unwrap();
        let files = BTreeMap::from([
            ("a.html".to_string(), hash_bytes(b"mine")),
            ("b.html".to_string(), hash_bytes(b"as written")),
            ("link.html".to_string(), hash_bytes(b"mine")),
        ]);
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("a.html"), dir.path().join("link.html"))
            .unwrap();
        let manifest = Manifest::complete(files, BTreeSet::new());
        let at = |rel: &str| manifest.lists_unchanged(rel, &dir.path().join(rel));
        assert!(at("a.html"));
        assert!(!at("b.html"), "changed since docgen wrote it");
        assert!(!at("c.html"), "not listed");
        assert!(!at("link.html"), "a link is never docgen's");
        assert!(!at("missing.html"));
        assert_eq!(
            hash_file(&dir.path().join("a.html")).unwrap(),
            hash_bytes(b"mine")
        );
    }
}

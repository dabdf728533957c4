//! Write stage, a preview's first build (`serve`): a staged build published, then the same
//! output written in place from there on (see the module comment of `output` for both modes).

use super::*;

impl OutputDir {
    /// Publishes a staged build and goes on writing the output in place (as `open` would),
    /// everything it wrote counted as written since `start_full`: the first build of a
    /// preview (`serve`) is written like a build's — plain writes into a staging folder swapped
    /// in whole, no temp file and rename per file — and a reader of the folder sees the
    /// previous site or the new one. A folder that was a preview's own (or new, or empty) stays
    /// one: everything in it was docgen's, so nothing is carried over and its marker says `Live`
    /// again. Any other output is committed as a build's (`commit_reporting`).
    pub fn go_live(&mut self, diagnostics: &mut Vec<Diagnostic>) -> Result<()> {
        let Mode::Staged { previous, .. } = &self.mode else {
            return Ok(());
        };
        let preview = match previous.as_deref() {
            None => true,
            Some(previous) => match Manifest::read(previous) {
                Some(manifest) => manifest.state == manifest::State::Live,
                None => std::fs::read_dir(previous)
                    .map_err(|e| Error::io(previous, e))?
                    .next()
                    .is_none(),
            },
        };
        // `publish` hands the list to the manifest.
        let written = lock(&self.written).clone();
        if preview {
            diagnostics.append(&mut self.notes);
            let Mode::Staged { staging, .. } = &mut self.mode else {
                unreachable!("checked above")
            };
            let staging_dir = staging.clone().expect("an OutputDir is committed once");
            write_atomic(&staging_dir.join(MARKER), &Manifest::live().to_bytes())?;
            let old = swap(&staging_dir, &self.target)?;
            *staging = None;
            if let Some(old) = old {
                // All docgen's: what cannot be deleted now is deleted by the next build, which
                // finds it abandoned.
                let _ = remove_tree(&old);
            }
        } else {
            self.publish(diagnostics)?;
        }
        // The manifest lists exactly what was written (a preview's lists nothing: all of it
        // is docgen's).
        *lock(&self.owned) = if preview {
            BTreeMap::new()
        } else {
            written.clone()
        };
        *lock(&self.written) = written;
        self.all_owned = preview;
        self.mode = Mode::Live;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| source::relative(dir, e.unwrap().path()))
            .collect();
        names.sort();
        names
    }

    fn marker_state(dir: &Path) -> manifest::State {
        Manifest::read(dir).unwrap().state
    }

    #[test]
    fn a_preview_is_staged_then_written_in_place() {
        let site = site();
        let out_path = site.path().join("preview");
        std::fs::create_dir(&out_path).unwrap();
        let mut out = OutputDir::stage(&out_path, site.path()).unwrap();
        out.write("a/b.html", b"one").unwrap();
        out.write("c.html", b"c").unwrap();
        assert!(
            !out_path.join("c.html").exists(),
            "nothing is published before go_live"
        );
        let mut notes = Vec::new();
        out.go_live(&mut notes).unwrap();
        assert!(notes.is_empty());
        assert_eq!(names(&out_path), [MARKER, "a", "a/b.html", "c.html"]);
        assert_eq!(
            names(site.path()),
            [
                "content",
                "preview",
                "preview/.docgen-output",
                "preview/a",
                "preview/a/b.html",
                "preview/c.html"
            ],
            "no staging folder is left"
        );
        assert_eq!(marker_state(&out_path), manifest::State::Live);

        // From now on files are replaced one by one, and a full rebuild removes what it did
        // not write: all of the folder is docgen's.
        assert_eq!(out.write("a/b.html", b"one").unwrap(), Written::Unchanged);
        assert_eq!(out.write("a/b.html", b"two").unwrap(), Written::Changed);
        assert_eq!(std::fs::read(out_path.join("a/b.html")).unwrap(), b"two");
        out.start_full();
        out.write("a/b.html", b"two").unwrap();
        assert_eq!(out.remove_stale_files().unwrap(), ["c.html"]);
    }

    #[test]
    fn a_preview_staged_again_replaces_its_own_folder_whole() {
        let site = site();
        let out_path = site.path().join("preview");
        let live = OutputDir::open(&out_path, site.path()).unwrap();
        live.write("old.html", b"old").unwrap();
        drop(live);
        let mut out = OutputDir::stage(&out_path, site.path()).unwrap();
        out.write("new.html", b"new").unwrap();
        out.go_live(&mut Vec::new()).unwrap();
        assert_eq!(names(&out_path), [MARKER, "new.html"]);
        assert_eq!(marker_state(&out_path), manifest::State::Live);
    }

    #[test]
    fn a_builds_output_keeps_what_docgen_did_not_write() {
        let site = site();
        let out_path = site.path().join("public");
        let out = OutputDir::stage(&out_path, site.path()).unwrap();
        out.write("a.html", b"a").unwrap();
        out.commit().unwrap();
        std::fs::write(out_path.join("CNAME"), "docs.example.com").unwrap();

        let mut out = OutputDir::stage(&out_path, site.path()).unwrap();
        out.write("b.html", b"b").unwrap();
        let mut notes = Vec::new();
        out.go_live(&mut notes).unwrap();
        assert_eq!(names(&out_path), [MARKER, "CNAME", "b.html"]);
        assert_eq!(marker_state(&out_path), manifest::State::Complete);
        assert_eq!(notes.len(), 1, "the kept CNAME is said once: {notes:?}");
        // A full rebuild in place removes only what docgen wrote.
        out.start_full();
        out.write("c.html", b"c").unwrap();
        assert_eq!(out.remove_stale_files().unwrap(), ["b.html"]);
        assert!(out_path.join("CNAME").is_file());
    }
}

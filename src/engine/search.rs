//! The engine's search index: each searched page's record kept between rebuilds, so an edit
//! re-reads only the pages it touches before the manifest and shards are made again.

use std::collections::{BTreeMap, BTreeSet};

use super::{Engine, Rebuild};
use crate::build::Indexed;
use crate::build::SearchRecords;
use crate::error::Result;
use crate::output::{OutputDir, Written};

/// The search index as last written: each page's record and every file of the index.
#[derive(Default)]
pub(crate) struct SearchIndex {
    records: SearchRecords,
    files: BTreeSet<String>,
}

impl SearchIndex {
    /// Writes the whole index of `site` (`Indexed::write_search`).
    pub(super) fn write(site: &Indexed, out: &OutputDir) -> Result<SearchIndex> {
        let (records, files) = site.write_search(out)?;
        Ok(SearchIndex {
            records,
            files: files.into_iter().map(|(path, _)| path).collect(),
        })
    }
}

impl Engine {
    /// Indexes the pages `sources` again and writes their fragments — every fragment when
    /// pages joined or left the index, as that renumbers them — then, when a record changed,
    /// the manifest and shards; index files no longer made are removed.
    pub(super) fn update_search(
        &mut self,
        sources: &BTreeSet<String>,
        out: &OutputDir,
        rebuild: &mut Rebuild,
    ) -> Result<()> {
        let mut stems = crate::search::Stems::default();
        let mut fragments: BTreeMap<String, String> = BTreeMap::new();
        let mut records_changed = false;
        let mut renumbered = false;
        for source in sources {
            let page = self.site.page(source).filter(|page| {
                self.site.config().search && page.front.search && self.site.is_published(source)
            });
            match page {
                Some(page) => {
                    let (record, fragment) = self.site.index_search_page(page, &mut stems);
                    renumbered |= !self.search.records.contains_key(source);
                    if self.search.records.get(source) != Some(&record) {
                        self.search.records.insert(source.clone(), record);
                        records_changed = true;
                    }
                    fragments.insert(source.clone(), fragment);
                }
                None => {
                    if self.search.records.remove(source).is_some() {
                        renumbered = true;
                        records_changed = true;
                    }
                }
            }
        }
        let mut written = Vec::new();
        if renumbered {
            for (id, page) in self.site.search_pages().into_iter().enumerate() {
                let fragment = match fragments.remove(&page.source) {
                    Some(fragment) => fragment,
                    None => self.site.index_search_page(page, &mut stems).1,
                };
                let path = crate::search::fragment_path(id);
                written.push((path.clone(), out.write(&path, fragment.as_bytes())?));
            }
        } else {
            for (id, source) in self.search.records.keys().enumerate() {
                if let Some(fragment) = fragments.get(source) {
                    let path = crate::search::fragment_path(id);
                    written.push((path.clone(), out.write(&path, fragment.as_bytes())?));
                }
            }
        }
        let mut files: BTreeSet<String> = (0..self.search.records.len())
            .map(crate::search::fragment_path)
            .collect();
        if records_changed {
            written.extend(Indexed::write_shards(out, &self.search.records)?);
            files.extend(written.iter().map(|(path, _)| path.clone()));
        } else {
            let fragment_dir = format!("{}/p/", crate::search::DIR);
            files.extend(
                self.search
                    .files
                    .iter()
                    .filter(|f| !f.starts_with(&fragment_dir))
                    .cloned(),
            );
        }
        for (path, outcome) in written {
            if outcome == Written::Changed {
                rebuild.written.push(path);
            }
        }
        for stale in self.search.files.difference(&files) {
            if out.remove(stale)? {
                rebuild.removed.push(stale.clone());
            }
        }
        self.search.files = files;
        Ok(())
    }
}

//! The engine's search index: each searched page's record kept between rebuilds, so an edit
//! re-reads only the pages it touches, rewrites only the fragment files holding them (pages are
//! bundled by folder, `search::layout`), and makes the manifest and shards again when a record
//! or a fragment file changed (the manifest's `build` hash covers both).

use std::collections::{BTreeMap, BTreeSet};

use super::{Engine, Rebuild};
use crate::build::Indexed;
use crate::build::{FragmentHashes, SearchEntries, SearchRecords};
use crate::error::Result;
use crate::output::{OutputDir, Written};

/// The search index as last written: each page's record, the fragment files with their pages,
/// and every file of the index.
#[derive(Default)]
pub(crate) struct SearchIndex {
    records: SearchRecords,
    /// The terms and words the records' numbers name; it only grows.
    vocabulary: crate::search::Vocabulary,
    /// Fragment file name → its pages' sources, in order.
    chunks: BTreeMap<String, Vec<String>>,
    /// Fragment file name → the hash of its text, which the manifest's `build` hash covers.
    fragments: FragmentHashes,
    files: BTreeSet<String>,
    /// Pages whose entries an edit changed and which are not indexed again yet: `serve`
    /// reloads the open pages first and updates the index after (`Engine::update_search`).
    pending: BTreeSet<String>,
}

/// The fragment files of `records` as name → sources.
fn chunks_of(records: &SearchRecords) -> BTreeMap<String, Vec<String>> {
    crate::search::layout(records.keys().map(String::as_str))
        .into_iter()
        .map(|c| (c.name, c.sources.into_iter().map(str::to_string).collect()))
        .collect()
}

impl SearchIndex {
    /// Writes the whole index of `site` (`Indexed::write_search`), with the `entries` the
    /// render made.
    pub(super) fn write(
        site: &Indexed,
        out: &OutputDir,
        entries: SearchEntries,
    ) -> Result<SearchIndex> {
        let written = site.write_search(out, entries)?;
        Ok(SearchIndex {
            chunks: chunks_of(&written.records),
            records: written.records,
            vocabulary: written.vocabulary,
            fragments: written.fragments,
            files: written.files.into_iter().map(|(path, _)| path).collect(),
            pending: BTreeSet::new(),
        })
    }
}

impl Engine {
    /// Notes that the search entries of `sources` may have changed (`update_search` indexes
    /// them).
    pub(super) fn queue_search(&mut self, sources: BTreeSet<String>) {
        self.search.pending.extend(sources);
    }

    /// Indexes again the pages queued since the last update (see `update_search_of`) and
    /// writes what changes in the preview. The shards hold every page's terms with the
    /// site's lengths, so they are made again whole after an edit: at 10,000 pages that is
    /// most of a rebuild, which is why `serve` reloads the open pages before it.
    pub(crate) fn update_search(&mut self) -> Result<Rebuild> {
        let mut rebuild = Rebuild::default();
        let sources = std::mem::take(&mut self.search.pending);
        if sources.is_empty() {
            return Ok(rebuild);
        }
        self.with_preview_output(|engine, out| {
            engine.update_search_of(&sources, out, &mut rebuild)
        })?;
        Ok(rebuild)
    }

    /// Indexes the pages `sources` again; writes each fragment file that holds one of them or
    /// whose pages changed (a page joined or left its folder), the other pages of such a file
    /// indexed again too; then, when a record or a fragment file changed, the manifest and
    /// shards. Index files no longer made are removed.
    fn update_search_of(
        &mut self,
        sources: &BTreeSet<String>,
        out: &OutputDir,
        rebuild: &mut Rebuild,
    ) -> Result<()> {
        let mut stems = crate::search::Stems::default();
        let mut fragments: BTreeMap<String, String> = BTreeMap::new();
        let mut records_changed = false;
        let search = &mut self.search;
        let mut made = Vec::new();
        for source in sources {
            let page = self.site.page(source).filter(|page| {
                self.site.config().search && page.front.search && self.site.is_published(source)
            });
            match page {
                Some(page) => {
                    let (record, fragment) = self.site.index_search_page(page, &mut stems);
                    made.push((source, record));
                    fragments.insert(source.clone(), fragment);
                }
                None => records_changed |= search.records.remove(source).is_some(),
            }
        }
        // In the vocabulary's numbers, a record equals the one kept when the page's terms did
        // not change.
        search
            .vocabulary
            .adopt(&stems, made.iter_mut().map(|(_, record)| record));
        for (source, record) in made {
            if search.records.get(source) != Some(&record) {
                search.records.insert(source.clone(), record);
                records_changed = true;
            }
        }
        // Pages joined or left: the files of the new layout (only their folders' change).
        let relaid = records_changed.then(|| chunks_of(&search.records));
        let chunks = relaid.as_ref().unwrap_or(&search.chunks);
        let mut written = Vec::new();
        let mut fragments_changed = false;
        for (name, members) in chunks {
            let same = search.chunks.get(name) == Some(members);
            if same && !members.iter().any(|s| fragments.contains_key(s)) {
                continue;
            }
            let mut json = Vec::with_capacity(members.len());
            for source in members {
                json.push(match fragments.get(source) {
                    Some(fragment) => fragment.clone(),
                    None => {
                        let page = self.site.page(source).expect("an indexed page exists");
                        self.site.index_search_page(page, &mut stems).1
                    }
                });
            }
            let path = crate::search::chunk_path(name);
            let bytes = crate::search::chunk_json(&json);
            let hash = crate::search::file_hash(bytes.as_bytes());
            fragments_changed |= search.fragments.insert(name.clone(), hash) != Some(hash);
            written.push((path.clone(), out.write(&path, bytes.as_bytes())?));
        }
        let before = search.fragments.len();
        search.fragments.retain(|name, _| chunks.contains_key(name));
        fragments_changed |= search.fragments.len() != before;
        let mut files: BTreeSet<String> = chunks
            .keys()
            .map(|name| crate::search::chunk_path(name))
            .collect();
        // The manifest's `build` hash covers the fragment files too: a changed excerpt gets a
        // new URL, so no browser shows a cached one.
        if records_changed || fragments_changed {
            let shards =
                Indexed::write_shards(out, &search.records, &search.vocabulary, &search.fragments)?;
            files.extend(shards.iter().map(|(path, _)| path.clone()));
            written.extend(shards);
        } else {
            let fragment_dir = format!("{}/p/", crate::search::DIR);
            files.extend(
                search
                    .files
                    .iter()
                    .filter(|f| !f.starts_with(&fragment_dir))
                    .cloned(),
            );
        }
        if let Some(chunks) = relaid {
            search.chunks = chunks;
        }
        for (path, outcome) in written {
            if outcome == Written::Changed {
                rebuild.written.push(path);
            }
        }
        for stale in search.files.difference(&files) {
            if out.remove(stale)? {
                rebuild.removed.push(stale.clone());
            }
        }
        search.files = files;
        Ok(())
    }
}

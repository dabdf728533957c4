//! Write stage helpers: the files that are not pages — copies of static files, theme files and
//! content assets, and the files docgen generates from the whole site (sitemap, robots.txt,
//! 404 page, search index, shared navigation, highlighting CSS).

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::{
    Derived, ELEMENTS_NAV, FileOrigin, HIGHLIGHT_CSS, HOME, Indexed, NOT_FOUND, ROBOTS, SITEMAP,
};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::nav;
use crate::output::{OutputDir, Written};
use crate::page::Page;
use crate::render::{ElementSummary, NavView, PageContext, PageView, Renderer};

/// Pages indexed by one worker: each page's source and record, each fragment file written
/// with the hash of its text.
type SearchChunk = (
    Vec<(String, crate::search::PageRecord)>,
    Vec<(String, Written, u64)>,
);

/// The search index as written: each page's record by source with the vocabulary its numbers
/// name, the hash of each fragment file's text by file name (for the manifest's `build`
/// hash), and every file written.
#[derive(Debug, Default)]
pub struct SearchFiles {
    pub records: SearchRecords,
    /// The terms and words the records' numbers name.
    pub vocabulary: crate::search::Vocabulary,
    pub fragments: FragmentHashes,
    pub files: Vec<(String, Written)>,
}

/// The hash of each fragment file's text (`search::file_hash`), by file name.
pub type FragmentHashes = BTreeMap<String, u64>;

/// A page's search record and its fragment (the JSON of its sections).
pub type SearchEntry = (crate::search::PageRecord, String);

/// The sections of the pages the render read them from (gathered from its events), by source:
/// the index makes their records and fragments once every page is rendered.
pub type SearchEntries = std::collections::HashMap<String, crate::search::PageSections>;

/// Each searched page's record, by source (the index numbers pages in the order of
/// `search::layout`).
pub type SearchRecords = BTreeMap<String, crate::search::PageRecord>;

/// Where the search index's files go: (output path, bytes) → whether they changed.
pub type SearchWrite<'a> = dyn Fn(&str, &[u8]) -> Result<Written> + Sync + 'a;

impl Indexed {
    /// Writes everything but the pages. Returns the number of files copied.
    pub(crate) fn write_files(
        &self,
        out: &OutputDir,
        renderer: &Renderer,
        derived: &Derived,
        highlighter: &Highlighter,
    ) -> Result<usize> {
        let files: Vec<(&String, &FileOrigin)> = self.output_files().iter().collect();
        let results: Vec<Result<bool>> = files
            .par_iter()
            .map(|(path, origin)| match origin {
                FileOrigin::Generated => {
                    if let Some(text) = self.generated(path, renderer, derived, highlighter) {
                        out.write(path, text.as_bytes())?;
                    }
                    Ok(false)
                }
                FileOrigin::Redirect(_) => self.write_file(out, path, origin).map(|_| false),
                _ => self.write_file(out, path, origin).map(|_| true),
            })
            .collect();
        let mut copied = 0;
        for result in results {
            if result? {
                copied += 1;
            }
        }
        Ok(copied)
    }

    /// Copies one file that is not generated into the output.
    pub(crate) fn write_file(
        &self,
        out: &OutputDir,
        path: &str,
        origin: &FileOrigin,
    ) -> Result<Written> {
        match origin {
            FileOrigin::Content => out.copy(path, &self.config().content_dir().join(path)),
            FileOrigin::Static => out.copy(path, &self.config().static_dir().join(path)),
            FileOrigin::Theme(file) => match file.disk_path() {
                Some(disk) => out.copy(path, disk),
                None => out.write(path, &file.bytes()?),
            },
            FileOrigin::Redirect(redirect) => out.write(
                path,
                crate::redirect::html(redirect, self.config()).as_bytes(),
            ),
            // Generated files depend on the whole site; the callers write them.
            FileOrigin::Generated => Ok(Written::Unchanged),
        }
    }

    /// The content of a generated file; `None` when there is nothing to write.
    pub(crate) fn generated(
        &self,
        path: &str,
        renderer: &Renderer,
        derived: &Derived,
        highlighter: &Highlighter,
    ) -> Option<String> {
        match path {
            HIGHLIGHT_CSS => Some(highlighter.stylesheet()),
            ELEMENTS_NAV => Some(elements_nav_json(&derived.summaries)),
            SITEMAP => self.sitemap(),
            ROBOTS => Some(self.robots()),
            // Their template errors are reported by `check_generated_pages`.
            NOT_FOUND => self.not_found_page(renderer, derived).ok(),
            HOME => self.home_page(renderer).ok(),
            _ => None,
        }
    }

    /// Every published page with an absolute URL, sorted; without `base_url` there is none.
    fn sitemap(&self) -> Option<String> {
        self.config().base_url.as_ref()?;
        let mut urls: Vec<String> = self
            .published()
            .filter(|p| p.front.sitemap && !p.front.draft)
            .filter_map(|p| self.config().absolute_url(&p.url))
            .collect();
        urls.sort();
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for url in urls {
            xml.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                crate::highlight::escape(&url)
            ));
        }
        xml.push_str("</urlset>\n");
        Some(xml)
    }

    /// The pages the search index holds, by source: the published pages
    /// without `search: false`; none with `search = false` in docgen.toml.
    pub fn search_pages(&self) -> Vec<&Page> {
        if !self.config().search {
            return Vec::new();
        }
        let mut pages: Vec<&Page> = self.published().filter(|p| self.is_searched(p)).collect();
        pages.sort_by(|a, b| a.source.cmp(&b.source));
        pages
    }

    /// Whether the search index holds `page` (published, see `search_pages`).
    pub fn is_searched(&self, page: &Page) -> bool {
        self.config().search && page.front.search
    }

    /// A page's search record and fragment (`search.rs`), its sections read on their own.
    pub fn index_search_page(&self, page: &Page, stems: &mut crate::search::Stems) -> SearchEntry {
        self.search_entry(page, &crate::search::sections(page), stems)
    }

    /// A page's search record and fragment from its `sections` (gathered while it rendered,
    /// or read alone), with its element's heading.
    pub fn search_entry(
        &self,
        page: &Page,
        sections: &crate::search::PageSections,
        stems: &mut crate::search::Stems,
    ) -> SearchEntry {
        let element = self
            .nav()
            .element_of(&page.source)
            .map(|e| e.heading.as_str());
        let element = element.or(page.front.heading.as_deref());
        crate::search::index_page(page, element, &self.config().base_path, sections, stems)
    }

    /// Writes the search index (`search_index` into `out`), with the `entries` the render made.
    pub(crate) fn write_search(
        &self,
        out: &OutputDir,
        entries: SearchEntries,
    ) -> Result<SearchFiles> {
        self.search_index(&|path, bytes| out.write(path, bytes), entries)
    }

    /// Makes the search index, handing each file to `write`: every fragment file as soon as
    /// its pages' entries are made (in parallel; the fragments are not kept), then the
    /// manifest and the shards. A page's sections are taken from `entries` (gathered while the
    /// page rendered) or read here (a page the render did not read, or none given). Returns
    /// the records with the vocabulary their numbers name and the fragment hashes, for
    /// `serve`, and every file written.
    pub fn search_index(
        &self,
        write: &SearchWrite<'_>,
        entries: SearchEntries,
    ) -> Result<SearchFiles> {
        let entries = std::sync::Mutex::new(entries);
        let pages = self.search_pages();
        let chunks = crate::search::layout(pages.iter().map(|p| p.source.as_str()));
        // Groups of files, each counted with a stem cache no other group is using (one per
        // thread: a cache learns the site's vocabulary once, whatever the number of groups;
        // sixteen a thread, so the last to finish leaves the other threads idle briefly).
        // Counting words here, not right after each page renders, finds the cache warm:
        // between two renders the rest of the render pushed it out, and a word looked up in
        // a cold table cost three times one looked up here.
        let group = chunks
            .len()
            .div_ceil(16 * rayon::current_num_threads())
            .max(1);
        let pool = crate::search::StemPool::default();
        let groups: Vec<(usize, Result<SearchChunk>)> = chunks
            .par_chunks(group)
            .map(|chunks| {
                pool.with(|stems| {
                    let mut records = Vec::new();
                    let mut files = Vec::with_capacity(chunks.len());
                    for chunk in chunks {
                        let mut fragments = Vec::with_capacity(chunk.sources.len());
                        for source in &chunk.sources {
                            let page = self.page(source).expect("an indexed page exists");
                            let gathered = entries.lock().expect("no panics").remove(*source);
                            let sections =
                                gathered.unwrap_or_else(|| crate::search::sections(page));
                            let (record, fragment) = self.search_entry(page, &sections, stems);
                            records.push((page.source.clone(), record));
                            fragments.push(fragment);
                        }
                        let path = crate::search::chunk_path(&chunk.name);
                        let json = crate::search::chunk_json(&fragments);
                        let written = write(&path, json.as_bytes())?;
                        files.push((path, written, crate::search::file_hash(json.as_bytes())));
                    }
                    Ok((records, files))
                })
            })
            .collect();
        let mut groups: Vec<(usize, SearchChunk)> = groups
            .into_iter()
            .map(|(stems, group)| Ok((stems, group?)))
            .collect::<Result<_>>()?;
        let mut written = SearchFiles::default();
        // The records given the site's numbers: each cache's words looked up in the
        // vocabulary once, then the records renumbered in parallel.
        let renumberings: Vec<crate::search::Renumbering> = pool
            .into_stems()
            .iter()
            .map(|stems| written.vocabulary.renumbering(stems))
            .collect();
        groups
            .par_iter_mut()
            .for_each(|(counted_by, (records, _))| {
                for (_, record) in records {
                    renumberings[*counted_by].adopt(record);
                }
            });
        written.files.reserve(chunks.len());
        for ((_, (records, files)), chunks) in groups.into_iter().zip(chunks.chunks(group)) {
            written.records.extend(records);
            for ((path, outcome, hash), chunk) in files.into_iter().zip(chunks) {
                written.fragments.insert(chunk.name.clone(), hash);
                written.files.push((path, outcome));
            }
        }
        let shards = Indexed::search_shards(
            write,
            &written.records,
            &written.vocabulary,
            &written.fragments,
        )?;
        written.files.extend(shards);
        Ok(written)
    }

    /// Writes the manifest and the term shards of `records` whose fragment files have the
    /// hashes `fragments`; returns the files written.
    pub(crate) fn write_shards(
        out: &OutputDir,
        records: &SearchRecords,
        vocabulary: &crate::search::Vocabulary,
        fragments: &FragmentHashes,
    ) -> Result<Vec<(String, Written)>> {
        let write = |path: &str, bytes: &[u8]| out.write(path, bytes);
        Indexed::search_shards(&write, records, vocabulary, fragments)
    }

    /// Hands the manifest and the term shards of `records` to `write`, the pages numbered in
    /// the order of their fragment files, whose texts have the hashes `fragments`.
    pub fn search_shards(
        write: &SearchWrite<'_>,
        records: &SearchRecords,
        vocabulary: &crate::search::Vocabulary,
        fragments: &FragmentHashes,
    ) -> Result<Vec<(String, Written)>> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let chunks = crate::search::layout(records.keys().map(String::as_str));
        let hash = crate::search::files_hash(chunks.iter().map(|c| fragments[&c.name]));
        let list: Vec<&crate::search::PageRecord> = chunks
            .iter()
            .flat_map(|c| c.sources.iter().map(|s| &records[*s]))
            .collect();
        let counts: Vec<(&str, usize)> = chunks
            .iter()
            .map(|c| (c.name.as_str(), c.sources.len()))
            .collect();
        crate::search::shard_files(&list, vocabulary, &counts, hash)
            .par_iter()
            .map(|(path, text)| Ok((path.clone(), write(path, text.as_bytes())?)))
            .collect()
    }

    fn robots(&self) -> String {
        let mut robots = String::from("User-agent: *\nAllow: /\n");
        if let Some(sitemap) = self.config().absolute_url(&format!("/{SITEMAP}")) {
            robots.push_str(&format!("Sitemap: {sitemap}\n"));
        }
        robots
    }

    /// Renders the pages docgen makes itself (404, and the home page when the site has none),
    /// reporting template errors the way page errors are reported.
    pub(crate) fn check_generated_pages(
        &self,
        renderer: &Renderer,
        derived: &Derived,
    ) -> Vec<Diagnostic> {
        [NOT_FOUND, HOME]
            .into_iter()
            .filter(|file| self.generates(file))
            .filter_map(|file| match file {
                HOME => self.home_page(renderer).err(),
                _ => self.not_found_page(renderer, derived).err(),
            })
            .collect()
    }

    fn not_found_page(&self, renderer: &Renderer, derived: &Derived) -> Result<String, Diagnostic> {
        let home = nav::Crumb {
            label: "Home".into(),
            url: Some(derived.site.home_url.clone()),
        };
        let title = "Page not found";
        self.standalone_page(renderer, NOT_FOUND, "404", title, vec![home])
    }

    /// The home page of a site without `content/index.md`: the list of all elements (the
    /// `elements` layout), so the site's root and every "Home" link lead somewhere.
    fn home_page(&self, renderer: &Renderer) -> Result<String, Diagnostic> {
        let layout = if renderer.has_layout("elements") {
            "elements"
        } else {
            "page"
        };
        self.standalone_page(renderer, HOME, layout, &self.config().title, Vec::new())
    }

    /// A page docgen makes itself (no source), written at `file`.
    fn standalone_page(
        &self,
        renderer: &Renderer,
        file: &str,
        layout: &str,
        title: &str,
        breadcrumbs: Vec<nav::Crumb>,
    ) -> Result<String, Diagnostic> {
        let extra = serde_json::Map::new();
        let site_path = if file == HOME {
            "/".to_string()
        } else {
            format!("/{file}")
        };
        let url = format!("{}{site_path}", self.config().base_path);
        let seo = if title == self.config().title {
            title.to_string()
        } else {
            format!("{title} | {}", self.config().title)
        };
        let context = PageContext {
            page: PageView {
                title,
                title_html: crate::highlight::escape(title),
                title_id: None,
                seo,
                description: None,
                heading: None,
                layout,
                permalink: self
                    .config()
                    .absolute_url(&site_path)
                    .unwrap_or_else(|| url.clone()),
                url,
                source: String::new(),
                element_id: None,
                order: None,
                draft: false,
                content: String::new(),
                body: String::new(),
                extra: &extra,
            },
            element: None,
            nav: NavView::default(),
            breadcrumbs,
            toc: Vec::new(),
            section: None,
        };
        renderer.render(layout, &context, &format!("the generated {file}"))
    }
}

#[derive(Serialize)]
struct NavEntry<'a> {
    heading: &'a str,
    url: &'a str,
    key: &'a str,
}

/// The shared list of all elements, written once instead of into every page.
fn elements_nav_json(summaries: &[ElementSummary]) -> String {
    let entries: Vec<NavEntry> = summaries
        .iter()
        .map(|s| NavEntry {
            heading: &s.heading,
            url: &s.url,
            key: &s.key,
        })
        .collect();
    serde_json::to_string(&entries).expect("plain data serializes")
}

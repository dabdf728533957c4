//! Index stage, incrementally (`serve`): a batch of content changes applied to `Indexed` —
//! pages parsed again, files added or removed, and with them the link index, the output file
//! slots, the elements index, the navigation, the redirects and the collisions — returning
//! what changed (`Reindexed`) for the check, render and write stages to act on.

use std::collections::BTreeSet;

use super::{Indexed, links_as_file};
use crate::build::{FileOrigin, find_elements_index};
use crate::change::Change;
use crate::deps::{self, Effects, FileEffects};
use crate::error::Result;
use crate::links::{self, url_for_source};
use crate::page::Page;

/// What applying a batch to the index stage changed.
pub(crate) struct Reindexed {
    /// The pages parsed again (edited, added, removed, or using a changed include or data
    /// file), in batch order.
    pub pages: Vec<PageChanged>,
    /// The files of `content/` and `static/` that changed, in batch order.
    pub files: Vec<FileChanged>,
    /// Each output file whose source may have changed (a page's that left or came, a file's),
    /// with what writes it now.
    pub slots: Vec<Slot>,
    /// The folders whose navigation was computed again.
    pub nav_dirs: BTreeSet<String>,
    /// The pages whose sidebar that changes.
    pub nav_pages: BTreeSet<String>,
    /// Whether pages or files came or went (the file plan, collisions, sitemap).
    pub files_changed: bool,
    /// Whether what decides the elements index page changed.
    pub elements_index_inputs: bool,
    /// Whether the redirect plan may have changed (a page's presence or `redirect_from`, a
    /// file that can free or take a redirect's output file).
    pub redirects_replanned: bool,
    /// When the redirects were registered again (some page has or had them): the redirect
    /// pages the changed pages had claimed before (those no page claims now are removed).
    pub redirects: Option<BTreeSet<String>>,
}

/// One page parsed again.
pub(crate) struct PageChanged {
    pub source: String,
    pub effects: Effects,
    /// The names a `[[title]]` link or a file name may use for it, before or after (lower case).
    pub names: BTreeSet<String>,
    /// Whether the page exists now.
    pub exists: bool,
}

/// One file of `content/` or `static/` that changed.
pub(crate) struct FileChanged {
    /// Its site path without the leading `/` (its output file).
    pub path: String,
    pub effects: FileEffects,
}

/// An output file whose source may have changed, and what writes it now.
pub(crate) struct Slot {
    pub file: String,
    /// The file the plan names (generated, copied, a redirect page), if any.
    pub origin: Option<FileOrigin>,
    /// Else the published page written there, if any.
    pub page: Option<String>,
}

impl Indexed {
    /// Applies `changes` (none of which reloads the site or the theme): the pages they touch
    /// are parsed again (those of an include or data file too, `deps::templating`) and the
    /// files are listed again; what depends on them is indexed again, as `Indexed::new` would.
    pub(crate) fn apply(&mut self, changes: &[Change]) -> Result<Reindexed> {
        let templated = deps::templating(changes, self.pages());
        if templated.reload {
            self.loaded.reload_templating()?;
        }
        let mut reindexed = Reindexed {
            pages: Vec::new(),
            files: Vec::new(),
            slots: Vec::new(),
            nav_dirs: BTreeSet::new(),
            nav_pages: BTreeSet::new(),
            files_changed: false,
            elements_index_inputs: false,
            redirects_replanned: false,
            redirects: None,
        };
        // The redirect pages the changed pages had claimed, when any redirect may move.
        let mut old_redirects: Option<BTreeSet<String>> = None;
        let mut slots: BTreeSet<String> = BTreeSet::new();
        for change in &templated.changes {
            match change {
                Change::Page(source) => {
                    let new = self.read_page(source)?;
                    let changed = self.page_changed(source, new.as_ref(), &mut old_redirects);
                    if changed.effects.navigation {
                        reindexed.nav_dirs.insert(page_dir(source).to_string());
                    }
                    reindexed.elements_index_inputs |= changed.effects.elements_index;
                    reindexed.files_changed |= changed.effects.file_plan;
                    let existed = self.set_page(source, new).is_some();
                    if !self.is_published(source) || existed != changed.exists {
                        // Its output file may be another source's now (or the reverse).
                        slots.insert(links::output_file_for_url(&url_for_source(source)));
                    }
                    reindexed.pages.push(changed);
                }
                Change::ContentFile(path) | Change::StaticFile(path) => {
                    let static_file = matches!(change, Change::StaticFile(_));
                    let config = self.config();
                    let dir = match static_file {
                        false => config.content_dir(),
                        true => config.static_dir(),
                    };
                    let exists = dir.join(path).is_file();
                    let known = self.loaded.set_file(static_file, path, exists);
                    // Whichever source now provides this output file (a site file can shadow a
                    // theme file, and removing it brings the theme's back).
                    slots.insert(path.clone());
                    let effects = deps::file(path, known, exists);
                    if effects.redirects {
                        old_redirects.get_or_insert_default();
                    }
                    reindexed.files_changed |= effects.presence;
                    reindexed.files.push(FileChanged {
                        path: path.clone(),
                        effects,
                    });
                }
                Change::Templating(_) | Change::Theme | Change::Config => {}
            }
        }
        reindexed.slots = slots
            .into_iter()
            .map(|file| self.index_slot(file))
            .collect();
        if reindexed.elements_index_inputs {
            self.elements_index = find_elements_index(self);
        }
        if !reindexed.nav_dirs.is_empty() {
            reindexed.nav_pages = self.update_navigation(&reindexed.nav_dirs);
        }
        reindexed.redirects_replanned = old_redirects.is_some();
        if let Some(old) = old_redirects
            && self.reindex_redirects(&old)
        {
            reindexed.redirects = Some(old);
        }
        if reindexed.files_changed || reindexed.redirects_replanned {
            self.collisions = self.loaded.collisions();
        }
        Ok(reindexed)
    }

    /// What replacing the page `source` by `new` changes (`deps::page`), read before the
    /// swap; adds the redirect pages either version claims to `old_redirects` when its
    /// redirects may move.
    fn page_changed(
        &self,
        source: &str,
        new: Option<&Page>,
        old_redirects: &mut Option<BTreeSet<String>>,
    ) -> PageChanged {
        let old = self.page(source);
        let effects = deps::page(old, new);
        if effects.redirects {
            let claimed = [old, new]
                .into_iter()
                .flatten()
                .flat_map(|page| &page.front.redirect_from)
                .filter_map(|from| crate::redirect::output_file(from).ok());
            old_redirects.get_or_insert_default().extend(claimed);
        }
        let mut names: BTreeSet<String> = [old, new]
            .into_iter()
            .flatten()
            .map(|p| p.title.to_lowercase())
            .collect();
        let stem = source
            .rsplit('/')
            .next()
            .unwrap_or(source)
            .trim_end_matches(".md");
        names.insert(stem.to_lowercase());
        PageChanged {
            source: source.to_string(),
            effects,
            names,
            exists: new.is_some(),
        }
    }

    /// Puts the parsed page `new` in place of the page `source` (or removes it), and in the
    /// link index under its element as the navigation has it. Returns the page it replaced.
    fn set_page(&mut self, source: &str, new: Option<Page>) -> Option<Page> {
        self.index.remove_page(source);
        if let Some(page) = &new {
            let element = self.nav.element_dir(source);
            self.index.insert_page(page.indexed(element));
        }
        self.loaded.set_page(source, new)
    }

    /// Indexes the output file `file` as `Indexed::new` indexes it, now that its source may
    /// have changed; returns what writes it.
    fn index_slot(&mut self, file: String) -> Slot {
        let site_path = format!("/{file}");
        let origin = self.output_files().get(&file).cloned();
        let page = self
            .published()
            .find(|p| links::output_file_for_url(&p.url) == file)
            .map(|p| p.source.clone());
        match &origin {
            Some(origin) if links_as_file(&self.index, &file, origin) => {
                self.index.insert_file(site_path)
            }
            _ => self.index.remove_file(&site_path),
        }
        Slot { file, origin, page }
    }

    /// Registers the old addresses of every redirect page again. Returns whether any page has
    /// redirects now or any changed page had them before (`old`); else nothing was done.
    fn reindex_redirects(&mut self, old: &BTreeSet<String>) -> bool {
        if old.is_empty() && self.published().all(|p| p.front.redirect_from.is_empty()) {
            return false;
        }
        self.index.clear_redirects();
        for (_, redirect) in self.loaded.redirect_files() {
            redirect.register(&mut self.index);
        }
        true
    }
}

fn page_dir(source: &str) -> &str {
    source.rsplit_once('/').map_or("", |(dir, _)| dir)
}

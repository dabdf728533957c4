//! The site's files as the watcher needs them: on disk now and as last loaded, so a folder
//! event (a checkout, a `mv`) expands to the files it moved or removed.

use std::path::Path;

use crate::session::Session;
use crate::source;

use super::watch::{self, Area};

/// The files of the site, on disk now and as last loaded, for expanding folder events.
pub(super) struct SiteTree<'a> {
    pub(super) root: &'a Path,
    pub(super) session: Option<&'a Session>,
}

impl SiteTree<'_> {
    /// The site's files in `area` as last loaded, relative to the area's folder. For `includes/`
    /// and `data/`, those the pages' templating used.
    fn known(&self, area: Area) -> Vec<&str> {
        let Some(session) = self.session else {
            return Vec::new();
        };
        let site = session.site();
        match area {
            Area::Content => site
                .pages()
                .iter()
                .map(|p| p.source.as_str())
                .chain(site.assets().iter().map(String::as_str))
                .collect(),
            Area::Static => site.static_files().iter().map(String::as_str).collect(),
            Area::Includes | Area::Data => {
                let prefix = format!("{}/", area.folder());
                let mut used: Vec<&str> = site
                    .pages()
                    .iter()
                    .flat_map(|p| &p.dependencies)
                    .filter_map(|d| d.strip_prefix(prefix.as_str()))
                    .collect();
                used.sort_unstable();
                used.dedup();
                used
            }
        }
    }
}

impl watch::Tree for SiteTree<'_> {
    fn has(&self, area: Area, rel: &str) -> bool {
        if self.root.join(area.folder()).join(rel).is_file() {
            return true;
        }
        let Some(session) = self.session else {
            return false;
        };
        // The site's lists are sorted: a removal in a large checkout stays cheap.
        let site = session.site();
        let listed = |files: &[String]| files.binary_search_by(|f| f.as_str().cmp(rel)).is_ok();
        match area {
            Area::Content => site.page(rel).is_some() || listed(site.assets()),
            Area::Static => listed(site.static_files()),
            Area::Includes | Area::Data => self.known(area).contains(&rel),
        }
    }

    fn files_below(&self, area: Area, rel: &str) -> Vec<String> {
        let prefix = if rel.is_empty() {
            String::new()
        } else {
            format!("{rel}/")
        };
        let folder = self.root.join(area.folder()).join(rel);
        let on_disk = source::list_files(&folder).unwrap_or_default();
        let mut files: Vec<String> = on_disk
            .into_iter()
            .map(|f| format!("{prefix}{f}"))
            .collect();
        files.extend(
            self.known(area)
                .into_iter()
                .filter(|f| f.starts_with(&prefix))
                .map(str::to_string),
        );
        files.sort();
        files.dedup();
        files
    }
}

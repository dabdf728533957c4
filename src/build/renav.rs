//! Index stage, incrementally (`serve`): the navigation of the folders whose pages changed
//! computed again, the rest kept, with the pages whose sidebar that changes.

use std::collections::BTreeSet;

use super::Site;
use crate::page::Page;

impl Site {
    /// Recomputes the elements of `dirs` and the sections. Returns the pages to re-render:
    /// every page of those folders (the element's guides, their sidebar) and of each top
    /// section whose navigation changed.
    pub(crate) fn update_navigation(&mut self, dirs: &BTreeSet<String>) -> BTreeSet<String> {
        let mut render = BTreeSet::new();
        for dir in dirs {
            if let Some(element) = self.nav.element_at(dir) {
                render.extend(element.guides.iter().map(|g| g.source.clone()));
            }
            let Site {
                pages, nav, config, ..
            } = self;
            // Pages are sorted by source, so a folder's pages are one run of them.
            let prefix = if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            };
            let start = pages.partition_point(|p| p.source.as_str() < prefix.as_str());
            let in_dir: Vec<&Page> = pages[start..]
                .iter()
                .take_while(|p| p.source.starts_with(&prefix))
                .filter(|p| p.dir() == dir.as_str())
                .collect();
            let every_source: Vec<String> = in_dir.iter().map(|p| p.source.clone()).collect();
            let pages: Vec<&Page> = in_dir
                .into_iter()
                .filter(|p| config.drafts || !p.front.draft)
                .collect();
            let sources: Vec<String> = pages.iter().map(|p| p.source.clone()).collect();
            nav.update_dir(dir, &pages);
            // A folder can become (or stop being) an element, and a page that turned draft
            // leaves its element: reindex the element of every page of the folder, drafts
            // too (as `Site::index` does, a draft belongs to no element).
            for source in &every_source {
                if let Some(page) = self.page(source) {
                    let element = self.nav.element_dir(source);
                    self.index.insert_page(page.indexed(element));
                }
            }
            render.extend(sources);
        }
        // Pages outside elements: a title, order or page that came or went changes the sidebar
        // of every page of its top section.
        let Site {
            pages, nav, config, ..
        } = self;
        render.extend(nav.update_sections(pages, config.drafts));
        render
    }
}

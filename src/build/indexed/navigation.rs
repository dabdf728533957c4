//! Index stage, incrementally (`serve`): the navigation of the folders whose pages changed
//! computed again, the rest kept, with the pages whose sidebar that changes.

use std::collections::BTreeSet;

use super::Indexed;
use crate::page::Page;

impl Indexed {
    /// Recomputes the elements of `dirs` and the sections. Returns the pages to re-render:
    /// every page of those folders (the element's guides, their sidebar) and of each top
    /// section whose navigation changed.
    pub(super) fn update_navigation(&mut self, dirs: &BTreeSet<String>) -> BTreeSet<String> {
        let mut render = BTreeSet::new();
        for dir in dirs {
            if let Some(element) = self.nav.element_at(dir) {
                render.extend(element.guides.iter().map(|g| g.source.clone()));
            }
            let pages: Vec<&Page> = self.loaded.published_in(dir);
            self.nav.update_dir(dir, &pages);
            render.extend(pages.iter().map(|p| p.source.clone()));
            // A folder can become (or stop being) an element, and a page turned draft leaves
            // its element: reindex the element of every page of the folder, drafts too (as in
            // `Indexed::new`, a draft belongs to no element).
            for page in self.loaded.pages_in(dir) {
                let element = self.nav.element_dir(&page.source);
                self.index.insert_page(page.indexed(element));
            }
        }
        // Pages outside elements: a title, order or page that came or went changes the sidebar
        // of every page of its top section.
        let drafts = self.loaded.config().drafts;
        render.extend(self.nav.update_sections(self.loaded.pages(), drafts));
        render
    }
}

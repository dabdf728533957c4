//! Render stage, the site side of image sizes: which file of the site an `<img src>` of a page
//! names (a content file, a static file or a theme file), so `images::size_images` can read its
//! size.

use super::Indexed;
use crate::images::{self, Size};
use crate::links;
use crate::page::Page;

impl Indexed {
    /// A page body's HTML made ready for its layout: local images sized and lazy-loaded
    /// (`images`), task lists and tables made accessible (`a11y`).
    pub(crate) fn finish_body(&self, page: &Page, html: String) -> String {
        let html = crate::a11y::accessible_body(html);
        if !html.contains("<img") && !html.contains("<IMG") {
            return html;
        }
        images::size_images(&html, |src| self.image_size(&page.url, src))
    }

    /// The size of the local image `src` names, as written in a page at site path `page_url`
    /// (resolved Markdown images carry the base path; raw HTML may be relative to the page).
    fn image_size(&self, page_url: &str, src: &str) -> Option<Size> {
        if links::is_external(src) || src.starts_with('#') {
            return None;
        }
        let path = src.split(['?', '#']).next().unwrap_or(src);
        let path = images::percent_decode(path);
        let site_path = if path.starts_with('/') {
            let base = &self.config().base_path;
            match path.strip_prefix(base.as_str()) {
                Some(rest) if !base.is_empty() && rest.starts_with('/') => rest.to_string(),
                // A root-absolute path without the base path, as Jekyll sites write them.
                _ => path,
            }
        } else {
            join(links::url_dir(page_url), &path)?
        };
        let rel = site_path.trim_start_matches('/');
        let has = |files: &[String]| files.binary_search_by(|f| f.as_str().cmp(rel)).is_ok();
        // Content files win over static files over theme files, as in the output folder.
        if has(self.assets()) {
            return images::file_size(&self.config().content_dir().join(rel));
        }
        if has(self.static_files()) {
            return images::file_size(&self.config().static_dir().join(rel));
        }
        let file = self.theme().static_files.iter().find(|f| f.path == rel)?;
        match file.disk_path() {
            Some(disk) => images::file_size(disk),
            None => images::bytes_size(rel, &file.bytes().ok()?),
        }
    }
}

/// `dir` (a site folder with its trailing slash) joined with a relative path, `.` and `..`
/// resolved; `None` when it climbs above the root.
fn join(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

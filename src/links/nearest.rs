//! Check stage, suggestions for broken paths: the existing site path nearest to a broken one,
//! written the way the broken one was, asked of the memo in `suggestions`.

use super::LinkIndex;
use super::paths::*;
use super::suggestions::{Form, Question, Set};

impl LinkIndex {
    /// The existing site path closest to `wanted`: in the same folder first, then anywhere;
    /// as many edits away as `written`, the path as the link has it, allows.
    pub(super) fn nearest_path(
        &self,
        wanted: &str,
        written: &str,
        content_path: bool,
    ) -> Option<String> {
        let question = Question::Path {
            wanted: wanted.to_string(),
            written: written.to_string(),
            content_path,
        };
        self.suggestions.answer(question, || {
            let form = Form::of(wanted, content_path);
            let dir = url_dir(wanted);
            let nearby = Set::Nearby {
                dir: dir.to_string(),
                form,
            };
            let nearby = self.suggestions.set(nearby, || self.paths_in(dir, form));
            if let Some(found) = nearby.closest_as_written(wanted, written) {
                return Some(found.to_string());
            }
            let everywhere = self
                .suggestions
                .set(Set::Everywhere { form }, || self.all_paths(form));
            everywhere
                .closest_as_written(wanted, written)
                .map(str::to_string)
        })
    }

    /// The page `source` as a suggestion written in `form`.
    fn written(source: &str, form: Form) -> String {
        if form.source {
            return format!("/{source}");
        }
        let url = url_for_source(source);
        if url.ends_with('/') && form.index_html {
            format!("{url}index.html")
        } else {
            url
        }
    }

    /// The pages and files directly in the URL folder `dir`.
    fn paths_in(&self, dir: &str, form: Form) -> Vec<String> {
        self.by_dir
            .get(dir)
            .into_iter()
            .flatten()
            .map(|s| Self::written(s, form))
            .chain(
                self.files
                    .range(dir.to_string()..)
                    .take_while(|f| f.starts_with(dir))
                    .filter(|f| !f[dir.len()..].contains('/'))
                    .cloned(),
            )
            .collect()
    }

    /// Every page, and every file unless only pages can be meant.
    fn all_paths(&self, form: Form) -> Vec<String> {
        let files = (!form.content_path).then_some(&self.files);
        self.pages
            .keys()
            .map(|s| Self::written(s, form))
            .chain(files.into_iter().flatten().cloned())
            .collect()
    }
}

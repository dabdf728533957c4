//! The engine's generated files after an incremental step: those the site does not provide
//! itself, written again when what they show changed.

use super::Engine;
use crate::error::Result;
use crate::highlight::Highlighter;
use crate::output::{OutputDir, Written};

impl Engine {
    /// Writes generated files (those the site does not provide itself); returns those whose
    /// bytes changed.
    pub(super) fn write_generated(
        &self,
        out: &OutputDir,
        files: &[&str],
        highlighter: &Highlighter,
    ) -> Result<Vec<String>> {
        let mut written = Vec::new();
        for &file in files {
            if !self.site.generates(file) {
                continue;
            }
            if let Some(text) = self.site.generated(
                file,
                &self.templates.renderer,
                &self.templates.derived,
                highlighter,
            ) && out.write(file, text.as_bytes())? == Written::Changed
            {
                written.push(file.to_string());
            }
        }
        Ok(written)
    }
}

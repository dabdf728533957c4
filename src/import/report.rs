//! `docgen import jekyll`, the migration report: what was imported where, the problems the
//! check of the new site found (counted by kind), what was not carried over and why, and what
//! to do next. Plain text for the terminal; pure.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use super::files::{Kind, Plan};
use super::jekyll_config::{JekyllConfig, plugin_replacement};
use super::layouts::LayoutTemplate;
use super::{Lenient, Settings, Written, is_undefined_variable};
use crate::diagnostic::Diagnostic;
use crate::wording::count;

pub(super) struct Report<'a> {
    pub src: &'a Path,
    pub dest: &'a Path,
    pub config: &'a JekyllConfig,
    pub settings: &'a Settings,
    pub lenient: Lenient,
    pub plan: &'a Plan,
    pub templates: &'a [LayoutTemplate],
    pub written: &'a Written,
    pub diagnostics: &'a [Diagnostic],
    /// Why the new site could not be checked at all.
    pub check_failed: Option<&'a str>,
}

/// The kind of problem a diagnostic is, as the report counts them.
fn kind_of(d: &Diagnostic) -> &'static str {
    if is_undefined_variable(d) {
        return "undefined variables (rendered as empty text, as Jekyll does)";
    }
    match d.code {
        "broken-link" => "broken links",
        "redirect" if d.message.contains("is not written to") => {
            "redirects not written (a page or file has their address)"
        }
        "redirect" if d.message.contains("does not start with /") => {
            "redirect_from paths without their leading /"
        }
        "redirect" => "invalid redirect_from paths",
        "redirect-link" => "links written with an old address (redirect_from)",
        "url-collision" | "output-conflict" => "files that would be written to the same place",
        "unknown-layout" => "unknown layouts",
        "missing-include" => "missing includes",
        "include-cycle" => "include cycles",
        "template" => "other templating problems (Liquid syntax, unknown tags and filters)",
        "front-matter" => "front matter problems",
        "unknown-key" => "unknown front matter keys",
        "data" => "data file problems",
        "config" => "settings",
        "undefined-reference" => "undefined link references",
        _ => "other problems",
    }
}

impl Report<'_> {
    pub fn text(&self) -> String {
        let mut out = String::new();
        let plan = self.plan;
        let by_kind = |kind: Kind| plan.copies.iter().filter(move |c| c.kind == kind);
        let _ = writeln!(
            out,
            "Imported the Jekyll site {} into {}",
            self.src.display(),
            self.dest.display()
        );
        let pages: Vec<_> = by_kind(Kind::Page).collect();
        let html_pages = pages.iter().filter(|c| c.to.ends_with(".html")).count();
        let mut page_line = format!("  {} → content/", count(pages.len(), "page", "pages"));
        if html_pages > 0 {
            let _ = write!(page_line, " ({html_pages} of them .html)");
        }
        let _ = writeln!(out, "{page_line}");
        for copy in pages.iter().filter(|c| c.note.is_some()) {
            let _ = writeln!(
                out,
                "      {} → {}: {}",
                copy.from,
                copy.to,
                copy.note.as_deref().unwrap_or_default()
            );
        }
        let lines = [
            (Kind::Include, "include", "includes", "includes/"),
            (Kind::Data, "data file", "data files", "data/"),
            (Kind::Static, "file", "files", "static/ (same URLs)"),
            (
                Kind::Partial,
                "file",
                "files",
                "content/…/includes/ (for include_relative)",
            ),
        ];
        for (kind, one, many, place) in lines {
            let n = by_kind(kind).count();
            if n > 0 {
                let _ = writeln!(out, "  {} → {place}", count(n, one, many));
            }
        }
        for template in self.templates {
            let like = match template.extends {
                Some(parent) => format!("extends {parent}.html"),
                None => "the content alone".into(),
            };
            let _ = writeln!(
                out,
                "  layout `{}` ({}) → templates/{}.html, {like}",
                template.name,
                count(template.pages, "page", "pages"),
                template.name
            );
        }
        let mut settings = Vec::new();
        if self.settings.title.is_some() {
            settings.push("title".to_string());
        }
        if self.settings.base_url.is_some() {
            settings.push("base_url (url + baseurl)".to_string());
        }
        if self.settings.extra_keys > 0 {
            settings.push(format!(
                "{} in [extra]",
                count(self.settings.extra_keys, "key", "keys")
            ));
        }
        let _ = writeln!(
            out,
            "  _config.yml → docgen.toml: {}",
            if settings.is_empty() {
                "defaults (no _config.yml settings to carry)".to_string()
            } else {
                settings.join(", ")
            }
        );
        let w = self.written;
        let _ = writeln!(
            out,
            "  {} written, {} updated, {} unchanged",
            count(w.new, "file", "files"),
            w.updated,
            w.unchanged
        );
        if !w.kept.is_empty() {
            let _ = writeln!(
                out,
                "  kept as you left them ({}; delete one and import again to take the imported version):",
                count(
                    w.kept.len(),
                    "file changed since the last import",
                    "files changed since the last import"
                )
            );
            for file in &w.kept {
                let _ = writeln!(out, "      {file}");
            }
        }

        self.problems(&mut out);
        self.not_carried_over(&mut out);
        self.next_steps(&mut out);
        out
    }

    fn problems(&self, out: &mut String) {
        let _ = writeln!(out);
        if let Some(why) = self.check_failed {
            let _ = writeln!(out, "The new site could not be checked: {why}");
            return;
        }
        let found: Vec<&Diagnostic> = self
            .diagnostics
            .iter()
            .filter(|d| d.file != "_config.yml")
            .collect();
        if found.is_empty() {
            let _ = writeln!(out, "Checked the new site: no problems found.");
            return;
        }
        let errors = found.iter().filter(|d| d.is_error()).count();
        let _ = writeln!(
            out,
            "Checked the new site (as `docgen check` does): {}, {}",
            count(errors, "error", "errors"),
            count(found.len() - errors, "warning", "warnings")
        );
        let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for d in &found {
            let entry = kinds.entry(kind_of(d)).or_default();
            if d.is_error() {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
        let mut kinds: Vec<_> = kinds.into_iter().collect();
        kinds.sort_by(|a, b| (b.1.0 + b.1.1).cmp(&(a.1.0 + a.1.1)).then(a.0.cmp(b.0)));
        for (kind, (errors, warnings)) in kinds {
            let severity = match (errors, warnings) {
                (0, _) => "warnings".to_string(),
                (_, 0) => "errors".to_string(),
                (e, w) => format!("{e} errors, {w} warnings"),
            };
            let _ = writeln!(out, "  {:>5}  {kind} — {severity}", errors + warnings);
        }
        let mut lenient = Vec::new();
        if self.lenient.broken_links {
            lenient.push("broken_links = \"warn\"");
        }
        if self.lenient.undefined_variables {
            lenient.push("undefined_variables = \"warn\"");
        }
        if !lenient.is_empty() {
            let _ = writeln!(
                out,
                "  docgen.toml sets {} so that these are warnings while you fix them.",
                lenient.join(" and ")
            );
        }
    }

    fn not_carried_over(&self, out: &mut String) {
        let mut items: Vec<String> = Vec::new();
        let plan = self.plan;
        if !plan.layouts.is_empty() {
            let names: Vec<&str> = plan.layouts.keys().map(String::as_str).collect();
            items.push(format!(
                "_layouts/ ({}: {}): Liquid layouts do not run in docgen, whose layouts are Tera templates; templates/ has one per layout the pages use, extending the default theme",
                count(names.len(), "layout", "layouts"),
                names.join(", ")
            ));
        }
        for plugin in &self.config.plugins {
            let (_, what) = plugin_replacement(plugin);
            items.push(format!("plugin {plugin}: {what}"));
        }
        if !plan.ruby_plugins.is_empty() {
            items.push(format!(
                "_plugins/ ({}): Ruby does not run in docgen; a tag one adds can be declared as an include in [include_tags]",
                plan.ruby_plugins.join(", ")
            ));
        }
        for (key, what) in &self.config.unsupported {
            items.push(format!("{key}: {what}"));
        }
        if !self.config.dropped.is_empty() {
            items.push(format!(
                "_config.yml keys without a value ({}): TOML has no null",
                self.config.dropped.join(", ")
            ));
        }
        let mut groups: BTreeMap<&str, Vec<&super::files::Skipped>> = BTreeMap::new();
        for skipped in &plan.skipped {
            groups
                .entry(skipped.what.as_str())
                .or_default()
                .push(skipped);
        }
        for (what, files) in groups {
            let shown: Vec<&str> = files.iter().take(5).map(|s| s.path.as_str()).collect();
            let more = match files.len() {
                n if n > 5 => format!(", and {} more", n - 5),
                _ => String::new(),
            };
            // The same advice for the whole group when every file shares it.
            let why = if files.iter().all(|f| f.why == files[0].why) {
                files[0].why.clone()
            } else {
                files
                    .iter()
                    .take(5)
                    .map(|f| format!("{}: {}", f.path, f.why))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            items.push(format!("{what} ({}{more}): {why}", shown.join(", ")));
        }
        let _ = writeln!(out);
        if items.is_empty() && plan.excluded.is_empty() {
            let _ = writeln!(out, "Everything of the Jekyll site was carried over.");
        } else {
            let _ = writeln!(out, "Not carried over:");
            for item in items {
                let _ = writeln!(out, "  - {item}");
            }
        }
        if !plan.excluded.is_empty() {
            let _ = writeln!(
                out,
                "  ({} that Jekyll leaves out too: hidden, _-prefixed or backup files, and `exclude`)",
                count(plan.excluded.len(), "file", "files")
            );
        }
    }

    fn next_steps(&self, out: &mut String) {
        let dest = self.dest.display();
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = self.diagnostics.len() - errors;
        let _ = writeln!(out);
        let _ = writeln!(out, "Next:");
        let mut steps = Vec::new();
        if errors > 0 {
            steps.push(format!(
                "fix the {} listed above: until then `docgen build` writes nothing",
                count(errors, "error", "errors")
            ));
        }
        steps.push(format!(
            "preview it: cd {dest} && docgen serve --watch   (or docgen build, into public/)"
        ));
        if warnings > 0 {
            steps.push(format!(
                "fix the {} (`docgen check` lists each at its file:line:col), then delete the lenient lines of docgen.toml",
                count(warnings, "warning", "warnings")
            ));
        }
        if !self.templates.is_empty() {
            steps.push(
                "port what your Jekyll layouts added (header, footer, scripts) into the templates/ files, block by block"
                    .into(),
            );
        }
        steps.push(
            "keep the Jekyll site until the new one is published; the import never changed it"
                .into(),
        );
        for (i, step) in steps.iter().enumerate() {
            let _ = writeln!(out, "  {}. {step}", i + 1);
        }
    }
}

//! Render stage: pages through Tera layouts. The only user of Tera. Templates are compiled once;
//! the template context is a set of typed structs (documented in the README), so what a template
//! can use is written down in one place. Template problems become diagnostics naming the template
//! file, line and column.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};

use crate::diagnostic::Diagnostic;
use crate::markdown::TocEntry;
use crate::nav::Crumb;
use crate::theme::TemplateFile;

/// `site`: the same for every page (Tera's global context).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteContext {
    pub title: String,
    pub base_url: Option<String>,
    pub base_path: String,
    pub home_url: String,
    pub elements_url: Option<String>,
    pub elements_nav_url: String,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub generator: String,
    /// The header navigation: `[[nav]]` of docgen.toml, else the elements index, the pages in
    /// `content/` and the top sections.
    pub nav: Vec<HeaderLink>,
}

/// One link of the header navigation (`site.nav`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderLink {
    pub title: String,
    pub url: String,
    /// The folder of the top section it leads to, so a layout can mark it on that section's
    /// pages (`section.dir`).
    pub section: Option<String>,
    /// Whether it leads to the elements index, which element pages belong to.
    pub elements: bool,
}

/// `section`: the sidebar of a page outside elements — its top section and that section's
/// pages and sub-sections, the sub-sections on the way to the page expanded.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub title: String,
    pub url: String,
    /// The top section's folder below `content/`.
    pub dir: String,
    /// Whether the page is the top section's index page.
    pub current: bool,
    pub entries: Vec<SectionEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionEntry {
    pub title: String,
    pub url: String,
    /// The page itself (or, for a sub-section, its index page).
    pub current: bool,
    pub is_section: bool,
    /// A sub-section holding the page: its `children` are listed.
    pub open: bool,
    pub children: Vec<SectionEntry>,
}

/// Everything a layout sees for one page besides `site`.
#[derive(Debug, Clone, Serialize)]
pub struct PageContext<'a> {
    pub page: PageView<'a>,
    pub element: Option<ElementView<'a>>,
    pub nav: NavView,
    pub breadcrumbs: Vec<Crumb>,
    pub toc: Vec<TocEntry>,
    pub section: Option<SectionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    /// The title as HTML for the page's `<h1>`: the body's opening `# heading` when it was
    /// lifted out of `content` (its code and emphasis kept), else `title` escaped.
    pub title_html: String,
    /// The lifted heading's id (the `<h1>` carries it, so `#fragment` links still land).
    pub title_id: Option<String>,
    pub seo: String,
    pub description: Option<&'a str>,
    pub heading: Option<&'a str>,
    pub layout: &'a str,
    pub url: String,
    pub permalink: String,
    pub source: String,
    pub element_id: Option<&'a str>,
    pub order: Option<i64>,
    pub draft: bool,
    /// The body's HTML, whole.
    pub content: String,
    /// `content` without the opening heading when it was lifted into `title_html` (then the
    /// layout prints `title_html` and `body`: one `<h1>`); else the same as `content`.
    pub body: String,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ElementView<'a> {
    pub heading: &'a str,
    pub element_id: Option<&'a str>,
    pub key: &'a str,
    pub url: String,
    pub logo: Option<String>,
    pub guides: Vec<GuideView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GuideView<'a> {
    pub title: &'a str,
    pub url: String,
    pub order: Option<i64>,
    pub current: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct NavView {
    pub prev: Option<NavLink>,
    pub next: Option<NavLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    pub title: String,
    pub url: String,
}

/// One entry of `all_elements()`, the list the elements index renders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElementSummary {
    pub heading: String,
    pub element_id: Option<String>,
    pub key: String,
    pub url: String,
    pub logo: Option<String>,
    pub description: Option<String>,
    pub guide_count: usize,
}

pub struct Renderer {
    tera: Tera,
    /// Template name → where it came from, for messages.
    origins: BTreeMap<String, String>,
    /// Which layouts call `all_elements()`, so a change to the element list re-renders them.
    element_list_users: ElementListUsers,
}

/// The layouts whose output depends on the list of all elements.
#[derive(Debug, Clone, Default)]
struct ElementListUsers {
    /// A shared template (not a layout) calls it: every layout might.
    every: bool,
    layouts: std::collections::HashSet<String>,
}

/// Templates that are not page layouts.
const NOT_LAYOUTS: &[&str] = &["base.html", "404.html"];

impl Renderer {
    /// Compiles every template. Templates that fail to compile are reported and left out, so
    /// one typo does not hide the problems of the others.
    pub fn new(templates: &[TemplateFile]) -> (Renderer, Vec<Diagnostic>) {
        let origins: BTreeMap<String, String> = templates
            .iter()
            .map(|t| (t.name.clone(), t.origin.clone()))
            .collect();
        let mut diagnostics = Vec::new();
        let mut remaining: Vec<&TemplateFile> = templates.iter().collect();
        loop {
            let mut tera = new_tera();
            match tera.add_raw_templates(remaining.iter().map(|t| (&t.name, &t.text))) {
                Ok(()) => {
                    let element_list_users = element_list_users(templates);
                    let renderer = Renderer {
                        tera,
                        origins,
                        element_list_users,
                    };
                    return (renderer, diagnostics);
                }
                Err(error) => {
                    let found = template_diagnostics(&error, &origins);
                    let broken: Vec<String> =
                        found.iter().filter_map(|(name, _)| name.clone()).collect();
                    diagnostics.extend(found.into_iter().map(|(_, d)| d));
                    let before = remaining.len();
                    remaining.retain(|t| !broken.contains(&t.name));
                    if remaining.len() == before {
                        // Nothing left to blame: render with no templates rather than loop.
                        remaining.clear();
                    }
                }
            }
        }
    }

    /// Sets `site` for every render and the list behind `all_elements()`.
    pub fn set_site(&mut self, site: &SiteContext, elements: &[ElementSummary]) {
        self.tera.global_context().insert("site", site);
        let elements = Value::from_serializable(elements);
        // Tera values share their data, so handing out the list is a reference-count bump.
        self.tera
            .register_function("all_elements", move |_: Kwargs, _: &State| elements.clone());
    }

    /// Whether pages with `layout` show the list of all elements.
    pub fn lists_elements(&self, layout: &str) -> bool {
        self.element_list_users.every || self.element_list_users.layouts.contains(layout)
    }

    pub fn has_layout(&self, layout: &str) -> bool {
        self.tera.contains_template(&format!("{layout}.html"))
    }

    /// The names `layout:` may take, sorted.
    pub fn layouts(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tera
            .get_template_names()
            .filter(|n| n.ends_with(".html") && !n.contains('/') && !NOT_LAYOUTS.contains(n))
            .map(|n| n.trim_end_matches(".html").to_string())
            .collect();
        names.sort();
        names
    }

    /// Renders `ctx` with `layout` (without `.html`). A failure is a diagnostic located in the
    /// template; `page_file` is named in a note.
    pub fn render(
        &self,
        layout: &str,
        ctx: &PageContext<'_>,
        page_file: &str,
    ) -> Result<String, Diagnostic> {
        let mut context = Context::new();
        context.insert("page", &ctx.page);
        context.insert("element", &ctx.element);
        context.insert("nav", &ctx.nav);
        context.insert("breadcrumbs", &ctx.breadcrumbs);
        context.insert("toc", &ctx.toc);
        context.insert("section", &ctx.section);
        let name = format!("{layout}.html");
        self.tera.render(&name, &context).map_err(|error| {
            let (_, diagnostic) = template_diagnostics(&error, &self.origins)
                .into_iter()
                .next()
                .unwrap_or_else(|| {
                    (
                        None,
                        Diagnostic::error("template", &name, error.to_string()),
                    )
                });
            diagnostic.with_note(format!("while rendering {page_file}"))
        })
    }
}

/// Finds the templates that call `all_elements()` by their text: cheap, and it over-approximates
/// safely (a mention in a comment only costs a re-render).
fn element_list_users(templates: &[TemplateFile]) -> ElementListUsers {
    let mut users = ElementListUsers::default();
    for template in templates.iter().filter(|t| t.text.contains("all_elements")) {
        match template.name.strip_suffix(".html") {
            Some(layout)
                if !NOT_LAYOUTS.contains(&template.name.as_str()) && !layout.contains('/') =>
            {
                users.layouts.insert(layout.to_string());
            }
            _ => users.every = true,
        }
    }
    users
}

fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    // Registered before templates are added, since Tera checks calls when compiling; the real
    // list comes with `set_site`.
    tera.register_function("all_elements", |_: Kwargs, _: &State| {
        Value::from_serializable(&Vec::<()>::new())
    });
    tera
}

/// Turns a Tera error into diagnostics, each with the name of the template it blames.
fn template_diagnostics(
    error: &tera::Error,
    origins: &BTreeMap<String, String>,
) -> Vec<(Option<String>, Diagnostic)> {
    let located = |name: &str, line: usize, column: usize, message: &str| {
        let file = origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string());
        (
            Some(name.to_string()),
            Diagnostic::error("template", file, format!("template error: {message}"))
                .at(line as u32, column as u32),
        )
    };
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            vec![located(
                report.filename(),
                span.start_line,
                span.start_col + 1,
                report.message(),
            )]
        }
        ErrorKind::MissingParent { current, parent } => vec![located(
            current,
            0,
            0,
            &format!("it extends \"{parent}\", which does not exist"),
        )],
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            vec![located(tpl, 0, 0, &error.to_string())]
        }
        _ => {
            // Several compile problems at once come as one text of reports:
            // "error: message\n --> name:line:col\n…", separated by blank lines.
            let text = error.to_string();
            let reports: Vec<_> = text
                .split("\n\nerror: ")
                .filter_map(|report| {
                    let report = report.strip_prefix("error: ").unwrap_or(report);
                    let (message, rest) = report.split_once('\n')?;
                    let locus = rest.trim_start().strip_prefix("--> ")?;
                    let locus = locus.lines().next()?;
                    let mut parts = locus.rsplitn(3, ':');
                    let column = parts.next()?.parse().ok()?;
                    let line = parts.next()?.parse().ok()?;
                    let name = parts.next()?;
                    Some(located(name, line, column, message))
                })
                .collect();
            if reports.is_empty() {
                vec![(
                    None,
                    Diagnostic::error("template", "templates", format!("template error: {text}")),
                )]
            } else {
                reports
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(name: &str, text: &str) -> TemplateFile {
        TemplateFile {
            name: name.into(),
            text: text.into(),
            origin: format!("templates/{name}"),
        }
    }

    fn context(extra: &serde_json::Map<String, serde_json::Value>) -> PageContext<'_> {
        PageContext {
            page: PageView {
                title: "Events",
                title_html: "Events".into(),
                title_id: None,
                seo: "Events | X".into(),
                description: None,
                heading: Some("X"),
                layout: "page",
                url: "/x/events.html".into(),
                permalink: "https://d/x/events.html".into(),
                source: "content/x/events.md".into(),
                element_id: None,
                order: Some(2),
                draft: false,
                content: "<p>Hi</p>".into(),
                body: "<p>Hi</p>".into(),
                extra,
            },
            element: None,
            nav: NavView::default(),
            breadcrumbs: Vec::new(),
            toc: Vec::new(),
            section: None,
        }
    }

    fn site() -> SiteContext {
        SiteContext {
            title: "Docs".into(),
            base_url: None,
            base_path: String::new(),
            home_url: "/".into(),
            elements_url: None,
            elements_nav_url: "/elements-nav.json".into(),
            extra: serde_json::Map::new(),
            generator: "docgen".into(),
            nav: Vec::new(),
        }
    }

    #[test]
    fn renders_the_typed_context() {
        let (mut r, diagnostics) = Renderer::new(&[template(
            "page.html",
            "{{ site.title }}|{{ page.title }}|{{ page.content | safe }}|{{ page.extra.apiKey }}|{{ all_elements() | length }}",
        )]);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        r.set_site(&site(), &[]);
        let mut extra = serde_json::Map::new();
        extra.insert("apiKey".into(), "k-1".into());
        assert_eq!(
            r.render("page", &context(&extra), "content/x.md").unwrap(),
            "Docs|Events|<p>Hi</p>|k-1|0"
        );
        assert_eq!(r.layouts(), ["page"]);
    }

    #[test]
    fn syntax_errors_name_template_and_line_and_spare_the_others() {
        let (r, diagnostics) = Renderer::new(&[
            template("good.html", "ok"),
            template("bad.html", "line one\n{% if %}\n"),
            template("worse.html", "{{ unclosed"),
        ]);
        let located: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.file.as_str(), d.line))
            .collect();
        assert_eq!(
            located,
            [("templates/bad.html", 2), ("templates/worse.html", 1)]
        );
        assert!(r.has_layout("good"));
        assert!(!r.has_layout("bad"));
    }

    #[test]
    fn render_errors_name_template_line_and_page() {
        let (mut r, _) = Renderer::new(&[template("page.html", "a\nb {{ page.nope }}\n")]);
        r.set_site(&site(), &[]);
        let d = r
            .render(
                "page",
                &context(&serde_json::Map::new()),
                "content/x/events.md",
            )
            .unwrap_err();
        assert_eq!((d.file.as_str(), d.line), ("templates/page.html", 2));
        assert!(d.message.starts_with("template error: "), "{}", d.message);
        assert_eq!(d.notes, ["while rendering content/x/events.md"]);
    }

    #[test]
    fn unknown_filters_are_reported_at_compile_time() {
        let (_, diagnostics) = Renderer::new(&[template("p.html", "\n{{ x | nofilter }}")]);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(
            (diagnostics[0].file.as_str(), diagnostics[0].line),
            ("templates/p.html", 2)
        );
    }
}

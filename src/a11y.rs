//! Render stage helper: accessibility touches to a page body's HTML that pulldown-cmark's HTML
//! writer cannot make itself — task-list checkboxes get an accessible name, and tables (which the
//! default theme lets scroll sideways on narrow screens) can be reached and scrolled from the
//! keyboard. Pure string work on the tags pulldown-cmark writes, so raw HTML is left alone.

/// The checkboxes of `- [ ]` / `- [x]` items, exactly as pulldown-cmark writes them.
const UNCHECKED: &str = "<input disabled=\"\" type=\"checkbox\"/>";
const CHECKED: &str = "<input disabled=\"\" type=\"checkbox\" checked=\"\"/>";

/// `html` with labelled task-list checkboxes and focusable tables.
pub fn accessible_body(html: String) -> String {
    if !html.contains("<input disabled=\"\" type=\"checkbox\"") && !html.contains("<table>") {
        return html;
    }
    html.replace(
        CHECKED,
        "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Done\"/>",
    )
    .replace(
        UNCHECKED,
        "<input disabled=\"\" type=\"checkbox\" aria-label=\"To do\"/>",
    )
    .replace("<table>", "<table tabindex=\"0\">")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::Highlighter;

    #[test]
    fn task_lists_are_labelled_and_tables_focusable() {
        let body = "- [x] done\n- [ ] open\n\n| a |\n|---|\n| 1 |\n\n<table><tr><td>raw</td></tr></table>\n";
        let html = accessible_body(crate::markdown::markdownify(body, &Highlighter::new()));
        assert!(
            html.contains(
                "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Done\"/>\ndone"
            ),
            "{html}"
        );
        assert!(
            html.contains("<input disabled=\"\" type=\"checkbox\" aria-label=\"To do\"/>\nopen"),
            "{html}"
        );
        assert_eq!(html.matches("<table tabindex=\"0\">").count(), 2, "{html}");
    }
}

//! Render stage helper: accessibility touches to a page body's HTML that pulldown-cmark's HTML
//! writer cannot make itself — task-list checkboxes get an accessible name, and tables (which the
//! default theme lets scroll sideways on narrow screens) can be reached and scrolled from the
//! keyboard. Pure string work on the tags pulldown-cmark writes, so raw HTML is left alone.

/// The checkboxes of `- [ ]` / `- [x]` items, exactly as pulldown-cmark writes them.
const UNCHECKED: &str = "<input disabled=\"\" type=\"checkbox\"/>";
const CHECKED: &str = "<input disabled=\"\" type=\"checkbox\" checked=\"\"/>";

/// `html` with labelled task-list checkboxes and focusable tables. One pass over the tags, and
/// no copy at all for a body with neither: every body goes through here.
pub fn accessible_body(html: String) -> String {
    const EDITS: [(&str, &str); 3] = [
        (
            CHECKED,
            "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"Done\"/>",
        ),
        (
            UNCHECKED,
            "<input disabled=\"\" type=\"checkbox\" aria-label=\"To do\"/>",
        ),
        ("<table>", "<table tabindex=\"0\">"),
    ];
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut at = 0;
    while let Some(lt) = html[at..].find('<').map(|i| at + i) {
        let rest = &html[lt..];
        match EDITS.iter().find(|(tag, _)| rest.starts_with(tag)) {
            Some((tag, with)) => {
                let out = out.get_or_insert_with(|| String::with_capacity(html.len() + 256));
                out.push_str(&html[copied..lt]);
                out.push_str(with);
                copied = lt + tag.len();
                at = copied;
            }
            None => at = lt + 1,
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&html[copied..]);
            out
        }
        None => html,
    }
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
        // Anything else is left as written, to the byte.
        for same in [
            "<p>a &lt;table&gt;</p>\n<table class=\"x\">",
            "<",
            "no tags",
            "",
        ] {
            assert_eq!(accessible_body(same.to_string()), same);
        }
        assert_eq!(
            accessible_body("<table><table>x<".into()),
            "<table tabindex=\"0\"><table tabindex=\"0\">x<"
        );
    }
}

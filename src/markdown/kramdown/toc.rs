//! kramdown's table of contents: a one-item list `* TOC` followed by `{:toc}` is recognised
//! here, `events` leaves a placeholder for it, and `fill_tocs` writes the list once the
//! headings' ids are known.

/// `* TOC`, `- TOC`, `+ TOC` → `Some(false)`; `1. TOC`, `1) TOC` → `Some(true)` (ordered).
pub(super) fn toc_item(line: &str) -> Option<bool> {
    let line = line.trim();
    let text = line.strip_suffix("TOC")?.trim_end();
    if matches!(text, "*" | "-" | "+") {
        return Some(false);
    }
    let number = text.strip_suffix(['.', ')'])?;
    (!number.is_empty() && number.len() <= 9 && number.bytes().all(|b| b.is_ascii_digit()))
        .then_some(true)
}

/// `{:toc}` (kramdown also reads `{: toc}`).
pub(super) fn is_toc_attribute(line: &str) -> bool {
    line.strip_prefix("{:")
        .and_then(|l| l.strip_suffix('}'))
        .is_some_and(|l| l.trim() == "toc")
}

/// Whether `source` (a list) is kramdown's table of contents, and if so whether it is ordered.
pub(super) fn toc_list(source: &str) -> Option<bool> {
    let mut lines = source.lines().map(str::trim).filter(|l| !l.is_empty());
    let ordered = toc_item(lines.next()?)?;
    (lines.next().is_some_and(is_toc_attribute) && lines.next().is_none()).then_some(ordered)
}

/// What a table of contents placeholder starts with; see `fill_tocs`.
pub(super) const TOC_PLACEHOLDER: &str = "<!--docgen-toc ";

/// A heading as the table of contents lists it: its level, id and text.
pub struct TocHeading<'a> {
    pub level: u8,
    pub id: &'a str,
    pub text: &'a str,
}

/// How many tables of contents a page shows: each lists every heading, so a page of `{:toc}`s
/// would grow with their number times its headings (5,000 of each: gigabytes).
pub const MAX_TOCS: usize = 10;

/// `html` with each table of contents placeholder `events` left replaced by kramdown's list of
/// `headings` (every heading of the body, in order; the first `hidden` are not in `html`, such
/// as a title the layout prints): `<ul id="markdown-toc">`, an entry per heading not marked
/// `{:.no_toc}`, nested by level; placeholders after the first `MAX_TOCS` are dropped (the
/// page's check warns of them, `excess_toc`). `None` when there is no placeholder.
pub fn fill_tocs(html: &str, headings: &[TocHeading<'_>], hidden: usize) -> Option<String> {
    let mut at = html.find(TOC_PLACEHOLDER)?;
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    // Every placeholder of a page says the same; its list is made once.
    let mut made: Option<(&str, String)> = None;
    let mut filled = 0;
    while let Some(end) = html[at..].find("-->\n").map(|i| at + i + 4) {
        let inner = &html[at + TOC_PLACEHOLDER.len()..end - 4];
        if made.as_ref().is_none_or(|(said, _)| *said != inner) {
            made = Some((inner, toc(inner, headings, hidden)));
        }
        out.push_str(&html[copied..at]);
        if filled < MAX_TOCS {
            out.push_str(made.as_ref().map_or("", |(_, list)| list));
            filled += 1;
        }
        copied = end;
        match html[end..].find(TOC_PLACEHOLDER) {
            Some(next) => at = end + next,
            None => break,
        }
    }
    out.push_str(&html[copied..]);
    Some(out)
}

/// The list a placeholder's `inner` text (`ul 0,3`: the kind, the headings left out) asks for.
fn toc(inner: &str, headings: &[TocHeading<'_>], hidden: usize) -> String {
    let (kind, skipped) = inner.split_once(' ').unwrap_or((inner, ""));
    let kind = if kind == "ol" { "ol" } else { "ul" };
    let skipped: std::collections::HashSet<usize> =
        skipped.split(',').filter_map(|n| n.parse().ok()).collect();
    let mut roots: Vec<TocNode<'_>> = Vec::new();
    for (_, h) in
        (headings.iter().enumerate()).filter(|(n, _)| *n >= hidden && !skipped.contains(n))
    {
        insert_node(&mut roots, h);
    }
    let mut list = String::new();
    if !roots.is_empty() {
        render_nodes(&roots, kind, true, &mut list);
    }
    list
}

/// The byte offset in `body` of the `{:toc}` line of the first table of contents after the
/// first `MAX_TOCS`, which the page does not show.
pub fn excess_toc(body: &str) -> Option<usize> {
    let mut previous: Option<&str> = None;
    let mut seen = 0;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if is_toc_attribute(trimmed) && previous.is_some_and(|p| toc_item(p).is_some()) {
            seen += 1;
            if seen > MAX_TOCS {
                return Some(at);
            }
        }
        previous = Some(trimmed);
    }
    None
}

/// A table of contents entry and the deeper headings under it.
struct TocNode<'a> {
    heading: &'a TocHeading<'a>,
    children: Vec<TocNode<'a>>,
}

fn insert_node<'a>(siblings: &mut Vec<TocNode<'a>>, heading: &'a TocHeading<'a>) {
    match siblings.last_mut() {
        Some(last) if last.heading.level < heading.level => {
            insert_node(&mut last.children, heading)
        }
        _ => siblings.push(TocNode {
            heading,
            children: Vec::new(),
        }),
    }
}

fn render_nodes(nodes: &[TocNode<'_>], kind: &str, outer: bool, out: &mut String) {
    out.push_str(&format!("<{kind}"));
    if outer {
        out.push_str(" id=\"markdown-toc\"");
    }
    out.push_str(">\n");
    for node in nodes {
        out.push_str(&format!(
            "<li><a href=\"#{id}\" id=\"markdown-toc-{id}\">{text}</a>",
            id = escape(node.heading.id),
            text = escape(node.heading.text)
        ));
        if !node.children.is_empty() {
            out.push('\n');
            render_nodes(&node.children, kind, false, out);
        }
        out.push_str("</li>\n");
    }
    out.push_str(&format!("</{kind}>\n"));
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

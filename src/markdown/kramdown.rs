//! The kramdown constructs Jekyll-era guides use, read from pulldown-cmark's events before both
//! Markdown passes (so they agree on every link and heading):
//!
//! - `markdown="1"`, `"block"` or `"span"` on an HTML element — typically a callout include,
//!   `<div markdown="span" class="alert">**Note:** {{include.content}}</div>` — renders its
//!   content as Markdown (`span`: inline only, no paragraph) and drops the attribute;
//! - a heading ending in `{…}` that is not an attribute list — `### PUT /instances/{id}` —
//!   keeps that text. pulldown-cmark takes any trailing braces as attributes; only `{#id}`,
//!   `{.class}`, `{key=value}` (and mixes) and kramdown's `{: …}` are;
//! - a line holding only a kramdown block attribute list (`{: .table .table-striped}` under a
//!   table) is never shown: CommonMark would read it as a table row or a paragraph. Under an ATX
//!   heading it applies to the heading (`{:.no_toc}`, `{: #id}`), as in kramdown;
//! - kramdown's table of contents, a one-item list `* TOC` (or `1. TOC`) followed by `{:toc}`,
//!   becomes a nested list of the page's headings linking to their ids, without those marked
//!   `{:.no_toc}`: `events` leaves a placeholder that `fill_tocs` fills once the headings' ids
//!   are known;
//! - abbreviations, `*[HTML]: Hyper Text Markup Language` lines, are not shown and mark every
//!   `HTML` of the text up as `<abbr>` (`abbreviations`); `{::options … /}` and
//!   `{::comment}` … `{:/comment}` are not shown either;
//! - a link or image whose destination holds spaces (`![x](Screen Shot 1.png)`) is one, as in
//!   kramdown (`spaced`).
//!
//! Each construct has its module (`element`, `attributes`, `toc`, `abbreviations`, `spaced`; `references` shares the
//! page's reference definitions among its parses); `events` walks the parsed events once and
//! hands each construct what it needs.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Tag, TagEnd};

/// How deep `markdown="1"` elements may nest inside each other.
const MAX_DEPTH: usize = 8;

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

mod abbreviations;
mod attributes;
mod element;
mod references;
mod spaced;
mod toc;

pub use abbreviations::{apply as apply_abbreviations, definitions as abbreviations};
pub use attributes::blank_block_attributes;
use attributes::heading_attributes;
use element::{html, markdown_attribute, without_markdown_attribute};
pub use references::References;
pub use toc::{MAX_TOCS, TocHeading, excess_toc, fill_tocs};
use toc::{TOC_PLACEHOLDER, toc_list};

/// The events of `text` (which starts at byte `base` of the body) from `parsed`, with kramdown's
/// constructs applied; ranges are in the body.
pub fn events<'a>(
    text: &'a str,
    base: usize,
    parsed: impl Iterator<Item = (Event<'a>, Range<usize>)>,
    options: Options,
    depth: usize,
    references: &References,
) -> Events<'a> {
    let mut out = Vec::new();
    let mut push = |event, range| out.push((event, range));
    walk(text, base, parsed, options, depth, references, &mut push);
    out
}

/// Like `events`, handing each event to `emit` as soon as it is final (a heading's start once
/// its attributes are read, the events after a table of contents at the end), so a page's
/// events need not all be held at once.
pub fn walk<'a>(
    text: &'a str,
    base: usize,
    parsed: impl Iterator<Item = (Event<'a>, Range<usize>)>,
    options: Options,
    depth: usize,
    references: &References,
    emit: &mut dyn FnMut(Event<'a>, Range<usize>),
) {
    let parsed = spaced::SpacedLinks::new(text, parsed);
    // Events not yet final.
    let mut out: Events<'a> = Vec::new();
    let mut emitted = Emitted::default();
    // The HTML block being read, and its events as pulldown-cmark gave them.
    let mut html_block: Option<(Range<usize>, Events<'a>)> = None;
    // The heading being read: where its start event is in `out`, and where its text ends.
    let mut heading: Option<(usize, Range<usize>, usize)> = None;
    // Inside a `* TOC` list: how deep in lists (its events are dropped).
    let mut in_toc = 0usize;
    let mut tocs: Vec<usize> = Vec::new();
    for (event, range) in parsed {
        if heading.is_none() && tocs.is_empty() {
            emitted.flush(&mut out, emit);
        }
        if in_toc > 0 {
            match event {
                Event::Start(Tag::List(_)) => in_toc += 1,
                Event::End(TagEnd::List(_)) => in_toc -= 1,
                _ => {}
            }
            continue;
        }
        if let Event::Start(Tag::List(_)) = event
            && heading.is_none()
            && html_block.is_none()
            && let Some(ordered) = text.get(range.clone()).and_then(toc_list)
        {
            in_toc = 1;
            tocs.push(out.len());
            let kind = if ordered { "ol" } else { "ul" };
            let placeholder = format!("{TOC_PLACEHOLDER}{kind}-->\n");
            out.push((Event::Html(placeholder.into()), shift(&range, base)));
            continue;
        }
        if let Some((block, events)) = &mut html_block {
            let end = matches!(event, Event::End(TagEnd::HtmlBlock));
            events.push((event, shift(&range, base)));
            if end {
                let (block, events) = (block.clone(), std::mem::take(events));
                html_block = None;
                out.extend(html(text, block, events, base, options, depth, references));
            }
            continue;
        }
        match event {
            Event::Start(Tag::HtmlBlock) => {
                html_block = Some((range.clone(), vec![(event, shift(&range, base))]));
                continue;
            }
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((out.len(), range.clone(), range.start));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, whole, inner_end)) = heading.take() {
                    heading_attributes(text, &mut out, start, whole, inner_end, base);
                }
            }
            Event::InlineHtml(ref inline) if markdown_attribute(inline).is_some() => {
                // Inline content is Markdown already: only the attribute goes.
                let cleaned = without_markdown_attribute(inline);
                out.push((Event::InlineHtml(cleaned.into()), shift(&range, base)));
                continue;
            }
            _ => {
                if let Some((_, _, inner_end)) = &mut heading {
                    *inner_end = (*inner_end).max(range.end);
                }
            }
        }
        out.push((event, shift(&range, base)));
    }
    if !tocs.is_empty() {
        // The headings left out: by their number among the body's headings.
        let later = out.iter().filter_map(|(event, _)| match event {
            Event::Start(Tag::Heading { classes, .. }) => Some(classes),
            _ => None,
        });
        let skipped: Vec<String> = (emitted.skipped.iter().copied())
            .chain(
                later
                    .enumerate()
                    .filter(|(_, classes)| no_toc(classes))
                    .map(|(n, _)| emitted.headings + n),
            )
            .map(|n| n.to_string())
            .collect();
        for at in tocs {
            if let (Event::Html(placeholder), _) = &mut out[at] {
                let kind = &placeholder[TOC_PLACEHOLDER.len()..TOC_PLACEHOLDER.len() + 2];
                *placeholder = format!("{TOC_PLACEHOLDER}{kind} {}-->\n", skipped.join(",")).into();
            }
        }
    }
    emitted.flush(&mut out, emit);
}

/// The headings `walk` has emitted, which a table of contents further down counts.
#[derive(Default)]
struct Emitted {
    headings: usize,
    /// The numbers of those marked `{:.no_toc}`.
    skipped: Vec<usize>,
}

impl Emitted {
    /// Emits the events of `out`, which are final.
    fn flush<'a>(&mut self, out: &mut Events<'a>, emit: &mut dyn FnMut(Event<'a>, Range<usize>)) {
        for (event, range) in out.drain(..) {
            if let Event::Start(Tag::Heading { classes, .. }) = &event {
                if no_toc(classes) {
                    self.skipped.push(self.headings);
                }
                self.headings += 1;
            }
            emit(event, range);
        }
    }
}

fn no_toc(classes: &[pulldown_cmark::CowStr<'_>]) -> bool {
    classes.iter().any(|c| c.as_ref() == "no_toc")
}

fn shift(range: &Range<usize>, base: usize) -> Range<usize> {
    range.start + base..range.end + base
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use pulldown_cmark::Parser;

    use super::*;

    /// Walks `text`, returning each event with how many events the parser had given by then.
    fn walked(text: &str) -> Vec<(String, usize)> {
        let pulled = Cell::new(0);
        let parsed = Parser::new_ext(text, Options::ENABLE_HEADING_ATTRIBUTES)
            .into_offset_iter()
            .inspect(|_| pulled.set(pulled.get() + 1));
        let mut seen = Vec::new();
        let references = References::default();
        let options = Options::ENABLE_HEADING_ATTRIBUTES;
        walk(text, 0, parsed, options, 0, &references, &mut |event, _| {
            seen.push((format!("{event:?}"), pulled.get()))
        });
        seen
    }

    #[test]
    fn events_are_handed_on_as_they_are_read() {
        let text = "[a](x.html) ".repeat(1000);
        let seen = walked(&text);
        assert_eq!(seen.len(), 1000 * 4 + 1, "{:?}", &seen[..8]);
        // The first link is handed on right after it is read, not after the page.
        assert!(seen[1].1 <= 3, "{:?}", &seen[..8]);
        // A heading waits for its end, which decides its attributes.
        let seen = walked("## PUT /a/{id}\n\ntext\n");
        assert!(seen[0].0.starts_with("Start(Heading"), "{seen:?}");
        assert!(seen[0].1 >= 3, "{seen:?}");
        assert!(seen.iter().any(|(e, _)| e.contains("{id}")), "{seen:?}");
    }
}

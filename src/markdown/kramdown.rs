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
//!   are known.
//!
//! Each construct has its module (`element`, `attributes`, `toc`); `events` walks the parsed
//! events once and hands each construct what it needs.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Tag, TagEnd};

/// How deep `markdown="1"` elements may nest inside each other.
const MAX_DEPTH: usize = 8;

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

mod attributes;
mod element;
mod toc;

pub use attributes::blank_block_attributes;
use attributes::heading_attributes;
use element::{html, markdown_attribute, without_markdown_attribute};
use toc::{TOC_PLACEHOLDER, toc_list};
pub use toc::{TocHeading, fill_tocs};

/// The events of `text` (which starts at byte `base` of the body) from `parsed`, with kramdown's
/// constructs applied; ranges are in the body.
pub fn events<'a>(
    text: &'a str,
    base: usize,
    parsed: impl Iterator<Item = (Event<'a>, Range<usize>)>,
    options: Options,
    depth: usize,
) -> Events<'a> {
    let mut out: Events<'a> = Vec::new();
    // The HTML block being read, and its events as pulldown-cmark gave them.
    let mut html_block: Option<(Range<usize>, Events<'a>)> = None;
    // The heading being read: where its start event is in `out`, and where its text ends.
    let mut heading: Option<(usize, Range<usize>, usize)> = None;
    // Inside a `* TOC` list: how deep in lists (its events are dropped).
    let mut in_toc = 0usize;
    let mut tocs: Vec<usize> = Vec::new();
    for (event, range) in parsed {
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
                out.extend(html(text, block, events, base, options, depth));
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
        let skipped: Vec<String> = out
            .iter()
            .filter_map(|(event, _)| match event {
                Event::Start(Tag::Heading { classes, .. }) => Some(classes),
                _ => None,
            })
            .enumerate()
            .filter(|(_, classes)| classes.iter().any(|c| c.as_ref() == "no_toc"))
            .map(|(n, _)| n.to_string())
            .collect();
        for at in tocs {
            if let (Event::Html(placeholder), _) = &mut out[at] {
                let kind = &placeholder[TOC_PLACEHOLDER.len()..TOC_PLACEHOLDER.len() + 2];
                *placeholder = format!("{TOC_PLACEHOLDER}{kind} {}-->\n", skipped.join(",")).into();
            }
        }
    }
    out
}

fn shift(range: &Range<usize>, base: usize) -> Range<usize> {
    range.start + base..range.end + base
}

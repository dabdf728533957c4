//! kramdown's links and images whose destination holds spaces — `![Setup](img/Screen Shot
//! 2017-05-01 at 10.22.33 AM.png)`, as macOS names screenshots, or `[guide](my guide.md)` — are
//! links, as in Jekyll; CommonMark allows spaces only inside `<…>`, so pulldown-cmark gives them
//! as text and the page showed the Markdown as written. Their text events are put back together
//! into the link or image here, before both Markdown passes read them. Only the plain one-line
//! form is taken (`[text](dest "title")`, text without brackets), where pulldown-cmark's events
//! lie exactly on the written syntax; anything else stays as pulldown-cmark read it.

use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// A link written kramdown's way, found in the source.
#[derive(Debug, PartialEq, Eq)]
struct Written<'a> {
    image: bool,
    /// From the `[` (or `![`) to after the `)`.
    whole: Range<usize>,
    /// The link text (image: alt text), inside the brackets.
    inner: Range<usize>,
    dest: &'a str,
    title: &'a str,
}

/// `parsed` (events of `text`, ranges in `text`) with kramdown's spaced links made links.
pub(super) struct SpacedLinks<'a, I> {
    text: &'a str,
    parsed: I,
    ready: VecDeque<(Event<'a>, Range<usize>)>,
    /// Inside a code block, whose text is never a link.
    in_code: bool,
}

impl<'a, I> SpacedLinks<'a, I> {
    pub(super) fn new(text: &'a str, parsed: I) -> Self {
        SpacedLinks {
            text,
            parsed,
            ready: VecDeque::new(),
            in_code: false,
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for SpacedLinks<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(held) = self.ready.pop_front() {
            return Some(held);
        }
        let (event, range) = self.parsed.next()?;
        match &event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::Text(_) if !self.in_code => {
                if let Some(written) = written_at(self.text, range.start) {
                    let mut held = vec![(event, range)];
                    while held.last().is_some_and(|(_, r)| r.end < written.whole.end) {
                        match self.parsed.next() {
                            Some(next) => held.push(next),
                            None => break,
                        }
                    }
                    self.ready = joined(self.text, &written, held).into();
                    return self.ready.pop_front();
                }
            }
            _ => {}
        }
        Some((event, range))
    }
}

/// The link written at `at` (a `[` or `![`) when it is kramdown's with spaces in its destination.
fn written_at(text: &str, at: usize) -> Option<Written<'_>> {
    let rest = &text[at..];
    let image = rest.starts_with("![");
    let open = at + if image { 2 } else { 1 };
    if !image && !rest.starts_with('[') {
        return None;
    }
    let line = &text[open..text[open..].find('\n').map_or(text.len(), |i| open + i)];
    let close = line.find(']')?;
    if line[..close].contains('[') || !line[close + 1..].starts_with('(') {
        return None;
    }
    let args_start = open + close + 2;
    let args_len = text[args_start..open + line.len()].find(')')?;
    let args = &text[args_start..args_start + args_len];
    if args.contains('(') {
        return None;
    }
    let (dest, title) = split_title(args.trim());
    let dest = dest.trim();
    let spaced = dest.contains([' ', '\t']);
    if !spaced || dest.starts_with('<') || dest.contains(['"', '<', '>']) {
        return None;
    }
    Some(Written {
        image,
        whole: at..args_start + args_len + 1,
        inner: open..open + close,
        dest,
        title,
    })
}

/// `dest "title"` (or `'title'`) into its parts; no title: `(args, "")`.
fn split_title(args: &str) -> (&str, &str) {
    for quote in ['"', '\''] {
        if let Some(body) = args.strip_suffix(quote)
            && let Some(i) = body.rfind(quote)
            && body[..i].ends_with([' ', '\t'])
        {
            return (&body[..i], &body[i + 1..]);
        }
    }
    (args, "")
}

/// `held`, the events from the `[` to past the `)`, as one link — or as they were when they do
/// not lie exactly on the written syntax.
fn joined<'a>(
    text: &'a str,
    written: &Written<'a>,
    held: Vec<(Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    let Some(plan) = plan(text, written, &held) else {
        return held;
    };
    let (tag, end) = if written.image {
        (
            Tag::Image {
                link_type: LinkType::Inline,
                dest_url: CowStr::Borrowed(written.dest),
                title: CowStr::Borrowed(written.title),
                id: CowStr::Borrowed(""),
            },
            TagEnd::Image,
        )
    } else {
        (
            Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::Borrowed(written.dest),
                title: CowStr::Borrowed(written.title),
                id: CowStr::Borrowed(""),
            },
            TagEnd::Link,
        )
    };
    let mut out = Vec::with_capacity(held.len());
    out.push((Event::Start(tag), written.whole.clone()));
    let mut held = held.into_iter();
    out.extend(held.by_ref().skip(1).take(plan.inner_events));
    out.push((Event::End(end), written.whole.clone()));
    if let Some(rest) = plan.rest {
        out.push((Event::Text(CowStr::Borrowed(&text[rest.clone()])), rest));
    }
    out
}

struct Plan {
    /// How many events after the opening bracket's are the link text's.
    inner_events: usize,
    /// The text after the `)` in the last event.
    rest: Option<Range<usize>>,
}

/// Whether `held` lies exactly on `written`: the bracket's own text event, balanced inline
/// events inside the brackets, then text events only, the last holding the `)`.
fn plan(text: &str, written: &Written<'_>, held: &[(Event<'_>, Range<usize>)]) -> Option<Plan> {
    let ((first, first_range), (last, last_range)) = (held.first()?, held.last()?);
    let opening = matches!(first, Event::Text(t) if text.get(first_range.clone()) == Some(&**t));
    if !opening || first_range.end != written.inner.start || last_range.end < written.whole.end {
        return None;
    }
    let inner_events = held[1..]
        .iter()
        .take_while(|(_, r)| r.end <= written.inner.end)
        .count();
    let mut depth = 0i32;
    for (event, range) in &held[1..1 + inner_events] {
        depth += match event {
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => 1,
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => -1,
            Event::Text(_) | Event::Code(_) => 0,
            _ => return None,
        };
        if depth < 0 || range.start < written.inner.start {
            return None;
        }
    }
    let syntax_only_text = held[1 + inner_events..]
        .iter()
        .all(|(event, _)| matches!(event, Event::Text(_)));
    if depth != 0 || !syntax_only_text {
        return None;
    }
    let rest = (last_range.end > written.whole.end).then_some(written.whole.end..last_range.end);
    if rest.is_some()
        && !matches!(last, Event::Text(t) if text.get(last_range.clone()) == Some(&**t))
    {
        // The event's text is not the source's (an entity, smart quotes): its rest cannot be
        // cut from the source.
        return None;
    }
    Some(Plan { inner_events, rest })
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    use super::*;

    fn html(text: &str) -> String {
        let options = Options::ENABLE_SMART_PUNCTUATION | Options::ENABLE_STRIKETHROUGH;
        let parsed = Parser::new_ext(text, options).into_offset_iter();
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, SpacedLinks::new(text, parsed).map(|(e, _)| e));
        out
    }

    #[test]
    fn destinations_with_spaces_are_links_as_in_kramdown() {
        let cases = [
            (
                "A ![Screen](img/Screen Shot 2017-05-01 at 10.22.33 AM.png) b\n",
                "<p>A <img src=\"img/Screen%20Shot%202017-05-01%20at%2010.22.33%20AM.png\" alt=\"Screen\" /> b</p>\n",
            ),
            (
                "see [the *guide*](my guide.md#x \"T\") and [x](a b) [y](  c d  'u v')\n",
                "<p>see <a href=\"my%20guide.md#x\" title=\"T\">the <em>guide</em></a> and <a href=\"a%20b\">x</a> <a href=\"c%20d\" title=\"u v\">y</a></p>\n",
            ),
            (
                "[`code` x](a b).\n",
                "<p><a href=\"a%20b\"><code>code</code> x</a>.</p>\n",
            ),
            // Left as pulldown-cmark reads them: no space, `<…>`, brackets or parentheses
            // inside, over two lines, escaped, in code.
            ("[a](b.html)\n", "<p><a href=\"b.html\">a</a></p>\n"),
            ("[a](<b c>)\n", "<p><a href=\"b%20c\">a</a></p>\n"),
            ("[a [b]](c d)\n", "<p>[a [b]](c d)</p>\n"),
            ("[a](c (d) e)\n", "<p>[a](c (d) e)</p>\n"),
            ("[a](c\nd)\n", "<p>[a](c\nd)</p>\n"),
            ("\\[a](c d)\n", "<p>[a](c d)</p>\n"),
            ("`[a](c d)`\n", "<p><code>[a](c d)</code></p>\n"),
            (
                "```\n[a](c d)\n```\n",
                "<pre><code>[a](c d)\n</code></pre>\n",
            ),
            ("[a *b](c d)*\n", "<p>[a <em>b](c d)</em></p>\n"),
            ("[a]\n", "<p>[a]</p>\n"),
        ];
        for (text, expected) in cases {
            assert_eq!(html(text), expected, "{text:?}");
        }
    }

    #[test]
    fn the_link_spans_its_written_syntax() {
        let text = "x [a](b c) y";
        let parsed = Parser::new(text).into_offset_iter();
        let events: Vec<_> = SpacedLinks::new(text, parsed).collect();
        let link = events
            .iter()
            .find(|(e, _)| matches!(e, Event::Start(Tag::Link { .. })))
            .unwrap();
        assert_eq!(&text[link.1.clone()], "[a](b c)");
        assert_eq!(events[events.len() - 2], (Event::Text(" y".into()), 10..12));
    }
}

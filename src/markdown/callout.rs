//! Render stage, inside Markdown: callouts. GitHub alerts (`> [!NOTE]`, `[!TIP]`,
//! `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`) become a titled box with an icon, and a
//! Jekyll-era quote that opens with a bold label (`> **Tip:** …`, `> **Warning:** …`) gets the
//! same colours, so the five kinds look different from each other and from a plain quote.
//!
//! The markup is shared with the default theme's `note.html` and `callout.html` includes and
//! styled by `callouts.css`: `<div class="callout callout--KIND" role="note">` with a
//! `callout__title` paragraph whose icon is a CSS mask (one drawing for Markdown and includes).
//! `role="note"` because a callout is a remark beside the text, not an alert that interrupts.

use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};

/// The kinds of callout, as GitHub names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl Kind {
    /// The class suffix: `callout--warning`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Note => "note",
            Kind::Tip => "tip",
            Kind::Important => "important",
            Kind::Warning => "warning",
            Kind::Caution => "caution",
        }
    }

    /// The title shown on an alert.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Note => "Note",
            Kind::Tip => "Tip",
            Kind::Important => "Important",
            Kind::Warning => "Warning",
            Kind::Caution => "Caution",
        }
    }

    fn from_alert(kind: BlockQuoteKind) -> Kind {
        match kind {
            BlockQuoteKind::Note => Kind::Note,
            BlockQuoteKind::Tip => Kind::Tip,
            BlockQuoteKind::Important => Kind::Important,
            BlockQuoteKind::Warning => Kind::Warning,
            BlockQuoteKind::Caution => Kind::Caution,
        }
    }

    /// The kind a bold label names: `Tip:`, `Warning`, `Note.` (any case), and the names
    /// writers use for the same things (`Info`, `Hint`, `Danger`, `Attention`).
    pub fn from_label(label: &str) -> Option<Kind> {
        let word = label
            .trim()
            .trim_end_matches([':', '.', '!'])
            .trim_end()
            .to_lowercase();
        Some(match word.as_str() {
            "note" | "info" | "information" => Kind::Note,
            "tip" | "hint" => Kind::Tip,
            "important" => Kind::Important,
            "warning" | "attention" => Kind::Warning,
            "caution" | "danger" => Kind::Caution,
            _ => return None,
        })
    }
}

/// The opening of a GitHub alert, up to and including its title.
pub fn alert_open(kind: Kind) -> String {
    format!(
        "<div class=\"callout callout--{}\" role=\"note\">\n<p class=\"callout__title\">{ICON}{}</p>\n",
        kind.name(),
        kind.title()
    )
}

const ICON: &str = "<span class=\"callout__icon\" aria-hidden=\"true\"></span>";

/// Turns alert blockquotes into callouts and marks labelled quotes, in the render pass's
/// events (before `push_html`). The events are moved, not copied (highlighted code is large).
pub fn rewrite<'a>(mut events: Vec<Event<'a>>) -> Vec<Event<'a>> {
    if !events
        .iter()
        .any(|e| matches!(e, Event::Start(Tag::BlockQuote(_))))
    {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 4);
    // The paragraph of a labelled quote, which the icon follows.
    let mut icon_after = None;
    for i in 0..events.len() {
        // Taken events are behind `i`; `labelled` reads the ones after it.
        let event = std::mem::replace(&mut events[i], Event::SoftBreak);
        match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                out.push(Event::Html(alert_open(Kind::from_alert(kind)).into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => out.push(Event::Html("</div>\n".into())),
            Event::Start(Tag::BlockQuote(None)) => match labelled(&events[i + 1..]) {
                Some(kind) => {
                    out.push(Event::Html(
                        format!(
                            "<blockquote class=\"callout callout--{} callout--quote\" role=\"note\">\n",
                            kind.name()
                        )
                        .into(),
                    ));
                    icon_after = Some(i + 1);
                }
                None => out.push(event),
            },
            event => {
                out.push(event);
                if icon_after == Some(i) {
                    // The paragraph's start, then the icon before the bold label.
                    out.push(Event::InlineHtml(ICON.into()));
                    icon_after = None;
                }
            }
        }
    }
    out
}

/// The kind named by a quote whose first paragraph opens with a bold label (`**Tip:**`,
/// `**Tip**:`); `after` are the events after the quote's start.
fn labelled(after: &[Event<'_>]) -> Option<Kind> {
    let [
        Event::Start(Tag::Paragraph),
        Event::Start(Tag::Strong),
        rest @ ..,
    ] = after
    else {
        return None;
    };
    let mut label = String::new();
    for event in rest {
        match event {
            Event::Text(text) => label.push_str(text),
            Event::End(TagEnd::Strong) => return Kind::from_label(&label),
            _ => return None,
        }
        // A whole bold sentence is emphasis, not a label.
        if label.len() > 20 {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_kinds_in_any_case_and_punctuation() {
        let cases = [
            ("Tip:", Some(Kind::Tip)),
            ("tip", Some(Kind::Tip)),
            ("WARNING:", Some(Kind::Warning)),
            ("Note.", Some(Kind::Note)),
            ("Info:", Some(Kind::Note)),
            ("Danger!", Some(Kind::Caution)),
            ("Important :", Some(Kind::Important)),
            ("Tips and tricks", None),
            ("Step 1:", None),
            ("", None),
        ];
        for (label, expected) in cases {
            assert_eq!(Kind::from_label(label), expected, "{label}");
        }
    }
}

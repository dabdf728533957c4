//! Live reload, the last step of a rebuild in `serve --watch`: the outcome of each rebuild is
//! published here, and every open page learns it through the events endpoint.
//!
//! The endpoint is long polling: a page asks "anything after generation N?" and the answer comes
//! as soon as there is, or after a while with nothing (then it asks again). It needs nothing from
//! the HTTP server but ordinary responses, and a page that missed an event (it was loading, or
//! the server restarted) learns on its first request that its generation is old.
//!
//! Each published outcome bumps the generation, with what a page should do about it:
//! - the site has errors: show the overlay listing them (and keep the page as it is);
//! - only stylesheets changed: swap them without reloading;
//! - anything else changed, or the errors were fixed: reload.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::highlight::escape;

/// The live-reload script, injected into every HTML page the preview serves.
pub const SCRIPT: &str = include_str!("live-reload.js");

/// At most this many errors are listed in the overlay (the terminal has them all).
const OVERLAY_LIMIT: usize = 20;

/// What the page should do, as the script reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Nothing happened since the page's generation.
    None,
    Reload,
    /// Swap these stylesheets (output paths like `theme.css`).
    Css,
    /// Show the overlay.
    Problems,
}

/// The answer to a poll: the current generation and what changed to reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub generation: u64,
    pub action: Action,
    /// For `Action::Css`: the stylesheets that changed.
    pub css: Vec<String>,
    /// The overlay's HTML while the site has errors.
    pub overlay: Option<String>,
}

impl Message {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a message serializes")
    }
}

/// What a rebuild did, as far as open pages care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Update {
    /// No output file changed.
    Nothing,
    /// Only these stylesheets changed.
    Css(Vec<String>),
    /// Pages or other files changed.
    Files,
}

#[derive(Debug)]
struct State {
    generation: u64,
    action: Action,
    css: Vec<String>,
    overlay: Option<String>,
    stopping: bool,
}

/// The current generation of the site, shared by the rebuild loop and the HTTP handlers.
pub struct Hub {
    state: Mutex<State>,
    changed: Condvar,
}

impl Hub {
    /// A hub for a site just built with `diagnostics`. Generations start at the current time in
    /// milliseconds, so a page left open across a restart of the server sees an unknown
    /// generation and reloads.
    pub fn new(diagnostics: &[Diagnostic]) -> Hub {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_millis() as u64);
        Hub {
            state: Mutex::new(State {
                generation: now,
                action: Action::Reload,
                css: Vec::new(),
                overlay: overlay(diagnostics),
                stopping: false,
            }),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A handler that panicked holding the lock left a consistent state: every update
        // assigns whole fields.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Publishes a rebuild's outcome; wakes the waiting pages when they have something to do.
    /// Returns the new message, or `None` when the pages need not hear of it.
    pub fn publish(&self, update: Update, diagnostics: &[Diagnostic]) -> Option<Message> {
        let overlay = overlay(diagnostics);
        let mut state = self.lock();
        let was_broken = state.overlay.is_some();
        match (&overlay, update) {
            // Still broken and the list is the same: nothing new to show.
            (Some(_), _) if overlay == state.overlay => return None,
            (Some(_), _) => {
                state.action = Action::Problems;
                state.css.clear();
            }
            (None, Update::Nothing) if !was_broken => return None,
            (None, Update::Css(files)) if !was_broken => {
                state.action = Action::Css;
                state.css = files;
            }
            // Fixed (the page may show an outdated version under the overlay), or changed.
            (None, _) => {
                state.action = Action::Reload;
                state.css.clear();
            }
        }
        state.overlay = overlay;
        state.generation += 1;
        let message = current(&state);
        drop(state);
        self.changed.notify_all();
        Some(message)
    }

    /// The current generation and overlay, for a page being served.
    pub fn snapshot(&self) -> (u64, Option<String>) {
        let state = self.lock();
        (state.generation, state.overlay.clone())
    }

    /// Waits until the generation differs from `since`, at most `timeout`; answers at once when
    /// it already does (or `since` is `None`).
    pub fn wait(&self, since: Option<u64>, timeout: Duration) -> Message {
        let state = self.lock();
        let Some(since) = since else {
            return current(&state);
        };
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| s.generation == since && !s.stopping)
            .unwrap_or_else(|e| e.into_inner());
        if state.generation == since {
            Message {
                generation: since,
                action: Action::None,
                css: Vec::new(),
                overlay: state.overlay.clone(),
            }
        } else {
            current(&state)
        }
    }

    /// Answers every waiting page now (the server is stopping).
    pub fn stop(&self) {
        self.lock().stopping = true;
        self.changed.notify_all();
    }
}

fn current(state: &State) -> Message {
    Message {
        generation: state.generation,
        action: state.action.clone(),
        css: state.css.clone(),
        overlay: state.overlay.clone(),
    }
}

/// The overlay listing the site's errors (`None` without errors): each one's `file:line:col`
/// and message, escaped.
pub fn overlay(diagnostics: &[Diagnostic]) -> Option<String> {
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    if errors.is_empty() {
        return None;
    }
    let count = match errors.len() {
        1 => "1 error — this page reloads when it is fixed".to_string(),
        n => format!("{n} errors — this page reloads when they are fixed"),
    };
    let mut html = format!(
        "<div id=\"docgen-overlay\" role=\"alert\"><style>{OVERLAY_CSS}</style>\
         <div class=\"docgen-overlay__box\"><button type=\"button\" \
         class=\"docgen-overlay__close\" aria-label=\"Hide\" \
         onclick=\"this.closest('#docgen-overlay').remove()\">×</button>\
         <p class=\"docgen-overlay__title\">docgen: {count}</p><ul \
         class=\"docgen-overlay__list\">"
    );
    for d in errors.iter().take(OVERLAY_LIMIT) {
        let mut message = d.message.clone();
        if let Some(suggestion) = &d.suggestion {
            message.push_str(&format!(" — did you mean \"{suggestion}\"?"));
        }
        html.push_str(&format!(
            "<li><code class=\"docgen-overlay__where\">{}</code> {}</li>",
            escape(&d.location()),
            escape(&message)
        ));
    }
    if errors.len() > OVERLAY_LIMIT {
        html.push_str(&format!(
            "<li>… and {} more (the terminal lists them all)</li>",
            errors.len() - OVERLAY_LIMIT
        ));
    }
    html.push_str("</ul></div></div>");
    Some(html)
}

/// The overlay's own styles, scoped to its id so the page's styles and its own leave each other
/// alone.
const OVERLAY_CSS: &str = "#docgen-overlay{position:fixed;inset:0;z-index:2147483647;\
background:rgba(20,20,24,.82);overflow:auto;font:15px/1.5 system-ui,sans-serif;color:#fff;\
text-align:left}#docgen-overlay .docgen-overlay__box{max-width:60rem;margin:8vh auto;\
padding:1.25rem 1.5rem;background:#2b1114;border-left:6px solid #ff5c5c;border-radius:6px;\
position:relative}#docgen-overlay .docgen-overlay__title{margin:0 2rem .75rem 0;\
font-weight:600;color:#ffb3b3}#docgen-overlay .docgen-overlay__list{margin:0;padding:0;\
list-style:none}#docgen-overlay li{margin:.4rem 0;white-space:pre-wrap;word-break:break-word}\
#docgen-overlay .docgen-overlay__where{font:13px/1.4 ui-monospace,monospace;color:#ffd7a8;\
margin-right:.5rem}#docgen-overlay .docgen-overlay__close{position:absolute;top:.5rem;\
right:.75rem;background:none;border:0;color:#fff;font-size:1.5rem;cursor:pointer}";

#[cfg(test)]
mod tests {
    use super::*;

    fn broken(message: &str) -> Vec<Diagnostic> {
        vec![
            Diagnostic::error("broken-link", "content/a.md", message)
                .at(3, 5)
                .with_suggestion(Some("setup.html".into())),
            Diagnostic::warning("front-matter", "content/b.md", "unknown key").at(2, 1),
        ]
    }

    #[test]
    fn the_overlay_lists_errors_escaped() {
        let html = overlay(&broken("broken link \"<setp>.html\"")).unwrap();
        assert!(html.contains(
            "<code class=\"docgen-overlay__where\">content/a.md:3:5</code> broken link \
             &quot;&lt;setp&gt;.html&quot; — did you mean &quot;setup.html&quot;?"
        ));
        assert!(html.contains("docgen: 1 error — this page reloads when it is fixed</p>"));
        assert!(!html.contains("unknown key"), "warnings are not listed");
        let warnings = [Diagnostic::warning("x", "content/b.md", "m")];
        assert_eq!(overlay(&warnings), None);
    }

    #[test]
    fn a_long_list_is_cut() {
        let many: Vec<Diagnostic> = (0..25)
            .map(|i| Diagnostic::error("x", format!("content/{i}.md"), "bad"))
            .collect();
        let html = overlay(&many).unwrap();
        assert_eq!(html.matches("<code").count(), OVERLAY_LIMIT);
        assert!(html.contains("and 5 more"));
    }

    #[test]
    fn outcomes_become_actions() {
        let hub = Hub::new(&[]);
        let (start, _) = hub.snapshot();
        assert_eq!(hub.publish(Update::Nothing, &[]), None);
        let css = hub
            .publish(Update::Css(vec!["theme.css".into()]), &[])
            .unwrap();
        assert_eq!((css.generation, css.action), (start + 1, Action::Css));
        assert_eq!(css.css, ["theme.css"]);
        let reload = hub.publish(Update::Files, &[]).unwrap();
        assert_eq!(reload.action, Action::Reload);

        let problems = hub.publish(Update::Files, &broken("one")).unwrap();
        assert_eq!(problems.action, Action::Problems);
        assert!(problems.overlay.as_deref().unwrap().contains("one"));
        assert_eq!(hub.snapshot().1, problems.overlay);
        // The same errors after another edit: nothing new to show.
        assert_eq!(hub.publish(Update::Files, &broken("one")), None);
        let other = hub.publish(Update::Nothing, &broken("two")).unwrap();
        assert_eq!(other.action, Action::Problems);
        // Fixed: reload, even when only a stylesheet changed or nothing at all.
        let fixed = hub.publish(Update::Nothing, &[]).unwrap();
        assert_eq!((fixed.action, fixed.overlay), (Action::Reload, None));
        assert_eq!(fixed.generation, start + 5);
    }

    #[test]
    fn a_poll_answers_when_the_generation_moves() {
        let hub = std::sync::Arc::new(Hub::new(&[]));
        let (start, _) = hub.snapshot();
        assert_eq!(hub.wait(None, Duration::ZERO).generation, start);
        let quiet = hub.wait(Some(start), Duration::from_millis(10));
        assert_eq!((quiet.generation, quiet.action), (start, Action::None));
        // An old generation is answered at once.
        assert_eq!(
            hub.wait(Some(start - 7), Duration::from_secs(600))
                .generation,
            start
        );

        let waiting = {
            let hub = hub.clone();
            std::thread::spawn(move || hub.wait(Some(start), Duration::from_secs(600)))
        };
        hub.publish(Update::Files, &[]);
        let message = waiting.join().unwrap();
        assert_eq!(
            (message.generation, message.action),
            (start + 1, Action::Reload)
        );

        let waiting = {
            let hub = hub.clone();
            std::thread::spawn(move || hub.wait(Some(start + 1), Duration::from_secs(600)))
        };
        hub.stop();
        assert_eq!(waiting.join().unwrap().action, Action::None);
    }

    #[test]
    fn messages_are_json() {
        let message = Message {
            generation: 7,
            action: Action::Css,
            css: vec!["theme.css".into()],
            overlay: None,
        };
        assert_eq!(
            message.to_json(),
            r#"{"generation":7,"action":"css","css":["theme.css"],"overlay":null}"#
        );
    }
}

//! The highlighter's memo of lines already highlighted, keyed by text and the grammar's state
//! before the line, so a line met again in the same state is copied instead of parsed.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::{Mutex, PoisonError};

use syntect::html::line_tokens_to_classed_spans;
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};

use super::CLASS_STYLE;

/// Where the highlighting of a block stands between two lines: the grammar's parse state and
/// the scopes open (what `ClassedHTMLGenerator` keeps). Together with a line's text it decides
/// that line's HTML and the state after it, which is why a line can be memoised.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct LineState {
    pub(super) parse: ParseState,
    pub(super) scopes: ScopeStack,
}

/// One highlighted line: the state it started in, its HTML, the spans it left open (or closed,
/// when negative) and the state after it.
struct Step {
    from: LineState,
    html: Box<str>,
    open_spans: isize,
    to: LineState,
}

// SAFETY: `ParseState` is not `Send` only because, with syntect's onig regex engine, the state
// of a grammar whose end pattern refers back to its start (a heredoc's delimiter) keeps the
// captures in an `onig::Region`: a heap block of plain integers from `onig_region_new`, freed by
// `onig_region_free` on drop, bound to no thread and to no regex. A `Step` is only read, cloned
// from or dropped while the `Mutex` of its shard is held, so no two threads touch one at once;
// that is all `Mutex<T>: Sync` needs of `T: Send`.
unsafe impl Send for Step {}

/// Lines already highlighted, by text. Guides repeat lines (the same `curl` header, the same
/// JSON keys) across hundreds of code blocks, and grammar regexes are the costliest part of a
/// build: a line met again in the same state is copied, not parsed. Exact by construction (a
/// hit needs equal text and equal state), so the HTML is the same either way. Sharded so the
/// render threads rarely wait on one another, and bounded so a site of unique code cannot
/// grow it without limit: once full, new lines are highlighted and not kept.
pub(super) struct LineMemo {
    shards: Vec<Mutex<MemoShard>>,
    hasher: std::collections::hash_map::RandomState,
    /// The bound of each shard, in bytes (`MEMO_SHARD_BYTES`; smaller in tests).
    shard_bytes: usize,
}

#[derive(Default)]
struct MemoShard {
    lines: HashMap<Box<str>, Vec<Step>>,
    bytes: usize,
}

pub(super) const MEMO_SHARDS: usize = 16;
/// The memo's bound: about 32 MiB in all.
const MEMO_SHARD_BYTES: usize = 2 << 20;
/// States kept per line text: a line seen in more states than this is rare and cheap to parse.
const MEMO_STATES_PER_LINE: usize = 4;
/// What a `Step` costs beyond its texts (two parse states and scope stacks, roughly).
const STEP_OVERHEAD: usize = 384;

impl Default for LineMemo {
    fn default() -> Self {
        LineMemo::with_bound(MEMO_SHARD_BYTES)
    }
}

impl LineMemo {
    pub(super) fn with_bound(shard_bytes: usize) -> Self {
        LineMemo {
            shards: (0..MEMO_SHARDS).map(|_| Mutex::default()).collect(),
            hasher: Default::default(),
            shard_bytes,
        }
    }

    /// The bytes kept, by the memo's own count.
    #[cfg(test)]
    pub(super) fn bytes(&self) -> usize {
        let shards = self.shards.iter();
        shards.map(|s| s.lock().unwrap().bytes).sum()
    }

    /// Appends the HTML of `line` (which ends in its line break, if it has one) to `html` and
    /// moves `state` past it; returns the change in open spans, `None` when the grammar fails.
    pub(super) fn step(
        &self,
        line: &str,
        state: &mut LineState,
        html: &mut String,
        syntaxes: &SyntaxSet,
    ) -> Option<isize> {
        let shard = &self.shards[self.hasher.hash_one(line) as usize % MEMO_SHARDS];
        {
            let shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(step) = shard
                .lines
                .get(line)
                .and_then(|steps| steps.iter().find(|s| s.from == *state))
            {
                html.push_str(&step.html);
                *state = step.to.clone();
                return Some(step.open_spans);
            }
        }
        let from = state.clone();
        let ops = state.parse.parse_line(line, syntaxes).ok()?;
        let (text, open_spans) =
            line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut state.scopes).ok()?;
        html.push_str(&text);
        let mut shard = shard.lock().unwrap_or_else(PoisonError::into_inner);
        let cost = line.len() + text.len() + STEP_OVERHEAD;
        if shard.bytes + cost <= self.shard_bytes {
            let steps = shard.lines.entry(line.into()).or_default();
            if steps.len() < MEMO_STATES_PER_LINE && !steps.iter().any(|s| s.from == from) {
                steps.push(Step {
                    from,
                    html: text.into(),
                    open_spans,
                    to: state.clone(),
                });
                shard.bytes += cost;
            }
        }
        Some(open_spans)
    }
}

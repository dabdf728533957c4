//! From a place in a page's expanded text back to where the writer wrote it: the page, or an
//! include with the chain of tags that brought it in. Built from the markers `prepare` put in
//! and Liquid carried through; Markdown rendering asks it for every link's position.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::compiled::Compiled;
use super::markers::Marker;
use super::tags::Instance;
use crate::markdown::{Locate, Location, Origin};

/// A marker read back: from byte `out` of the expanded text on, the text is piece
/// `src..src + len` of file `slot` (copied as it is), then whatever Liquid generated there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    out: usize,
    slot: u32,
    src: usize,
    len: usize,
    /// The include instance it came through (0: the page).
    instance: u32,
}

pub struct SourceMap {
    /// Where the page's body starts in the expanded text (and in the page's file).
    body_offset: usize,
    marks: Vec<Mark>,
    /// The page (slot 0) and every file it included, by slot.
    files: BTreeMap<u32, Arc<Compiled>>,
    instances: Vec<Instance>,
}

impl SourceMap {
    /// `markers` were read from the expanded body, which starts at `body_offset`.
    pub fn new(
        body_offset: usize,
        markers: &[(usize, Marker)],
        files: BTreeMap<u32, Arc<Compiled>>,
        instances: Vec<Instance>,
    ) -> SourceMap {
        let mut marks = Vec::with_capacity(markers.len());
        let mut open = vec![0u32];
        for &(at, marker) in markers {
            let out = body_offset + at;
            let current = *open.last().unwrap_or(&0);
            match marker {
                Marker::Piece { slot, index } => {
                    if let Some(piece) = files.get(&slot).and_then(|f| f.pieces.get(index as usize))
                    {
                        marks.push(Mark {
                            out,
                            slot,
                            src: piece.src,
                            len: piece.len,
                            instance: current,
                        });
                    }
                }
                Marker::Begin { instance } => {
                    if let Some(i) = instances.get(instance as usize - 1) {
                        open.push(instance);
                        marks.push(Mark {
                            out,
                            slot: i.compiled.slot,
                            src: 0,
                            len: 0,
                            instance,
                        });
                    }
                }
                Marker::End => {
                    if open.len() > 1 {
                        let closed = open.pop().unwrap_or(0);
                        let i = &instances[closed as usize - 1];
                        marks.push(Mark {
                            out,
                            slot: i.parent_file.slot,
                            src: i.at,
                            len: 0,
                            instance: i.parent,
                        });
                    }
                }
            }
        }
        SourceMap {
            body_offset,
            marks,
            files,
            instances,
        }
    }

    fn page(&self) -> &Compiled {
        &self.files[&0]
    }

    /// File `slot` (the page when unknown: only a site with more includes than markers can
    /// number has such slots).
    fn file(&self, slot: u32) -> &Arc<Compiled> {
        self.files.get(&slot).unwrap_or(&self.files[&0])
    }

    /// The last mark at or before `offset`, and how far past it `offset` is.
    fn mark_at(&self, offset: usize) -> Option<(&Mark, usize)> {
        let i = self.marks.partition_point(|m| m.out <= offset);
        let mark = self.marks.get(i.checked_sub(1)?)?;
        Some((mark, offset - mark.out))
    }

    fn instance(&self, n: u32) -> Option<&Instance> {
        self.instances.get((n as usize).checked_sub(1)?)
    }

    /// A location in file `slot` reached through `instance`.
    fn location(&self, slot: u32, instance: u32, line: u32, column: u32, len: u32) -> Location {
        let origin = (slot != 0).then(|| {
            let file = self.file(slot);
            Arc::new(Origin {
                file: file.path.clone(),
                text: Arc::clone(&file.text),
                notes: self.included_from(slot, instance).into_iter().collect(),
            })
        });
        Location {
            line,
            column,
            len,
            origin,
        }
    }

    /// `included from content/x.md:14 → includes/a.html:3` for file `slot`, when `instance`
    /// (or one of the instances that led to it) rendered that file.
    fn included_from(&self, slot: u32, instance: u32) -> Option<String> {
        let mut n = instance;
        while let Some(i) = self.instance(n) {
            if i.compiled.slot == slot {
                break;
            }
            n = i.parent;
        }
        let mut chain = Vec::new();
        while let Some(i) = self.instance(n) {
            chain.push(i.parent_file.line_ref(i.at));
            n = i.parent;
        }
        if chain.is_empty() {
            return None;
        }
        chain.reverse();
        Some(format!("included from {}", chain.join(" → ")))
    }

    /// The places that produced generated text at `(slot, src)`: that spot, then each include
    /// tag that led to it.
    fn producers(&self, slot: u32, src: usize, instance: u32) -> Vec<(u32, usize, u32)> {
        let mut places = vec![(slot, src, instance)];
        let mut n = instance;
        while let Some(i) = self.instance(n) {
            places.push((i.parent_file.slot, i.at, i.parent));
            n = i.parent;
        }
        places
    }
}

impl Locate for SourceMap {
    fn locate(&self, start: usize, first_line: &str) -> Location {
        let chars = first_line.chars().count() as u32;
        if start < self.body_offset {
            let (line, column) = self.page().position(start);
            return self.location(0, 0, line, column, chars);
        }
        match self.mark_at(start) {
            // Written as it is: exact.
            Some((mark, delta)) if delta < mark.len => {
                let file = self.file(mark.slot);
                let (line, column) = file.position(mark.src + delta);
                let len = if delta + first_line.len() <= mark.len {
                    chars
                } else {
                    // The link holds generated text: underline up to where its first line ends.
                    match self.mark_at(start + first_line.len()) {
                        Some((end, d)) if end.slot == mark.slot && d <= end.len => {
                            let (end_line, end_column) = file.position(end.src + d);
                            if end_line == line && end_column > column {
                                end_column - column
                            } else {
                                chars
                            }
                        }
                        _ => chars,
                    }
                };
                self.location(mark.slot, mark.instance, line, column, len)
            }
            // Generated (a variable's value, an include parameter): find the text where it was
            // written, in the expression's line or in the include tags that led there.
            found => {
                let (slot, src, instance) = match found {
                    Some((mark, _)) => (mark.slot, mark.src + mark.len, mark.instance),
                    None => (0, self.body_offset, 0),
                };
                let places = self.producers(slot, src, instance);
                if !first_line.is_empty() {
                    for &(slot, src, instance) in &places {
                        let file = self.file(slot);
                        let (line, _) = file.position(src);
                        if let Some(i) = file.line_text(line).find(first_line) {
                            let (_, column) = file.position(file.line_start(line) + i);
                            return self.location(slot, instance, line, column, chars);
                        }
                    }
                }
                let (line, column) = self.file(slot).position(src);
                self.location(slot, instance, line, column, chars)
            }
        }
    }

    fn page_text<'t>(&'t self, _rendered: &'t str) -> &'t str {
        &self.page().text
    }
}

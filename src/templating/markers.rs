//! Parse stage, content templating: the markers `prepare` puts in place of a file's plain text —
//! two private-use characters naming the file (its slot) and the stretch (a piece), or the
//! start and end of an include's output — and `unmark`, which reads them back out of what
//! Liquid wrote.

/// Plane 16 private use: a piece marker's first character is `SLOT_BASE + slot`.
pub(super) const SLOT_BASE: u32 = 0x10_0000;
/// Plane 15 private use: a marker's second character is `NUMBER_BASE + n`.
pub(super) const NUMBER_BASE: u32 = 0xF_0000;
/// The largest number a marker character holds.
pub(super) const MAX_NUMBER: u32 = 0xFFFD;
/// Starts an include's output; followed by a number character holding the include instance.
pub(super) const BEGIN: u32 = SLOT_BASE + 0xFFFD;
/// Ends an include's output.
pub(super) const END: u32 = SLOT_BASE + 0xFFFC;
/// The highest slot a file can have.
pub const MAX_SLOT: u32 = 0xFFFB;
pub(super) fn push_marker(out: &mut String, first: u32, number: u32) {
    out.push(char::from_u32(first).expect("a private-use character"));
    out.push(char::from_u32(NUMBER_BASE + number).expect("a private-use character"));
}

pub(super) fn is_marker_char(c: char) -> bool {
    let c = c as u32;
    (NUMBER_BASE..=NUMBER_BASE + MAX_NUMBER).contains(&c) || (SLOT_BASE..=BEGIN).contains(&c)
}

/// Writes the marker that starts include instance `instance`'s output; `false` when there are
/// too many instances to number.
pub fn begin_marker(out: &mut String, instance: u32) -> bool {
    if instance > MAX_NUMBER {
        return false;
    }
    push_marker(out, BEGIN, instance);
    true
}

/// The marker that ends an include's output.
pub fn end_marker() -> char {
    char::from_u32(END).expect("a private-use character")
}

/// One marker read back: at byte `out` of the clean text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// Piece `index` of file `slot` starts here.
    Piece { slot: u32, index: u32 },
    /// Include instance `instance` starts here.
    Begin { instance: u32 },
    /// The innermost include's output ends here.
    End,
}

/// Puts the text back in Liquid's output: each piece marker becomes the text `piece(slot,
/// index)` gives, the others go. Returns the expanded text and each marker with its offset in
/// it. A marker `piece` does not know (text that happened to hold such characters) stays.
pub fn unmark<'t>(
    output: &str,
    piece: impl Fn(u32, u32) -> Option<&'t str>,
) -> (String, Vec<(usize, Marker)>) {
    let mut clean = String::with_capacity(output.len());
    let mut markers = Vec::new();
    let bytes = output.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    // Marker characters are four bytes long and start with 0xF3 or 0xF4.
    while let Some(i) = bytes[at..].iter().position(|&b| b >= 0xF3) {
        let start = at + i;
        let mut chars = output[start..].chars();
        let first = chars.next().map_or(0, |c| c as u32);
        let number = chars
            .next()
            .map(|c| c as u32)
            .filter(|n| (NUMBER_BASE..=NUMBER_BASE + MAX_NUMBER).contains(n))
            .map(|n| n - NUMBER_BASE);
        let text = (SLOT_BASE..=SLOT_BASE + MAX_SLOT)
            .contains(&first)
            .then_some(number)
            .flatten()
            .and_then(|index| piece(first - SLOT_BASE, index));
        let (marker, len) = match (first, number, text) {
            (END, _, _) => (Some(Marker::End), 4),
            (BEGIN, Some(instance), _) => (Some(Marker::Begin { instance }), 8),
            (slot, Some(index), Some(_)) => (
                Some(Marker::Piece {
                    slot: slot - SLOT_BASE,
                    index,
                }),
                8,
            ),
            _ => (
                None,
                output[start..].chars().next().map_or(1, char::len_utf8),
            ),
        };
        if let Some(marker) = marker {
            clean.push_str(&output[copied..start]);
            markers.push((clean.len(), marker));
            clean.push_str(text.unwrap_or(""));
            copied = start + len;
        }
        at = start + len;
    }
    clean.push_str(&output[copied..]);
    (clean, markers)
}

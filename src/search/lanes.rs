//! Render stage, search: sixteen bytes of text tested at once. The word cutter (terms.rs),
//! the whitespace collapser (extract.rs) and the JSON writer of fragments (shards.rs) each
//! read every byte of the index's text, and one compare of sixteen bytes costs what a compare
//! of one does. SSE2 on x86_64, where every CPU has it; elsewhere byte by byte, with the same
//! answers (the tests hold the two to each other on every byte in every lane).

/// The bytes tested at once.
pub const LANES: usize = 16;

/// Bit `i` set where byte `i` of `chunk` is from `first` to `last` (unsigned).
#[inline(always)]
pub fn within(chunk: &[u8; LANES], first: u8, last: u8) -> u16 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of every x86_64 target, so the feature is always there.
        unsafe { sse2::within(chunk, first, last) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        bytewise::within(chunk, first, last)
    }
}

/// Bit `i` set where byte `i` of `chunk` is `byte`.
#[inline(always)]
pub fn equal(chunk: &[u8; LANES], byte: u8) -> u16 {
    within(chunk, byte, byte)
}

/// The sixteen bytes at `at` of `bytes`, when there are sixteen.
#[inline(always)]
fn chunk_at(bytes: &[u8], at: usize) -> Option<&[u8; LANES]> {
    bytes.get(at..at + LANES)?.try_into().ok()
}

/// Where the first byte from `at` of `bytes` that `test` marks is (`test` gives a chunk's
/// mask, bit `i` for byte `i`), or the end of `bytes`: sixteen bytes a test, the last few too
/// (`Chunk`), so `test` may see bytes before `at` and zeros past the end; its marks there
/// do not count.
#[inline(always)]
pub fn find(bytes: &[u8], mut at: usize, test: impl Fn(&[u8; LANES]) -> u16) -> usize {
    while let Some(chunk) = chunk_at(bytes, at) {
        let marked = test(chunk);
        if marked != 0 {
            return at + marked.trailing_zeros() as usize;
        }
        at += LANES;
    }
    if at >= bytes.len() {
        return bytes.len();
    }
    let chunk = Chunk::from(bytes, at);
    match chunk.bits(test(&chunk.bytes)) {
        0 => bytes.len(),
        marked => at + marked.trailing_zeros() as usize,
    }
}

/// The last bytes of a text, fewer than `LANES` from `at`, as a chunk to test: the text's
/// last `LANES` bytes, or (a text shorter than that) its bytes from `at` followed by zeros.
/// Most texts end in a part chunk, and many are short: read this way, they take one test,
/// not one a byte.
struct Chunk {
    bytes: [u8; LANES],
    /// How many lanes come before `at`: the low bits a caller shifts out of a mask.
    before: u32,
    /// How many lanes from `at` on are the text's (the bits of a shifted mask that count).
    lanes: usize,
}

impl Chunk {
    /// The chunk of `bytes` from `at`, which is inside it, fewer than `LANES` bytes from
    /// the end.
    #[inline(always)]
    fn from(bytes: &[u8], at: usize) -> Chunk {
        let left = bytes.len() - at;
        match bytes
            .len()
            .checked_sub(LANES)
            .and_then(|start| chunk_at(bytes, start).map(|chunk| (start, chunk)))
        {
            Some((start, chunk)) => Chunk {
                bytes: *chunk,
                before: (at - start) as u32,
                lanes: left,
            },
            None => {
                let mut padded = [0; LANES];
                padded[..left].copy_from_slice(&bytes[at..]);
                Chunk {
                    bytes: padded,
                    before: 0,
                    lanes: left,
                }
            }
        }
    }

    /// `mask` (of `bytes`) from `at` on: shifted, the bits past the text cleared.
    #[inline(always)]
    fn bits(&self, mask: u16) -> u16 {
        (mask >> self.before) & (u16::MAX >> (LANES - self.lanes))
    }
}

/// For tests of the users of `find`: a text of letters and digits with each of `pieces` put
/// at each place before `places`, whole and cut short (just after the piece, and at fifteen
/// bytes or fewer): a piece in every lane of the first chunks, in a text's last bytes, in a
/// text shorter than a chunk.
#[cfg(test)]
pub fn texts_with_pieces(pieces: &[&str], places: usize) -> Vec<String> {
    let mut texts = Vec::new();
    for at in 0..places {
        for piece in pieces {
            let mut text = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL".to_string();
            text.insert_str(at, piece);
            let short = (0..=15)
                .rev()
                .find(|&end| text.is_char_boundary(end))
                .unwrap_or(0);
            for end in [text.len(), at + piece.len(), short] {
                texts.push(text[..end].to_string());
            }
        }
    }
    texts
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_set_epi64x, _mm_set1_epi8,
        _mm_sub_epi8,
    };

    use super::LANES;

    /// `super::within`: `byte - first <= last - first`, unsigned, as `min(x, bound) == x`.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn within(chunk: &[u8; LANES], first: u8, last: u8) -> u16 {
        let v = load(chunk);
        let shifted = _mm_sub_epi8(v, _mm_set1_epi8(first as i8));
        let bound = _mm_set1_epi8(last.wrapping_sub(first) as i8);
        let inside = _mm_cmpeq_epi8(_mm_min_epu8(shifted, bound), shifted);
        _mm_movemask_epi8(inside) as u16
    }

    /// The chunk as a vector, built from two words (one unaligned load once compiled), so no
    /// pointer is read.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn load(chunk: &[u8; LANES]) -> __m128i {
        let x = u128::from_le_bytes(*chunk);
        _mm_set_epi64x((x >> 64) as i64, x as i64)
    }
}

#[cfg_attr(all(target_arch = "x86_64", not(test)), expect(dead_code))]
mod bytewise {
    use super::LANES;

    pub fn within(chunk: &[u8; LANES], first: u8, last: u8) -> u16 {
        chunk
            .iter()
            .enumerate()
            .filter(|(_, byte)| (first..=last).contains(*byte))
            .fold(0, |mask, (n, _)| mask | 1 << n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_holds_the_bytes_from_its_place_and_says_which_lanes_they_are() {
        let text: Vec<u8> = (1..=40).collect();
        for len in 1..text.len() {
            let bytes = &text[..len];
            for at in len.saturating_sub(LANES - 1)..len {
                let chunk = Chunk::from(bytes, at);
                let before = chunk.before as usize;
                let seen = &chunk.bytes[before..before + chunk.lanes];
                assert_eq!(seen, &bytes[at..at + chunk.lanes], "{len} {at}");
                assert_eq!(chunk.lanes, len - at, "{len} {at}");
                // The mask of every byte from `at` has a bit for each of the text's lanes.
                let all = chunk.bits(within(&chunk.bytes, 1, 40));
                assert_eq!(all.count_ones() as usize, chunk.lanes, "{len} {at}");
                assert_eq!(all.trailing_ones() as usize, chunk.lanes, "{len} {at}");
            }
        }
    }

    #[test]
    fn the_first_marked_byte_is_found_from_anywhere() {
        let text = b"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for len in 0..text.len() {
            let bytes = &text[..len];
            for at in 0..=len {
                for marked in [b'a', b'p', b'q', b'z', b'0', b'9', b'A', b'Z', b'!'] {
                    let want = (at..len).find(|&i| bytes[i] == marked).unwrap_or(len);
                    let got = find(bytes, at, |chunk| equal(chunk, marked));
                    assert_eq!(got, want, "{len} {at} {}", marked as char);
                }
            }
        }
    }

    #[test]
    fn every_byte_in_every_lane_is_told_as_byte_by_byte() {
        // Bounds at the edges of the signed and unsigned ranges, beside neighbours of each kind.
        let bounds = [
            (0, 0x1f),
            (0x20, 0x20),
            (0x21, 0x7f),
            (b'0', b'9'),
            (b'A', b'Z'),
            (b'a', b'z'),
            (0x80, 0xff),
            (0, 0xff),
            (0x7f, 0x80),
            (b'"', b'"'),
        ];
        for b in 0..=255u8 {
            for fill in [0, b' ', b'a', 0x7f, 0x80, 0xff] {
                for lane in 0..LANES {
                    let mut chunk = [fill; LANES];
                    chunk[lane] = b;
                    for (first, last) in bounds {
                        assert_eq!(
                            within(&chunk, first, last),
                            bytewise::within(&chunk, first, last),
                            "{chunk:?} {first} {last}"
                        );
                    }
                    let want = if b == b'"' { 1 << lane } else { 0 };
                    assert_eq!(equal(&chunk, b'"'), want);
                }
            }
        }
    }
}

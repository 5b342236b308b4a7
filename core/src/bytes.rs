//! Counting over a text's bytes eight at a time: the passes the core makes
//! over a whole text (line breaks for line and column, characters for the
//! offsets Python counts in) are its only per-byte work besides the scan.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

fn chunk(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(bytes.try_into().unwrap())
}

/// How many bytes of `hay` are `needle`.
pub(crate) fn count_byte(hay: &[u8], needle: u8) -> usize {
    let mut chunks = hay.chunks_exact(8);
    let mut n = 0;
    for c in &mut chunks {
        let x = chunk(c) ^ (ONES * needle as u64);
        // the top bit of each byte of x that is zero, and of no other
        let zero = !(((x & !HIGH) + !HIGH) | x) & HIGH;
        n += zero.count_ones() as usize;
    }
    n + chunks.remainder().iter().filter(|&&b| b == needle).count()
}

/// How many bytes `bytes` starts with that a scan for capitalised words
/// passes over, eight at a time where it can: ASCII that is not a capital
/// (what it stops at, a capital or a byte beyond ASCII, it looks at itself).
pub(crate) fn plain_lowercase(bytes: &[u8]) -> usize {
    let mut at = 0;
    while let Some(c) = bytes.get(at..at + 8) {
        let flagged = capital_or_wide(chunk(c));
        if flagged != 0 {
            return at + (flagged.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at
}

/// The top bit of each byte of `word` (8 bytes of text, the first in the
/// lowest) that is an ASCII capital or not ASCII.
fn capital_or_wide(word: u64) -> u64 {
    let low = word & !HIGH; // (each byte below 0x80: the sums below carry into no other byte)
    let from_a = (low + ONES * (0x80 - b'A' as u64)) & HIGH;
    let past_z = (low + ONES * (0x80 - b'Z' as u64 - 1)) & HIGH;
    (word & HIGH) | (from_a & !past_z)
}

/// How many characters the UTF-8 bytes `bytes` hold (those that do not
/// continue one).
pub(crate) fn count_chars(bytes: &[u8]) -> usize {
    bytes.len() - continuation_bytes(bytes)
}

fn continuation_bytes(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(8);
    let mut n = 0;
    for c in &mut chunks {
        let x = chunk(c);
        n += (x & !(x << 1) & HIGH).count_ones() as usize; // 10xxxxxx
    }
    n + chunks
        .remainder()
        .iter()
        .filter(|&&b| b & 0xc0 == 0x80)
        .count()
}

/// The byte offset in `text` of the character `chars` characters after
/// byte `from` (a character boundary); None past the end.
pub(crate) fn char_to_byte(text: &str, from: usize, chars: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut at, mut left) = (from, chars);
    // whole chunks while more than eight characters are left: the characters
    // that start in a chunk are passed, with the bytes that end the last one
    while left >= 8 && at + 8 <= bytes.len() {
        let x = chunk(&bytes[at..at + 8]);
        left -= 8 - (x & !(x << 1) & HIGH).count_ones() as usize;
        at += 8;
        while bytes.get(at).is_some_and(|&b| b & 0xc0 == 0x80) {
            at += 1;
        }
    }
    let mut rest = text.get(at..)?.char_indices().map(|(b, _)| at + b);
    rest.nth(left)
        .or_else(|| (left == text[at..].chars().count()).then_some(text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_is_counted_wherever_it_stands() {
        let text = "a\nb\n\n\r\nccccccc\n€\nd";
        for start in 0..text.len() {
            for end in start..=text.len() {
                let seg = &text.as_bytes()[start..end];
                let expected = seg.iter().filter(|&&b| b == b'\n').count();
                assert_eq!(count_byte(seg, b'\n'), expected);
                assert_eq!(
                    count_byte(seg, 0x82),
                    seg.iter().filter(|&&b| b == 0x82).count()
                );
            }
        }
    }

    #[test]
    fn a_scan_passes_over_ascii_that_is_not_a_capital_and_stops_at_anything_else() {
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut text = *b"abcdefghijklmnopqrst";
                text[at] = b;
                let stops = b.is_ascii_uppercase() || !b.is_ascii();
                // (the last 4 bytes, less than a chunk, are the scan's to look at one by one)
                let expected = if stops && at < 16 { at } else { 16 };
                assert_eq!(plain_lowercase(&text), expected, "byte {b:#x} at {at}");
            }
        }
    }

    #[test]
    fn characters_are_counted_and_found_as_rust_counts_them() {
        let text = "Ḥafter and Sirt — again Sirt, 𝔘nicode ok: Ṭarābulus ééééééééé end";
        let starts: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .chain([text.len()])
            .collect();
        for (k, &from) in starts.iter().enumerate() {
            for (n, &expected) in starts[k..].iter().enumerate() {
                assert_eq!(
                    char_to_byte(text, from, n),
                    Some(expected),
                    "from {from}, {n} characters"
                );
            }
            assert_eq!(char_to_byte(text, from, starts.len() - k), None);
            assert_eq!(count_chars(&text.as_bytes()[from..]), starts.len() - 1 - k);
        }
    }
}

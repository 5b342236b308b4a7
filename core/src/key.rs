//! The transliteration key: the consonant skeleton of a romanised Arabic
//! word (`normalize.text.keys.translit_key`).  The Python rules stay the
//! specification (`keys.translit_key_spec`); tests/test_core.py holds this
//! function to them.

use pyo3::prelude::*;

const VOWELS: &[u8] = b"aeiouy";

/// Whether `pattern` (a few letters) stands at `s[at..]`, compared byte by
/// byte: a slice comparison calls `memcmp`, dear for two or three bytes.
#[inline]
fn stands_at(s: &[u8], at: usize, pattern: &[u8]) -> bool {
    s.len() - at >= pattern.len() && pattern.iter().zip(&s[at..]).all(|(a, b)| a == b)
}

/// `from` replaced by `to` (no longer than it) from left to right, in
/// place: the key is worked out in one buffer, without a new one per rule
/// (it is asked for every word next to a name).
fn replace_all(s: &mut Vec<u8>, from: &[u8], to: &[u8]) {
    debug_assert!(to.len() <= from.len());
    if !(0..s.len()).any(|at| stands_at(s, at, from)) {
        return;
    }
    let (mut read, mut write) = (0, 0);
    while read < s.len() {
        // (what is written never passes what is still to be read)
        if stands_at(s, read, from) {
            s[write..write + to.len()].copy_from_slice(to);
            write += to.len();
            read += from.len();
        } else {
            s[write] = s[read];
            write += 1;
            read += 1;
        }
    }
    s.truncate(write);
}

/// The key of a word already folded and lowercased: the rewrite rules of
/// `_KEY_RULES`, in their order, then the vowels dropped after the first
/// letter, uppercase.
pub fn key_of(lowered: &str) -> String {
    let mut s: Vec<u8> = Vec::with_capacity(lowered.len() * 2);
    s.extend(lowered.bytes().filter(u8::is_ascii_lowercase));
    if s.len() > 2 && stands_at(&s, 0, b"ou") && b"aeiy".contains(&s[2]) {
        s.splice(0..2, *b"w");
    }
    for (from, to) in [
        (&b"ou"[..], &b"u"[..]),
        (b"dj", b"j"),
        (b"tch", b"ch"),
        (b"kh", b"k"),
        (b"gh", b"g"),
        (b"dh", b"d"),
        (b"th", b"t"),
    ] {
        replace_all(&mut s, from, to);
    }
    // sh | ch | sch, tried in that order at each place
    let (mut read, mut write) = (0, 0);
    while read < s.len() {
        let skip = if stands_at(&s, read, b"sh") || stands_at(&s, read, b"ch") {
            2
        } else if stands_at(&s, read, b"sch") {
            3
        } else {
            0
        };
        if skip > 0 {
            s[write] = b's';
            read += skip;
        } else {
            s[write] = s[read];
            read += 1;
        }
        write += 1;
    }
    s.truncate(write);
    for (from, to) in [(&b"ph"[..], &b"f"[..]), (b"ck", b"k")] {
        replace_all(&mut s, from, to);
    }
    let mut mapped = Vec::with_capacity(s.len() * 2);
    for &c in &s {
        match c {
            b'q' | b'g' | b'c' => mapped.push(b'k'),
            b'p' => mapped.push(b'b'),
            b'v' => mapped.push(b'f'),
            b'x' => mapped.extend_from_slice(b"ks"),
            _ => mapped.push(c),
        }
    }
    let mut s = mapped;
    // a final h after a vowel goes; then any h after a letter that is not a vowel
    if s.len() > 1 && s[s.len() - 1] == b'h' && VOWELS.contains(&s[s.len() - 2]) {
        s.pop();
    }
    let mut write = 0;
    for read in 0..s.len() {
        // (s[read - 1] is still the letter that was there: what is written
        // only reaches it when nothing before was dropped, and is then itself)
        let c = s[read];
        if !(c == b'h' && read > 0 && !VOWELS.contains(&s[read - 1])) {
            s[write] = c;
            write += 1;
        }
    }
    s.truncate(write);
    s.dedup(); // (runs of one letter cut to one)
    let Some((&first, tail)) = s.split_first() else {
        return String::new();
    };
    let consonant_next = tail
        .first()
        .is_none_or(|c| b"bcdfghjklmnpqrstvwxz".contains(c));
    let head = if b"aeiou".contains(&first) || (first == b'y' && consonant_next) {
        b'a'
    } else {
        first
    };
    let mut skeleton = String::with_capacity(s.len());
    skeleton.push(head.to_ascii_uppercase() as char);
    for &c in tail.iter().filter(|c| !VOWELS.contains(c)) {
        let c = c.to_ascii_uppercase() as char;
        if !skeleton.ends_with(c) {
            skeleton.push(c);
        }
    }
    skeleton
}

/// `key_of` for Python.
#[pyfunction]
pub fn translit_key(lowered: &str) -> String {
    key_of(lowered)
}

#[cfg(test)]
mod tests {
    use super::key_of;

    #[test]
    fn spellings_of_one_name_share_a_key() {
        assert_eq!(key_of("tarhounah"), "TRN");
        assert_eq!(key_of("tharouna"), "TRN");
        assert_eq!(key_of("hafter"), "HFTR");
        assert_eq!(key_of("heftar"), "HFTR");
    }

    #[test]
    fn an_initial_vowel_is_kept_as_a() {
        assert_eq!(key_of("ajdabiya"), key_of("ejdabia"));
        assert_eq!(key_of("ouadi"), "WD");
    }

    #[test]
    fn nothing_but_non_letters_has_no_key() {
        assert_eq!(key_of("’-2"), "");
    }
}

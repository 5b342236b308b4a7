//! The transliteration key: the consonant skeleton of a romanised Arabic
//! word (`normalize.text.keys.translit_key`).  The Python rules stay the
//! specification (`keys.translit_key_spec`); tests/test_core.py holds this
//! function to them.

use pyo3::prelude::*;

const VOWELS: &[u8] = b"aeiouy";

fn replace_all(s: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    out
}

fn collapse_runs(s: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    for &c in s {
        if out.last() != Some(&c) {
            out.push(c);
        }
    }
    out
}

/// The key of a word already folded and lowercased: the rewrite rules of
/// `_KEY_RULES`, in their order, then the vowels dropped after the first
/// letter, uppercase.
pub fn key_of(lowered: &str) -> String {
    let mut s: Vec<u8> = lowered.bytes().filter(u8::is_ascii_lowercase).collect();
    if s.len() > 2 && s.starts_with(b"ou") && b"aeiy".contains(&s[2]) {
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
        s = replace_all(&s, from, to);
    }
    // sh | ch | sch, tried in that order at each place
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with(b"sh") || rest.starts_with(b"ch") {
            out.push(b's');
            i += 2;
        } else if rest.starts_with(b"sch") {
            out.push(b's');
            i += 3;
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    s = out;
    for (from, to) in [(&b"ph"[..], &b"f"[..]), (b"ck", b"k")] {
        s = replace_all(&s, from, to);
    }
    let mut out = Vec::with_capacity(s.len() + 2);
    for &c in &s {
        match c {
            b'q' | b'g' | b'c' => out.push(b'k'),
            b'p' => out.push(b'b'),
            b'v' => out.push(b'f'),
            b'x' => out.extend_from_slice(b"ks"),
            _ => out.push(c),
        }
    }
    s = out;
    // a final h after a vowel goes; then any h after a letter that is not a vowel
    if s.len() > 1 && s[s.len() - 1] == b'h' && VOWELS.contains(&s[s.len() - 2]) {
        s.pop();
    }
    let s: Vec<u8> = s
        .iter()
        .enumerate()
        .filter(|&(i, &c)| !(c == b'h' && i > 0 && !VOWELS.contains(&s[i - 1])))
        .map(|(_, &c)| c)
        .collect();
    let s = collapse_runs(&s);
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
    let mut skeleton = vec![head];
    skeleton.extend(tail.iter().filter(|c| !VOWELS.contains(c)));
    collapse_runs(&skeleton)
        .iter()
        .map(|c| c.to_ascii_uppercase() as char)
        .collect()
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

//! Short strings made on the stack: the words next to a name are looked up
//! in capitals, in lowercase or joined in pairs, thousands of times a text,
//! and a `String` for each was a tenth of the core's work in allocation.

use std::ops::Deref;

const ROOM: usize = 64;

/// A string of at most `ROOM` bytes on the stack, or a longer one on the heap.
pub(crate) struct Small(Repr);

// (private: only `joined` and `lower` make one, from whole `str`s)
enum Repr {
    Stack([u8; ROOM], usize),
    Heap(String),
}

impl Deref for Small {
    type Target = str;

    fn deref(&self) -> &str {
        match &self.0 {
            // SAFETY: a stack string is only ever filled by `joined`, from
            // whole `str`s with ASCII bytes case mapped, which keeps UTF-8
            // whole (checking it again cost a tenth of the lookups it serves).
            Repr::Stack(buf, len) => unsafe { std::str::from_utf8_unchecked(&buf[..*len]) },
            Repr::Heap(s) => s,
        }
    }
}

/// `parts` joined, each byte mapped by `map` (an ASCII case mapping, which
/// keeps UTF-8 whole).
fn joined(parts: &[&str], map: fn(&u8) -> u8) -> Small {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if len > ROOM {
        let s: String = parts.concat();
        let bytes: Vec<u8> = s.bytes().map(|b| map(&b)).collect();
        return Small(Repr::Heap(String::from_utf8(bytes).expect("UTF-8")));
    }
    let mut buf = [0u8; ROOM];
    let mut at = 0;
    for part in parts {
        for (slot, b) in buf[at..at + part.len()].iter_mut().zip(part.bytes()) {
            *slot = map(&b);
        }
        at += part.len();
    }
    debug_assert!(std::str::from_utf8(&buf[..at]).is_ok());
    Small(Repr::Stack(buf, at))
}

/// `s` with ASCII letters in lowercase (`str::to_ascii_lowercase`).
pub(crate) fn ascii_lower(s: &str) -> Small {
    joined(&[s], u8::to_ascii_lowercase)
}

/// `s` with ASCII letters in capitals (`str::to_ascii_uppercase`).
pub(crate) fn ascii_upper(s: &str) -> Small {
    joined(&[s], u8::to_ascii_uppercase)
}

/// `a`, a space and `b` (`format!("{a} {b}")`).
pub(crate) fn pair(a: &str, b: &str) -> Small {
    joined(&[a, " ", b], |&b| b)
}

/// `s.lower()` as Python says it, where Rust is sure to agree: Latin-1
/// and the general punctuation block (typographic apostrophes and quotes,
/// which have no case); beyond them, special casings differ.  None elsewhere.
pub(crate) fn lower(s: &str) -> Option<Small> {
    if s.is_ascii() {
        return Some(ascii_lower(s));
    }
    s.chars()
        .all(|c| (c as u32) < 0x100 || ('\u{2000}'..='\u{206f}').contains(&c))
        .then(|| Small(Repr::Heap(s.to_lowercase())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_maps_as_the_standard_library_does_short_or_long() {
        for s in ["", "Sirte", "AL-Wefaq ’s", &"Ab".repeat(40), "Émir"] {
            assert_eq!(&*ascii_lower(s), s.to_ascii_lowercase());
            assert_eq!(&*ascii_upper(s), s.to_ascii_uppercase());
        }
    }

    #[test]
    fn a_pair_is_its_words_with_a_space_between() {
        assert_eq!(&*pair("Prime", "Minister"), "Prime Minister");
        let long = "x".repeat(70);
        assert_eq!(&*pair(&long, "y"), format!("{long} y"));
    }

    #[test]
    fn lowercase_is_only_trusted_where_python_agrees() {
        assert_eq!(lower("Émir In").as_deref(), Some("émir in"));
        assert_eq!(lower("İstanbul").as_deref(), None);
        assert_eq!(lower("Town’s").as_deref(), Some("town’s"));
        assert_eq!(lower("CITY OF").as_deref(), Some("city of"));
    }
}

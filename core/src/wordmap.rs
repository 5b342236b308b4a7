//! A table keyed by words, for lookups in the middle of a scan.
//!
//! A word of up to 15 bytes (nearly every word of news text) is its own
//! key, packed in an integer with its length: a lookup hashes and compares
//! integers, instead of calling `memcmp` on the stored text, which lies
//! elsewhere in memory (profiles put a tenth of a warm pass there).  Words
//! of up to 7 bytes go in a table of their own with 8-byte keys: its slots
//! are half the size, so more of the table stays in the cache (the lookup
//! of a capitalised word is most of a warm scan, and waits on memory).

use rustc_hash::FxHashMap;

pub(crate) struct WordMap<V> {
    tiny: FxHashMap<u64, V>,
    short: FxHashMap<u128, V>,
    long: FxHashMap<Box<str>, V>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            tiny: FxHashMap::default(),
            short: FxHashMap::default(),
            long: FxHashMap::default(),
        }
    }
}

/// A word as a key: packed with its length in the last byte of a u64 (up
/// to 7 bytes) or of a u128 (up to 15), else as it is.
enum Key<'a> {
    Tiny(u64),
    Short(u128),
    Long(&'a str),
}

#[inline]
fn key(word: &str) -> Key<'_> {
    let bytes = word.as_bytes();
    if bytes.len() <= 7 {
        let mut buf = [0u8; 8];
        buf[..bytes.len()].copy_from_slice(bytes);
        buf[7] = bytes.len() as u8;
        Key::Tiny(u64::from_le_bytes(buf))
    } else if bytes.len() <= 15 {
        let mut buf = [0u8; 16];
        buf[..bytes.len()].copy_from_slice(bytes);
        buf[15] = bytes.len() as u8;
        Key::Short(u128::from_le_bytes(buf))
    } else {
        Key::Long(word)
    }
}

fn unpacked(buf: &[u8]) -> String {
    let len = buf[buf.len() - 1] as usize;
    // (packed from a str: its bytes are UTF-8)
    String::from_utf8_lossy(&buf[..len]).into_owned()
}

impl<V> WordMap<V> {
    #[inline]
    pub(crate) fn get(&self, word: &str) -> Option<&V> {
        match key(word) {
            Key::Tiny(k) => self.tiny.get(&k),
            Key::Short(k) => self.short.get(&k),
            Key::Long(w) => self.long.get(w),
        }
    }

    pub(crate) fn insert(&mut self, word: &str, value: V) {
        match key(word) {
            Key::Tiny(k) => self.tiny.insert(k, value),
            Key::Short(k) => self.short.insert(k, value),
            Key::Long(w) => self.long.insert(w.into(), value),
        };
    }

    pub(crate) fn len(&self) -> usize {
        self.tiny.len() + self.short.len() + self.long.len()
    }

    pub(crate) fn clear(&mut self) {
        self.tiny.clear();
        self.short.clear();
        self.long.clear();
    }

    /// Every word and its value, in no particular order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (String, &V)> {
        let tiny = self
            .tiny
            .iter()
            .map(|(k, v)| (unpacked(&k.to_le_bytes()), v));
        let short = self
            .short
            .iter()
            .map(|(k, v)| (unpacked(&k.to_le_bytes()), v));
        tiny.chain(short)
            .chain(self.long.iter().map(|(k, v)| (k.to_string(), v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_short_and_long_are_found_as_they_were_put() {
        let mut map = WordMap::default();
        let words = [
            "",
            "a",
            "Hafter",
            "seven_b",
            "eight_by",
            "fifteen_bytes__",
            "sixteen_bytes___",
            "Ṭarābulus",
            "ab\0",
        ];
        for (n, w) in words.iter().enumerate() {
            map.insert(w, n);
        }
        for (n, w) in words.iter().enumerate() {
            assert_eq!(map.get(w), Some(&n));
        }
        assert_eq!(map.get("ab"), None); // (a trailing NUL is part of the word)
        assert_eq!(map.get("Hafte"), None);
        let mut all: Vec<String> = map.entries().map(|(w, _)| w).collect();
        all.sort();
        let mut expected: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        expected.sort();
        assert_eq!(all, expected);
        assert_eq!(map.len(), words.len());
        map.clear();
        assert_eq!(map.len(), 0);
    }
}

//! A table keyed by words, for lookups in the middle of a scan.
//!
//! A word of up to 15 bytes (nearly every word of news text) is its own
//! key, packed in an integer with its length: a lookup hashes and compares
//! integers, instead of calling `memcmp` on the stored text, which lies
//! elsewhere in memory (profiles put a tenth of a warm pass there).

use rustc_hash::FxHashMap;

pub(crate) struct WordMap<V> {
    short: FxHashMap<u128, V>,
    long: FxHashMap<Box<str>, V>,
}

impl<V> Default for WordMap<V> {
    fn default() -> Self {
        WordMap {
            short: FxHashMap::default(),
            long: FxHashMap::default(),
        }
    }
}

/// `word` packed with its length in the last byte; None past 15 bytes.
#[inline]
fn packed(word: &str) -> Option<u128> {
    let bytes = word.as_bytes();
    if bytes.len() > 15 {
        return None;
    }
    let mut buf = [0u8; 16];
    buf[..bytes.len()].copy_from_slice(bytes);
    buf[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(buf))
}

fn unpacked(key: u128) -> String {
    let buf = key.to_le_bytes();
    // (packed from a str: its bytes are UTF-8)
    String::from_utf8_lossy(&buf[..buf[15] as usize]).into_owned()
}

impl<V> WordMap<V> {
    #[inline]
    pub(crate) fn get(&self, word: &str) -> Option<&V> {
        match packed(word) {
            Some(key) => self.short.get(&key),
            None => self.long.get(word),
        }
    }

    pub(crate) fn insert(&mut self, word: &str, value: V) {
        match packed(word) {
            Some(key) => self.short.insert(key, value),
            None => self.long.insert(word.into(), value),
        };
    }

    pub(crate) fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    pub(crate) fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
    }

    /// Every word and its value, in no particular order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (String, &V)> {
        let short = self.short.iter().map(|(k, v)| (unpacked(*k), v));
        short.chain(self.long.iter().map(|(k, v)| (k.to_string(), v)))
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

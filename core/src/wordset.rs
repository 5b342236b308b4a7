//! A large set of short words, kept compactly: the common English words that
//! guard the key and fuzzy stages (`normalize.text.words.english_words`).
//!
//! Held as Python strings in a frozenset, the 64,000 words took 5.6 MB of
//! every process that met an unknown word; here they are one block of text
//! and a sorted table of where each word is in it (about 1 MB), looked up by
//! binary search.  Lookups happen on the first sight of a word, not per
//! mention, so a search of 16 steps costs nothing that shows.

use pyo3::prelude::*;

#[pyclass(frozen, module = "normalize._core")]
pub struct WordSet {
    text: String,
    spans: Vec<(u32, u32)>, // (start, end) of each distinct word in `text`, sorted by the word
}

impl WordSet {
    fn word(&self, span: &(u32, u32)) -> &str {
        &self.text[span.0 as usize..span.1 as usize]
    }

    pub(crate) fn of(text: String) -> WordSet {
        let base = text.as_ptr() as usize;
        let mut spans: Vec<(u32, u32)> = text
            .split_whitespace()
            .map(|w| {
                let start = w.as_ptr() as usize - base;
                (start as u32, (start + w.len()) as u32)
            })
            .collect();
        spans.sort_unstable_by(|a, b| {
            text[a.0 as usize..a.1 as usize].cmp(&text[b.0 as usize..b.1 as usize])
        });
        spans.dedup_by(|a, b| text[a.0 as usize..a.1 as usize] == text[b.0 as usize..b.1 as usize]);
        spans.shrink_to_fit();
        WordSet { text, spans }
    }

    pub(crate) fn contains(&self, word: &str) -> bool {
        self.spans
            .binary_search_by(|s| self.word(s).cmp(word))
            .is_ok()
    }
}

#[pymethods]
impl WordSet {
    /// The words of `text`, separated by white space.
    #[new]
    fn new(text: String) -> WordSet {
        WordSet::of(text)
    }

    fn __contains__(&self, word: &str) -> bool {
        self.contains(word)
    }

    fn __len__(&self) -> usize {
        self.spans.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_word_once_and_nothing_else() {
        let set = WordSet::of("the\nafter  zebra\tthe apple\n".to_string());
        assert_eq!(set.spans.len(), 4);
        for word in ["the", "after", "zebra", "apple"] {
            assert!(set.contains(word), "{word}");
        }
        for word in ["", "th", "thee", "After", "zebr"] {
            assert!(!set.contains(word), "{word}");
        }
    }
}

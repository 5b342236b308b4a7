//! Capitalised words and what each one may start: the first pass of the
//! scanner (`normalize.engine.scan.Scanner.find`).
//!
//! A text holds few names and many capitalised words that start none; the
//! per-word answers ("how many words can a name starting here span") are
//! learnt from Python once per distinct word and kept here, so that only the
//! words that may start a name, and words never seen before, reach Python.

use pyo3::prelude::*;
use rustc_hash::FxHashMap;

// Character classes, as Python's `re` and `str` methods say (learnt per
// character for non-ASCII, see `learn_chars`).
const ALNUM: u8 = 1; // [^\W_]: str.isalnum()
const DIGIT: u8 = 2; // \d: str.isdecimal()
const UPPER: u8 = 4; // str.isupper()

/// Combining marks, soft hyphens and zero-width characters that do not end
/// a word (`normalize.text.tokens._IN_WORD`).
fn in_word(c: char) -> bool {
    matches!(c as u32,
        0x300..=0x36f | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x20d0..=0x20ff | 0xfe20..=0xfe2f
        | 0x64b..=0x65f | 0x670 | 0xad | 0x200b..=0x200d | 0x2060)
}

/// `normalize.text.keys.APOSTROPHES`.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{2bc}' | '\u{2bb}' | '`' | '\u{b4}'
    )
}

/// The first character class of `tokens.CAPITALISED_WORD`: where a
/// capitalised word may start at all.
fn may_start(c: char) -> bool {
    matches!(c as u32, 0x41..=0x5a | 0xc0..=0x5ff | 0x900..=0x1fff | 0x2070..=0x2fff | 0xa000..=0x10ffff)
}

fn ascii_flags(b: u8) -> u8 {
    let mut f = 0;
    if b.is_ascii_alphanumeric() {
        f |= ALNUM;
    }
    if b.is_ascii_digit() {
        f |= DIGIT;
    }
    if b.is_ascii_uppercase() {
        f |= UPPER;
    }
    f
}

/// The capitalised words of a text and the characters it holds that have
/// not been classified yet.
#[pyclass(module = "normalize._core")]
pub struct Words {
    chars: FxHashMap<char, u8>,
    reach: FxHashMap<Box<str>, i32>,
    max_words: usize,
}

struct Unknown;

impl Words {
    #[inline]
    fn flags(&self, c: char) -> Result<u8, Unknown> {
        if c.is_ascii() {
            Ok(ascii_flags(c as u8))
        } else {
            self.chars.get(&c).copied().ok_or(Unknown)
        }
    }

    #[inline]
    fn alnum(&self, c: char) -> Result<bool, Unknown> {
        Ok(self.flags(c)? & ALNUM != 0)
    }

    /// Where the capitalised word starting at byte `at` (its first character
    /// `first`) ends, in bytes and characters: `tokens.CAPITALISED_WORD`'s
    /// body, letters joined by apostrophes, a possessive ``'s`` left out.
    fn word_end(&self, text: &str, at: usize, first: char) -> Result<(usize, usize), Unknown> {
        let mut it = text[at + first.len_utf8()..].char_indices().peekable();
        let base = at + first.len_utf8();
        let mut end = base;
        let mut count = 1;
        loop {
            while let Some(&(i, c)) = it.peek() {
                if self.alnum(c)? || in_word(c) {
                    end = base + i + c.len_utf8();
                    count += 1;
                    it.next();
                } else {
                    break;
                }
            }
            // an apostrophe joins the letters after it, unless they are a possessive "s"
            let Some(&(_, apostrophe)) = it.peek() else {
                break;
            };
            if !is_apostrophe(apostrophe) {
                break;
            }
            let mut ahead = it.clone();
            ahead.next();
            let Some((i, next)) = ahead.next() else { break };
            if !self.alnum(next)? {
                break;
            }
            if matches!(next, 's' | 'S') {
                let after = ahead.peek().map(|&(_, c)| c);
                let joined = match after {
                    Some(c) => self.alnum(c)?,
                    None => false,
                };
                if !joined {
                    break;
                }
            }
            end = base + i + next.len_utf8();
            count += 2;
            it = ahead;
        }
        Ok((end, count))
    }

    fn scan(&self, text: &str) -> Result<Vec<(usize, usize, i32)>, Unknown> {
        let mut hits = Vec::new();
        let mut cp = 0; // characters before byte `at`
        let mut at = 0;
        let bytes = text.as_bytes();
        while at < bytes.len() {
            let b = bytes[at];
            if b < 0x80 {
                // most of a text: one byte, one character, no capital
                if !b.is_ascii_uppercase() {
                    at += 1;
                    cp += 1;
                    continue;
                }
            }
            let c = text[at..].chars().next().unwrap();
            if !may_start(c) {
                at += c.len_utf8();
                cp += 1;
                continue;
            }
            let f = self.flags(c)?;
            if f & ALNUM == 0 || f & DIGIT != 0 {
                at += c.len_utf8();
                cp += 1;
                continue;
            }
            let (end, count) = self.word_end(text, at, c)?;
            if f & UPPER != 0 {
                let reach = self.reach.get(&text[at..end]).copied().unwrap_or(-1);
                if reach != 0 {
                    hits.push((cp, cp + count, reach));
                }
            }
            at = end;
            cp += count;
        }
        Ok(hits)
    }
}

#[pymethods]
impl Words {
    #[new]
    #[pyo3(signature = (max_words = 1_000_000))]
    fn new(max_words: usize) -> Self {
        Words {
            chars: FxHashMap::default(),
            reach: FxHashMap::default(),
            max_words,
        }
    }

    /// The capitalised words of `text` that may start a name, as
    /// (start, end, reach) in characters: reach is what `learn` was told
    /// for the word, -1 for a word never seen.  None when `text` holds a
    /// character not classified yet (see `unknown_chars`).
    fn hits(&self, text: &str) -> Option<Vec<(usize, usize, i32)>> {
        self.scan(text).ok()
    }

    /// The distinct characters of `text` beyond ASCII that have no class yet.
    fn unknown_chars(&self, text: &str) -> String {
        let mut seen = FxHashMap::default();
        let mut out = String::new();
        for c in text.chars() {
            if !c.is_ascii() && !self.chars.contains_key(&c) && seen.insert(c, ()).is_none() {
                out.push(c);
            }
        }
        out
    }

    /// Keep the class of each character of `chars`: bit 1 alphanumeric,
    /// 2 a decimal digit, 4 uppercase.
    fn learn_chars(&mut self, chars: &str, flags: Vec<u8>) {
        for (c, f) in chars.chars().zip(flags) {
            self.chars.insert(c, f);
        }
    }

    /// Keep how many words a name starting with `word` can span (0: none).
    /// Returns True when the table was full and has been emptied first.
    fn learn(&mut self, word: &str, reach: i32) -> bool {
        let cleared = self.reach.len() >= self.max_words;
        if cleared {
            self.reach.clear();
        }
        self.reach.insert(word.into(), reach);
        cleared
    }

    /// How many words have been learnt.
    fn __len__(&self) -> usize {
        self.reach.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(learnt: &[(&str, i32)]) -> Words {
        let mut w = Words::new(100);
        for (word, reach) in learnt {
            w.learn(word, *reach);
        }
        w.learn_chars("’é", vec![0, ALNUM]);
        w
    }

    #[test]
    fn a_learnt_name_is_a_hit_and_a_learnt_nothing_is_not() {
        let w = words(&[("Hafter", 1), ("The", 0)]);
        let hits = w.scan("The men of Hafter left.").ok().unwrap();
        assert_eq!(hits, vec![(11, 17, 1)]);
    }

    #[test]
    fn an_unseen_capitalised_word_is_a_hit_to_learn() {
        let hits = words(&[]).scan("in Sirte").ok().unwrap();
        assert_eq!(hits, vec![(3, 8, -1)]);
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let hits = words(&[("Hafter", 1)])
            .scan("é’é Hafter’s men")
            .ok()
            .unwrap();
        assert_eq!(hits, vec![(4, 10, 1)]);
    }

    #[test]
    fn an_apostrophe_joins_letters_but_not_a_possessive_s() {
        let w = words(&[]);
        assert_eq!(w.scan("D'Hafter").ok().unwrap(), vec![(0, 8, -1)]);
        assert_eq!(w.scan("Haftar's").ok().unwrap(), vec![(0, 6, -1)]);
        assert_eq!(w.scan("Haftar'sx").ok().unwrap(), vec![(0, 9, -1)]);
    }

    #[test]
    fn a_character_without_a_class_stops_the_scan() {
        assert!(words(&[]).scan("Ωmega").is_err());
    }

    #[test]
    fn a_capital_inside_a_word_is_a_hit_as_the_pattern_finds_it() {
        // as `CAPITALISED_WORD.finditer`: the caller tells a word start (`starts_word`)
        let w = words(&[]);
        assert_eq!(w.scan("3Sirte after 3rd").ok().unwrap(), vec![(1, 6, -1)]);
    }
}

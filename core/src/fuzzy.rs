//! The fuzzy stage's score of a word against listed spellings
//! (`normalize.engine.matcher.fuzzy_score`): the mean of rapidfuzz's ratio
//! and the weighted transliteration similarity
//! (`normalize.text.translit_distance`).  The costs are Python's, handed over
//! once; the Python functions stay the specification, and tests/test_core.py
//! holds these scores to them, float for float.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use rustc_hash::FxHashMap;

/// A piece of at most three ASCII characters as one number (0: none).
fn piece(chars: &[char]) -> Option<u32> {
    if chars.is_empty() || chars.len() > 3 {
        return None;
    }
    let mut key = chars.len() as u32;
    for &c in chars {
        if !c.is_ascii() {
            return None;
        }
        key = key << 8 | c as u32;
    }
    Some(key)
}

fn pair_key(a: u32, b: u32) -> u64 {
    (a as u64) << 32 | b as u64
}

/// Python's `round(x, digits)`: the nearest decimal of `digits` places,
/// ties to even, read back as the nearest float.  Rust formats a float
/// with that exact rounding, as Python's `round` does.
fn py_round(x: f64, digits: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    format!("{x:.digits$}").parse().unwrap_or(x)
}

/// The costs of `translit_distance`.
#[pyclass(frozen, module = "normalize._core")]
pub struct FuzzyScorer {
    pairs: FxHashMap<u64, f64>,
    shapes: Vec<(usize, usize)>,
    vowels: Vec<char>,
    doubled: f64,
    vowel: f64,
    final_h: f64,
    letter_h: f64,
    punct: f64,
    other: f64,
}

impl FuzzyScorer {
    fn pair(&self, a: &[char], b: &[char]) -> Option<f64> {
        self.pairs.get(&pair_key(piece(a)?, piece(b)?)).copied()
    }

    /// `translit_distance._indel`: the cost of writing or dropping s[k].
    fn indel(&self, s: &[char], k: usize) -> f64 {
        let c = s[k];
        if k > 0 && s[k - 1] == c {
            self.doubled
        } else if self.vowels.contains(&c) {
            self.vowel
        } else if c == '\'' || c == '-' {
            self.punct
        } else if c == 'h' {
            if k == s.len() - 1 && k > 0 && self.vowels.contains(&s[k - 1]) {
                self.final_h
            } else {
                self.letter_h
            }
        } else {
            self.other
        }
    }

    /// `translit_distance.translit_distance`, unrounded; infinity once
    /// every way on costs more than `limit`.
    fn distance(&self, a: &[char], b: &[char], limit: f64) -> f64 {
        let (la, lb) = (a.len(), b.len());
        let width = lb + 1;
        let mut d = vec![f64::INFINITY; (la + 1) * width];
        d[0] = 0.0;
        for i in 0..=la {
            for j in 0..=lb {
                if i == 0 && j == 0 {
                    continue;
                }
                let mut best = f64::INFINITY;
                if i > 0 {
                    best = d[(i - 1) * width + j] + self.indel(a, i - 1);
                }
                if j > 0 {
                    best = best.min(d[i * width + j - 1] + self.indel(b, j - 1));
                }
                if i > 0 && j > 0 {
                    let (x, y) = (a[i - 1], b[j - 1]);
                    let cost = if x == y {
                        0.0
                    } else {
                        self.pair(&a[i - 1..i], &b[j - 1..j]).unwrap_or(self.other)
                    };
                    best = best.min(d[(i - 1) * width + j - 1] + cost);
                }
                for &(p, q) in &self.shapes {
                    if p <= i && q <= j && (p > 1 || q > 1) {
                        if let Some(cost) = self.pair(&a[i - p..i], &b[j - q..j]) {
                            best = best.min(d[(i - p) * width + j - q] + cost);
                        }
                    }
                }
                d[i * width + j] = best;
            }
            let row = &d[i * width..(i + 1) * width];
            if row.iter().copied().fold(f64::INFINITY, f64::min) > limit {
                return f64::INFINITY;
            }
        }
        d[la * width + lb]
    }

    /// `translit_distance.translit_similarity`.
    fn similarity(&self, a: &[char], b: &[char], cutoff: f64) -> f64 {
        let length = (a.len() + b.len()) as f64 / 2.0;
        if length == 0.0 {
            return 100.0;
        }
        let limit = if cutoff > 0.0 {
            length * (1.0 - cutoff / 100.0) + 1e-9
        } else {
            f64::INFINITY
        };
        let mut distance = self.distance(a, b, limit);
        if distance.is_finite() {
            distance = py_round(distance, 6);
        }
        let score = py_round(0.0f64.max(100.0 * (1.0 - distance / length)), 1);
        if score >= cutoff {
            score
        } else {
            0.0
        }
    }

    /// `matcher.fuzzy_score`.
    fn score(&self, query: &[char], spelling: &[char], floor: f64) -> f64 {
        let ratio = indel_ratio(query, spelling);
        if ratio + 100.0 < 2.0 * floor {
            return 0.0;
        }
        let cutoff = 0.0f64.max(2.0 * floor - ratio);
        let score = py_round((ratio + self.similarity(query, spelling, cutoff)) / 2.0, 1);
        if score >= floor {
            score
        } else {
            0.0
        }
    }
}

/// The characters of a word of at most 64, as a bit mask for each: where
/// in the word it stands.
struct Pattern {
    ascii: [u64; 128],
    other: Vec<(char, u64)>,
    len: usize,
}

impl Pattern {
    fn of(word: &[char]) -> Option<Pattern> {
        if word.len() > 64 {
            return None;
        }
        let mut pattern = Pattern {
            ascii: [0; 128],
            other: Vec::new(),
            len: word.len(),
        };
        for (k, &c) in word.iter().enumerate() {
            if c.is_ascii() {
                pattern.ascii[c as usize] |= 1 << k;
            } else if let Some(entry) = pattern.other.iter_mut().find(|e| e.0 == c) {
                entry.1 |= 1 << k;
            } else {
                pattern.other.push((c, 1 << k));
            }
        }
        Some(pattern)
    }

    fn mask(&self, c: char) -> u64 {
        if c.is_ascii() {
            self.ascii[c as usize]
        } else {
            self.other.iter().find(|e| e.0 == c).map_or(0, |e| e.1)
        }
    }

    /// The length of the longest common subsequence of the word and `b`,
    /// one machine word per character of `b` (Hyyrö's bit-parallel count).
    fn lcs(&self, b: &[char]) -> usize {
        let mut v: u64 = !0;
        for &c in b {
            let u = v & self.mask(c);
            v = v.wrapping_add(u) | v.wrapping_sub(u);
        }
        let used = if self.len == 64 {
            !0
        } else {
            (1u64 << self.len) - 1
        };
        self.len - (v & used).count_ones() as usize
    }
}

/// `indel_ratio` of two words of these lengths with this longest common subsequence.
fn ratio_of(la: usize, lb: usize, lcs: usize) -> f64 {
    let total = la + lb;
    if total == 0 {
        return 100.0;
    }
    let distance = total - 2 * lcs;
    (1.0 - distance as f64 / total as f64) * 100.0
}

/// rapidfuzz's `fuzz.ratio`: 100 times one minus the Indel distance (letters
/// added or dropped) over the two lengths together.
fn indel_ratio(a: &[char], b: &[char]) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 100.0;
    }
    // the longest common subsequence, one row at a time
    let mut row = vec![0usize; b.len() + 1];
    for &x in a {
        let mut diagonal = 0;
        for (j, &y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    let distance = total - 2 * row[b.len()];
    (1.0 - distance as f64 / total as f64) * 100.0
}

#[pymethods]
impl FuzzyScorer {
    /// The costs of `normalize.text.translit_distance`: its pairs as
    /// (spelling, spelling, cost), its vowels, then the costs of a doubled
    /// letter, a vowel, a final h, another h, a punctuation mark and any
    /// other letter.
    #[new]
    fn new(
        pairs: Vec<(String, String, f64)>,
        vowels: &str,
        costs: (f64, f64, f64, f64, f64, f64),
    ) -> PyResult<Self> {
        let mut table = FxHashMap::default();
        let mut shapes = Vec::new();
        for (a, b, cost) in pairs {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let (Some(ka), Some(kb)) = (piece(&a), piece(&b)) else {
                return Err(PyValueError::new_err(
                    "a pair's spellings must be 1 to 3 ASCII characters",
                ));
            };
            table.insert(pair_key(ka, kb), cost);
            shapes.push((a.len(), b.len()));
        }
        shapes.sort_unstable();
        shapes.dedup();
        let (doubled, vowel, final_h, letter_h, punct, other) = costs;
        Ok(FuzzyScorer {
            pairs: table,
            shapes,
            vowels: vowels.chars().collect(),
            doubled,
            vowel,
            final_h,
            letter_h,
            punct,
            other,
        })
    }

    /// `matcher.fuzzy_score(query, s, floor)` for each spelling s.
    fn scores(&self, query: &str, spellings: Vec<PyBackedStr>, floor: f64) -> Vec<f64> {
        let query: Vec<char> = query.chars().collect();
        let mut spelling = Vec::new();
        spellings
            .iter()
            .map(|s| {
                spelling.clear();
                spelling.extend(s.chars());
                self.score(&query, &spelling, floor)
            })
            .collect()
    }

    /// `translit_distance.translit_similarity(a, b, cutoff)`.
    fn similarity_of(&self, a: &str, b: &str, cutoff: f64) -> f64 {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        self.similarity(&a, &b, cutoff)
    }
}

/// The spellings the fuzzy stage scores words against
/// (`index.Index.fuzzy_choices`), kept as characters once: a word is scored
/// against the spellings of its key's buckets (`Index.fuzzy_neighbours`),
/// a thousand of them in a large gazetteer.
#[pyclass(frozen, module = "normalize._core")]
pub struct FuzzyChoices {
    choices: Vec<Vec<char>>,
}

#[pymethods]
impl FuzzyChoices {
    #[new]
    fn new(choices: Vec<PyBackedStr>) -> Self {
        FuzzyChoices {
            choices: choices.iter().map(|c| c.chars().collect()).collect(),
        }
    }

    /// The spellings of `buckets` (positions in the choices, each bucket
    /// sorted or not) that score `floor` or more against `query`
    /// (`matcher.fuzzy_score`), as (position, score) by rising position:
    /// `matcher._fuzzy_candidates` without the spellings that score nothing.
    fn near(
        &self,
        scorer: &FuzzyScorer,
        query: &str,
        buckets: Vec<Vec<usize>>,
        floor: f64,
    ) -> PyResult<Vec<(usize, f64)>> {
        let mut near: Vec<usize> = buckets.into_iter().flatten().collect();
        near.sort_unstable();
        near.dedup();
        let query: Vec<char> = query.chars().collect();
        let pattern = Pattern::of(&query);
        let mut out = Vec::new();
        for at in near {
            let Some(spelling) = self.choices.get(at) else {
                return Err(PyValueError::new_err("a bucket names no choice"));
            };
            // most spellings of a bucket are too far by the ratio alone,
            // told here a machine word at a time (`score` gives them 0 too)
            if let Some(pattern) = &pattern {
                let ratio = ratio_of(query.len(), spelling.len(), pattern.lcs(spelling));
                if ratio + 100.0 < 2.0 * floor {
                    continue;
                }
            }
            let score = scorer.score(&query, spelling, floor);
            if score != 0.0 {
                out.push((at, score));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::{indel_ratio, py_round, ratio_of, Pattern};

    #[test]
    fn rounding_is_pythons_ties_to_even_on_the_exact_value() {
        assert_eq!(py_round(0.125, 2), 0.12);
        assert_eq!(py_round(0.375, 2), 0.38);
        assert_eq!(py_round(87.25, 1), 87.2);
        assert_eq!(py_round(2.675, 2), 2.67); // 2.675 is a little below itself
        assert_eq!(py_round(0.30000000000000004, 6), 0.3);
    }

    #[test]
    fn the_bit_parallel_ratio_is_the_ratio_of_the_table() {
        let words = [
            "",
            "a",
            "tarhuna",
            "tarchuna",
            "giofra",
            "jofra",
            "aaaa",
            "abab",
            "baba",
            "misrātah",
            "مصراتة",
            "ajdabiya",
            "ejdabia",
            "zzzz",
        ];
        let long: String = "ab".repeat(32);
        for a in words.iter().chain([&long.as_str()]) {
            let a: Vec<char> = a.chars().collect();
            let pattern = Pattern::of(&a).unwrap();
            for b in words.iter().chain([&long.as_str()]) {
                let b: Vec<char> = b.chars().collect();
                let fast = ratio_of(a.len(), b.len(), pattern.lcs(&b));
                assert_eq!(fast, indel_ratio(&a, &b), "{a:?} {b:?}");
            }
        }
        assert!(Pattern::of(&['a'; 65]).is_none());
    }

    #[test]
    fn the_ratio_counts_letters_added_or_dropped() {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        assert_eq!(indel_ratio(&chars("haftar"), &chars("haftar")), 100.0);
        assert_eq!(indel_ratio(&chars("abc"), &chars("xyz")), 0.0);
        assert_eq!(indel_ratio(&chars(""), &chars("")), 100.0);
    }
}

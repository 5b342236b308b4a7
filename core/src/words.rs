//! Capitalised words and what each one may start: the first pass of the
//! scanner (`normalize.engine.scan.Scanner.find`).
//!
//! A text holds few names and many capitalised words that start none; the
//! per-word answers ("how many words can a name starting here span") are
//! learnt from Python once per distinct word and kept here, so that only the
//! words that may start a name, and words never seen before, reach Python.

use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::types::PyString;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::wordmap::WordMap;

// Character classes, as Python's `re` and `str` methods say (learnt per
// character for non-ASCII, see `learn_chars`).
pub(crate) const ALNUM: u8 = 1; // [^\W_]: str.isalnum()
pub(crate) const DIGIT: u8 = 2; // \d: str.isdecimal()
const UPPER: u8 = 4; // str.isupper()
pub(crate) const SPACE: u8 = 8; // str.isspace()

/// Combining marks, soft hyphens and zero-width characters that do not end
/// a word (`normalize.text.tokens._IN_WORD`).
pub(crate) fn in_word(c: char) -> bool {
    matches!(c as u32,
        0x300..=0x36f | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x20d0..=0x20ff | 0xfe20..=0xfe2f
        | 0x64b..=0x65f | 0x670 | 0xad | 0x200b..=0x200d | 0x2060)
}

/// `normalize.text.keys.APOSTROPHES`.
pub(crate) fn is_apostrophe(c: char) -> bool {
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

/// The classes of each ASCII character, worked out once: `flags` is asked
/// for every character around a name.
const ASCII_FLAGS: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = ascii_flags(b as u8);
        b += 1;
    }
    table
};

const fn ascii_flags(b: u8) -> u8 {
    let mut f = 0;
    if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1f) {
        f |= SPACE;
    }
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
    pub(crate) chars: FxHashMap<char, u8>,
    reach: WordMap<i32>,
    max_words: usize,
    // What a word is to the listed names, learnt from Python (`learn_words`).
    // (behind a lock: a plain ASCII word is described here on first sight, while scanning)
    info: Mutex<WordMap<Info>>,
    // The transliteration keys of the plain words next to settled names
    // (`plan::forms_meet`), each worked out once: a key is dear.
    keys: Mutex<WordMap<Box<str>>>,
    names: Option<Names>,
    // Windows whose decision needs nothing but the words next to them (`plan`).
    pub(crate) plan: crate::plan::Plans,
    // The text `plan` was called with last: `replan` plans only that very
    // string again (held, so no other string can take its place).
    planned: Option<Py<PyString>>,
}

/// A word as the listed names see it: its folded form, that form in
/// capitals and its transliteration key, each as an id of the names'
/// vocabulary (None: no listed name has it), and whether it is an article.
#[derive(Clone, Copy)]
struct Info {
    folded: Option<u32>,
    upper: Option<u32>,
    key: Option<u32>,
    article: bool,
    after_article: bool, // a word listed only after an article ("El Hums")
}

/// The beginnings of the listed names (folded, in capitals, as keys) and
/// the words that may come next after each: what a window may take in.
struct Names {
    vocab: FxHashMap<Box<str>, u32>,
    exact: Trie,
    upper: Trie,
    keys: Trie,
    after_article: FxHashSet<Box<str>>,
    articles: FxHashSet<String>, // every article, lowercase (`keys.ARTICLES`)
    al: u32,                     // "al", an article's folded form
    al_upper: u32,               // "AL", an article in capitals and an article's key
}

impl Names {
    fn id(&self, word: &str) -> Option<u32> {
        self.vocab.get(word).copied()
    }
}

/// The listed names as a trie in one table: (node, word id) -> the node of
/// that longer beginning, from `ROOT`.  A name's extent steps from node to
/// node with one lookup per word, and nothing is allocated on the way.
type Trie = FxHashMap<(u32, u32), u32>;

const ROOT: u32 = 0;

fn continuations(names: &[Vec<String>], vocab: &mut FxHashMap<Box<str>, u32>) -> Trie {
    let mut trie = Trie::default();
    for name in names {
        let mut node = ROOT;
        for w in name {
            let next = vocab.len() as u32;
            let id = *vocab.entry(w.as_str().into()).or_insert(next);
            let fresh = trie.len() as u32 + 1;
            node = *trie.entry((node, id)).or_insert(fresh);
        }
    }
    trie
}

/// The listed beginnings a name starting with the word `start` may have:
/// the word itself (`form`: folded, or in capitals), an article if it is
/// one (`al`: the article in the same form), and the article before it if
/// the word is listed only after one ("El Hums").
fn beginnings(start: &Info, form: Option<u32>, al: u32, trie: &Trie, into: &mut Vec<u32>) {
    into.clear();
    let step = |node: u32, word: u32| trie.get(&(node, word)).copied();
    if let Some(node) = form.and_then(|f| step(ROOT, f)) {
        into.push(node);
    }
    let article = step(ROOT, al);
    if let (true, Some(node)) = (start.article, article) {
        into.push(node);
    }
    if let (true, Some(a), Some(f)) = (start.after_article, article, form) {
        into.extend(step(a, f));
    }
}

/// The nodes one word further on from `nodes`, the word in one of `forms`
/// (kept in `nodes`; `scratch` is the buffer they are worked out in).
fn grow(nodes: &mut Vec<u32>, scratch: &mut Vec<u32>, trie: &Trie, forms: &[Option<u32>]) {
    scratch.clear();
    for &node in nodes.iter() {
        for &f in forms.iter().flatten() {
            scratch.extend(trie.get(&(node, f)).copied());
        }
    }
    std::mem::swap(nodes, scratch);
}

/// Why a scan could not finish: a character without a class, or words the
/// extent of a name needs and nobody has said what they are.
/// A capitalised word that may start a name: start, end, where the name
/// can end (-1: not known yet), reach (characters; see `Words::hits`).
type Hit = (usize, usize, i64, i32);

/// A hit with its byte offsets too: start, end and far (-1: not known).
pub(crate) struct ByteHit {
    pub at: usize,
    pub hi: usize,
    pub far: i64,
    pub reach: i32,
    pub bat: usize,
    pub bfar: usize,
}

enum Gap {
    Char,
    Words,
}

pub(crate) struct Unknown;

impl From<Unknown> for Gap {
    fn from(_: Unknown) -> Gap {
        Gap::Char
    }
}

impl Words {
    /// What `word` is to the listed names: as Python described it
    /// (`learn_words`), or worked out here for a plain ASCII word, whose
    /// folded form is itself with a backtick as an apostrophe
    /// (`scan.word_forms` is the specification).
    fn info_of(&self, word: &str) -> Option<Info> {
        if let Some(info) = self.info.lock().unwrap().get(word) {
            return Some(*info);
        }
        if !word.is_ascii() {
            return None;
        }
        let names = self.names.as_ref()?;
        let folded = word.replace('`', "'");
        let lower = folded.to_ascii_lowercase();
        let info = Info {
            folded: names.id(&folded),
            upper: names.id(&folded.to_ascii_uppercase()),
            key: names.id(&crate::key::key_of(&lower)),
            article: names.articles.contains(&lower),
            after_article: names.after_article.contains(folded.as_str()),
        };
        let mut table = self.info.lock().unwrap();
        if table.len() >= self.max_words {
            table.clear();
        }
        table.insert(word, info);
        Some(info)
    }

    /// `f` of the transliteration key of `lowered` (`key::key_of`).
    pub(crate) fn with_key<R>(&self, lowered: &str, f: impl FnOnce(&str) -> R) -> R {
        let mut keys = self.keys.lock().unwrap();
        if let Some(key) = keys.get(lowered) {
            return f(key);
        }
        let key = crate::key::key_of(lowered);
        let out = f(&key);
        if keys.len() >= self.max_words {
            keys.clear();
        }
        keys.insert(lowered, key.into_boxed_str());
        out
    }

    #[inline]
    pub(crate) fn flags(&self, c: char) -> Result<u8, Unknown> {
        if c.is_ascii() {
            Ok(ASCII_FLAGS[c as usize])
        } else {
            self.chars.get(&c).copied().ok_or(Unknown)
        }
    }

    #[inline]
    pub(crate) fn alnum(&self, c: char) -> Result<bool, Unknown> {
        Ok(self.flags(c)? & ALNUM != 0)
    }

    /// Where the capitalised word starting at byte `at` (its first character
    /// `first`) ends, in bytes and characters: `tokens.CAPITALISED_WORD`'s
    /// body, letters joined by apostrophes, a possessive ``'s`` left out.
    fn word_end(&self, text: &str, at: usize, first: char) -> Result<(usize, usize), Unknown> {
        // Most words are ASCII letters and digits up to a space or a sign
        // that is no apostrophe: no character of theirs needs a class.
        let bytes = text.as_bytes();
        let base = at + first.len_utf8();
        let run = bytes[base..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bytes.len() - base);
        match bytes.get(base + run) {
            Some(&b) if b >= 0x80 || b == b'\'' || b == b'`' => {}
            _ => return Ok((base + run, 1 + run)),
        }
        let mut it = text[base..].char_indices().peekable();
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

    /// The word `tokens.GLUED_WORD` finds right after byte `at`: white space
    /// with at most one line break, or one hyphen, then a word.  Its start
    /// and end in bytes and its length in characters.
    pub(crate) fn glued_word(
        &self,
        text: &str,
        at: usize,
    ) -> Result<Option<(usize, usize, usize, usize)>, Unknown> {
        let rest = &text[at..];
        // most often: one space, then an ASCII letter or digit
        if let [b' ', next, ..] = rest.as_bytes() {
            if next.is_ascii_alphanumeric() {
                let (end, count) = self.word_end(text, at + 1, *next as char)?;
                return Ok(Some((at + 1, end, 1, count)));
            }
        }
        let mut gap_chars = 0;
        let mut i = 0;
        let spaces = |s: &str, i: &mut usize, n: &mut usize| {
            while let Some(c) = s[*i..].chars().next() {
                if matches!(c, ' ' | '\t' | '\u{a0}') {
                    *i += c.len_utf8();
                    *n += 1;
                } else {
                    break;
                }
            }
        };
        spaces(rest, &mut i, &mut gap_chars);
        if rest[i..].starts_with("\r\n") {
            i += 2;
            gap_chars += 2;
        } else if rest[i..].starts_with('\n') || rest[i..].starts_with('\r') {
            i += 1;
            gap_chars += 1;
        }
        spaces(rest, &mut i, &mut gap_chars);
        let mut starts = [(i, gap_chars), (0, 0)];
        let mut tried = 1;
        if let Some(c) = rest.chars().next() {
            if matches!(c, '-' | '\u{2010}' | '\u{2011}') {
                starts[1] = (c.len_utf8(), 1);
                tried = 2;
            }
        }
        for &(start, skipped) in &starts[..tried] {
            if let Some(first) = rest[start..].chars().next() {
                if self.alnum(first)? {
                    let (end, count) = self.word_end(text, at + start, first)?;
                    return Ok(Some((at + start, end, skipped, count)));
                }
            }
        }
        Ok(None)
    }

    /// Where a name starting with `word` (ending at byte `end`) can end:
    /// glued words are taken while they continue a listed spelling, in
    /// capitals or as a key, `n` words at most (`Scanner._extent`).  Words
    /// nobody has described yet go to `missing`.
    fn extent(
        &self,
        text: &str,
        word: &str,
        mut end: usize,
        mut cp: usize,
        n: i32,
        missing: &mut Vec<String>,
    ) -> Result<(usize, usize), Gap> {
        let Some(names) = &self.names else {
            return Ok((end, cp)); // no listed names: nothing continues one
        };
        let Some(start) = self.info_of(word) else {
            missing.push(word.to_string());
            return Err(Gap::Words);
        };
        let (mut exact, mut upper, mut keys) = (Vec::new(), Vec::new(), Vec::new());
        let mut scratch = Vec::new();
        beginnings(&start, start.folded, names.al, &names.exact, &mut exact);
        beginnings(
            &start,
            start.upper,
            names.al_upper,
            &names.upper,
            &mut upper,
        );
        keys.extend(start.key.and_then(|k| names.keys.get(&(ROOT, k)).copied()));
        if exact.is_empty() && upper.is_empty() && keys.is_empty() {
            return Ok((end, cp)); // no listed name begins so: none runs on from here
        }
        for _ in 1..n {
            let Some((at, word_end, skipped, count)) = self.glued_word(text, end)? else {
                break;
            };
            let after = &text[at..word_end];
            let Some(info) = self.info_of(after) else {
                // ask for this word and the glued ones after it at once
                missing.push(after.to_string());
                let mut next = word_end;
                for _ in 0..n {
                    let Some((at, word_end, _, _)) = self.glued_word(text, next)? else {
                        break;
                    };
                    if self.info_of(&text[at..word_end]).is_none() {
                        missing.push(text[at..word_end].to_string());
                    }
                    next = word_end;
                }
                return Err(Gap::Words);
            };
            let article = info.article.then_some(names.al);
            let article_upper = info.article.then_some(names.al_upper);
            grow(
                &mut exact,
                &mut scratch,
                &names.exact,
                &[info.folded, article],
            );
            grow(
                &mut upper,
                &mut scratch,
                &names.upper,
                &[info.upper, article_upper],
            );
            if !keys.is_empty() {
                grow(
                    &mut keys,
                    &mut scratch,
                    &names.keys,
                    &[info.key, article_upper],
                );
            }
            if exact.is_empty() && upper.is_empty() && keys.is_empty() {
                break;
            }
            end = word_end;
            cp += skipped + count;
        }
        Ok((end, cp))
    }

    /// The hit of the capitalised word at bytes `at..end` (characters
    /// `cp..cp + count`), if a name may start there: its reach (-1 for a
    /// word never seen) and how far the name may run (-1 where a word glued
    /// after it was never described: it is added to `missing`).
    fn hit(
        &self,
        text: &str,
        at: usize,
        cp: usize,
        end: usize,
        count: usize,
        missing: &mut Vec<String>,
    ) -> Result<Option<ByteHit>, Unknown> {
        let word = &text[at..end];
        let reach = self.reach.get(word).copied().unwrap_or(-1);
        if reach == 0 {
            return Ok(None);
        }
        let mut far = (cp + count) as i64;
        let mut bfar = end;
        let gap_follows = matches!(
            text[end..].chars().next(),
            Some(' ' | '\t' | '\u{a0}' | '\n' | '\r' | '-' | '\u{2010}' | '\u{2011}')
        );
        if reach > 1 && gap_follows {
            match self.extent(text, word, end, cp + count, reach, missing) {
                Ok((far_b, far_cp)) => {
                    far = far_cp as i64;
                    bfar = far_b;
                }
                Err(Gap::Char) => return Err(Unknown),
                // a word not described yet: Python widens this one
                // and describes the words for the next texts
                Err(Gap::Words) => far = -1,
            }
        }
        Ok(Some(ByteHit {
            at: cp,
            hi: cp + count,
            far,
            reach,
            bat: at,
            bfar,
        }))
    }

    /// `hits` worked out again where a word was not known when they were
    /// found (after Python described it): a word that starts no name is
    /// dropped.  Words glued after one that are still not described go to
    /// `missing`.
    pub(crate) fn rehit(
        &self,
        text: &str,
        hits: Vec<ByteHit>,
        missing: &mut Vec<String>,
    ) -> Result<Vec<ByteHit>, Unknown> {
        let mut out = Vec::with_capacity(hits.len());
        for h in hits {
            if h.reach >= 0 && h.far >= 0 {
                out.push(h);
                continue;
            }
            let c = text[h.bat..].chars().next().unwrap();
            let (end, count) = self.word_end(text, h.bat, c)?;
            if let Some(hit) = self.hit(text, h.bat, h.at, end, count, missing)? {
                out.push(hit);
            }
        }
        missing.sort();
        missing.dedup();
        Ok(out)
    }

    pub(crate) fn scan_bytes(&self, text: &str) -> Result<(Vec<ByteHit>, Vec<String>), Unknown> {
        let mut hits = Vec::new();
        let mut missing = Vec::new();
        let mut cp = 0; // characters before byte `at`
        let mut at = 0;
        let bytes = text.as_bytes();
        while at < bytes.len() {
            // most of a text is plain lowercase ASCII: passed over 8 bytes at a time
            let plain = crate::bytes::plain_lowercase(&bytes[at..]);
            at += plain;
            cp += plain;
            if at >= bytes.len() {
                break;
            }
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
                if let Some(hit) = self.hit(text, at, cp, end, count, &mut missing)? {
                    hits.push(hit);
                }
            }
            at = end;
            cp += count;
        }
        missing.sort();
        missing.dedup();
        Ok((hits, missing))
    }

    fn scan(&self, text: &str) -> Result<(Vec<Hit>, Vec<String>), Unknown> {
        let (hits, missing) = self.scan_bytes(text)?;
        Ok((
            hits.iter().map(|h| (h.at, h.hi, h.far, h.reach)).collect(),
            missing,
        ))
    }
}

#[pymethods]
impl Words {
    #[new]
    #[pyo3(signature = (max_words = 1_000_000))]
    fn new(max_words: usize) -> Self {
        Words {
            chars: FxHashMap::default(),
            reach: WordMap::default(),
            max_words,
            info: Mutex::new(WordMap::default()),
            keys: Mutex::new(WordMap::default()),
            names: None,
            plan: Default::default(),
            planned: None,
        }
    }

    /// The capitalised words of `text` that may start a name, as
    /// (start, end, far, reach) in characters: reach is what `learn` was
    /// told for the word (-1: never seen), far where a name starting there
    /// can end (`Scanner._extent`; the word's end for a word never seen,
    /// -1 where a word it may continue with is not described yet), and the
    /// words to describe (`learn_words`) for the next texts.  None when
    /// `text` holds a character without a class (see `unknown_chars`).
    fn hits(&self, text: &str) -> Option<(Vec<Hit>, Vec<String>)> {
        self.scan(text).ok()
    }

    /// The listed names, as tuples of folded words, in capitals and as
    /// keys, and the folded words listed only after an article.
    fn set_names(
        &mut self,
        exact: Vec<Vec<String>>,
        upper: Vec<Vec<String>>,
        keys: Vec<Vec<String>>,
        after_article: Vec<String>,
        articles: Vec<String>,
    ) {
        let mut vocab = FxHashMap::default();
        let exact = continuations(&exact, &mut vocab);
        let upper = continuations(&upper, &mut vocab);
        let keys = continuations(&keys, &mut vocab);
        let mut id = |w: &str| {
            let next = vocab.len() as u32;
            *vocab.entry(w.into()).or_insert(next)
        };
        let (al, al_upper) = (id("al"), id("AL"));
        let after_article = after_article
            .into_iter()
            .map(|w| w.into_boxed_str())
            .collect();
        self.names = Some(Names {
            vocab,
            exact,
            upper,
            keys,
            after_article,
            articles: articles.into_iter().collect(),
            al,
            al_upper,
        });
        self.info.lock().unwrap().clear();
    }

    /// Describe each word: (folded, folded in capitals, transliteration key,
    /// is an article), as `keys.fold`, `str.upper`, `keys.translit_key` and
    /// `keys.ARTICLES` say.  Needs `set_names` first.
    pub(crate) fn learn_words(
        &mut self,
        words: Vec<String>,
        forms: Vec<(String, String, String, bool)>,
    ) {
        let Some(names) = &self.names else { return };
        let mut table = self.info.lock().unwrap();
        if table.len() + words.len() > self.max_words {
            table.clear();
        }
        for (word, (folded, upper, key, article)) in words.into_iter().zip(forms) {
            let info = Info {
                folded: names.id(&folded),
                upper: names.id(&upper),
                key: names.id(&key),
                article,
                after_article: names.after_article.contains(folded.as_str()),
            };
            table.insert(&word, info);
        }
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
    pub(crate) fn learn(&mut self, word: &str, reach: i32) -> bool {
        let cleared = self.reach.len() >= self.max_words;
        if cleared {
            self.reach.clear();
        }
        self.reach.insert(word, reach);
        cleared
    }

    /// The windows of `text` Python must decide, as (start, end, verdict
    /// known); the names rewritten without it, as (start, end, line,
    /// column, byte start, byte end, spec id); and the regions (numbers) the
    /// unambiguous exact names of the settled windows support (see `plan.rs`).
    /// Where some windows were never told of, the plan is only those windows
    /// (verdict not known), to be told of before `replan`.
    /// Words never seen are learnt on the way from `teach(new, missing)`:
    /// it returns the reach of each `new` capitalised word, and the forms
    /// (folded, upper, key, article) of each `missing` word a name may
    /// continue with; it must not call this table.  Second: whether the text
    /// holds a character with no class yet (then there is no plan); no plan
    /// otherwise means Python must do the whole text.
    fn plan(
        &mut self,
        text: &Bound<'_, PyString>,
        teach: &Bound<'_, PyAny>,
    ) -> PyResult<(Option<crate::plan::Found>, bool)> {
        use crate::plan::Unplanned;
        self.planned = Some(text.clone().unbind());
        let text = text.to_str()?;
        let mut failed: Option<PyErr> = None;
        let mut ask = |new: &[String], missing: &[String]| {
            teach
                .call1((new.to_vec(), missing.to_vec()))
                .and_then(|answer| answer.extract())
                .map_err(|e| failed = Some(e))
        };
        let found = self.plan_text(text, &mut ask);
        if let Some(e) = failed {
            return Err(e);
        }
        Ok(match found {
            Ok(found) => (Some(found), false),
            Err(Unplanned::Text) => (None, false),
            Err(Unplanned::Chars) => (None, true),
        })
    }

    /// `plan` again for the text the last call planned (the same string),
    /// once Python has told what the windows it did not know hold: their
    /// names are settled here too.  None for another text, for one planned
    /// again already, or for one it cannot plan.
    fn replan(&mut self, text: &Bound<'_, PyString>) -> PyResult<Option<crate::plan::Found>> {
        match self.planned.take() {
            Some(planned) if planned.is(text) => {
                Ok(self.replan_(text.to_str()?).and_then(Result::ok))
            }
            _ => Ok(None),
        }
    }

    /// Keep what a window holds: 0 nothing, 1 names only the document can
    /// decide, 2 the settled names `specs` (see `plan::SpecArgs`); and the
    /// forms of the words it may begin and end with once rewritten (`edges`).
    /// The table is emptied when it holds `max` windows.
    fn learn_window(
        &mut self,
        window: &str,
        verdict: u8,
        specs: Vec<crate::plan::SpecArgs>,
        edges: (Vec<String>, Vec<String>),
        max: usize,
    ) {
        self.learn_window_(window, verdict, specs, edges, max)
    }

    /// How many windows `learn_window` keeps.
    fn windows_known(&self) -> usize {
        self.plan.verdicts.len()
    }

    /// The reading cues and the articles (`plan.rs`), eight lists: given
    /// names, person titles, place_before, person_after, place_after, speech
    /// verbs, articles before a hyphen, articles before a space.
    fn set_cues(&mut self, lists: [Vec<String>; 8]) {
        self.set_cues_(lists)
    }

    /// Every word whose reach was learnt, and its reach (to keep them between runs).
    fn learnt(&self) -> (Vec<String>, Vec<i32>) {
        self.reach.entries().map(|(w, r)| (w, *r)).unzip()
    }

    /// `learn` for many words at once (a table kept from an earlier run),
    /// as far as the table has room.
    fn learn_many(&mut self, words: Vec<String>, reaches: Vec<i32>) {
        for (word, reach) in words.into_iter().zip(reaches) {
            if self.reach.len() >= self.max_words {
                break;
            }
            self.reach.insert(&word, reach);
        }
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
        let hits = w.scan("The men of Hafter left.").ok().unwrap().0;
        assert_eq!(hits, vec![(11, 17, 17, 1)]);
    }

    #[test]
    fn an_unseen_capitalised_word_is_a_hit_to_learn() {
        let hits = words(&[]).scan("in Sirte").ok().unwrap().0;
        assert_eq!(hits, vec![(3, 8, 8, -1)]);
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let hits = words(&[("Hafter", 1)])
            .scan("é’é Hafter’s men")
            .ok()
            .unwrap()
            .0;
        assert_eq!(hits, vec![(4, 10, 10, 1)]);
    }

    #[test]
    fn an_apostrophe_joins_letters_but_not_a_possessive_s() {
        let w = words(&[]);
        assert_eq!(w.scan("D'Hafter").ok().unwrap().0, vec![(0, 8, 8, -1)]);
        assert_eq!(w.scan("Haftar's").ok().unwrap().0, vec![(0, 6, 6, -1)]);
        assert_eq!(w.scan("Haftar'sx").ok().unwrap().0, vec![(0, 9, 9, -1)]);
    }

    fn described(words: &mut Words, list: &[(&str, &str, &str, &str, bool)]) {
        let (ws, forms): (Vec<String>, Vec<_>) = list
            .iter()
            .map(|(w, f, u, k, a)| {
                (
                    w.to_string(),
                    (f.to_string(), u.to_string(), k.to_string(), *a),
                )
            })
            .unzip();
        words.learn_words(ws, forms);
    }

    fn names(words: &mut Words) {
        let n = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        words.set_names(
            vec![
                n(&["Government", "of", "National", "Accord"]),
                n(&["Bani", "Walid"]),
            ],
            vec![n(&["GOVERNMENT", "OF", "NATIONAL", "ACCORD"])],
            vec![n(&["GFRNMNT", "F", "NTNL", "KRD"])],
            vec![],
            n(&["al", "el", "ash"]),
        );
    }

    #[test]
    fn a_name_of_several_words_takes_in_the_words_that_continue_it() {
        let mut w = words(&[
            ("Government", 4),
            ("Bani", 2),
            ("The", 0),
            ("National", 0),
            ("Unity", 0),
            ("Walid", 0),
        ]);
        names(&mut w);
        described(
            &mut w,
            &[
                ("Government", "Government", "GOVERNMENT", "GFRNMNT", false),
                ("of", "of", "OF", "F", false),
                ("National", "National", "NATIONAL", "NTNL", false),
                ("Unity", "Unity", "UNITY", "NT", false),
                ("Bani", "Bani", "BANI", "BN", false),
                ("Walid", "Walid", "WALID", "WLD", false),
                ("fell", "fell", "FELL", "FL", false),
            ],
        );
        let text = "The Government of National Unity and Bani-Walid fell";
        // "Unity" continues no listed name: the window ends after "National"
        assert_eq!(
            w.scan(text).ok().unwrap().0,
            vec![(4, 14, 26, 4), (37, 41, 47, 2)]
        );
    }

    #[test]
    fn words_beyond_ascii_nobody_described_are_asked_for() {
        let mut w = words(&[("Béni", 2)]);
        names(&mut w);
        let (hits, missing) = w.scan("Béni Walid").ok().unwrap();
        assert_eq!(hits, vec![(0, 4, -1, 2), (5, 10, 10, -1)]);
        assert_eq!(missing, vec!["Béni".to_string()]);
    }

    #[test]
    fn a_plain_ascii_word_is_described_here() {
        let mut w = words(&[("Bani", 2)]);
        names(&mut w);
        let (hits, missing) = w.scan("Bani Walid and Bani-Walid").ok().unwrap();
        assert_eq!(
            hits,
            vec![
                (0, 4, 10, 2),
                (5, 10, 10, -1),
                (15, 19, 25, 2),
                (20, 25, 25, -1)
            ]
        );
        assert!(missing.is_empty());
    }

    #[test]
    fn a_character_without_a_class_stops_the_scan() {
        assert!(words(&[]).scan("Ωmega").is_err());
    }

    #[test]
    fn a_capital_inside_a_word_is_a_hit_as_the_pattern_finds_it() {
        // as `CAPITALISED_WORD.finditer`: the caller tells a word start (`starts_word`)
        let w = words(&[]);
        assert_eq!(
            w.scan("3Sirte after 3rd").ok().unwrap().0,
            vec![(1, 6, 6, -1)]
        );
    }
}

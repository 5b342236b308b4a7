//! Windows decided without Python: the second pass of the scanner
//! (`normalize.engine.settled`).
//!
//! The scanner cuts a text into windows around the capitalised words that
//! may start a name (`Scanner.find`).  Python looks at each distinct window
//! once and says what it holds (`learn_window`): nothing (or only key
//! matches `resolve` drops anyway), something only the whole document can
//! decide, or names whose rewrite reads back as itself: exact ones, and key
//! matches that `resolve` would apply given support (an ambiguous name, or
//! a key match, only counts where an unambiguous exact name of its region
//! is in the text).  It also says which words the window may begin and end
//! with once rewritten (`Edges`).  Such a name is rewritten wherever it
//! stands unless the words right next to it could change that: a reading
//! cue around it that reads as another type of name (`context.reading`,
//! `resolve._misread`), a word after it that would make it a person's given
//! name (`resolve._person_after`), or a glued word that the next run could
//! read as part of the name, as written or as another window may rewrite
//! it (`matcher.Rereader.window`).  Then the whole window goes to Python,
//! which decides as the reference does; this pass only ever says less,
//! never otherwise.  A key match `resolve` always asks about (a key several
//! names share, a spelling too far from the listed one) is sent to review
//! here the same way, unless the words around it could change the question.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::rows::Rows;
use crate::small::{ascii_lower, ascii_upper, lower, pair};
use crate::words::{in_word, is_apostrophe, ByteHit, Unknown, Words, ALNUM, DIGIT, SPACE};

/// A name in a window that needs no decision beyond its neighbours (and,
/// for some, an exact name of its region elsewhere in the text).
pub(crate) struct Spec {
    start: usize, // characters into the window
    end: usize,
    bstart: usize, // bytes into the window
    bend: usize,
    id: u32,
    action: Action,
    before: FxHashSet<Box<str>>, // forms of a word that may stand right before it in a name
    after: FxHashSet<Box<str>>,
    person_next: bool, // a capitalised word after it could make it a person's given name
    region: u32,       // its region's number
    // rewritten only where an unambiguous exact name of its region is in
    // the text (else it supports its region itself)
    needs_support: bool,
    kind: Kind,  // its entity's type
    loose: bool, // a key match, not a listed spelling: a weak reading cue is heeded
}

/// What becomes of a settled name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Keep,    // already canonical (or a keep word): nothing to write
    Rewrite, // rewritten (given its neighbours and, if it needs it, support)
    // a review record, whatever the text says unless a reading cue around
    // it objects (`resolve._misread`, whose reason Python gives), or, where
    // its candidates are of several types, unless any reading cue but a
    // weak one for a person is there (`resolve._by_reading` could put
    // another candidate first)
    Review { sortable: bool },
}

/// The type of a name's entity, as far as reading cues care (`resolve.entity_type`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Unknown,
    Person,
    Place,
    Other, // an organisation or anything else
}

/// How the words around a span make it read (`context.reading`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Reading {
    None,
    Person { weak: bool },
    Place { weak: bool },
    Unsure, // a piece beyond ASCII: Python decides
}

impl Spec {
    /// Whether a reading makes the name read as another type of name than
    /// its own, so that `resolve._misread` objects (or might).
    fn misread(&self, reading: Reading) -> bool {
        match (reading, self.kind) {
            (Reading::None, _) | (_, Kind::Unknown) => false,
            (Reading::Unsure, _) => true,
            (Reading::Place { weak }, Kind::Person) => !weak || self.loose,
            (Reading::Place { .. }, _) => false,
            (Reading::Person { .. }, Kind::Person) => false,
            (Reading::Person { weak }, kind) => !weak || (kind == Kind::Place && self.loose),
        }
    }
}

pub(crate) enum Verdict {
    Empty,
    Complex(Edges),
    Simple(Vec<Spec>, Edges),
}

/// The forms of the words a window may begin and end with once its names
/// are rewritten, whatever Python decides (`settled.window_edges`): a name
/// next to the window is settled here only if none of them could join it.
#[derive(Default)]
pub(crate) struct Edges {
    head: FxHashSet<Box<str>>,
    tail: FxHashSet<Box<str>>,
}

/// What stands next to a name, glued to it, in another window.
enum Neighbour<'a> {
    None,             // no window that may hold a name
    Unknown,          // its own window, or one whose edges are not known yet
    Edges(&'a Edges), // a window whose rewrites may begin or end with these
}

/// The reading cues of `normalize/data/cues.toml` (`context.reading`).
#[derive(Default)]
pub(crate) struct Cues {
    given_names: FxHashSet<String>,
    person_titles: FxHashSet<String>,
    place_before: FxHashSet<String>,
    person_after: FxHashSet<String>,
    place_after: FxHashSet<String>,
    speech_verbs: FxHashSet<String>,
    articles: FxHashSet<String>, // every article, lowercase (`keys.ARTICLES`)
    articles_hyphen: FxHashSet<String>, // before a hyphen
    articles_space: FxHashSet<String>, // before a space
    space_ends: FxHashSet<char>, // last letters of those, in both cases (`scan._AFTER_SPACE`)
    longest_article: usize,      // in characters
}

#[derive(Default)]
pub(crate) struct Plans {
    pub verdicts: FxHashMap<Box<str>, Verdict>,
    pub cues: Option<Cues>,
    // the capitalised words of the text planned last (`replan`)
    last: Option<Vec<ByteHit>>,
}

/// What `plan` found: the windows Python must decide (character offsets,
/// and whether their verdict is known: if not, Python tells it),
/// the names rewritten here (start, end, line, column, byte start, byte end,
/// spec id), the regions the unambiguous exact names of the settled
/// windows support (`resolve.decide` counts them as it counts its own),
/// and the names that go to review (as the rewritten ones).
pub(crate) type Found = (Vec<(usize, usize, bool)>, Rows, Vec<u32>, Rows);

/// A name placed in the text: start, end, line, column, byte start, byte end, spec id.
pub(crate) type Placed = (usize, usize, usize, usize, usize, usize, u32);

const SPACES: [char; 3] = [' ', '\t', '\u{a0}'];
const HYPHENS: [char; 3] = ['-', '\u{2010}', '\u{2011}'];
const OPENING: [char; 6] = ['"', '\'', '\u{201c}', '\u{2018}', '(', '['];

fn is_gap_end(c: char) -> bool {
    SPACES.contains(&c) || HYPHENS.contains(&c) || c == '\n' || c == '\r'
}

/// What Python says of words the core has not seen: the reach of each
/// new capitalised word, and the forms (folded, upper, key, article) of
/// each word a name may continue with (`Scanner._teach`).
pub(crate) type Teach<'a> = dyn FnMut(&[String], &[String]) -> Result<(Vec<i32>, Vec<(String, String, String, bool)>), ()>
    + 'a;

/// Why a text cannot be planned here: a character without a class, or a
/// place where only the tokenizer can tell (Python then does it all).
pub(crate) enum Unplanned {
    Chars,
    Text,
}

impl From<Unknown> for Unplanned {
    fn from(_: Unknown) -> Unplanned {
        Unplanned::Chars
    }
}

/// The character that ends right before byte `b` of `t`.
fn before(t: &str, b: usize) -> Option<char> {
    t[..b].chars().next_back()
}

/// Where the gap a name may have between two words (`tokens._NAME_GAP`)
/// ends before byte `at`, read backwards: one dash, or white space with at
/// most one line break; and whether it is a dash.
fn gap_before(t: &str, at: usize) -> (usize, bool) {
    let mut gap = at;
    if let Some(c) = before(t, gap).filter(|c| HYPHENS.contains(c)) {
        return (gap - c.len_utf8(), true);
    }
    let skip = |gap: &mut usize| {
        while let Some(c) = before(t, *gap).filter(|c| SPACES.contains(c)) {
            *gap -= c.len_utf8();
        }
    };
    skip(&mut gap);
    if before(t, gap) == Some('\n') {
        gap -= 1;
    }
    if before(t, gap) == Some('\r') {
        gap -= 1;
    }
    skip(&mut gap);
    (gap, false)
}

/// Whether no article ends `run`, a run of word characters holding an
/// apostrophe, as the tokenizer splits it (`tokens.WORD`: letters joined by
/// apostrophes, except before a lone ``s``): the word that ends the run
/// either holds an apostrophe (no article does) or is the plain ASCII part
/// after the last one, which must not be an article.  False where only the
/// tokenizer can tell (marks or other letters next to that apostrophe).
fn no_article_after_apostrophe(run: &str, hyphen: bool, cues: &Cues) -> bool {
    let Some((k, apostrophe)) = run.char_indices().rfind(|(_, c)| is_apostrophe(*c)) else {
        return false;
    };
    let last = &run[k + apostrophe.len_utf8()..];
    if last.is_empty() {
        return true; // the run ends with an apostrophe: no word ends where it does
    }
    if !last.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let joined = match run[..k].chars().next_back() {
        Some(c) if c.is_ascii_alphanumeric() => !(last == "s" || last == "S"),
        Some(c) if is_apostrophe(c) => false,
        None => false,
        Some(_) => return false, // a mark or a letter beyond ASCII: the tokenizer decides
    };
    if joined {
        return true; // one word across the apostrophe: no article holds one
    }
    let low = ascii_lower(last);
    let articles = if hyphen {
        &cues.articles_hyphen
    } else {
        &cues.articles_space
    };
    !articles.contains(&*low)
}

impl Words {
    fn is_word_char(&self, c: char) -> Result<bool, Unknown> {
        Ok(self.alnum(c)? || is_apostrophe(c) || in_word(c))
    }

    /// Where the run of word characters (`tokens.is_word_char`) that ends at byte `at` starts.
    fn word_run_before(&self, t: &str, mut at: usize) -> Result<usize, Unknown> {
        while let Some(c) = before(t, at) {
            if !self.is_word_char(c)? {
                break;
            }
            at -= c.len_utf8();
        }
        Ok(at)
    }

    fn is_space(&self, c: char) -> Result<bool, Unknown> {
        Ok(self.flags(c)? & SPACE != 0)
    }

    /// Byte offset where the glued articles before byte `at` start
    /// (`scan._article_start`), or Unplanned where the word before is not
    /// plain ASCII letters and only the tokenizer can tell.
    fn article_start(&self, t: &str, mut at: usize, cues: &Cues) -> Result<usize, Unplanned> {
        loop {
            let (gap, hyphen) = gap_before(t, at);
            if gap == at || gap == 0 {
                return Ok(at);
            }
            let last = before(t, gap).unwrap();
            if !self.is_word_char(last)? {
                return Ok(at);
            }
            let lo = self.word_run_before(t, gap)?;
            let word = &t[lo..gap];
            if word.chars().any(is_apostrophe) {
                // only the tokenizer's word that ends at the gap could be an article
                return if no_article_after_apostrophe(word, hyphen, cues) {
                    Ok(at)
                } else {
                    Err(Unplanned::Text)
                };
            }
            if !word.bytes().all(|b| b.is_ascii_alphanumeric()) {
                // Folding drops marks but never a letter or digit, so a word
                // with more of them than the longest article is none
                // ("Salamé Ageili"); shorter ones, or ones an apostrophe may
                // split, are left to the tokenizer.
                let mut letters = 0;
                for c in word.chars() {
                    if is_apostrophe(c) {
                        return Err(Unplanned::Text);
                    }
                    if self.alnum(c)? {
                        letters += 1;
                    }
                }
                if letters > cues.longest_article {
                    return Ok(at);
                }
                return Err(Unplanned::Text);
            }
            let low = ascii_lower(word);
            // `tokens.gap_glue` makes every dash a "-"
            let article = if hyphen {
                cues.articles_hyphen.contains(&*low)
            } else {
                cues.articles_space.contains(&*low)
            };
            if !article {
                return Ok(at);
            }
            at = lo;
        }
    }

    /// How the words around `text[s..e]` (bytes) make it read
    /// (`context.reading`): the first cue found, in the same order; `Unsure`
    /// where a piece is not ASCII (Python's lowercase may differ).
    fn reading(&self, t: &str, s: usize, e: usize, cues: &Cues) -> Result<Reading, Unknown> {
        if s > 0 && matches!(before(t, s), Some(c) if SPACES.contains(&c)) {
            // the last 40 characters before the span, as `_pieces_before` takes them
            let mut lo = s.saturating_sub(40);
            if !t.as_bytes()[lo..s].is_ascii() {
                lo = s;
                for _ in 0..40 {
                    match before(t, lo) {
                        Some(c) => lo -= c.len_utf8(),
                        None => break,
                    }
                }
            }
            let head = t[lo..s].trim_end_matches(SPACES);
            if let Some(c) = head.chars().next_back() {
                if !self.is_space(c)? {
                    let mut pieces = [""; 2];
                    let mut found = 0;
                    let mut end = head.len();
                    let mut i = head.len();
                    while found < 2 {
                        let mut start = i;
                        while let Some(c) = head[..start].chars().next_back() {
                            if self.is_space(c)? {
                                break;
                            }
                            start -= c.len_utf8();
                        }
                        pieces[found] = &head[start..end];
                        found += 1;
                        // to the end of the white space before the piece
                        let mut j = start;
                        while let Some(c) = head[..j].chars().next_back() {
                            if !self.is_space(c)? {
                                break;
                            }
                            j -= c.len_utf8();
                        }
                        if j == 0 {
                            break;
                        }
                        i = j;
                        end = j;
                    }
                    let last = pieces[0].trim_start_matches(OPENING);
                    if cues.given_names.contains(last) || cues.person_titles.contains(last) {
                        return Ok(Reading::Person { weak: false });
                    }
                    if found > 1 {
                        let pair = pair(pieces[1].trim_start_matches(OPENING), last);
                        if cues.person_titles.contains(&*pair) {
                            return Ok(Reading::Person { weak: false });
                        }
                        match lower(&pair) {
                            Some(low) if !cues.place_before.contains(&*low) => {}
                            Some(_) => return Ok(Reading::Place { weak: false }),
                            None => return Ok(Reading::Unsure),
                        }
                    }
                }
            }
        }
        // `_AFTER`: spaces, an optional comma, at least one space, letters
        let rest = &t[e..];
        let lead = rest.len() - rest.trim_start_matches(SPACES).len();
        let comma = rest[lead..].starts_with(',');
        let from = if comma {
            let gap = rest[lead + 1..].len() - rest[lead + 1..].trim_start_matches(SPACES).len();
            if gap == 0 {
                return Ok(Reading::None);
            }
            lead + 1 + gap
        } else if lead == 0 {
            return Ok(Reading::None);
        } else {
            lead
        };
        let mut end = from;
        for c in rest[from..].chars() {
            let f = self.flags(c)?;
            if f & ALNUM == 0 || f & DIGIT != 0 {
                break;
            }
            end += c.len_utf8();
        }
        if end == from {
            return Ok(Reading::None);
        }
        let word = &rest[from..end];
        if cues.person_after.contains(word) {
            return Ok(Reading::Person { weak: false });
        }
        if !comma {
            match lower(word) {
                Some(low) if cues.place_after.contains(&*low) => {
                    return Ok(Reading::Place { weak: true })
                }
                Some(_) if cues.speech_verbs.contains(word) => {
                    return Ok(Reading::Person { weak: true })
                }
                Some(_) => {}
                None => return Ok(Reading::Unsure),
            }
        }
        Ok(Reading::None)
    }

    /// Whether a capitalised word (or one not ASCII) follows `e` after
    /// spaces (`resolve._NEXT_WORD`).
    fn capital_next(&self, t: &str, e: usize) -> Result<bool, Unknown> {
        let rest = &t[e..];
        let trimmed = rest.trim_start_matches(SPACES);
        if trimmed.len() == rest.len() {
            return Ok(false);
        }
        Ok(match trimmed.chars().next() {
            Some(c) => self.alnum(c)? && (c.is_ascii_uppercase() || !c.is_ascii()),
            None => false,
        })
    }
}

/// Whether a neighbouring window, once rewritten, may end (or begin) with a
/// word of `near` (`side` picks which edge); an unknown one may.
fn meets(
    neighbour: Neighbour,
    side: impl Fn(&Edges) -> &FxHashSet<Box<str>>,
    near: &FxHashSet<Box<str>>,
) -> bool {
    match neighbour {
        Neighbour::None => false,
        Neighbour::Unknown => true,
        Neighbour::Edges(edges) => !side(edges).is_disjoint(near),
    }
}

impl Words {
    /// Whether a plain ASCII word may stand in a listed name as one of `near`,
    /// in one of its forms (`matcher._forms`): folded, in capitals, its key,
    /// and ``al`` for an article.
    fn forms_meet(&self, word: &str, near: &FxHashSet<Box<str>>, cues: &Cues) -> bool {
        if near.is_empty() {
            return false;
        }
        let lower = ascii_lower(word);
        near.contains(word)
            || near.contains(&*ascii_upper(word))
            || (cues.articles.contains(&*lower) && near.contains("al"))
            || self.with_key(&lower, |key| near.contains(key)) // (the dearest form last)
    }
}

/// Where a glued word is, as byte span, with whether it is plain ASCII
/// letters and digits (the only words whose forms are worked out here).
enum Glued {
    None,
    Plain(usize, usize),
    Other,
}

impl Words {
    /// The word glued before byte `at` (`tokens.glued_word_before`).
    fn glued_before(&self, t: &str, at: usize) -> Result<Glued, Unknown> {
        let (gap, _) = gap_before(t, at);
        if gap == at {
            return Ok(Glued::None);
        }
        if t[gap..at].chars().count() > 30 {
            return Ok(Glued::Other); // a run of white space the pattern's 40 characters may not reach over
        }
        let lo = self.word_run_before(t, gap)?;
        if lo == gap {
            return Ok(Glued::None);
        }
        let run = &t[lo..gap];
        if run.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Ok(Glued::Plain(lo, gap));
        }
        // a possessive (``town’s Merj``): the tokenizer leaves ``’s`` out of
        // the word before it, so the last word of the run is the ``s``
        let mut last = run.chars().rev();
        if matches!(last.next(), Some('s' | 'S')) && last.next().is_some_and(is_apostrophe) {
            return Ok(Glued::Plain(gap - 1, gap));
        }
        Ok(Glued::Other)
    }

    /// The word glued after byte `at` (`tokens.glued_word_after`): the
    /// word `tokens.GLUED_WORD` finds, if the gap before it is not empty.
    fn glued_after(&self, t: &str, at: usize) -> Result<Glued, Unknown> {
        Ok(match self.glued_word(t, at)? {
            Some((start, end, _, _)) if start > at => {
                if t[start..end].bytes().all(|b| b.is_ascii_alphanumeric()) {
                    Glued::Plain(start, end)
                } else {
                    Glued::Other
                }
            }
            _ => Glued::None,
        })
    }

    /// The windows of `text` as `Scanner.find` cuts them, in bytes and
    /// characters: (byte start, byte end, char start, char end).
    fn windows(
        &self,
        t: &str,
        hits: &[ByteHit],
        cues: &Cues,
    ) -> Result<Vec<(usize, usize, usize, usize)>, Unplanned> {
        let mut out = Vec::new();
        let (mut start, mut end, mut bstart, mut bend) = (0usize, 0usize, 0usize, 0usize);
        let mut open = false;
        for h in hits {
            if h.reach < 0 || h.far < 0 {
                return Err(Unplanned::Text); // a word Python has not told of yet
            }
            let (mut lo, mut blo) = (h.at, h.bat);
            if h.at > 0 {
                let before = before(t, h.bat).unwrap();
                if is_gap_end(before) {
                    let c2 = t[..h.bat - before.len_utf8()].chars().next_back();
                    let tokenize = h.at > 2
                        && (before != ' '
                            || matches!(c2, Some(c) if !c.is_ascii() || cues.space_ends.contains(&c)
                                || matches!(c, ' ' | '\t' | '\n' | '\r')));
                    if tokenize {
                        let b = self.article_start(t, h.bat, cues)?;
                        if b != h.bat {
                            blo = b;
                            lo = h.at - t[b..h.bat].chars().count();
                        }
                    }
                } else if self.alnum(before)? {
                    // a capital inside a word ("McDonald"): the word that holds the
                    // letter before runs on over it, so no word starts here
                    continue;
                } else if self.is_word_char(before)? {
                    return Err(Unplanned::Text); // after an apostrophe or a mark: the tokenizer decides
                }
            }
            let (hi, bhi) = (h.far as usize, h.bfar);
            if open && lo < end {
                if hi > end {
                    end = hi;
                    bend = bhi;
                }
                continue;
            }
            if open {
                out.push((bstart, bend, start, end));
            }
            (start, end, bstart, bend, open) = (lo, hi, blo, bhi, true);
        }
        if open {
            out.push((bstart, bend, start, end));
        }
        Ok(out)
    }

    /// Plan a text: see `Found`.  Where it holds words never seen,
    /// `teach` is asked what they are (`Teach`), and the text is planned
    /// once they are learnt.
    pub(crate) fn plan_text(&mut self, text: &str, teach: &mut Teach) -> Result<Found, Unplanned> {
        self.plan.last = None;
        let (mut hits, mut missing) = self.scan_bytes(text)?;
        // (a name may run on over words Python describes only once it has
        // seen the first: a few rounds at most)
        for _ in 0..8 {
            let mut new: Vec<String> = hits
                .iter()
                .filter(|h| h.reach < 0)
                .map(|h| text[h.bat..].chars().take(h.hi - h.at).collect())
                .collect();
            if new.is_empty() && missing.is_empty() {
                let found = self.plan_hits(text, &hits);
                self.plan.last = Some(hits);
                return found;
            }
            new.sort_unstable();
            new.dedup();
            let (reaches, forms) = teach(&new, &missing).map_err(|_| Unplanned::Text)?;
            for (word, reach) in new.iter().zip(reaches) {
                self.learn(word, reach);
            }
            self.learn_words(std::mem::take(&mut missing), forms);
            hits = self.rehit(text, hits, &mut missing)?;
        }
        Err(Unplanned::Text)
    }

    /// Plan again the text planned last, which the caller vouches for (the
    /// same string: `Words::replan`), now that Python has told what its
    /// windows hold.  Its words are given up here: a text is planned again
    /// once at most.
    pub(crate) fn replan_(&mut self, text: &str) -> Option<Result<Found, Unplanned>> {
        let hits = self.plan.last.take()?;
        Some(self.plan_hits(text, &hits))
    }

    /// Plan a text whose capitalised words are all known (`hits`).
    fn plan_hits(&self, text: &str, hits: &[ByteHit]) -> Result<Found, Unplanned> {
        let cues = self.plan.cues.as_ref().ok_or(Unplanned::Text)?;
        let t = text;
        let windows = self.windows(t, hits, cues)?;
        let verdicts: Vec<Option<&Verdict>> = windows
            .iter()
            .map(|w| self.plan.verdicts.get(&text[w.0..w.1]))
            .collect();
        if verdicts.iter().any(Option::is_none) {
            // Python learns these windows, then the text is planned again
            // (`replan`): the names of this plan would be thrown away
            let unknown = windows.iter().zip(&verdicts).filter(|(_, v)| v.is_none());
            let asked = unknown
                .map(|(&(_, _, cs, ce), _)| (cs, ce, false))
                .collect();
            return Ok((asked, Rows::default(), Vec::new(), Rows::default()));
        }
        // the windows that may hold a name: a word in one of them may be
        // rewritten (one known to hold none is left as written)
        let named: Vec<(usize, usize, Option<&Edges>)> = windows
            .iter()
            .zip(&verdicts)
            .filter(|(_, v)| !matches!(v, Some(Verdict::Empty)))
            .map(|(w, v)| {
                let edges = match v {
                    Some(Verdict::Complex(edges)) | Some(Verdict::Simple(_, edges)) => Some(edges),
                    _ => None,
                };
                (w.0, w.1, edges)
            })
            .collect();
        // the window, other than `own` (its start), that byte span a..b meets
        // (windows are sorted and apart)
        let neighbour = |a: usize, b: usize, own: usize| {
            let k = named.partition_point(|w| w.1 <= a);
            match named.get(k) {
                Some(&(start, _, edges)) if start < b => match edges {
                    Some(edges) if start != own => Neighbour::Edges(edges),
                    _ => Neighbour::Unknown,
                },
                _ => Neighbour::None,
            }
        };
        // The regions the text's unambiguous exact names support
        // (`resolve.decide` counts every such name, settled here or not).
        let supported: FxHashSet<u32> = verdicts
            .iter()
            .filter_map(|v| match v {
                Some(Verdict::Simple(specs, _)) => Some(specs),
                _ => None,
            })
            .flatten()
            .filter(|s| !s.needs_support)
            .map(|s| s.region)
            .collect();
        let mut complex = Vec::new();
        let mut simple = Vec::new();
        let mut reviewed = Vec::new();
        let mut supported_here = Vec::new();
        let mut place = Place::default();
        for (&(bs, _, cs, ce), verdict) in windows.iter().zip(verdicts) {
            let specs = match verdict {
                None => {
                    complex.push((cs, ce, false));
                    continue;
                }
                Some(Verdict::Complex(_)) => {
                    complex.push((cs, ce, true));
                    continue;
                }
                Some(Verdict::Empty) => continue,
                Some(Verdict::Simple(specs, _)) => specs,
            };
            // an ambiguous name or a key match is rewritten only with its region supported
            let mut ok = specs.iter().all(|s| {
                !(s.action == Action::Rewrite && s.needs_support) || supported.contains(&s.region)
            });
            for spec in specs.iter().filter(|s| s.action != Action::Keep) {
                if !ok {
                    break;
                }
                let (s, e) = (bs + spec.bstart, bs + spec.bend);
                ok = if matches!(spec.action, Action::Review { .. }) {
                    !self.misread_here(t, s, e, spec, cues)?
                } else {
                    self.settled_here(t, s, e, spec, cues, &|a, b| neighbour(a, b, bs))?
                };
            }
            if !ok {
                complex.push((cs, ce, true));
                continue;
            }
            for spec in specs {
                if !spec.needs_support {
                    supported_here.push(spec.region);
                }
                if spec.action != Action::Keep {
                    let (s, e) = (bs + spec.bstart, bs + spec.bend);
                    let (line, column) = place.line_column(text, s, cs + spec.start);
                    let placed = (cs + spec.start, cs + spec.end, line, column, s, e, spec.id);
                    if spec.action == Action::Rewrite {
                        simple.push(placed);
                    } else {
                        reviewed.push(placed);
                    }
                }
            }
        }
        supported_here.sort_unstable();
        supported_here.dedup();
        Ok((
            complex,
            Rows { rows: simple },
            supported_here,
            Rows { rows: reviewed },
        ))
    }

    /// Whether the words around the name `spec` at bytes s..e make it read
    /// as another type of name than its own (`resolve._misread`: a reading
    /// cue, or a capitalised word after it that would make it a person's
    /// given name), or might.
    fn misread_here(
        &self,
        t: &str,
        s: usize,
        e: usize,
        spec: &Spec,
        cues: &Cues,
    ) -> Result<bool, Unknown> {
        let reading = self.reading(t, s, e, cues)?;
        if matches!(spec.action, Action::Review { sortable: true })
            && !matches!(reading, Reading::None | Reading::Person { weak: true })
        {
            return Ok(true);
        }
        Ok(spec.misread(reading) || (spec.person_next && self.capital_next(t, e)?))
    }

    /// Whether the name `spec` at bytes s..e is rewritten whatever the rest
    /// of the text says: no cue around it that reads as another type of
    /// name, nothing glued to it that the next run could read with it,
    /// written or rewritten (a glued word in another window may be
    /// rewritten: then none of its rewrites may join the name either, and
    /// the name's rewrite none of them).
    fn settled_here<'a>(
        &self,
        t: &str,
        s: usize,
        e: usize,
        spec: &Spec,
        cues: &Cues,
        neighbour: &dyn Fn(usize, usize) -> Neighbour<'a>,
    ) -> Result<bool, Unknown> {
        if self.misread_here(t, s, e, spec, cues)? {
            return Ok(false);
        }
        match self.glued_before(t, s)? {
            Glued::None => {}
            Glued::Other => return Ok(false),
            Glued::Plain(a, b) => {
                let word = &t[a..b];
                // a glued article is taken in by any name (`Rereader.window`,
                // `keys.is_article`: before a space only ``al`` and ``el`` are)
                let articles = if &t[b..s] == "-" {
                    &cues.articles_hyphen
                } else {
                    &cues.articles_space
                };
                if articles.contains(&*ascii_lower(word))
                    || self.forms_meet(word, &spec.before, cues)
                    || meets(neighbour(a, b), |edges| &edges.tail, &spec.before)
                {
                    return Ok(false);
                }
            }
        }
        match self.glued_after(t, e)? {
            Glued::None => {}
            Glued::Other => return Ok(false),
            Glued::Plain(a, b) => {
                let word = &t[a..b];
                if self.forms_meet(word, &spec.after, cues)
                    || meets(neighbour(a, b), |edges| &edges.head, &spec.after)
                {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    pub(crate) fn learn_window_(
        &mut self,
        window: &str,
        verdict: u8,
        specs: Vec<SpecArgs>,
        edges: (Vec<String>, Vec<String>),
        max: usize,
    ) {
        if self.plan.verdicts.len() >= max {
            self.plan.verdicts.clear();
        }
        let set = |v: Vec<String>| v.into_iter().map(String::into_boxed_str).collect();
        let edges = Edges {
            head: set(edges.0),
            tail: set(edges.1),
        };
        let verdict = match verdict {
            0 => Verdict::Empty,
            2 => {
                let chars: Vec<usize> = window.char_indices().map(|(b, _)| b).collect();
                let byte = |k: usize| chars.get(k).copied().unwrap_or(window.len());
                Verdict::Simple(
                    specs
                        .into_iter()
                        .map(
                            |(
                                start,
                                end,
                                id,
                                action,
                                before,
                                after,
                                person_next,
                                region,
                                needs_support,
                                kind,
                                loose,
                            )| Spec {
                                start,
                                end,
                                bstart: byte(start),
                                bend: byte(end),
                                id,
                                action: match action {
                                    1 => Action::Rewrite,
                                    2 => Action::Review { sortable: false },
                                    3 => Action::Review { sortable: true },
                                    _ => Action::Keep,
                                },
                                before: before.into_iter().map(String::into_boxed_str).collect(),
                                after: after.into_iter().map(String::into_boxed_str).collect(),
                                person_next,
                                region,
                                needs_support,
                                kind: match kind {
                                    1 => Kind::Person,
                                    2 => Kind::Place,
                                    3 => Kind::Other,
                                    _ => Kind::Unknown,
                                },
                                loose,
                            },
                        )
                        .collect(),
                    edges,
                )
            }
            _ => Verdict::Complex(edges),
        };
        self.plan.verdicts.insert(window.into(), verdict);
    }

    /// The reading cues and the articles, in the order of `Cues`' fields:
    /// given names, person titles, place_before, person_after, place_after,
    /// speech verbs, articles before a hyphen, articles before a space.
    pub(crate) fn set_cues_(&mut self, lists: [Vec<String>; 8]) {
        let [given_names, person_titles, place_before, person_after, place_after, speech_verbs, articles_hyphen, articles_space] =
            lists;
        let set = |v: Vec<String>| v.into_iter().collect::<FxHashSet<String>>();
        let articles_hyphen = set(articles_hyphen);
        let articles_space = set(articles_space);
        let space_ends = articles_space
            .iter()
            .filter_map(|a| a.chars().next_back())
            .flat_map(|c| [c.to_ascii_lowercase(), c.to_ascii_uppercase()])
            .collect();
        self.plan.cues = Some(Cues {
            given_names: set(given_names),
            person_titles: set(person_titles),
            place_before: set(place_before),
            person_after: set(person_after),
            place_after: set(place_after),
            speech_verbs: set(speech_verbs),
            articles: articles_hyphen.union(&articles_space).cloned().collect(),
            longest_article: articles_hyphen
                .iter()
                .chain(&articles_space)
                .map(|a| a.chars().count())
                .max()
                .unwrap_or(0),
            articles_hyphen,
            articles_space,
            space_ends,
        });
    }
}

/// (start, end, id, action: 0 keep, 1 rewrite, 2 review, 3 review of
/// candidates of several types (`Action`); before forms,
/// after forms, person_next, region, needs_support, kind: 0 unknown,
/// 1 person, 2 place, 3 other; loose: a key match): a spec as Python gives it.
pub(crate) type SpecArgs = (
    usize,
    usize,
    u32,
    u8,
    Vec<String>,
    Vec<String>,
    bool,
    u32,
    bool,
    u8,
    bool,
);

/// Line and column of offsets asked for in rising order (`positions.Positions`):
/// a line break is "\n", "\r\n" or a lone "\r".
#[derive(Default)]
struct Place {
    byte: usize,
    line: usize,
    line_start: usize, // characters
}

impl Place {
    /// Line and column of byte `b`, which is character `c`: the line breaks
    /// between the last offset asked and `b` are counted (a byte count the
    /// compiler runs many bytes at a time), and only the characters of the
    /// last line are.
    fn line_column(&mut self, text: &str, b: usize, c: usize) -> (usize, usize) {
        if self.line == 0 {
            self.line = 1;
        }
        let bytes = text.as_bytes();
        let seg = &bytes[self.byte..b];
        // a "\r" ends a line unless a "\n" follows it (even at `b`: that
        // "\r\n" ends its line once `b` is past the "\n")
        let lone_return = |at: usize| bytes[at] == b'\r' && bytes.get(at + 1) != Some(&b'\n');
        let mut breaks = crate::bytes::count_byte(seg, b'\n');
        let returns = crate::bytes::count_byte(seg, b'\r');
        if returns > 0 {
            breaks += (self.byte..b).filter(|&at| lone_return(at)).count();
        }
        if breaks > 0 {
            self.line += breaks;
            let mut end = b;
            let last = loop {
                let at = self.byte
                    + memchr::memrchr2(b'\n', b'\r', &bytes[self.byte..end])
                        .expect("a break was counted");
                if bytes[at] == b'\n' || lone_return(at) {
                    break at;
                }
                end = at; // a "\r" the "\n" at `b` follows
            };
            let tail = crate::bytes::count_chars(&bytes[last + 1..b]);
            self.line_start = c - tail;
        }
        self.byte = b;
        (self.line, c - self.line_start + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_break_is_a_newline_a_lone_return_or_both_together() {
        let text = "ab\r\ncd\ref\ngh";
        let mut place = Place::default();
        assert_eq!(place.line_column(text, 1, 1), (1, 2));
        assert_eq!(place.line_column(text, 4, 4), (2, 1));
        assert_eq!(place.line_column(text, 8, 8), (3, 2));
        assert_eq!(place.line_column(text, 11, 11), (4, 2));
    }

    #[test]
    fn lines_and_columns_are_those_of_a_count_character_by_character() {
        let text = "é\r\n\r\rab\n\ncd é\r\néf\rg\nh";
        let mut expected = Vec::new();
        let (mut line, mut start) = (1, 0);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (c, &(b, ch)) in chars.iter().enumerate() {
            expected.push((b, c, line, c - start + 1));
            let next = chars.get(c + 1).map(|x| x.1);
            if ch == '\n' || (ch == '\r' && next != Some('\n')) {
                line += 1;
                start = c + 1;
            }
        }
        for step in 1..4 {
            let mut place = Place::default();
            for &(b, c, line, column) in expected.iter().step_by(step) {
                assert_eq!(place.line_column(text, b, c), (line, column), "at byte {b}");
            }
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é’é Hafter";
        assert_eq!(
            Place::default().line_column(text, text.find('H').unwrap(), 4),
            (1, 5)
        );
    }
}

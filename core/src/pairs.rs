//! The words that stand side by side in the listed spellings, for the
//! rereader (`normalize.engine.matcher.Rereader`, whose `_near` is the
//! specification): which words may come right before or right after a word
//! in some listed name.
//!
//! A large gazetteer has a hundred thousand such pairs.  Kept in Python,
//! as a table of sets, they cost a fresh normaliser most of its first
//! second and gave every full garbage collection a hundred thousand sets
//! to walk; here they are a table of numbers, and the words themselves are
//! the very Python strings the spellings hold.

use pyo3::prelude::*;
use pyo3::types::{PyFrozenSet, PyString, PyTuple};
use rustc_hash::{FxHashMap, FxHashSet};

#[pyclass(frozen, module = "normalize._core")]
pub struct Neighbours {
    ids: FxHashMap<Box<str>, u32>,
    words: Vec<Py<PyString>>,
    before: Vec<Vec<u32>>, // by word id: the words right before it
    after: Vec<Vec<u32>>,  // by word id: the words right after it
}

impl Neighbours {
    fn id(&mut self, word: &Bound<'_, PyString>) -> PyResult<u32> {
        let text = word.to_str()?;
        if let Some(&id) = self.ids.get(text) {
            return Ok(id);
        }
        let id = self.words.len() as u32;
        self.ids.insert(text.into(), id);
        self.words.push(word.clone().unbind());
        self.before.push(Vec::new());
        self.after.push(Vec::new());
        Ok(id)
    }
}

#[pymethods]
impl Neighbours {
    /// The pairs of `spellings`, each a tuple of words.
    #[new]
    fn new(spellings: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mut table = Neighbours {
            ids: FxHashMap::default(),
            words: Vec::new(),
            before: Vec::new(),
            after: Vec::new(),
        };
        let mut seen: FxHashSet<(u32, u32)> = FxHashSet::default();
        for spelling in spellings.try_iter()? {
            let words = spelling?.cast_into::<PyTuple>()?;
            let mut last: Option<u32> = None;
            for word in words.iter() {
                let id = table.id(&word.cast_into::<PyString>()?)?;
                if let Some(left) = last {
                    if seen.insert((left, id)) {
                        table.before[id as usize].push(left);
                        table.after[left as usize].push(id);
                    }
                }
                last = Some(id);
            }
        }
        Ok(table)
    }

    /// The words that stand right before (`side` 0) or right after (1) any
    /// of `forms` in some spelling.  (A form no spelling has, a lone
    /// surrogate's too, has none.)
    fn near<'py>(
        &self,
        py: Python<'py>,
        side: u8,
        forms: &Bound<'py, PyTuple>,
    ) -> PyResult<Bound<'py, PyFrozenSet>> {
        let table = if side == 0 { &self.before } else { &self.after };
        let mut found: Vec<u32> = Vec::new();
        for form in forms.iter() {
            let form = form.cast_into::<PyString>()?;
            let Ok(text) = form.to_str() else {
                continue;
            };
            if let Some(&id) = self.ids.get(text) {
                found.extend(&table[id as usize]);
            }
        }
        PyFrozenSet::new(py, found.iter().map(|&k| self.words[k as usize].bind(py)))
    }

    fn __len__(&self) -> usize {
        self.words.len()
    }
}

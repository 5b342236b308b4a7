//! The clean text and change records of the names the core rewrote
//! (`normalize.engine.settled.written_changes` and `rewrite.rewrite` are
//! the specification).
//!
//! A text holds dozens of such names, a corpus millions: each record is
//! made here from the name's fixed fields (`SettledName.tail`, made once
//! per name) and the place the plan found it at, without a Python loop.

use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

use crate::splice::{byte_spans, spliced_bytes};

/// The clean text of `text` with the `edits` Python decided (start, end,
/// new text; sorted and apart) and the names of `written` (rows of the
/// plan: start, end, line, column, byte start, byte end, name id) made,
/// and the change records of those names, made by calling `change` with
/// the file, the row's place and the name's record fields (`tails[id]`:
/// before, after, entity, gazetteer file and line, method, score, rule).
/// A ValueError where the edits overlap or leave the text.
#[pyfunction]
pub fn rewritten<'py>(
    text: &str,
    edits: Vec<(usize, usize, Bound<'py, PyString>)>,
    written: &Bound<'py, PyList>,
    tails: &Bound<'py, PyList>,
    file: &Bound<'py, PyAny>,
    change: &Bound<'py, PyAny>,
) -> PyResult<(String, Bound<'py, PyList>)> {
    let py = written.py();
    let out_of_place =
        || pyo3::exceptions::PyValueError::new_err("edits out of order or outside the text");
    // Python's edits are placed in characters (the plan's rows carry their bytes)
    let spans = byte_spans(text, &edits).ok_or_else(out_of_place)?;
    let mut decided = edits
        .into_iter()
        .zip(spans)
        .map(|((start, end, new), bytes)| ((start, end), bytes, new))
        .peekable();
    let changes = PyList::empty(py);
    // every edit as (characters, bytes, new text), in the order of the text
    let mut all = Vec::with_capacity(decided.len() + written.len());
    for row in written.iter() {
        let row = row.cast_into::<PyTuple>()?;
        let chars: (usize, usize) = (row.get_item(0)?.extract()?, row.get_item(1)?.extract()?);
        let bytes: (usize, usize) = (row.get_item(4)?.extract()?, row.get_item(5)?.extract()?);
        let tail = tails
            .get_item(row.get_item(6)?.extract()?)?
            .cast_into::<PyTuple>()?;
        let mut args = Vec::with_capacity(7 + tail.len());
        args.push(file.clone());
        for k in [2, 3, 0, 1, 4, 5] {
            args.push(row.get_item(k)?);
        }
        args.extend(tail.iter());
        changes.append(change.call1(PyTuple::new(py, args)?)?)?;
        while decided.peek().is_some_and(|e| e.0 < chars) {
            all.push(decided.next().unwrap());
        }
        all.push((chars, bytes, tail.get_item(1)?.cast_into::<PyString>()?));
    }
    all.extend(decided);
    let mut news = Vec::with_capacity(all.len());
    for (_, (start, end), new) in &all {
        news.push((*start, *end, new.to_str()?));
    }
    let clean = spliced_bytes(text, &news).ok_or_else(out_of_place)?;
    Ok((clean, changes))
}

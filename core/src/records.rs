//! The clean text and change records of the names the core rewrote
//! (`normalize.engine.settled.written_changes` and `rewrite.rewrite` are
//! the specification).
//!
//! A text holds dozens of such names, a corpus millions: each record is
//! made here from the name's fixed fields (`SettledName.tail`, made once
//! per name) and the place the plan found it at, without a Python loop.

use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};

use crate::plan::Placed;
use crate::rows::Rows;
use crate::splice::{byte_spans, spliced_bytes};

/// The clean text of `text` with the `edits` Python decided (start, end,
/// new text; sorted and apart) and the names of `written` (a plan's `Rows`,
/// or a list of such rows: start, end, line, column, byte start, byte end,
/// name id) made,
/// and the change records of those names, made by calling `change` with
/// the file, the row's place and the name's record fields (`tails[id]`:
/// before, after, entity, gazetteer file and line, method, score, rule).
/// A ValueError where the edits overlap or leave the text.
#[pyfunction]
pub fn rewritten<'py>(
    text: &str,
    edits: Vec<(usize, usize, Bound<'py, PyString>)>,
    written: &Bound<'py, PyAny>,
    tails: &Bound<'py, PyList>,
    file: &Bound<'py, PyAny>,
    change: &Bound<'py, PyAny>,
) -> PyResult<(String, Bound<'py, PyList>)> {
    let py = written.py();
    // (a plan's rows, read in place; or any sequence of such tuples)
    let held;
    let rows: &[Placed] = match written.cast::<Rows>() {
        Ok(plan) => &plan.get().rows,
        Err(_) => {
            held = written
                .extract::<Vec<Placed>>()
                .map_err(|e| pyo3::exceptions::PyTypeError::new_err(format!("written: {e}")))?;
            &held
        }
    };
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
    let mut all = Vec::with_capacity(decided.len() + rows.len());
    for &(start, end, line, column, byte_start, byte_end, name) in rows {
        let (chars, bytes) = ((start, end), (byte_start, byte_end));
        let tail = tails.get_item(name as usize)?.cast_into::<PyTuple>()?;
        let mut args = Vec::with_capacity(7 + tail.len());
        args.push(file.clone());
        for n in [line, column, start, end, byte_start, byte_end] {
            args.push(n.into_pyobject(py)?.into_any());
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

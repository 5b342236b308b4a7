//! The hot path of `normalize`, called from `normalize.engine.scan`.
//!
//! Python stays the specification: each function here is held by property
//! tests to the Python code it stands for (tests/test_core.py).  What needs
//! Unicode knowledge that Python and Rust might disagree on (which characters
//! are letters, digits, capitals) is not decided here: Python classifies each
//! character the first time a text holds it, and the core keeps the answer.

use pyo3::prelude::*;

mod bytes;
mod fuzzy;
mod key;
mod pairs;
mod plan;
mod records;
mod rows;
mod small;
mod splice;
mod wordmap;
mod words;
mod wordset;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<fuzzy::FuzzyChoices>()?;
    m.add_class::<fuzzy::FuzzyScorer>()?;
    m.add_class::<pairs::Neighbours>()?;
    m.add_class::<rows::Rows>()?;
    m.add_class::<words::Words>()?;
    m.add_class::<wordset::WordSet>()?;
    m.add_function(wrap_pyfunction!(key::translit_key, m)?)?;
    m.add_function(wrap_pyfunction!(splice::splice, m)?)?;
    m.add_function(wrap_pyfunction!(records::rewritten, m)?)?;
    Ok(())
}

//! The names a plan placed in a text, kept in the core.
//!
//! A text holds dozens of them, a corpus a hundred thousand.  As Python
//! tuples each was built with six numbers, kept in a list, counted by the
//! garbage collector and read back, number by number, by `rewritten`.  Here
//! they stay rows of numbers; Python reads one only where it asks
//! (`rows[k]`, iteration), and `rewritten` reads them in place.

use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;

use crate::plan::Placed;

/// The placed names of a plan: (start, end, line, column, byte start, byte
/// end, name id) each, in the order of the text.  Read by index or in turn
/// (no slices), compared by identity, and not pickled: a plan lives as
/// long as the text it was made for.
#[pyclass(frozen, sequence, module = "normalize._core")]
#[derive(Default)]
pub struct Rows {
    pub(crate) rows: Vec<Placed>,
}

#[pymethods]
impl Rows {
    fn __len__(&self) -> usize {
        self.rows.len()
    }

    fn __getitem__(&self, k: isize) -> PyResult<Placed> {
        let n = self.rows.len() as isize;
        let at = if k < 0 { k + n } else { k };
        if at < 0 || at >= n {
            return Err(PyIndexError::new_err("row index out of range"));
        }
        Ok(self.rows[at as usize])
    }

    /// The name ids the rows point to, each once, in rising order.
    fn names(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = self.rows.iter().map(|r| r.6).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn __repr__(&self) -> String {
        format!("Rows({:?})", self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_given_once_in_rising_order() {
        let rows = Rows {
            rows: vec![
                (0, 1, 1, 0, 0, 1, 7),
                (2, 3, 1, 2, 2, 3, 3),
                (4, 5, 1, 4, 4, 5, 7),
            ],
        };
        assert_eq!(rows.names(), vec![3, 7]);
        assert_eq!(rows.__len__(), 3);
    }
}

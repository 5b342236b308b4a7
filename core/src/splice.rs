//! The clean text: a text with its rewritten names put in place
//! (`normalize.engine.rewrite._spliced`, the specification).
//!
//! Python builds the result from a slice per gap and a join: two copies of
//! the text.  Here it is one pass over the bytes, the edits' places given in
//! characters as Python counts them.

use pyo3::prelude::*;

/// Byte offsets of the sorted character offsets `at` in `text`.
fn byte_offsets(text: &str, at: &[usize]) -> Option<Vec<usize>> {
    if text.is_ascii() {
        return at.iter().all(|&a| a <= text.len()).then(|| at.to_vec());
    }
    let mut out = Vec::with_capacity(at.len());
    let (mut byte, mut char_at) = (0, 0);
    for &a in at {
        byte = crate::bytes::char_to_byte(text, byte, a - char_at)?;
        char_at = a;
        out.push(byte);
    }
    Some(out)
}

/// The byte spans of (start, end, ...) edits placed in characters; None
/// where they are not sorted and apart, or leave the text.
pub(crate) fn byte_spans<S>(
    text: &str,
    edits: &[(usize, usize, S)],
) -> Option<Vec<(usize, usize)>> {
    let at: Vec<usize> = edits.iter().flat_map(|e| [e.0, e.1]).collect();
    if at.windows(2).any(|w| w[0] > w[1]) {
        return None;
    }
    let bytes = byte_offsets(text, &at)?;
    Some(bytes.chunks_exact(2).map(|b| (b[0], b[1])).collect())
}

/// `text` with each (start, end, new) edit made; the edits are sorted and
/// apart, their offsets in characters.  None where an edit does not fit.
pub(crate) fn spliced<S: AsRef<str>>(text: &str, edits: &[(usize, usize, S)]) -> Option<String> {
    let placed: Vec<(usize, usize, &str)> = byte_spans(text, edits)?
        .into_iter()
        .zip(edits)
        .map(|((start, end), e)| (start, end, e.2.as_ref()))
        .collect();
    spliced_bytes(text, &placed)
}

/// `spliced` for edits placed in bytes; None where they are not sorted and
/// apart, or do not fall between characters of the text.
pub(crate) fn spliced_bytes(text: &str, edits: &[(usize, usize, &str)]) -> Option<String> {
    let mut last = 0;
    for &(start, end, _) in edits {
        if start < last
            || end < start
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            return None;
        }
        last = end;
    }
    let grown: usize = edits.iter().map(|e| e.2.len()).sum();
    let mut out = String::with_capacity(text.len() + grown);
    let mut last = 0;
    for &(start, end, new) in edits {
        out.push_str(&text[last..start]);
        out.push_str(new);
        last = end;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// `spliced`, for Python: a ValueError where the edits are not sorted,
/// apart and inside the text.
#[pyfunction]
pub fn splice(text: &str, edits: Vec<(usize, usize, String)>) -> PyResult<String> {
    spliced(text, &edits).ok_or_else(|| {
        pyo3::exceptions::PyValueError::new_err("edits out of order or outside the text")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(s: usize, e: usize, new: &str) -> (usize, usize, String) {
        (s, e, new.to_string())
    }

    #[test]
    fn puts_each_new_text_in_its_place_counting_characters() {
        assert_eq!(
            spliced("In Sirt.", &[edit(3, 7, "Sirte")]).unwrap(),
            "In Sirte."
        );
        let text = "Ḥafter and Sirt — again Sirt";
        let got = spliced(
            text,
            &[
                edit(0, 6, "Haftar"),
                edit(11, 15, "Sirte"),
                edit(24, 28, "Sirte"),
            ],
        )
        .unwrap();
        assert_eq!(got, "Haftar and Sirte — again Sirte");
    }

    #[test]
    fn edits_placed_in_bytes_must_fall_between_characters_in_order() {
        assert_eq!(
            spliced_bytes("Ḥafter in Sirt", &[(0, 8, "Haftar"), (12, 16, "Sirte")]).unwrap(),
            "Haftar in Sirte"
        );
        assert!(spliced_bytes("Ḥafter", &[(1, 8, "x")]).is_none());
        assert!(spliced_bytes("abc", &[(2, 3, "x"), (0, 1, "y")]).is_none());
        assert!(spliced_bytes("abc", &[(2, 4, "x")]).is_none());
    }

    #[test]
    fn refuses_edits_out_of_order_or_past_the_end() {
        assert!(spliced("abc", &[edit(2, 3, "x"), edit(0, 1, "y")]).is_none());
        assert!(spliced("abc", &[edit(2, 4, "x")]).is_none());
        assert!(spliced("ébc", &[edit(2, 4, "x")]).is_none());
    }
}

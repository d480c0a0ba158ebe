//! Walking a dict's items or a list's items with borrowed references.
//!
//! pyo3's iterators take a reference to every key, value and item they yield and drop it after;
//! under the abi3 build each of those is a call into libpython (`Py_IncRef` / `Py_DecRef`), and
//! `verify_many` reads about twenty objects per request, ten thousand requests per batch (measured:
//! `Py_IncRef` alone was 7% of a batch's samples). The walkers here hand out borrowed references
//! instead, which are valid only while the container is not changed: the callback must not run
//! Python code (no call into an object's methods, no release of the GIL) before it is done with
//! them — it takes an owned reference (`to_owned`) of anything it keeps past that point.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3::Borrowed;

/// Calls `f` with each key and value of `dict` (borrowed), until it returns false; false if it did.
pub fn dict_items<'a, 'py>(
    dict: &'a Bound<'py, PyDict>,
    mut f: impl FnMut(Borrowed<'a, 'py, PyAny>, Borrowed<'a, 'py, PyAny>) -> bool,
) -> bool {
    let py = dict.py();
    let mut position: pyo3::ffi::Py_ssize_t = 0;
    let mut key = std::ptr::null_mut();
    let mut value = std::ptr::null_mut();
    // SAFETY: `dict` is a live dict (the GIL is held); `PyDict_Next` returns borrowed references
    // that stay valid while the dict is unchanged, which the callback's contract guarantees.
    while unsafe { pyo3::ffi::PyDict_Next(dict.as_ptr(), &mut position, &mut key, &mut value) } != 0
    {
        // SAFETY: as above; both pointers are non-null when `PyDict_Next` returns true.
        let (k, v) = unsafe { (Borrowed::from_ptr(py, key), Borrowed::from_ptr(py, value)) };
        if !f(k, v) {
            return false;
        }
    }
    true
}

/// Calls `f` with each item of `list` (borrowed), until it returns false; false if it did.
pub fn list_items<'a, 'py>(
    list: &'a Bound<'py, PyList>,
    mut f: impl FnMut(Borrowed<'a, 'py, PyAny>) -> bool,
) -> bool {
    let py = list.py();
    let mut index = 0;
    // The length is read again at every step: the list cannot change under a callback that runs
    // no Python code, but reading past its end must stay impossible whatever happens.
    while index < list.len() {
        // SAFETY: `index` is inside the list (checked just above, the GIL held); the borrowed
        // item stays valid while the list is unchanged, which the callback's contract guarantees.
        let item =
            unsafe { pyo3::ffi::PyList_GetItem(list.as_ptr(), index as pyo3::ffi::Py_ssize_t) };
        if item.is_null() {
            // Unreachable (the index is in range); the IndexError is not left set.
            drop(PyErr::take(py));
            return false;
        }
        // SAFETY: non-null, see above.
        if !f(unsafe { Borrowed::from_ptr(py, item) }) {
            return false;
        }
        index += 1;
    }
    true
}

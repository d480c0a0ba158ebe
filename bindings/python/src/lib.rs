//! Python bindings (pyo3) of libsigv4.

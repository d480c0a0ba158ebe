//! Node bindings (napi-rs) of libsigv4.

//! The C ABI of libsigv4 (see include/sigv4.h).

//! A chunk of `verify_many` entries read out of Python: their texts and small bodies copied into
//! one buffer per chunk (no Python object reaches the worker threads, and no reference count per
//! text is taken and dropped later), large bodies held by reference.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyAny, PyBytes, PyDict, PyList, PyString, PyTuple};
use pyo3::Borrowed;
use sigv4::{Body, SigningTime};

use crate::body::{hash_stream, BodyInput};
use crate::borrowed;
use crate::text::str_of;
use crate::timestamp;

/// Bodies at least this long are held by reference instead of copied into the chunk.
const HOLD_BODY: usize = 16 * 1024;

/// A chunk is handed to a thread when it holds this many entries (the batch's first and last
/// chunks are smaller, see [`crate::batch`])...
pub const CHUNK_ENTRIES: usize = 128;
/// ...or this many bytes of texts and bodies (large bodies: fewer per chunk, better balance).
pub const CHUNK_BYTES: usize = 256 * 1024;

/// A byte range of the chunk's text or body buffer.
type Span = (usize, usize);

/// A `bytes` body kept alive by the chunk (immutable, so its buffer stays valid and unchanged).
struct Held {
    _keep: Py<PyBytes>,
    ptr: *const u8,
    len: usize,
}

// SAFETY: `ptr` points into the immutable buffer of the `bytes` object `keep` owns a reference to;
// the buffer is only read, and lives as long as this value.
unsafe impl Send for Held {}
unsafe impl Sync for Held {}

/// Where an entry's body is.
pub enum BodySpec {
    /// Bytes in the chunk's body buffer.
    Copied(Span),
    /// A large `bytes`, by reference (index into `held`).
    Held(usize),
    /// The hash of a file or iterable body, read with the GIL held (text buffer).
    Hash(Span),
}

/// One entry of a chunk.
pub enum Spec {
    /// Read: spans of the chunk's buffers.
    Ready {
        method: Span,
        url: Span,
        /// Range of the chunk's header pairs.
        headers: Span,
        body: BodySpec,
        now: SigningTime,
    },
    /// Reading it raised this (the entry's result).
    Unreadable(PyErr),
}

/// Entries read from Python, ready for any thread.
#[derive(Default)]
pub struct Chunk {
    text: String,
    bodies: Vec<u8>,
    pairs: Vec<(Span, Span)>,
    held: Vec<Held>,
    /// The entries, in order.
    pub specs: Vec<Spec>,
}

/// One entry's request, borrowed from its chunk.
pub struct View<'a> {
    /// The method.
    pub method: &'a str,
    /// The URL.
    pub url: &'a str,
    /// The body (bytes or a precomputed hash).
    pub body: Body<'a>,
    /// The verification instant.
    pub now: SigningTime,
}

/// Reads every cache line of `items` once, in order: data another core wrote comes over in a
/// prefetched stream (measured on this VM: 5-18 ns a line) instead of one line per access as the
/// code reaches it (70-350 ns each, by how the VM's vCPUs are placed).
pub fn touch<T>(items: &[T]) {
    let bytes = std::mem::size_of_val(items);
    // Read as `MaybeUninit`: a line may start in an element's padding, which is not initialised.
    let base = items.as_ptr().cast::<std::mem::MaybeUninit<u8>>();
    let mut at = 0;
    while at < bytes {
        // SAFETY: `at` is inside the slice's bytes; a volatile read keeps the load.
        std::hint::black_box(unsafe { base.add(at).read_volatile() });
        at += 64;
    }
}

/// How much a chunk held: the capacities to give a new chunk's buffers.
#[derive(Clone, Copy, Default)]
pub struct ChunkSizes {
    text: usize,
    bodies: usize,
    pairs: usize,
    specs: usize,
}

impl Chunk {
    /// An empty chunk whose buffers can take `sizes` without growing.
    pub fn with_sizes(sizes: ChunkSizes) -> Self {
        Chunk {
            text: String::with_capacity(sizes.text),
            bodies: Vec::with_capacity(sizes.bodies),
            pairs: Vec::with_capacity(sizes.pairs),
            held: Vec::new(),
            specs: Vec::with_capacity(sizes.specs),
        }
    }

    /// How much this chunk's buffers can hold (what they grew to; kept by [`clear`](Self::clear)).
    pub fn sizes(&self) -> ChunkSizes {
        ChunkSizes {
            text: self.text.capacity(),
            bodies: self.bodies.capacity(),
            pairs: self.pairs.capacity(),
            specs: self.specs.capacity(),
        }
    }

    /// Empties the chunk, keeping its buffers for the next one (fresh buffers per chunk cost page
    /// faults and allocator consolidation on every chunk).
    pub fn clear(&mut self) {
        self.text.clear();
        self.bodies.clear();
        self.pairs.clear();
        self.held.clear();
        self.specs.clear();
    }

    /// Whether the chunk holds `entries` entries, or enough bytes, to hand over.
    pub fn is_full(&self, entries: usize) -> bool {
        self.specs.len() >= entries || self.text.len() + self.bodies.len() >= CHUNK_BYTES
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.specs.len()
    }

    /// Reads the chunk's buffers once, sequentially, before a thread other than the one that
    /// filled them verifies it: the reading thread's core still holds them, and fetched line by
    /// line as verification touches them they cost a cross-core transfer each (measured: a worker
    /// verified ~40% slower per request than the reading thread); a sequential pass lets the
    /// hardware prefetch them in bulk.
    pub fn warm(&self) {
        touch(self.text.as_bytes());
        touch(&self.bodies);
        touch(&self.pairs);
        touch(&self.specs);
    }

    fn str_at(&self, (start, end): Span) -> &str {
        &self.text[start..end]
    }

    fn push_text(&mut self, s: &str) -> Span {
        let start = self.text.len();
        self.text.push_str(s);
        (start, self.text.len())
    }

    /// The request of a `Ready` spec, its headers appended to `headers` (cleared first).
    pub fn view<'a>(
        &'a self,
        spec: &'a Spec,
        headers: &mut Vec<(&'a str, &'a str)>,
    ) -> Option<View<'a>> {
        let Spec::Ready {
            method,
            url,
            headers: range,
            body,
            now,
        } = spec
        else {
            return None;
        };
        headers.clear();
        headers.extend(
            self.pairs[range.0..range.1]
                .iter()
                .map(|&(n, v)| (self.str_at(n), self.str_at(v))),
        );
        let body = match *body {
            BodySpec::Copied((start, end)) => Body::Bytes(&self.bodies[start..end]),
            // SAFETY: see `Held`.
            BodySpec::Held(i) => Body::Bytes(unsafe {
                std::slice::from_raw_parts(self.held[i].ptr, self.held[i].len)
            }),
            BodySpec::Hash(span) => Body::Precomputed(self.str_at(span)),
        };
        Some(View {
            method: self.str_at(*method),
            url: self.str_at(*url),
            body,
            now: *now,
        })
    }

    /// Reads one entry (see [`crate::batch::verify_many`]); an entry that cannot be read becomes
    /// `Unreadable` with the exception, and leaves nothing else behind.
    pub fn read(&mut self, py: Python<'_>, value: &Bound<'_, PyAny>, default_now: SigningTime) {
        let marks = (
            self.text.len(),
            self.bodies.len(),
            self.pairs.len(),
            self.held.len(),
        );
        match self.read_entry(py, value, default_now) {
            Ok(spec) => self.specs.push(spec),
            Err(e) => {
                self.text.truncate(marks.0);
                self.bodies.truncate(marks.1);
                self.pairs.truncate(marks.2);
                self.held.truncate(marks.3);
                self.specs.push(Spec::Unreadable(e));
            }
        }
    }

    fn read_entry(
        &mut self,
        py: Python<'_>,
        value: &Bound<'_, PyAny>,
        default_now: SigningTime,
    ) -> PyResult<Spec> {
        let Fields {
            method,
            url,
            headers,
            body,
            now,
        } = fields(py, value)?;
        let method = match &method {
            Some(m) => self.push_text(&str_of(text_field(m, "method")?)?),
            None => self.push_text("GET"),
        };
        let url = self.push_text(&str_of(text_field(&url, "url")?)?);
        let start = self.pairs.len();
        if let Some(h) = headers.as_ref().filter(|h| !self.headers_fast(h)) {
            self.pairs.truncate(start);
            // The general reader runs Python code (a mapping's `items()`): owned from here.
            let h = h.to_owned();
            for (name, value) in crate::headers::extract_texts(Some(&h))? {
                let pair = (
                    self.push_text(name.as_str()),
                    self.push_text(value.as_str()),
                );
                self.pairs.push(pair);
            }
        }
        let headers = (start, self.pairs.len());
        let body = match BodyInput::extract(body.as_ref())? {
            BodyInput::Bytes(b) if b.as_bytes().len() >= HOLD_BODY => {
                let data = b.as_bytes();
                self.held.push(Held {
                    ptr: data.as_ptr(),
                    len: data.len(),
                    _keep: b.unbind(),
                });
                BodySpec::Held(self.held.len() - 1)
            }
            BodyInput::Stream(stream) => BodySpec::Hash(self.push_text(&hash_stream(&stream)?)),
            input => {
                let start = self.bodies.len();
                self.bodies
                    .extend_from_slice(input.as_slice().unwrap_or_default());
                BodySpec::Copied((start, self.bodies.len()))
            }
        };
        let now = match &now {
            Some(n) => timestamp::parse(py, Some(n))?,
            None => default_now,
        };
        Ok(Spec::Ready {
            method,
            url,
            headers,
            body,
            now,
        })
    }

    /// Copies headers in the common shapes (a list of `(str, str)` tuples, a dict of str) without
    /// the general reader; false (pairs possibly half-copied) for anything else, which the general
    /// reader then handles, errors included. Reads with borrowed references (see
    /// [`crate::borrowed`]: nothing here runs Python code).
    fn headers_fast(&mut self, headers: &Bound<'_, PyAny>) -> bool {
        let mut copy = |name: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>| -> bool {
            let (Ok(n), Ok(v)) = (name.cast::<PyString>(), value.cast::<PyString>()) else {
                return false;
            };
            let (Ok(n), Ok(v)) = (str_of(n), str_of(v)) else {
                return false;
            };
            let pair = (self.push_text(&n), self.push_text(&v));
            self.pairs.push(pair);
            true
        };
        if let Ok(list) = headers.cast::<PyList>() {
            return borrowed::list_items(list, |item| {
                let Ok(t) = item.cast::<PyTuple>() else {
                    return false;
                };
                if t.len() != 2 {
                    return false;
                }
                let (Ok(n), Ok(v)) = (t.get_borrowed_item(0), t.get_borrowed_item(1)) else {
                    return false;
                };
                copy(&n, &v)
            });
        }
        if let Ok(dict) = headers.cast::<PyDict>() {
            return borrowed::dict_items(dict, |n, v| copy(&n, &v));
        }
        false
    }
}

/// The keys of a request dict, in the order [`fields`] returns them.
const FIELDS: [&str; 5] = ["method", "url", "headers", "body", "now"];

/// An entry's fields (None for absent or None values). The method, URL and headers are borrowed
/// from the entry (a dict's values: valid until Python code runs, so they are read before the
/// body or the instant is); the body and the instant, whose reading may run Python code, are
/// owned.
struct Fields<'a, 'py> {
    method: Option<Borrowed<'a, 'py, PyAny>>,
    url: Borrowed<'a, 'py, PyAny>,
    headers: Option<Borrowed<'a, 'py, PyAny>>,
    body: Option<Bound<'py, PyAny>>,
    now: Option<Bound<'py, PyAny>>,
}

/// The fields of one entry: a mapping `{"method", "url", "headers", "body", "now"}` (the
/// arguments of `verify`; `url` required) or a tuple `(method, url[, headers[, body]])`.
fn fields<'a, 'py>(py: Python<'py>, value: &'a Bound<'py, PyAny>) -> PyResult<Fields<'a, 'py>> {
    if let Ok(map) = value.cast::<PyDict>() {
        // One pass over the entries (cheaper than a lookup per field): keys are matched by
        // identity with the interned names first (literal keys in Python code are interned), by
        // text otherwise (keys parsed from JSON are not).
        let names = [
            pyo3::intern!(py, "method"),
            pyo3::intern!(py, "url"),
            pyo3::intern!(py, "headers"),
            pyo3::intern!(py, "body"),
            pyo3::intern!(py, "now"),
        ];
        let mut found: [Option<Borrowed<'a, 'py, PyAny>>; 5] = Default::default();
        let mut unknown = None;
        borrowed::dict_items(map, |key, value| {
            let slot = match names.iter().position(|name| key.is(name)) {
                Some(i) => Some(i),
                None => match key.cast::<PyString>() {
                    Ok(k) => str_of(&k)
                        .ok()
                        .and_then(|k| FIELDS.iter().position(|name| *name == &*k)),
                    Err(_) => None,
                },
            };
            match slot {
                Some(i) => found[i] = Some(value).filter(|v| !v.is_none()),
                // Kept owned: its repr (Python code) is taken after the walk.
                None => unknown = Some(key.to_owned()),
            }
            unknown.is_none()
        });
        if let Some(key) = unknown {
            return Err(PyTypeError::new_err(format!(
                "verify_many: unknown request key {}; use method, url, headers, body, now",
                key.repr()?
            )));
        }
        let [method, url, headers, body, now] = found;
        let url =
            url.ok_or_else(|| PyTypeError::new_err("verify_many: a request needs a \"url\""))?;
        return Ok(Fields {
            method,
            url,
            headers,
            body: body.map(Borrowed::to_owned),
            now: now.map(Borrowed::to_owned),
        });
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        if !(2..=4).contains(&tuple.len()) {
            return Err(PyTypeError::new_err(
                "verify_many: a request tuple is (method, url[, headers[, body]])",
            ));
        }
        // A tuple cannot change: its items stay valid as long as it lives.
        let at = |i: usize| tuple.get_borrowed_item(i).ok().filter(|v| !v.is_none());
        return Ok(Fields {
            method: at(0),
            url: tuple.get_borrowed_item(1)?,
            headers: at(2),
            body: at(3).map(Borrowed::to_owned),
            now: None,
        });
    }
    Err(PyTypeError::new_err(format!(
        "verify_many: each request must be a dict {{method, url, headers, body}} or a tuple \
         (method, url, headers, body), not {}",
        value.get_type().name()?
    )))
}

fn text_field<'a, 'py>(
    value: &'a Bound<'py, PyAny>,
    what: &str,
) -> PyResult<&'a Bound<'py, PyString>> {
    value.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!(
            "verify_many: {what} must be a str, not {}",
            value
                .get_type()
                .name()
                .map_or_else(|_| "?".into(), |n| n.to_string())
        ))
    })
}

//! The boundary: input, output and lookup buffers, the field reader, errors as bytes, and the
//! table of live objects (signers, verifiers, uploads) that JS refers to by handle.

use std::cell::RefCell;
use std::rc::Rc;

use sigv4::{Error, ErrorKind};

/// Field length meaning "absent" (JS `undefined`/`null`).
pub const ABSENT: u32 = u32::MAX;

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The answer of a JS credential lookup, written while a verification is running.
    static LOOKUP: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static OBJECTS: RefCell<Vec<Option<Object>>> = const { RefCell::new(Vec::new()) };
}

/// A live object JS holds a handle on.
#[derive(Clone)]
pub enum Object {
    /// A `Signer`.
    Signer(Rc<RefCell<crate::signer::SignerState>>),
    /// A `Verifier`.
    Verifier(Rc<crate::verifier::VerifierState>),
    /// The encoder of a streaming upload.
    Upload(Rc<RefCell<sigv4::ChunkedEncoder>>),
    /// The decoder of a verified streaming upload.
    Stream(Rc<RefCell<sigv4::ChunkedDecoder>>),
    /// A signer of `libsigv4/aws-sdk` and `libsigv4/aws4fetch` (`sdkHandle`).
    Sdk(Rc<sigv4::dropins::SdkSigner>),
    /// A signer of `libsigv4/aws4` (`aws4Handle`).
    Aws4(Rc<sigv4::dropins::Aws4Signer>),
}

fn reserve(buf: &RefCell<Vec<u8>>, len: usize) -> *mut u8 {
    let mut b = buf.borrow_mut();
    if b.len() < len {
        b.resize(len, 0);
    }
    b.as_mut_ptr()
}

/// An input buffer of at least `len` bytes for the next call's fields; its address.
#[no_mangle]
pub extern "C" fn sigv4_input(len: usize) -> *mut u8 {
    INPUT.with(|i| reserve(i, len))
}

/// A buffer of at least `len` bytes for a credential lookup's answer; its address.
#[no_mangle]
pub extern "C" fn sigv4_lookup_input(len: usize) -> *mut u8 {
    LOOKUP.with(|i| reserve(i, len))
}

/// The address of the last call's output.
#[no_mangle]
pub extern "C" fn sigv4_output_ptr() -> *const u8 {
    OUTPUT.with(|o| o.borrow().as_ptr())
}

/// The length of the last call's output.
#[no_mangle]
pub extern "C" fn sigv4_output_len() -> usize {
    OUTPUT.with(|o| o.borrow().len())
}

/// Frees the object behind `handle` (JS calls it from `FinalizationRegistry` or `free()`).
#[no_mangle]
pub extern "C" fn sigv4_drop(handle: u32) {
    OBJECTS.with(|o| {
        if let Some(slot) = o.borrow_mut().get_mut(handle as usize - 1) {
            *slot = None;
        }
    });
}

/// Keeps `object`; its handle (`> 0`).
pub fn store(object: Object) -> i32 {
    OBJECTS.with(|o| {
        let mut o = o.borrow_mut();
        let at = match o.iter().position(Option::is_none) {
            Some(i) => {
                o[i] = Some(object);
                i
            }
            None => {
                o.push(Some(object));
                o.len() - 1
            }
        };
        at as i32 + 1
    })
}

/// The object behind `handle` (cloned out, so that no borrow is held while JS runs).
pub fn object(handle: u32) -> Result<Object, Error> {
    OBJECTS
        .with(|o| {
            o.borrow()
                .get((handle as usize).wrapping_sub(1))
                .cloned()
                .flatten()
        })
        .ok_or_else(|| {
            Error::from_binding(ErrorKind::InvalidOption, "handle", "this object was freed")
        })
}

/// Runs `f` on the input buffer's first `len` bytes.
pub fn with_input<T>(len: usize, f: impl FnOnce(&[u8]) -> T) -> T {
    INPUT.with(|i| {
        let buf = i.borrow();
        f(&buf[..len.min(buf.len())])
    })
}

/// Runs `f` on the lookup buffer's first `len` bytes.
pub fn with_lookup<T>(len: usize, f: impl FnOnce(&[u8]) -> T) -> T {
    LOOKUP.with(|i| {
        let buf = i.borrow();
        f(&buf[..len.min(buf.len())])
    })
}

fn set_output(bytes: Vec<u8>) {
    OUTPUT.with(|o| *o.borrow_mut() = bytes);
}

/// An error as output bytes: `code NUL argument NUL message`, plus the server's canonical request
/// and string to sign for a signature mismatch.
pub fn error_bytes(e: &Error) -> Vec<u8> {
    let mut out = Vec::with_capacity(96);
    out.extend_from_slice(e.code().as_bytes());
    out.push(0);
    out.extend_from_slice(e.argument().unwrap_or("").as_bytes());
    out.push(0);
    out.extend_from_slice(e.message().as_bytes());
    if let Some(m) = e.mismatch() {
        out.push(0);
        out.extend_from_slice(m.canonical_request.as_bytes());
        out.push(0);
        out.extend_from_slice(m.string_to_sign.as_bytes());
    }
    out
}

/// Puts a result into the output; the status for JS (`0` or `-1`).
pub fn answer(result: Result<Vec<u8>, Error>) -> i32 {
    match result {
        Ok(bytes) => {
            set_output(bytes);
            0
        }
        Err(e) => fail(&e),
    }
}

/// Puts an error into the output; `-1`.
pub fn fail(e: &Error) -> i32 {
    set_output(error_bytes(e));
    -1
}

/// Puts a new object's side result into the output and returns its handle (or the error).
pub fn answer_handle(result: Result<(Object, Vec<u8>), Error>) -> i32 {
    match result {
        Ok((object, bytes)) => {
            set_output(bytes);
            store(object)
        }
        Err(e) => fail(&e),
    }
}

/// `a` then `b` (error messages: cheaper in WebAssembly than `format!`, whose call sites weigh ~200 bytes each).
pub fn msg(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    s
}

/// `parts` joined by NUL bytes (one join for every answer: each `join` instantiation weighs ~1 KiB).
pub fn nul_join(parts: &[&str]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push(0);
        }
        out.extend_from_slice(p.as_bytes());
    }
    out
}

/// `parts` each as a little-endian `u32` length and its bytes (the input's framing): for texts that may
/// hold NUL themselves.
pub fn framed(parts: &[&str]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 4).sum());
    for p in parts {
        out.extend_from_slice(&(p.len() as u32).to_le_bytes());
        out.extend_from_slice(p.as_bytes());
    }
    out
}

/// Reads the fields of a call: each a little-endian `u32` length ([`ABSENT`] for none) and that
/// many bytes. Strings are UTF-8 (JS's `TextEncoder`).
pub struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
}

fn truncated() -> Error {
    Error::from_binding(
        ErrorKind::InvalidOption,
        "arguments",
        "truncated call arguments",
    )
}

impl<'a> Reader<'a> {
    /// A reader over `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, at: 0 }
    }

    /// Whether every field was read.
    pub fn is_empty(&self) -> bool {
        self.at >= self.buf.len()
    }

    /// The next field (`None` when absent).
    pub fn bytes(&mut self) -> Result<Option<&'a [u8]>, Error> {
        let head = self.buf.get(self.at..self.at + 4).ok_or_else(truncated)?;
        let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        self.at += 4;
        if len == ABSENT {
            return Ok(None);
        }
        let end = self.at + len as usize;
        let field = self.buf.get(self.at..end).ok_or_else(truncated)?;
        self.at = end;
        Ok(Some(field))
    }

    /// The next field as text (`None` when absent).
    pub fn opt_str(&mut self, what: &'static str) -> Result<Option<&'a str>, Error> {
        match self.bytes()? {
            None => Ok(None),
            Some(b) => std::str::from_utf8(b).map(Some).map_err(|_| {
                Error::from_binding(ErrorKind::InvalidUtf8, what, msg(what, " is not UTF-8"))
            }),
        }
    }

    /// The next field as required text.
    pub fn str(&mut self, kind: ErrorKind, what: &'static str) -> Result<&'a str, Error> {
        self.opt_str(what)?
            .ok_or_else(|| Error::from_binding(kind, what, msg(what, " is required")))
    }

    /// The remaining fields as `(name, value)` text pairs.
    pub fn pairs(&mut self) -> Result<Vec<(&'a str, &'a str)>, Error> {
        let mut out = Vec::with_capacity(8);
        while !self.is_empty() {
            let name = self.str(ErrorKind::InvalidHeaderName, "header name")?;
            let value = self.opt_str("header value")?.unwrap_or("");
            out.push((name, value));
        }
        Ok(out)
    }
}

/// A number JS wrote as text (`String(n)`): a non-negative integer within `0..=max`, else `bad`.
/// (`String(n)` prints integers up to 1e21 as plain digits; fractions, `NaN`, `Infinity`, negative
/// and exponent forms are refused. No float parsing: it would weigh ~20 KiB of WebAssembly.)
pub fn integer(text: &str, max: u64, bad: impl FnOnce() -> Error) -> Result<u64, Error> {
    match text.parse::<u64>() {
        Ok(n) if n <= max && !text.starts_with('+') => Ok(n),
        _ => Err(bad()),
    }
}

/// Epoch seconds JS wrote as an integer (it floors them first); `None` when not one.
pub fn epoch(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().filter(|_| !text.starts_with('+'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(out: &mut Vec<u8>, f: Option<&[u8]>) {
        match f {
            None => out.extend_from_slice(&ABSENT.to_le_bytes()),
            Some(b) => {
                out.extend_from_slice(&(b.len() as u32).to_le_bytes());
                out.extend_from_slice(b);
            }
        }
    }

    #[test]
    fn reads_fields_absent_and_truncated() {
        let mut buf = Vec::new();
        field(&mut buf, Some(b"GET"));
        field(&mut buf, None);
        field(&mut buf, Some(b""));
        let mut r = Reader::new(&buf);
        assert_eq!(r.opt_str("method").unwrap(), Some("GET"));
        assert_eq!(r.bytes().unwrap(), None);
        assert_eq!(r.bytes().unwrap(), Some(&b""[..]));
        assert!(r.is_empty());
        let mut short = Reader::new(&buf[..5]);
        short.bytes().unwrap_err();
    }

    #[test]
    fn integers_from_js_text() {
        let bad = || Error::from_binding(ErrorKind::InvalidOption, "n", "bad");
        assert_eq!(integer("3600", 604_800, bad).unwrap(), 3600);
        for t in [
            "1.5", "NaN", "Infinity", "-1", "604801", "x", "+5", "1e+21", "",
        ] {
            integer(t, 604_800, bad).unwrap_err();
        }
        assert_eq!(epoch("-86400"), Some(-86_400));
        assert_eq!(epoch("1e+21"), None);
    }
}

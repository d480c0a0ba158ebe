//! The C ABI driven from Rust as a C caller would: every pointer argument either NULL (with an
//! arbitrary length) or valid for exactly its length (arbitrary bytes, UTF-8 or not); enum and
//! option arguments arbitrary integers; out-pointers sometimes NULL. Every call returns a code
//! (never `SIGV4_PANIC`: libFuzzer's panic hook aborts first anyway), each failure leaves a
//! message, every handle is freed once, and a request signed through the C API verifies through it.
#![no_main]

use std::ffi::c_char;
use std::ptr::{null, null_mut};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sigv4_ffi::*;

/// A byte input: NULL with a length, or bytes (passed with their own length).
#[derive(Arbitrary, Debug)]
enum Input {
    Null(u8),
    Bytes(Vec<u8>),
    Text(String),
}

impl Input {
    fn ptr_len(&self) -> (*const u8, usize) {
        match self {
            Input::Null(n) => (null(), usize::from(*n)),
            Input::Bytes(b) => (if b.is_empty() { null() } else { b.as_ptr() }, b.len()),
            Input::Text(t) => (t.as_ptr(), t.len()),
        }
    }
}

/// An input that is usually the good value (so that calls get past the first argument).
#[derive(Arbitrary, Debug)]
struct Maybe(Option<Input>);

impl Maybe {
    fn ptr_len(&self, good: &'static str) -> (*const u8, usize) {
        match &self.0 {
            None => (good.as_ptr(), good.len()),
            Some(i) => i.ptr_len(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Pair {
    name: Maybe,
    value: Input,
}

#[derive(Arbitrary, Debug)]
struct Case {
    akid: Maybe,
    secret: Maybe,
    token: Option<Input>,
    region: Maybe,
    service: Maybe,
    options: Vec<(u8, u32, bool)>,
    method: Maybe,
    url: Maybe,
    headers: Vec<Pair>,
    headers_null: bool,
    body: Option<Input>,
    payload_hash: Option<Input>,
    timestamp: i64,
    presign: Option<u64>,
    null_out: u8,
    fields: Vec<u32>,
    verifier_options: Vec<(u8, u32, bool)>,
    wire: Vec<Input>,
}

// The signed-request accessors are exported for C but not re-exported to Rust: declare them as C
// declares them (include/sigv4.h).
#[allow(improper_ctypes)] // opaque handles, only ever behind pointers
extern "C" {
    fn sigv4_signed_request_field(
        signed: *const sigv4_signed_request,
        field: u32,
        value_out: *mut *const c_char,
        value_len_out: *mut usize,
    ) -> sigv4_result;
    fn sigv4_signed_request_url(
        signed: *const sigv4_signed_request,
        value_out: *mut *const c_char,
        value_len_out: *mut usize,
    ) -> sigv4_result;
    fn sigv4_signed_request_header_count(signed: *const sigv4_signed_request) -> usize;
    fn sigv4_signed_request_header(
        signed: *const sigv4_signed_request,
        index: usize,
        name_out: *mut *const c_char,
        name_len_out: *mut usize,
        value_out: *mut *const c_char,
        value_len_out: *mut usize,
    ) -> sigv4_result;
}

fn check(code: sigv4_result) -> bool {
    let raw = code as u32;
    assert_ne!(raw, 3, "SIGV4_PANIC");
    assert!(!sigv4_result_message(raw).is_null());
    if raw != 0 {
        // Ask for the length, then copy: the documented two-call pattern.
        let mut len = 0usize;
        let got = sigv4_last_error_message(null_mut(), 0, &mut len);
        assert!(
            matches!(got as u32, 0 | 2),
            "sigv4_last_error_message: {}",
            got as u32
        );
        assert!(len > 0, "a failure without a message (code {raw})");
        let mut buf = vec![0 as c_char; len + 1];
        let mut copied = 0usize;
        let got = sigv4_last_error_message(buf.as_mut_ptr(), buf.len(), &mut copied);
        assert_eq!(got as u32, 0, "sigv4_last_error_message failed");
        assert_eq!(copied, len);
        assert_eq!(buf[len], 0, "no NUL after the message");
    }
    raw == 0
}

fn out<T>(slot: &mut *mut T, null_out: bool) -> *mut *mut T {
    if null_out {
        null_mut()
    } else {
        slot
    }
}

fuzz_target!(|case: Case| {
    let null_out = |bit: u8| case.null_out & (1 << bit) != 0;

    // Credentials.
    let (a, al) = case.akid.ptr_len("AKIDEXAMPLE");
    let (s, sl) = case
        .secret
        .ptr_len("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    let (t, tl) = case.token.as_ref().map_or((null(), 0), Input::ptr_len);
    let mut creds = null_mut();
    if !check(sigv4_credentials_new(
        a,
        al,
        s,
        sl,
        t,
        tl,
        out(&mut creds, null_out(0)),
    )) {
        assert!(creds.is_null());
        return;
    }

    // Signing options with arbitrary settings.
    let mut options = null_mut();
    assert!(check(sigv4_signing_options_new(&mut options)));
    for (which, value, flag) in case.options.iter().take(6) {
        let code = match which % 7 {
            0 => sigv4_signing_options_set_payload(options, *value),
            1 => sigv4_signing_options_set_uri_encoding(options, *value),
            2 => sigv4_signing_options_set_algorithm(options, *value),
            3 => sigv4_signing_options_set_normalize_path(options, *flag),
            4 => sigv4_signing_options_set_content_sha256_header(options, *flag),
            5 => sigv4_signing_options_set_sign_session_token(options, *flag),
            _ => {
                let name = value.to_string();
                sigv4_signing_options_add_unsigned_header(options, name.as_ptr(), name.len())
            }
        };
        check(code);
    }

    // A signer.
    let (r, rl) = case.region.ptr_len("us-east-1");
    let (v, vl) = case.service.ptr_len("service");
    let mut signer = null_mut();
    let made = check(sigv4_signer_new(
        creds,
        r,
        rl,
        v,
        vl,
        options,
        out(&mut signer, null_out(1)),
    ));
    sigv4_signing_options_free(options);
    if !made {
        sigv4_credentials_free(creds);
        return;
    }

    // A request: header pairs, body, payload hash all arbitrary.
    let pairs: Vec<sigv4_pair> = case
        .headers
        .iter()
        .take(8)
        .map(|p| {
            let (name, name_len) = p.name.ptr_len("Host");
            let (value, value_len) = p.value.ptr_len();
            sigv4_pair {
                name,
                name_len,
                value,
                value_len,
            }
        })
        .collect();
    let (m, ml) = case.method.ptr_len("GET");
    let (u, ul) = case.url.ptr_len("https://example.amazonaws.com/?a=b");
    let (b, bl) = case.body.as_ref().map_or((null(), 0), Input::ptr_len);
    let (h, hl) = case
        .payload_hash
        .as_ref()
        .map_or((null(), 0), Input::ptr_len);
    let request = sigv4_request {
        method: m,
        method_len: ml,
        url: u,
        url_len: ul,
        headers: if case.headers_null {
            null()
        } else {
            pairs.as_ptr()
        },
        headers_len: pairs.len(),
        body: b,
        body_len: bl,
        payload_hash: h,
        payload_hash_len: hl,
    };
    let mut signed = null_mut();
    let ok = match case.presign {
        Some(e) => check(sigv4_signer_presign(
            signer,
            &request,
            case.timestamp,
            e,
            out(&mut signed, null_out(2)),
        )),
        None => check(sigv4_signer_sign(
            signer,
            &request,
            case.timestamp,
            out(&mut signed, null_out(2)),
        )),
    };
    if ok {
        for field in case.fields.iter().take(6) {
            let mut p = null();
            let mut len = 0usize;
            // SAFETY: valid handle and out-pointers, as C would pass them.
            if check(unsafe { sigv4_signed_request_field(signed, *field, &mut p, &mut len) }) {
                assert!(!p.is_null());
                // SAFETY: the library lends `len` bytes plus a NUL at `p` while `signed` lives.
                let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len + 1) };
                assert_eq!(bytes[len], 0, "a field without its NUL");
                assert!(std::str::from_utf8(&bytes[..len]).is_ok());
            }
        }
        // Verify what was signed, through the C API, with the same key.
        let mut store = null_mut();
        assert!(check(sigv4_credential_store_new(&mut store)));
        check(sigv4_credential_store_add(store, a, al, s, sl, t, tl));
        let mut vopts = null_mut();
        assert!(check(sigv4_verifier_options_new(&mut vopts)));
        for (which, value, flag) in case.verifier_options.iter().take(4) {
            let code = match which % 6 {
                0 => sigv4_verifier_options_set_max_skew(vopts, *value),
                1 => sigv4_verifier_options_set_max_expires(vopts, *value),
                2 => sigv4_verifier_options_set_uri_encoding(vopts, *value),
                3 => sigv4_verifier_options_set_allow_unsigned_payload(vopts, *flag),
                4 => sigv4_verifier_options_set_replay_cache_capacity(vopts, *value as usize),
                _ => sigv4_verifier_options_set_allow_sigv4a(vopts, *flag),
            };
            check(code);
        }
        let mut verifier = null_mut();
        if check(sigv4_verifier_new(
            store,
            r,
            rl,
            v,
            vl,
            vopts,
            &mut verifier,
        )) {
            let mut wire_headers = Vec::new();
            // SAFETY: a valid handle.
            let count = unsafe { sigv4_signed_request_header_count(signed) };
            for i in 0..=count {
                let (mut n, mut nl, mut val, mut vl2) = (null(), 0usize, null(), 0usize);
                // SAFETY: a valid handle and out-pointers.
                let code = unsafe {
                    sigv4_signed_request_header(signed, i, &mut n, &mut nl, &mut val, &mut vl2)
                };
                if check(code) {
                    assert!(i < count);
                    wire_headers.push(sigv4_pair {
                        name: n.cast(),
                        name_len: nl,
                        value: val.cast(),
                        value_len: vl2,
                    });
                }
            }
            let (mut url, mut url_len) = (null(), 0usize);
            // SAFETY: a valid handle and out-pointers.
            assert!(check(unsafe {
                sigv4_signed_request_url(signed, &mut url, &mut url_len)
            }));
            let wire = sigv4_request {
                url: url.cast(),
                url_len,
                headers: if wire_headers.is_empty() {
                    null()
                } else {
                    wire_headers.as_ptr()
                },
                headers_len: wire_headers.len(),
                ..request
            };
            let mut identity = null_mut();
            if check(sigv4_verifier_verify(
                verifier,
                &wire,
                case.timestamp,
                &mut identity,
            )) {
                sigv4_verified_identity_free(identity);
            }
            // A streaming verification of the same request, then arbitrary wire bytes to its decoder.
            let mut identity = null_mut();
            let mut decoder = null_mut();
            if check(sigv4_verifier_verify_streaming(
                verifier,
                &wire,
                case.timestamp,
                &mut identity,
                &mut decoder,
            )) {
                for piece in case.wire.iter().take(4) {
                    let (p, l) = piece.ptr_len();
                    let (mut d, mut dl) = (null(), 0usize);
                    check(sigv4_chunked_decoder_feed(decoder, p, l, &mut d, &mut dl));
                }
                if check(sigv4_chunked_decoder_finish(decoder)) {
                    let n = sigv4_chunked_decoder_trailer_count(decoder);
                    for i in 0..=n {
                        let (mut a1, mut b1, mut c1, mut d1) = (null(), 0usize, null(), 0usize);
                        check(sigv4_chunked_decoder_trailer(
                            decoder, i, &mut a1, &mut b1, &mut c1, &mut d1,
                        ));
                    }
                }
                sigv4_chunked_decoder_free(decoder);
                sigv4_verified_identity_free(identity);
            }
            sigv4_verifier_free(verifier);
        }
        sigv4_verifier_options_free(vopts);
        sigv4_credential_store_free(store);
        sigv4_signed_request_free(signed);
    } else {
        assert!(signed.is_null());
    }
    sigv4_signer_free(signer);
    sigv4_credentials_free(creds);
    // Freeing NULL does nothing.
    sigv4_signer_free(null_mut());
    sigv4_signed_request_free(null_mut());
});

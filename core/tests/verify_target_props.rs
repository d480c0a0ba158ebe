//! Issue 23, the property: for generated requests signed by our signer and one mutation of the raw
//! request-target (a byte inserted, removed or replaced), either verification fails, or the
//! (path, query) an application parses from the mutated target — split by the core's
//! `RequestTarget::parse`, then percent-decoded (and `+` read as a space in the query, pieces
//! split at `&` and `=`, empty pieces skipped, as form parsers do) — equals the signed one.

use proptest::prelude::*;
use sigv4::{
    Body, Credentials, Request, RequestTarget, Signer, SigningSettings, SigningTime, Verifier,
    VerifierSettings,
};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const T0: i64 = 1_440_938_160;
const HOST: &str = "example.amazonaws.com";

fn creds() -> Credentials {
    Credentials::new(AKID, SECRET, None).unwrap()
}

fn percent_decode(text: &str, plus_is_space: bool) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

type Parsed = (Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>);

/// What an application parses from a raw target (None: the core refuses to read it).
fn parsed(target: &str) -> Option<Parsed> {
    let t = RequestTarget::parse(target, Some(HOST)).ok()?;
    let query = t
        .query()
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect();
    Some((percent_decode(t.path(), false), query))
}

/// A path segment (never `.` or `..`: a raw dot segment is refused before any signature check
/// under normalisation, and mutations insert dots anyway).
fn segment() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        "[A-Za-z0-9._~-]{1,6}",
        "[A-Za-z0-9;=,@:!$&'()*+-]{1,6}",
        Just("%20".to_owned()),
        Just("%2F".to_owned()),
        Just("%23".to_owned()),
        Just("%3F".to_owned()),
        Just("%E2%82%AC".to_owned()),
    ];
    segment.prop_filter("not a dot segment", |s| s != "." && s != "..")
}

fn query_part() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9._~-]{0,5}",
        "[A-Za-z0-9+/:@!$'()*,;?-]{0,5}",
        Just("%26".to_owned()),
        Just("%3D".to_owned()),
        Just("%23".to_owned()),
        Just("%2B".to_owned()),
    ]
}

fn target() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(segment(), 1..4),
        any::<bool>(),
        proptest::collection::vec((query_part(), query_part()), 0..4),
    )
        .prop_map(|(segments, slash, pairs)| {
            let mut t = format!("/{}", segments.join("/"));
            if slash {
                t.push('/');
            }
            if !pairs.is_empty() {
                t.push('?');
                let q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                t.push_str(&q.join("&"));
            }
            t
        })
}

/// Bytes a mutation inserts or writes: delimiters, escapes, controls, and a plain letter.
const BYTES: &[u8] = b"#?&=/.%;+ \\\r\n\t\0aA0@:,";

#[derive(Clone, Debug)]
enum Mutation {
    Insert(usize, u8),
    Remove(usize),
    Replace(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), proptest::sample::select(BYTES)).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Remove),
        (any::<usize>(), proptest::sample::select(BYTES))
            .prop_map(|(i, b)| Mutation::Replace(i, b)),
    ]
}

fn mutate(target: &str, m: &Mutation) -> String {
    let mut bytes = target.as_bytes().to_vec();
    match *m {
        Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
        Mutation::Remove(i) => {
            bytes.remove(i % bytes.len());
        }
        Mutation::Replace(i, b) => {
            let at = i % bytes.len();
            bytes[at] = b;
        }
    }
    String::from_utf8(bytes).unwrap()
}

fn check(service: &str, presign: bool, method: &str, target: &str, m: &Mutation) {
    let signer = Signer::with_settings(
        creds(),
        "us-east-1",
        service,
        SigningSettings::for_service(service),
    )
    .unwrap();
    let host = [("Host", HOST)];
    let now = SigningTime::from_unix(T0).unwrap();
    let request = Request::new(method, target, &host, Body::Bytes(b"")).unwrap();
    let (sent, headers): (String, Vec<(String, String)>) = if presign {
        let s = signer.presign(&request, now, 300).unwrap();
        let url = s.url().to_owned();
        (url, vec![("Host".to_owned(), HOST.to_owned())])
    } else {
        let s = signer.sign(&request, now).unwrap();
        (target.to_owned(), s.headers().to_vec())
    };
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let verifier = Verifier::new(
        creds(),
        &["us-east-1"],
        service,
        VerifierSettings::for_service(service),
    )
    .unwrap();
    let signed = parsed(&sent).expect("the signed target is readable");
    verifier
        .verify_http(method, &sent, &pairs, Body::Bytes(b""), now)
        .expect("the unmutated request verifies");
    let mutated = mutate(&sent, m);
    if verifier
        .verify_http(method, &mutated, &pairs, Body::Bytes(b""), now)
        .is_ok()
    {
        let got = parsed(&mutated);
        assert_eq!(
            got.as_ref(),
            Some(&signed),
            "{sent:?} mutated to {mutated:?} verifies but reads differently"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn a_mutated_target_fails_or_reads_as_signed(
        service in prop_oneof![Just("service"), Just("s3")],
        presign in any::<bool>(),
        method in prop_oneof![Just("GET"), Just("PUT"), Just("DELETE")],
        target in target(),
        m in mutation(),
    ) {
        check(service, presign, method, &target, &m);
    }
}

#[test]
fn the_properties_own_reading_is_the_forms_reading() {
    assert_eq!(
        parsed("/a%20b/c?x=1+2&&y=%26&z"),
        Some((
            b"/a b/c".to_vec(),
            vec![
                (b"x".to_vec(), b"1 2".to_vec()),
                (b"y".to_vec(), b"&".to_vec()),
                (b"z".to_vec(), b"".to_vec())
            ]
        ))
    );
    assert_eq!(parsed("/a#b"), None);
}

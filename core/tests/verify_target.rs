//! Issue 23: the request-target the verifier checks is the one the application receives.
//!
//! Requests are signed by our signer for a plain target (`/a`, `/a?x=1`); the verifier is then
//! given a hostile raw target. Expected outcomes are error codes (or "verifies"), not signatures.

use sigv4::{
    Body, Credentials, ErrorKind, Request, Signer, SigningSettings, SigningTime, Verifier,
    VerifierSettings,
};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const T0: i64 = 1_440_938_160; // 20150830T123600Z
const HOST: &str = "example.amazonaws.com";

fn creds() -> Credentials {
    Credentials::new(AKID, SECRET, None).unwrap()
}

fn now() -> SigningTime {
    SigningTime::from_unix(T0).unwrap()
}

fn verifier(service: &str, settings: VerifierSettings) -> Verifier {
    Verifier::new(creds(), &["us-east-1"], service, settings).unwrap()
}

/// Header-signs `GET {url}` (a path, with `Host`) and returns the headers to send.
fn sign_headers(service: &str, url: &str) -> Vec<(String, String)> {
    let signer = Signer::with_settings(
        creds(),
        "us-east-1",
        service,
        SigningSettings::for_service(service),
    )
    .unwrap();
    let headers = [("Host", HOST)];
    let request = Request::new("GET", url, &headers, Body::Bytes(b"")).unwrap();
    signer.sign(&request, now()).unwrap().headers().to_vec()
}

fn verify(
    v: &Verifier,
    target: &str,
    headers: &[(String, String)],
) -> Result<sigv4::VerifiedIdentity, sigv4::Error> {
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    v.verify_http("GET", target, &pairs, Body::Bytes(b""), now())
}

fn code(result: Result<sigv4::VerifiedIdentity, sigv4::Error>) -> String {
    match result {
        Ok(_) => "verifies".to_owned(),
        Err(e) => e.code().to_owned(),
    }
}

#[test]
fn a_raw_hash_in_the_target_is_refused_not_cut() {
    let v = verifier("service", VerifierSettings::for_service("service"));
    let headers = sign_headers("service", "/a");
    assert_eq!(code(verify(&v, "/a", &headers)), "verifies");
    // Before the fix each of these verified as `/a` while a server hands `evil=1` (or the rest)
    // to the application.
    for target in [
        "/a#x?evil=1",
        "/a#?evil=1",
        "/a#",
        "/a#x",
        "https://example.amazonaws.com/a#x?evil=1",
    ] {
        let e = verify(&v, target, &headers).expect_err(target);
        assert_eq!(e.kind(), ErrorKind::InvalidUrl, "{target}: {e}");
        assert!(e.message().contains('#'), "{target}: {e}");
    }
    let headers = sign_headers("service", "/a?x=1");
    for target in ["/a?x=1#&evil=1", "/a?x=1#"] {
        let e = verify(&v, target, &headers).expect_err(target);
        assert_eq!(e.kind(), ErrorKind::InvalidUrl, "{target}: {e}");
    }
}

#[test]
fn an_absolute_form_authority_must_agree_with_host() {
    let v = verifier("service", VerifierSettings::for_service("service"));
    let headers = sign_headers("service", "/a?x=1");
    for target in [
        "https://example.amazonaws.com/a?x=1",
        "http://example.amazonaws.com:80/a?x=1",
        "https://EXAMPLE.amazonaws.com:443/a?x=1",
    ] {
        assert_eq!(code(verify(&v, target, &headers)), "verifies", "{target}");
    }
    // Before the fix these verified against Host while the target named another host.
    for target in [
        "https://evil.example/a?x=1",
        "https://example.amazonaws.com.evil.example/a?x=1",
        "https://example.amazonaws.com:8443/a?x=1",
        "https://example.amazonaws.com./a?x=1",
        "ftp://example.amazonaws.com/a?x=1",
        "https://user@example.amazonaws.com/a?x=1",
    ] {
        assert_eq!(code(verify(&v, target, &headers)), "InvalidUrl", "{target}");
    }
}

#[test]
fn a_non_utf8_query_key_is_read_the_same_whatever_its_length() {
    let v = verifier("service", VerifierSettings::for_service("service"));
    // Before the fix the first was refused (AuthorizationQueryParametersError) and the second
    // accepted: the piece length decided whether the key was decoded.
    for url in [
        "/a?%FF=xxxxxx",
        "/a?%FF=xxxxx",
        "/a?%FF%FE=1&b=%FF",
        "/a?x-amz-%FF=1",
    ] {
        let headers = sign_headers("service", url);
        assert_eq!(code(verify(&v, url, &headers)), "verifies", "{url}");
    }
}

#[test]
fn allow_unsigned_payload_only_adds_unsigned_payload() {
    let service = "service";
    let signer = Signer::new(creds(), "us-east-1", service).unwrap();
    let headers = [("Host", HOST)];
    let request = Request::new("GET", "/a?x=1", &headers, Body::Bytes(b"")).unwrap();
    // An ordinary presigned URL: the body's hash is signed (as botocore presigns non-S3 services).
    let presigned = signer.presign(&request, now(), 300).unwrap();
    // An S3-style one: UNSIGNED-PAYLOAD.
    let mut s3_style = SigningSettings::for_service(service);
    s3_style.payload = Some(sigv4::PayloadMode::Unsigned);
    let unsigned = Signer::with_settings(creds(), "us-east-1", service, s3_style)
        .unwrap()
        .presign(&request, now(), 300)
        .unwrap();
    let host = vec![("Host".to_owned(), HOST.to_owned())];
    let path = |url: &str| url[url.find("/a").unwrap()..].to_owned();
    let mut settings = VerifierSettings::for_service(service);
    let default = verifier(service, settings.clone());
    settings.allow_unsigned_payload = true;
    let allowing = verifier(service, settings);
    assert_eq!(
        code(verify(&default, &path(presigned.url()), &host)),
        "verifies"
    );
    assert_eq!(
        code(verify(&default, &path(unsigned.url()), &host)),
        "SignatureDoesNotMatch"
    );
    // Before the fix the first was refused: allow_unsigned_payload replaced the body's hash.
    assert_eq!(
        code(verify(&allowing, &path(presigned.url()), &host)),
        "verifies"
    );
    assert_eq!(
        code(verify(&allowing, &path(unsigned.url()), &host)),
        "verifies"
    );
    // A wrong signature is still refused, with the canonical request of the first reading.
    let forged = path(presigned.url()).replace("X-Amz-Signature=", "X-Amz-Signature=0");
    let forged = forged[..forged.len() - 1].to_owned();
    let e = verify(&allowing, &forged, &host).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SignatureDoesNotMatch);
    assert!(e
        .mismatch()
        .unwrap()
        .canonical_request
        .ends_with("UNSIGNED-PAYLOAD"));
}

#[test]
fn signing_drops_the_fragment_as_clients_do() {
    let signer = Signer::new(creds(), "us-east-1", "service").unwrap();
    for (url, sent, canonical_target) in [
        ("https://h.example/a#b?c=d", "https://h.example/a", "/a\n\n"),
        (
            "https://h.example/a?x=1#y?z=2",
            "https://h.example/a?x=1",
            "/a\nx=1\n",
        ),
        ("https://h.example/a#", "https://h.example/a", "/a\n\n"),
    ] {
        let request = Request::new("GET", url, &[], Body::Bytes(b"")).unwrap();
        let signed = signer.sign(&request, now()).unwrap();
        assert_eq!(signed.url(), sent, "{url}");
        assert!(
            signed
                .canonical_request()
                .starts_with(&format!("GET\n{canonical_target}")),
            "{url}: {}",
            signed.canonical_request()
        );
    }
}

#[test]
fn a_presigned_url_whose_query_ends_in_a_question_mark_verifies() {
    // Found by the property test: the signer glued X-Amz-Algorithm to the last value
    // (`/A?=?X-Amz-Algorithm=...`) because the URL ended with '?'.
    let signer = Signer::new(creds(), "us-east-1", "service").unwrap();
    let v = verifier("service", VerifierSettings::for_service("service"));
    let host = vec![("Host".to_owned(), HOST.to_owned())];
    for target in ["/A?=?", "/A?x=?", "/A?", "/A?x=1&"] {
        let headers = [("Host", HOST)];
        let request = Request::new("GET", target, &headers, Body::Bytes(b"")).unwrap();
        let url = signer
            .presign(&request, now(), 300)
            .unwrap()
            .url()
            .to_owned();
        assert_eq!(
            code(verify(&v, &url, &host)),
            "verifies",
            "{target} -> {url}"
        );
    }
}

#[test]
fn the_one_reading_of_the_url_still_refuses_control_bytes_and_bad_methods() {
    // verify_http reads the URL once, with the strict request-target parser (no split before it):
    // control bytes anywhere in the target are still InvalidUrl, and the method is still checked.
    let v = verifier("service", VerifierSettings::for_service("service"));
    let headers = sign_headers("service", "/a?x=1");
    assert_eq!(code(verify(&v, "/a?x=1", &headers)), "verifies");
    for target in [
        "/a\r\nX-Evil: 1?x=1",
        "/a?x=1\n",
        "/a\0?x=1",
        "/a?x=\t1",
        "/a\x7f?x=1",
        "https://example.amazonaws.com/a\r?x=1",
    ] {
        let e = verify(&v, target, &headers).expect_err(target);
        assert_eq!(e.code(), "InvalidUrl", "{target:?}: {e}");
        assert!(e.message().contains("control"), "{target:?}: {e}");
    }
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    for method in ["", "G ET", "GET\r\n"] {
        let e = v
            .verify_http(method, "/a?x=1", &pairs, Body::Bytes(b""), now())
            .expect_err(method);
        assert_eq!(e.code(), "InvalidMethod", "{method:?}: {e}");
    }
}

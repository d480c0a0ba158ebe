//! Hostile inputs, each with the code the verifier must answer, none panicking; the replay cache;
//! the credential lookups; and no secret in any `Debug` output.
//!
//! Base requests come from AWS's own files (W1 = `get-vanilla-query-order-key-case`, the session
//! token vector, the signed-body vector); requests that must carry a valid signature after a change
//! of time or expiry are signed by our signer (the expected values are error codes, not signatures).

use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use sigv4::{
    Body, ContentSha256Header, Credentials, PayloadMode, Request, Signer, SigningSettings,
    SigningTime, Verifier, VerifierSettings,
};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
const T0: i64 = 1_440_938_160; // 20150830T123600Z
const W1_SIG: &str = "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";

#[derive(Clone, Debug)]
struct Req {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    now: i64,
}

impl Req {
    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    fn set(mut self, name: &str, value: &str) -> Self {
        let h = self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name));
        h.expect("header present").1 = value.into();
        self
    }
    fn drop_header(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }
    fn auth(self, value: &str) -> Self {
        self.set("Authorization", value)
    }
    fn url(mut self, url: &str) -> Self {
        self.url = url.into();
        self
    }
    fn query_replace(mut self, from: &str, to: &str) -> Self {
        assert!(self.url.contains(from), "{from} not in {}", self.url);
        self.url = self.url.replacen(from, to, 1);
        self
    }
    fn at(mut self, now: i64) -> Self {
        self.now = now;
        self
    }
    fn body(mut self, body: &[u8]) -> Self {
        self.body = body.to_vec();
        self
    }
}

fn vector(name: &str, form: &str) -> Req {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/aws-signing-test-suite/v4")
        .join(name)
        .join(format!("{form}-signed-request.txt"));
    let text = fs::read_to_string(path).unwrap();
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let (method, rest) = request_line.split_once(' ').unwrap();
    let url = rest.rsplit_once(' ').unwrap().0.to_owned();
    let headers = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.to_owned(), v.to_owned())
        })
        .collect();
    Req {
        method: method.into(),
        url,
        headers,
        body: body.as_bytes().to_vec(),
        now: T0,
    }
}

/// W1 signed with an Authorization header, by AWS.
fn w1() -> Req {
    vector("get-vanilla-query-order-key-case", "header")
}

/// W1 as a presigned URL, by AWS.
fn w1q() -> Req {
    vector("get-vanilla-query-order-key-case", "query")
}

fn auth_with(credential: &str, signed: &str, signature: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders={signed}, Signature={signature}"
    )
}

fn cred(scope: &str) -> String {
    format!("{AKID}/{scope}")
}

const SCOPE: &str = "20150830/us-east-1/service/aws4_request";

fn signer() -> Signer {
    Signer::new(
        Credentials::new(AKID, SECRET, None).unwrap(),
        "us-east-1",
        "service",
    )
    .unwrap()
}

fn signed_by_us(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    settings: Option<SigningSettings>,
) -> Req {
    let signer = match settings {
        Some(s) => Signer::with_settings(
            Credentials::new(AKID, SECRET, None).unwrap(),
            "us-east-1",
            "service",
            s,
        )
        .unwrap(),
        None => signer(),
    };
    let request = Request::new(method, url, headers, Body::Bytes(body)).unwrap();
    let signed = signer
        .sign(&request, SigningTime::from_unix(T0).unwrap())
        .unwrap();
    Req {
        method: method.into(),
        url: signed.url().into(),
        headers: signed.headers().to_vec(),
        body: body.to_vec(),
        now: T0,
    }
}

fn presigned_by_us(expires: u64) -> Req {
    let headers = [("Host", "example.amazonaws.com")];
    let request = Request::new(
        "GET",
        "/?Param2=value2&Param1=value1",
        &headers,
        Body::Bytes(b""),
    )
    .unwrap();
    let signed = signer()
        .presign(&request, SigningTime::from_unix(T0).unwrap(), expires)
        .unwrap();
    Req {
        method: "GET".into(),
        url: signed.url().into(),
        headers: signed.headers().to_vec(),
        body: Vec::new(),
        now: T0,
    }
}

fn verifier() -> Verifier {
    let mut keys = HashMap::new();
    keys.insert(
        AKID.to_owned(),
        Credentials::new(AKID, SECRET, None).unwrap(),
    );
    keys.insert(
        "AKIDTOKEN".to_owned(),
        Credentials::new("AKIDTOKEN", SECRET, Some(TOKEN.to_owned())).unwrap(),
    );
    keys.insert(
        "AKIDEXPIRED".to_owned(),
        Credentials::new("AKIDEXPIRED", SECRET, None)
            .unwrap()
            .with_expiry(T0 - 1),
    );
    Verifier::new(
        keys,
        &["us-east-1"],
        "service",
        VerifierSettings::for_service("service"),
    )
    .unwrap()
}

/// The session-token vector: its key has the token.
fn token_verifier() -> Verifier {
    let creds = Credentials::new(AKID, SECRET, Some(TOKEN.to_owned())).unwrap();
    Verifier::new(
        creds,
        &["us-east-1"],
        "service",
        VerifierSettings::for_service("service"),
    )
    .unwrap()
}

fn run(v: &Verifier, r: &Req) -> Result<sigv4::VerifiedIdentity, sigv4::Error> {
    let pairs: Vec<(&str, &str)> = r
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    v.verify_http(
        &r.method,
        &r.url,
        &pairs,
        Body::Bytes(&r.body),
        SigningTime::from_unix(r.now).unwrap(),
    )
}

const OK: &str = "ok";

fn table() -> Vec<(&'static str, Req, &'static str)> {
    let long_query = format!("/?{}", "a=1&".repeat(100_000));
    let many_params = format!("/?{}", "a&".repeat(1001));
    let w1q_url = w1q().url;
    vec![
        (
            "no auth",
            w1().drop_header("Authorization"),
            "MissingAuthenticationToken",
        ),
        (
            "no auth, other X-Amz-* query",
            w1().drop_header("Authorization")
                .url("/?X-Amz-Date=20150830T123600Z"),
            "MissingAuthenticationToken",
        ),
        (
            "two Authorization headers",
            w1().header(
                "Authorization",
                &auth_with(&cred(SCOPE), "host;x-amz-date", W1_SIG),
            ),
            "AuthorizationHeaderMalformed",
        ),
        (
            "header plus query auth",
            w1().url(&w1q_url),
            "AuthorizationQueryParametersError",
        ),
        (
            "header plus query session token",
            w1().url("/?Param2=value2&Param1=value1&X-Amz-Security-Token=x"),
            "AuthorizationQueryParametersError",
        ),
        (
            "empty Authorization",
            w1().auth(""),
            "AuthorizationHeaderMalformed",
        ),
        (
            "Bearer token",
            w1().auth("Bearer abc"),
            "AuthorizationHeaderMalformed",
        ),
        (
            "wrong algorithm",
            w1().auth(
                &auth_with(&cred(SCOPE), "host;x-amz-date", W1_SIG).replace("SHA256 ", "SHA512 "),
            ),
            "AuthorizationHeaderMalformed",
        ),
        (
            "lower-case algorithm",
            w1().auth(
                &auth_with(&cred(SCOPE), "host;x-amz-date", W1_SIG)
                    .replace("AWS4-HMAC-SHA256", "aws4-hmac-sha256"),
            ),
            "AuthorizationHeaderMalformed",
        ),
        (
            "SigV4a algorithm",
            w1().auth(
                &auth_with(&cred(SCOPE), "host;x-amz-date", W1_SIG)
                    .replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256"),
            ),
            "AuthorizationHeaderMalformed",
        ),
        (
            "query: wrong algorithm",
            w1q().query_replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1"),
            "AuthorizationQueryParametersError",
        ),
        (
            "query: lower-case algorithm",
            w1q().query_replace("AWS4-HMAC-SHA256", "aws4-hmac-sha256"),
            "AuthorizationQueryParametersError",
        ),
        (
            "missing Credential",
            w1().auth(&format!(
                "AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature={W1_SIG}"
            )),
            "IncompleteSignature",
        ),
        (
            "missing SignedHeaders",
            w1().auth(&format!(
                "AWS4-HMAC-SHA256 Credential={}, Signature={W1_SIG}",
                cred(SCOPE)
            )),
            "IncompleteSignature",
        ),
        (
            "missing Signature",
            w1().auth(&format!(
                "AWS4-HMAC-SHA256 Credential={}, SignedHeaders=host;x-amz-date",
                cred(SCOPE)
            )),
            "IncompleteSignature",
        ),
        (
            "empty Signature",
            w1().auth(&auth_with(&cred(SCOPE), "host;x-amz-date", "")),
            "IncompleteSignature",
        ),
        (
            "empty Credential",
            w1().auth(&auth_with("", "host;x-amz-date", W1_SIG)),
            "IncompleteSignature",
        ),
        (
            "repeated Credential",
            w1().auth(&format!(
                "{}, Credential={}",
                auth_with(&cred(SCOPE), "host;x-amz-date", W1_SIG),
                cred(SCOPE)
            )),
            "IncompleteSignature",
        ),
        (
            "repeated Signature",
            w1().auth(&format!(
                "{}, Signature={W1_SIG}",
                auth_with(&cred(SCOPE), "host;x-amz-date", W1_SIG)
            )),
            "IncompleteSignature",
        ),
        (
            "unknown field",
            w1().auth(&format!(
                "{}, Foo=bar",
                auth_with(&cred(SCOPE), "host;x-amz-date", W1_SIG)
            )),
            "IncompleteSignature",
        ),
        (
            "stray comma",
            w1().auth(&format!(
                "{},",
                auth_with(&cred(SCOPE), "host;x-amz-date", W1_SIG)
            )),
            "IncompleteSignature",
        ),
        (
            "query: missing X-Amz-Credential",
            w1q().query_replace("X-Amz-Credential=", "X-Amz-Credentials="),
            "AuthorizationQueryParametersError",
        ),
        (
            "query: empty X-Amz-Credential",
            w1q().query_replace(
                "AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request",
                "",
            ),
            "AuthorizationQueryParametersError",
        ),
        (
            "query: missing X-Amz-Signature",
            w1q().query_replace("&X-Amz-Signature=", "&Signature="),
            "AuthorizationQueryParametersError",
        ),
        (
            "query: missing X-Amz-SignedHeaders",
            w1q().query_replace("X-Amz-SignedHeaders=host&", ""),
            "AuthorizationQueryParametersError",
        ),
        (
            "4-part credential",
            w1().auth(&auth_with(
                &format!("{AKID}/20150830/us-east-1/aws4_request"),
                "host;x-amz-date",
                W1_SIG,
            )),
            "AuthorizationHeaderMalformed",
        ),
        (
            "6-part credential",
            w1().auth(&auth_with(
                &format!("{AKID}/20150830/us-east-1/service/x/aws4_request"),
                "host;x-amz-date",
                W1_SIG,
            )),
            "AuthorizationHeaderMalformed",
        ),
        (
            "empty credential part",
            w1().auth(&auth_with(
                &format!("{AKID}//us-east-1/service/aws4_request"),
                "host;x-amz-date",
                W1_SIG,
            )),
            "AuthorizationHeaderMalformed",
        ),
        (
            "query: 4-part credential",
            w1q().query_replace("%2Fservice%2Faws4_request", "%2Faws4_request"),
            "AuthorizationQueryParametersError",
        ),
        (
            "scope date != X-Amz-Date date",
            w1().auth(&auth_with(
                &cred("20150831/us-east-1/service/aws4_request"),
                "host;x-amz-date",
                W1_SIG,
            )),
            "AuthorizationHeaderMalformed",
        ),
        (
            "query: scope date != X-Amz-Date date",
            w1q().query_replace("%2F20150830%2F", "%2F20150829%2F"),
            "AuthorizationQueryParametersError",
        ),
        (
            "wrong region",
            w1().auth(&auth_with(
                &cred("20150830/us-west-2/service/aws4_request"),
                "host;x-amz-date",
                W1_SIG,
            )),
            "AuthorizationHeaderMalformed",
        ),
        (
            "wrong service",
            w1().auth(&auth_with(
                &cred("20150830/us-east-1/s3/aws4_request"),
                "host;x-amz-date",
                W1_SIG,
            )),
            "AuthorizationHeaderMalformed",
        ),
        (
            "wrong terminator",
            w1().auth(&auth_with(
                &cred("20150830/us-east-1/service/aws4_requesT"),
                "host;x-amz-date",
                W1_SIG,
            )),
            "AuthorizationHeaderMalformed",
        ),
        (
            "query: wrong region",
            w1q().query_replace("us-east-1", "eu-west-1"),
            "AuthorizationQueryParametersError",
        ),
        (
            "unknown key",
            w1().auth(&auth_with(
                &format!("AKIDUNKNOWN/{SCOPE}"),
                "host;x-amz-date",
                W1_SIG,
            )),
            "InvalidAccessKeyId",
        ),
        (
            "query: unknown key",
            w1q().query_replace("AKIDEXAMPLE", "AKIDUNKNOWN"),
            "InvalidAccessKeyId",
        ),
        (
            "missing X-Amz-Date",
            w1().drop_header("X-Amz-Date"),
            "IncompleteSignature",
        ),
        (
            "repeated X-Amz-Date",
            w1().header("X-Amz-Date", "20150830T123600Z"),
            "AuthorizationHeaderMalformed",
        ),
        (
            "malformed X-Amz-Date",
            w1().set("X-Amz-Date", "20150830T1236Z"),
            "AuthorizationHeaderMalformed",
        ),
        (
            "extended-format X-Amz-Date",
            w1().set("X-Amz-Date", "2015-08-30T12:36:00Z"),
            "AuthorizationHeaderMalformed",
        ),
        (
            "impossible calendar date",
            w1().set("X-Amz-Date", "20150830T246000Z"),
            "AuthorizationHeaderMalformed",
        ),
        (
            "query: missing X-Amz-Date",
            w1q().query_replace("X-Amz-Date=20150830T123600Z&", ""),
            "AuthorizationQueryParametersError",
        ),
        (
            "query: extended-format X-Amz-Date",
            w1q().query_replace("20150830T123600Z", "2015-08-30T12%3A36%3A00Z"),
            "AuthorizationQueryParametersError",
        ),
        ("skew +900 s accepted", w1().at(T0 + 900), OK),
        ("skew -900 s accepted", w1().at(T0 - 900), OK),
        (
            "skew +901 s rejected",
            w1().at(T0 + 901),
            "RequestTimeTooSkewed",
        ),
        (
            "skew -901 s rejected",
            w1().at(T0 - 901),
            "RequestTimeTooSkewed",
        ),
        (
            "X-Amz-Expires 0",
            w1q().query_replace("X-Amz-Expires=3600", "X-Amz-Expires=0"),
            "AuthorizationQueryParametersError",
        ),
        ("X-Amz-Expires 1", presigned_by_us(1), OK),
        ("X-Amz-Expires 604800", presigned_by_us(604_800), OK),
        (
            "X-Amz-Expires 604801",
            w1q().query_replace("X-Amz-Expires=3600", "X-Amz-Expires=604801"),
            "AuthorizationQueryParametersError",
        ),
        (
            "X-Amz-Expires -1",
            w1q().query_replace("X-Amz-Expires=3600", "X-Amz-Expires=-1"),
            "AuthorizationQueryParametersError",
        ),
        (
            "X-Amz-Expires empty",
            w1q().query_replace("X-Amz-Expires=3600", "X-Amz-Expires="),
            "AuthorizationQueryParametersError",
        ),
        (
            "X-Amz-Expires 1.5",
            w1q().query_replace("X-Amz-Expires=3600", "X-Amz-Expires=1.5"),
            "AuthorizationQueryParametersError",
        ),
        (
            "X-Amz-Expires 60abc",
            w1q().query_replace("X-Amz-Expires=3600", "X-Amz-Expires=60abc"),
            "AuthorizationQueryParametersError",
        ),
        (
            "X-Amz-Expires +60",
            w1q().query_replace("X-Amz-Expires=3600", "X-Amz-Expires=%2B60"),
            "AuthorizationQueryParametersError",
        ),
        (
            "X-Amz-Expires +60 (raw +)",
            w1q().query_replace("X-Amz-Expires=3600", "X-Amz-Expires=+60"),
            "AuthorizationQueryParametersError",
        ),
        (
            "X-Amz-Expires 0060",
            w1q().query_replace("X-Amz-Expires=3600", "X-Amz-Expires=0060"),
            "AuthorizationQueryParametersError",
        ),
        ("URL valid until its last second", w1q().at(T0 + 3600), OK),
        ("expired URL", w1q().at(T0 + 3601), "RequestExpired"),
        (
            "expired URL (1 s)",
            presigned_by_us(1).at(T0 + 2),
            "RequestExpired",
        ),
        ("URL dated 900 s ahead accepted", w1q().at(T0 - 900), OK),
        ("not-yet-valid URL", w1q().at(T0 - 901), "RequestExpired"),
        (
            "auth parameter repeated in another case",
            w1q().url(&format!("{w1q_url}&x-amz-expires=3600")),
            "AuthorizationQueryParametersError",
        ),
        (
            "auth parameter repeated exactly",
            w1q().url(&format!("{w1q_url}&X-Amz-Signature={W1_SIG}")),
            "AuthorizationQueryParametersError",
        ),
        (
            "auth parameter repeated, encoded name",
            w1q().url(&format!("{w1q_url}&X-Amz%2DDate=20150830T123600Z")),
            "AuthorizationQueryParametersError",
        ),
        (
            "auth parameter in the wrong case",
            w1q().query_replace("X-Amz-Expires", "X-AMZ-EXPIRES"),
            "AuthorizationQueryParametersError",
        ),
        (
            "SignedHeaders without host",
            w1().auth(&auth_with(&cred(SCOPE), "x-amz-date", W1_SIG)),
            "UnsignedHeader",
        ),
        (
            "query: SignedHeaders without host",
            w1q()
                .query_replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=x-amz-date")
                .header("X-Amz-Date", "20150830T123600Z"),
            "UnsignedHeader",
        ),
        (
            "SignedHeaders unsorted",
            w1().auth(&auth_with(&cred(SCOPE), "x-amz-date;host", W1_SIG)),
            "AuthorizationHeaderMalformed",
        ),
        (
            "SignedHeaders upper-case",
            w1().auth(&auth_with(&cred(SCOPE), "Host;x-amz-date", W1_SIG)),
            "AuthorizationHeaderMalformed",
        ),
        (
            "SignedHeaders repeated",
            w1().auth(&auth_with(&cred(SCOPE), "host;host;x-amz-date", W1_SIG)),
            "AuthorizationHeaderMalformed",
        ),
        (
            "SignedHeaders empty name",
            w1().auth(&auth_with(&cred(SCOPE), "host;;x-amz-date", W1_SIG)),
            "AuthorizationHeaderMalformed",
        ),
        (
            "signed header absent",
            w1().auth(&auth_with(
                &cred(SCOPE),
                "host;my-header;x-amz-date",
                W1_SIG,
            )),
            "AuthorizationHeaderMalformed",
        ),
        (
            "signed header changed",
            w1().set("Host", "example.amazonaws.com.evil"),
            "SignatureDoesNotMatch",
        ),
        (
            "signed X-Amz-Date changed",
            w1().set("X-Amz-Date", "20150830T123601Z"),
            "SignatureDoesNotMatch",
        ),
        (
            "unsigned x-amz-* header added",
            w1().header("X-Amz-Meta-Role", "admin"),
            "UnsignedHeader",
        ),
        (
            "unsigned x-amz-content-sha256 added",
            w1().header("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
            "UnsignedHeader",
        ),
        (
            "unsigned Content-Type added",
            w1().header("Content-Type", "application/json"),
            "UnsignedHeader",
        ),
        (
            "unsigned User-Agent added (accepted)",
            w1().header("User-Agent", "curl/8.0"),
            OK,
        ),
        (
            "query: unsigned x-amz-* header added",
            w1q().header("X-Amz-Target", "Admin.Delete"),
            "UnsignedHeader",
        ),
        (
            "query: unsigned User-Agent added (accepted)",
            w1q().header("User-Agent", "curl/8.0"),
            OK,
        ),
        (
            "signature of 63 characters",
            w1().auth(&auth_with(&cred(SCOPE), "host;x-amz-date", &W1_SIG[..63])),
            "AuthorizationHeaderMalformed",
        ),
        (
            "signature of 65 characters",
            w1().auth(&auth_with(
                &cred(SCOPE),
                "host;x-amz-date",
                &format!("{W1_SIG}0"),
            )),
            "AuthorizationHeaderMalformed",
        ),
        (
            "upper-case signature",
            w1().auth(&auth_with(
                &cred(SCOPE),
                "host;x-amz-date",
                &W1_SIG.to_uppercase(),
            )),
            "AuthorizationHeaderMalformed",
        ),
        (
            "non-hex signature",
            w1().auth(&auth_with(
                &cred(SCOPE),
                "host;x-amz-date",
                &format!("{}g", &W1_SIG[..63]),
            )),
            "AuthorizationHeaderMalformed",
        ),
        (
            "query: upper-case signature",
            w1q().query_replace(
                "86012e2c9ad4d77369f5d81c11f75158aae4f895a085212cc6d3f923d300bed5",
                "86012E2C9AD4D77369F5D81C11F75158AAE4F895A085212CC6D3F923D300BED5",
            ),
            "AuthorizationQueryParametersError",
        ),
        (
            "query: 63-character signature",
            w1q().query_replace("300bed5", "300bed"),
            "AuthorizationQueryParametersError",
        ),
        (
            "valid signature, wrong value",
            w1().auth(&auth_with(
                &cred(SCOPE),
                "host;x-amz-date",
                &W1_SIG.replace('b', "c"),
            )),
            "SignatureDoesNotMatch",
        ),
        (
            "body tampered (signed x-amz-content-sha256)",
            vector("post-x-www-form-urlencoded", "header").body(b"Param1=value2"),
            "XAmzContentSHA256Mismatch",
        ),
        (
            "body tampered (body hash signed)",
            vector("post-x-www-form-urlencoded", "query").body(b"Param1=value2"),
            "SignatureDoesNotMatch",
        ),
        (
            "body tampered (no content header)",
            signed_by_us(
                "POST",
                "https://example.amazonaws.com/",
                &[],
                b"hello",
                None,
            )
            .body(b"hellp"),
            "SignatureDoesNotMatch",
        ),
        (
            "UNSIGNED-PAYLOAD not allowed",
            signed_by_us(
                "PUT",
                "https://example.amazonaws.com/",
                &[],
                b"data",
                Some({
                    let mut s = SigningSettings::for_service("service");
                    s.payload = Some(PayloadMode::Unsigned);
                    s.content_sha256_header = ContentSha256Header::Include;
                    s
                }),
            ),
            "XAmzContentSHA256Mismatch",
        ),
        (
            "streaming payload refused",
            signed_by_us(
                "PUT",
                "https://example.amazonaws.com/",
                &[("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")],
                b"",
                None,
            ),
            "XAmzContentSHA256Mismatch",
        ),
        (
            "session token sent to a key without one",
            vector("get-vanilla-with-session-token", "header"),
            "InvalidToken",
        ),
        (
            "expired credentials",
            w1().auth(&auth_with(
                &format!("AKIDEXPIRED/{SCOPE}"),
                "host;x-amz-date",
                W1_SIG,
            )),
            "InvalidToken",
        ),
        ("CR in the path", w1().url("/a\rb"), "InvalidUrl"),
        ("LF in the path", w1().url("/a\nb"), "InvalidUrl"),
        ("NUL in the path", w1().url("/a\0b"), "InvalidUrl"),
        (
            "CR in a header",
            w1().header("X-Other", "a\rb"),
            "InvalidHeaderValue",
        ),
        (
            "LF in a header",
            w1().set("Host", "example.amazonaws.com\nX-Amz-Meta: y"),
            "InvalidHeaderValue",
        ),
        (
            "NUL in a header",
            w1().header("X-Other", "a\0b"),
            "InvalidHeaderValue",
        ),
        (
            "CR in the Authorization header",
            w1().auth(&format!(
                "{}\r",
                auth_with(&cred(SCOPE), "host;x-amz-date", W1_SIG)
            )),
            "InvalidHeaderValue",
        ),
        (
            "invalid header name",
            w1().header("Bad Name", "x"),
            "InvalidHeaderName",
        ),
        (
            "invalid percent escape in the path",
            w1().url("/a%zz?Param2=value2&Param1=value1"),
            "InvalidUrl",
        ),
        (
            "truncated percent escape in the query",
            w1().url("/?Param2=value2&Param1=value%2"),
            "InvalidUrl",
        ),
        (
            "1 MiB Authorization header",
            w1().auth(&"A".repeat(1 << 20)),
            "AuthorizationHeaderMalformed",
        ),
        (
            "100 000 query parameters",
            w1().url(&long_query),
            "InvalidUrl",
        ),
        (
            "1001 short query parameters",
            w1().url(&many_params),
            "InvalidUrl",
        ),
        (
            "201 headers",
            (0..201).fold(w1(), |r, i| r.header(&format!("x-h{i}"), "v")),
            "InvalidHeaderValue",
        ),
        (
            "two Host headers",
            w1().header("Host", "evil.example"),
            "InvalidHeaderValue",
        ),
        (
            "query parameter added",
            w1q().url(&format!("{w1q_url}&a=%FF")),
            "SignatureDoesNotMatch",
        ),
        (
            "non-UTF-8 auth parameter",
            w1q().query_replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=%FF"),
            "AuthorizationQueryParametersError",
        ),
    ]
}

#[test]
fn hostile_inputs_get_their_codes() {
    let v = verifier();
    let cases = table();
    assert!(cases.len() >= 40);
    let mut failures = Vec::new();
    for (name, req, expect) in &cases {
        let got = match run(&v, req) {
            Ok(_) => OK,
            Err(e) => e.code(),
        };
        println!("hostile {name:?} -> {got}");
        if got != *expect {
            failures.push(format!(
                "{name}: expected {expect}, got {got} ({:?})",
                run(&v, req).err().map(|e| e.to_string())
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("{} hostile inputs answered with their codes", cases.len());
}

#[test]
fn session_token_checks() {
    let v = token_verifier();
    let base = vector("get-vanilla-with-session-token", "header");
    assert!(run(&v, &base).unwrap().session_token_used);
    let swapped = base
        .clone()
        .set("X-Amz-Security-Token", &TOKEN.replace('6', "7"));
    assert_eq!(run(&v, &swapped).unwrap_err().code(), "InvalidToken");
    let dropped = base.clone().drop_header("X-Amz-Security-Token");
    assert_eq!(run(&v, &dropped).unwrap_err().code(), "InvalidToken");
    let q = vector("get-vanilla-with-session-token", "query");
    assert!(run(&v, &q).unwrap().session_token_used);
    let q_swapped = q.clone().query_replace(TOKEN, &TOKEN.replace('6', "7"));
    assert_eq!(run(&v, &q_swapped).unwrap_err().code(), "InvalidToken");
    let q_dropped = q
        .clone()
        .query_replace(&format!("&X-Amz-Security-Token={TOKEN}"), "");
    assert_eq!(run(&v, &q_dropped).unwrap_err().code(), "InvalidToken");
    let q_twice = q.header("X-Amz-Security-Token", TOKEN);
    assert_eq!(run(&v, &q_twice).unwrap_err().code(), "InvalidToken");
    // The key with a token refuses a request without one (W1 signed by AWS without a token).
    assert_eq!(run(&v, &w1()).unwrap_err().code(), "InvalidToken");
}

#[test]
fn replay_cache_refuses_a_second_use() {
    let mut settings = VerifierSettings::for_service("service");
    settings.replay_cache_capacity = Some(2);
    let creds = Credentials::new(AKID, SECRET, None).unwrap();
    let v = Verifier::new(creds, &["us-east-1"], "service", settings).unwrap();
    // A request that fails is not remembered.
    let bad = w1().set("Host", "other.example");
    assert_eq!(run(&v, &bad).unwrap_err().code(), "SignatureDoesNotMatch");
    assert_eq!(v.replay_cache_len(), 0);
    run(&v, &w1()).unwrap();
    assert_eq!(
        run(&v, &w1().at(T0 + 10)).unwrap_err().code(),
        "RequestReplayed"
    );
    // The presigned URL is a different signature.
    run(&v, &w1q()).unwrap();
    assert_eq!(
        run(&v, &w1q().at(T0 + 10)).unwrap_err().code(),
        "RequestReplayed"
    );
    // Full of still-valid entries: fail closed.
    let other = presigned_by_us(60);
    assert_eq!(run(&v, &other).unwrap_err().code(), "RequestReplayed");
    // Once the header request can no longer be valid (T0 + 900), its entry is dropped.
    let later = presigned_by_us(7200).at(T0 + 901);
    run(&v, &later).unwrap();
    assert_eq!(v.replay_cache_len(), 2);
}

#[test]
fn lookups_closures_and_several_regions() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let lookup = move |akid: &str| {
        seen.fetch_add(1, Ordering::SeqCst);
        (akid == AKID).then(|| Credentials::new(AKID, SECRET, None).unwrap())
    };
    let v = Verifier::new(
        lookup,
        &["eu-west-1", "us-east-1"],
        "service",
        VerifierSettings::default(),
    )
    .unwrap();
    let who = run(&v, &w1()).unwrap();
    assert_eq!(
        (who.region.as_str(), who.service.as_str()),
        ("us-east-1", "service")
    );
    assert_eq!(who.signed_headers, ["host", "x-amz-date"]);
    assert_eq!(who.amz_date(), "20150830T123600Z");
    assert!(who.payload_signed() && !who.presigned && who.expires_at.is_none());
    let who = run(&v, &w1q()).unwrap();
    assert_eq!(who.expires_at.unwrap().unix(), T0 + 3600);
    // Rejections before the lookup do not call it.
    let before = calls.load(Ordering::SeqCst);
    run(&v, &w1().at(T0 + 5000)).unwrap_err();
    run(
        &v,
        &w1().auth(&auth_with(
            &cred("20150830/ap-south-1/service/aws4_request"),
            "host;x-amz-date",
            W1_SIG,
        )),
    )
    .unwrap_err();
    assert_eq!(calls.load(Ordering::SeqCst), before);
    // Construction errors name the argument.
    let creds = Credentials::new(AKID, SECRET, None).unwrap();
    assert_eq!(
        Verifier::new(creds.clone(), &[], "s", VerifierSettings::default())
            .unwrap_err()
            .code(),
        "InvalidRegion"
    );
    assert_eq!(
        Verifier::new(
            creds.clone(),
            &["us east"],
            "s",
            VerifierSettings::default()
        )
        .unwrap_err()
        .code(),
        "InvalidRegion"
    );
    assert_eq!(
        Verifier::new(
            creds.clone(),
            &["us-east-1"],
            "",
            VerifierSettings::default()
        )
        .unwrap_err()
        .code(),
        "InvalidService"
    );
    let mut bad = VerifierSettings::default();
    bad.replay_cache_capacity = Some(0);
    assert_eq!(
        Verifier::new(creds, &["us-east-1"], "s", bad)
            .unwrap_err()
            .code(),
        "InvalidOption"
    );
}

#[test]
fn precomputed_body_hash_is_compared() {
    let v = verifier();
    let r = vector("post-x-www-form-urlencoded", "header");
    let pairs: Vec<(&str, &str)> = r
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let now = SigningTime::from_unix(T0).unwrap();
    let good = "9095672BBD1F56DFC5B65F3E153ADC8731A4A654192329106275F4C7B24D0B6E";
    v.verify_http("POST", &r.url, &pairs, Body::Precomputed(good), now)
        .unwrap();
    let wrong = sigv4::EMPTY_SHA256;
    let e = v
        .verify_http("POST", &r.url, &pairs, Body::Precomputed(wrong), now)
        .unwrap_err();
    assert_eq!(e.code(), "XAmzContentSHA256Mismatch");
    let e = v
        .verify_http("POST", &r.url, &pairs, Body::Precomputed("xyz"), now)
        .unwrap_err();
    assert_eq!(
        (e.code(), e.argument()),
        ("InvalidPayloadHash", Some("payload_hash"))
    );
}

#[test]
fn s3_presigned_urls_are_unsigned_payload() {
    let creds = Credentials::new(AKID, SECRET, None).unwrap();
    let s3 = Signer::new(creds.clone(), "us-east-1", "s3").unwrap();
    let request = Request::new(
        "PUT",
        "https://bucket.s3.amazonaws.com/key",
        &[],
        Body::Bytes(b"anything"),
    )
    .unwrap();
    let signed = s3
        .presign(&request, SigningTime::from_unix(T0).unwrap(), 600)
        .unwrap();
    let v = Verifier::new(
        creds.clone(),
        &["us-east-1"],
        "s3",
        VerifierSettings::for_service("s3"),
    )
    .unwrap();
    let pairs: Vec<(&str, &str)> = signed.headers().collect();
    let who = v
        .verify_http(
            "PUT",
            signed.url(),
            &pairs,
            Body::Bytes(b"other body"),
            SigningTime::from_unix(T0).unwrap(),
        )
        .unwrap();
    assert!(!who.payload_signed());
    let mut strict = VerifierSettings::for_service("s3");
    strict.allow_unsigned_payload = false;
    let v = Verifier::new(creds, &["us-east-1"], "s3", strict).unwrap();
    let e = v
        .verify_http(
            "PUT",
            signed.url(),
            &pairs,
            Body::Bytes(b"anything"),
            SigningTime::from_unix(T0).unwrap(),
        )
        .unwrap_err();
    assert_eq!(e.code(), "SignatureDoesNotMatch");
}

#[test]
fn debug_output_has_no_secret() {
    let v = token_verifier();
    let who = run(&v, &vector("get-vanilla-with-session-token", "header")).unwrap();
    for text in [format!("{v:?}"), format!("{who:?}")] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains("wJalr"), "{text}");
    }
    let err = run(
        &v,
        &vector("get-vanilla-with-session-token", "header").set("Host", "x.example"),
    )
    .unwrap_err();
    let text = format!("{err:?} {err}");
    assert!(!text.contains(SECRET) && !text.contains(TOKEN), "{text}");
}

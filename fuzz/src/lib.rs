//! What the fuzz targets share: the fixed credentials and scope, the structure-aware request, and
//! the sign → verify round trip with its one-changed-byte check.

use arbitrary::Arbitrary;
use sigv4::{
    Body, ContentSha256Header, Credentials, PathNormalization, PayloadMode, Request,
    SessionTokenMode, SignedRequest, Signer, SigningSettings, SigningTime, UriEncoding, Verifier,
    VerifierSettings,
};

/// The AWS test suite's example key.
pub const AKID: &str = "AKIDEXAMPLE";
/// The AWS test suite's example secret.
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// A session token for the token cases.
pub const TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW";
/// 20150830T123600Z, the AWS suite's time.
pub const T0: i64 = 1_440_938_160;
/// The AWS suite's host.
pub const HOST: &str = "example.amazonaws.com";

/// A verifier for `service` in us-east-1 with the AWS suite's key (and SigV4a when `sigv4a`).
pub fn verifier(service: &str, sigv4a: bool) -> Verifier {
    let mut settings = VerifierSettings::for_service(service);
    settings.allow_sigv4a = sigv4a;
    let creds = Credentials::new(AKID, SECRET, None).expect("credentials");
    Verifier::new(creds, &["us-east-1"], service, settings).expect("verifier")
}

/// The first few bytes of an input as a choice among `n`.
pub fn pick(byte: Option<&u8>, n: usize) -> usize {
    byte.map_or(0, |b| usize::from(*b) % n)
}

/// Services whose defaults differ: the S3 family (single encoding, no normalisation) and the rest.
#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// `service`, the AWS suite's.
    Generic,
    /// `s3`.
    S3,
}

impl Service {
    /// The service name.
    pub fn name(self) -> &'static str {
        match self {
            Service::Generic => "service",
            Service::S3 => "s3",
        }
    }
}

/// The signing options a round trip varies.
#[derive(Arbitrary, Debug, Clone)]
pub struct Options {
    /// The service (its defaults first, then the overrides below).
    pub service: Service,
    /// Single (S3) or double path encoding.
    pub single_encoding: bool,
    /// Path normalisation on or off.
    pub normalize: bool,
    /// `UNSIGNED-PAYLOAD` instead of the body hash.
    pub unsigned_payload: bool,
    /// Add and sign `x-amz-content-sha256`.
    pub content_sha256: bool,
    /// `None`: no session token; `Some(true)`: signed; `Some(false)`: appended after signing.
    pub token: Option<bool>,
    /// Presign for this many seconds (folded into 1..=604800) instead of an `Authorization` header.
    pub presign: Option<u32>,
    /// Seconds after the signing time at which the verifier checks (folded into 0..=600).
    pub later: u16,
}

impl Options {
    /// The signer's settings.
    pub fn signing(&self) -> SigningSettings {
        let mut s = SigningSettings::for_service(self.service.name());
        s.uri_encoding = if self.single_encoding {
            UriEncoding::Single
        } else {
            UriEncoding::Double
        };
        s.path_normalization = if self.normalize {
            PathNormalization::Enabled
        } else {
            PathNormalization::Disabled
        };
        // A header-signed UNSIGNED-PAYLOAD is only verifiable with x-amz-content-sha256 saying so
        // (S3's rule too): the verifier would otherwise hash the body.
        let unsigned_header_form = self.unsigned_payload && self.presign.is_none();
        s.content_sha256_header = if self.content_sha256 || unsigned_header_form {
            ContentSha256Header::Include
        } else {
            ContentSha256Header::Omit
        };
        if self.unsigned_payload {
            s.payload = Some(PayloadMode::Unsigned);
        }
        if self.token == Some(false) {
            s.session_token_mode = SessionTokenMode::AppendedAfterSigning;
        }
        s
    }

    /// The matching verifier: same encoding, normalisation and token placement; unsigned payloads
    /// allowed when the signer used them.
    pub fn verifier(&self) -> Verifier {
        let signing = self.signing();
        let mut v = VerifierSettings::for_service(self.service.name());
        v.uri_encoding = signing.uri_encoding;
        v.path_normalization = signing.path_normalization;
        v.session_token_mode = signing.session_token_mode;
        v.allow_unsigned_payload |= self.unsigned_payload;
        Verifier::new(self.credentials(), &["us-east-1"], self.service.name(), v).expect("verifier")
    }

    /// The credentials, with a token when the case has one.
    pub fn credentials(&self) -> Credentials {
        let token = self.token.map(|_| TOKEN.to_owned());
        Credentials::new(AKID, SECRET, token).expect("credentials")
    }

    /// The presign lifetime, if presigning.
    pub fn expires(&self) -> Option<u64> {
        self.presign.map(|s| u64::from(s % 604_800) + 1)
    }

    /// When the verifier checks.
    pub fn now(&self) -> SigningTime {
        let later = i64::from(self.later % 601);
        let later = match self.expires() {
            Some(e) => later.min(e as i64 - 1),
            None => later,
        };
        SigningTime::from_unix(T0 + later).expect("time")
    }
}

/// A request as the wire will carry it once signed.
#[derive(Debug, Clone)]
pub struct Wire {
    /// The method.
    pub method: String,
    /// The URL (bare path and query; `Host` is a header).
    pub url: String,
    /// Every header, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Wire {
    /// Verifies this request with `verifier` at `now`.
    pub fn verify(
        &self,
        verifier: &Verifier,
        now: SigningTime,
    ) -> sigv4::Result<sigv4::VerifiedIdentity> {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let request = Request::new(&self.method, &self.url, &headers, Body::Bytes(&self.body))?;
        verifier.verify(&request, now)
    }
}

/// Signs `method url headers body` with `options`; `None` when the signer refuses the input (a
/// refusal is a clear error, which is all the round trip asks of it).
pub fn sign(
    options: &Options,
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Option<(SignedRequest, Wire)> {
    let signer = Signer::with_settings(
        options.credentials(),
        "us-east-1",
        options.service.name(),
        options.signing(),
    )
    .expect("signer");
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request::new(method, url, &pairs, Body::Bytes(body)).ok()?;
    let time = SigningTime::from_unix(T0).expect("time");
    let signed = match options.expires() {
        Some(e) => signer.presign(&request, time, e),
        None => signer.sign(&request, time),
    }
    .ok()?;
    // Appended after signing: the signer adds the token (header or query parameter) itself.
    let wire_headers = signed.headers().to_vec();
    let url = signed.url().to_owned();
    let wire = Wire {
        method: signed.method().to_owned(),
        url,
        headers: wire_headers,
        body: body.to_vec(),
    };
    Some((signed, wire))
}

/// True when `url` holds a `%` not followed by two hex digits. The signer signs such a URL (as
/// botocore and aws4 do, encoding the `%`), but the verifier refuses it as not valid HTTP
/// (`InvalidUrl`, answered 400) before any signature check: a deliberate asymmetry.
pub fn has_invalid_escape(url: &str) -> bool {
    let b = url.as_bytes();
    (0..b.len()).any(|i| {
        b[i] == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// Whether a refusal of a request we signed is one of the verifier's deliberate input rules.
/// The verifier's other deliberate input rules, each a refusal of a request the signer signs as
/// given (as peers do): two `Host` headers (not valid HTTP); a caller-supplied
/// `x-amz-content-sha256` that is not the body's hash or a payload literal; a query parameter
/// spelled like an authentication parameter in another letter case, or an authentication
/// parameter in the query of a header-signed request (ambiguous: which one authenticates?); a
/// caller-supplied `X-Amz-Security-Token` header or query parameter that is not the credentials'
/// token; with path
/// normalisation on, a path that normalisation would change.
pub fn deliberate_refusal(
    wire: &Wire,
    user_headers: &[(String, String)],
    error: &sigv4::Error,
) -> bool {
    let count = |name: &str| {
        user_headers
            .iter()
            .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
            .count()
    };
    let query = wire.url.split_once('?').map_or("", |(_, q)| q);
    let auth_param = query.split('&').any(|p| {
        let key = p.split('=').next().unwrap_or("");
        let key = key.replace("%2D", "-").replace("%2d", "-");
        key.len() > 6
            && key
                .get(..6)
                .is_some_and(|p| p.eq_ignore_ascii_case("x-amz-"))
    });
    // A query parameter named X-Amz-Security-Token (any case, '-' possibly escaped): only a caller
    // puts one there when the credentials have no token, and a signer-added one never conflicts.
    let token_param = query.split('&').any(|p| {
        let key = p.split('=').next().unwrap_or("");
        key.replace("%2D", "-")
            .replace("%2d", "-")
            .eq_ignore_ascii_case("x-amz-security-token")
    });
    match error.kind() {
        // Every input rule (400: not valid HTTP — a stray '%', a raw space, a path normalisation
        // would change, two Host headers, ...): the verifier's target parsing grows such rules, and
        // none is a signature verdict.
        kind if kind.is_invalid_input() => true,
        sigv4::ErrorKind::XAmzContentSha256Mismatch => count("x-amz-content-sha256") > 0,
        sigv4::ErrorKind::AuthorizationQueryParametersError => auth_param,
        // A caller's own X-Amz-Security-Token header or query parameter, not the credentials' token.
        sigv4::ErrorKind::InvalidToken => count("x-amz-security-token") > 0 || token_param,
        _ => false,
    }
}

/// Replaces the byte at `index` of `text` (an ASCII letter or digit) with another letter or digit
/// that is not the same letter in the other case (so every canonical form tells them apart).
pub fn change_alnum(text: &str, index: usize) -> Option<String> {
    let positions: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| b.is_ascii_alphanumeric())
        .map(|(i, _)| i)
        .collect();
    let at = *positions.get(index % positions.len().max(1))?;
    let mut bytes = text.as_bytes().to_vec();
    bytes[at] = match bytes[at] {
        b'9' => b'0',
        b'0'..=b'8' => bytes[at] + 1,
        b'z' | b'Z' => b'a',
        b => b.to_ascii_lowercase() + 1,
    };
    String::from_utf8(bytes).ok()
}

/// Which signed part of a verified request one changed byte goes into.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Tamper {
    /// A letter of the method.
    Method(u8),
    /// A letter or digit of the path.
    Path(u16),
    /// A letter or digit of the query (presigned: the authentication parameters too).
    Query(u16),
    /// A letter or digit of one signed header's value.
    Header(u8, u16),
    /// One byte of the body (a signed payload only).
    Body(u16, u8),
}

/// Applies `tamper` to `wire`; `None` when the chosen part has nothing to change, or when the change
/// cannot alter what was signed (a path whose normalised form stays the same, an unsigned body).
pub fn tamper(
    wire: &Wire,
    tamper: Tamper,
    signed_headers: &[String],
    options: &Options,
) -> Option<Wire> {
    let mut out = wire.clone();
    let (path, query) = match wire.url.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (wire.url.clone(), None),
    };
    match tamper {
        Tamper::Method(i) => out.method = change_alnum(&wire.method, usize::from(i))?,
        Tamper::Path(i) => {
            let changed = change_alnum(&path, usize::from(i))?;
            if options.normalize && sigv4::normalize_path(&changed) == sigv4::normalize_path(&path)
            {
                return None;
            }
            out.url = match &query {
                Some(q) => format!("{changed}?{q}"),
                None => changed,
            };
        }
        Tamper::Query(i) => {
            let changed = change_alnum(query.as_deref()?, usize::from(i))?;
            out.url = format!("{path}?{changed}");
        }
        Tamper::Header(h, i) => {
            let name = signed_headers.get(usize::from(h) % signed_headers.len().max(1))?;
            let (_, value) = out
                .headers
                .iter_mut()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))?;
            *value = change_alnum(value, usize::from(i))?;
        }
        Tamper::Body(i, x) => {
            let unsigned = options.unsigned_payload
                || (options.expires().is_some() && options.service == Service::S3);
            if unsigned || wire.body.is_empty() || x == 0 {
                return None;
            }
            let at = usize::from(i) % wire.body.len();
            out.body[at] ^= x;
        }
    }
    Some(out)
}

/// Header names worth generating: signed and unsigned, case variants, the ones with rules.
pub const HEADER_NAMES: &[&str] = &[
    "Content-Type",
    "content-type",
    "X-Amz-Meta-Key",
    "x-amz-meta-key",
    "X-Amz-Target",
    "Content-MD5",
    "User-Agent",
    "Range",
    "My-Header",
    "Expect",
    "X-Amzn-Trace-Id",
    "Content-Length",
    "x-amz-content-sha256",
    "X-Amz-Date",
    "Authorization",
    "Host",
];

/// A header: a name from [`HEADER_NAMES`] or an arbitrary one, and an arbitrary value.
#[derive(Arbitrary, Debug, Clone)]
pub struct ArbHeader {
    /// Index into [`HEADER_NAMES`], or `None` for `other`.
    pub known: Option<u8>,
    /// An arbitrary name.
    pub other: String,
    /// The value.
    pub value: String,
}

impl ArbHeader {
    /// The name.
    pub fn name(&self) -> String {
        match self.known {
            Some(i) => HEADER_NAMES[usize::from(i) % HEADER_NAMES.len()].to_owned(),
            None => self.other.clone(),
        }
    }
}

/// The headers of a case, with `Host` first.
pub fn headers_with_host(headers: &[ArbHeader]) -> Vec<(String, String)> {
    let mut out = vec![("Host".to_owned(), HOST.to_owned())];
    out.extend(headers.iter().map(|h| (h.name(), h.value.clone())));
    out
}

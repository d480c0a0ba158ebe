//! From command-line options to a core `Signer` and a request: scope inference, headers, body
//! sources, the signing time.

use std::path::PathBuf;

use sigv4::{PayloadMode, Signer, SigningAlgorithm, SigningSettings, SigningTime};

use crate::args::{HttpArgs, SigningArgs};
use crate::creds::{Env, Provider};
use crate::error::{CliError, Result};
use crate::infer;

/// Where the body comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodySource {
    /// No body.
    Empty,
    /// Bytes given on the command line (or a small file read whole by `-d @file`).
    Bytes(Vec<u8>),
    /// A file, read in pieces (hashed, then sent, or streamed with aws-chunked).
    File(PathBuf),
    /// Standard input, read in pieces.
    Stdin,
}

/// A request as the command line describes it.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The method.
    pub method: String,
    /// The absolute URL.
    pub url: String,
    /// The headers given with -H (and the form content type of -d).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: BodySource,
}

/// Parses `Name: value` (curl's form; `Name;` sends an empty value).
pub fn parse_header(text: &str) -> Result<(String, String)> {
    if let Some(name) = text.strip_suffix(';') {
        if !name.contains(':') {
            return Ok((name.trim().to_owned(), String::new()));
        }
    }
    let (name, value) = text.split_once(':').ok_or_else(|| {
        CliError::input(format!(
            "header {text:?} has no ':': write -H 'Name: value'"
        ))
    })?;
    let name = name.trim();
    if name.is_empty() {
        return Err(CliError::input(format!(
            "header {text:?} has an empty name"
        )));
    }
    Ok((name.to_owned(), value.trim().to_owned()))
}

fn read_data(arg: &str, strip_newlines: bool) -> Result<BodySource> {
    let Some(path) = arg.strip_prefix('@') else {
        return Ok(BodySource::Bytes(arg.as_bytes().to_vec()));
    };
    if !strip_newlines {
        return Ok(if path == "-" {
            BodySource::Stdin
        } else {
            BodySource::File(PathBuf::from(path))
        });
    }
    // curl -d @file drops CR and LF; that needs the whole file (small form bodies).
    let mut bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .map_err(|e| CliError::input(format!("cannot read stdin: {e}")))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| CliError::input(format!("cannot read -d @{path}: {e}")))?
    };
    bytes.retain(|b| *b != b'\r' && *b != b'\n');
    Ok(BodySource::Bytes(bytes))
}

impl Prepared {
    /// Reads the curl-like options.
    pub fn from_args(http: &HttpArgs) -> Result<Self> {
        let mut headers = http
            .headers
            .iter()
            .map(|h| parse_header(h))
            .collect::<Result<Vec<_>>>()?;
        let has = |headers: &[(String, String)], name: &str| {
            headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
        };
        let body = if let Some(file) = &http.upload_file {
            if file == "-" {
                BodySource::Stdin
            } else {
                BodySource::File(PathBuf::from(file))
            }
        } else if let Some(data) = &http.data_binary {
            read_data(data, false)?
        } else if !http.data.is_empty() {
            let mut joined = Vec::new();
            for (i, piece) in http.data.iter().enumerate() {
                if i > 0 {
                    joined.push(b'&');
                }
                match read_data(piece, true)? {
                    BodySource::Bytes(b) => joined.extend_from_slice(&b),
                    _ => unreachable!("-d is always read whole"),
                }
            }
            if !has(&headers, "content-type") {
                headers.push((
                    "Content-Type".to_owned(),
                    "application/x-www-form-urlencoded".to_owned(),
                ));
            }
            BodySource::Bytes(joined)
        } else {
            BodySource::Empty
        };
        let method = match (&http.method, &body) {
            (Some(m), _) => m.clone(),
            (None, BodySource::Empty) => "GET".to_owned(),
            (None, _) if http.upload_file.is_some() => "PUT".to_owned(),
            (None, _) => "POST".to_owned(),
        };
        crate::http::Endpoint::parse(&http.url)?;
        Ok(Prepared {
            method,
            url: http.url.clone(),
            headers,
            body,
        })
    }
}

/// The signing scope and settings the options and host give.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The service.
    pub service: String,
    /// The region (or SigV4a region set).
    pub region: String,
    /// The settings (service defaults plus the options).
    pub settings: SigningSettings,
    /// Where the credentials came from (for `-v`; never a secret).
    pub credentials_from: String,
}

/// The URL as the AWS SDKs send an S3 object key: every path byte outside RFC 3986's unreserved
/// set and `/` percent-encoded (`:` as `%3A`, `+` as `%2B`, UTF-8 bytes), existing `%XX` escapes
/// kept. Servers that rebuild the path from a decoded form (and S3 itself) then agree with the
/// signature.
pub fn s3_wire_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let path_start = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(path_start);
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    let (path, after) = tail.split_at(path_end);
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(url.len() + 16);
    out.push_str(scheme);
    out.push_str("://");
    out.push_str(authority);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let escape = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if escape {
            out.push_str(&path[i..i + 3]);
            i += 3;
            continue;
        }
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
        i += 1;
    }
    out.push_str(after);
    out
}

/// Resolves service and region: flags, then the host, then the environment, then the profile.
pub fn scope(
    args: &SigningArgs,
    url: &str,
    env: &Env,
    provider: Option<&Provider>,
) -> Result<Scope> {
    let host = infer::host_of(url).unwrap_or_default();
    let from_host = infer::from_host(host);
    let service = args
        .service
        .clone()
        .or(from_host.service)
        .ok_or_else(|| {
            CliError::input(format!(
                "cannot tell the service from host {host:?}: give --service (e.g. execute-api, s3, es, lambda)"
            ))
        })?;
    let mut settings = SigningSettings::for_service(&service);
    if args.unsigned_payload {
        settings.payload = Some(PayloadMode::Unsigned);
    }
    let region = if args.sigv4a {
        settings.algorithm = SigningAlgorithm::Sigv4a;
        args.region_set.clone().unwrap_or_else(|| "*".to_owned())
    } else {
        args.region
            .clone()
            .or(from_host.region)
            .or_else(|| env.get("AWS_REGION").map(str::to_owned))
            .or_else(|| env.get("AWS_DEFAULT_REGION").map(str::to_owned))
            .or_else(|| provider.and_then(|p| p.profile_region(args.profile.as_deref())))
            .ok_or_else(|| {
                CliError::input(format!(
                    "cannot tell the region from host {host:?}: give --region or set AWS_REGION"
                ))
            })?
    };
    Ok(Scope {
        service,
        region,
        settings,
        credentials_from: String::new(),
    })
}

/// The signing time: --timestamp, else the clock.
pub fn time(timestamp: Option<&str>) -> Result<SigningTime> {
    match timestamp {
        Some(text) => SigningTime::parse(text).map_err(|_| {
            CliError::input(format!(
                "--timestamp {text:?} is not YYYYMMDDTHHMMSSZ (for example 20150830T123600Z)"
            ))
        }),
        None => Ok(SigningTime::from_unix(now_unix())?),
    }
}

/// Seconds since the epoch.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Credentials, scope and signer for a request.
pub async fn signer(args: &SigningArgs, url: &str, at: SigningTime) -> Result<(Signer, Scope)> {
    let env = Env::from_process();
    let provider = Provider::new(env.clone(), args.profile.as_deref())?;
    let mut scope = scope(args, url, &env, Some(&provider))?;
    scope.credentials_from = provider.source().describe();
    let creds = provider.get(at.unix().max(now_unix())).await?;
    let signer =
        Signer::with_settings(creds, &scope.region, &scope.service, scope.settings.clone())?;
    Ok((signer, scope))
}

/// Hides session tokens in text meant for people: the `x-amz-security-token` header line of a
/// canonical request and the `X-Amz-Security-Token` query parameter.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line
            .to_ascii_lowercase()
            .starts_with("x-amz-security-token:")
        {
            out.push_str("x-amz-security-token:** redacted **");
            continue;
        }
        out.push_str(&redact_query_token(line));
    }
    out
}

/// Hides a known session token (as is, and URL-encoded) anywhere in `text`.
pub fn redact_token(text: &str, token: Option<&str>) -> String {
    match token {
        Some(t) if !t.is_empty() => text
            .replace(t, "** redacted **")
            .replace(&sigv4::uri_encode(t), "** redacted **"),
        _ => text.to_owned(),
    }
}

fn redact_query_token(line: &str) -> String {
    let lower = line.to_ascii_lowercase();
    let key = "x-amz-security-token=";
    let mut out = String::new();
    let mut rest = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find(key) {
        let start = from + found + key.len();
        let end = line[start..]
            .find(['&', ' ', '\'', '"'])
            .map_or(line.len(), |e| start + e);
        out.push_str(&line[rest..start]);
        out.push_str("**redacted**");
        rest = end;
        from = end;
    }
    out.push_str(&line[rest..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        assert_eq!(parse_header("X-A: 1").unwrap(), ("X-A".into(), "1".into()));
        assert_eq!(parse_header("X-A;").unwrap(), ("X-A".into(), "".into()));
        assert_eq!(
            parse_header("X-A:  a:b ").unwrap(),
            ("X-A".into(), "a:b".into())
        );
        assert!(parse_header("nocolon").is_err());
    }

    #[test]
    fn s3_keys_on_the_wire() {
        assert_eq!(
            s3_wire_url("http://h:1/b/a:b%2Fc d+e\u{e9}?x=a:b"),
            "http://h:1/b/a%3Ab%2Fc%20d%2Be%C3%A9?x=a:b"
        );
        assert_eq!(s3_wire_url("https://h/%zz"), "https://h/%25zz");
    }

    #[test]
    fn redaction() {
        let text = "GET\n/\nX-Amz-Security-Token=abc%2F&b=1\nhost:h\nx-amz-security-token:SECRET\n";
        let out = redact(text);
        assert!(!out.contains("SECRET") && !out.contains("abc%2F"), "{out}");
        assert!(out.contains("&b=1"));
    }

    #[test]
    fn scope_order() {
        let env = Env::from_pairs([("AWS_REGION", "eu-west-1")]);
        let args = SigningArgs::default();
        let s = scope(
            &args,
            "https://abc.execute-api.us-west-2.amazonaws.com/x",
            &env,
            None,
        )
        .unwrap();
        assert_eq!(
            (s.service.as_str(), s.region.as_str()),
            ("execute-api", "us-west-2")
        );
        let args = SigningArgs {
            service: Some("execute-api".into()),
            ..Default::default()
        };
        let s = scope(&args, "http://127.0.0.1:1/", &env, None).unwrap();
        assert_eq!(s.region, "eu-west-1");
        assert!(scope(&SigningArgs::default(), "http://127.0.0.1:1/", &env, None).is_err());
    }
}

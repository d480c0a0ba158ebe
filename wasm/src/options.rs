//! Options objects of `Signer` and `Verifier`, as JS sends them: `name`, then the value tagged by
//! its JS type (`s` string, `b` boolean `1`/`0`, `n` number as `String(n)`, `a` array of strings
//! NUL-joined, `x` anything else). The names and their meaning live here, next to the core types
//! they set; the messages are the Node addon's.

use sigv4::{
    ContentSha256Header, Error, ErrorKind, OptionFlag, OptionName, PathNormalization, PayloadMode,
    SessionTokenMode, SigningAlgorithm, SigningSettings, UriEncoding, VerifierSettings,
};

use crate::abi::{integer, msg, Reader};

/// Replay cache capacity used for `replayCache: true`.
const DEFAULT_REPLAY_CAPACITY: usize = 100_000;

/// One option's value.
pub enum Value<'a> {
    /// A string.
    Str(&'a str),
    /// A boolean.
    Bool(bool),
    /// A number, as JS printed it.
    Num(&'a str),
    /// An array of strings.
    List(Vec<&'a str>),
    /// Any other JS value.
    Other,
}

/// Reads the remaining fields as `(name, value)` options.
pub fn read<'a>(r: &mut Reader<'a>) -> Result<Vec<(&'a str, Value<'a>)>, Error> {
    let mut out = Vec::new();
    while !r.is_empty() {
        let name = r.str(ErrorKind::InvalidOption, "options")?;
        let raw = r.opt_str("options")?.unwrap_or("x");
        let (tag, rest) = raw.split_at(raw.len().min(1));
        let value = match tag {
            "s" => Value::Str(rest),
            "b" => Value::Bool(rest == "1"),
            "n" => Value::Num(rest),
            "a" if rest.is_empty() => Value::List(Vec::new()),
            "a" => Value::List(rest.split('\0').collect()),
            _ => Value::Other,
        };
        out.push((name, value));
    }
    Ok(out)
}

fn invalid(what: &'static str, message: String) -> Error {
    Error::from_binding(ErrorKind::InvalidOption, what, message)
}

fn string<'a>(v: &Value<'a>, kind: ErrorKind, what: &'static str) -> Result<&'a str, Error> {
    match v {
        Value::Str(s) => Ok(s),
        _ => Err(Error::from_binding(
            kind,
            what,
            msg(what, " must be a string"),
        )),
    }
}

fn boolean(v: &Value<'_>, what: &'static str) -> Result<bool, Error> {
    match v {
        Value::Bool(b) => Ok(*b),
        _ => Err(invalid(what, msg(what, " must be a boolean"))),
    }
}

fn list<'a>(v: &Value<'a>, what: &'static str) -> Result<Vec<&'a str>, Error> {
    match v {
        Value::List(l) => Ok(l.clone()),
        _ => Err(invalid(what, msg(what, " must be an array of strings"))),
    }
}

/// An option whose value is one of its names, read with the core's parser (the addon's
/// `named_option`); the error names the option as JavaScript spells it.
fn named<T: OptionName>(v: &Value<'_>, js_name: &'static str) -> Result<T, Error> {
    let text = string(v, ErrorKind::InvalidOption, js_name)?;
    T::parse_name(text).map_err(|e| renamed(&e, T::OPTION, js_name))
}

/// The core's error with the option named as JavaScript spells it (not generic: one copy).
fn renamed(e: &Error, option: &str, js_name: &'static str) -> Error {
    invalid(js_name, e.message().replace(option, js_name))
}

/// A boolean option, turned into the setting the core says the flag selects.
fn flag<T: OptionFlag>(v: &Value<'_>, js_name: &'static str) -> Result<T, Error> {
    Ok(T::from_flag(boolean(v, js_name)?))
}

/// The signing settings of a `Signer` for `service` from its options.
pub fn signing(opts: &[(&str, Value<'_>)], service: &str) -> Result<SigningSettings, Error> {
    let mut s = SigningSettings::for_service(service);
    for (name, v) in opts {
        match *name {
            "payload" => {
                s.payload = Some(named::<PayloadMode>(v, "payload")?);
            }
            "contentSha256Header" => {
                s.content_sha256_header = flag::<ContentSha256Header>(v, "contentSha256Header")?
            }
            "uriEncoding" => s.uri_encoding = named::<UriEncoding>(v, "uriEncoding")?,
            "normalizePath" => {
                s.path_normalization = flag::<PathNormalization>(v, "normalizePath")?
            }
            "signSessionToken" => {
                s.session_token_mode = flag::<SessionTokenMode>(v, "signSessionToken")?
            }
            "algorithm" => {
                s.algorithm = named::<SigningAlgorithm>(v, "algorithm")?;
            }
            "unsignedHeaders" => {
                let names = match v {
                    Value::List(l) => l.clone(),
                    _ => {
                        return Err(invalid(
                            "unsignedHeaders",
                            "unsignedHeaders must be an array of header names".into(),
                        ))
                    }
                };
                s.unsigned_headers
                    .extend(names.into_iter().map(str::to_owned));
            }
            _ => {}
        }
    }
    Ok(s)
}

fn seconds(v: &Value<'_>, what: &'static str, max: u32) -> Result<u32, Error> {
    let bad = || {
        invalid(
            what,
            msg(
                what,
                &msg(
                    " must be an integer number of seconds, 0..",
                    &max.to_string(),
                ),
            ),
        )
    };
    match v {
        Value::Num(n) => integer(n, u64::from(max), bad).map(|n| n as u32),
        _ => Err(bad()),
    }
}

/// The accepted regions and the verifier settings for `service` from a `Verifier`'s options.
pub fn verifying(
    opts: &[(&str, Value<'_>)],
    service: &str,
) -> Result<(Vec<String>, VerifierSettings), Error> {
    let mut regions: Vec<String> = Vec::new();
    let mut s = VerifierSettings::for_service(service);
    for (name, v) in opts {
        match *name {
            "region" => {
                let r = string(v, ErrorKind::InvalidRegion, "region")?;
                if !regions.iter().any(|x| x == r) {
                    regions.insert(0, r.to_owned());
                }
            }
            "regions" => {
                for r in list(v, "regions")? {
                    if !regions.iter().any(|x| x == r) {
                        regions.push(r.to_owned());
                    }
                }
            }
            "maxSkew" => s.max_skew_seconds = seconds(v, "maxSkew", 86_400)?,
            "maxExpires" => s.max_expires_seconds = seconds(v, "maxExpires", 604_800)?,
            "mustSignHeaders" => {
                for name in list(v, "mustSignHeaders")? {
                    let name = name.to_ascii_lowercase();
                    if !s.must_sign_headers.contains(&name) {
                        s.must_sign_headers.push(name);
                    }
                }
            }
            "allowUnsignedPayload" => {
                s.allow_unsigned_payload = boolean(v, "allowUnsignedPayload")?
            }
            "allowSigv4a" => s.allow_sigv4a = boolean(v, "allowSigv4a")?,
            "replayCache" => {
                let bad = || {
                    invalid(
                        "replayCache",
                        "replayCache must be false, true or a capacity >= 1".into(),
                    )
                };
                s.replay_cache_capacity = match v {
                    Value::Bool(b) => b.then_some(DEFAULT_REPLAY_CAPACITY),
                    Value::Num(n) => {
                        let n = integer(n, 9_007_199_254_740_991, bad)?;
                        if n < 1 {
                            return Err(bad());
                        }
                        Some(n as usize)
                    }
                    _ => return Err(bad()),
                }
            }
            "uriEncoding" => s.uri_encoding = named::<UriEncoding>(v, "uriEncoding")?,
            "normalizePath" => {
                s.path_normalization = flag::<PathNormalization>(v, "normalizePath")?
            }
            "signSessionToken" => {
                s.session_token_mode = flag::<SessionTokenMode>(v, "signSessionToken")?
            }
            _ => {}
        }
    }
    if regions.is_empty() {
        return Err(Error::from_binding(
            ErrorKind::InvalidRegion,
            "region",
            "give region: 'us-east-1' or regions: [...]: the regions whose signatures are accepted",
        ));
    }
    Ok((regions, s))
}

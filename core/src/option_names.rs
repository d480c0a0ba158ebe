//! Every signing and verifying option read from the name a binding receives, decided once.
//!
//! Bindings take options as text (`uri_encoding="single"`, `payload: 'unsigned'`) or as flags
//! (`normalize_path=False`); each used to keep its own `match` and they drifted (one accepted
//! names another refused, with other messages). Here each option has one parser, one list of
//! names (for help texts) and one error, [`ErrorKind::InvalidOption`] naming the option and what
//! it accepts; a binding only turns its language's value into a `&str` or a `bool`.

use std::str::FromStr;

use crate::answer::ErrorFormat;
use crate::error::{Error, ErrorKind, Result};
use crate::settings::{
    ContentSha256Header, PathNormalization, PayloadMode, QueryEncoding, SessionTokenMode,
    SigningAlgorithm, UriEncoding,
};

/// An option whose value is one name out of a fixed list.
pub trait OptionName: Sized + Copy + 'static {
    /// The option's name in the API (snake_case, as C and Python spell it; Node uses camelCase).
    const OPTION: &'static str;
    /// Every value with its name, in the order the documentation lists them.
    const NAMES: &'static [(&'static str, Self)];

    /// The value named `name` (exact, lowercase), or an `InvalidOption` error listing the names.
    fn parse_name(name: &str) -> Result<Self> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::NAMES.iter().map(|(n, _)| *n).collect();
                not_one_of(Self::OPTION, name, &names)
            })
    }
}

/// The error for a name that is none of `names` (not generic: one copy for every option, which
/// matters in the WebAssembly build's size). The names are plain words: quoted as `{:?}` would.
fn not_one_of(option: &'static str, name: &str, names: &[&str]) -> Error {
    let mut listed = String::new();
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            listed.push_str(", ");
        }
        listed.push('"');
        listed.push_str(n);
        listed.push('"');
    }
    Error::arg(
        ErrorKind::InvalidOption,
        option,
        format!("{option} {name:?} is not one of {listed}"),
    )
}

/// The name of `value` (the inverse of [`OptionName::parse_name`]).
pub fn option_name<T: OptionName + PartialEq>(value: T) -> &'static str {
    T::NAMES
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("", |(n, _)| n)
}

macro_rules! named_option {
    ($ty:ty, $option:literal, [$(($name:literal, $value:expr)),+ $(,)?]) => {
        impl OptionName for $ty {
            const OPTION: &'static str = $option;
            const NAMES: &'static [(&'static str, Self)] = &[$(($name, $value)),+];
        }

        impl FromStr for $ty {
            type Err = Error;

            fn from_str(name: &str) -> Result<Self> {
                <$ty as OptionName>::parse_name(name)
            }
        }
    };
}

named_option!(
    UriEncoding,
    "uri_encoding",
    [
        ("double", UriEncoding::Double),
        ("single", UriEncoding::Single),
        ("verbatim", UriEncoding::Verbatim),
    ]
);
named_option!(
    QueryEncoding,
    "query_encoding",
    [
        ("canonical", QueryEncoding::Canonical),
        ("verbatim", QueryEncoding::Verbatim),
    ]
);
named_option!(
    PayloadMode,
    "payload",
    [
        ("signed", PayloadMode::Signed),
        ("unsigned", PayloadMode::Unsigned),
        ("streaming-signed", PayloadMode::StreamingSigned),
        (
            "streaming-unsigned-trailer",
            PayloadMode::StreamingUnsignedTrailer
        ),
        (
            "streaming-signed-trailer",
            PayloadMode::StreamingSignedTrailer
        ),
    ]
);
named_option!(
    SigningAlgorithm,
    "algorithm",
    [
        ("sigv4", SigningAlgorithm::Sigv4),
        ("sigv4a", SigningAlgorithm::Sigv4a),
    ]
);
named_option!(
    ErrorFormat,
    "error_format",
    [("json", ErrorFormat::Json), ("xml", ErrorFormat::Xml)]
);

impl PayloadMode {
    /// Parses the API names: `signed`, `unsigned`, `streaming-signed`, `streaming-unsigned-trailer`,
    /// `streaming-signed-trailer` ([`OptionName::parse_name`] with the error).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::parse_name(name).ok()
    }

    /// The API name of this mode.
    pub fn name(self) -> &'static str {
        option_name(self)
    }
}

impl PayloadMode {
    /// True for the aws-chunked modes a streaming upload signs (`streaming-*`).
    pub fn is_streaming(self) -> bool {
        matches!(
            self,
            PayloadMode::StreamingSigned
                | PayloadMode::StreamingSignedTrailer
                | PayloadMode::StreamingUnsignedTrailer
        )
    }

    /// The `payload` option of a streaming upload: one of the `streaming-*` names, else an
    /// `InvalidOption` error listing them (every binding's `sign_streaming`/`signStreaming`).
    pub fn parse_streaming_name(name: &str) -> Result<Self> {
        Self::parse_name(name)
            .ok()
            .filter(|m| m.is_streaming())
            .ok_or_else(|| {
                Error::arg(
                    ErrorKind::InvalidOption,
                    "payload",
                    format!(
                        "payload {name:?} must be streaming-signed, streaming-signed-trailer or \
                         streaming-unsigned-trailer"
                    ),
                )
            })
    }
}

impl SigningAlgorithm {
    /// Parses the API names `sigv4` and `sigv4a` ([`OptionName::parse_name`] with the error).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::parse_name(name).ok()
    }

    /// The API name (`sigv4`, `sigv4a`; [`SigningAlgorithm::name`] is the `Authorization` name).
    pub fn api_name(self) -> &'static str {
        option_name(self)
    }
}

/// An option given as a flag (`normalize_path=False`): which enum value each answer means.
pub trait OptionFlag: Sized {
    /// The option's name in the API (snake_case).
    const OPTION: &'static str;
    /// The value the flag `on` selects.
    fn from_flag(on: bool) -> Self;
}

impl OptionFlag for PathNormalization {
    const OPTION: &'static str = "normalize_path";
    fn from_flag(on: bool) -> Self {
        if on {
            PathNormalization::Enabled
        } else {
            PathNormalization::Disabled
        }
    }
}

impl OptionFlag for ContentSha256Header {
    const OPTION: &'static str = "content_sha256_header";
    /// `true` always adds the header; `false` never does (the service default,
    /// [`ContentSha256Header::WhenPayloadUnsigned`] outside S3, is "no flag given").
    fn from_flag(on: bool) -> Self {
        if on {
            ContentSha256Header::Include
        } else {
            ContentSha256Header::Omit
        }
    }
}

impl OptionFlag for SessionTokenMode {
    const OPTION: &'static str = "sign_session_token";
    fn from_flag(on: bool) -> Self {
        if on {
            SessionTokenMode::Signed
        } else {
            SessionTokenMode::AppendedAfterSigning
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: OptionName + PartialEq + std::fmt::Debug>() {
        for (name, value) in T::NAMES {
            assert_eq!(T::parse_name(name).unwrap(), *value);
            assert_eq!(option_name(*value), *name);
        }
        let err = T::parse_name("Nope").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidOption);
        assert_eq!(err.argument(), Some(T::OPTION));
        assert!(err.message().contains("\"Nope\""), "{}", err.message());
        assert!(err.message().contains(T::NAMES[0].0), "{}", err.message());
        // Names are exact: no case folding, no trimming (a binding must not guess).
        let upper = T::NAMES[0].0.to_uppercase();
        assert!(T::parse_name(&upper).is_err());
        assert!(T::parse_name(&format!(" {}", T::NAMES[0].0)).is_err());
    }

    #[test]
    fn every_named_option_round_trips() {
        round_trip::<UriEncoding>();
        round_trip::<QueryEncoding>();
        round_trip::<PayloadMode>();
        round_trip::<SigningAlgorithm>();
        round_trip::<ErrorFormat>();
    }

    #[test]
    fn payload_names_are_the_documented_api_names() {
        let names: Vec<&str> = PayloadMode::NAMES.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "signed",
                "unsigned",
                "streaming-signed",
                "streaming-unsigned-trailer",
                "streaming-signed-trailer"
            ]
        );
        assert_eq!(
            "single".parse::<UriEncoding>().unwrap(),
            UriEncoding::Single
        );
    }

    #[test]
    fn streaming_uploads_take_only_the_streaming_names() {
        for (name, mode) in PayloadMode::NAMES {
            let got = PayloadMode::parse_streaming_name(name);
            assert_eq!(got.is_ok(), name.starts_with("streaming-"), "{name}");
            assert_eq!(got.is_ok(), mode.is_streaming(), "{name}");
        }
        let err = PayloadMode::parse_streaming_name("unsigned").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidOption);
        assert!(
            err.message().contains("streaming-signed"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn flags_select_the_named_values() {
        assert_eq!(
            PathNormalization::from_flag(true),
            PathNormalization::Enabled
        );
        assert_eq!(
            PathNormalization::from_flag(false),
            PathNormalization::Disabled
        );
        assert_eq!(
            ContentSha256Header::from_flag(true),
            ContentSha256Header::Include
        );
        assert_eq!(
            ContentSha256Header::from_flag(false),
            ContentSha256Header::Omit
        );
        assert_eq!(SessionTokenMode::from_flag(true), SessionTokenMode::Signed);
        assert_eq!(
            SessionTokenMode::from_flag(false),
            SessionTokenMode::AppendedAfterSigning
        );
    }
}

//! Reading the canonical request and string to sign out of AWS's SignatureDoesNotMatch answers:
//! S3's XML (`<CanonicalRequest>`, `<StringToSign>`, and the `...Bytes` hex forms), the JSON and
//! query services' message ("The Canonical String for this request should have been '...' The
//! String-to-Sign should have been '...'") inside JSON, XML or plain text, and the JSON of a
//! verifier that returns `canonicalRequest` / `stringToSign` fields.

/// What the server said it computed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ServerSide {
    /// Which form the answer had (for the report).
    pub form: &'static str,
    /// The error code, when given.
    pub code: Option<String>,
    /// The canonical request the server computed.
    pub canonical_request: Option<String>,
    /// The string to sign the server computed.
    pub string_to_sign: Option<String>,
}

/// Decodes XML character references and the five predefined entities.
pub fn xml_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of the first `<name>...</name>` element.
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&close)? + start;
    Some(&xml[start..end])
}

/// Bytes from S3's `...Bytes` form: two-digit hex numbers separated by spaces.
fn hex_bytes(text: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = text
        .split_ascii_whitespace()
        .map(|h| u8::from_str_radix(h, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

/// The two quoted blocks of the JSON/query services' message.
pub fn from_message(message: &str) -> (Option<String>, Option<String>) {
    const CANONICAL: &str = "The Canonical String for this request should have been";
    const STS: &str = "The String-to-Sign should have been";
    let quoted_after = |text: &str, marker: &str, until: Option<&str>| -> Option<String> {
        let start = text.find(marker)? + marker.len();
        let rest = &text[start..];
        let open = rest.find('\'')? + 1;
        let body = &rest[open..];
        let limit = until.and_then(|u| body.find(u)).unwrap_or(body.len());
        // The block ends at the last quote before the next marker (values may hold quotes).
        let close = body[..limit].rfind('\'')?;
        Some(body[..close].to_owned())
    };
    (
        quoted_after(message, CANONICAL, Some(STS)),
        quoted_after(message, STS, None),
    )
}

fn strip_http_head(text: &str) -> &str {
    if !text.starts_with("HTTP/") {
        return text;
    }
    for sep in ["\r\n\r\n", "\n\n"] {
        if let Some(i) = text.find(sep) {
            return &text[i + sep.len()..];
        }
    }
    text
}

fn json_message(doc: &serde_json::Value) -> Option<String> {
    let text =
        |v: &serde_json::Value, k: &str| v.get(k).and_then(|m| m.as_str()).map(str::to_owned);
    text(doc, "message")
        .or_else(|| text(doc, "Message"))
        .or_else(|| doc.get("Error").and_then(|e| text(e, "Message")))
        .or_else(|| {
            doc.get("errors")
                .and_then(|e| e.as_array())
                .and_then(|a| a.first())
                .and_then(|e| text(e, "message"))
        })
}

/// Reads an answer in any of the known forms.
pub fn parse(answer: &str) -> ServerSide {
    let body = strip_http_head(answer.trim_start_matches('\u{feff}')).trim();
    if body.starts_with('{') {
        if let Ok(doc) = serde_json::from_str::<serde_json::Value>(body) {
            let text = |k: &str| doc.get(k).and_then(|m| m.as_str()).map(str::to_owned);
            let code = text("__type")
                .or_else(|| text("code"))
                .or_else(|| text("Code"))
                .or_else(|| {
                    doc.get("errors")
                        .and_then(|e| e.get(0))
                        .and_then(|e| e.get("code"))
                        .and_then(|c| c.as_str())
                        .map(str::to_owned)
                });
            if let Some(cr) = text("canonicalRequest").or_else(|| text("CanonicalRequest")) {
                return ServerSide {
                    form: "JSON with canonicalRequest / stringToSign fields",
                    code,
                    canonical_request: Some(cr),
                    string_to_sign: text("stringToSign").or_else(|| text("StringToSign")),
                };
            }
            if let Some(message) = json_message(&doc) {
                let (cr, sts) = from_message(&message);
                return ServerSide {
                    form: "JSON message (API Gateway, OpenSearch, JSON-protocol services)",
                    code,
                    canonical_request: cr,
                    string_to_sign: sts,
                };
            }
        }
    }
    if body.starts_with('<') {
        let code = element(body, "Code").map(xml_unescape);
        let cr = element(body, "CanonicalRequestBytes")
            .and_then(hex_bytes)
            .or_else(|| element(body, "CanonicalRequest").map(xml_unescape));
        let sts = element(body, "StringToSignBytes")
            .and_then(hex_bytes)
            .or_else(|| element(body, "StringToSign").map(xml_unescape));
        if cr.is_some() || sts.is_some() {
            return ServerSide {
                form: "S3 XML",
                code,
                canonical_request: cr,
                string_to_sign: sts,
            };
        }
        if let Some(message) = element(body, "Message") {
            let (cr, sts) = from_message(&xml_unescape(message));
            return ServerSide {
                form: "XML message (STS, SQS and other query-protocol services)",
                code,
                canonical_request: cr,
                string_to_sign: sts,
            };
        }
    }
    let (cr, sts) = from_message(body);
    ServerSide {
        form: "text message",
        code: body
            .contains("SignatureDoesNotMatch")
            .then(|| "SignatureDoesNotMatch".to_owned()),
        canonical_request: cr,
        string_to_sign: sts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes() {
        assert_eq!(
            xml_unescape("a&amp;b&lt;&#x41;&#66;&bogus; &"),
            "a&b<AB&bogus; &"
        );
    }

    #[test]
    fn hex() {
        assert_eq!(hex_bytes("47 45 54 0a 2f").as_deref(), Some("GET\n/"));
        assert_eq!(hex_bytes("zz"), None);
    }

    #[test]
    fn message_with_quotes_inside() {
        let m = "x\n\nThe Canonical String for this request should have been\n'GET\n/\n\nh:it's\n\nh\nabc'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\nd'\n";
        let (cr, sts) = from_message(m);
        assert_eq!(cr.as_deref(), Some("GET\n/\n\nh:it's\n\nh\nabc"));
        assert_eq!(sts.as_deref(), Some("AWS4-HMAC-SHA256\nd"));
    }
}

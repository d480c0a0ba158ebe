//! `sigv4 explain`: the server's canonical request and string to sign (from its error answer)
//! against ours, a line diff of each, and the named cause.

pub mod cause;
pub mod diff;
pub mod parse;

use std::fmt::Write as _;
use std::path::Path;

use sigv4::{Body, Credentials, Request, SigningTime, Verifier, VerifierSettings};

use crate::args::ExplainArgs;
use crate::error::{exit, CliError, Result};
use crate::signing::redact;

/// Our side: what we signed.
#[derive(Debug, Clone)]
pub struct OurSide {
    /// Where it came from (for the report).
    pub from: String,
    /// Our canonical request.
    pub canonical_request: String,
    /// Our string to sign.
    pub string_to_sign: String,
}

/// The diagnosis.
#[derive(Debug)]
pub struct Report {
    /// The answer's form.
    pub form: &'static str,
    /// The answer's error code.
    pub code: Option<String>,
    /// Where our side came from.
    pub ours_from: String,
    /// The canonical request diff, rendered.
    pub canonical_diff: Option<String>,
    /// The string-to-sign diff, rendered.
    pub sts_diff: Option<String>,
    /// The causes, most specific first.
    pub causes: Vec<cause::Cause>,
}

fn render(ours: &str, theirs: &str) -> String {
    let mut out = String::new();
    for line in diff::lines(ours, theirs) {
        let _ = match line {
            diff::Line::Same(l) => writeln!(out, "  {}", redact(l)),
            diff::Line::Ours(l) => writeln!(out, "- {}", redact(l)),
            diff::Line::Theirs(l) => writeln!(out, "+ {}", redact(l)),
        };
    }
    out
}

/// Compares the two sides.
pub fn explain(server: &parse::ServerSide, ours: &OurSide) -> Result<Report> {
    if server.canonical_request.is_none() && server.string_to_sign.is_none() {
        return Err(CliError::with_code(
            exit::REFUSED,
            format!(
                "the answer ({}{}) holds no canonical request or string to sign: AWS includes them only in SignatureDoesNotMatch answers (S3 XML, or the JSON/query message)",
                server.form,
                server.code.as_deref().map(|c| format!(", code {c}")).unwrap_or_default()
            ),
        ));
    }
    let mut causes = Vec::new();
    let canonical_diff = server.canonical_request.as_ref().map(|theirs| {
        causes.extend(cause::canonical(&ours.canonical_request, theirs));
        render(&ours.canonical_request, theirs)
    });
    let sts_diff = server.string_to_sign.as_ref().map(|theirs| {
        causes.extend(cause::string_to_sign(
            &ours.string_to_sign,
            theirs,
            server.canonical_request.is_some(),
        ));
        render(&ours.string_to_sign, theirs)
    });
    if causes.is_empty() {
        causes.push(cause::keys());
    }
    Ok(Report {
        form: server.form,
        code: server.code.clone(),
        ours_from: ours.from.clone(),
        canonical_diff,
        sts_diff,
        causes,
    })
}

fn ours_from_signed(path: &Path) -> Result<OurSide> {
    let text = std::fs::read(path)
        .map_err(|e| CliError::input(format!("cannot read --signed {}: {e}", path.display())))?;
    let doc: serde_json::Value = serde_json::from_slice(&text).map_err(|e| {
        CliError::input(format!(
            "--signed {} is not the JSON of `sigv4 sign --json`: {e}",
            path.display()
        ))
    })?;
    let field = |k: &str| {
        doc.get(k)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .ok_or_else(|| {
                CliError::input(format!(
                    "--signed {} has no {k:?} (expected the output of `sigv4 sign --json`)",
                    path.display()
                ))
            })
    };
    Ok(OurSide {
        from: format!("sigv4 sign --json ({})", path.display()),
        canonical_request: field("canonical_request")?,
        string_to_sign: field("string_to_sign")?,
    })
}

/// Our canonical request for a captured request: what a verifier computes from it as it stands
/// (the signing key does not enter the canonical request or the string to sign, so any secret does).
pub fn ours_from_raw(raw: &crate::raw::RawRequest) -> Result<OurSide> {
    let scope = raw.credential().filter(|s| s.len() == 5).ok_or_else(|| {
        CliError::input("--request: no Authorization header or X-Amz-Credential with a credential scope (AKID/date/region/service/aws4_request)")
    })?;
    let amz_date = raw
        .header("x-amz-date")
        .map(str::to_owned)
        .or_else(|| {
            raw.target.split_once('?').and_then(|(_, q)| {
                q.split('&')
                    .find_map(|p| p.strip_prefix("X-Amz-Date="))
                    .map(str::to_owned)
            })
        })
        .ok_or_else(|| CliError::input("--request: no X-Amz-Date"))?;
    let at = SigningTime::parse_amz_date(&amz_date)?;
    let token = raw.header("x-amz-security-token").map(str::to_owned);
    let akid = scope[0].clone();
    let lookup = move |id: &str| -> Option<Credentials> {
        (id == akid)
            .then(|| Credentials::new(id, "sigv4-explain-any-secret", token.clone()).ok())
            .flatten()
    };
    let mut settings = VerifierSettings::for_service(&scope[3]);
    settings.allow_sigv4a = true;
    settings.allow_unsigned_payload = true;
    settings.max_skew_seconds = 86_400;
    let verifier = Verifier::new(lookup, &[scope[2].as_str()], &scope[3], settings)?;
    let pairs = raw.pairs();
    let request = Request::new(&raw.method, &raw.target, &pairs, Body::Bytes(&raw.body))?;
    match verifier.verify(&request, at) {
        Err(e) => match e.mismatch() {
            Some(m) => Ok(OurSide {
                from: "the captured request".to_owned(),
                canonical_request: m.canonical_request.clone(),
                string_to_sign: m.string_to_sign.clone(),
            }),
            None => Err(CliError::input(format!("--request: cannot rebuild its canonical request: {}: {}", e.code(), e.message()))),
        },
        Ok(_) => Err(CliError::input("--request: the request verified with a made-up secret, which cannot happen for a real signature")),
    }
}

fn last() -> Result<(OurSide, String)> {
    let path = crate::cmd::request::last_path().ok_or_else(|| {
        CliError::input("--last: no HOME or XDG_CACHE_HOME to find the last exchange in")
    })?;
    let text = std::fs::read(&path).map_err(|e| {
        CliError::input(format!(
            "--last: cannot read {} ({e}); run `sigv4 request -v ...` first",
            path.display()
        ))
    })?;
    let doc: serde_json::Value = serde_json::from_slice(&text)
        .map_err(|e| CliError::input(format!("--last: {} is not JSON: {e}", path.display())))?;
    let field = |k: &str| {
        doc.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    Ok((
        OurSide {
            from: format!("the last `sigv4 request -v` ({})", path.display()),
            canonical_request: field("canonical_request"),
            string_to_sign: field("string_to_sign"),
        },
        field("response"),
    ))
}

/// The report as text.
pub fn to_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "answer: {}{}",
        report.form,
        report
            .code
            .as_deref()
            .map(|c| format!(", {c}"))
            .unwrap_or_default()
    );
    let _ = writeln!(out, "ours: {}", report.ours_from);
    if let Some(d) = &report.canonical_diff {
        let _ = writeln!(out, "\ncanonical request (- ours, + the server's):\n{d}");
    }
    if let Some(d) = &report.sts_diff {
        let _ = writeln!(out, "string to sign (- ours, + the server's):\n{d}");
    }
    for c in &report.causes {
        let _ = writeln!(out, "cause [{}]: {}", c.id, redact(&c.message));
    }
    out
}

/// Runs `sigv4 explain`.
pub async fn run(args: ExplainArgs) -> Result<u8> {
    let (ours, answer) = if args.last {
        let (ours, response) = last()?;
        let answer = match &args.response {
            Some(p) => {
                String::from_utf8_lossy(&crate::cmd::verify::read_input(Some(p))?).into_owned()
            }
            None => response,
        };
        (ours, answer)
    } else {
        let ours = if let Some(path) = &args.signed {
            ours_from_signed(path)?
        } else if let Some(path) = &args.request {
            let bytes = std::fs::read(path).map_err(|e| {
                CliError::input(format!("cannot read --request {}: {e}", path.display()))
            })?;
            ours_from_raw(&crate::raw::parse(&bytes)?)?
        } else {
            return Err(CliError::input(
                "give our side: --signed FILE (from `sigv4 sign --json`), --request FILE (the raw request sent), or --last",
            ));
        };
        let answer = crate::cmd::verify::read_input(args.response.as_deref())?;
        (ours, String::from_utf8_lossy(&answer).into_owned())
    };
    let server = parse::parse(&answer);
    let report = explain(&server, &ours)?;
    if args.json {
        let causes: Vec<serde_json::Value> = report
            .causes
            .iter()
            .map(|c| serde_json::json!({"cause": c.id, "message": redact(&c.message)}))
            .collect();
        let value = serde_json::json!({
            "form": report.form,
            "code": report.code,
            "ours": report.ours_from,
            "canonical_request_diff": report.canonical_diff,
            "string_to_sign_diff": report.sts_diff,
            "causes": causes,
        });
        println!("{}", serde_json::to_string_pretty(&value).expect("JSON"));
    } else {
        print!("{}", to_text(&report));
    }
    Ok(exit::OK)
}

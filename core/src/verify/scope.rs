//! The credential (`AKID/YYYYMMDD/region/service/aws4_request`, or for SigV4a
//! `AKID/YYYYMMDD/service/aws4_request`) and its checks against the verifier.

use crate::error::Result;
use crate::settings::SigningAlgorithm;

use super::form::Form;
use super::parse_header::truncate;

/// The parts of a credential, borrowed from it.
#[derive(Debug)]
pub(crate) struct Scope<'c> {
    pub(crate) access_key_id: &'c str,
    /// The credential region (SigV4); empty for SigV4a, whose regions are the region set.
    pub(crate) region: &'c str,
    /// `date/region/service/aws4_request` (SigV4a: `date/service/aws4_request`), as it goes into
    /// the string to sign.
    pub(crate) scope: &'c str,
}

/// The common case without splitting: `AKID/` followed by exactly `date/region/service/aws4_request`
/// with the date of `amz_date` (eight digits), one of `regions` and `service`
/// (neither holds a '/', as `Verifier::new` checked), so that the full parse below would accept
/// it with these same parts. `None` sends every other credential through the full parse.
/// `a or b or c`: the verifier's regions in an error message (by hand rather than `join`, whose
/// `String` instance weighs ~1 KB in the WebAssembly build).
pub(crate) fn or_list(regions: &[String]) -> String {
    let mut out = String::new();
    for (i, r) in regions.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(r);
    }
    out
}

fn expected_sigv4<'c>(
    credential: &'c str,
    amz_date: &str,
    regions: &[String],
    service: &str,
) -> Option<Scope<'c>> {
    const TERMINATOR: &str = "/aws4_request";
    let slash = super::find_byte(credential.as_bytes(), b'/')?;
    let (akid, scope) = (&credential[..slash], &credential[slash + 1..]);
    // Digits only (so no '/'), whatever the caller checked before.
    let date = amz_date
        .get(..8)
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
    let middle = scope
        .strip_prefix(date)?
        .strip_prefix('/')?
        .strip_suffix(TERMINATOR)?
        .strip_suffix(service)?
        .strip_suffix('/')?;
    let region = regions.iter().find(|r| r.as_str() == middle)?;
    (!akid.is_empty() && !region.is_empty() && !service.is_empty()).then_some(Scope {
        access_key_id: akid,
        region: middle,
        scope,
    })
}

/// Splits and checks a credential: exactly five non-empty parts (four for SigV4a), ending in
/// `aws4_request`, with the scope date equal to the date of `X-Amz-Date`, a region among `regions`
/// (SigV4 only), and `service`.
pub(crate) fn parse<'c>(
    form: Form,
    algorithm: SigningAlgorithm,
    credential: &'c str,
    amz_date: &str,
    regions: &[String],
    service: &str,
) -> Result<Scope<'c>> {
    let sigv4a = algorithm == SigningAlgorithm::Sigv4a;
    if !sigv4a {
        if let Some(scope) = expected_sigv4(credential, amz_date, regions, service) {
            return Ok(scope);
        }
    }
    let shape = if sigv4a {
        "the SigV4a credential must be ACCESS_KEY_ID/YYYYMMDD/service/aws4_request"
    } else {
        "the credential must be ACCESS_KEY_ID/YYYYMMDD/region/service/aws4_request"
    };
    let mut parts = super::split_byte(credential, b'/');
    let mut next = || parts.next().filter(|p| !p.is_empty());
    let (akid, date) = (next(), next());
    let region = if sigv4a { Some("") } else { next() };
    let (Some(akid), Some(date), Some(region), Some(svc), Some(terminator), None) =
        (akid, date, region, next(), next(), parts.next())
    else {
        return Err(form.malformed(format!("{shape} (got {:?})", truncate(credential))));
    };
    if terminator != "aws4_request" {
        return Err(form.malformed(format!(
            "{shape}: the last part must be aws4_request (got {:?})",
            truncate(terminator)
        )));
    }
    if date.len() != 8 || amz_date.get(..8) != Some(date) {
        return Err(form.malformed(format!(
            "the credential date {:?} must be the date of X-Amz-Date ({})",
            truncate(date),
            amz_date.get(..8).unwrap_or("")
        )));
    }
    if !sigv4a && !regions.iter().any(|r| r == region) {
        return Err(form.malformed(format!(
            "the credential region {:?} is wrong; expecting {}",
            truncate(region),
            or_list(regions)
        )));
    }
    if svc != service {
        return Err(form.malformed(format!(
            "the credential service {:?} is wrong; expecting {service:?}",
            truncate(svc)
        )));
    }
    Ok(Scope {
        access_key_id: akid,
        region,
        scope: &credential[akid.len() + 1..],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut and the full parse agree on every credential they both look at.
    #[test]
    fn shortcut_agrees_with_the_full_parse() {
        let regions = vec!["us-east-1".to_owned(), "eu-west-1".to_owned()];
        let date = "20150830T123600Z";
        for credential in [
            "AKID/20150830/us-east-1/service/aws4_request",
            "AKID/20150830/eu-west-1/service/aws4_request",
            "AKID/20150830/us-west-2/service/aws4_request",
            "AKID/20150831/us-east-1/service/aws4_request",
            "/20150830/us-east-1/service/aws4_request",
            "AKID/20150830//service/aws4_request",
            "AKID/20150830/us-east-1/us-east-1/service/aws4_request",
            "AKID/20150830/us-east-1/service/aws4_request/",
            "AKID/20150830/us-east-1/xservice/aws4_request",
            "AKID/20150830/us-east-1service/aws4_request",
            "AKID/20150830/us-east-1/service/aws4_requesT",
            "AK/ID/20150830/us-east-1/service/aws4_request",
            "AKID/20150830/us-east-1/service/aws4_request\u{e9}",
            "AKID",
            "",
        ] {
            let fast = expected_sigv4(credential, date, &regions, "service");
            let full = parse(
                Form::Header,
                SigningAlgorithm::Sigv4,
                credential,
                date,
                &regions,
                "service",
            );
            if let Some(fast) = fast {
                let full = full.expect(credential);
                assert_eq!(
                    (fast.access_key_id, fast.region, fast.scope),
                    (full.access_key_id, full.region, full.scope),
                    "{credential}"
                );
            }
        }
        assert!(expected_sigv4(
            "AKID/20150830/us-east-1/service/aws4_request",
            date,
            &regions,
            "service"
        )
        .is_some());
    }
}

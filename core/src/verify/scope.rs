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
            regions.join(" or ")
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

//! The credential `AKID/YYYYMMDD/region/service/aws4_request` and its checks against the verifier.

use crate::error::Result;

use super::form::Form;
use super::parse_header::truncate;

/// The five parts of a credential, borrowed from it.
#[derive(Debug)]
pub(crate) struct Scope<'c> {
    pub(crate) access_key_id: &'c str,
    pub(crate) date: &'c str,
    pub(crate) region: &'c str,
    /// `date/region/service/aws4_request`, as it goes into the string to sign.
    pub(crate) scope: &'c str,
}

/// Splits and checks a credential: exactly five non-empty parts, ending in `aws4_request`, with
/// the scope date equal to the date of `X-Amz-Date`, a region among `regions`, and `service`.
pub(crate) fn parse<'c>(
    form: Form,
    credential: &'c str,
    amz_date: &str,
    regions: &[String],
    service: &str,
) -> Result<Scope<'c>> {
    let shape = "the credential must be ACCESS_KEY_ID/YYYYMMDD/region/service/aws4_request";
    let mut parts = super::split_byte(credential, b'/');
    let mut next = || parts.next().filter(|p| !p.is_empty());
    let (Some(akid), Some(date), Some(region), Some(svc), Some(terminator), None) =
        (next(), next(), next(), next(), next(), parts.next())
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
    if !regions.iter().any(|r| r == region) {
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
        date,
        region,
        scope: &credential[akid.len() + 1..],
    })
}

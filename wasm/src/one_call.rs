//! `signV4(params)`: the core's one-call signing ([`sigv4::sign_v4`]), as the Node addon's
//! `signV4` calls it.

use sigv4::{packed, Error, ErrorKind, OneCall};

use crate::abi::{self, integer, Reader};
use crate::signer::time;

/// Fields: `accessKey, secretKey, sessionToken?, region, service, method, uri, time, payload?,
/// nQuery`, then `nQuery` query pairs, then header pairs.
fn sign_v4(buf: &[u8]) -> Result<Vec<u8>, Error> {
    let mut r = Reader::new(buf);
    let access_key = r.str(ErrorKind::InvalidCredentials, "accessKey")?;
    let secret_key = r.str(ErrorKind::InvalidCredentials, "secretKey")?;
    let session_token = r.opt_str("sessionToken")?;
    let region = r.str(ErrorKind::InvalidRegion, "region")?;
    let service = r.str(ErrorKind::InvalidService, "service")?;
    let method = r.str(ErrorKind::InvalidMethod, "method")?;
    let uri = r.str(ErrorKind::InvalidUrl, "uri")?;
    let time = time(&mut r)?;
    let payload = r.bytes()?.unwrap_or(b"");
    let bad = || Error::from_binding(ErrorKind::InvalidOption, "queryParams", "bad count");
    let n_query = integer(
        r.str(ErrorKind::InvalidOption, "queryParams")?,
        1 << 20,
        bad,
    )?;
    let mut query = Vec::with_capacity(n_query as usize);
    for _ in 0..n_query {
        let name = r.str(ErrorKind::InvalidUrl, "queryParams")?;
        query.push((name, r.opt_str("queryParams")?.unwrap_or("")));
    }
    let headers = r.pairs()?;
    let call = OneCall {
        access_key,
        secret_key,
        session_token,
        region,
        service,
        method,
        uri,
        query_params: &query,
        headers: &headers,
        payload,
        time,
    };
    let signed = sigv4::sign_v4(&call).map_err(|e| {
        // The core names the request's URL `url`; here it is the `uri` parameter.
        if e.kind() == ErrorKind::InvalidUrl && e.argument() == Some("url") {
            Error::from_binding(e.kind(), "uri", e.message().to_owned())
        } else {
            e
        }
    })?;
    Ok(packed::signed_request(&signed).into_bytes())
}

/// `signV4(params)` (see [`sign_v4`] for the fields); the signed request
/// (`sigv4::packed::SIGNED_REQUEST_FIELDS`) into the output.
#[no_mangle]
pub extern "C" fn sigv4_sign_v4(len: usize) -> i32 {
    abi::with_input(len, |buf| abi::answer(sign_v4(buf)))
}

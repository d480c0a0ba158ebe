//! `sigv4 presign METHOD URL --expires SECONDS`: any method, any service, SigV4 or SigV4a.

use sigv4::{Body, Request};

use crate::args::PresignArgs;
use crate::error::Result;
use crate::signing::{self, parse_header};

/// Runs `sigv4 presign`.
pub async fn run(args: PresignArgs) -> Result<()> {
    crate::http::Endpoint::parse(&args.url)?;
    let time = signing::time(args.signing.timestamp.as_deref())?;
    let (signer, scope) = signing::signer(&args.signing, &args.url, time).await?;
    let headers = args
        .headers
        .iter()
        .map(|h| parse_header(h))
        .collect::<Result<Vec<_>>>()?;
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    // A presigned URL's body is unknown when it is made: UNSIGNED-PAYLOAD unless the service
    // defaults say otherwise (the core decides).
    let url = if sigv4::is_s3_family(&scope.service) {
        signing::s3_wire_url(&args.url)
    } else {
        args.url.clone()
    };
    let request = Request::new(&args.method, &url, &pairs, Body::Bytes(b""))?;
    let signed = signer.presign(&request, time, args.expires)?;
    if args.json {
        let value = super::sign::to_json(&signed, &scope);
        println!(
            "{}",
            serde_json::to_string_pretty(&value).expect("JSON of strings")
        );
    } else {
        println!("{}", signed.url());
    }
    Ok(())
}

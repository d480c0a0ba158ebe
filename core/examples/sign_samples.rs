//! Signs the sample requests of the README and prints what would be sent.
use sigv4::{Body, Credentials, Request, Signer, SigningTime};

fn main() -> Result<(), sigv4::Error> {
    let creds = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )?;
    let time = SigningTime::parse("20150830T123600Z")?;
    let api = Signer::new(creds.clone(), "us-east-1", "execute-api")?;
    let body = br#"{"name":"job-1"}"#;
    let headers = [("Content-Type", "application/json")];
    let req = Request::new(
        "POST",
        "https://abc123.execute-api.us-east-1.amazonaws.com/v1/jobs",
        &headers,
        Body::Bytes(body),
    )?;
    let signed = api.sign(&req, time)?;
    println!("POST {}", signed.url());
    for (name, value) in signed.headers() {
        println!("  {name}: {value}");
    }
    let s3 = Signer::new(creds, "us-east-1", "s3")?;
    let req = Request::new(
        "GET",
        "https://examplebucket.s3.amazonaws.com/test.txt",
        &[],
        Body::default(),
    )?;
    println!("presigned: {}", s3.presign(&req, time, 86_400)?.url());
    Ok(())
}

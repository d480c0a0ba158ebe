//! Profiling aid: presigns W3 (S3 GET, 86400 s) in a loop (for callgrind/perf).
use sigv4::{Body, Credentials, Request, Signer, SigningTime};
fn main() {
    let creds = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
    .unwrap();
    let signer = Signer::new(creds, "us-east-1", "s3").unwrap();
    let t = SigningTime::from_unix(1_440_938_160).unwrap();
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20000);
    let mut total = 0;
    for _ in 0..n {
        let req = Request::new(
            "GET",
            "https://examplebucket.s3.amazonaws.com/test.txt",
            &[],
            Body::default(),
        )
        .unwrap();
        total += signer.presign(&req, t, 86_400).unwrap().url().len();
    }
    println!("{total}");
}

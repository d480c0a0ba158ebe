//! Profiling aid: signs W1 in a loop (for callgrind/perf).
use sigv4::{Body, Credentials, Request, Signer, SigningTime};
fn main() {
    let creds = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
    .unwrap();
    let signer = Signer::new(creds, "us-east-1", "service").unwrap();
    let t = SigningTime::from_unix(1_440_938_160).unwrap();
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20000);
    let mut total = 0;
    for _ in 0..n {
        let req = Request::new(
            "GET",
            "https://example.amazonaws.com/?Param2=value2&Param1=value1",
            &[],
            Body::default(),
        )
        .unwrap();
        total += signer.sign(&req, t).unwrap().signature().len();
    }
    println!("{total}");
}

//! Core signing benchmark: prints a table of ours next to aws-sigv4 (the AWS SDK for Rust's signer),
//! measured in the same run. Run with `make bench-rust`.

use std::hint::black_box;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};
use sigv4::{Body, Request, Signer, SigningTime};
use sigv4_bench::{creds, AKID, SECRET, T0};

/// Batches per measurement: the median resists the other processes of a shared machine.
const BATCHES: u32 = 31;

/// Median time per call over several batches of `iters` calls.
fn per_call(iters: u32, mut f: impl FnMut(u32)) -> Duration {
    for i in 0..iters / 10 + 1 {
        f(i);
    }
    let mut samples: Vec<Duration> = (0..BATCHES)
        .map(|batch| {
            let start = Instant::now();
            for i in 0..iters {
                f(batch * iters + i);
            }
            start.elapsed() / iters
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn fmt(d: Duration) -> String {
    let ns = d.as_nanos();
    if ns >= 100_000 {
        format!("{:.1} µs", ns as f64 / 1000.0)
    } else {
        format!("{:.3} µs", ns as f64 / 1000.0)
    }
}

fn theirs(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    service: &str,
    presign: Option<u64>,
    time: SystemTime,
) -> usize {
    use aws_sigv4::http_request::{
        sign, PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest,
        SignatureLocation, SigningSettings, UriPathNormalizationMode,
    };
    use aws_sigv4::sign::v4;
    let identity = aws_credential_types::Credentials::new(AKID, SECRET, None, None, "bench").into();
    let mut settings = SigningSettings::default();
    if service == "s3" {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let mut signable_body = SignableBody::Bytes(body);
    if let Some(secs) = presign {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(Duration::from_secs(secs));
        settings.payload_checksum_kind = PayloadChecksumKind::NoHeader;
        signable_body = SignableBody::UnsignedPayload;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .expect("params")
        .into();
    let request =
        SignableRequest::new(method, url, headers.iter().copied(), signable_body).expect("request");
    let (instructions, signature) = sign(request, &params).expect("sign").into_parts();
    instructions.headers().count() + instructions.params().len() + signature.len()
}

struct Row {
    name: &'static str,
    ours: Duration,
    theirs: Duration,
    target: String,
    met: bool,
}

fn main() {
    let t = SigningTime::from_unix(T0).expect("time");
    let st = UNIX_EPOCH + Duration::from_secs(T0 as u64);
    let mut rows = Vec::new();

    // W1: GET with a query, service "service".
    let w1_url = "https://example.amazonaws.com/?Param2=value2&Param1=value1";
    let signer = Signer::new(creds(), "us-east-1", "service").expect("signer");
    let warm = per_call(20_000, |_| {
        let req = Request::new("GET", w1_url, &[], Body::default()).expect("request");
        black_box(signer.sign(&req, t).expect("sign"));
    });
    let theirs_w1 = per_call(5_000, |_| {
        black_box(theirs("GET", w1_url, &[], b"", "service", None, st));
    });
    rows.push(Row {
        name: "W1 GET, warm (key cached)",
        ours: warm,
        theirs: theirs_w1,
        target: "<= 0.700 µs".into(),
        met: warm.as_nanos() <= 700,
    });
    let cold = per_call(20_000, |i| {
        let day = SigningTime::from_unix(T0 + i64::from(i) * 86_400).expect("time");
        let req = Request::new("GET", w1_url, &[], Body::default()).expect("request");
        black_box(signer.sign(&req, day).expect("sign"));
    });
    let theirs_cold = per_call(5_000, |i| {
        black_box(theirs(
            "GET",
            w1_url,
            &[],
            b"",
            "service",
            None,
            st + Duration::from_secs(u64::from(i) * 86_400),
        ));
    });
    rows.push(Row {
        name: "W1 GET, cold (new date each call)",
        ours: cold,
        theirs: theirs_cold,
        target: "<= 1.500 µs".into(),
        met: cold.as_nanos() <= 1_500,
    });

    // W2: POST 1 KiB JSON to API Gateway, signed payload.
    let w2_url = "https://abc123.execute-api.us-east-1.amazonaws.com/v1/jobs";
    let body: Vec<u8> = {
        let mut s = String::from("{\"items\":[");
        while s.len() < 1000 {
            s.push_str("{\"id\":12345,\"name\":\"job\"},");
        }
        s.push_str("{}]}");
        s.into_bytes()
    };
    let body = &body[..1024.min(body.len())];
    let api = Signer::new(creds(), "us-east-1", "execute-api").expect("signer");
    let headers = [("Content-Type", "application/json")];
    let w2 = per_call(20_000, |_| {
        let req = Request::new("POST", w2_url, &headers, Body::Bytes(body)).expect("request");
        black_box(api.sign(&req, t).expect("sign"));
    });
    let theirs_w2 = per_call(5_000, |_| {
        black_box(theirs(
            "POST",
            w2_url,
            &headers,
            body,
            "execute-api",
            None,
            st,
        ));
    });
    rows.push(Row {
        name: "W2 POST 1 KiB JSON, warm",
        ours: w2,
        theirs: theirs_w2,
        target: "<= 1.300 µs".into(),
        met: w2.as_nanos() <= 1_300,
    });

    // W3: presigned S3 GET, 86400 s.
    let w3_url = "https://examplebucket.s3.amazonaws.com/test.txt";
    let s3 = Signer::new(creds(), "us-east-1", "s3").expect("signer");
    let w3 = per_call(20_000, |_| {
        let req = Request::new("GET", w3_url, &[], Body::default()).expect("request");
        black_box(s3.presign(&req, t, 86_400).expect("presign"));
    });
    let theirs_w3 = per_call(5_000, |_| {
        black_box(theirs("GET", w3_url, &[], b"", "s3", Some(86_400), st));
    });
    rows.push(Row {
        name: "W3 presign S3 GET, warm",
        ours: w3,
        theirs: theirs_w3,
        target: "<= 0.800 µs".into(),
        met: w3.as_nanos() <= 800,
    });

    // W4: PUT 1 MiB to S3, signed payload, against one SHA-256 of the same MiB.
    let mib = vec![0x61u8; 1 << 20];
    let w4_url = "https://examplebucket.s3.amazonaws.com/big.bin";
    let sha = per_call(200, |_| {
        black_box(Sha256::digest(black_box(&mib)));
    });
    let w4 = per_call(200, |_| {
        let req = Request::new("PUT", w4_url, &[], Body::Bytes(&mib)).expect("request");
        black_box(s3.sign(&req, t).expect("sign"));
    });
    let theirs_w4 = per_call(100, |_| {
        black_box(theirs("PUT", w4_url, &[], &mib, "s3", None, st));
    });
    let ratio = w4.as_secs_f64() / sha.as_secs_f64();
    rows.push(Row {
        name: "W4 PUT 1 MiB S3, signed payload",
        ours: w4,
        theirs: theirs_w4,
        target: format!("<= 1.03 x SHA-256 ({}); is {ratio:.3} x", fmt(sha)),
        met: ratio <= 1.03,
    });

    println!("libsigv4 core benchmark (one thread; median of {BATCHES} batches, both libraries in the same run)");
    println!();
    println!("| workload | libsigv4 | aws-sigv4 1.6 | speed-up | target | met |");
    println!("|---|---:|---:|---:|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {:.1}x | {} | {} |",
            r.name,
            fmt(r.ours),
            fmt(r.theirs),
            r.theirs.as_secs_f64() / r.ours.as_secs_f64(),
            r.target,
            if r.met { "yes" } else { "NO" }
        );
    }
}

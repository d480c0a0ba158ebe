//! Shared by the integration tests: reading the AWS suite's request files.
#![allow(dead_code)]

/// A request as the suite writes it (`request.txt`, `*-signed-request.txt`): request line, headers
/// (obs-fold continuation lines joined to the value with a space; the raw lines kept for
/// re-rendering byte for byte), body.
#[derive(Clone, Debug)]
pub struct RawRequest {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub raw_header_lines: Vec<String>,
    pub body: Vec<u8>,
}

pub fn parse_request(text: &str) -> RawRequest {
    let (head, body) = match text.split_once("\n\n") {
        Some((h, b)) => (h, b.as_bytes().to_vec()),
        None => (text.trim_end_matches('\n'), Vec::new()),
    };
    let mut lines = head.split('\n');
    let (method, rest) = lines.next().unwrap().split_once(' ').unwrap();
    let target = rest.rsplit_once(' ').unwrap().0.to_owned();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut raw_header_lines: Vec<String> = Vec::new();
    for line in lines {
        if line.starts_with(' ') || line.starts_with('\t') {
            let last = headers.last_mut().unwrap();
            last.1.push(' ');
            last.1.push_str(line);
            let raw = raw_header_lines.last_mut().unwrap();
            raw.push('\n');
            raw.push_str(line);
        } else {
            let (n, v) = line.split_once(':').unwrap();
            headers.push((n.to_owned(), v.to_owned()));
            raw_header_lines.push(line.to_owned());
        }
    }
    RawRequest {
        method: method.to_owned(),
        target,
        headers,
        raw_header_lines,
        body,
    }
}

/// For a vector whose raw target the verifier refuses (tests/verify-refused-vectors.json): the
/// code expected, and the path to send instead (`None`: nothing of it can verify).
pub fn refused_vector(name: &str) -> Option<(String, Option<String>)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/verify-refused-vectors.json");
    let all: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let entry = all.get(name)?;
    Some((
        entry["code"].as_str().unwrap().to_owned(),
        entry["send_instead"].as_str().map(str::to_owned),
    ))
}

/// `target` with its path replaced by `path` (the query kept).
pub fn with_path(target: &str, path: &str) -> String {
    match target.split_once('?') {
        Some((_, query)) => format!("{path}?{query}"),
        None => path.to_owned(),
    }
}

/// A verifier for the v4 suite's credentials and scope (`us-east-1`, `service`), with a replay
/// cache of `replay_capacity` entries (none for `None`).
pub fn suite_verifier(replay_capacity: Option<usize>) -> sigv4::Verifier {
    let creds = sigv4::Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
    )
    .unwrap();
    let mut settings = sigv4::VerifierSettings::for_service("service");
    settings.replay_cache_capacity = replay_capacity;
    sigv4::Verifier::new(creds, &["us-east-1"], "service", settings).unwrap()
}

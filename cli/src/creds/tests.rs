//! The providers against local stand-ins of the container and IMDSv2 endpoints that speak their
//! protocols (status codes, headers and JSON as AWS documents them), and the refresh rule.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::*;

/// A one-thread HTTP/1.1 server answering with `handler(method, path, headers)`.
struct StandIn {
    url: String,
    hits: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<String>>>,
}

type Handler = dyn Fn(&str, &str, &[(String, String)], usize) -> (u16, String) + Send + Sync;

fn stand_in(handler: Arc<Handler>) -> StandIn {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (h2, s2) = (hits.clone(), seen.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (method, path) = (
                parts.next().unwrap_or("").to_owned(),
                parts.next().unwrap_or("").to_owned(),
            );
            let mut headers = Vec::new();
            let mut len = 0usize;
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (n, v) = h.split_once(':').unwrap();
                if n.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap();
                }
                headers.push((n.to_ascii_lowercase(), v.trim().to_owned()));
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            let n = h2.fetch_add(1, Ordering::SeqCst);
            s2.lock().unwrap().push(format!("{method} {path}"));
            let (status, text) = handler(&method, &path, &headers, n);
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    StandIn { url, hits, seen }
}

fn creds_json(akid: &str, expiration: &str) -> String {
    format!(
        r#"{{"Code":"Success","LastUpdated":"2026-01-01T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"{akid}","SecretAccessKey":"secret/{akid}","Token":"token-{akid}","Expiration":"{expiration}"}}"#
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

#[test]
fn imds_v2_token_then_role_then_credentials() {
    // IMDSv2: PUT /latest/api/token with the TTL header gives a token; every GET must carry it.
    let server = stand_in(Arc::new(|method, path, headers, _| {
        let header = |n: &str| {
            headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        match (method, path) {
            ("PUT", "/latest/api/token") => match header("x-aws-ec2-metadata-token-ttl-seconds") {
                Some(_) => (200, "TOKEN-123".to_owned()),
                None => (400, String::new()),
            },
            (_, _) if header("x-aws-ec2-metadata-token") != Some("TOKEN-123") => {
                (401, String::new())
            }
            ("GET", "/latest/meta-data/iam/security-credentials/") => (200, "my-role".to_owned()),
            ("GET", "/latest/meta-data/iam/security-credentials/my-role") => {
                (200, creds_json("ASIAIMDS", "2026-01-01T06:00:00Z"))
            }
            _ => (404, String::new()),
        }
    }));
    let env = Env::from_pairs([
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str()),
        ("HOME", "/nonexistent"),
    ]);
    let provider = Provider::new(env, None).unwrap();
    assert!(matches!(provider.source(), Source::Instance { .. }));
    let creds = runtime().block_on(provider.get(NOW)).unwrap();
    assert_eq!(creds.access_key_id(), "ASIAIMDS");
    assert_eq!(creds.session_token(), Some("token-ASIAIMDS"));
    assert_eq!(creds.expires_at(), Some(NOW + 6 * 3600));
    assert_eq!(server.seen.lock().unwrap().len(), 3);
}

#[test]
fn container_full_uri_sends_the_token_and_refreshes_before_expiry() {
    // The first answer expires in 10 minutes, later ones in an hour: a call 6 minutes on is inside
    // the 5-minute refresh window and fetches again.
    let server = stand_in(Arc::new(|_, path, headers, n| {
        let auth = headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .map(|(_, v)| v.as_str());
        if path != "/creds" || auth != Some("Bearer abc") {
            return (403, String::new());
        }
        if n == 0 {
            (200, creds_json("ASIAONE", "2026-01-01T00:10:00Z"))
        } else {
            (200, creds_json("ASIATWO", "2026-01-01T01:00:00Z"))
        }
    }));
    let full = format!("{}/creds", server.url);
    let env = Env::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.as_str()),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer abc"),
        ("HOME", "/nonexistent"),
    ]);
    let provider = Provider::new(env, None).unwrap();
    let rt = runtime();
    assert_eq!(
        rt.block_on(provider.get(NOW)).unwrap().access_key_id(),
        "ASIAONE"
    );
    assert_eq!(
        rt.block_on(provider.get(NOW + 60)).unwrap().access_key_id(),
        "ASIAONE"
    );
    assert_eq!(
        server.hits.load(Ordering::SeqCst),
        1,
        "kept while far from expiry"
    );
    assert_eq!(
        rt.block_on(provider.get(NOW + 360))
            .unwrap()
            .access_key_id(),
        "ASIATWO"
    );
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
}

#[test]
fn container_without_the_token_is_refused() {
    let server = stand_in(Arc::new(|_, _, headers, _| {
        if headers.iter().any(|(k, _)| k == "authorization") {
            (200, creds_json("ASIAX", "2026-01-01T01:00:00Z"))
        } else {
            (401, String::new())
        }
    }));
    let full = format!("{}/creds", server.url);
    let env = Env::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.as_str()),
        ("HOME", "/nonexistent"),
    ]);
    let provider = Provider::new(env, None).unwrap();
    let err = runtime().block_on(provider.get(NOW)).unwrap_err();
    assert!(err.message.contains("401"), "{}", err.message);
}

#[test]
fn profiles() {
    let creds = profile::parse_for_test("[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = s1 # comment\n[other]\naws_access_key_id=AKIDOTHER\naws_secret_access_key=s2\naws_session_token=t2\n", false).unwrap();
    assert_eq!(creds["default"]["aws_secret_access_key"], "s1");
    let config = profile::parse_for_test("[default]\nregion = eu-west-1\n[profile proc]\ncredential_process = /bin/echo x\ns3 =\n  max_concurrent_requests = 2\n", true).unwrap();
    assert_eq!(config["proc"]["credential_process"], "/bin/echo x");
    assert!(!config["proc"].contains_key("max_concurrent_requests"));
    assert!(profile::parse_for_test("key = value\n", false).is_err());
}

#[test]
fn env_first_then_profile_then_error_without_imds() {
    let dir = std::env::temp_dir().join(format!("sigv4-cli-creds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("credentials");
    std::fs::write(&file, "[default]\naws_access_key_id=AKIDFILE\naws_secret_access_key=s\n[p2]\nrole_arn=arn:aws:iam::1:role/x\n").unwrap();
    let f = file.to_str().unwrap();
    let files_env = |extra: &[(&'static str, &'static str)]| {
        let mut pairs = vec![
            ("AWS_SHARED_CREDENTIALS_FILE", f),
            ("AWS_CONFIG_FILE", "/nonexistent"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ];
        pairs.extend_from_slice(extra);
        Env::from_pairs(pairs)
    };
    let env = files_env(&[
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "x"),
    ]);
    let p = Provider::new(env, None).unwrap();
    assert_eq!(
        runtime().block_on(p.get(NOW)).unwrap().access_key_id(),
        "AKIDENV"
    );
    let p = Provider::new(files_env(&[]), None).unwrap();
    assert_eq!(
        runtime().block_on(p.get(NOW)).unwrap().access_key_id(),
        "AKIDFILE"
    );
    let err = Provider::new(files_env(&[]), Some("p2")).unwrap_err();
    assert!(err.message.contains("role_arn"), "{}", err.message);
    let err = Provider::new(files_env(&[]), Some("nope")).unwrap_err();
    assert!(
        err.message.contains("no profile \"nope\""),
        "{}",
        err.message
    );
    let none = Env::from_pairs([
        ("HOME", "/nonexistent"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]);
    let err = Provider::new(none, None).unwrap_err();
    assert!(err.message.contains("no credentials"), "{}", err.message);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn credential_process_json() {
    let dir = std::env::temp_dir().join(format!("sigv4-cli-proc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("creds.sh");
    std::fs::write(&script, "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROC\", \"SecretAccessKey\": \"s\", \"SessionToken\": \"t\", \"Expiration\": \"2026-01-01T01:00:00Z\"}'\n").unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let config = dir.join("config");
    std::fs::write(
        &config,
        format!(
            "[profile tool]\ncredential_process = \"{}\" --flag\n",
            script.display()
        ),
    )
    .unwrap();
    let c = config.to_str().unwrap();
    let env = Env::from_pairs([
        ("AWS_CONFIG_FILE", c),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
    ]);
    let p = Provider::new(env, Some("tool")).unwrap();
    let creds = runtime().block_on(p.get(NOW)).unwrap();
    assert_eq!(
        (creds.access_key_id(), creds.session_token()),
        ("ASIAPROC", Some("t"))
    );
    assert_eq!(creds.expires_at(), Some(NOW + 3600));
    let _ = std::fs::remove_dir_all(dir);
}

//! The command line (clap derive): one struct per subcommand, shared option groups flattened in.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::error::EXIT_CODES_HELP;

/// Sign, send, presign and verify AWS Signature Version 4 requests; explain a SignatureDoesNotMatch.
#[derive(Parser, Debug)]
#[command(name = "sigv4", version, after_help = EXIT_CODES_HELP, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Sign a request and send it (curl-like), printing the response body.
    #[command(after_help = EXIT_CODES_HELP)]
    Request(RequestArgs),
    /// Sign a request and print the headers to add (or a curl command, or every signing output as JSON).
    #[command(after_help = EXIT_CODES_HELP)]
    Sign(SignArgs),
    /// Print a presigned URL for any method and service.
    #[command(after_help = EXIT_CODES_HELP)]
    Presign(PresignArgs),
    /// Check a captured raw HTTP request's signature against known keys.
    #[command(after_help = EXIT_CODES_HELP)]
    Verify(VerifyArgs),
    /// Read AWS's SignatureDoesNotMatch answer, diff its canonical request against ours, name the cause.
    #[command(after_help = EXIT_CODES_HELP)]
    Explain(ExplainArgs),
    /// Run a signing reverse proxy: requests in, signed requests to the upstream, responses streamed back.
    #[command(after_help = EXIT_CODES_HELP)]
    Proxy(crate::proxy::ProxyArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// How to sign: scope, algorithm, payload, time, credentials.
#[derive(Args, Debug, Clone, Default)]
pub struct SigningArgs {
    /// The signing service name (default: inferred from the host, e.g. `s3`, `execute-api`, `es`).
    #[arg(long)]
    pub service: Option<String>,
    /// The region (default: inferred from the host, else AWS_REGION / AWS_DEFAULT_REGION / the profile's).
    #[arg(long)]
    pub region: Option<String>,
    /// The credentials profile in ~/.aws/credentials and ~/.aws/config (default: AWS_PROFILE, else `default`).
    #[arg(long)]
    pub profile: Option<String>,
    /// Sign with SigV4a (ECDSA P-256) for a region set.
    #[arg(long)]
    pub sigv4a: bool,
    /// The SigV4a region set (comma-separated, `*` for all; default `*`).
    #[arg(long, requires = "sigv4a")]
    pub region_set: Option<String>,
    /// Sign with `UNSIGNED-PAYLOAD` instead of the body's SHA-256.
    #[arg(long)]
    pub unsigned_payload: bool,
    /// Sign at this instant (`YYYYMMDDTHHMMSSZ`) instead of now, for reproducible output.
    #[arg(long, value_name = "YYYYMMDDTHHMMSSZ")]
    pub timestamp: Option<String>,
}

/// The request: URL, method, headers, body (curl's option names).
#[derive(Args, Debug, Clone, Default)]
pub struct HttpArgs {
    /// The URL (`https://host/path?query`).
    pub url: String,
    /// The method (default GET; POST with a body; PUT with --upload-file).
    #[arg(short = 'X', long = "request", value_name = "METHOD")]
    pub method: Option<String>,
    /// A header `Name: value` (repeatable).
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
    /// Body text, `@file` or `@-` for stdin; CR and LF are stripped from files as curl does; repeated
    /// values are joined with `&`. Adds `Content-Type: application/x-www-form-urlencoded` unless given.
    #[arg(short = 'd', long = "data", value_name = "DATA")]
    pub data: Vec<String>,
    /// Body bytes as given, `@file` or `@-` for stdin (no stripping).
    #[arg(long = "data-binary", value_name = "DATA", conflicts_with_all = ["data", "upload_file"])]
    pub data_binary: Option<String>,
    /// Upload a file (`-` for stdin) with PUT; to S3 it streams with aws-chunked in constant memory.
    #[arg(
        short = 'T',
        long = "upload-file",
        value_name = "FILE",
        conflicts_with = "data"
    )]
    pub upload_file: Option<String>,
}

/// `sigv4 request`.
#[derive(Args, Debug)]
pub struct RequestArgs {
    /// The request.
    #[command(flatten)]
    pub http: HttpArgs,
    /// Signing options.
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Write the response body to this file instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print the response status line and headers before the body.
    #[arg(short = 'i', long = "include")]
    pub include: bool,
    /// Print the canonical request, the string to sign and the exchange's headers to stderr (never a
    /// secret or session token), and keep the exchange for `sigv4 explain --last`.
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    /// Give up after this many seconds (connect, send and receive).
    #[arg(long = "max-time", value_name = "SECONDS")]
    pub max_time: Option<f64>,
    /// Exit with code 6 when the server answers 400 or more.
    #[arg(short = 'f', long = "fail")]
    pub fail: bool,
    /// Send the request as a presigned URL (query parameters) instead of an Authorization header.
    #[arg(long)]
    pub presign: bool,
    /// With --presign: the URL's lifetime in seconds.
    #[arg(long, default_value_t = 900, requires = "presign")]
    pub expires: u64,
    /// Trust this PEM file's certificates (in addition to the system and bundled roots).
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,
    /// aws-chunked chunk size in bytes for streamed S3 uploads.
    #[arg(long, default_value_t = 65_536, value_name = "BYTES")]
    pub chunk_size: usize,
}

/// `sigv4 sign`.
#[derive(Args, Debug)]
pub struct SignArgs {
    /// The request.
    #[command(flatten)]
    pub http: HttpArgs,
    /// Signing options.
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Print a ready-to-run curl command instead of the headers.
    #[arg(long, conflicts_with = "json")]
    pub curl: bool,
    /// Print every output of the signing as JSON: headers, canonical request, string to sign, signature.
    #[arg(long)]
    pub json: bool,
}

/// `sigv4 presign`.
#[derive(Args, Debug)]
pub struct PresignArgs {
    /// The method the URL is for (GET, PUT, POST, DELETE, ...).
    pub method: String,
    /// The URL to presign.
    pub url: String,
    /// The URL's lifetime in seconds (1 to 604800).
    #[arg(long, default_value_t = 900, value_name = "SECONDS")]
    pub expires: u64,
    /// A header the URL's user will send, signed into the URL (repeatable).
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
    /// Signing options.
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Print the URL with its canonical request and string to sign as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `sigv4 verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The raw HTTP/1.1 request (request line, headers, blank line, body); `-` or nothing for stdin.
    pub input: Option<PathBuf>,
    /// A JSON keys file: {"identities": [{"access_key_id", "secret_access_key", "session_token"?}],
    /// "region"?, "service"?} (default: the credentials of the environment or profile).
    #[arg(long, value_name = "FILE")]
    pub keys: Option<PathBuf>,
    /// The credentials profile to take the key from when no --keys file is given.
    #[arg(long)]
    pub profile: Option<String>,
    /// A region to accept (repeatable; default: the keys file's, else the request's scope).
    #[arg(long)]
    pub region: Vec<String>,
    /// The service to accept (default: the keys file's, else the request's scope).
    #[arg(long)]
    pub service: Option<String>,
    /// Verify as of this instant (`YYYYMMDDTHHMMSSZ`) instead of now.
    #[arg(long, value_name = "YYYYMMDDTHHMMSSZ")]
    pub now: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `sigv4 explain`.
#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// AWS's error answer (body, or the whole HTTP response); `-` or nothing for stdin.
    pub response: Option<PathBuf>,
    /// Our side: the output of `sigv4 sign --json` for the request that was refused.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["request", "last"])]
    pub signed: Option<PathBuf>,
    /// Our side: the raw HTTP request that was sent (its Authorization header gives the scope).
    #[arg(long, value_name = "FILE", conflicts_with = "last")]
    pub request: Option<PathBuf>,
    /// Both sides from the last `sigv4 request -v` (its request and the answer it got).
    #[arg(long)]
    pub last: bool,
    /// Print the diagnosis as JSON.
    #[arg(long)]
    pub json: bool,
}

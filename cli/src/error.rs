//! The command's errors: a message saying what to fix, and the documented exit code.

use std::fmt;

/// Exit codes (also printed by `sigv4 --help`).
pub mod exit {
    /// Success (for `verify`: the request verified).
    pub const OK: u8 = 0;
    /// `verify`: the request was refused; `explain`: the input holds no canonical request.
    pub const REFUSED: u8 = 1;
    // 2: bad command line (clap exits with it before any of this code runs).
    /// Invalid input: URL, header, timestamp, file contents.
    pub const INPUT: u8 = 3;
    /// No usable credentials.
    pub const CREDENTIALS: u8 = 4;
    /// Network: connect, TLS, timeout, a broken response.
    pub const NETWORK: u8 = 5;
    /// `request --fail`: the server answered 400 or more.
    pub const HTTP_STATUS: u8 = 6;
}

/// The help text listing the exit codes.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success (verify: the request verified)
  1  verify: the request was refused; explain: no canonical request found in the input
  2  bad command line
  3  invalid input (URL, header, timestamp, file contents)
  4  no usable credentials
  5  network error (connect, TLS, timeout, broken response)
  6  request --fail: the server answered with status 400 or more";

/// An error with its exit code.
#[derive(Debug)]
pub struct CliError {
    /// The process exit code.
    pub code: u8,
    /// What went wrong and what to do about it.
    pub message: String,
}

impl CliError {
    /// An invalid-input error.
    pub fn input(message: impl Into<String>) -> Self {
        CliError {
            code: exit::INPUT,
            message: message.into(),
        }
    }

    /// A credentials error.
    pub fn credentials(message: impl Into<String>) -> Self {
        CliError {
            code: exit::CREDENTIALS,
            message: message.into(),
        }
    }

    /// A network error.
    pub fn network(message: impl Into<String>) -> Self {
        CliError {
            code: exit::NETWORK,
            message: message.into(),
        }
    }

    /// An error with an explicit code.
    pub fn with_code(code: u8, message: impl Into<String>) -> Self {
        CliError {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<sigv4::Error> for CliError {
    fn from(error: sigv4::Error) -> Self {
        let code = if error.kind() == sigv4::ErrorKind::InvalidCredentials {
            exit::CREDENTIALS
        } else {
            exit::INPUT
        };
        let message = match error.argument() {
            Some(arg) => format!("{} ({}): {}", error.code(), arg, error.message()),
            None => format!("{}: {}", error.code(), error.message()),
        };
        CliError { code, message }
    }
}

/// The command's result type.
pub type Result<T> = std::result::Result<T, CliError>;

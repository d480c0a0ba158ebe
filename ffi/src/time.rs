//! Timestamps: the C API takes seconds since the Unix epoch (UTC); this parses the text forms.

use sigv4::SigningTime;

use crate::boundary::{guard, out_ptr, text, write};
use crate::result::sigv4_result;

/// Parses a timestamp: `YYYYMMDDTHHMMSSZ` (the `X-Amz-Date` form) or RFC 3339 in UTC
/// (`YYYY-MM-DDTHH:MM:SSZ`, fractional seconds and `+00:00` accepted).
///
/// On success writes the seconds since the Unix epoch to `*unix_seconds_out`. Returns `SIGV4_OK`,
/// `SIGV4_NULL_PARAMETER`, `SIGV4_INVALID_UTF8` or `SIGV4_INVALID_TIMESTAMP`.
/// Thread safety: safe to call from any thread.
#[no_mangle]
pub extern "C" fn sigv4_timestamp_parse(
    timestamp: *const u8,
    timestamp_len: usize,
    unix_seconds_out: *mut i64,
) -> sigv4_result {
    guard(|| {
        out_ptr(unix_seconds_out, "unix_seconds_out")?;
        let parsed = SigningTime::parse(text(timestamp, timestamp_len, "timestamp")?)?;
        write(unix_seconds_out, parsed.unix());
        Ok(())
    })
}

/// The current time, for callers that pass no timestamp (the core itself never reads a clock).
pub(crate) fn now() -> Result<SigningTime, crate::result::Fail> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Ok(SigningTime::from_unix(seconds)?)
}

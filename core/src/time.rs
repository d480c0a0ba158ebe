//! The signing instant and SigV4's date formats. The core never reads a clock: callers pass the time.

use std::fmt;

use crate::error::{Error, ErrorKind, Result};

/// A UTC instant with one-second resolution, as SigV4 uses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SigningTime {
    unix: i64,
}

/// Earliest and latest instants SigV4's four-digit years can express.
const MIN_UNIX: i64 = -62_167_219_200; // 0000-01-01T00:00:00Z
const MAX_UNIX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z

impl SigningTime {
    /// From seconds since the Unix epoch. Errors outside years 0000..=9999.
    pub fn from_unix(seconds: i64) -> Result<Self> {
        if !(MIN_UNIX..=MAX_UNIX).contains(&seconds) {
            return Err(Error::arg(
                ErrorKind::InvalidTimestamp,
                "timestamp",
                "timestamp is outside the years 0000..9999",
            ));
        }
        Ok(SigningTime { unix: seconds })
    }

    /// Seconds since the Unix epoch.
    pub fn unix(self) -> i64 {
        self.unix
    }

    /// Parses `YYYYMMDDTHHMMSSZ` (the `X-Amz-Date` form) or RFC 3339 `YYYY-MM-DDTHH:MM:SSZ`
    /// (fractional seconds and a `+00:00` offset accepted).
    pub fn parse(text: &str) -> Result<Self> {
        if text.len() == 16 {
            return Self::parse_amz_date(text);
        }
        parse_rfc3339(text.as_bytes()).ok_or_else(|| {
            Error::arg(
                ErrorKind::InvalidTimestamp,
                "timestamp",
                "timestamp must be YYYYMMDDTHHMMSSZ or YYYY-MM-DDTHH:MM:SSZ (UTC)",
            )
        })
    }

    /// Parses exactly `YYYYMMDDTHHMMSSZ`, a valid calendar time, nothing else.
    pub fn parse_amz_date(text: &str) -> Result<Self> {
        parse_amz(text.as_bytes()).ok_or_else(|| {
            Error::arg(
                ErrorKind::InvalidTimestamp,
                "timestamp",
                "X-Amz-Date must be exactly YYYYMMDDTHHMMSSZ, a valid UTC time",
            )
        })
    }

    /// `YYYYMMDDTHHMMSSZ`.
    pub fn amz_date(self) -> String {
        let mut buf = [0u8; 16];
        self.write_amz_date(&mut buf);
        // Digits and ASCII letters only.
        String::from_utf8_lossy(&buf).into_owned()
    }

    /// `YYYYMMDD`, the date of the credential scope.
    pub fn date_stamp(self) -> String {
        self.amz_date()[..8].to_owned()
    }

    /// Days since the Unix epoch: the UTC date as a cheap cache key.
    pub(crate) fn day_number(self) -> i64 {
        self.unix.div_euclid(86_400)
    }

    pub(crate) fn write_amz_date(self, out: &mut [u8; 16]) {
        let days = self.unix.div_euclid(86_400);
        let secs = self.unix.rem_euclid(86_400) as u32;
        let (y, m, d) = civil_from_days(days);
        let y = y as u32;
        let digits = [
            y / 1000,
            y / 100 % 10,
            y / 10 % 10,
            y % 10,
            m / 10,
            m % 10,
            d / 10,
            d % 10,
        ];
        for (slot, digit) in out[..8].iter_mut().zip(digits) {
            *slot = b'0' + digit as u8;
        }
        out[8] = b'T';
        let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
        let digits = [h / 10, h % 10, mi / 10, mi % 10, s / 10, s % 10];
        for (slot, digit) in out[9..15].iter_mut().zip(digits) {
            *slot = b'0' + digit as u8;
        }
        out[15] = b'Z';
    }
}

impl fmt::Display for SigningTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.amz_date())
    }
}

fn digits(bytes: &[u8]) -> Option<u32> {
    let mut value = 0u32;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    Some(value)
}

fn to_unix(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<SigningTime> {
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59
    {
        return None;
    }
    let days = days_from_civil(y as i64, mo, d);
    let unix = days * 86_400 + i64::from(h * 3600 + mi * 60 + s);
    SigningTime::from_unix(unix).ok()
}

fn parse_amz(b: &[u8]) -> Option<SigningTime> {
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    to_unix(
        digits(&b[0..4])?,
        digits(&b[4..6])?,
        digits(&b[6..8])?,
        digits(&b[9..11])?,
        digits(&b[11..13])?,
        digits(&b[13..15])?,
    )
}

fn parse_rfc3339(b: &[u8]) -> Option<SigningTime> {
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let mut rest = &b[19..];
    if rest.first() == Some(&b'.') {
        let frac = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac == 0 {
            return None;
        }
        rest = &rest[1 + frac..];
    }
    if !(rest == b"Z" || rest == b"z" || rest == b"+00:00" || rest == b"-00:00") {
        return None;
    }
    to_unix(
        digits(&b[0..4])?,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    )
}

fn is_leap(y: u32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_the_suite_time() {
        // 2015-08-30T12:36:00Z is 1440938160 (the AWS suite's timestamp).
        let t = SigningTime::parse("2015-08-30T12:36:00Z").unwrap();
        assert_eq!(t.unix(), 1_440_938_160);
        assert_eq!(t.amz_date(), "20150830T123600Z");
        assert_eq!(SigningTime::parse("20150830T123600Z").unwrap(), t);
        assert_eq!(t.date_stamp(), "20150830");
    }

    #[test]
    fn rejects_invalid_calendar_times() {
        for bad in [
            "20150230T000000Z",
            "20150830T246000Z",
            "20150830T123600",
            "2015-08-30T12:36:00",
            "20150830t123600Z",
            "2015083OT123600Z",
            "",
            "+0150830T123600Z",
        ] {
            assert!(SigningTime::parse(bad).is_err(), "{bad}");
        }
        assert!(SigningTime::parse("20160229T000000Z").is_ok());
        assert!(SigningTime::from_unix(i64::MAX).is_err());
    }
}

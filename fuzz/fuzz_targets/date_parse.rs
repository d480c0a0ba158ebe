//! SigV4 date and time parsing: `X-Amz-Date` (`YYYYMMDDTHHMMSSZ`) and RFC 3339 text, and the Unix
//! time conversions. Any text gives a clear error or a time that prints back the same way (an
//! accepted `X-Amz-Date` is exactly the text printed for its time); any Unix time the type accepts
//! round-trips through its `X-Amz-Date`; the C ABI's parser agrees with the core's.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigv4::SigningTime;

fuzz_target!(|data: &[u8]| {
    if data.len() >= 8 {
        let seconds = i64::from_le_bytes(data[..8].try_into().unwrap());
        if let Ok(t) = SigningTime::from_unix(seconds) {
            let text = t.amz_date();
            let back = SigningTime::parse_amz_date(&text).expect("our own X-Amz-Date parses");
            assert_eq!(back.unix(), seconds, "{text}");
            assert_eq!(t.date_stamp(), text[..8]);
        }
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(t) = SigningTime::parse_amz_date(text) {
        assert_eq!(
            t.amz_date(),
            text,
            "an accepted X-Amz-Date prints back differently"
        );
        assert_eq!(
            SigningTime::parse(text).map(|p| p.unix()).ok(),
            Some(t.unix())
        );
    }
    let parsed = SigningTime::parse(text);
    if let Ok(t) = parsed {
        let again = SigningTime::parse_amz_date(&t.amz_date()).expect("reparse");
        assert_eq!(again.unix(), t.unix());
        // The RFC 3339 form names the same calendar fields as the X-Amz-Date it prints.
        if text.len() != 16 {
            let digits: String = text.chars().take(19).filter(char::is_ascii_digit).collect();
            assert_eq!(
                &digits[..],
                &t.amz_date().replace('T', "").replace('Z', "")[..],
                "{text}"
            );
        }
    }
    let mut out = 0i64;
    let code = sigv4_ffi::sigv4_timestamp_parse(data.as_ptr(), data.len(), &mut out);
    match parsed {
        Ok(t) => {
            assert_eq!(code as u32, 0);
            assert_eq!(out, t.unix());
        }
        Err(_) => assert_ne!(code as u32, 0),
    }
});

//! A captured raw HTTP/1.x request: request line, headers, blank line, body (CRLF or LF lines;
//! a `Transfer-Encoding: chunked` body is decoded).

use crate::error::{CliError, Result};

/// A parsed raw request.
#[derive(Debug, Clone)]
pub struct RawRequest {
    /// The method.
    pub method: String,
    /// The request target as sent (`/path?query`, or an absolute URL).
    pub target: String,
    /// The headers in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The first value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The headers as borrowed pairs.
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }

    /// The credential scope parts (`AKID/date/region/service/aws4_request`) from the Authorization
    /// header or the X-Amz-Credential query parameter.
    pub fn credential(&self) -> Option<Vec<String>> {
        let text = if let Some(auth) = self.header("authorization") {
            let start = auth.find("Credential=")? + "Credential=".len();
            auth[start..].split([',', ' ']).next()?.to_owned()
        } else {
            let query = self.target.split_once('?')?.1;
            let value = query
                .split('&')
                .find_map(|p| p.strip_prefix("X-Amz-Credential="))?;
            value.replace("%2F", "/").replace("%2f", "/")
        };
        Some(text.split('/').map(str::to_owned).collect())
    }
}

fn split_head(input: &[u8]) -> Option<(&[u8], &[u8])> {
    for (i, w) in input.windows(2).enumerate() {
        if w == b"\n\n" {
            return Some((&input[..i], &input[i + 2..]));
        }
        if i + 4 <= input.len() && &input[i..i + 4] == b"\r\n\r\n" {
            return Some((&input[..i], &input[i + 4..]));
        }
    }
    None
}

fn dechunk(mut body: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body
            .iter()
            .position(|b| *b == b'\n')
            .ok_or_else(|| CliError::input("chunked body: a chunk size line has no end"))?;
        let line = std::str::from_utf8(&body[..line_end]).unwrap_or("").trim();
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| {
            CliError::input(format!(
                "chunked body: {size_text:?} is not a hex chunk size"
            ))
        })?;
        body = &body[line_end + 1..];
        if size == 0 {
            return Ok(out);
        }
        if body.len() < size {
            return Err(CliError::input("chunked body: a chunk is cut short"));
        }
        out.extend_from_slice(&body[..size]);
        body = &body[size..];
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
    }
}

/// Parses a captured request.
pub fn parse(input: &[u8]) -> Result<RawRequest> {
    let (head, body) = split_head(input).unwrap_or((input, b""));
    let head = std::str::from_utf8(head)
        .map_err(|_| CliError::input("the request head is not UTF-8 text"))?;
    let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let request_line = lines
        .by_ref()
        .find(|l| !l.trim().is_empty())
        .ok_or_else(|| CliError::input("the input is empty: expected a raw HTTP request (METHOD /path HTTP/1.1, headers, blank line, body)"))?;
    let mut parts = request_line.split(' ').filter(|p| !p.is_empty());
    let (method, target) = match (parts.next(), parts.next()) {
        (Some(m), Some(t)) => (m.to_owned(), t.to_owned()),
        _ => {
            return Err(CliError::input(format!(
                "{request_line:?} is not a request line: expected METHOD /path HTTP/1.1"
            )))
        }
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            // obs-fold: continues the previous value.
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
                continue;
            }
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| CliError::input(format!("header line {line:?} has no ':'")))?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let mut request = RawRequest {
        method,
        target,
        headers,
        body: body.to_vec(),
    };
    if request
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"))
    {
        request.body = dechunk(&request.body)?;
    } else if let Some(len) = request
        .header("content-length")
        .and_then(|l| l.parse::<usize>().ok())
    {
        if len < request.body.len() {
            request.body.truncate(len);
        }
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses() {
        let r = super::parse(
            b"POST /a?b=1 HTTP/1.1\r\nHost: h\r\nX-A:  v \r\nContent-Length: 3\r\n\r\nabcdef",
        )
        .unwrap();
        assert_eq!((r.method.as_str(), r.target.as_str()), ("POST", "/a?b=1"));
        assert_eq!(r.header("x-a"), Some("v"));
        assert_eq!(r.body, b"abc");
        let r =
            super::parse(b"PUT / HTTP/1.1\nTransfer-Encoding: chunked\n\n3\r\nabc\r\n0\r\n\r\n")
                .unwrap();
        assert_eq!(r.body, b"abc");
        assert!(super::parse(b"").is_err());
        assert!(super::parse(b"GET\r\n\r\n").is_err());
    }

    #[test]
    fn credential() {
        let r = super::parse(b"GET /?X-Amz-Credential=AK%2F20200101%2Fus-east-1%2Fs3%2Faws4_request HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!(
            r.credential().unwrap(),
            ["AK", "20200101", "us-east-1", "s3", "aws4_request"]
        );
    }
}

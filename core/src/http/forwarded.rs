//! Behind a reverse proxy: which host and path prefix the client signed, given the peer that
//! connected, an opt-in list of trusted proxies, and the `X-Forwarded-Host` / `X-Forwarded-Prefix`
//! headers. Decided here once; every middleware applies the answer before verifying.
//!
//! The rule: forwarded headers are honoured only when the peer address is in the trusted list
//! (addresses or CIDR blocks, IPv4 and IPv6; an IPv4-mapped IPv6 peer counts as its IPv4 address).
//! From any other peer they are ignored — the request is verified exactly as received, so a client
//! cannot choose the host or prefix it is checked against. From a trusted peer the last value of each
//! header is used (the one that proxy set; earlier values came from further away, possibly from the
//! client), it must be well formed (else the request is refused as `InvalidHeaderValue`), and:
//! the host replaces `Host` (the proxy rewrote it), the prefix is put in front of the received path
//! (the proxy stripped it).

use std::net::IpAddr;

use crate::error::{Error, ErrorKind, Result};

/// The opt-in list of proxies whose forwarded headers are honoured.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    nets: Vec<(IpAddr, u8)>,
}

/// What the client signed, as far as a trusted proxy changed it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Forwarded<'a> {
    /// The host the client sent (from `X-Forwarded-Host`), to use instead of `Host`; `None`: keep
    /// the received `Host`.
    pub host: Option<&'a str>,
    /// The path prefix the proxy removed (from `X-Forwarded-Prefix`, `/api`; never ending in `/`),
    /// to put in front of the received path; empty when none.
    pub prefix: &'a str,
}

fn option(message: String) -> Error {
    Error::from_binding(ErrorKind::InvalidOption, "trusted_proxies", message)
}

/// An address with an optional `/bits`, or an IPv6 address in brackets.
fn parse_net(entry: &str) -> Result<(IpAddr, u8)> {
    let bad = || {
        option(format!(
            "trusted proxy {:?} is not an IP address or CIDR block (10.0.0.0/8, 127.0.0.1, ::1, fd00::/8)",
            entry.chars().take(64).collect::<String>()
        ))
    };
    let (addr, bits) = match entry.trim().split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (entry.trim(), None),
    };
    let addr = addr.trim_start_matches('[').trim_end_matches(']');
    let ip: IpAddr = addr.parse().map_err(|_| bad())?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let bits = match bits {
        None => max,
        Some(b) if !b.is_empty() && b.len() <= 3 && b.bytes().all(|c| c.is_ascii_digit()) => {
            b.parse::<u8>().map_err(|_| bad())?
        }
        Some(_) => return Err(bad()),
    };
    if bits > max {
        return Err(bad());
    }
    Ok((canonical(ip), bits))
}

/// IPv4-mapped IPv6 (`::ffff:10.0.0.1`, what dual-stack sockets report) as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn in_net(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// The peer as the bindings report it: `10.0.0.1`, `::1`, `[::1]`, `::ffff:127.0.0.1`, with or
/// without a `:port` for IPv4 / bracketed IPv6. `None` when it is not an IP address (a Unix socket).
fn parse_peer(peer: &str) -> Option<IpAddr> {
    let peer = peer.trim();
    if let Ok(ip) = peer.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = peer.strip_prefix('[') {
        let end = rest.find(']')?;
        return rest[..end].parse().ok().map(canonical);
    }
    let (addr, port) = peer.rsplit_once(':')?;
    if port.bytes().all(|b| b.is_ascii_digit()) {
        return addr.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4);
    }
    None
}

/// The last value of every `name` header (repeated headers and comma lists alike).
fn last_value<'a>(headers: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .rev()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.rsplit(',').next().unwrap_or("").trim_matches([' ', '\t']))
}

fn invalid(header: &str, value: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::InvalidHeaderValue,
        format!(
            "{header} from a trusted proxy {why} (got {:?})",
            value.chars().take(64).collect::<String>()
        ),
    )
}

/// `host` or `host:port`: a reg-name, IPv4 or bracketed IPv6, no userinfo, path or spaces.
fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':' | b'[' | b']' | b'~')
        })
}

/// `/seg/seg`: starts with `/`, URL path characters only (no `?`, `#`, spaces or controls), no
/// `..` or `.` segment.
fn valid_prefix(prefix: &str) -> bool {
    prefix.starts_with('/')
        && prefix.len() <= 1024
        && prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@%/".contains(&b))
        && !prefix.split('/').any(|s| s == ".." || s == ".")
}

impl TrustedProxies {
    /// The list from entries such as `127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`. Errors with
    /// `InvalidOption` naming the entry that is not an address or CIDR block. An empty list trusts
    /// nobody (forwarded headers always ignored).
    pub fn parse<'e>(entries: impl IntoIterator<Item = &'e str>) -> Result<Self> {
        let nets = entries
            .into_iter()
            .map(parse_net)
            .collect::<Result<Vec<_>>>()?;
        Ok(TrustedProxies { nets })
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.nets.is_empty()
    }

    /// Whether `peer` (an address as a socket reports it) is a trusted proxy.
    pub fn trusts(&self, peer: &str) -> bool {
        match parse_peer(peer) {
            Some(ip) => self.nets.iter().any(|&(net, bits)| in_net(ip, net, bits)),
            None => false,
        }
    }

    /// The host and prefix the client signed (see the module documentation for the rule).
    /// `peer` is the connected address (`None` when unknown: nothing is honoured); `headers` the
    /// request headers as received.
    pub fn resolve<'a>(
        &self,
        peer: Option<&str>,
        headers: &[(&'a str, &'a str)],
    ) -> Result<Forwarded<'a>> {
        if self.nets.is_empty() || !peer.is_some_and(|p| self.trusts(p)) {
            return Ok(Forwarded::default());
        }
        let host = match last_value(headers, "x-forwarded-host") {
            None => None,
            Some(h) if valid_host(h) => Some(h),
            Some(h) => return Err(invalid("X-Forwarded-Host", h, "is not a host[:port]")),
        };
        let prefix = match last_value(headers, "x-forwarded-prefix") {
            None | Some("") => "",
            Some(p) if valid_prefix(p) => p.trim_end_matches('/'),
            Some(p) => {
                return Err(invalid(
                    "X-Forwarded-Prefix",
                    p,
                    "is not a path prefix such as /api",
                ))
            }
        };
        Ok(Forwarded { host, prefix })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(entries: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(entries.iter().copied()).unwrap()
    }

    #[test]
    fn lists_and_peers() {
        let t = list(&[
            "127.0.0.1",
            "10.0.0.0/8",
            "::1",
            "fd00::/8",
            "[2001:db8::1]",
        ]);
        for trusted in [
            "127.0.0.1",
            "10.1.2.3",
            "10.255.255.255:443",
            "::1",
            "[::1]:8080",
            "::ffff:127.0.0.1",
            "::ffff:10.9.9.9",
            "fd12::5",
            "2001:db8::1",
        ] {
            assert!(t.trusts(trusted), "{trusted}");
        }
        for untrusted in [
            "127.0.0.2",
            "11.0.0.1",
            "192.168.1.1",
            "::2",
            "fe80::1",
            "",
            "unix:/tmp/sock",
            "localhost",
            "2001:db8::2",
        ] {
            assert!(!t.trusts(untrusted), "{untrusted}");
        }
        assert!(list(&["0.0.0.0/0"]).trusts("8.8.8.8"));
        assert!(!list(&["0.0.0.0/0"]).trusts("::1"));
        for bad in [
            "",
            "10.0.0.0/33",
            "::/129",
            "10.0.0.0/",
            "10.0.0/8",
            "host.example",
            "10.0.0.0/8x",
        ] {
            let e = TrustedProxies::parse([bad]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidOption, "{bad}");
        }
    }

    #[test]
    fn the_rule() {
        let t = list(&["10.0.0.0/8"]);
        let h = [
            ("Host", "backend:8080"),
            ("X-Forwarded-Host", "evil.example, api.example.com"),
            ("X-Forwarded-Prefix", "/v1/"),
        ];
        assert_eq!(
            t.resolve(Some("10.0.0.5"), &h).unwrap(),
            Forwarded {
                host: Some("api.example.com"),
                prefix: "/v1"
            }
        );
        // Untrusted or unknown peers, or no list: ignored.
        assert_eq!(
            t.resolve(Some("192.0.2.1"), &h).unwrap(),
            Forwarded::default()
        );
        assert_eq!(t.resolve(None, &h).unwrap(), Forwarded::default());
        assert_eq!(
            list(&[]).resolve(Some("10.0.0.5"), &h).unwrap(),
            Forwarded::default()
        );
        // Repeated headers: the last one.
        let h = [
            ("x-forwarded-host", "a.example"),
            ("x-forwarded-host", "b.example:8443"),
        ];
        assert_eq!(
            t.resolve(Some("10.0.0.5"), &h).unwrap().host,
            Some("b.example:8443")
        );
        assert_eq!(t.resolve(Some("10.0.0.5"), &h).unwrap().prefix, "");
        // Malformed values from a trusted proxy are refused, from others ignored.
        for (name, value) in [
            ("x-forwarded-host", "a b"),
            ("x-forwarded-host", "user@host"),
            ("x-forwarded-host", "host/path"),
            ("x-forwarded-prefix", "api"),
            ("x-forwarded-prefix", "/a?b"),
            ("x-forwarded-prefix", "/a/../b"),
            ("x-forwarded-prefix", "/a b"),
        ] {
            let h = [(name, value)];
            let e = t.resolve(Some("10.0.0.5"), &h).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidHeaderValue, "{name}: {value}");
            assert!(e.kind().is_malformed_request());
            assert_eq!(
                t.resolve(Some("192.0.2.1"), &h).unwrap(),
                Forwarded::default()
            );
        }
        assert_eq!(
            t.resolve(Some("10.0.0.5"), &[("x-forwarded-prefix", "/")])
                .unwrap()
                .prefix,
            ""
        );
    }
}

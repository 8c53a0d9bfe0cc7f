//! Who is really asking: the client address behind a reverse proxy.
//!
//! Behind nginx or Caddy every TCP connection comes from the proxy, so a per-IP limit keyed on the
//! peer address would throttle all clients together. `X-Forwarded-For` names the client, but any
//! client can send that header too; it is believed only when the TCP peer is a configured trusted
//! proxy (`TRUSTED_PROXIES`), and then only up to the first hop that is not trusted: each proxy
//! appends the address it saw, so the right-most untrusted entry is the one no client can forge.

use axum::http::HeaderMap;
use std::net::IpAddr;

/// A set of addresses and networks (`10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Net>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    fn parse(raw: &str) -> Option<Net> {
        let (ip, prefix) = match raw.split_once('/') {
            Some((ip, p)) => (ip, Some(p)),
            None => (raw, None),
        };
        let addr: IpAddr = ip.trim().parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.trim().parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Net { addr: addr.to_canonical(), prefix })
    }

    fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl TrustedProxies {
    /// Parses a comma- (or space-) separated list; `Err` names the entry that is not an address.
    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.split([',', ' ', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Net::parse(s).ok_or_else(|| s.to_string()))
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(ip))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the right-most
    /// `X-Forwarded-For` entry that is not a trusted proxy. An entry that is not an address stops
    /// the walk at the trusted hop that sent it (so garbage cannot pick someone else's address).
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        let mut current = peer;
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .flat_map(|v| v.to_str().unwrap_or("?").split(','))
            .map(str::trim)
            .collect();
        for hop in hops.into_iter().rev() {
            let Some(ip) = parse_hop(hop) else { return current };
            if !self.contains(ip) {
                return ip;
            }
            current = ip;
        }
        current
    }
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:443`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_addresses_and_networks_and_names_bad_entries() {
        let t = TrustedProxies::parse("10.0.0.0/8, 192.168.1.5 ,fd00::/8").unwrap();
        assert!(t.contains(ip("10.200.3.4")) && t.contains(ip("192.168.1.5")) && t.contains(ip("fd12::1")));
        assert!(!t.contains(ip("11.0.0.1")) && !t.contains(ip("192.168.1.6")) && !t.contains(ip("fe80::1")));
        assert!(t.contains(ip("::ffff:10.1.1.1")), "IPv4-mapped peers match IPv4 networks");
        assert!(TrustedProxies::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert_eq!(TrustedProxies::parse("10.0.0.1, nginx").unwrap_err(), "nginx");
        assert_eq!(TrustedProxies::parse("10.0.0.0/33").unwrap_err(), "10.0.0.0/33");
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_peer() {
        let none = TrustedProxies::default();
        assert_eq!(none.client_ip(ip("203.0.113.9"), &headers(&["1.1.1.1"])), ip("203.0.113.9"));
        let t = TrustedProxies::parse("10.0.0.1, 10.0.0.2").unwrap();
        assert_eq!(t.client_ip(ip("203.0.113.9"), &headers(&["1.1.1.1"])), ip("203.0.113.9"));
        // Right-most untrusted: a client-forged left part is ignored; trusted hops are skipped.
        assert_eq!(t.client_ip(ip("10.0.0.1"), &headers(&["6.6.6.6, 198.51.100.7"])), ip("198.51.100.7"));
        assert_eq!(t.client_ip(ip("10.0.0.1"), &headers(&["6.6.6.6", "198.51.100.7, 10.0.0.2"])), ip("198.51.100.7"));
        assert_eq!(t.client_ip(ip("10.0.0.1"), &headers(&["[2001:db8::7]:443"])), ip("2001:db8::7"));
        assert_eq!(t.client_ip(ip("10.0.0.1"), &headers(&["198.51.100.7:5555"])), ip("198.51.100.7"));
        // No header, only trusted hops, or garbage: the last trusted hop answers for it.
        assert_eq!(t.client_ip(ip("10.0.0.1"), &headers(&[])), ip("10.0.0.1"));
        assert_eq!(t.client_ip(ip("10.0.0.1"), &headers(&["10.0.0.2"])), ip("10.0.0.2"));
        assert_eq!(t.client_ip(ip("10.0.0.1"), &headers(&["1.2.3.4, unknown"])), ip("10.0.0.1"));
    }
}

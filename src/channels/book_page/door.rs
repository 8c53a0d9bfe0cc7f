//! Who may post the booking form: a post from another site is refused (its `Origin`, or
//! `Referer` without one, names another host than ours), and the per-address limit counts an
//! IPv4 address or a whole IPv6 /64.

use axum::http::{header, HeaderMap};
use std::net::IpAddr;

/// What the per-address limit counts: an IPv4 address, or an IPv6 /64 (one home connection or
/// one server owns a whole /64, so single IPv6 addresses would never be limited).
pub(super) fn limit_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        },
        v4 => v4,
    }
}

/// The scheme, host and port of an origin or URL (`https://Crm.Example/x` → `https`,
/// `crm.example`, 443); None for `null` or garbage.
fn origin_of(url: &str) -> Option<(String, String, u16)> {
    let url = reqwest::Url::parse(url.trim()).ok()?;
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    Some((url.scheme().to_string(), host, url.port_or_known_default()?))
}

/// Whether a post comes from our own pages: its `Origin` (or, without one, its `Referer`) is
/// `PUBLIC_URL`'s origin (scheme, host and port), or names the host (and the port, when the
/// `Host` header states one) the request was sent to; another port of the same host is another
/// site. With neither header we cannot tell, and old browsers and privacy tools omit them, so it
/// passes.
pub(super) fn same_site(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    let claimed = match headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)) {
        None => return true,
        Some(v) => v.to_str().ok().and_then(origin_of),
    };
    let Some((_, claimed_host, claimed_port)) = claimed.clone() else { return false };
    if public_url.and_then(origin_of) == claimed {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    let Some((_, sent_host, sent_port)) = origin_of(&format!("http://{host}")) else { return false };
    // `Host: example.com` (no port) behind a TLS proxy: the port cannot be compared.
    let explicit_port =
        host.rsplit_once(':').is_some_and(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())) && !host.ends_with(']');
    sent_host == claimed_host && (!explicit_port || sent_port == claimed_port)
}

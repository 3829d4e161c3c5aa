//! The client address that attempt limits count by.
//!
//! The TCP peer is the client, unless it is one of `server.trusted_proxies`: then
//! `X-Forwarded-For` is read from the right, past every trusted proxy, and the first address
//! that is not one is the client. A forwarded address is never believed from anyone else, so
//! a client cannot pick the address it is counted under. IPv6 clients are counted by their
//! /64, the block one subscriber usually holds.

use std::future::{Ready, ready};
use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::Deserialize;

use crate::error::ApiError;
use crate::state::AppState;

/// One trusted proxy: an address, or a block such as `10.0.0.0/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    network: IpAddr,
    prefix: u8,
}

impl Block {
    /// Reads `203.0.113.7`, `10.0.0.0/8` or `2001:db8::/32`.
    pub fn parse(text: &str) -> Result<Block, String> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = address
            .parse()
            .map_err(|_| format!("`{text}` is not an IP address or CIDR block"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{text}` has an invalid prefix length"))?,
        };
        Ok(Block { network, prefix })
    }

    /// Whether `ip` lies in the block (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

fn prefix_eq(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let full = usize::from(prefix / 8);
    let rest = prefix % 8;
    if a[..full] != b[..full] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    (a[full] & mask) == (b[full] & mask)
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// The proxies whose `X-Forwarded-For` is believed (`server.trusted_proxies`); empty by default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Vec<String>")]
pub struct TrustedProxies(Vec<Block>);

impl TryFrom<Vec<String>> for TrustedProxies {
    type Error = String;

    fn try_from(entries: Vec<String>) -> Result<TrustedProxies, String> {
        entries
            .iter()
            .map(|e| Block::parse(e))
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }
}

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|b| b.contains(ip))
    }

    /// The client behind `peer`, given the request's `X-Forwarded-For` values in order.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        if !self.trusts(peer) {
            return canonical(peer);
        }
        let hops: Vec<&str> = forwarded_for
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Ok(ip) = hop.parse::<IpAddr>() else {
                // Garbage from beyond the last trusted proxy: the last good address stands.
                break;
            };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        canonical(client)
    }
}

/// The key limits count a client under: the IPv4 address, or the IPv6 /64.
pub fn limit_key(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// The request's client, as attempt limits count it ([`limit_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

impl FromRequest for ClientAddress {
    type Error = ApiError;
    type Future = Ready<Result<ClientAddress, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
            return ready(Ok(ClientAddress("unknown".into())));
        };
        let forwarded: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .collect();
        let client = match req.app_data::<web::Data<AppState>>() {
            Some(state) => state
                .settings
                .server
                .trusted_proxies
                .client(peer, &forwarded),
            None => peer,
        };
        ready(Ok(ClientAddress(limit_key(client))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::try_from(list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let none = proxies(&[]);
        assert_eq!(none.client(ip("10.0.0.1"), &["1.2.3.4"]), ip("10.0.0.1"));
        let trusted = proxies(&["10.0.0.0/8", "192.0.2.1"]);
        assert_eq!(
            trusted.client(ip("10.0.0.1"), &["1.2.3.4, 192.0.2.1"]),
            ip("1.2.3.4")
        );
        // The client may send any header; only the hop the proxy appended counts.
        assert_eq!(
            trusted.client(ip("10.0.0.1"), &["6.6.6.6", "1.2.3.4"]),
            ip("1.2.3.4")
        );
        assert_eq!(trusted.client(ip("10.0.0.1"), &[]), ip("10.0.0.1"));
        assert_eq!(
            trusted.client(ip("10.0.0.1"), &["not-an-ip"]),
            ip("10.0.0.1")
        );
        assert_eq!(
            trusted.client(ip("203.0.113.9"), &["1.2.3.4"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            trusted.client(ip("::ffff:10.1.2.3"), &["1.2.3.4"]),
            ip("1.2.3.4")
        );
    }

    #[test]
    fn blocks_parse_and_match() {
        assert!(Block::parse("10.0.0.0/33").is_err());
        assert!(Block::parse("nonsense").is_err());
        let block = Block::parse("2001:db8::/32").unwrap();
        assert!(block.contains(ip("2001:db8:1::1")));
        assert!(!block.contains(ip("2001:db9::1")));
        assert!(
            Block::parse("172.16.0.0/12")
                .unwrap()
                .contains(ip("172.31.255.1"))
        );
        assert!(
            !Block::parse("172.16.0.0/12")
                .unwrap()
                .contains(ip("172.32.0.1"))
        );
    }

    #[test]
    fn ipv6_clients_count_by_their_64() {
        assert_eq!(
            limit_key(ip("2001:db8:1:2:3:4:5:6")),
            limit_key(ip("2001:db8:1:2:ffff::1"))
        );
        assert_eq!(limit_key(ip("::ffff:1.2.3.4")), "1.2.3.4");
    }
}

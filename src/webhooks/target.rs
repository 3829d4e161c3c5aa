//! Where a webhook may point. A partner portal names a URL; the service connects to it from
//! inside the network, so an address that is not on the public internet (loopback, private
//! ranges, the cloud metadata service at 169.254.169.254, and the IPv6 forms that reach the
//! same places) is refused unless `webhooks.allow_private_targets` is set.
//!
//! The rule is checked twice: when the URL is registered (422), and at every delivery on the
//! addresses the name resolves to then. The delivery's resolver ([`GuardedResolver`]) hands
//! the HTTP client only permitted addresses, so the address connected to is always one that
//! passed, and a name that re-resolves to a private address later (DNS rebinding) gets nowhere.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use crate::config::{Environment, Settings};

/// Longest URL a webhook may have.
pub const MAX_URL_LEN: usize = 2000;

/// How long resolving a name at registration may take.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a URL is not a target.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("must be an absolute http or https URL")]
    NotHttp,
    #[error("must use https")]
    HttpsRequired,
    #[error("must not carry a user name or password")]
    Credentials,
    #[error("must be at most {MAX_URL_LEN} characters")]
    TooLong,
    #[error("must not carry a fragment")]
    Fragment,
    #[error("points at {ip}, a {range} address; webhooks go to public addresses only")]
    Forbidden { ip: IpAddr, range: &'static str },
    #[error("names a host that does not resolve: {0}")]
    Unresolved(String),
}

impl Refused {
    /// The portal's message for the refusal, by its key.
    pub fn key(&self) -> &'static str {
        match self {
            Refused::Forbidden { .. } => "err-webhook-url-private",
            Refused::HttpsRequired => "err-webhook-url-https",
            Refused::Unresolved(_) => "err-webhook-url-unresolved",
            Refused::NotHttp | Refused::Credentials | Refused::TooLong | Refused::Fragment => {
                "err-webhook-url"
            }
        }
    }
}

/// The rules of these settings.
#[derive(Debug, Clone, Copy)]
pub struct TargetRules {
    pub allow_private: bool,
    pub https_only: bool,
}

impl TargetRules {
    pub fn of(settings: &Settings) -> TargetRules {
        TargetRules {
            allow_private: settings.allow_private_webhook_targets(),
            https_only: settings.environment == Environment::Production,
        }
    }

    /// The URL checked for its form alone (scheme, credentials, length, and an address
    /// literal's range); names are resolved by [`TargetRules::check_resolved`].
    pub fn check_form(&self, raw: &str) -> Result<Url, Refused> {
        if raw.len() > MAX_URL_LEN {
            return Err(Refused::TooLong);
        }
        let url = Url::parse(raw.trim()).map_err(|_| Refused::NotHttp)?;
        match url.scheme() {
            "https" => {}
            "http" if self.https_only => return Err(Refused::HttpsRequired),
            "http" => {}
            _ => return Err(Refused::NotHttp),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Refused::Credentials);
        }
        if url.fragment().is_some() {
            return Err(Refused::Fragment);
        }
        match url.host() {
            None => return Err(Refused::NotHttp),
            Some(Host::Ipv4(ip)) => self.check_ip(IpAddr::V4(ip))?,
            Some(Host::Ipv6(ip)) => self.check_ip(IpAddr::V6(ip))?,
            Some(Host::Domain(_)) => {}
        }
        Ok(url)
    }

    /// The URL checked in form and, for a name, on every address it resolves to now.
    pub async fn check_resolved(&self, raw: &str) -> Result<Url, Refused> {
        let url = self.check_form(raw)?;
        if let Some(Host::Domain(name)) = url.host() {
            let port = url.port_or_known_default().unwrap_or(443);
            let addrs = tokio::time::timeout(
                RESOLVE_TIMEOUT,
                tokio::net::lookup_host((name.to_owned(), port)),
            )
            .await
            .map_err(|_| Refused::Unresolved(name.to_owned()))?
            .map_err(|_| Refused::Unresolved(name.to_owned()))?
            .collect::<Vec<_>>();
            if addrs.is_empty() {
                return Err(Refused::Unresolved(name.to_owned()));
            }
            for addr in addrs {
                self.check_ip(addr.ip())?;
            }
        }
        Ok(url)
    }

    /// Whether the service may connect to `ip`.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Refused> {
        match (self.allow_private, forbidden_range(ip)) {
            (false, Some(range)) => Err(Refused::Forbidden { ip, range }),
            _ => Ok(()),
        }
    }
}

/// The non-public range `ip` lies in, if any.
pub fn forbidden_range(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    (u32::from(ip) & mask) == (u32::from(Ipv4Addr::from(net)) & mask)
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    const RANGES: &[([u8; 4], u32, &str)] = &[
        ([0, 0, 0, 0], 8, "unspecified"),
        ([10, 0, 0, 0], 8, "private"),
        ([100, 64, 0, 0], 10, "carrier-grade NAT"),
        ([127, 0, 0, 0], 8, "loopback"),
        ([169, 254, 0, 0], 16, "link-local"),
        ([172, 16, 0, 0], 12, "private"),
        ([192, 0, 0, 0], 24, "IETF protocol assignment"),
        ([192, 0, 2, 0], 24, "documentation"),
        ([192, 88, 99, 0], 24, "6to4 relay"),
        ([192, 168, 0, 0], 16, "private"),
        ([198, 18, 0, 0], 15, "benchmarking"),
        ([198, 51, 100, 0], 24, "documentation"),
        ([203, 0, 113, 0], 24, "documentation"),
        ([224, 0, 0, 0], 4, "multicast"),
        ([240, 0, 0, 0], 4, "reserved"),
    ];
    RANGES
        .iter()
        .find(|(net, prefix, _)| in_v4(ip, *net, *prefix))
        .map(|(_, _, name)| *name)
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    // ::ffff:a.b.c.d reaches the IPv4 address: refused whatever it maps to, as are the
    // deprecated IPv4-compatible ::a.b.c.d.
    if s[..5] == [0, 0, 0, 0, 0] && (s[5] == 0xffff || s[5] == 0) {
        return Some("IPv4-mapped");
    }
    // 64:ff9b::/96 (well-known NAT64) and 64:ff9b:1::/48 (local-use NAT64).
    if s[0] == 0x64 && s[1] == 0xff9b && (s[2..6] == [0, 0, 0, 0] || s[2] == 1) {
        return Some("NAT64");
    }
    if s[0] == 0x2002 {
        return Some("6to4");
    }
    if s[0] == 0x2001 && s[1] == 0 {
        return Some("Teredo");
    }
    if s[0] == 0x2001 && s[1] == 0xdb8 {
        return Some("documentation");
    }
    match s[0] {
        x if x & 0xfe00 == 0xfc00 => Some("unique local"),
        x if x & 0xffc0 == 0xfe80 => Some("link-local"),
        x if x & 0xffc0 == 0xfec0 => Some("site-local"),
        x if x & 0xff00 == 0xff00 => Some("multicast"),
        _ => None,
    }
}

/// The delivery's DNS resolver: the system's, keeping only the addresses [`TargetRules`]
/// permits, so the HTTP client can connect nowhere else.
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    rules: TargetRules,
}

impl GuardedResolver {
    pub fn new(rules: TargetRules) -> Arc<GuardedResolver> {
        Arc::new(GuardedResolver { rules })
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let rules = self.rules;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.clone(), 0)).await?.collect();
            let mut refused = None;
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|addr| match rules.check_ip(addr.ip()) {
                    Ok(()) => true,
                    Err(e) => {
                        refused = Some(e);
                        false
                    }
                })
                .collect();
            if allowed.is_empty() {
                let why = refused.map_or_else(
                    || Refused::Unresolved(host.clone()).to_string(),
                    |e| format!("{host} {e}"),
                );
                return Err(why.into());
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict() -> TargetRules {
        TargetRules {
            allow_private: false,
            https_only: true,
        }
    }

    #[test]
    fn every_non_public_range_is_refused() {
        let cases = [
            ("127.0.0.1", "loopback"),
            ("127.255.255.254", "loopback"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("100.64.0.1", "carrier-grade NAT"),
            ("100.127.255.255", "carrier-grade NAT"),
            ("0.0.0.0", "unspecified"),
            ("224.0.0.1", "multicast"),
            ("239.255.255.250", "multicast"),
            ("255.255.255.255", "reserved"),
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("fe80::1", "link-local"),
            ("fc00::1", "unique local"),
            ("fd12:3456::1", "unique local"),
            ("ff02::1", "multicast"),
            ("::ffff:127.0.0.1", "IPv4-mapped"),
            ("::ffff:8.8.8.8", "IPv4-mapped"),
            ("64:ff9b::7f00:1", "NAT64"),
            ("64:ff9b:1::a00:1", "NAT64"),
            ("2002:7f00:1::", "6to4"),
        ];
        for (ip, range) in cases {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(forbidden_range(ip), Some(range), "{ip}");
            assert!(strict().check_ip(ip).is_err(), "{ip}");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(forbidden_range(ip), None, "{ip}");
        }
    }

    #[test]
    fn the_form_of_a_url_is_checked_before_any_lookup() {
        let rules = strict();
        assert!(rules.check_form("https://93.184.216.34/hooks").is_ok());
        assert_eq!(
            rules.check_form("http://93.184.216.34/hooks"),
            Err(Refused::HttpsRequired)
        );
        assert_eq!(
            rules.check_form("ftp://example.com/"),
            Err(Refused::NotHttp)
        );
        assert_eq!(rules.check_form("not a url"), Err(Refused::NotHttp));
        assert_eq!(
            rules.check_form("https://user:pw@example.com/"),
            Err(Refused::Credentials)
        );
        assert!(matches!(
            rules.check_form("https://[::1]:8443/"),
            Err(Refused::Forbidden { .. })
        ));
        assert!(matches!(
            rules.check_form("https://169.254.169.254/latest/meta-data"),
            Err(Refused::Forbidden { .. })
        ));
        let relaxed = TargetRules {
            allow_private: true,
            https_only: false,
        };
        assert!(relaxed.check_form("http://127.0.0.1:9000/hook").is_ok());
    }

    #[tokio::test]
    async fn a_name_that_resolves_to_loopback_is_refused() {
        assert!(matches!(
            strict().check_resolved("https://localhost/hook").await,
            Err(Refused::Forbidden { .. })
        ));
    }
}

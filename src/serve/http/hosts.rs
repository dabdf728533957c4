//! Which `Host` a preview on loopback answers (a pure function, table-tested): a page on any
//! web site can make a browser on this machine ask a name that its owner points at 127.0.0.1
//! (DNS rebinding) and read the answer as its own, so the preview answers only the names that
//! cannot be re-pointed — `localhost`, its subdomains and IP addresses — as Vite's and
//! webpack's dev servers do. A preview made reachable with an explicit `--interface` answers
//! any name: it was exposed on purpose (with a warning), and other machines reach it by the
//! host's name.

use std::net::IpAddr;

/// Whether a request with this `Host` header (`None`: it sent none, as HTTP/1.0 clients may;
/// browsers always do) is answered by a preview listening on `listening`.
pub fn allowed(host: Option<&str>, listening: IpAddr) -> bool {
    let Some(host) = host else { return true };
    if !listening.is_loopback() {
        return true;
    }
    let name = without_port(host.trim());
    if name.parse::<IpAddr>().is_ok() {
        return true;
    }
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// `host` without its `:port`; an IPv6 literal without its brackets.
fn without_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split_once(']').map_or(host, |(ip, _)| ip);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_on_loopback_answers_only_names_that_cannot_be_re_pointed() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        let cases = [
            (Some("127.0.0.1:1111"), true),
            (Some("127.0.0.1"), true),
            (Some("localhost:1111"), true),
            (Some("LocalHost"), true),
            (Some("localhost.:1111"), true),
            (Some("docs.localhost:1111"), true),
            (Some("[::1]:1111"), true),
            (Some("[::1]"), true),
            (Some("10.0.0.5:1111"), true),
            (None, true),
            (Some("evil.example.com:1111"), false),
            (Some("evil.example.com"), false),
            (Some("localhost.evil.example.com"), false),
            (Some("evillocalhost"), false),
            (Some("127.0.0.1.nip.io:1111"), false),
            (Some(""), false),
            (Some("[::1"), false),
        ];
        for (host, expected) in cases {
            assert_eq!(allowed(host, loopback), expected, "Host {host:?}");
        }
        assert!(!allowed(Some("evil.example.com"), "::1".parse().unwrap()));
    }

    #[test]
    fn a_preview_exposed_on_purpose_answers_any_name() {
        for interface in ["0.0.0.0", "192.168.1.20", "::"] {
            assert!(allowed(Some("devbox.lan:1111"), interface.parse().unwrap()));
        }
    }
}

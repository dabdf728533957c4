//! Requesting external links: a few worker threads over one queue, at most `per_host` requests
//! in flight per host; HEAD then GET, redirects followed, transient failures retried.
//!
//! The only user of `ureq`.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Condvar, Mutex};

use ureq::ResponseExt;

use super::{Options, Outcome};

/// The host a URL's requests count against for the per-host limit.
fn host_of(url: &str) -> String {
    url.parse::<ureq::http::Uri>()
        .ok()
        .and_then(|uri| uri.host().map(str::to_ascii_lowercase))
        .unwrap_or_default()
}

/// URLs waiting to be requested, by host, and how many requests each host has in flight.
#[derive(Default)]
struct Queue {
    waiting: BTreeMap<String, VecDeque<usize>>,
    in_flight: HashMap<String, usize>,
}

/// Requests every URL on `options.workers` threads, at most `options.per_host` at a time per
/// host. Returns the outcomes in the order of `urls`.
pub(super) fn fetch_all(urls: &[&str], options: &Options) -> Vec<Outcome> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent = agent(options);
    let mut queue = Queue::default();
    for (i, url) in urls.iter().enumerate() {
        queue.waiting.entry(host_of(url)).or_default().push_back(i);
    }
    let queue = Mutex::new(queue);
    let changed = Condvar::new();
    let outcomes: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..options.workers.clamp(1, urls.len()) {
            scope.spawn(|| {
                while let Some((i, host)) = next_url(&queue, &changed, options.per_host.max(1)) {
                    let outcome = check_url(&agent, urls[i], options);
                    outcomes.lock().expect("no worker panics")[i] = Some(outcome);
                    let mut queue = queue.lock().expect("no worker panics");
                    if let Some(n) = queue.in_flight.get_mut(&host) {
                        *n -= 1;
                    }
                    changed.notify_all();
                }
            });
        }
    });
    outcomes
        .into_inner()
        .expect("no worker panics")
        .into_iter()
        .map(|o| o.expect("every URL is requested"))
        .collect()
}

/// The next URL (its index and host) whose host has a free slot, waiting for one when every
/// waiting host is busy; `None` when nothing waits.
fn next_url(queue: &Mutex<Queue>, changed: &Condvar, per_host: usize) -> Option<(usize, String)> {
    let mut queue = queue.lock().expect("no worker panics");
    loop {
        queue.waiting.retain(|_, urls| !urls.is_empty());
        if queue.waiting.is_empty() {
            return None;
        }
        let free = queue
            .waiting
            .keys()
            .find(|host| queue.in_flight.get(*host).copied().unwrap_or(0) < per_host)
            .cloned();
        if let Some(host) = free {
            let i = queue
                .waiting
                .get_mut(&host)
                .and_then(VecDeque::pop_front)
                .expect("hosts in the queue have URLs");
            *queue.in_flight.entry(host.clone()).or_default() += 1;
            return Some((i, host));
        }
        queue = changed.wait(queue).expect("no worker panics");
    }
}

fn agent(options: &Options) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .max_redirects(options.max_redirects)
        .http_status_as_error(false)
        .user_agent(format!("docgen/{} (link check)", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// One try at a URL.
#[derive(Debug, PartialEq, Eq)]
enum Attempt {
    Response { status: u16, final_url: String },
    Timeout,
    Failed(String),
}

impl Attempt {
    /// Whether trying again may help: a timeout, 429 Too Many Requests or a server error.
    fn is_transient(&self) -> bool {
        match self {
            Attempt::Timeout => true,
            Attempt::Response { status, .. } => *status == 429 || *status >= 500,
            Attempt::Failed(_) => false,
        }
    }
}

/// Requests `url`, retrying transient failures.
fn check_url(agent: &ureq::Agent, url: &str, options: &Options) -> Outcome {
    let mut attempts = 1;
    loop {
        let attempt = request(agent, url, options.max_redirects);
        if attempt.is_transient() && attempts <= options.retries {
            std::thread::sleep(options.backoff * 2u32.saturating_pow(attempts - 1));
            attempts += 1;
            continue;
        }
        return outcome(url, attempt, attempts);
    }
}

/// HEAD, then GET when HEAD gets an error status other than 429. The body is never read.
fn request(agent: &ureq::Agent, url: &str, max_redirects: u32) -> Attempt {
    let response = match agent.head(url).call() {
        Ok(head) if head.status().as_u16() >= 400 && head.status().as_u16() != 429 => {
            agent.get(url).call()
        }
        other => other,
    };
    match response {
        Ok(response) => Attempt::Response {
            status: response.status().as_u16(),
            final_url: response.get_uri().to_string(),
        },
        Err(ureq::Error::Timeout(_)) => Attempt::Timeout,
        Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::TimedOut => Attempt::Timeout,
        Err(ureq::Error::TooManyRedirects) => Attempt::Failed(format!(
            "too many redirects (a loop, or more than {max_redirects})"
        )),
        Err(ureq::Error::HostNotFound) => Attempt::Failed("host not found".into()),
        Err(ureq::Error::ConnectionFailed) => Attempt::Failed("connection failed".into()),
        Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Attempt::Failed("connection refused".into())
        }
        Err(ureq::Error::BadUri(_) | ureq::Error::Http(_)) => {
            Attempt::Failed("not a valid URL".into())
        }
        Err(e) => Attempt::Failed(e.to_string()),
    }
}

/// The verdict on a URL from its last attempt.
fn outcome(url: &str, attempt: Attempt, attempts: u32) -> Outcome {
    match attempt {
        Attempt::Response { status, .. } if status < 400 => Outcome::Live { status },
        Attempt::Response { status: 429, .. } => Outcome::RateLimited { attempts },
        Attempt::Response { status, final_url } => Outcome::Dead {
            status: Some(status),
            reason: if attempts > 1 {
                format!("HTTP {status} after {attempts} attempts")
            } else {
                format!("HTTP {status}")
            },
            redirected_to: (final_url != url).then_some(final_url),
        },
        Attempt::Timeout => Outcome::Timeout { attempts },
        Attempt::Failed(reason) => Outcome::Dead {
            status: None,
            reason,
            redirected_to: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_lowercase_without_port() {
        assert_eq!(host_of("https://API.Example.com:8443/a"), "api.example.com");
        assert_eq!(host_of("http://127.0.0.1:9/"), "127.0.0.1");
        assert_eq!(host_of("not a url"), "");
    }

    #[test]
    fn verdicts_from_the_last_attempt() {
        let response = |status: u16, final_url: &str| Attempt::Response {
            status,
            final_url: final_url.into(),
        };
        let url = "https://a.example/x";
        assert_eq!(
            outcome(url, response(200, url), 1),
            Outcome::Live { status: 200 }
        );
        assert_eq!(
            outcome(url, response(404, "https://a.example/y"), 1),
            Outcome::Dead {
                status: Some(404),
                reason: "HTTP 404".into(),
                redirected_to: Some("https://a.example/y".into()),
            }
        );
        assert_eq!(
            outcome(url, response(503, url), 3),
            Outcome::Dead {
                status: Some(503),
                reason: "HTTP 503 after 3 attempts".into(),
                redirected_to: None,
            }
        );
        assert_eq!(
            outcome(url, response(429, url), 3),
            Outcome::RateLimited { attempts: 3 }
        );
        assert_eq!(
            outcome(url, Attempt::Timeout, 3),
            Outcome::Timeout { attempts: 3 }
        );
        assert!(Attempt::Timeout.is_transient());
        assert!(response(502, url).is_transient());
        assert!(response(429, url).is_transient());
        assert!(!response(404, url).is_transient());
        assert!(!Attempt::Failed("connection failed".into()).is_transient());
    }
}

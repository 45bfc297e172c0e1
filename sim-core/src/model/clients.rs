//! Clients: per-client state (DNS cache, keep-alive connection), how a
//! client's resolver treats TTLs, and retry backoff.
//!
//! Clients are never pinned to a region and never change URL: where they go
//! follows only from DNS answers, their caches and their open connections.

use super::dns::ResolverCache;
use crate::scenario::{DnsBehaviour, Jitter, KeepAlive, Lifetime, RetryPolicy};
use crate::time::{SimDuration, SimTime};

/// How one client's resolver and runtime treat DNS TTLs (AZURE_FACTS §7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DnsClass {
    /// Re-resolves when the TTL runs out.
    #[default]
    HonoursTtl,
    /// Holds answers past the TTL by a random extra time.
    Stale,
    /// Never re-resolves (a JVM with a security manager, §7.2).
    Forever,
}

impl DnsClass {
    /// Assigns a class from a uniform number, by the population's shares.
    pub fn sample(b: &DnsBehaviour, u: f64) -> Self {
        if u < b.honour_ttl {
            DnsClass::HonoursTtl
        } else if u < b.honour_ttl + b.forever {
            DnsClass::Forever
        } else {
            DnsClass::Stale
        }
    }
}

/// One client's state.
#[derive(Clone, Copy, Debug, Default)]
pub struct Client {
    /// Cached DNS answer.
    pub cache: ResolverCache,
    /// Where the open connection goes (region or POP index), if open.
    pub conn_target: u16,
    /// A connection is open.
    pub conn_open: bool,
    /// DNS behaviour.
    pub class: DnsClass,
    /// When the connection was opened.
    pub conn_opened: SimTime,
    /// When it was last used.
    pub conn_last_used: SimTime,
}

impl Client {
    /// The open connection's target if it can be reused at `now`.
    #[inline]
    pub fn live_connection(&self, now: SimTime, ka: &KeepAlive) -> Option<usize> {
        if !self.conn_open || !ka.enabled {
            return None;
        }
        if now.since(self.conn_last_used) >= ka.idle_timeout {
            return None;
        }
        if let Lifetime::After(l) = ka.lifetime {
            if now.since(self.conn_opened) >= l {
                return None;
            }
        }
        Some(self.conn_target as usize)
    }

    /// Records a (re)used or new connection to `target` at `now`.
    #[inline]
    pub fn use_connection(&mut self, target: usize, now: SimTime, new: bool) {
        if new || !self.conn_open || self.conn_target as usize != target {
            self.conn_opened = now;
        }
        self.conn_open = true;
        self.conn_target = target as u16;
        self.conn_last_used = now;
    }

    /// The connection broke (timeout, reset, refused).
    #[inline]
    pub fn drop_connection(&mut self) {
        self.conn_open = false;
    }
}

/// The wait before retry number `retry` (1 = the first retry), given a
/// uniform number `u` for the jitter.
pub fn backoff(p: &RetryPolicy, retry: u32, u: f64) -> SimDuration {
    let raw = p.backoff.as_secs_f64() * libm::pow(p.multiplier, retry.saturating_sub(1) as f64);
    let capped = raw.min(p.max_backoff.as_secs_f64());
    let s = match p.jitter {
        Jitter::None => capped,
        Jitter::Full => capped * u,
        Jitter::Equal => capped * (0.5 + 0.5 * u),
    };
    SimDuration::from_secs_f64(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        let p = RetryPolicy {
            jitter: Jitter::None,
            ..RetryPolicy::default()
        };
        assert_eq!(backoff(&p, 1, 0.3), SimDuration::from_millis(200));
        assert_eq!(backoff(&p, 3, 0.3), SimDuration::from_millis(800));
        assert_eq!(backoff(&p, 20, 0.3), SimDuration::from_secs(10));
        let p = RetryPolicy {
            jitter: Jitter::Full,
            ..RetryPolicy::default()
        };
        assert_eq!(backoff(&p, 1, 0.5), SimDuration::from_millis(100));
    }

    #[test]
    fn classes_follow_shares() {
        let b = DnsBehaviour::default();
        assert_eq!(DnsClass::sample(&b, 0.5), DnsClass::HonoursTtl);
        assert_eq!(DnsClass::sample(&b, 0.91), DnsClass::Forever);
        assert_eq!(DnsClass::sample(&b, 0.95), DnsClass::Stale);
    }

    #[test]
    fn connections_expire_by_idle_and_lifetime() {
        let ka = KeepAlive::default();
        let mut c = Client::default();
        c.use_connection(1, SimTime(0), true);
        assert_eq!(c.live_connection(SimTime(1_000_000), &ka), Some(1));
        let later = SimTime(0) + SimDuration::from_mins(2);
        c.use_connection(1, SimTime(later.0 - 1), false);
        assert_eq!(c.live_connection(later, &ka), None, "lifetime 2 min");
    }
}

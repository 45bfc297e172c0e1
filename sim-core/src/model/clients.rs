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

/// What a client learns about its connection when a try's answer (or its
/// own timeout) arrives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ConnNews {
    /// Nothing pending.
    #[default]
    None,
    /// The connection worked: it stays open to `target`.
    Used {
        /// Region or POP index.
        target: u16,
        /// It was opened for that try.
        new: bool,
        /// When it was opened.
        opened: SimTime,
    },
    /// It broke (timeout, reset, refused).
    Broken,
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
    /// News about the connection that reaches the client at `news_at`.
    pub news: ConnNews,
    /// When the pending news arrives.
    pub news_at: SimTime,
}

impl Client {
    /// The open connection's target if it can be reused at `now` (news that
    /// has arrived by then counts; news still on its way does not).
    #[inline]
    pub fn live_connection(&mut self, now: SimTime, ka: &KeepAlive) -> Option<usize> {
        if self.news != ConnNews::None && self.news_at <= now {
            self.settle();
        }
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

    /// News about the connection that reaches the client at `at`. A client
    /// with two tries in flight takes the earlier news as arrived.
    #[inline]
    pub fn hear(&mut self, news: ConnNews, at: SimTime) {
        if self.news != ConnNews::None {
            self.settle();
        }
        self.news = news;
        self.news_at = at;
    }

    /// Applies the pending news.
    fn settle(&mut self) {
        match self.news {
            ConnNews::None => {}
            ConnNews::Used { target, new, opened } => {
                if new || !self.conn_open || self.conn_target != target {
                    self.conn_opened = opened;
                }
                self.conn_open = true;
                self.conn_target = target;
                self.conn_last_used = self.news_at;
            }
            ConnNews::Broken => self.conn_open = false,
        }
        self.news = ConnNews::None;
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

    fn used(target: u16, new: bool, opened: u64) -> ConnNews {
        ConnNews::Used {
            target,
            new,
            opened: SimTime(opened),
        }
    }

    #[test]
    fn connections_expire_by_idle_and_lifetime() {
        let ka = KeepAlive::default();
        let mut c = Client::default();
        c.hear(used(1, true, 0), SimTime(0));
        assert_eq!(c.live_connection(SimTime(1_000_000), &ka), Some(1));
        let later = SimTime(0) + SimDuration::from_mins(2);
        c.hear(used(1, false, later.0 - 1), SimTime(later.0 - 1));
        assert_eq!(c.live_connection(later, &ka), None, "lifetime 2 min");
    }

    #[test]
    fn news_counts_only_once_it_has_arrived() {
        let ka = KeepAlive::default();
        let mut c = Client::default();
        c.hear(used(1, true, 0), SimTime(100));
        assert_eq!(
            c.live_connection(SimTime(99), &ka),
            None,
            "the answer is still on its way"
        );
        assert_eq!(c.live_connection(SimTime(100), &ka), Some(1));
        c.hear(ConnNews::Broken, SimTime(5_000));
        assert_eq!(c.live_connection(SimTime(4_999), &ka), Some(1));
        assert_eq!(c.live_connection(SimTime(5_000), &ka), None);
    }
}

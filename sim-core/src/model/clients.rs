//! Clients: per-client state (DNS cache, keep-alive connection), how a
//! client's resolver treats TTLs, and retry backoff.
//!
//! ## How long a client holds a DNS answer
//!
//! A share of clients honours the TTL; the rest ("stale holders": resolvers
//! and runtimes that extend TTLs, AZURE_FACTS §7.1, §7.2) hold each answer
//! for the TTL plus a heavy-tailed extra time, Lomax (Pareto II) with shape
//! α and scale σ: `P(extra > x) = (1 + x/σ)^-α`. A share that never
//! re-resolves (a JVM with a security manager, §7.2) is optional.
//!
//! Calibration (§7.1, Flavel et al. 2014, TTL 20 s: about 90 % of requests
//! moved within 60 s of a change, about 2 % still on the old target after
//! 15 min). With every client in its steady state when the answer changes,
//! renewal theory gives the share still on the old answer `t` after the
//! change ([`share_on_old_answer`]): for a stale holder the equilibrium
//! residual of its hold `H = TTL + X`, `P(R > t) = E[(H − t)+] / E[H]`, which
//! for `t ≥ TTL` is `m (1 + (t − TTL)/σ)^(1−α) / (TTL + m)` with `m = σ/(α−1)`.
//! The two published points fix two of the three parameters: the ratio
//! 0.02 / 0.10 fixes σ for a given α (α = 2: σ = 170 s), then the 10 % at
//! 60 s fixes the stale share (13.8 %, close to §7.1's 14 % of resolvers
//! seen violating TTLs). α = 2 is the choice (finite mean, infinite variance;
//! shapes from about 1.6 to 3 fit both points equally).
//!
//! Clients are never pinned to a region and never change URL: where they go
//! follows only from DNS answers, their caches and their open connections.

use super::dns::ResolverCache;
use crate::scenario::{DnsBehaviour, Jitter, KeepAlive, Lifetime, RetryPolicy};
use crate::time::{SimDuration, SimTime};

/// How one client's resolver and runtime treat DNS TTLs (AZURE_FACTS §7).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum DnsClass {
    /// Re-resolves when the TTL runs out.
    #[default]
    HonoursTtl,
    /// Holds answers past the TTL by a random, heavy-tailed extra time.
    Stale,
    /// Never re-resolves (a JVM with a security manager, §7.2).
    Forever,
}

/// A stale holder's extra hold past the TTL: Lomax with `shape` α > 1 and
/// `scale` σ seconds (see the module docs for the calibration).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StaleHold {
    /// α: the tail's exponent (P(extra > x) ~ x^-α).
    pub shape: f64,
    /// σ, seconds.
    pub scale_s: f64,
}

impl StaleHold {
    /// The hold of `b`'s stale holders.
    pub fn of(b: &DnsBehaviour) -> Self {
        StaleHold {
            shape: b.stale_shape,
            scale_s: b.stale_scale.as_secs_f64(),
        }
    }

    /// Mean extra hold σ/(α − 1), seconds.
    pub fn mean_s(&self) -> f64 {
        self.scale_s / (self.shape - 1.0)
    }

    /// An extra hold by inversion, from a uniform `u` in [0, 1).
    pub fn extra_s(&self, u: f64) -> f64 {
        let v = (1.0 - u).max(f64::MIN_POSITIVE);
        self.scale_s * (libm::pow(v, -1.0 / self.shape) - 1.0)
    }

    /// P(R > t): the chance that a stale holder in its steady state still
    /// holds, `t` seconds on, the answer it held at time 0.
    pub fn survival(&self, ttl_s: f64, t: f64) -> f64 {
        let m = self.mean_s();
        if t <= 0.0 {
            1.0
        } else if t < ttl_s {
            (ttl_s - t + m) / (ttl_s + m)
        } else {
            m * libm::pow(1.0 + (t - ttl_s) / self.scale_s, 1.0 - self.shape) / (ttl_s + m)
        }
    }

    /// The residual of a stale holder's current answer in its steady state,
    /// seconds, by inverting [`StaleHold::survival`] at a uniform `u`.
    pub fn residual_s(&self, ttl_s: f64, u: f64) -> f64 {
        let m = self.mean_s();
        let p = (1.0 - u).max(f64::MIN_POSITIVE); // P(R > r) = p
        if p >= m / (ttl_s + m) {
            ttl_s + m - p * (ttl_s + m)
        } else {
            ttl_s + self.scale_s * (libm::pow(p * (ttl_s + m) / m, 1.0 / (1.0 - self.shape)) - 1.0)
        }
    }
}

/// The share of a population's clients (so of its tries, clients being
/// alike) still using the answer they held `t` seconds after the router's
/// answer changed, every client being in its steady state then: honouring
/// clients' residuals are uniform over the TTL; stale holders' follow
/// `StaleHold::survival` (a log-normal hold fitted to §7.1); clients that
/// never re-resolve never move.
pub fn share_on_old_answer(b: &DnsBehaviour, ttl_s: f64, t: f64) -> f64 {
    let honour = if ttl_s > 0.0 { (1.0 - t / ttl_s).max(0.0) } else { 0.0 };
    let stale = (1.0 - b.honour_ttl - b.forever).max(0.0);
    b.honour_ttl * honour + stale * StaleHold::of(b).survival(ttl_s, t) + b.forever
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
    /// Connections broken in a row (for re-resolving after failures).
    pub conn_failures: u8,
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
                self.conn_failures = 0;
            }
            ConnNews::Broken => {
                self.conn_open = false;
                self.conn_failures = self.conn_failures.saturating_add(1);
            }
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
        let b = DnsBehaviour {
            forever: 0.02,
            ..DnsBehaviour::default()
        };
        assert_eq!(DnsClass::sample(&b, 0.5), DnsClass::HonoursTtl);
        assert_eq!(DnsClass::sample(&b, 0.87), DnsClass::Forever);
        assert_eq!(DnsClass::sample(&b, 0.95), DnsClass::Stale);
        // By default nobody holds forever.
        let d = DnsBehaviour::default();
        assert_eq!(DnsClass::sample(&d, 0.99), DnsClass::Stale);
    }

    #[test]
    fn the_default_hold_reproduces_the_published_measurement() {
        // §7.1, Flavel 2014, TTL 20 s: ~90 % moved within 60 s, ~2 % still
        // on the old target after 15 min.
        let b = DnsBehaviour::default();
        let at = |t: f64| share_on_old_answer(&b, 20.0, t);
        assert!((at(60.0) - 0.10).abs() < 0.002, "{}", at(60.0));
        assert!((at(900.0) - 0.02).abs() < 0.001, "{}", at(900.0));
        // Finite, falling as 1/t (α − 1 = 1): 0.6 % after an hour, 0.02 %
        // after a day (against 2 % for ever with a "forever" class).
        assert!((at(3_600.0) - 0.0056).abs() < 2e-4, "{}", at(3_600.0));
        assert!(at(86_400.0) < 3e-4, "{}", at(86_400.0));
        // Hand values for TTL 300 s: 0.862 × (1 − 60/300) + 0.138 × (240 +
        // 170) / 470 = 0.8100; at 15 min 0.138 × 170 / (1 + 600/170) / 470.
        let b300 = |t: f64| share_on_old_answer(&b, 300.0, t);
        assert!((b300(60.0) - 0.8100).abs() < 1e-3, "{}", b300(60.0));
        assert!((b300(900.0) - 0.138 * 170.0 / (1.0 + 600.0 / 170.0) / 470.0).abs() < 1e-9);
    }

    #[test]
    fn residuals_and_extras_follow_their_distributions() {
        let h = StaleHold {
            shape: 2.0,
            scale_s: 170.0,
        };
        // Inversion is exact: the residual at u has survival 1 − u.
        for u in [0.0, 0.1, 0.5, 0.8, 0.9, 0.99, 0.9999] {
            let r = h.residual_s(20.0, u);
            assert!((h.survival(20.0, r) - (1.0 - u)).abs() < 1e-9, "u {u}: r {r}");
        }
        // Lomax(2, 170): median extra 170 (√2 − 1) s; P(extra > 15 min).
        assert!((h.extra_s(0.5) - 170.0 * (2f64.sqrt() - 1.0)).abs() < 1e-9);
        let n = 200_000;
        let over = (0..n)
            .filter(|k| h.extra_s((*k as f64 + 0.5) / n as f64) > 900.0)
            .count();
        let want = (1.0f64 + 900.0 / 170.0).powi(-2);
        assert!((over as f64 / n as f64 - want).abs() < 1e-4);
    }

    #[test]
    fn broken_connections_are_counted_until_one_works() {
        let ka = KeepAlive::default();
        let mut c = Client::default();
        c.hear(ConnNews::Broken, SimTime(1));
        c.hear(ConnNews::Broken, SimTime(2));
        assert_eq!(c.live_connection(SimTime(3), &ka), None);
        assert_eq!(c.conn_failures, 2);
        c.hear(used(1, true, 3), SimTime(4));
        assert_eq!(c.live_connection(SimTime(5), &ka), Some(1));
        assert_eq!(c.conn_failures, 0);
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

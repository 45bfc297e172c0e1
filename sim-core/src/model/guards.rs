//! Client-side guards against retry storms: a retry budget (a token bucket,
//! as gRPC's retry throttling defines it, gRFC A6) and a circuit breaker,
//! each kept per client or per population.
//!
//! A guard learns of a try's outcome when the client hears it, never
//! earlier: outcomes wait in a queue ordered by that time and are applied
//! before each decision (`catch_up`), so a run never reads an answer still
//! on its way.

use crate::scenario::{CircuitBreaker, GuardScope, RetryBudget, RetryPolicy};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Where a guard keeps `client`'s state: its own slot, or the population's one.
fn slot(per_client: bool, client: u32) -> usize {
    if per_client {
        client as usize
    } else {
        0
    }
}

/// Slots a guard keeps for `clients` clients under `scope`.
fn slots(scope: GuardScope, clients: usize) -> usize {
    if scope == GuardScope::Client {
        clients.max(1)
    } else {
        1
    }
}

/// gRPC retry throttling: the bucket starts full; a failed try takes a
/// token, a success gives back `ratio`; retries go out only while more than
/// half the tokens are left.
#[derive(Clone, Debug)]
pub struct Budget {
    max: f64,
    ratio: f64,
    per_client: bool,
    tokens: Vec<f64>,
}

impl Budget {
    fn new(b: &RetryBudget, clients: usize) -> Self {
        let n = slots(b.per, clients);
        Budget {
            max: b.max_tokens,
            ratio: b.token_ratio,
            per_client: b.per == GuardScope::Client,
            tokens: vec![b.max_tokens; n],
        }
    }

    fn slot(&self, client: u32) -> usize {
        slot(self.per_client, client)
    }

    fn record(&mut self, client: u32, ok: bool) {
        let i = self.slot(client);
        let t = &mut self.tokens[i];
        *t = if ok {
            (*t + self.ratio).min(self.max)
        } else {
            (*t - 1.0).max(0.0)
        };
    }

    /// A retry may go out now.
    pub fn allows_retry(&self, client: u32) -> bool {
        self.tokens[self.slot(client)] > self.max / 2.0
    }

    /// Tokens left for `client`.
    #[cfg(test)]
    pub fn tokens(&self, client: u32) -> f64 {
        self.tokens[self.slot(client)]
    }
}

/// A circuit breaker: `threshold` failed tries in a row open it for
/// `open_for`; after that one failure opens it again and one success closes
/// it (half-open).
#[derive(Clone, Debug)]
pub struct Breaker {
    threshold: u32,
    open_for_us: u64,
    per_client: bool,
    /// Per slot: failures in a row, and until when it is open (µs).
    state: Vec<(u32, u64)>,
}

impl Breaker {
    fn new(c: &CircuitBreaker, clients: usize) -> Self {
        let n = slots(c.per, clients);
        Breaker {
            threshold: c.failures.max(1),
            open_for_us: c.open_for.as_micros(),
            per_client: c.per == GuardScope::Client,
            state: vec![(0, 0); n],
        }
    }

    fn slot(&self, client: u32) -> usize {
        slot(self.per_client, client)
    }

    fn record(&mut self, client: u32, ok: bool, t: u64) {
        let i = self.slot(client);
        let (threshold, open_for) = (self.threshold, self.open_for_us);
        let s = &mut self.state[i];
        if ok {
            s.0 = 0;
        } else {
            s.0 += 1;
            if s.0 >= threshold {
                s.1 = t + open_for;
                // Half-open once it expires: the next failure reopens it.
                s.0 = threshold - 1;
            }
        }
    }

    /// The breaker of `client` is open at `now`.
    pub fn open(&self, client: u32, now: u64) -> bool {
        now < self.state[self.slot(client)].1
    }
}

/// A population's guards and the outcomes they have not heard yet.
#[derive(Clone, Debug)]
pub struct Guards {
    /// The retry budget, if any.
    pub budget: Option<Budget>,
    /// The circuit breaker, if any.
    pub breaker: Option<Breaker>,
    /// (time heard, client, ok), earliest first.
    pending: BinaryHeap<Reverse<(u64, u32, bool)>>,
}

impl Guards {
    /// The guards `policy` asks for (None: neither).
    pub fn of(policy: &RetryPolicy, clients: usize) -> Option<Self> {
        if policy.budget.is_none() && policy.circuit_breaker.is_none() {
            return None;
        }
        Some(Guards {
            budget: policy.budget.as_ref().map(|b| Budget::new(b, clients)),
            breaker: policy.circuit_breaker.as_ref().map(|c| Breaker::new(c, clients)),
            pending: BinaryHeap::new(),
        })
    }

    /// A try of `client` ends `ok` (or not); its client hears it at `t`.
    pub fn note(&mut self, t: u64, client: u32, ok: bool) {
        self.pending.push(Reverse((t, client, ok)));
    }

    /// Applies, in time order, every outcome heard by `now`.
    pub fn catch_up(&mut self, now: u64) {
        while let Some(&Reverse((t, client, ok))) = self.pending.peek() {
            if t > now {
                break;
            }
            self.pending.pop();
            if let Some(b) = &mut self.budget {
                b.record(client, ok);
            }
            if let Some(c) = &mut self.breaker {
                c.record(client, ok, t);
            }
        }
    }

    /// `client`'s breaker is open at `now` (after [`Guards::catch_up`]).
    pub fn open(&self, client: u32, now: u64) -> bool {
        self.breaker.as_ref().is_some_and(|c| c.open(client, now))
    }

    /// A retry of `client` may go out (after [`Guards::catch_up`]).
    pub fn retry_allowed(&self, client: u32) -> bool {
        self.budget.as_ref().is_none_or(|b| b.allows_retry(client))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimDuration;

    fn policy(budget: bool, breaker: bool, per: GuardScope) -> RetryPolicy {
        RetryPolicy {
            budget: budget.then_some(RetryBudget {
                max_tokens: 10.0,
                token_ratio: 0.1,
                per,
            }),
            circuit_breaker: breaker.then_some(CircuitBreaker {
                failures: 3,
                open_for: SimDuration::from_secs(30),
                per,
            }),
            ..RetryPolicy::default()
        }
    }

    #[test]
    fn grpc_throttling_by_hand() {
        // gRFC A6: 10 tokens, retries while > 5. Five failures leave 5: no
        // retry; one success (+0.1) lets them out again.
        let mut g = Guards::of(&policy(true, false, GuardScope::Population), 4).expect("guards");
        for k in 0..5 {
            assert!(g.retry_allowed(0));
            g.note(k, k as u32 % 4, false);
            g.catch_up(k);
        }
        assert!(!g.retry_allowed(2), "shared by the population");
        g.note(10, 1, true);
        g.catch_up(9);
        assert!(!g.retry_allowed(0), "the success is not heard yet");
        g.catch_up(10);
        assert!(g.retry_allowed(0));
        let b = g.budget.as_ref().expect("budget");
        assert!((b.tokens(0) - 5.1).abs() < 1e-9);
    }

    #[test]
    fn breaker_opens_half_opens_and_closes_per_client() {
        let mut g = Guards::of(&policy(false, true, GuardScope::Client), 2).expect("guards");
        let s = 1_000_000;
        // Outcomes heard out of order are applied in time order.
        g.note(3 * s, 0, false);
        g.note(s, 0, false);
        g.note(2 * s, 0, false);
        g.catch_up(2 * s);
        assert!(!g.open(0, 2 * s));
        g.catch_up(3 * s);
        assert!(g.open(0, 3 * s) && g.open(0, 33 * s - 1));
        assert!(!g.open(1, 3 * s), "client 1 has its own");
        assert!(!g.open(0, 33 * s), "half-open after 30 s");
        // One failure in half-open reopens it; one success closes it.
        g.note(34 * s, 0, false);
        g.catch_up(34 * s);
        assert!(g.open(0, 34 * s));
        g.note(70 * s, 0, true);
        g.note(71 * s, 0, false);
        g.catch_up(71 * s);
        assert!(!g.open(0, 71 * s), "closed: one failure is not three");
    }
}

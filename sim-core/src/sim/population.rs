//! A client population at run time: its clients' state, its arrival
//! process, the network distances it sees, and the random streams it draws
//! from (one per purpose, so a change in routing leaves its arrivals alone).

use super::Sim;
use crate::engine::{derived_unit, SimRng};
use crate::metrics::report::FailCause;
use crate::model::arrivals::Arrivals;
use crate::model::clients::Client;
use crate::model::guards::Guards;
use crate::scenario::{DnsBehaviour, KeepAlive, RateProfile, RetryPolicy};
use crate::time::SimTime;

/// A client's request between tries: who sent it, which try is next, when
/// it started, and what it does in the database (see `Sim::data_call`).
#[derive(Clone, Copy, Debug)]
pub(super) struct Request {
    pub population: u16,
    pub client: u32,
    pub attempt: u32,
    pub first: SimTime,
    pub op_seed: u64,
    /// Why its last try failed (for a retry the budget refuses).
    pub cause: FailCause,
}
#[derive(Clone)]
pub(super) struct PopulationRt {
    pub timeout_us: u64,
    pub connect_timeout_us: u64,
    pub handshake: u32,
    pub attempts: u32,
    pub retry: RetryPolicy,
    /// Its retry budget and circuit breaker, if it has either.
    pub guards: Option<Guards>,
    pub keepalive: KeepAlive,
    pub dns: DnsBehaviour,
    pub rate: RateProfile,
    pub arrivals: Arrivals,
    pub rng_arrival: SimRng,
    pub rng_route: SimRng,
    pub rng_retry: SimRng,
    pub rng_dns: SimRng,
    pub clients: Vec<Client>,
    /// RTT from the clients to each region over the internet, ms (access included).
    pub rtt_region_ms: Vec<f64>,
    /// The same as (round trip, one way), µs.
    pub leg_region_us: Vec<(u64, u64)>,
    /// POPs by distance, nearest first (anycast_l7).
    pub pop_order: Vec<u16>,
    /// RTT to each POP as (round trip, one way), µs (access included).
    pub leg_pop_us: Vec<(u64, u64)>,
    /// Per DNS endpoint: mapped to this population (geographic).
    pub geo_match: Vec<bool>,
    /// Per DNS endpoint: RTT from here, ms.
    pub dns_rtt_ms: Vec<f64>,
    /// Share of requests that write (data tier).
    pub write_share: f64,
    /// Draws each request's database operation (see `Sim::data_call`).
    pub rng_data: SimRng,
    /// Drawn one arrival ahead (see [`Sim::draw_ahead`]): the time of the
    /// arrival after the one waiting in the streams (None: there is none)…
    pub ahead: Option<SimTime>,
    /// …the client of the one waiting in the streams…
    pub next_client: u32,
    /// …and the `op_seed` of the next request that reaches the data tier.
    pub next_op_seed: u64,
    /// Global id of this population's first client.
    pub client_base: u32,
    /// Share of requests that call the first region's hostname directly.
    pub bypass_share: f64,
    /// Draws which requests bypass the router (drawn only when the share > 0,
    /// so other streams and scenarios without bypass traffic are unchanged).
    pub rng_bypass: SimRng,
    /// Share of requests carrying an attack payload.
    pub attack_share: f64,
    /// Draws which requests attack, and where they go (only when the share > 0).
    pub rng_attack: SimRng,
}

impl PopulationRt {
    /// The time of the next arrival of its arrival process (None: after the
    /// end, `end_s`).
    #[inline(always)]
    fn draw_arrival(&mut self, end_s: f64) -> Option<SimTime> {
        self.arrivals
            .next(&self.rate, &mut self.rng_arrival, end_s)
            .map(|t| SimTime((t * 1e6) as u64))
    }

    /// Draws the first arrival's time and, if there is one, primes the draws
    /// one ahead (the first `op_seed` too, with a data tier).
    fn prime(&mut self, end_s: f64, data: bool) -> Option<SimTime> {
        let first = self.draw_arrival(end_s)?;
        if data {
            self.next_op_seed = self.rng_data.next_u64();
        }
        self.draw_ahead(end_s);
        Some(first)
    }

    /// The arrival waiting in the streams is being handled: returns its
    /// client and the next arrival's time, and moves the draws one on.
    #[inline(always)]
    fn advance(&mut self, end_s: f64) -> (u32, Option<SimTime>) {
        let out = (self.next_client, self.ahead);
        if self.ahead.is_some() {
            self.draw_ahead(end_s);
        }
        out
    }

    /// Draws, for the arrival now waiting in the streams, the time of the one
    /// after it and its own client. The arrival stream has always drawn a
    /// time, then the client of the arrival before it, so drawing one ahead
    /// keeps the stream's order exactly: the same run, draw for draw (tested
    /// below). Knowing the next client an arrival early lets its record be
    /// fetched into the cache while this arrival is handled ([`Sim::warm`]):
    /// a large scenario's clients take megabytes, read at random, and those
    /// cache misses used to cost a third of the headline's time.
    #[inline(always)]
    fn draw_ahead(&mut self, end_s: f64) {
        self.ahead = self.draw_arrival(end_s);
        self.next_client = self.rng_arrival.below(self.clients.len() as u32);
    }
}

impl Sim {
    /// Draws population `p`'s first arrival, and primes its draws one
    /// arrival ahead.
    pub(super) fn schedule_first_arrival(&mut self, p: usize) {
        let data = self.data.is_some();
        if let Some(at) = self.populations[p].prime(self.end_s, data) {
            self.arrivals.push(&mut self.q, at, p as u32);
            self.warm(p);
        }
    }

    /// Population `p`'s arrival, the earliest of the streams, is being
    /// handled: the next one takes its place, and the draws move one on.
    /// Returns the arriving request's client. (On every arrival: inlined.)
    #[inline(always)]
    pub(super) fn next_arrival(&mut self, p: usize) -> u32 {
        let (client, next) = self.populations[p].advance(self.end_s);
        self.arrivals.replace_top(&mut self.q, next);
        self.warm(p);
        client
    }

    /// Starts fetching the next arrival's client record into the cache (a
    /// hint only: nothing changes).
    #[inline(always)]
    fn warm(&self, p: usize) {
        let pop = &self.populations[p];
        if let Some(c) = pop.clients.get(pop.next_client as usize) {
            crate::engine::prefetch(c);
        }
    }

    /// The `op_seed` of a request of population `p` reaching the data tier
    /// now (drawn one ahead, in the stream's order). The next one's
    /// popularity-table column starts on its way into the cache.
    #[inline(always)]
    pub(super) fn take_op_seed(&mut self, p: usize) -> u64 {
        let pop = &mut self.populations[p];
        let seed = pop.next_op_seed;
        pop.next_op_seed = pop.rng_data.next_u64();
        if let Some(d) = &self.data {
            d.prefetch_key_at(derived_unit(pop.next_op_seed, 1));
        }
        seed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{bundled_by_name, Scenario, HEADLINE};

    /// Drawing one arrival ahead keeps every population's arrival stream in
    /// the order it had when each arrival drew the next one's time and then
    /// its own client: each arrival's (client, next time) equal a replay of
    /// the stream in that order, and so does each request's `op_seed`.
    #[test]
    fn drawing_one_ahead_keeps_each_streams_order() {
        let text = bundled_by_name(HEADLINE).map(|b| b.text).unwrap_or_default();
        let sc = Scenario::parse(text).expect("the headline parses");
        let sim = Sim::new(sc.clone()).expect("the headline builds");
        assert!(sim.data.is_some(), "the headline has a data tier");
        let end_s = sc.duration.as_secs_f64();
        for (p, spec) in sc.populations.iter().enumerate() {
            let mut pop = sim.populations[p].clone();
            let n = pop.clients.len() as u32;
            let mut rng = SimRng::stream(sc.seed, &format!("arrivals/{}", spec.name));
            let mut data = SimRng::stream(sc.seed, &format!("data/{}", spec.name));
            let mut arrivals = Arrivals::new(&spec.rate, sc.duration);
            let mut at = arrivals.next(&spec.rate, &mut rng, end_s);
            assert!(at.is_some(), "population {p} has arrivals");
            for i in 0..20_000 {
                if at.is_none() {
                    break;
                }
                // The order before: the next arrival's time, then this one's client.
                at = arrivals.next(&spec.rate, &mut rng, end_s);
                let client = rng.below(n);
                let next = at.map(|t| SimTime((t * 1e6) as u64));
                assert_eq!(pop.advance(end_s), (client, next), "population {p}, arrival {i}");
                let seed = pop.next_op_seed;
                pop.next_op_seed = pop.rng_data.next_u64();
                assert_eq!(seed, data.next_u64(), "population {p}, request {i}: op_seed");
            }
        }
    }
}

//! A client population at run time: its clients' state, its arrival
//! process, the network distances it sees, and the random streams it draws
//! from (one per purpose, so a change in routing leaves its arrivals alone).

use super::Sim;
use crate::engine::SimRng;
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

impl Sim {
    /// Draws population `p`'s first arrival.
    pub(super) fn schedule_first_arrival(&mut self, p: usize) {
        if let Some(at) = self.draw_arrival(p) {
            self.arrivals.push(&mut self.q, at, p as u32);
        }
    }

    /// Population `p`'s arrival, the earliest of the streams, is being
    /// handled: draws its next (on every arrival: inlined).
    #[inline(always)]
    pub(super) fn schedule_next_arrival(&mut self, p: usize) {
        let at = self.draw_arrival(p);
        self.arrivals.replace_top(&mut self.q, at);
    }

    #[inline(always)]
    fn draw_arrival(&mut self, p: usize) -> Option<SimTime> {
        let end_s = self.end_s;
        let pop = &mut self.populations[p];
        pop.arrivals
            .next(&pop.rate, &mut pop.rng_arrival, end_s)
            .map(|t| SimTime((t * 1e6) as u64))
    }
}

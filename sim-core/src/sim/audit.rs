//! The audit: every service interval, try and data operation of a run, kept
//! only when asked for ([`crate::Sim::enable_audit`]). It grows with the run,
//! so it is for tests that check invariants against an independent
//! computation.

use crate::model::clients::DnsClass;

/// A record of every service interval and every try (see the module doc).
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Audit {
    /// Per region: every job a worker served, in the order they started.
    pub service: Vec<Vec<ServiceRecord>>,
    /// Every try: (time µs, population, client's DNS class, region).
    pub tries: Vec<(u64, usize, DnsClass, usize)>,
    /// Every data operation, in the order the workers made them.
    pub data: Vec<DataRecord>,
}

/// One job a worker served (µs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceRecord {
    /// The client population of a user request (None: a probe, a call
    /// around the router, an attack).
    pub population: Option<usize>,
    /// When it reached the stamp.
    pub arrived: u64,
    /// When a worker started it.
    pub start: u64,
    /// When the worker was done (cut short if the region died then).
    pub end: u64,
}

/// One data operation, as the audit saw it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct DataRecord {
    /// When (µs).
    pub t: u64,
    /// Region of the stamp that made it.
    pub region: usize,
    /// Global client id.
    pub client: u32,
    /// What it was and what the store said.
    pub op: DataRecordOp,
}

/// A data operation's kind and the store's verdicts.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum DataRecordOp {
    /// A read of `key` served by replica `replica` (None: it failed).
    Read {
        /// Key.
        key: u32,
        /// Serving replica.
        replica: Option<usize>,
        /// The store's verdict.
        stale: bool,
        /// The store's verdict.
        ryw_violation: bool,
        /// The store's verdict: the SDK waited for its session token.
        session_wait: bool,
    },
    /// A write of `key` accepted by replica `origin`.
    Write {
        /// Key.
        key: u32,
        /// Accepting replica.
        origin: usize,
        /// When each replica has it (µs; `u64::MAX`: never, or held back by a
        /// cut link). Kept up to date as faults change it.
        visible: Vec<u64>,
        /// The store's verdict.
        conflict: bool,
        /// When it was lost with its region (no other replica had it), if it was.
        lost_at: Option<u64>,
    },
    /// A refused write.
    Refused,
}

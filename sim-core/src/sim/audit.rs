//! The audit: every service interval, try and data operation of a run, kept
//! only when asked for ([`crate::Sim::enable_audit`]). It grows with the run,
//! so it is for tests that check invariants against an independent
//! computation.

use crate::model::clients::DnsClass;

/// A record of every service interval and every try (see the module doc).
#[derive(Clone, Debug, Default)]
pub struct Audit {
    /// Per region: every (start, end) µs a worker spent on a request or probe
    /// (a request cut short by the region's death ends then).
    pub service: Vec<Vec<(u64, u64)>>,
    /// Every try: (time µs, population, client's DNS class, region).
    pub tries: Vec<(u64, usize, DnsClass, usize)>,
    /// Every data operation, in the order the workers made them.
    pub data: Vec<DataRecord>,
}

/// One data operation, as the audit saw it.
#[derive(Clone, Debug, PartialEq)]
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
    },
    /// A write of `key` accepted by replica `origin`.
    Write {
        /// Key.
        key: u32,
        /// Accepting replica.
        origin: usize,
        /// When each replica has it (µs).
        visible: Vec<u64>,
        /// The store's verdict.
        conflict: bool,
        /// The store's verdict.
        lost: bool,
    },
    /// A refused write.
    Refused,
}

//! Metrics: the mergeable latency histogram, the per-bucket recorder that
//! turns simulation events into time series, the report types (serde) and the
//! summary computed from the series.

pub(crate) mod csvout;
mod export;
pub mod histogram;
pub(crate) mod recorder;
pub mod report;
pub(crate) mod summary;

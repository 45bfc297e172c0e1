//! What a run produces: the [`Report`] (its summary, time series and the
//! scenario's facts, serialised as JSON by the CLI and the web app) and the
//! types it is made of.

pub use crate::metrics::report::*;

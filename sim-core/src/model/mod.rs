//! The domain models, each a small module of plain data and pure functions
//! of state and time. None owns a clock or the event queue: the simulation
//! loop in `sim` calls them with `now`, in time order.

pub mod anycast;
pub mod arrivals;
pub mod autoscale;
pub mod clients;
pub mod data;
pub mod dns;
pub mod faults;
pub mod geo;
pub mod guards;
pub mod probes;
pub mod stamp;

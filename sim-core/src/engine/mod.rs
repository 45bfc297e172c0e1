//! The engine: the event queue ([`EventQueue`]), event streams kept beside it
//! ([`Streams`]), and named random-number streams ([`SimRng`]). It owns the
//! clock; the models are plain functions of state and time and never read a
//! clock of their own.

mod queue;
mod rng;
mod streams;

pub use queue::EventQueue;
pub use rng::{derived_unit, stream_seed, SimRng};
pub use streams::Streams;

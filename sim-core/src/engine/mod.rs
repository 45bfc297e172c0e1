//! The engine: the event queue ([`EventQueue`]) and named random-number
//! streams ([`RngStreams`]). It owns the clock; the models are plain functions
//! of state and time and never read a clock of their own.

mod queue;
mod rng;

pub use queue::EventQueue;
pub use rng::{stream_seed, SimRng};

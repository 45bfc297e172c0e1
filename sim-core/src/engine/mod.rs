//! The engine: the event queue ([`EventQueue`]), event streams and delay
//! lines kept beside it under the same ordering key ([`Streams`],
//! [`DelayLines`]), and named random-number streams ([`SimRng`]). It owns the
//! clock; the models are plain functions of state and time and never read a
//! clock of their own.

mod keyheap;
mod lines;
mod queue;
mod rng;
mod streams;

pub use lines::DelayLines;
pub use queue::EventQueue;
pub use rng::{derived_unit, stream_seed, SimRng};
pub use streams::Streams;

//! The engine: the event queue ([`EventQueue`]), event streams and delay
//! lines kept beside it under the same ordering key ([`Streams`],
//! [`DelayLines`]), named random-number streams ([`SimRng`]), an `exp`
//! that gives the same bits on every platform ([`FastExp`]) and a cache hint
//! ([`prefetch`]). It owns the clock; the models are plain functions of state
//! and time and never read a clock of their own.

mod exp;
mod keyheap;
mod lines;
mod prefetch;
mod queue;
mod rng;
mod streams;

pub use exp::FastExp;
pub use lines::DelayLines;
pub use prefetch::prefetch;
pub use queue::EventQueue;
pub use rng::{derived_unit, SimRng};
pub use streams::Streams;

//! One module per command: its arguments (`Args`, parsed by clap) and
//! `run`, which checks every argument and output path before simulating.

pub mod bench;
pub mod compare;
pub mod list;
pub mod merge;
pub mod review;
pub mod run;
pub mod sweep;
pub mod validate;

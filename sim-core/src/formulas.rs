//! The model's closed forms, for checking a run against them (the project's
//! own tests do) or for a quick estimate without one: how long a router
//! takes to mark a dead region down, and what share of a population still
//! uses an old DNS answer some time after the answer changed.

pub use crate::model::clients::share_on_old_answer;
pub use crate::model::probes::{front_door_detection, traffic_manager_detection, DetectionBounds};

//! A regional stamp as a c-server FCFS station, in closed form: a request
//! that arrives at `t` starts at `max(t, earliest free worker)` — no events
//! per queue move. Overload shows as queueing delay, then requests dropped
//! after the stamp's request timeout, then 503s when the queue is full.
//!
//! `c` (worker slots) changes with autoscale and faults; removing slots takes
//! idle ones first, and work already committed to a removed slot still
//! finishes (a draining instance).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// What happened to a request offered to the stamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Served from `start` to `end` (µs).
    Served {
        /// When a worker picked it up.
        start: u64,
        /// When it finished.
        end: u64,
    },
    /// Queue full (or no worker at all): 503 at once.
    Shed,
    /// Would wait longer than the stamp's request timeout: dropped then.
    QueueTimeout,
}

/// The station.
#[derive(Clone, Debug, Default)]
pub struct Station {
    /// Free-at times of the worker slots.
    free: BinaryHeap<Reverse<u64>>,
    /// Start times of admitted requests not yet started (non-decreasing).
    waiting: VecDeque<u64>,
}

impl Station {
    /// A station with `slots` idle workers.
    pub fn new(slots: usize) -> Self {
        let mut s = Station::default();
        s.resize(0, slots);
        s
    }

    /// Worker slots now.
    pub fn slots(&self) -> usize {
        self.free.len()
    }

    /// Requests waiting for a worker at `now`.
    pub fn queue_len(&mut self, now: u64) -> usize {
        while self.waiting.front().is_some_and(|&s| s <= now) {
            self.waiting.pop_front();
        }
        self.waiting.len()
    }

    /// Workers busy at `now`.
    pub fn busy(&self, now: u64) -> usize {
        self.free.iter().filter(|Reverse(f)| *f > now).count()
    }

    /// Offers a request arriving at `t` needing `service` µs.
    #[inline]
    pub fn admit(&mut self, t: u64, service: u64, queue_limit: usize, request_timeout: u64) -> Admission {
        let Some(&Reverse(earliest)) = self.free.peek() else {
            return Admission::Shed;
        };
        let start = earliest.max(t);
        if start > t {
            if self.queue_len(t) >= queue_limit {
                return Admission::Shed;
            }
            if start - t > request_timeout {
                return Admission::QueueTimeout;
            }
            self.waiting.push_back(start);
        }
        let end = start + service;
        if let Some(mut top) = self.free.peek_mut() {
            top.0 = end;
        }
        Admission::Served { start, end }
    }

    /// Sets the number of worker slots to `target` at `now`: new slots are
    /// free at once; removed ones are the idle (earliest-free) ones first.
    pub fn resize(&mut self, now: u64, target: usize) {
        let cur = self.free.len();
        if target > cur {
            for _ in cur..target {
                self.free.push(Reverse(now));
            }
        } else if target < cur {
            for _ in target..cur {
                self.free.pop();
            }
            // Slots that remain may hold work that would have moved to the
            // removed idle ones; waiting starts stay as committed.
        }
    }

    /// Drops everything (the region died): no slots, no queue.
    pub fn clear(&mut self) {
        self.free.clear();
        self.waiting.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_servers_queue_the_third_request() {
        let mut s = Station::new(2);
        assert_eq!(s.admit(0, 10, 10, 1_000), Admission::Served { start: 0, end: 10 });
        assert_eq!(s.admit(1, 10, 10, 1_000), Admission::Served { start: 1, end: 11 });
        assert_eq!(s.admit(2, 10, 10, 1_000), Admission::Served { start: 10, end: 20 });
        assert_eq!(s.queue_len(5), 1);
        assert_eq!(s.queue_len(10), 0);
    }

    #[test]
    fn full_queue_sheds_and_long_wait_times_out() {
        let mut s = Station::new(1);
        s.admit(0, 100, 1, 1_000);
        assert!(matches!(
            s.admit(1, 100, 1, 1_000),
            Admission::Served { start: 100, .. }
        ));
        assert_eq!(s.admit(2, 100, 1, 1_000), Admission::Shed);
        let mut s = Station::new(1);
        s.admit(0, 5_000, 10, 1_000);
        assert_eq!(s.admit(1, 1, 10, 1_000), Admission::QueueTimeout);
    }

    #[test]
    fn no_slots_means_shed_and_resize_adds_free_workers() {
        let mut s = Station::new(0);
        assert_eq!(s.admit(0, 1, 10, 10), Admission::Shed);
        s.resize(50, 1);
        assert_eq!(s.admit(60, 1, 10, 10), Admission::Served { start: 60, end: 61 });
    }

    #[test]
    fn shrinking_removes_idle_slots_first() {
        let mut s = Station::new(3);
        s.admit(0, 100, 10, 1_000); // one busy until 100
        s.resize(10, 1);
        // The busy slot remains: the next request waits for it.
        assert_eq!(s.admit(10, 1, 10, 1_000), Admission::Served { start: 100, end: 101 });
    }
}

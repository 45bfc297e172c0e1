//! Delay lines: events scheduled a fixed delay after the moment they are
//! scheduled, where the delay is one of a few constants — a try's trip from
//! its client to its stamp (a population's legs, with or without a handshake
//! or a DNS lookup). Events on one line come out in the order they went in,
//! so each line is a FIFO; the lines' heads are merged by a small heap. Keys
//! come from the queue's own sequence ([`EventQueue::key_for`]), so merged
//! with the queue the order is exactly that of one queue — at a fraction of
//! the cost, as these are a third of all events.

use super::EventQueue;
use crate::time::SimTime;
use std::collections::VecDeque;

/// The lines, their FIFOs, and a heap of the non-empty lines' heads.
#[derive(Clone, Debug)]
pub struct DelayLines<E> {
    /// Open addressing: (delay + 1, line); 0 marks an empty slot.
    table: Vec<(u64, u32)>,
    lines: Vec<VecDeque<(u128, E)>>,
    /// (head key, line), heap-ordered.
    heads: Vec<(u128, u32)>,
}

impl<E: Copy> Default for DelayLines<E> {
    fn default() -> Self {
        DelayLines {
            table: vec![(0, 0); 64],
            lines: Vec::new(),
            heads: Vec::new(),
        }
    }
}

impl<E: Copy> DelayLines<E> {
    /// The line of events `delay` µs after they are scheduled.
    #[inline(always)]
    fn line(&mut self, delay: u64) -> usize {
        let mask = self.table.len() - 1;
        let i = (delay.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as usize & mask;
        let (k, v) = self.table[i];
        if k == delay + 1 {
            return v as usize;
        }
        self.line_probed(delay, i)
    }

    /// [`Self::line`] past its first probe: the rest of the probe sequence,
    /// or a new line.
    #[inline(never)]
    fn line_probed(&mut self, delay: u64, mut i: usize) -> usize {
        let mask = self.table.len() - 1;
        loop {
            let (k, v) = self.table[i];
            if k == delay + 1 {
                return v as usize;
            }
            if k == 0 {
                let line = self.lines.len();
                self.lines.push(VecDeque::new());
                self.table[i] = (delay + 1, line as u32);
                if self.lines.len() * 2 > self.table.len() {
                    self.grow();
                }
                return line;
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = self.table.len() * 2;
        let old = std::mem::replace(&mut self.table, vec![(0, 0); size]);
        let mask = self.table.len() - 1;
        for (k, v) in old.into_iter().filter(|x| x.0 != 0) {
            let mut i = ((k - 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as usize & mask;
            while self.table[i].0 != 0 {
                i = (i + 1) & mask;
            }
            self.table[i] = (k, v);
        }
    }

    /// Schedules `event` at `now + delay`, where `now` is the queue's time.
    #[inline(always)]
    pub fn push(&mut self, q: &mut EventQueue<E>, delay: u64, event: E) {
        let key = q.key_for(SimTime(q.now().0 + delay));
        let line = self.line(delay);
        let fifo = &mut self.lines[line];
        debug_assert!(fifo.back().is_none_or(|b| b.0 < key), "a line keeps its order");
        fifo.push_back((key, event));
        if fifo.len() == 1 {
            super::keyheap::push(&mut self.heads, (key, line as u32));
        }
    }

    /// The key of the earliest pending event.
    #[inline]
    pub fn peek(&self) -> Option<u128> {
        self.heads.first().map(|h| h.0)
    }

    /// Removes the earliest pending event: its time and the event.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let &(_, line) = self.heads.first()?;
        let fifo = &mut self.lines[line as usize];
        let (key, event) = fifo.pop_front()?;
        match fifo.front() {
            Some(&(next, _)) => super::keyheap::replace_root(&mut self.heads, (next, line)),
            None => {
                let last = self.heads.pop().unwrap_or((0, line));
                if !self.heads.is_empty() {
                    super::keyheap::replace_root(&mut self.heads, last);
                }
            }
        }
        Some((SimTime((key >> 64) as u64), event))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random events on a handful of delays, interleaved with queue events
    /// and pops: the merged order must be exactly one queue's.
    #[test]
    fn merged_with_the_queue_the_order_is_one_queues() {
        let mut rng = crate::engine::SimRng::stream(9, "lines-test");
        let mut reference: EventQueue<u32> = EventQueue::new();
        let mut q: EventQueue<u32> = EventQueue::new();
        let mut lines: DelayLines<u32> = DelayLines::default();
        let delays = [0u64, 5, 5_000, 36_500, 180_000, 2_000_000];
        let (mut got, mut want) = (Vec::new(), Vec::new());
        for i in 0..50_000u32 {
            if rng.unit() < 0.55 {
                let d = delays[rng.below(delays.len() as u32) as usize];
                let on_line = rng.unit() < 0.7;
                reference.schedule(SimTime(reference.now().0 + d), i);
                if on_line {
                    lines.push(&mut q, d, i);
                } else {
                    q.schedule(SimTime(q.now().0 + d), i);
                }
            } else {
                want.push(reference.pop());
                let next = match (lines.peek(), q.peek_key()) {
                    (Some(a), Some(b)) if a < b => lines.pop(),
                    (Some(_), None) => lines.pop(),
                    (_, Some(_)) => q.pop(),
                    (None, None) => None,
                };
                if let Some((t, _)) = next {
                    q.advance(t);
                }
                got.push(next);
            }
            assert_eq!(got.last(), want.last(), "step {i}");
        }
    }
}

//! Event streams kept beside the queue: sources that always have exactly one
//! pending event (a client population's next arrival). A small heap of their
//! keys, drawn from the queue's own sequence ([`EventQueue::key_for`]), so the
//! merged order of streams and queue is exactly the queue's order had the
//! events been scheduled there — at a fraction of the cost, as arrivals are
//! half of all events.

use super::EventQueue;
use crate::time::SimTime;

/// The pending event of each stream, in a binary min-heap by key.
#[derive(Clone, Debug, Default)]
pub struct Streams {
    /// (key, stream), heap-ordered.
    heap: Vec<(u128, u32)>,
}

impl Streams {
    /// Sets stream `id`'s next event at `at` (it has none pending).
    #[inline(always)]
    pub fn push<E: Copy>(&mut self, q: &mut EventQueue<E>, at: SimTime, id: u32) {
        let key = q.key_for(at);
        super::keyheap::push(&mut self.heap, (key, id));
    }

    /// The key and stream of the earliest pending event.
    #[inline]
    pub fn peek(&self) -> Option<(u128, u32)> {
        self.heap.first().copied()
    }

    /// The earliest pending event (see [`Streams::peek`]) is being handled,
    /// and its stream's next one is at `at` (None: the stream has no more):
    /// one sift instead of a pop and a push. The key is drawn now, as
    /// [`Streams::push`] would.
    #[inline(always)]
    pub fn replace_top<E: Copy>(&mut self, q: &mut EventQueue<E>, at: Option<SimTime>) {
        let Some(&(_, id)) = self.heap.first() else { return };
        match at {
            Some(at) => {
                let key = q.key_for(at);
                super::keyheap::replace_root(&mut self.heap, (key, id));
            }
            None => {
                self.pop();
            }
        }
    }

    /// Removes the earliest pending event; returns its time and stream.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, u32)> {
        let top = *self.heap.first()?;
        let last = self.heap.pop().unwrap_or(top);
        if !self.heap.is_empty() {
            super::keyheap::replace_root(&mut self.heap, last);
        }
        Some((SimTime((top.0 >> 64) as u64), top.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_order_equals_one_queue() {
        // The same events, once all in a queue and once with some in streams.
        let mut all: EventQueue<u32> = EventQueue::new();
        let mut q: EventQueue<u32> = EventQueue::new();
        let mut st = Streams::default();
        let plan = [
            (5u64, 0u32, true),
            (5, 1, false),
            (3, 2, true),
            (5, 3, false),
            (1, 4, false),
        ];
        for &(t, e, stream) in &plan {
            all.schedule(SimTime(t), e);
            if stream {
                st.push(&mut q, SimTime(t), e);
            } else {
                q.schedule(SimTime(t), e);
            }
        }
        let mut merged = Vec::new();
        loop {
            let qk = q.peek_key();
            match (st.peek(), qk) {
                (Some((sk, _)), Some(k)) if sk < k => merged.push(st.pop().unwrap().1),
                (Some(_), None) => merged.push(st.pop().unwrap().1),
                (_, Some(_)) => merged.push(q.pop().unwrap().1),
                (None, None) => break,
            }
        }
        let reference: Vec<u32> = std::iter::from_fn(|| all.pop().map(|x| x.1)).collect();
        assert_eq!(merged, reference);
    }
}

//! The event queue: events keyed by (time, insertion sequence), so equal
//! times pop in FIFO order and a run never depends on tie-breaking.
//!
//! Most events of a run are milliseconds ahead (the next arrival, a try
//! reaching its stamp), so the queue is a calendar (Brown, 1988): a wheel of
//! 256 slots of 1.024 ms covering the next ~262 ms, a bitmap of the slots that
//! hold anything, and a 4-ary heap for the events further ahead (timeouts,
//! probes, faults), moved onto the wheel as it turns. Pushing is an append to
//! a slot's buffer; the slot being consumed is sorted once, then popped from
//! its end. The wheel is small so its buffers stay in cache. The order is
//! exactly that of a heap keyed by (time, sequence) (tested against a sorted
//! reference below).

use crate::time::SimTime;

/// A slot spans 2^10 µs.
const SLOT_BITS: u32 = 10;
/// The wheel has 2^8 slots.
const WHEEL_BITS: u32 = 8;
const WHEEL: u64 = 1 << WHEEL_BITS;
const MASK: u64 = WHEEL - 1;

/// Pending events ordered by (time, insertion sequence).
#[derive(Clone)]
pub struct EventQueue<E> {
    /// Events of each wheel slot (slot = time >> SLOT_BITS, modulo the wheel).
    slots: Vec<Vec<(u128, E)>>,
    /// Which slots are non-empty.
    bits: [u64; (WHEEL / 64) as usize],
    /// The slot being consumed (absolute), and its events sorted descending
    /// by key, so the next one is at the end.
    cur_abs: u64,
    cur: Vec<(u128, E)>,
    /// Events at or beyond `cur_abs + WHEEL` slots.
    far: Heap<E>,
    len: usize,
    seq: u64,
    now: SimTime,
    /// The next event's key, once asked for, until the queue changes.
    next_key: Option<u128>,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

#[inline]
fn key_time(key: u128) -> u64 {
    (key >> 64) as u64
}

impl<E: Copy> EventQueue<E> {
    /// An empty queue at time zero.
    pub fn new() -> Self {
        EventQueue {
            slots: (0..WHEEL).map(|_| Vec::new()).collect(),
            bits: [0; (WHEEL / 64) as usize],
            cur_abs: 0,
            cur: Vec::with_capacity(64),
            far: Heap::default(),
            len: 0,
            seq: 0,
            now: SimTime::ZERO,
            next_key: None,
        }
    }

    /// The time of the last popped event.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` at `at`. An event in the past is clamped to now, so
    /// no event ever runs before the current time.
    #[inline]
    pub fn schedule(&mut self, at: SimTime, event: E) {
        let at = at.0.max(self.now.0);
        let key = ((at as u128) << 64) | self.seq as u128;
        self.seq += 1;
        self.len += 1;
        if let Some(k) = self.next_key {
            self.next_key = Some(k.min(key));
        }
        let abs = at >> SLOT_BITS;
        if abs == self.cur_abs {
            let pos = self.cur.partition_point(|x| x.0 > key);
            self.cur.insert(pos, (key, event));
        } else if abs < self.cur_abs {
            self.turn_back(abs);
            self.cur.push((key, event));
        } else {
            self.place(abs, (key, event));
        }
    }

    /// A bounded pop turned the wheel to a slot whose events all lay after
    /// its limit, and now an earlier event comes: turn the wheel back to slot
    /// `abs`. Everything between was empty, so slot positions in that range
    /// can only hold events a whole turn ahead: they go to the far heap.
    #[cold]
    fn turn_back(&mut self, abs: u64) {
        let old = self.cur_abs;
        let cur = std::mem::take(&mut self.cur);
        self.cur_abs = abs;
        for a in abs..old.min(abs + WHEEL) {
            let s = (a & MASK) as usize;
            if self.bits[s >> 6] & (1 << (s & 63)) != 0 {
                for (k, e) in std::mem::take(&mut self.slots[s]) {
                    self.far.push(k, e);
                }
                self.bits[s >> 6] &= !(1 << (s & 63));
            }
        }
        for x in cur {
            self.place(old, x);
        }
    }

    /// Puts an event of absolute slot `abs` (after the current one) on the
    /// wheel or, beyond it, in the far heap.
    #[inline]
    fn place(&mut self, abs: u64, x: (u128, E)) {
        if abs - self.cur_abs < WHEEL {
            let s = (abs & MASK) as usize;
            self.slots[s].push(x);
            self.bits[s >> 6] |= 1 << (s & 63);
        } else {
            self.far.push(x.0, x.1);
        }
    }

    /// The first non-empty wheel slot after the current one (absolute).
    #[inline]
    fn next_wheel(&self) -> Option<u64> {
        let limit = self.cur_abs + WHEEL;
        let mut abs = self.cur_abs + 1;
        while abs < limit {
            let s = (abs & MASK) as usize;
            let word = self.bits[s >> 6] >> (s & 63);
            if word != 0 {
                let found = abs + word.trailing_zeros() as u64;
                return (found < limit).then_some(found);
            }
            abs += 64 - (s & 63) as u64;
        }
        None
    }

    /// The slot the next event is in (absolute), if the current one is empty.
    #[inline]
    fn next_abs(&self) -> Option<u64> {
        let w = self.next_wheel();
        let f = self.far.peek_key().map(|k| key_time(k) >> SLOT_BITS);
        match (w, f) {
            (Some(w), Some(f)) => Some(w.min(f)),
            (w, f) => w.or(f),
        }
    }

    /// Turns the wheel to slot `target` (the earliest non-empty one) and
    /// makes it current.
    fn turn(&mut self, target: u64) {
        self.cur_abs = target;
        // Far events now within the wheel's reach move onto it.
        while let Some(k) = self.far.peek_key() {
            let abs = key_time(k) >> SLOT_BITS;
            if abs - self.cur_abs >= WHEEL {
                break;
            }
            let Some(x) = self.far.pop() else { break };
            let s = (abs & MASK) as usize;
            self.slots[s].push(x);
            self.bits[s >> 6] |= 1 << (s & 63);
        }
        let s = (target & MASK) as usize;
        std::mem::swap(&mut self.cur, &mut self.slots[s]);
        self.bits[s >> 6] &= !(1 << (s & 63));
        self.cur.sort_unstable_by_key(|x| std::cmp::Reverse(x.0));
    }

    /// Takes the next sequence number for an event kept outside the queue
    /// (see [`crate::engine::Streams`]): its key orders it among the queue's
    /// events exactly as if it had been scheduled here now.
    #[inline]
    pub fn key_for(&mut self, at: SimTime) -> u128 {
        let key = ((at.0.max(self.now.0) as u128) << 64) | self.seq as u128;
        self.seq += 1;
        key
    }

    /// The key of the next event, if any (without turning the wheel; kept
    /// until the queue changes, as the streams beside it ask on every step).
    #[inline]
    pub fn peek_key(&mut self) -> Option<u128> {
        if self.next_key.is_none() {
            self.next_key = self.find_next_key();
        }
        self.next_key
    }

    fn find_next_key(&self) -> Option<u128> {
        if let Some(x) = self.cur.last() {
            return Some(x.0);
        }
        let target = self.next_abs()?;
        let s = (target & MASK) as usize;
        let on_wheel = self.slots[s].iter().map(|x| x.0).min();
        match (on_wheel, self.far.peek_key()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Advances the clock to `t` for an event handled outside the queue.
    #[inline]
    pub fn advance(&mut self, t: SimTime) {
        debug_assert!(t >= self.now, "event queue went back in time");
        self.now = t;
    }

    /// Removes and returns the next event if it is at or before `limit`,
    /// advancing the clock to its time. The wheel turns only to the slot of
    /// the event it returns, so anything may still be scheduled from `now` on.
    #[inline]
    pub fn pop_until(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
        if self.cur.is_empty() {
            let target = self.next_abs()?;
            if (target << SLOT_BITS) > limit.0 {
                return None;
            }
            self.turn(target);
        }
        let &(k, e) = self.cur.last()?;
        let t = key_time(k);
        if t > limit.0 {
            return None;
        }
        self.cur.pop();
        self.len -= 1;
        self.next_key = None;
        debug_assert!(t >= self.now.0, "event queue went back in time");
        self.now = SimTime(t);
        Some((self.now, e))
    }

    /// Removes and returns the next event, advancing the clock to its time.
    #[cfg(test)]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.pop_until(SimTime(u64::MAX))
    }

    /// The time of the next event, if any (without turning the wheel).
    #[cfg(test)]
    pub fn peek_time(&self) -> Option<SimTime> {
        self.find_next_key().map(|k| SimTime(key_time(k)))
    }

    /// Number of pending events.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }
}

/// Children per heap node.
const ARITY: usize = 4;

/// A 4-ary min-heap with its keys apart from its values: a sift compares four
/// children's keys in one cache line.
#[derive(Clone)]
struct Heap<E> {
    keys: Vec<u128>,
    values: Vec<E>,
}

impl<E> Default for Heap<E> {
    fn default() -> Self {
        Heap {
            keys: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<E: Copy> Heap<E> {
    fn push(&mut self, key: u128, value: E) {
        let mut i = self.keys.len();
        self.keys.push(key);
        self.values.push(value);
        while i > 0 {
            let parent = (i - 1) / ARITY;
            let pk = self.keys[parent];
            if pk <= key {
                break;
            }
            self.keys[i] = pk;
            self.values[i] = self.values[parent];
            i = parent;
        }
        self.keys[i] = key;
        self.values[i] = value;
    }

    fn peek_key(&self) -> Option<u128> {
        self.keys.first().copied()
    }

    fn pop(&mut self) -> Option<(u128, E)> {
        let top_key = *self.keys.first()?;
        let top = self.values[0];
        let last_key = self.keys.pop().unwrap_or(top_key);
        let last = self.values.pop().unwrap_or(top);
        let n = self.keys.len();
        if n > 0 {
            let mut i = 0;
            loop {
                let first = i * ARITY + 1;
                if first >= n {
                    break;
                }
                let end = (first + ARITY).min(n);
                let mut c = first;
                let mut ck = self.keys[first];
                for k in first + 1..end {
                    let kk = self.keys[k];
                    if kk < ck {
                        ck = kk;
                        c = k;
                    }
                }
                if ck >= last_key {
                    break;
                }
                self.keys[i] = ck;
                self.values[i] = self.values[c];
                i = c;
            }
            self.keys[i] = last_key;
            self.values[i] = last;
        }
        Some((top_key, top))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_fifo_order() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(5), "b");
        q.schedule(SimTime(1), "a");
        q.schedule(SimTime(5), "c");
        q.schedule(SimTime(3), "x");
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["a", "x", "b", "c"]);
    }

    #[test]
    fn past_events_are_clamped_to_now() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(10), 1);
        q.pop();
        q.schedule(SimTime(3), 2);
        assert_eq!(q.pop(), Some((SimTime(10), 2)));
    }

    #[test]
    fn events_beyond_the_wheel_come_back_in_order() {
        let mut q = EventQueue::new();
        let far = 1u64 << 50;
        q.schedule(SimTime(far + 5), "late");
        q.schedule(SimTime(far), "far");
        q.schedule(SimTime(far), "far2");
        q.schedule(SimTime(7), "near");
        let order: Vec<_> = std::iter::from_fn(|| q.pop().map(|(t, e)| (t.0, e))).collect();
        assert_eq!(order, [(7, "near"), (far, "far"), (far, "far2"), (far + 5, "late")]);
    }

    #[test]
    fn pop_until_leaves_later_events_and_accepts_earlier_ones_after() {
        let mut q = EventQueue::new();
        q.schedule(SimTime(50_000_000), "late");
        assert_eq!(q.pop_until(SimTime(1_000)), None);
        q.schedule(SimTime(2_000), "early");
        assert_eq!(q.pop(), Some((SimTime(2_000), "early")));
        assert_eq!(q.pop(), Some((SimTime(50_000_000), "late")));
    }

    /// Random pushes (at the current time, near, and far ahead) interleaved
    /// with pops, bounded pops and peeks: the order must be exactly that of
    /// an independent reference, the pending events sorted by (time, push
    /// order).
    #[test]
    fn agrees_with_a_sorted_reference_on_random_interleavings() {
        for seed in 0..4 {
            let mut rng = crate::engine::SimRng::stream(seed, "queue-test");
            let mut q = EventQueue::new();
            let mut pending: Vec<(u64, u32)> = Vec::new();
            for i in 0..60_000u32 {
                let u = rng.unit();
                if u < 0.5 {
                    let now = q.now().0;
                    let t = match rng.below(10) {
                        0 => now,
                        1..=6 => now + rng.below(5_000) as u64,
                        7 | 8 => now + rng.below(30_000_000) as u64,
                        _ => now + 20_000_000 + rng.below(2_000_000_000) as u64,
                    };
                    q.schedule(SimTime(t), i);
                    pending.push((t, i));
                } else if u < 0.55 {
                    let want = pending.iter().min().map(|x| SimTime(x.0));
                    assert_eq!(q.peek_time(), want);
                } else if u < 0.6 {
                    let limit = q.now().0 + rng.below(3_000) as u64;
                    let want = pending.iter().copied().min().filter(|x| x.0 <= limit);
                    let got = q.pop_until(SimTime(limit)).map(|(t, e)| (t.0, e));
                    assert_eq!(got, want, "seed {seed} step {i}");
                    if let Some(w) = want {
                        pending.retain(|x| *x != w);
                    }
                } else {
                    let want = pending.iter().copied().min();
                    let got = q.pop().map(|(t, e)| (t.0, e));
                    assert_eq!(got, want, "seed {seed} step {i}");
                    if let Some(w) = want {
                        pending.retain(|x| *x != w);
                    }
                }
                assert_eq!(q.len(), pending.len());
            }
        }
    }
}

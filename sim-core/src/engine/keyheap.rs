//! The binary min-heap of `(key, id)` pairs that the structures beside the
//! event queue keep ([`super::Streams`]: one per population;
//! [`super::DelayLines`]: one per non-empty line's head): a push and a
//! replace-the-root, nothing else.

/// Appends `x` and sifts it up.
#[inline(always)]
pub(super) fn push(heap: &mut Vec<(u128, u32)>, x: (u128, u32)) {
    let mut i = heap.len();
    heap.push(x);
    while i > 0 {
        let parent = (i - 1) / 2;
        if heap[parent].0 <= x.0 {
            break;
        }
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i] = x;
}

/// Puts `x` at the root (replacing it) and sifts it down.
#[inline(always)]
pub(super) fn replace_root(heap: &mut [(u128, u32)], x: (u128, u32)) {
    let n = heap.len();
    let mut i = 0;
    loop {
        let l = 2 * i + 1;
        if l >= n {
            break;
        }
        let c = if l + 1 < n && heap[l + 1].0 < heap[l].0 {
            l + 1
        } else {
            l
        };
        if heap[c].0 >= x.0 {
            break;
        }
        heap[i] = heap[c];
        i = c;
    }
    heap[i] = x;
}

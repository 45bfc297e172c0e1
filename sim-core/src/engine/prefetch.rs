//! A cache hint: ask the processor to start fetching a value's memory now,
//! ahead of its use, without waiting for it. It changes no value and no
//! result; where the target has no such instruction it does nothing.

/// Starts fetching the cache line holding `x` (x86-64: `PREFETCHT0`).
#[inline(always)]
#[allow(unsafe_code)]
pub fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: PREFETCHT0 only hints the cache: it never faults, reads nothing
    // into the program and writes nothing, and the address comes from a live
    // reference. SSE, which it needs, is part of every x86-64 target.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>((x as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

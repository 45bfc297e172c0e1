//! Named random-number streams split from one run seed.
//!
//! Every consumer of randomness (the arrivals of one population, the service
//! times of one region, the phases of the probes, …) gets its own stream whose
//! seed is a hash of the run seed and the stream's name. Changing the routing
//! policy therefore never changes the arrival sequence: this is what makes
//! comparisons fair (common random numbers).

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// A fast, portable, seedable generator (PCG 64 MCG): identical sequences
/// natively and in wasm32.
#[derive(Clone, Debug)]
pub struct SimRng(Pcg64Mcg);

/// Derives a stream seed from the run seed and the stream's name (FNV-1a
/// over the name, mixed with SplitMix64).
pub fn stream_seed(run_seed: u64, name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    splitmix(run_seed ^ splitmix(h))
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The `k`-th uniform float in [0, 1) derived from `seed` (SplitMix64 of
/// seed + k): a fixed property of whatever `seed` was drawn for, read only
/// when needed (a request's operation, key and dependencies).
#[inline]
pub fn derived_unit(seed: u64, k: u64) -> f64 {
    (splitmix(seed.wrapping_add(k.wrapping_mul(0x9e37_79b9_7f4a_7c15))) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

impl SimRng {
    /// The stream called `name` of the run seeded with `run_seed`.
    pub fn stream(run_seed: u64, name: &str) -> Self {
        SimRng(Pcg64Mcg::seed_from_u64(stream_seed(run_seed, name)))
    }

    /// A uniform float in [0, 1).
    #[inline]
    pub fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    /// A uniform 64-bit integer.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0.random::<u64>()
    }

    /// A uniform integer in [0, n). `n` must be positive.
    #[inline]
    pub fn below(&mut self, n: u32) -> u32 {
        // Lemire's multiply-shift: unbiased enough for n << 2^32 and portable.
        ((self.0.random::<u32>() as u64 * n as u64) >> 32) as u32
    }

    /// True with probability `p`.
    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.unit() < p
    }

    /// Access to the underlying generator for `rand_distr` distributions.
    #[inline]
    pub fn inner(&mut self) -> &mut Pcg64Mcg {
        &mut self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_independent_and_reproducible() {
        let mut a1 = SimRng::stream(7, "arrivals/us-east");
        let mut a2 = SimRng::stream(7, "arrivals/us-east");
        let mut b = SimRng::stream(7, "service/eastus2");
        let x: Vec<f64> = (0..4).map(|_| a1.unit()).collect();
        let y: Vec<f64> = (0..4).map(|_| a2.unit()).collect();
        let z: Vec<f64> = (0..4).map(|_| b.unit()).collect();
        assert_eq!(x, y);
        assert_ne!(x, z);
    }

    #[test]
    fn below_stays_in_range() {
        let mut r = SimRng::stream(1, "x");
        for n in [1u32, 2, 3, 1000] {
            for _ in 0..1000 {
                assert!(r.below(n) < n);
            }
        }
    }
}

//! `exp` with the same result on every platform, and fast: a request's
//! log-normal service time is `exp(μ + σz)`, once per request. `f64::exp`
//! comes from the platform's maths library (glibc natively, a port of musl's
//! in wasm), which may differ in the last bit, and it is slow in wasm (7 % of
//! the headline's time in the browser). This one uses only IEEE-exact
//! operations (+ − × and bit moves) over a table of 2^(j/256) computed with
//! the pure-Rust `libm` crate, so it gives the same bits natively and in wasm.
//!
//! Method (Tang's table-driven exp): x = (256·e + j)·ln2/256 + r with
//! |r| ≤ ln2/512, so exp(x) = 2^e · 2^(j/256) · exp(r), and exp(r) is its
//! Taylor series to r⁵ (the next term is below 10⁻²⁰). Within 2 ulp of the
//! correctly rounded result (tested against `libm::exp`).

/// Table size: 2^8 steps per doubling.
const BITS: u32 = 8;
const N: i64 = 1 << BITS;
/// ln 2 / N split in two (fdlibm's ln2_hi and ln2_lo, by their bits): the
/// high part ends in 32 zero bits, so k·HI is exact for |k| < 2^21.
const LN2_N_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000) / N as f64;
const LN2_N_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76) / N as f64;
const N_LN2: f64 = N as f64 / core::f64::consts::LN_2;

/// exp(x) by table and polynomial (see the module doc).
#[derive(Clone, Debug)]
pub struct FastExp {
    /// 2^(j/N) for j in 0..N.
    table: Box<[f64; N as usize]>,
}

impl Default for FastExp {
    fn default() -> Self {
        Self::new()
    }
}

impl FastExp {
    /// Builds the table (256 calls of `libm::exp2`).
    pub fn new() -> FastExp {
        let mut table = Box::new([0.0; N as usize]);
        for (j, t) in table.iter_mut().enumerate() {
            *t = libm::exp2(j as f64 / N as f64);
        }
        FastExp { table }
    }

    /// e^x. Outside ±700 (overflow, underflow, NaN) it defers to `libm::exp`.
    #[inline]
    pub fn exp(&self, x: f64) -> f64 {
        // (Written so that NaN also takes the exact path.)
        if !(x > -700.0 && x < 700.0) {
            return libm::exp(x);
        }
        // Round to nearest without a library call: |x·N/ln2| < 2^18.
        let t = x * N_LN2;
        let k = if t >= 0.0 { (t + 0.5) as i64 } else { (t - 0.5) as i64 };
        let kf = k as f64;
        let r = (x - kf * LN2_N_HI) - kf * LN2_N_LO;
        let j = (k & (N - 1)) as usize;
        let e = k >> BITS;
        let p = 1.0 + r * (1.0 + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0)))));
        let scale = f64::from_bits(((e + 1023) as u64) << 52);
        self.table[j] * p * scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn within_two_ulp_of_libm_over_the_whole_range() {
        let f = FastExp::new();
        let mut worst = 0;
        // A deterministic sweep of [-700, 700], dense where service times live (μ + σz ∈ [0, 20]).
        let mut x = -700.0f64;
        while x < 700.0 {
            worst = worst.max(ulps(f.exp(x), libm::exp(x)));
            x += 0.000_731_3;
        }
        let mut x = 0.0f64;
        while x < 20.0 {
            worst = worst.max(ulps(f.exp(x), libm::exp(x)));
            x += 0.000_001_7;
        }
        assert!(worst <= 2, "{worst} ulp");
        // Exact where the answer is exact, and the edges handed over.
        assert_eq!(f.exp(0.0), 1.0);
        assert_eq!(f.exp(core::f64::consts::LN_2 * 10.0), 1024.0);
        assert!(f.exp(f64::NAN).is_nan());
        assert_eq!(f.exp(f64::INFINITY), f64::INFINITY);
        assert_eq!(f.exp(-1e6), 0.0);
    }
}

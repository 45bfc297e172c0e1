//! Client arrivals: a population's requests form a Poisson process whose
//! rate follows its profile (constant, steps, diurnal, spike). A varying rate
//! is drawn by thinning (Lewis and Shedler, 1979): candidates at the peak
//! rate, each kept with probability rate(t) / peak — exact for any profile
//! bounded by its peak.

use crate::engine::SimRng;
use crate::scenario::RateProfile;
use crate::time::SimDuration;
use rand_distr::{Distribution, Exp1};

impl RateProfile {
    /// The highest rate the profile reaches before `end` (a step or a burst
    /// that starts at or after the end of the run does not count): the rate
    /// arrival candidates are drawn at (thinning).
    pub fn peak_rps_before(&self, end: SimDuration) -> f64 {
        match self {
            RateProfile::Steps { rps, steps } => {
                steps.iter().filter(|s| s.at < end).map(|s| s.rps).fold(*rps, f64::max)
            }
            RateProfile::Spike {
                base_rps, peak_rps, at, ..
            } if *at >= end => *base_rps,
            _ => self.peak_rps(),
        }
    }

    /// The expected number of requests over [0, `end`): the integral of the
    /// rate (exact for every profile; steps and bursts after the end count
    /// for nothing).
    pub fn expected_requests(&self, end: SimDuration) -> f64 {
        let t_end = end.as_secs_f64();
        match self {
            RateProfile::Constant { rps } => rps * t_end,
            RateProfile::Steps { rps, steps } => {
                let (mut total, mut rate, mut from) = (0.0, *rps, 0.0);
                for s in steps {
                    let at = s.at.as_secs_f64().min(t_end);
                    total += rate * (at - from).max(0.0);
                    from = from.max(at);
                    rate = s.rps;
                }
                total + rate * (t_end - from).max(0.0)
            }
            RateProfile::Diurnal {
                mean_rps,
                amplitude,
                peak_at,
            } => {
                // ∫ m (1 + a cos(ω (t − p))) dt = m T + (m a / ω) [sin(ω (T − p)) − sin(−ω p)]
                let day = 86_400.0;
                let w = 2.0 * core::f64::consts::PI / day;
                let p = peak_at.as_secs_f64();
                mean_rps * t_end + mean_rps * amplitude / w * (libm::sin(w * (t_end - p)) - libm::sin(-w * p))
            }
            RateProfile::Spike {
                base_rps,
                peak_rps,
                at,
                duration,
            } => {
                let a = at.as_secs_f64().min(t_end);
                let b = (at.as_secs_f64() + duration.as_secs_f64()).min(t_end);
                base_rps * t_end + (peak_rps - base_rps) * (b - a).max(0.0)
            }
        }
    }

    /// The rate at `t_s` seconds into the run, requests per second.
    pub fn rate_at(&self, t_s: f64) -> f64 {
        match self {
            RateProfile::Constant { rps } => *rps,
            RateProfile::Steps { rps, steps } => {
                // Steps are in time order (validated): the last one at or
                // before t, by binary search (a profile may have many).
                let k = steps.partition_point(|s| s.at.as_secs_f64() <= t_s);
                if k == 0 {
                    *rps
                } else {
                    steps[k - 1].rps
                }
            }
            RateProfile::Diurnal {
                mean_rps,
                amplitude,
                peak_at,
            } => {
                let phase = 2.0 * core::f64::consts::PI * (t_s - peak_at.as_secs_f64()) / 86_400.0;
                mean_rps * (1.0 + amplitude * libm::cos(phase))
            }
            RateProfile::Spike {
                base_rps,
                peak_rps,
                at,
                duration,
            } => {
                let a = at.as_secs_f64();
                if t_s >= a && t_s < a + duration.as_secs_f64() {
                    *peak_rps
                } else {
                    *base_rps
                }
            }
        }
    }
}

/// One population's arrival process: the time of its last arrival and the
/// stream it draws from.
#[derive(Clone, Debug)]
pub struct Arrivals {
    peak: f64,
    /// 1 / peak: the mean gap between candidates, s.
    gap: f64,
    last_s: f64,
    /// The rate never varies: every candidate is kept (no thinning draw).
    constant: bool,
}

impl Arrivals {
    /// A process for `profile` over a run of length `end`, starting at time
    /// zero. Candidates come at the peak rate within the run: a step after
    /// the end does not slow the run down.
    pub fn new(profile: &RateProfile, end: SimDuration) -> Arrivals {
        let peak = profile.peak_rps_before(end);
        Arrivals {
            peak,
            gap: if peak > 0.0 { 1.0 / peak } else { 0.0 },
            last_s: 0.0,
            constant: matches!(profile, RateProfile::Constant { .. }),
        }
    }

    /// The next arrival after the last one, in seconds, if it falls before
    /// `end_s`.
    #[inline(always)]
    pub fn next(&mut self, profile: &RateProfile, rng: &mut SimRng, end_s: f64) -> Option<f64> {
        if self.peak <= 0.0 {
            return None;
        }
        if self.constant {
            // The common case, kept apart so that it stays a few instructions.
            let e: f64 = Exp1.sample(rng.inner());
            self.last_s += e * self.gap;
            return (self.last_s < end_s).then_some(self.last_s);
        }
        self.thinned(profile, rng, end_s)
    }

    /// [`Self::next`] for a varying rate: candidates at the peak rate, each
    /// kept with probability rate / peak.
    #[inline(never)]
    fn thinned(&mut self, profile: &RateProfile, rng: &mut SimRng, end_s: f64) -> Option<f64> {
        loop {
            let e: f64 = Exp1.sample(rng.inner());
            self.last_s += e * self.gap;
            if self.last_s >= end_s {
                return None;
            }
            if rng.unit() * self.peak < profile.rate_at(self.last_s) {
                return Some(self.last_s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::RateStep;

    #[test]
    fn thinning_keeps_each_step_at_its_own_rate() {
        // 100/s for 100 s, then 20/s: counts within 5 σ of the Poisson means.
        let profile = RateProfile::Steps {
            rps: 100.0,
            steps: vec![RateStep {
                at: SimDuration::from_secs(100),
                rps: 20.0,
            }],
        };
        let mut a = Arrivals::new(&profile, SimDuration::from_secs(1_000_000));
        let mut rng = SimRng::stream(7, "arrivals/test");
        let (mut first, mut second) = (0.0, 0.0);
        while let Some(t) = a.next(&profile, &mut rng, 200.0) {
            if t < 100.0 {
                first += 1.0;
            } else {
                second += 1.0;
            }
        }
        assert!((first - 10_000.0f64).abs() < 5.0 * 100.0, "{first}");
        assert!((second - 2_000.0f64).abs() < 5.0 * 2_000.0f64.sqrt(), "{second}");
    }

    #[test]
    fn diurnal_peaks_at_its_peak_time() {
        let d = RateProfile::Diurnal {
            mean_rps: 10.0,
            amplitude: 0.5,
            peak_at: SimDuration::from_secs(3_600),
        };
        assert!((d.rate_at(3_600.0) - 15.0).abs() < 1e-9);
        assert!((d.rate_at(3_600.0 + 43_200.0) - 5.0).abs() < 1e-9);
    }

    #[test]
    fn a_step_profile_is_the_last_step_at_or_before_t() {
        // Many steps, some at the same time: the definition (the last step
        // whose time has come, else the base rate) scanned by hand.
        let steps: Vec<RateStep> = (0..1000u64)
            .map(|i| RateStep {
                at: SimDuration::from_secs(i / 2 * 3),
                rps: i as f64,
            })
            .collect();
        let profile = RateProfile::Steps {
            rps: -1.0,
            steps: steps.clone(),
        };
        for k in 0..4_000u32 {
            let t = k as f64 * 0.37 - 1.0;
            let want = steps.iter().rfind(|s| s.at.as_secs_f64() <= t).map_or(-1.0, |s| s.rps);
            assert_eq!(profile.rate_at(t), want, "t = {t}");
        }
    }
}

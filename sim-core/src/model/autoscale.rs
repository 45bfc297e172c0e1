//! Rule-based autoscale (Azure Monitor style, AZURE_FACTS §4.1): a metric
//! averaged over a look-back window, scale out when above a threshold and in
//! when below, one action per cooldown, and flapping protection that skips a
//! scale-in whose projected metric would trigger a scale-out.

use crate::scenario::Autoscale;
use crate::time::SimTime;

/// What the autoscaler decided at one evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Add this many instances (they serve after the provisioning lag).
    Out(u32),
    /// Remove this many instances.
    In(u32),
    /// Do nothing.
    Hold,
}

/// Decides at `now` given the windowed `metric`, the `current` instance count
/// (serving plus provisioning), the plan's bounds and the end of the cooldown.
pub fn decide(
    cfg: &Autoscale,
    metric: f64,
    current: u32,
    min: u32,
    max: u32,
    now: SimTime,
    cooldown_until: SimTime,
) -> Decision {
    if now < cooldown_until || !metric.is_finite() {
        return Decision::Hold;
    }
    if metric > cfg.scale_out_above && current < max {
        return Decision::Out(cfg.step_out.min(max - current));
    }
    if metric < cfg.scale_in_below && current > min {
        let step = cfg.step_in.min(current - min);
        let projected = metric * current as f64 / (current - step) as f64;
        if projected < cfg.scale_out_above {
            return Decision::In(step);
        }
    }
    Decision::Hold
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SimDuration;

    fn cfg() -> Autoscale {
        let sc: crate::scenario::RegionSpec = toml::from_str(
            "name='x'\ninstances={initial=2}\nservice_time={kind='constant',value='1ms'}\n[autoscale]\n",
        )
        .unwrap();
        sc.autoscale.unwrap()
    }

    #[test]
    fn out_in_and_bounds() {
        let c = cfg();
        let t = SimTime(0);
        assert_eq!(decide(&c, 0.9, 4, 2, 10, t, t), Decision::Out(1));
        assert_eq!(decide(&c, 0.9, 10, 2, 10, t, t), Decision::Hold, "at max");
        assert_eq!(decide(&c, 0.1, 4, 2, 10, t, t), Decision::In(1));
        assert_eq!(decide(&c, 0.1, 2, 2, 10, t, t), Decision::Hold, "at min");
        assert_eq!(
            decide(&c, 0.9, 4, 2, 10, t, t + SimDuration::from_secs(1)),
            Decision::Hold,
            "cooldown"
        );
    }

    #[test]
    fn flapping_protection_skips_a_scale_in_that_would_scale_out() {
        let mut c = cfg();
        c.scale_in_below = 0.45;
        c.scale_out_above = 0.5;
        // 0.4 on 2 instances would become 0.8 on 1: above 0.5, so hold.
        assert_eq!(decide(&c, 0.4, 2, 1, 10, SimTime(0), SimTime(0)), Decision::Hold);
    }
}

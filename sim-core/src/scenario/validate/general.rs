//! The scenario as a whole: its name, seed, duration, buckets and the size of its series.

use super::*;

pub(super) fn check(v: &mut V, sc: &Scenario, limits: &Limits) {
    v.name("name", &sc.name);
    v.range_u(
        "seed",
        sc.seed,
        0,
        i64::MAX as u64,
        " (2^63 − 1: seeds are 63-bit so that every tool reads them alike)",
    );
    v.range_d("duration", sc.duration, D::from_secs(1), limits.max_duration, "");
    if sc.bucket < D::from_millis(100) || sc.bucket > sc.duration.max(D::from_millis(100)) {
        v.err(
            "bucket",
            format!("{} is out of range: must be 100ms up to the duration", sc.bucket),
        );
    }
    v.range_u("max_points", sc.max_points as u64, 10, 100_000, "");
    {
        // As the run sizes its buckets (at most max_points of them).
        let dur = sc.duration.as_micros().max(1);
        let bucket = sc
            .bucket
            .as_micros()
            .max(dur.div_ceil(sc.max_points.max(1) as u64))
            .max(1);
        let buckets = dur.div_ceil(bucket);
        let entities = (sc.populations.len() + sc.regions.len()) as u64;
        let cells = buckets.saturating_mul(entities);
        if cells > limits.max_series_cells {
            v.err(
                "bucket",
                format!(
                    "the time series would hold {cells} cells ({entities} populations and regions × {buckets} buckets of {}): at most {}; widen `bucket` or lower `max_points`",
                    D(bucket),
                    limits.max_series_cells
                ),
            );
        }
    }
    if !(sc.slo > 0.0 && sc.slo < 1.0) {
        v.err("slo", format!("{} must be between 0 and 1, e.g. 0.9995", sc.slo));
    }
}

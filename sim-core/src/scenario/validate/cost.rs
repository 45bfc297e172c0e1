//! `[cost]`: prices, each finite and in range.

use super::*;

pub(super) fn check(v: &mut V, sc: &Scenario) {
    if let Some(c) = &sc.cost {
        let ih = &c.instance_hour;
        for (field, x) in [
            ("gateway_base_month", c.gateway_base_month),
            ("gateway_per_million_requests", c.gateway_per_million_requests),
            ("provisioned_ru_per_second", c.provisioned_ru_per_second),
            ("per_100_ru_hour", c.per_100_ru_hour),
            ("per_100_ru_hour_multi_write", c.per_100_ru_hour_multi_write),
            ("egress_per_gb", c.egress_per_gb),
            ("response_kb", c.response_kb),
            ("instance_hour.basic", ih.basic),
            ("instance_hour.standard", ih.standard),
            ("instance_hour.premium_v3", ih.premium_v3),
            ("instance_hour.isolated_v2", ih.isolated_v2),
        ] {
            // Bounded so that a month's cost stays a finite number.
            if !(x.is_finite() && (0.0..=MAX_PRICE).contains(&x)) {
                v.err(
                    format!("cost.{field}"),
                    format!("{x} is not a price: use a number from 0 to {MAX_PRICE:e}"),
                );
            }
        }
    }
}

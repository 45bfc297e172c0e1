//! The monthly cost estimate against a hand calculation.

use crate::{run, scenario};

#[test]
fn monthly_cost_matches_a_hand_calculation() {
    let text = r#"
name = "cost"
duration = "1h"
[routing]
kind = "direct"
region = "eastus2"
[[regions]]
name = "eastus2"
sku = "standard"
instances = { initial = 2 }
service_time = { kind = "exponential", mean = "10ms" }
[[populations]]
name = "p"
location = "new_york"
rate = { kind = "constant", rps = 10 }
[cost]
instance_hour = { standard = 0.5 }
response_kb = 1000.0
egress_per_gb = 0.1
"#;
    let r = run(&scenario(text));
    let c = r.summary.cost.clone().expect("a price table gives a cost");
    // 2 instances × 1 h of a 1 h run → × 730 h a month × 0.5 = 730.
    assert!((c.compute - 730.0).abs() < 1e-6, "{}", c.compute);
    assert_eq!(c.gateway, 0.0, "direct: no router");
    assert_eq!(c.database, 0.0, "no data tier");
    // Every successful response: 1,000 KB = 0.001 GB... × 730 × 0.1 per GB.
    let egress = r.summary.counts.succeeded as f64 * 730.0 * 1000.0 / 1e6 * 0.1;
    assert!((c.egress - egress).abs() < 1e-6, "{} vs {egress}", c.egress);
    assert!((c.total - (730.0 + egress)).abs() < 1e-6);

    // With Front Door and a multi-write Cosmos account in two regions.
    let text = text
        .replace("kind = \"direct\"\nregion = \"eastus2\"", "kind = \"anycast_l7\"\norigins = [{ region = \"eastus2\" }]")
        .replace("[cost]", "[data]\nreplicas = [\"eastus2\", \"centralus\"]\nwrite_mode = \"multi\"\n[cost]")
        .replace("[[populations]]", "[[regions]]\nname = \"centralus\"\ninstances = { initial = 1 }\nservice_time = { kind = \"exponential\", mean = \"10ms\" }\n[[populations]]");
    let r = run(&scenario(&text));
    let c = r.summary.cost.clone().unwrap();
    // §5.4: 10,000 RU/s in each of 2 regions at the multi-write 0.016 per 100 RU/s-hour.
    assert!(
        (c.database - 100.0 * 2.0 * 730.0 * 0.016).abs() < 1e-6,
        "{}",
        c.database
    );
    // Router: 330 base + tries × 730 per million × 1.0.
    let gateway = 330.0 + r.summary.counts.tries as f64 * 730.0 / 1e6;
    assert!((c.gateway - gateway).abs() < 1e-6, "{} vs {gateway}", c.gateway);
}

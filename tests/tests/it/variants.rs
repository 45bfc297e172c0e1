//! Variants and replications: common random numbers, confidence intervals,
//! and clear errors for bad override paths.

use crate::run;
use regionsim::compare::{mean_ci, seeds, Comparison, Metric};
use regionsim::{bundled_by_name, Scenario, SimDuration, HEADLINE};

fn headline() -> Scenario {
    Scenario::parse(bundled_by_name(HEADLINE).unwrap().text).unwrap()
}

#[test]
fn variants_leave_the_offered_load_identical() {
    let mut sc = headline();
    sc.duration = SimDuration::from_mins(20);
    let runs: Vec<_> = sc
        .expand_variants(&[])
        .unwrap()
        .into_iter()
        .map(|(n, s)| (n, run(&s)))
        .collect();
    assert_eq!(runs.len(), 4, "base and three variants");
    for (name, r) in &runs[1..] {
        assert_eq!(r.seed, runs[0].1.seed);
        for (a, b) in r.series.populations.iter().zip(&runs[0].1.series.populations) {
            assert_eq!(a.offered, b.offered, "{name}: {} offered load differs", a.name);
        }
    }
    // …while the designs differ where they should.
    assert_ne!(runs[1].1.summary.counts.failed, runs[0].1.summary.counts.failed);
}

#[test]
fn confidence_intervals_shrink_as_one_over_root_seeds() {
    let mut sc = headline();
    sc.duration = SimDuration::from_mins(6);
    sc.data = None;
    sc.variants.clear();
    for f in &mut sc.faults {
        f.set_times(SimDuration::from_mins(2), SimDuration::from_mins(3));
    }
    // 32 runs: 8 groups of 4 seeds and 2 groups of 16; average the CI half-widths.
    let failed: Vec<f64> = seeds(100, 32)
        .into_iter()
        .map(|seed| run(&sc.clone().with_seed(seed)).summary.counts.failed as f64)
        .collect();
    let avg_width = |n: usize| {
        let ws: Vec<f64> = failed.chunks(n).map(|c| mean_ci(c).1.unwrap()).collect();
        ws.iter().sum::<f64>() / ws.len() as f64
    };
    let ratio = avg_width(4) / avg_width(16);
    // Expected ≈ sqrt(16/4) × t(0.975,3)/t(0.975,15) ≈ 2 × 3.182/2.131 ≈ 3.0
    // (a little less: the sample sd underestimates σ more for n = 4).
    assert!((2.0..=4.0).contains(&ratio), "CI ratio {ratio}");
    let (m, w) = mean_ci(&failed);
    assert!(w.unwrap() < 0.2 * m, "32 seeds pin the mean down: {m} ± {}", w.unwrap());
    let cmp = Comparison::of_reports(
        vec!["base".into()],
        &[vec![run(&sc), run(&sc.clone().with_seed(sc.seed + 1))]],
    );
    let avail = cmp.row(Metric::Availability).expect("a row per metric");
    assert!(avail.values[0].is_some() && avail.ci95[0].is_some());
}

#[test]
fn bad_variant_paths_are_explained() {
    let text = bundled_by_name(HEADLINE).unwrap().text.replace(
        "\"routing.probe_interval\" = \"100s\"",
        "\"routing.probe_intervl\" = \"100s\"",
    );
    let e = Scenario::parse(&text).unwrap_err().to_string();
    assert!(
        e.contains("variants[1].set.routing.probe_intervl") && e.contains("probe_interval"),
        "{e}"
    );
    let text = bundled_by_name(HEADLINE)
        .unwrap()
        .text
        .replace("\"regions.centralus.instances\"", "\"regions.westus9.instances\"");
    let e = Scenario::parse(&text).unwrap_err().to_string();
    assert!(e.contains("westus9") && e.contains("eastus2, centralus"), "{e}");
    let e = headline().expand_variants(&["nope".into()]).unwrap_err().to_string();
    assert!(e.contains("traffic manager"), "{e}");
}

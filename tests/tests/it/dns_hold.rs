//! DNS clients that hold answers past the TTL, against the published
//! measurement (AZURE_FACTS §7.1, Flavel et al. 2014) through renewal
//! theory: Traffic Manager flips its answer (eastus2's probes fail while it
//! keeps serving, so nobody's connection breaks) and the share of tries
//! still reaching eastus2 t after the flip is the share of clients still
//! holding the old answer, `share_on_old_answer` (a closed form; see
//! `model::clients` for its derivation and its fit to the measurement).

use crate::{run, scenario};
use regionsim::formulas::share_on_old_answer;
use regionsim::scenario::DnsBehaviour;

const CLIENTS: f64 = 3000.0;

fn flip_scenario(ttl_s: u32, minutes: u32) -> String {
    format!(
        r#"
name = "dns-hold"
duration = "{minutes}m"
[routing]
kind = "dns"
method = "priority"
ttl = "{ttl_s}s"
endpoints = [{{ region = "eastus2" }}, {{ region = "centralus" }}]
[[regions]]
name = "eastus2"
instances = {{ initial = 4 }}
service_time = {{ kind = "constant", value = "5ms" }}
[[regions]]
name = "centralus"
instances = {{ initial = 4 }}
service_time = {{ kind = "constant", value = "5ms" }}
[[populations]]
name = "p"
location = "new_york"
rate = {{ kind = "constant", rps = 1500 }}
clients = {CLIENTS}
keepalive = {{ enabled = false }}
[[faults]]
kind = "probe_failure"
region = "eastus2"
start = "2m"
duration = "{}m"
"#,
        minutes - 2
    )
}

/// Measured and expected share on eastus2 in the 10 s around flip + t, and
/// the bound: 4 standard errors of a share over 3,000 independent clients,
/// plus 0.005 for the flip's sub-second timing and the gap between a hold's
/// end and the client's next try (0.5 tries per second per client).
fn at(r: &regionsim::Report, flip_s: f64, t: f64, ttl_s: f64) -> (f64, f64, f64) {
    let b = DnsBehaviour::default();
    let p = &r.series.populations[0];
    let times = &r.series.time_s;
    let w = times[1] - times[0];
    let (mut on, mut all, mut want, mut n) = (0u32, 0u32, 0.0, 0.0);
    for (k, &start) in times.iter().enumerate() {
        let mid = start + w / 2.0 - flip_s;
        if (mid - t).abs() < 5.0 {
            on += p.tries_by_region[0][k];
            all += p.tries[k];
            want += share_on_old_answer(&b, ttl_s, mid);
            n += 1.0;
        }
    }
    assert!(n >= 2.0, "buckets of {w} s");
    let (got, want) = (on as f64 / all as f64, want / n);
    let bound = 4.0 * (want * (1.0 - want) / CLIENTS).sqrt() + 0.005;
    (got, want, bound)
}

fn check(ttl_s: u32, minutes: u32, times: &[f64]) {
    let r = run(&scenario(&flip_scenario(ttl_s, minutes)));
    let f = &r.summary.faults[0];
    let flip = 120.0 + f.time_to_degraded_s.expect("Traffic Manager marks eastus2 Degraded");
    // Before the flip every try goes to eastus2 (priority 1).
    let p = &r.series.populations[0];
    assert_eq!(p.tries_by_region[0][60], p.tries[60]);
    for &t in times {
        let (got, want, bound) = at(&r, flip, t, ttl_s as f64);
        assert!(
            (got - want).abs() <= bound,
            "TTL {ttl_s} s, {t} s after the flip: {got:.4} on the old answer, expected {want:.4} ± {bound:.4}"
        );
    }
}

#[test]
fn the_share_on_the_old_answer_follows_the_calibration_at_ttl_20s() {
    // Expected ≈ 0.100 at +1 min (90 % moved, §7.1), 0.020 at +15 min (§7.1),
    // 0.0056 at +60 min: finite, where a "forever" class would keep 2 %.
    check(20, 66, &[10.0, 60.0, 900.0, 3600.0]);
}

#[test]
fn the_share_on_the_old_answer_follows_the_calibration_at_ttl_300s() {
    // Expected ≈ 0.810 at +1 min (most honour a TTL not yet run out), 0.011
    // at +15 min.
    check(300, 20, &[60.0, 240.0, 900.0]);
}

#[test]
fn clients_whose_connections_fail_look_the_name_up_again() {
    // eastus2 dies (connections fail) while Traffic Manager still answers
    // eastus2 for a while; stale holders keep the dead answer. With
    // re-resolution after 2 failures they leave once the router's answer
    // has changed; without it (0) they wait out their hold.
    let text = flip_scenario(20, 20).replace("kind = \"probe_failure\"", "kind = \"region_outage\"");
    let with = run(&scenario(&text));
    let never = run(&scenario(&text.replace(
        "keepalive = { enabled = false }",
        "keepalive = { enabled = false }\ndns = { reresolve_after_failures = 0 }",
    )));
    let on_dead = |r: &regionsim::Report| {
        let f = &r.summary.faults[0];
        let flip = 120.0 + f.time_to_degraded_s.expect("Degraded");
        // A minute after the router's answer changed.
        at(r, flip, 60.0, 20.0).0
    };
    let (w, n) = (on_dead(&with), on_dead(&never));
    // Without re-resolution at least the calibration's share of clients is
    // still there (≈ 0.10 a minute on, as when nothing breaks; their failed
    // tries' retries add tries there); with it, only clients whose two
    // failed tries have not yet come back remain.
    let want = share_on_old_answer(&DnsBehaviour::default(), 20.0, 60.0);
    assert!(
        n > want - 4.0 * (want * (1.0 - want) / CLIENTS).sqrt(),
        "never: {n} vs {want}"
    );
    assert!(w < 0.01, "re-resolving after failures: {w} still on eastus2");
    assert!(with.summary.availability > never.summary.availability);
}

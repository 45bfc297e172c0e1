//! Validation against queueing theory: a one-region M/M/c scenario must
//! reproduce the Erlang-C mean wait, and Little's law must tie the measured
//! queue length, utilisation and waits together.

use crate::{run, scenario};

/// Erlang C: probability that an arrival waits, c servers, offered load a = λ/μ.
fn erlang_c(c: u32, a: f64) -> f64 {
    let mut sum = 0.0;
    let mut term = 1.0; // a^k / k!
    for k in 0..c {
        if k > 0 {
            term *= a / k as f64;
        }
        sum += term;
    }
    let top = term * a / c as f64 * (c as f64 / (c as f64 - a));
    top / (sum + top)
}

fn mmc(c_workers: u32, lambda: f64, mean_ms: u32, hours: u32, seed: u64) -> String {
    format!(
        r#"
name = "mmc"
seed = {seed}
duration = "{hours}h"
[routing]
kind = "direct"
region = "eastus2"
[[regions]]
name = "eastus2"
instances = {{ initial = 1 }}
workers_per_instance = {c_workers}
service_time = {{ kind = "exponential", mean = "{mean_ms}ms" }}
queue_limit_per_instance = 100000
request_timeout = "1h"
[[populations]]
name = "local"
location = "eastus2"
access_rtt = "0"
handshake_round_trips = 0
timeout = "10m"
clients = 1000
rate = {{ kind = "constant", rps = {lambda} }}
retry = {{ attempts = 1 }}
"#
    )
}

#[test]
fn erlang_c_matches_the_textbook_example() {
    // Independent check of the helper: c = 2, a = 1 → C = 1/3.
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn mmc_mean_response_time_matches_erlang_c() {
    // c = 4 workers, μ = 10/s, λ = 32/s: ρ = 0.8.
    let (c, lambda, mu) = (4u32, 32.0, 10.0);
    let report = run(&scenario(&mmc(c, lambda, 100, 4, 11)));
    let a = lambda / mu;
    let wq = erlang_c(c, a) / (c as f64 * mu - lambda);
    let w_theory_ms = (wq + 1.0 / mu) * 1e3;
    let w_sim_ms = report.summary.mean_latency_ms.expect("requests succeeded");
    let err = (w_sim_ms - w_theory_ms).abs() / w_theory_ms;
    assert!(
        err < 0.05,
        "mean response {w_sim_ms:.1} ms vs Erlang C {w_theory_ms:.1} ms ({:.1} %)",
        err * 100.0
    );
    assert_eq!(report.summary.counts.failed, 0);
}

#[test]
fn littles_law_holds_for_servers_and_queue() {
    let (c, lambda, mu) = (4u32, 32.0, 10.0);
    let report = run(&scenario(&mmc(c, lambda, 100, 4, 12)));
    let r = &report.series.regions[0];
    // Servers: mean busy = λ × E[S] = 3.2 of 4 → utilisation 0.8.
    let util = r.utilisation.iter().map(|&u| u as f64).sum::<f64>() / r.utilisation.len() as f64;
    assert!((util - 0.8).abs() < 0.02, "utilisation {util:.3}");
    // Queue: time-average queue length (sampled at bucket ends) = λ × Wq,
    // with Wq measured from the run's own mean latency minus mean service.
    let lq = r.queue_len.iter().map(|&q| q as f64).sum::<f64>() / r.queue_len.len() as f64;
    let wq_measured = report.summary.mean_latency_ms.unwrap() / 1e3 - 1.0 / mu;
    let little = lambda * wq_measured;
    assert!((lq - little).abs() / little < 0.12, "Lq {lq:.2} vs λ·Wq {little:.2}");
    // And against theory.
    let lq_theory = erlang_c(c, lambda / mu) * (lambda / mu) / (c as f64 - lambda / mu);
    assert!(
        (lq - lq_theory).abs() / lq_theory < 0.12,
        "Lq {lq:.2} vs Erlang C {lq_theory:.2}"
    );
}

#[test]
fn offered_rate_matches_the_poisson_rate() {
    let report = run(&scenario(&mmc(8, 50.0, 10, 1, 3)));
    let n = report.summary.counts.offered as f64;
    let expected = 50.0 * 3600.0;
    // Poisson: sd = sqrt(n) ≈ 424; allow 4 sd.
    assert!(
        (n - expected).abs() < 4.0 * expected.sqrt(),
        "{n} arrivals vs {expected}"
    );
}

#[test]
fn random_outages_give_the_steady_state_availability() {
    // Alternating exponential up (mean 5 h) and down (mean 30 min) periods:
    // long-run availability = MTBF / (MTBF + MTTR) = 5 / 5.5 = 0.9091.
    let text = format!(
        "{}\n[reliability]\nregion_mtbf = \"5h\"\nregion_mttr = \"30m\"\n",
        mmc(4, 2.0, 20, 24 * 7, 1).replace("timeout = \"10m\"", "timeout = \"2s\"")
    );
    let base = scenario(&text);
    let avail: Vec<f64> = sim_core::compare::seeds(1, 8)
        .into_iter()
        .map(|seed| run(&sim_core::Scenario { seed, ..base.clone() }).summary.availability)
        .collect();
    let (mean, ci) = sim_core::compare::mean_ci(&avail);
    let ci = ci.unwrap();
    let theory = 5.0 / 5.5;
    assert!(
        (mean - theory).abs() < (3.0 * ci).max(0.01),
        "availability {mean:.4} ± {ci:.4} vs {theory:.4}"
    );
    assert!(ci < 0.03, "8 weeks of simulated time pin it down: ± {ci:.4}");
    // A week of those outages is about 30 random region faults, reported like scheduled ones.
    let r = run(&base);
    assert!(
        (15..=50).contains(&r.summary.faults.len()),
        "{} faults",
        r.summary.faults.len()
    );
}

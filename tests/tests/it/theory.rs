//! Validation against queueing theory: a one-region M/M/c scenario must
//! reproduce the Erlang-C mean wait, and Little's law must tie the measured
//! queue length, utilisation and waits together. Waits are measured per job
//! from the audit (start of service − arrival at the stamp), so each client
//! population's own queueing delay is checked, wherever its clients are.

use crate::{run, scenario};
use regionsim::{Scenario, Sim};

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
    let avail: Vec<f64> = regionsim::compare::seeds(1, 8)
        .into_iter()
        .map(|seed| run(&base.clone().with_seed(seed)).summary.availability)
        .collect();
    let (mean, ci) = regionsim::compare::mean_ci(&avail);
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

/// Mean queueing wait (ms) of each population's requests at the first
/// region, from the audit.
fn mean_waits(sc: &Scenario) -> Vec<f64> {
    let mut sim = Sim::new(sc.clone()).expect("valid");
    sim.enable_audit();
    while sim.step() {}
    let audit = sim.take_audit().expect("audit on");
    let n = sc.populations.len();
    let (mut sum, mut count) = (vec![0.0f64; n], vec![0u64; n]);
    for rec in &audit.service[0] {
        if let Some(p) = rec.population {
            sum[p] += (rec.start - rec.arrived) as f64 / 1e3;
            count[p] += 1;
        }
    }
    sum.iter().zip(&count).map(|(s, &c)| s / c.max(1) as f64).collect()
}

/// One region in eastus2 with `instances` × `workers`, a dispatch rule and a
/// service time, and populations (name, metro, rps, keep-alive) with no
/// retries, long timeouts and unbounded queues.
fn stamp_scenario(
    instances: u32,
    workers: u32,
    dispatch: &str,
    service: &str,
    hours: u32,
    seed: u64,
    pops: &[(&str, &str, f64, bool)],
) -> Scenario {
    let mut t = format!(
        r#"
name = "stamp"
seed = {seed}
duration = "{hours}h"
[routing]
kind = "direct"
region = "eastus2"
[[regions]]
name = "eastus2"
instances = {{ initial = {instances} }}
workers_per_instance = {workers}
dispatch = "{dispatch}"
service_time = {service}
queue_limit_per_instance = 100000
request_timeout = "1h"
"#
    );
    for (name, metro, rps, keepalive) in pops {
        t += &format!(
            r#"
[[populations]]
name = "{name}"
location = "{metro}"
access_rtt = "0"
timeout = "10m"
clients = 2000
rate = {{ kind = "constant", rps = {rps} }}
retry = {{ attempts = 1 }}
keepalive = {{ enabled = {keepalive} }}
"#
        );
    }
    scenario(&t)
}

/// Erlang-C mean wait (ms) of an M/M/c queue: `c` servers, arrival rate
/// `lambda`/s, service rate `mu`/s.
fn mmc_wait_ms(c: u32, lambda: f64, mu: f64) -> f64 {
    erlang_c(c, lambda / mu) / (c as f64 * mu - lambda) * 1e3
}

fn close(what: &str, sim: f64, theory: f64, rel: f64) {
    let err = (sim - theory).abs() / theory;
    eprintln!(
        "{what}: simulated {sim:.3} ms vs theory {theory:.3} ms ({:.1} %)",
        err * 100.0
    );
    assert!(
        err < rel,
        "{what}: simulated {sim:.3} ms vs theory {theory:.3} ms ({:.1} % off, {:.0} % allowed)",
        err * 100.0,
        rel * 100.0
    );
}

#[test]
fn every_population_waits_as_erlang_c_says_wherever_its_clients_are() {
    // 8 instances × 8 workers behind one pooled queue, exponential 50 ms,
    // 1,088 req/s: ρ = 0.85. Clients in New York with warm (kept-alive)
    // connections and clients in London opening a new connection every time
    // reach the stamp after different, varying delays; the stream reaching it
    // is still Poisson, so each population must see the Erlang-C wait of an
    // M/M/64 queue. (Admitting tries when sent, not when they arrive, gave
    // the near population 404 ms against 0.75 ms.)
    let sc = stamp_scenario(
        8,
        8,
        "pooled",
        r#"{ kind = "exponential", mean = "50ms" }"#,
        1,
        5,
        &[
            ("new-york", "new_york", 544.0, true),
            ("london", "london", 544.0, false),
        ],
    );
    let theory = mmc_wait_ms(64, 1088.0, 20.0);
    let w = mean_waits(&sc);
    close("New York (warm)", w[0], theory, 0.15);
    close("London (cold)", w[1], theory, 0.15);
}

#[test]
fn random_dispatch_gives_independent_mmc_queues_per_instance() {
    // 8 instances × 4 workers, random dispatch, exponential 50 ms, 544 req/s:
    // each instance receives a Poisson stream of 68/s and is an M/M/4 queue
    // at ρ = 0.85, several times worse than the pooled M/M/32 ideal.
    let service = r#"{ kind = "exponential", mean = "50ms" }"#;
    let pops = [("p", "new_york", 544.0, true)];
    let random = mean_waits(&stamp_scenario(8, 4, "random", service, 2, 7, &pops))[0];
    close("random dispatch", random, mmc_wait_ms(4, 68.0, 20.0), 0.10);
    let pooled = mean_waits(&stamp_scenario(8, 4, "pooled", service, 2, 7, &pops))[0];
    close("pooled", pooled, mmc_wait_ms(32, 544.0, 20.0), 0.15);
    assert!(random > 3.0 * pooled, "random {random:.2} ms vs pooled {pooled:.2} ms");
    // Round robin smooths each instance's stream: between the two.
    let rr = mean_waits(&stamp_scenario(8, 4, "round_robin", service, 2, 7, &pops))[0];
    assert!(
        pooled < rr && rr < random,
        "pooled {pooled:.2} < rr {rr:.2} < random {random:.2}"
    );
}

/// Mean wait (ms) of a GI/M/1 queue whose interarrival times are Erlang-n
/// with stage rate `lambda` (every n-th of a Poisson stream of rate
/// `lambda`), service rate `mu`: Wq = σ / (μ (1 − σ)), σ the root in (0, 1)
/// of σ = A*(μ (1 − σ)) with A*(s) = (λ / (λ + s))^n (Kleinrock, Queueing
/// Systems vol. 1, §6.4).
fn erlang_n_m1_wait_ms(n: u32, lambda: f64, mu: f64) -> f64 {
    let mut sigma: f64 = 0.5;
    for _ in 0..10_000 {
        sigma = (lambda / (lambda + mu * (1.0 - sigma))).powi(n as i32);
    }
    sigma / (mu * (1.0 - sigma)) * 1e3
}

#[test]
fn round_robin_to_one_worker_instances_is_an_erlang_n_m_1_queue() {
    // 4 single-worker instances in turn: each sees every 4th arrival of a
    // Poisson stream of 68/s, so Erlang-4 interarrivals; exponential 50 ms
    // service: ρ = 0.85 per instance.
    let sc = stamp_scenario(
        4,
        1,
        "round_robin",
        r#"{ kind = "exponential", mean = "50ms" }"#,
        4,
        3,
        &[("p", "new_york", 68.0, true)],
    );
    let theory = erlang_n_m1_wait_ms(4, 68.0, 20.0);
    // Independent check of the helper: n = 1 is M/M/1, Wq = ρ / (μ − λ).
    assert!((erlang_n_m1_wait_ms(1, 17.0, 20.0) - 0.85 / 3.0 * 1e3).abs() < 1e-6);
    close("round robin", mean_waits(&sc)[0], theory, 0.10);
}

/// Log-normal moments from a median and p99 (σ = ln(p99/median) / z0.99).
fn lognormal_moments(median_s: f64, p99_s: f64) -> (f64, f64) {
    let sigma = (p99_s / median_s).ln() / 2.326_347_874;
    let mu = median_s.ln();
    ((mu + sigma * sigma / 2.0).exp(), (2.0 * mu + 2.0 * sigma * sigma).exp())
}

#[test]
fn mg1_waits_as_pollaczek_khinchine_says() {
    // One worker, log-normal service (median 40 ms, p99 250 ms), ρ = 0.8.
    // Exact: Wq = λ E[S²] / (2 (1 − ρ)).
    let (es, es2) = lognormal_moments(0.040, 0.250);
    let lambda = 0.8 / es;
    let sc = stamp_scenario(
        1,
        1,
        "pooled",
        r#"{ kind = "lognormal", median = "40ms", p99 = "250ms" }"#,
        8,
        11,
        &[("p", "new_york", lambda, true)],
    );
    let theory = lambda * es2 / (2.0 * (1.0 - 0.8)) * 1e3;
    close("M/G/1", mean_waits(&sc)[0], theory, 0.10);
}

#[test]
fn mgc_waits_as_the_allen_cunneen_approximation_says() {
    // 16 workers pooled, log-normal service (median 40 ms, p99 250 ms),
    // ρ = 0.9. Allen–Cunneen: Wq(M/G/c) ≈ Wq(M/M/c) × (1 + Cs²) / 2, with Cs²
    // the squared coefficient of variation of service (0.86 here); it is
    // known to be within about 10 % for M/G/c at this load.
    let (es, es2) = lognormal_moments(0.040, 0.250);
    let cs2 = es2 / (es * es) - 1.0;
    let lambda = 0.9 * 16.0 / es;
    let sc = stamp_scenario(
        2,
        8,
        "pooled",
        r#"{ kind = "lognormal", median = "40ms", p99 = "250ms" }"#,
        4,
        13,
        &[
            ("chicago", "chicago", lambda / 2.0, true),
            ("london", "london", lambda / 2.0, true),
        ],
    );
    let theory = mmc_wait_ms(16, lambda, 1.0 / es) * (1.0 + cs2) / 2.0;
    let w = mean_waits(&sc);
    close("M/G/c Chicago", w[0], theory, 0.15);
    close("M/G/c London", w[1], theory, 0.15);
}

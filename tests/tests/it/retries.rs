//! Client retry guards against hand calculations: a gRPC-style retry budget
//! (gRFC A6), a circuit breaker, and `Retry-After` on shed 503s.

use crate::{run, scenario};

/// One region behind a direct CNAME, dead from 1 s to `dead_s`; 10 req/s
/// from 200 clients; `retry` is the population's retry table.
fn dead_region(retry: &str, dead_s: u32) -> String {
    format!(
        r#"
name = "guards"
duration = "11m"
[routing]
kind = "direct"
region = "eastus2"
[[regions]]
name = "eastus2"
instances = {{ initial = 2 }}
service_time = {{ kind = "constant", value = "10ms" }}
[[populations]]
name = "p"
location = "new_york"
rate = {{ kind = "constant", rps = 10 }}
clients = 200
keepalive = {{ enabled = false }}
retry = {retry}
[[faults]]
kind = "region_outage"
region = "eastus2"
start = "1s"
duration = "{dead_s}s"
"#
    )
}

#[test]
fn a_shared_retry_budget_stops_retries_once_half_its_tokens_are_gone() {
    // Without a budget every request to the dead region is tried 3 times.
    let plain = run(&scenario(&dead_region("{ attempts = 3 }", 650)));
    let c = &plain.summary.counts;
    let retries = c.tries - c.offered;
    assert!(retries as f64 > 1.9 * c.offered as f64, "{retries} of {}", c.offered);
    // gRFC A6, one bucket for the population: 10 tokens, retries only while
    // more than 5 are left, nothing succeeds to give any back. Five heard
    // failures end the retries; the retries already decided while those
    // five were on their way (5 s connect timeouts, 10 tries a second, at
    // most a few seconds' worth) are all that can go out on top.
    let budget = run(&scenario(&dead_region(
        "{ attempts = 3, budget = { max_tokens = 10, token_ratio = 0.1, per = \"population\" } }",
        650,
    )));
    let c = &budget.summary.counts;
    let retries = c.tries - c.offered;
    assert!(retries <= 60, "{retries} retries went out");
    assert_eq!(c.failed + c.succeeded + c.unfinished, c.offered);
}

#[test]
fn a_retry_budget_refills_with_successes() {
    // Dead for 60 s, up for 4 minutes (about 2,400 successes), dead again
    // from 300 s. With 0.1 token back per success the shared bucket is full
    // again when the second outage starts, so it lets retries out as it did
    // the first time — by hand: heard failures take it 10 → 9 → … → 5, and
    // a retry goes out only above 5, so about 4 retries (one per failure
    // heard while 9, 8, 7, 6 tokens are left); with 0.001 back per success
    // (2.4 tokens on top of the 5 or fewer left) fewer.
    let second = |ratio: f64| {
        let text = dead_region(
            &format!("{{ attempts = 3, budget = {{ max_tokens = 10, token_ratio = {ratio}, per = \"population\" }} }}"),
            60,
        )
            + "[[faults]]\nkind = \"region_outage\"\nregion = \"eastus2\"\nstart = \"300s\"\nduration = \"60s\"\n";
        let r = run(&scenario(&text));
        let p = &r.series.populations[0];
        let (mut tries, mut offered) = (0u32, 0u32);
        for (k, t) in r.series.time_s.iter().enumerate() {
            if (300.0..420.0).contains(t) {
                tries += p.tries[k];
                offered += p.offered[k];
            }
        }
        tries - offered
    };
    let (refilled, starved) = (second(0.1), second(0.001));
    assert!((4..=8).contains(&refilled), "{refilled}");
    assert!(starved < refilled, "{starved} vs {refilled}");
}

#[test]
fn a_circuit_breaker_sends_one_window_of_tries_per_cycle() {
    // One breaker for the population, 3 failures open it for 30 s. Against a
    // dead region each try fails at its 5 s connect timeout: once it
    // half-opens, tries go out for 5 s until the first failure is heard and
    // reopens it. A cycle is 30 + 5 s, tries flow in 5 of them: about 1/7 of
    // the requests are tried, the rest fail at once ("circuit_open").
    let r = run(&scenario(&dead_region(
        "{ attempts = 3, circuit_breaker = { failures = 3, open_for = \"30s\", per = \"population\" } }",
        650,
    )));
    let c = &r.summary.counts;
    let tried_share = c.tries as f64 / c.offered as f64;
    assert!((tried_share - 1.0 / 7.0).abs() < 0.05, "{tried_share}");
    let open = c.failed_by_cause[regionsim::FailCause::CircuitOpen.index()];
    assert!(open as f64 > 0.8 * c.offered as f64, "{open} of {}", c.offered);
    // Per client: each of the 200 clients (one request every 20 s) needs
    // three failures of its own, so most tries still go out.
    let per_client = run(&scenario(&dead_region(
        "{ attempts = 3, circuit_breaker = { failures = 3, open_for = \"30s\", per = \"client\" } }",
        650,
    )));
    let c2 = &per_client.summary.counts;
    assert!(c2.tries > 3 * c.tries, "{} vs {}", c2.tries, c.tries);
}

#[test]
fn clients_wait_out_a_503s_retry_after() {
    // One instance of 8 workers and no queue: 100 req/s of 100 ms work
    // (ρ = 1.25) sheds about a fifth with 503 at once. A retry normally
    // follows within 200 ms (full jitter), so every success is faster than
    // 1 s; with `Retry-After: 5` the retried successes take at least 5 s,
    // and they are more than 1 % of successes: the p99 is at least 5 s.
    let text = |retry_after: &str, honour: bool| {
        format!(
            r#"
name = "retry-after"
duration = "5m"
[routing]
kind = "direct"
region = "eastus2"
[[regions]]
name = "eastus2"
instances = {{ initial = 1 }}
queue_limit_per_instance = 0
service_time = {{ kind = "constant", value = "100ms" }}
{retry_after}
[[populations]]
name = "p"
location = "new_york"
rate = {{ kind = "constant", rps = 100 }}
clients = 1000
retry = {{ attempts = 2, honour_retry_after = {honour} }}
"#
        )
    };
    let p99 = |t: String| run(&scenario(&t)).summary.latency.p99_ms.expect("successes");
    assert!(p99(text("", true)) < 1_000.0);
    assert!(p99(text("retry_after = \"5s\"", true)) >= 5_000.0);
    assert!(p99(text("retry_after = \"5s\"", false)) < 1_000.0);
}

//! The data tier: invariants of the consistency levels (proptest), an
//! independent brute-force recount of stale reads, conflicts and lost writes
//! from the audit log, and the RPO table of AZURE_FACTS §5.3.

use proptest::prelude::*;
use regionsim::{DataRecordOp, Scenario, Sim};

fn scenario(consistency: &str, mode: &str, keys: u32, faults: &str, seed: u64, extra: &str) -> Scenario {
    let text = format!(
        r#"
name = "data"
seed = {seed}
duration = "8m"
[routing]
kind = "anycast_l7"
probe_interval = "10s"
probe_timeout = "5s"
latency_sensitivity = "0ms"
pops = ["new_york", "chicago", "seattle"]
origins = [{{ region = "eastus2" }}, {{ region = "centralus" }}, {{ region = "westus2" }}]
[[regions]]
name = "eastus2"
instances = {{ initial = 4 }}
service_time = {{ kind = "exponential", mean = "10ms" }}
[[regions]]
name = "centralus"
instances = {{ initial = 4 }}
service_time = {{ kind = "exponential", mean = "10ms" }}
[[regions]]
name = "westus2"
instances = {{ initial = 4 }}
service_time = {{ kind = "exponential", mean = "10ms" }}
[data]
replicas = ["eastus2", "centralus", "westus2"]
write_mode = "{mode}"
consistency = "{consistency}"
keys = {keys}
failover_delay = "1m"
{extra}
[[populations]]
name = "east"
location = "new_york"
rate = {{ kind = "constant", rps = 60 }}
clients = 50
write_share = 0.4
[[populations]]
name = "central"
location = "chicago"
rate = {{ kind = "constant", rps = 40 }}
clients = 50
write_share = 0.4
[[populations]]
name = "west"
location = "seattle"
rate = {{ kind = "constant", rps = 40 }}
clients = 50
write_share = 0.4
{faults}
"#
    );
    Scenario::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn faults_from(choice: &[(u8, u8, u16, u16)]) -> String {
    let regions = ["eastus2", "centralus", "westus2"];
    choice
        .iter()
        .map(|&(k, r, start, len)| {
            let region = regions[r as usize % 3];
            let other = regions[(r as usize + 1) % 3];
            match k % 3 {
                0 => format!("[[faults]]\nkind = \"region_outage\"\nregion = \"{region}\"\nstart = \"{start}s\"\nduration = \"{len}s\"\n"),
                1 => format!("[[faults]]\nkind = \"replica_outage\"\nregion = \"{region}\"\nstart = \"{start}s\"\nduration = \"{len}s\"\n"),
                _ => format!("[[faults]]\nkind = \"partition\"\nregion = \"{region}\"\nother = \"{other}\"\nstart = \"{start}s\"\nduration = \"{len}s\"\n"),
            }
        })
        .collect()
}

fn run_audited(sc: Scenario) -> (regionsim::Report, Vec<regionsim::DataRecord>, usize) {
    let nrep = sc.data.as_ref().map(|d| d.replicas.len()).unwrap_or(0);
    let mut sim = Sim::new(sc).expect("valid");
    sim.enable_audit();
    while sim.step() {}
    let audit = sim.take_audit().expect("audit on");
    (sim.finish(), audit.data, nrep)
}

/// Recounts everything from the raw history, by definition, without the
/// store's per-key state: the latest earlier write of a key is found by
/// scanning back. Every single verdict must match the store's, not only the
/// totals. The history's delivery times are the final ones (a write held back
/// by a cut link is delivered when it heals); a delivery time only ever
/// changes while it is still in the future, so comparing a read's time with
/// the final one gives the verdict it had then.
///
/// - A write is lost when its origin replica dies (the first outage of its
///   region after the write, from the scenario's faults) before any other
///   replica has it. From then on it is gone; if it was the key's latest
///   write, the key reverts to the survivors' version, visible everywhere.
/// - A read is stale when the key's latest surviving write is not yet
///   visible at the replica serving it; a read-your-writes violation when
///   that write was the reader's own, made at another replica.
/// - A conflict is two regions writing one key concurrently, so only
///   multi-region writes (`multi`) can have one (AZURE_FACTS §5.5).
///
/// - Under session consistency (`session`), a stale read of a key whose
///   latest write went through the same stamp (region) is not stale: that
///   stamp's SDK holds the write's session token and waits for it (§5.6).
fn oracle(
    records: &[regionsim::DataRecord],
    down: &[Vec<(u64, u64)>],
    multi: bool,
    session: bool,
) -> (u64, u64, u64, u64, u64) {
    let (mut stale, mut conflicts, mut lost, mut ryw, mut waits) = (0, 0, 0, 0, 0);
    let mut mismatches = Vec::new();
    // Independently: when (if ever) each write is lost.
    let lost_time = |r: &regionsim::DataRecord| -> Option<u64> {
        let DataRecordOp::Write { origin, visible, .. } = &r.op else {
            return None;
        };
        if visible.len() < 2 {
            return None;
        }
        let death = down[*origin].iter().map(|s| s.0).filter(|&s| s > r.t).min()?;
        let first_elsewhere = visible
            .iter()
            .enumerate()
            .filter(|(x, _)| x != origin)
            .map(|(_, v)| *v)
            .min()
            .unwrap_or(u64::MAX);
        (first_elsewhere > death).then_some(death)
    };
    for (i, r) in records.iter().enumerate() {
        // The key's state at time `t` (just before record `i`): its latest
        // write not lost by then, or "reverted at D" when its latest write
        // was lost at D after that.
        let state = |key: u32, t: u64| -> Option<(u32, usize, Vec<u64>, usize)> {
            let mut revert: Option<u64> = None;
            for p in records[..i].iter().rev() {
                let DataRecordOp::Write {
                    key: k,
                    origin,
                    visible,
                    ..
                } = &p.op
                else {
                    continue;
                };
                if *k != key {
                    continue;
                }
                match lost_time(p) {
                    Some(d) if d <= t => {
                        // Gone. If nothing newer survived, the key reverted at d.
                        if revert.is_none() {
                            revert = Some(d);
                        }
                        continue;
                    }
                    _ => {}
                }
                return match revert {
                    // Reverted after this write: fully visible, no writer.
                    Some(d) if d > p.t => Some((u32::MAX, *origin, vec![d; visible.len()], usize::MAX)),
                    _ => Some((p.client, *origin, visible.clone(), p.region)),
                };
            }
            revert.map(|d| (u32::MAX, usize::MAX, vec![d; down.len()], usize::MAX))
        };
        match &r.op {
            DataRecordOp::Read {
                key,
                replica: Some(x),
                stale: said_stale,
                ryw_violation: said_ryw,
                session_wait: said_wait,
            } => {
                let (mut is_stale, mut is_ryw, mut is_wait) = (false, false, false);
                if let Some((writer, origin, visible, stamp)) = state(*key, r.t) {
                    is_stale = r.t < visible[*x];
                    if is_stale && session && stamp == r.region {
                        (is_stale, is_wait) = (false, true);
                    }
                    is_ryw = is_stale && writer == r.client && origin != *x;
                }
                stale += is_stale as u64;
                ryw += is_ryw as u64;
                waits += is_wait as u64;
                if (is_stale, is_ryw, is_wait) != (*said_stale, *said_ryw, *said_wait) {
                    mismatches.push(format!(
                        "read #{i} at {}: oracle {is_stale}/{is_ryw}/{is_wait}, store {said_stale}/{said_ryw}/{said_wait}",
                        r.t
                    ));
                }
            }
            DataRecordOp::Write {
                key,
                origin,
                conflict: said_conflict,
                lost_at,
                ..
            } => {
                let is_lost = lost_time(r);
                if is_lost != *lost_at {
                    mismatches.push(format!(
                        "write #{i} at {}: oracle lost {is_lost:?}, store {lost_at:?}",
                        r.t
                    ));
                }
                lost += is_lost.is_some() as u64;
                let is_conflict = multi
                    && state(*key, r.t).is_some_and(|(_, prev_origin, prev_visible, _)| {
                        prev_origin != *origin && prev_origin != usize::MAX && r.t < prev_visible[*origin]
                    });
                if is_conflict != *said_conflict {
                    mismatches.push(format!(
                        "write #{i} at {}: oracle conflict {is_conflict}, store {said_conflict}",
                        r.t
                    ));
                }
                conflicts += is_conflict as u64;
            }
            _ => {}
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} verdicts differ, first: {:?}",
        mismatches.len(),
        &mismatches[..mismatches.len().min(3)]
    );
    (stale, conflicts, lost, ryw, waits)
}

fn down_spans(sc: &Scenario) -> Vec<Vec<(u64, u64)>> {
    let d = sc.data.as_ref().unwrap();
    d.replicas
        .iter()
        .map(|name| {
            sc.faults
                .iter()
                .filter(|f| {
                    matches!(f.kind_name(), "region_outage" | "replica_outage") && f.region() == Some(name.as_str())
                })
                .map(|f| (f.start().as_micros(), (f.start() + f.duration()).as_micros()))
                .collect()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn strong_consistency_never_reads_stale_and_never_loses_a_write(
        seed in 0u64..1_000_000,
        faults in prop::collection::vec((0u8..3, 0u8..3, 30u16..300, 20u16..200), 0..3),
    ) {
        let (r, _, _) = run_audited(scenario("strong", "single", 200, &faults_from(&faults), seed, ""));
        let d = r.summary.data.expect("data tier");
        prop_assert!(d.reads > 1000 && d.writes > 500);
        prop_assert_eq!(d.stale_reads, 0);
        prop_assert_eq!(d.lost_writes, 0);
        prop_assert_eq!(d.conflicts, 0);
    }

    #[test]
    fn counts_equal_a_brute_force_recount_of_the_history(
        seed in 0u64..1_000_000,
        mode in prop_oneof![Just("single"), Just("multi")],
        consistency in prop_oneof![Just("session"), Just("eventual"), Just("consistent_prefix"), Just("strong")],
        faults in prop::collection::vec((0u8..3, 0u8..3, 30u16..300, 20u16..200), 0..3),
    ) {
        // Strong (single writes only): three regions, so dynamic quorum
        // serves through partitions and outages; the recount sees every read.
        let mode = if consistency == "strong" { "single" } else { mode };
        let sc = scenario(consistency, mode, 30, &faults_from(&faults), seed, "commit_mean = \"50ms\"");
        let down = down_spans(&sc);
        let (r, records, _) = run_audited(sc);
        let d = r.summary.data.expect("data tier");
        let (stale, conflicts, lost, ryw, waits) = oracle(&records, &down, mode == "multi", consistency == "session");
        prop_assert_eq!(d.stale_reads, stale);
        prop_assert_eq!(d.session_waits, waits);
        prop_assert_eq!(d.conflicts, conflicts);
        prop_assert_eq!(d.lost_writes, lost);
        prop_assert_eq!(d.read_your_writes_violations, ryw);
        if mode == "single" {
            prop_assert_eq!(d.conflicts, 0, "one write region cannot conflict");
        }
    }

    /// Causality for the data tier: failovers, partitions and replica
    /// outages that start after t leave the series before t untouched (the
    /// store learns of them when they happen).
    #[test]
    fn data_series_before_t_ignore_faults_after_t(
        seed in 0u64..1_000_000,
        mode in prop_oneof![Just("single"), Just("multi")],
        consistency in prop_oneof![Just("session"), Just("bounded_staleness"), Just("strong")],
        faults in prop::collection::vec((0u8..3, 0u8..3, 30u16..300, 20u16..200), 1..4),
        frac in 0.05f64..0.95,
    ) {
        let consistency = if mode == "multi" && consistency == "strong" { "session" } else { consistency };
        let sc = scenario(consistency, mode, 50, &faults_from(&faults), seed,
            "commit_mean = \"50ms\"\nstaleness = { versions = 100000, interval = \"30s\" }");
        let t = (sc.duration.as_micros() as f64 * frac) as u64;
        let with = Sim::new(sc.clone()).expect("valid").run();
        let without = Sim::new(crate::future_changed_after(&sc, t)).expect("valid").run();
        let n = (t / (with.bucket_s * 1e6) as u64) as usize;
        prop_assert!(crate::series_before(&with, n) == crate::series_before(&without, n),
            "series before {} s differ", t as f64 / 1e6);
    }

    #[test]
    fn without_lag_or_faults_multi_region_writes_never_conflict(seed in 0u64..1_000_000) {
        let extra = "commit_mean = \"0\"";
        let mut sc = scenario("eventual", "multi", 20, "", seed, extra);
        for (a, b) in [("eastus2", "centralus"), ("eastus2", "westus2"), ("centralus", "westus2")] {
            sc.rtt.push(regionsim::scenario::RttOverride::new(a, b, regionsim::SimDuration::ZERO));
        }
        let (r, _, _) = run_audited(sc);
        let d = r.summary.data.unwrap();
        prop_assert!(d.writes > 1000);
        prop_assert_eq!(d.conflicts, 0);
        prop_assert_eq!(d.stale_reads, 0, "zero lag: every write is visible everywhere at once");
    }
}

#[test]
fn with_lag_multi_region_writes_do_conflict_on_hot_keys() {
    let (r, _, _) = run_audited(scenario("session", "multi", 5, "", 3, "commit_mean = \"50ms\""));
    assert!(r.summary.data.unwrap().conflicts > 10);
}

#[test]
fn rpo_follows_the_facts_table() {
    // §5.3: multi-region, single write: strong → RPO 0; session → < 15 min;
    // bounded staleness → bounded by T.
    let outage = "[[faults]]\nkind = \"region_outage\"\nregion = \"eastus2\"\nstart = \"200s\"\nduration = \"100s\"\n";
    let partition_then_outage = "[[faults]]\nkind = \"partition\"\nregion = \"eastus2\"\nother = \"centralus\"\nstart = \"60s\"\nduration = \"200s\"\n\
        [[faults]]\nkind = \"partition\"\nregion = \"eastus2\"\nother = \"westus2\"\nstart = \"60s\"\nduration = \"200s\"\n\
        [[faults]]\nkind = \"region_outage\"\nregion = \"eastus2\"\nstart = \"250s\"\nduration = \"100s\"\n";
    let strong = run_audited(scenario("strong", "single", 1000, partition_then_outage, 1, ""))
        .0
        .summary
        .data
        .unwrap();
    assert_eq!(strong.lost_writes, 0);
    let session = run_audited(scenario("session", "single", 1000, outage, 1, ""))
        .0
        .summary
        .data
        .unwrap();
    assert!(session.lost_writes > 0, "the writes in flight when eastus2 died");
    assert!(
        session.max_lost_write_age_s.unwrap() < 1.0,
        "no partition: only the replication lag is lost"
    );
    let session_p = run_audited(scenario("session", "single", 1000, partition_then_outage, 1, ""))
        .0
        .summary
        .data
        .unwrap();
    let age = session_p.max_lost_write_age_s.unwrap();
    assert!(
        age > 100.0 && age < 15.0 * 60.0,
        "a partition lets the unreplicated tail grow: {age} s (< 15 min)"
    );
    let bounded = run_audited(scenario(
        "bounded_staleness",
        "single",
        1000,
        partition_then_outage,
        1,
        "staleness = { versions = 100000, interval = \"30s\" }",
    ))
    .0
    .summary
    .data
    .unwrap();
    // §5.3: bounded staleness's RPO is K & T. Writes are accepted until a
    // replica is T behind, then throttled: what is lost is at most T's worth
    // of writes (plus the replication delay), however long ago they were made.
    let span = bounded.lost_write_span_s.expect("writes were lost");
    assert!(span <= 30.0 + 0.5, "bounded by T = 30 s of writes: {span} s");
    assert!(
        span > 25.0,
        "the writes of the partition's first T seconds are lost: {span} s"
    );
    assert!(
        session_p.lost_write_span_s.unwrap() > 150.0,
        "without the bound, the whole partition's writes are lost: {:?}",
        session_p.lost_write_span_s
    );
    assert!(
        bounded.write_failures > 0,
        "writes are throttled once a replica falls T behind"
    );
}

/// Strong consistency with three regions (AZURE_FACTS §5.2, dynamic quorum):
/// one unreachable region leaves the quorum set and writes go on; two
/// (more than 3 − a majority of 2) refuse them; with two regions one is
/// enough to refuse them. Reads never miss an acknowledged write.
#[test]
fn strong_dynamic_quorum_keeps_writing_with_one_region_cut_off_of_three() {
    let part = |a: &str, b: &str| {
        format!(
            "[[faults]]\nkind = \"partition\"\nregion = \"{a}\"\nother = \"{b}\"\nstart = \"2m\"\nduration = \"3m\"\n"
        )
    };
    let run_it = |faults: &str, extra: &str| {
        let sc = scenario("strong", "single", 200, faults, 7, extra);
        let r = Sim::new(sc).expect("valid").run();
        r.summary.data.clone().expect("data tier")
    };
    // Three regions, westus2 cut off from the write region: no write refused.
    let one = run_it(&part("eastus2", "westus2"), "");
    assert!(one.writes > 20_000, "{}", one.writes);
    assert_eq!(one.write_failures, 0, "dynamic quorum drops westus2");
    assert_eq!(one.stale_reads, 0);
    // Two of three cut off: only the write region is left, no majority.
    let two = run_it(&(part("eastus2", "westus2") + &part("eastus2", "centralus")), "");
    // 140 req/s × 40 % writes × 180 s ≈ 10,000 first tries refused.
    assert!(two.write_failures > 8_000, "{}", two.write_failures);
    assert_eq!(two.stale_reads, 0);
    // The same cut with two regions refuses writes (the two-region rule).
    let mut sc = scenario("strong", "single", 200, &part("eastus2", "centralus"), 7, "");
    if let Some(d) = sc.data.as_mut() {
        d.replicas.truncate(2);
    }
    let pair = Sim::new(sc).expect("valid").run();
    let d = pair.summary.data.expect("data tier");
    assert!(d.write_failures > 8_000, "{}", d.write_failures);
}

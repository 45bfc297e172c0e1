//! The soak test (ignored by default; `scripts/soak.sh` runs it): the
//! headline for a week of simulated time with random region outages, checked
//! for bounded memory (peak no higher than after the one-hour run, give or
//! take the allocator) and for the report's invariants at the end.

use regionsim::{Report, Scenario};

/// Peak resident memory of this process so far, KiB (Linux).
fn peak_rss_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// The headline over `duration` with random region outages (one every 72 h
/// per region on average, two hours to repair).
fn soak_scenario(duration: &str) -> Scenario {
    let text = regionsim::bundled_by_name(regionsim::HEADLINE)
        .unwrap()
        .text
        .replace("duration = \"60m\"", &format!("duration = \"{duration}\""));
    let text = format!("{text}\n[reliability]\nregion_mtbf = \"72h\"\nregion_mttr = \"2h\"\n");
    Scenario::parse(&text).unwrap_or_else(|e| panic!("soak scenario: {e}"))
}

/// What every report must satisfy, whatever happened in it.
fn check_invariants(r: &Report) {
    let s = &r.summary;
    let mut total = regionsim::report::Counts::default();
    for (p, ps) in r.series.populations.iter().enumerate() {
        let c = &s.populations[p].counts;
        assert_eq!(
            c.offered,
            c.succeeded + c.failed + c.unfinished,
            "{}: every request ends once",
            ps.name
        );
        assert!(c.tries >= c.offered - c.unfinished.min(c.offered), "{}: tries", ps.name);
        let sum = |v: &[u32]| v.iter().map(|&x| x as u64).sum::<u64>();
        assert_eq!(sum(&ps.offered), c.offered, "{}: series offered = total", ps.name);
        assert_eq!(sum(&ps.succeeded), c.succeeded, "{}: series succeeded = total", ps.name);
        let failed: u64 = ps.failed.iter().flatten().map(|&x| x as u64).sum();
        assert_eq!(failed, c.failed, "{}: series failed = total", ps.name);
        total.offered += c.offered;
    }
    for rs in &r.series.regions {
        assert!(
            rs.utilisation.iter().all(|u| (0.0..=1.0).contains(u)),
            "{}: utilisation in [0, 1]",
            rs.name
        );
    }
    assert!(
        r.series.time_s.len() <= 3_600,
        "the series is capped at max_points buckets"
    );
    assert!((0.0..=1.0).contains(&s.availability));
    assert!(total.offered > 0);
}

#[test]
#[ignore = "a week of simulated time: run by scripts/soak.sh"]
fn a_week_with_random_faults_holds_its_invariants_in_bounded_memory() {
    let t0 = std::time::Instant::now();
    let hour = regionsim::Sim::new(soak_scenario("1h")).unwrap().run();
    check_invariants(&hour);
    let peak_hour = peak_rss_kib();
    let t1 = std::time::Instant::now();
    let week = regionsim::Sim::new(soak_scenario("7d")).unwrap().run();
    let peak_week = peak_rss_kib();
    check_invariants(&week);
    let faults: usize = week.summary.faults.len();
    println!(
        "soak: 1 h: {} requests in {:.1} s, peak {:.1} MiB; 7 d: {} requests, {} random faults, in {:.1} s, peak {:.1} MiB",
        hour.summary.counts.offered,
        (t1 - t0).as_secs_f64(),
        peak_hour as f64 / 1024.0,
        week.summary.counts.offered,
        faults,
        t1.elapsed().as_secs_f64(),
        peak_week as f64 / 1024.0
    );
    assert!(faults > 0, "random faults happened");
    // The week's run holds no more than the hour's (its series is capped,
    // its in-flight state the same), give or take 8 MiB of allocator slack.
    assert!(
        peak_week <= peak_hour + 8 * 1024,
        "peak {peak_week} KiB after the week vs {peak_hour} KiB after the hour"
    );
}

//! An embedder's view of a running simulation: forking it (`Sim: Clone`),
//! reading it between steps (series so far, router views, instances), and
//! injecting a fault while it runs.

use regionsim::scenario::Fault;
use regionsim::{bundled_by_name, Report, Scenario, Sim, SimDuration, SimTime};

/// The headline, 20 minutes, with its outage of eastus2 from 5 to 15 min.
fn headline(with_fault: bool) -> Scenario {
    let mut sc = Scenario::parse(bundled_by_name("eastus2-fails-frontdoor").expect("bundled").text).expect("valid");
    sc.duration = SimDuration::from_mins(20);
    sc.variants.clear();
    sc.faults = if with_fault {
        vec![Fault::region_outage(
            "eastus2",
            SimDuration::from_millis(300_300),
            SimDuration::from_mins(10),
        )]
    } else {
        Vec::new()
    };
    sc
}

fn run_to(sim: &mut Sim, t: SimTime) {
    sim.run_until(t);
}

#[test]
fn a_forked_run_continues_exactly_as_the_original() {
    let whole = Sim::new(headline(true)).expect("valid").run();
    let mut sim = Sim::new(headline(true)).expect("valid");
    run_to(&mut sim, SimTime::from_mins(7));
    let fork = sim.clone();
    let a = sim.finish();
    let b = fork.finish();
    assert!(a == whole, "stopping at 7 min and going on changed the report");
    assert!(b == whole, "the fork's report differs from the unforked run's");
}

#[test]
fn a_fork_can_take_another_future_without_touching_the_past() {
    let mut sim = Sim::new(headline(false)).expect("valid");
    run_to(&mut sim, SimTime::from_mins(4));
    let mut failing = sim.clone();
    failing
        .inject(Fault::region_outage(
            "eastus2",
            SimDuration::from_millis(300_300),
            SimDuration::from_mins(10),
        ))
        .expect("a valid fault, from now on");
    let calm = sim.finish();
    let failed = failing.finish();
    let before = 240; // 1 s buckets: the first 4 minutes
    let s = |r: &Report| {
        r.series
            .populations
            .iter()
            .map(|p| p.succeeded[..before].to_vec())
            .collect::<Vec<_>>()
    };
    assert_eq!(s(&calm), s(&failed), "the shared past differs");
    let total = |r: &Report| r.summary.populations.iter().map(|p| p.counts.failed).sum::<u64>();
    assert!(
        total(&failed) > 100 + total(&calm),
        "the fork's outage shows: {} vs {}",
        total(&failed),
        total(&calm)
    );
    assert_eq!(failed.summary.faults.len(), 1);
}

#[test]
fn an_injected_fault_runs_as_the_same_fault_in_the_file() {
    let from_file = Sim::new(headline(true)).expect("valid").run();
    let mut sim = Sim::new(headline(false)).expect("valid");
    run_to(&mut sim, SimTime::from_secs(100));
    sim.inject(Fault::region_outage(
        "eastus2",
        SimDuration::from_millis(300_300),
        SimDuration::from_mins(10),
    ))
    .expect("valid");
    let injected = sim.finish();
    assert_eq!(injected.summary.faults, from_file.summary.faults);
    assert_eq!(injected.summary.populations, from_file.summary.populations);
    assert!(injected.series == from_file.series);
}

#[test]
fn an_injected_fault_is_checked_like_one_in_the_file() {
    let mut sim = Sim::new(headline(false)).expect("valid");
    run_to(&mut sim, SimTime::from_mins(2));
    let late = sim
        .inject(Fault::region_outage(
            "eastus2",
            SimDuration::from_mins(1),
            SimDuration::from_mins(1),
        ))
        .unwrap_err();
    assert!(
        late.to_string().contains("faults[0].start") && late.to_string().contains("before now"),
        "{late}"
    );
    let nowhere = sim
        .inject(Fault::region_outage(
            "mars",
            SimDuration::from_mins(3),
            SimDuration::from_mins(1),
        ))
        .unwrap_err();
    assert!(nowhere.to_string().contains("faults[0].region"), "{nowhere}");
    // Refused faults leave the run as it was.
    let report = sim.finish();
    assert!(report.summary.faults.is_empty());
}

#[test]
fn the_series_so_far_holds_closed_buckets_that_never_change() {
    let mut sim = Sim::new(headline(true)).expect("valid");
    run_to(&mut sim, SimTime::from_millis(421_500));
    let snap = sim.snapshot();
    assert_eq!(snap.now, SimTime::from_millis(421_500).min(sim.now()));
    // 1 s buckets: 421 closed (the 422nd is still open).
    assert_eq!(snap.series.time_s.len(), 421);
    let report = sim.finish();
    for (now, end) in snap.series.populations.iter().zip(&report.series.populations) {
        assert_eq!(now.offered[..], end.offered[..421], "{}", now.name);
        assert_eq!(now.succeeded[..], end.succeeded[..421], "{}", now.name);
    }
    for p in &snap.populations {
        let series = snap
            .series
            .populations
            .iter()
            .find(|s| s.name == p.name)
            .expect("same populations");
        assert_eq!(p.offered, series.offered.iter().map(|&x| x as u64).sum::<u64>());
        assert!(p.succeeded + p.failed <= p.offered && p.availability() <= 1.0);
    }
    // Two minutes into the outage, New York's clients have seen failures.
    let east = snap.populations.iter().find(|p| p.name == "us-east").expect("us-east");
    assert!(east.failed > 0 && east.availability() < 1.0, "{east:?}");
}

#[test]
fn router_views_and_instances_follow_the_outage() {
    let mut sim = Sim::new(headline(true)).expect("valid");
    run_to(&mut sim, SimTime::from_mins(4));
    let views = sim.router_views();
    assert!(views.len() > 10, "one view per Front Door POP: {}", views.len());
    assert!(
        views.iter().all(|v| v.regions.iter().all(|(_, healthy)| *healthy)),
        "all healthy before the fault"
    );
    let before: Vec<u32> = sim.instances().iter().map(|i| i.serving).collect();
    assert_eq!(before, vec![10, 8], "the headline's initial instances");
    // 30 s probes, 3 of 4 samples: every POP has seen eastus2 fail within
    // about two intervals plus the probe timeout; 5 minutes in, certainly.
    // (centralus may look unhealthy too: overloaded before autoscale catches
    // up, its probes queue behind user requests and time out.)
    run_to(&mut sim, SimTime::from_mins(10));
    for v in sim.router_views() {
        let east = v
            .regions
            .iter()
            .find(|(r, _)| r == "eastus2")
            .expect("eastus2 is an origin");
        assert!(!east.1, "{}: {:?}", v.viewer, v.regions);
    }
    let during = sim.instances();
    assert_eq!(during[0].serving, 0, "eastus2 is down");
    assert_eq!(
        during[1].serving, 8,
        "autoscale has not acted yet (5 min window, 2 min metric delay)"
    );
    // Nine minutes into the outage it has (§4.1's lags, step_out = 2).
    run_to(&mut sim, SimTime::from_mins(14));
    let later = sim.instances();
    assert!(
        later[1].serving + later[1].provisioning > 8,
        "centralus scales out: {later:?}"
    );
    assert!(format!("{sim:?}").contains("eastus2-fails-frontdoor"));
}

/// Each Front Door POP's view of `region` (true: healthy).
fn pop_views(sim: &Sim, region: &str) -> Vec<bool> {
    sim.router_views()
        .iter()
        .map(|v| v.regions.iter().find(|(r, _)| r == region).expect("routed").1)
        .collect()
}

/// User requests reaching `region` in seconds [from, to) of the series.
fn arrivals(report: &Report, region: &str, from: usize, to: usize) -> u64 {
    let rs = report.series.regions.iter().find(|r| r.name == region).expect("region");
    rs.arrivals[from..to].iter().map(|&x| x as u64).sum()
}

#[test]
fn a_drained_stamp_leaves_the_routers_within_their_probe_bound_and_comes_back() {
    use regionsim::formulas::front_door_detection;
    use regionsim::Action;
    let sc = headline(false);
    let regionsim::scenario::Routing::AnycastL7(fd) = &sc.routing else {
        panic!("the headline is behind Front Door")
    };
    // A drained stamp answers 503 at once: no probe timeout in the bound.
    let bound = front_door_detection(
        fd.probe_interval,
        fd.sample_size,
        fd.successful_samples,
        SimDuration::ZERO,
    );
    let mut sim = Sim::new(sc).expect("valid");
    let t0 = SimTime::from_mins(5);
    run_to(&mut sim, t0);
    let untouched = sim.clone();
    sim.act(Action::Drain {
        region: "eastus2".into(),
    })
    .expect("a region of the scenario");
    // Before the earliest detection no POP has noticed; after the latest
    // (and a second for the probes' round trip), every one has.
    run_to(&mut sim, SimTime(t0.as_micros() + bound.min.as_micros() - 1_000_000));
    assert!(
        pop_views(&sim, "eastus2").iter().all(|&h| h),
        "{:?}",
        sim.router_views()
    );
    run_to(&mut sim, SimTime(t0.as_micros() + bound.max.as_micros() + 1_000_000));
    assert!(
        pop_views(&sim, "eastus2").iter().all(|&h| !h),
        "{:?}",
        sim.router_views()
    );
    assert!(pop_views(&sim, "centralus").iter().all(|&h| h));
    // Undrained three minutes in: back in every POP's view, and in its traffic.
    let t1 = SimTime::from_mins(8);
    run_to(&mut sim, t1);
    sim.act(Action::Undrain {
        region: "eastus2".into(),
    })
    .expect("known region");
    run_to(&mut sim, SimTime::from_mins(11));
    assert!(
        pop_views(&sim, "eastus2").iter().all(|&h| h),
        "{:?}",
        sim.router_views()
    );
    let drained = sim.finish();
    let calm = untouched.finish();
    let before = arrivals(&drained, "eastus2", 240, 300);
    let out = arrivals(&drained, "eastus2", 300 + 62, 480);
    assert!(before > 1_000, "eastus2 serves its share before: {before}");
    assert!(
        out * 100 < before,
        "drained: {out} requests in 118 s against {before} in 60 s before"
    );
    let back = arrivals(&drained, "eastus2", 720, 1200);
    let usual = arrivals(&calm, "eastus2", 720, 1200);
    assert!(
        back * 10 > usual * 9,
        "back to its share: {back} against {usual} undrained"
    );
}

#[test]
fn a_manual_scale_arrives_after_the_provisioning_lag_and_holds_as_autoscale_floor() {
    use regionsim::Action;
    let count = |sim: &Sim, region: &str| {
        let c = sim
            .instances()
            .into_iter()
            .find(|c| c.region == region)
            .expect("region");
        (c.serving, c.provisioning)
    };
    // Without autoscale: exactly the count asked for.
    let mut sc = headline(false);
    for r in &mut sc.regions {
        r.autoscale = None;
    }
    let mut sim = Sim::new(sc).expect("valid");
    run_to(&mut sim, SimTime::from_mins(5));
    assert_eq!(count(&sim, "centralus"), (8, 0));
    sim.act(Action::Scale {
        region: "centralus".into(),
        instances: 12,
    })
    .expect("within the SKU");
    assert_eq!(count(&sim, "centralus"), (8, 4));
    // The provisioning lag is 1–3 min (§4.3): none before 1 min, all by 3.
    run_to(&mut sim, SimTime(SimTime::from_mins(6).as_micros() - 1));
    assert_eq!(count(&sim, "centralus"), (8, 4));
    run_to(&mut sim, SimTime::from_mins(8));
    assert_eq!(count(&sim, "centralus"), (12, 0));
    // Scaling in takes effect at once.
    sim.act(Action::Scale {
        region: "centralus".into(),
        instances: 5,
    })
    .expect("within the SKU");
    assert_eq!(count(&sim, "centralus"), (5, 0));
    let report = sim.finish();
    let serving = &report.series.regions[1].instances_serving;
    assert_eq!((serving[299], serving[470], serving[490]), (8, 12, 5));

    // With autoscale the count becomes the floor: autoscale never goes below
    // it afterwards, through a quiet 12 minutes that would let it scale in.
    let mut sim = Sim::new(headline(false)).expect("valid");
    run_to(&mut sim, SimTime::from_mins(5));
    sim.act(Action::Scale {
        region: "centralus".into(),
        instances: 14,
    })
    .expect("within the SKU");
    run_to(&mut sim, SimTime::from_mins(8));
    assert_eq!(count(&sim, "centralus").0, 14);
    let report = sim.finish();
    let serving = &report.series.regions[1].instances_serving;
    assert!(serving[480..].iter().all(|&n| n >= 14), "{:?}", &serving[480..]);
}

#[test]
fn an_action_on_nothing_is_refused_with_the_field_and_leaves_the_run_alone() {
    use regionsim::Action;
    let mut sim = Sim::new(headline(true)).expect("valid");
    run_to(&mut sim, SimTime::from_mins(3));
    let untouched = sim.clone();
    let message = |e: regionsim::ScenarioError| match e {
        regionsim::ScenarioError::Invalid(list) => (list[0].path.clone(), list[0].message.clone()),
        other => panic!("{other}"),
    };
    let (path, text) = message(
        sim.act(Action::Drain {
            region: "westeurope".into(),
        })
        .unwrap_err(),
    );
    assert_eq!(path, "region");
    assert!(text.contains("eastus2, centralus"), "{text}");
    for n in [0, 31] {
        let (path, text) = message(
            sim.act(Action::Scale {
                region: "centralus".into(),
                instances: n,
            })
            .unwrap_err(),
        );
        assert_eq!(path, "instances");
        assert!(text.contains("1 to 30"), "{text}");
    }
    assert!(sim.finish() == untouched.finish(), "a refused action changed the run");
}

//! Bad input gets a clear message naming the field and what is allowed —
//! never a panic, never an attempt to allocate an absurd amount.

use regionsim::{bundled_by_name, Scenario, ScenarioError, HEADLINE};

fn headline() -> String {
    bundled_by_name(HEADLINE).unwrap().text.to_string()
}

fn err(text: &str) -> String {
    match Scenario::parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn unknown_fields_are_rejected_by_name() {
    let t = headline().replace("duration = \"60m\"", "duration = \"60m\"\ndurration = \"5m\"");
    let e = err(&t);
    assert!(e.contains("durration"), "{e}");
    let t = headline().replace(
        "probe_interval = \"30s\"",
        "probe_interval = \"30s\"\nprobe_intervall = \"5s\"",
    );
    assert!(err(&t).contains("probe_intervall"));
}

#[test]
fn every_invalid_field_is_reported_at_once_with_its_path() {
    let t = headline()
        .replace("successful_samples = 3", "successful_samples = 9")
        .replacen("weight = 50 ", "weight = 5000 ", 1)
        .replace("cooldown = \"5m\"", "cooldown = \"10s\"")
        .replace("rps = 450", "rps = -3");
    let errs = match Scenario::parse(&t) {
        Err(ScenarioError::Invalid(errs)) => errs,
        other => panic!("should be invalid field by field: {other:?}"),
    };
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    for want in [
        "routing.successful_samples",
        "routing.origins[0].weight",
        "regions[0].autoscale.cooldown",
        "regions[1].autoscale.cooldown",
        "populations[0].rate.rps",
    ] {
        assert!(paths.contains(&want), "{want} missing from {paths:?}");
    }
    let text = ScenarioError::Invalid(errs).to_string();
    assert!(text.contains("1–1000"), "says what is allowed: {text}");
}

#[test]
fn the_new_router_and_client_settings_are_checked_by_field() {
    let t = headline()
        .replace(
            "probe_interval = \"30s\"",
            "probe_interval = \"30s\"\nprobe_handshake_round_trips = 40\ntier = \"classic\"",
        )
        .replacen(
            "clients = 20000",
            "clients = 20000\ndns = { stale_shape = 1.0, reresolve_after_failures = 500 }\nretry = { budget = { max_tokens = 0, token_ratio = 2 }, circuit_breaker = { failures = 0, open_for = \"0s\" } }",
            1,
        )
        .replacen("name = \"centralus\"", "name = \"centralus\"\nretry_after = \"2h\"", 1);
    let errs = match Scenario::parse(&t) {
        Err(ScenarioError::Invalid(errs)) => errs,
        other => panic!("should be invalid field by field: {other:?}"),
    };
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    for want in [
        "routing.probe_handshake_round_trips",
        "routing.tier",
        "populations[0].dns.stale_shape",
        "populations[0].dns.reresolve_after_failures",
        "populations[0].retry.budget.max_tokens",
        "populations[0].retry.budget.token_ratio",
        "populations[0].retry.circuit_breaker.failures",
        "populations[0].retry.circuit_breaker.open_for",
        "regions[1].retry_after",
    ] {
        assert!(paths.contains(&want), "{want} missing from {paths:?}");
    }
    let text = ScenarioError::Invalid(errs).to_string();
    assert!(
        text.contains("dns.forever"),
        "the stale_shape message names the alternative: {text}"
    );
    assert!(
        text.contains("gateway_tier"),
        "the tier conflict names the design field: {text}"
    );
}

#[test]
fn absurd_sizes_are_refused_with_a_message() {
    let t = headline().replace("clients = 20000", "clients = 1000000000000");
    let e = err(&t);
    assert!(e.contains("populations") && e.contains("limit"), "{e}");
    let t = headline().replace("rps = 450", "rps = 1e9");
    let e = err(&t);
    assert!(e.contains("requests") && e.contains("limit"), "{e}");
    let t = headline().replace("duration = \"60m\"", "duration = \"400d\"");
    assert!(err(&t).contains("duration"));
    let t = headline().replace("workers_per_instance = 8", "workers_per_instance = 100000");
    assert!(err(&t).contains("workers_per_instance"));
}

#[test]
fn malformed_text_and_durations_are_explained() {
    let e = err("name = \"x\"\nduration = \"ten minutes\"\n");
    assert!(e.contains("duration") || e.contains("30s"), "{e}");
    let e = err(&headline().replace("start = \"10m\"", "start = 600"));
    assert!(e.contains("unit"), "{e}");
    let e = err("this is [not toml");
    assert!(e.contains("TOML"), "{e}");
    let e = err("{\"name\": 3}");
    assert!(
        e.contains("- name: invalid type") && e.contains("line 1 column 10"),
        "{e}"
    );
}

/// A value of the wrong shape names its field, every one is listed at once
/// (the first with its line and column), inside a variant's `set` too; a
/// byte-order mark is ignored, a JSON array is named as such, and a huge bad
/// line is not echoed whole.
#[test]
fn shape_errors_name_every_field_at_once() {
    let t = headline()
        .replacen("clients = 20000", "clients = \"many\"", 1)
        .replacen("rps = 450", "rps = \"fast\"", 1)
        .replacen("kind = \"region_outage\"", "kind = \"region_outrage\"", 1)
        .replacen("workers_per_instance = 8", "workers_per_instance = -8", 1);
    let errs = match Scenario::parse(&t) {
        Err(ScenarioError::Invalid(errs)) => errs,
        other => panic!("should list the fields: {other:?}"),
    };
    let paths: Vec<&str> = errs.iter().map(|e| e.path.as_str()).collect();
    for want in [
        "populations[0].clients",
        "populations[0].rate",
        "faults[0].kind",
        "regions[0].workers_per_instance",
    ] {
        assert!(paths.contains(&want), "{want} missing from {paths:?}");
    }
    assert!(
        errs.iter()
            .any(|e| e.message.contains("line ") && e.message.contains("column")),
        "{errs:?}"
    );
    let e = errs.iter().find(|e| e.path == "faults[0].kind").unwrap();
    assert!(
        e.message.contains("region_outage"),
        "the known values are listed: {}",
        e.message
    );

    // Inside a variant: the variant, then the scenario field the value lands in.
    let t = format!(
        "{}\n[[variants]]\nname = \"odd\"\nset = {{ \"regions.centralus.instances.initial\" = \"many\" }}\n",
        headline()
    );
    let e = err(&t);
    assert!(
        e.contains("variants[") && e.contains("regions[1].instances.initial") && e.contains("expected u32"),
        "{e}"
    );

    // A byte-order mark (as some editors write) is not part of the document.
    Scenario::parse(&format!("\u{feff}{}", headline())).expect("BOM ignored");
    // A JSON array is refused as such, not as bad TOML.
    let e = err("[{\"name\": \"x\"}]");
    assert!(e.contains("JSON") && e.contains("array"), "{e}");
    // A 5 MB one-line file: the message stays short.
    let e = err(&format!("name = \"{}", "x".repeat(5_000_000)));
    assert!(e.len() < 5_000, "{} bytes of message", e.len());
}

#[test]
fn unknown_places_list_what_is_known() {
    let e = err(&headline().replace("location = \"london\"", "location = \"atlantis\""));
    assert!(e.contains("atlantis") && e.contains("new_york"), "{e}");
    let e = err(&headline().replace("region = \"centralus\"\npriority", "region = \"mars\"\npriority"));
    assert!(e.contains("mars"), "{e}");
}

#[test]
fn json_scenarios_are_accepted() {
    let sc = Scenario::parse(&headline()).unwrap();
    let json = serde_json::to_string(&sc).unwrap();
    assert_eq!(Scenario::parse(&json).unwrap(), sc);
}

#[test]
fn sku_caps_are_enforced() {
    let t = headline().replace(
        "sku = \"premium_v3\"                # §4.3: up to 30 instances",
        "sku = \"standard\"",
    );
    let e = err(&t);
    assert!(e.contains("regions[0].instances.max") && e.contains("10"), "{e}");
}

mod fuzz {
    use proptest::prelude::*;
    use regionsim::{bundled, Scenario, Sim};

    fn values() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("0".to_string()),
            Just("-1".to_string()),
            Just("1e308".to_string()),
            Just("nan".to_string()),
            Just("\"\"".to_string()),
            Just("\"0s\"".to_string()),
            Just("\"99999999h\"".to_string()),
            Just("[]".to_string()),
            Just("{}".to_string()),
            Just("true".to_string()),
            any::<i64>().prop_map(|v| v.to_string()),
            any::<f64>().prop_map(|v| format!("{v:?}")),
            "[a-z_]{1,12}".prop_map(|s| format!("\"{s}\"")),
            "[ -~]{0,20}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Any bundled scenario with one value replaced by garbage either
        /// parses and builds, or is refused with a message: never a panic.
        #[test]
        fn mutated_scenarios_never_panic(which in 0usize..5, line in 0usize..200, value in values()) {
            let all = bundled();
            let text = all[which % all.len()].text;
            let lines: Vec<&str> = text.lines().collect();
            let i = line % lines.len();
            let mutated: Vec<String> = lines
                .iter()
                .enumerate()
                .map(|(j, l)| match (j == i, l.split_once('=')) {
                    (true, Some((k, _))) => format!("{k}= {value}"),
                    (true, None) => value.clone(),
                    _ => l.to_string(),
                })
                .collect();
            match Scenario::parse(&mutated.join("\n")) {
                Ok(sc) => {
                    let sim = Sim::new(sc);
                    prop_assert!(sim.is_ok());
                }
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }
}

#[test]
fn random_fault_settings_are_checked() {
    let e = err(&format!("{}\n[reliability]\nregion_mtbf = \"1m\"\n", headline()));
    assert!(e.contains("reliability.region_mtbf") && e.contains("10m"), "{e}");
    let e = err(&format!(
        "{}\n[reliability]\npop_mtbf = \"20m\"\n",
        headline().replace("duration = \"60m\"", "duration = \"7d\"")
    ));
    assert!(e.contains("reliability.pop_mtbf") && e.contains("limit is 500"), "{e}");
    let single = regionsim::bundled_by_name("single-region-before").unwrap().text;
    let e = err(&format!("{single}\n[reliability]\npop_mtbf = \"100h\"\n"));
    assert!(e.contains("anycast_l7"), "{e}");
}

#[test]
fn prices_must_be_prices() {
    let e = err(&headline().replace("egress_per_gb = 0.087", "egress_per_gb = -1.0"));
    assert!(e.contains("cost.egress_per_gb") && e.contains("from 0 to"), "{e}");
    // Finite but absurd: a month of it would overflow to inf.
    let e = err(&headline().replace("egress_per_gb = 0.087", "egress_per_gb = 1e308"));
    assert!(e.contains("cost.egress_per_gb") && e.contains("1e9"), "{e}");
    // At the bound the estimate is a finite number.
    let sc =
        Scenario::parse(&headline().replace("egress_per_gb = 0.087", "egress_per_gb = 1e9")).expect("at the bound");
    let mut short = sc.clone();
    short.duration = regionsim::SimDuration::from_mins(2);
    short.faults.clear();
    let c = regionsim::simulate(&short).expect("runs").summary.cost.expect("priced");
    assert!(c.total.is_finite() && c.egress.is_finite(), "{c:?}");
}

#[test]
fn the_time_series_is_bounded_at_validation() {
    // 7 populations and regions × 100,000 buckets of 108 ms over 3 h: 700,000
    // cells, over the 500,000 limit (about 0.6 KB each in memory).
    let h = headline().replace(
        "duration = \"60m\"",
        "duration = \"3h\"\nbucket = \"100ms\"\nmax_points = 100000",
    );
    let e = err(&h);
    assert!(
        e.contains("bucket") && e.contains("700000") && e.contains("widen"),
        "{e}"
    );
    // One hour of 100 ms buckets: 36,000 × 7 = 252,000 cells, accepted.
    let ok = headline().replace(
        "duration = \"60m\"",
        "duration = \"60m\"\nbucket = \"100ms\"\nmax_points = 100000",
    );
    assert!(Scenario::parse(&ok).is_ok());
}

#[test]
fn names_are_plain_short_text() {
    let h = headline();
    for (name, says) in [
        ("   ", "blank"),
        ("two\\nlines", "control character"),
        (&"x".repeat(5000), "at most 100"),
    ] {
        let e = err(&h.replacen("name = \"us-east\"", &format!("name = \"{name}\""), 1));
        assert!(e.contains("populations[0].name") && e.contains(says), "{e}");
    }
    let e = err(&h.replace("name = \"eastus2-fails-frontdoor\"", "name = \"\""));
    assert!(e.contains("name") && e.contains("empty"), "{e}");
}

#[test]
fn seeds_are_63_bit_everywhere() {
    // TOML integers stop at 2^63 − 1; JSON can say more, and is refused.
    let sc = Scenario::parse(&headline()).expect("valid");
    let mut json = serde_json::to_value(&sc).expect("json");
    json["seed"] = serde_json::Value::from(1u64 << 63);
    let e = err(&json.to_string());
    assert!(e.contains("seed") && e.contains("2^63"), "{e}");
    assert!(Scenario::parse(&headline().replace("seed = 42", "seed = 9223372036854775807")).is_ok());
    // Several seeds from the last one go on modulo 2^63, as documented.
    assert_eq!(regionsim::compare::seeds(i64::MAX as u64, 2), vec![i64::MAX as u64, 0]);
}

#[test]
fn design_facts_are_checked() {
    let h = headline();
    let e = err(&h.replace("hostname = \"api.contoso.com\"", "hostname = \"api contoso\""));
    assert!(e.contains("design.hostname") && e.contains("not a DNS name"), "{e}");
    let e = err(&h.replace("waf = \"custom_rules\"", "waf = \"managed\""));
    assert!(e.contains("managed_rules") && e.contains("custom_rules"), "{e}");
    let e = err(&h.replace(
        "logging = { global_region = \"eastus2\" }",
        "logging = { global_region = \"mars\" }",
    ));
    assert!(
        e.contains("design.logging.global_region") && e.contains("westus2"),
        "{e}"
    );
    let e = err(&h.replace("logging = { global_region = \"eastus2\" }", "logging = {}"));
    assert!(e.contains("design.logging") && e.contains("per_region = true"), "{e}");
    let mixed = bundled_by_name("origin-bypass-mid-migration").unwrap().text.to_string();
    let e = err(&mixed.replace("attack_share = 0.02", "attack_share = 0.02\nbypass_share = 0.99"));
    assert!(
        e.contains("populations[2].attack_share") && e.contains("must not exceed 1"),
        "{e}"
    );
    let e = err(&mixed.replace("attack_share = 0.02", "attack_share = 2"));
    assert!(
        e.contains("populations[2].attack_share") && e.contains("not a share"),
        "{e}"
    );
    let kv = bundled_by_name("design-reviewed").unwrap().text.to_string();
    let e = err(&kv.replace("geo_replicas = [\"centralus\"]", "geo_replicas = [\"eastus2\"]"));
    assert!(
        e.contains("data.singletons[0].geo_replicas[0]") && e.contains("already listed"),
        "{e}"
    );
    let e = err(&kv.replace("geo_replicas = [\"centralus\"]", "geo_replicas = [\"atlantis\"]"));
    assert!(
        e.contains("data.singletons[0].geo_replicas[0]") && e.contains("unknown region"),
        "{e}"
    );
}

/// The request limit counts what each profile really generates over the run
/// (its integral, checked here by hand), and the candidates thinning draws
/// at the peak within the run.
#[test]
fn the_request_limit_counts_what_the_profile_generates() {
    use regionsim::scenario::{RateProfile, RateStep};
    use regionsim::SimDuration as D;
    let hour = D::from_secs(3600);
    // Steps: 100/s for 600 s, 300/s to 1800 s, 50/s to the end; a step after
    // the end counts for nothing: 60,000 + 360,000 + 90,000.
    let steps = RateProfile::Steps {
        rps: 100.0,
        steps: vec![
            RateStep::new(D::from_secs(600), 300.0),
            RateStep::new(D::from_secs(1800), 50.0),
            RateStep::new(D::from_secs(7200), 1e9),
        ],
    };
    assert!((steps.expected_requests(hour) - 510_000.0).abs() < 1e-6);
    assert_eq!(steps.peak_rps_before(hour), 300.0);
    // Diurnal over a whole day: the mean × a day, whatever the amplitude;
    // over the 6 h after the peak: m (T + a · 86400/2π · sin(π/2)).
    let diurnal = RateProfile::Diurnal {
        mean_rps: 100.0,
        amplitude: 0.5,
        peak_at: D::ZERO,
    };
    assert!((diurnal.expected_requests(D::from_secs(86_400)) - 8_640_000.0).abs() < 1e-3);
    let quarter = 100.0 * (21_600.0 + 0.5 * 86_400.0 / (2.0 * std::f64::consts::PI));
    assert!((diurnal.expected_requests(D::from_secs(21_600)) - quarter).abs() < 1e-3);
    // Spike: base all run long, plus the extra over the part of the burst in the run.
    let spike = RateProfile::Spike {
        base_rps: 10.0,
        peak_rps: 110.0,
        at: D::from_secs(3000),
        duration: D::from_secs(1200),
    };
    assert!((spike.expected_requests(hour) - (36_000.0 + 100.0 * 600.0)).abs() < 1e-6);

    // A diurnal profile at its peak during the run (twice its mean) was
    // counted by its mean (5.0e9, at the limit) and passed: it generates 1e10.
    let diurnal = |mean: &str, peak_at: &str| {
        headline().replace(
            "rate = { kind = \"constant\", rps = 450 }",
            &format!("rate = {{ kind = \"diurnal\", mean_rps = {mean}, amplitude = 1.0, peak_at = \"{peak_at}\" }}"),
        )
    };
    let e = err(&diurnal("1.39e6", "30m"));
    assert!(
        e.contains("populations") && e.contains("would generate about 1.00e10"),
        "{e}"
    );
    // At its trough it generates few, but thinning draws candidates at the
    // peak (2 × 1.5e6 for an hour = 1.08e10): refused for that.
    let e = err(&diurnal("1.5e6", "12h"));
    assert!(
        e.contains("populations") && e.contains("peak rate") && e.contains("1.08e10"),
        "{e}"
    );
    // A huge step after the end of the run was counted (a false refusal): now accepted.
    let t = headline().replace(
        "rate = { kind = \"constant\", rps = 450 }",
        "rate = { kind = \"steps\", rps = 450, steps = [{ at = \"2h\", rps = 1e9 }] }",
    );
    let sc = Scenario::parse(&t).expect("a step after the end counts for nothing");
    // Nor does it slow the run: candidates come at 450/s, not 1e9/s (which
    // would take hours), and the population offers its 450/s.
    let mut sc = sc;
    sc.duration = D::from_secs(600);
    sc.faults.clear();
    let i = sc
        .populations
        .iter()
        .position(|p| matches!(p.rate, RateProfile::Steps { .. }))
        .unwrap();
    let report = regionsim::Sim::new(sc).unwrap().run();
    let offered = report.summary.populations[i].counts.offered as f64;
    let mean = 450.0 * 600.0;
    assert!(
        (offered - mean).abs() < 5.0 * mean.sqrt(),
        "{offered} offered, {mean} expected"
    );
}

/// Names that must name something: a Traffic Manager endpoint's `geo` entry,
/// and each unit of a duration once.
#[test]
fn geo_entries_and_duration_units_must_mean_something() {
    let tm = bundled_by_name("eastus2-fails-trafficmanager")
        .unwrap()
        .text
        .to_string();
    let t = tm.replace(
        "endpoints = [{ region = \"eastus2\" }, { region = \"centralus\" }]",
        "endpoints = [{ region = \"eastus2\", geo = [\"us-east\", \"nowhere\"] }, { region = \"centralus\", geo = [\"*\", \"chicago\"] }]",
    );
    let errs = match Scenario::parse(&t) {
        Err(ScenarioError::Invalid(errs)) => errs,
        other => panic!("should refuse the unknown geo entry: {other:?}"),
    };
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].path, "routing.endpoints[0].geo[1]");
    assert!(errs[0].message.contains("nowhere"), "{}", errs[0].message);
    // "5m5m" was read as ten minutes.
    let e = err(&headline().replace("duration = \"60m\"", "duration = \"5m5m\""));
    assert!(e.contains("duration") && e.contains("twice"), "{e}");
}

/// Every size limit, at its bound (accepted) and just over it (refused, with
/// the field named): validation alone, so the heavy ones cost nothing here.
#[test]
fn each_limit_holds_at_its_bound_and_refuses_just_over() {
    let h = headline();
    let single = regionsim::bundled_by_name("single-region-before")
        .unwrap()
        .text
        .to_string();
    // (label, accepted text, refused text, the field the refusal names)
    let cases: Vec<(&str, String, String, &str)> = vec![
        (
            "duration 7 days",
            h.replace("duration = \"60m\"", "duration = \"7d\"\nbucket = \"10m\""),
            h.replace("duration = \"60m\"", "duration = \"7d 1s\"\nbucket = \"10m\""),
            "duration",
        ),
        (
            "5,000,000 clients",
            h.replacen("clients = 20000", "clients = 4970000", 1),
            h.replacen("clients = 20000", "clients = 4970001", 1),
            "populations",
        ),
        (
            "5e9 requests (one population at 450/s, the rest with it)",
            h.replace("duration = \"60m\"", "duration = \"7d\"\nbucket = \"10m\"")
                .replacen("rps = 450", "rps = 7717", 1),
            h.replace("duration = \"60m\"", "duration = \"7d\"\nbucket = \"10m\"")
                .replacen("rps = 450", "rps = 7718", 1),
            "populations",
        ),
        // (The 200,000 worker slots of a region cannot be reached: the plans'
        // instance caps times 1,000 workers stay below it.)
        (
            "1,000 workers per instance",
            h.replacen("workers_per_instance = 8", "workers_per_instance = 1000", 1),
            h.replacen("workers_per_instance = 8", "workers_per_instance = 1001", 1),
            "regions[0].workers_per_instance",
        ),
        (
            "500,000 series cells",
            // 7 entities × 71,428 buckets of 100 ms ≈ 1 h 59 m.
            h.replace(
                "duration = \"60m\"",
                "duration = \"7142800ms\"\nbucket = \"100ms\"\nmax_points = 100000",
            ),
            h.replace(
                "duration = \"60m\"",
                "duration = \"7143000ms\"\nbucket = \"100ms\"\nmax_points = 100000",
            ),
            "bucket",
        ),
        (
            "a seed of 2^63 − 1",
            h.replace("seed = 42", "seed = 9223372036854775807"),
            // (TOML's integers stop there: the next one is a parse error at the seed's line.)
            h.replace("seed = 42", "seed = 9223372036854775808"),
            "seed",
        ),
        (
            "a price of 1e9",
            h.replace("egress_per_gb = 0.087", "egress_per_gb = 1e9"),
            h.replace("egress_per_gb = 0.087", "egress_per_gb = 1.000001e9"),
            "cost.egress_per_gb",
        ),
        (
            "a name of 100 characters",
            h.replace(
                "name = \"eastus2-fails-frontdoor\"",
                &format!("name = \"{}\"", "n".repeat(100)),
            ),
            h.replace(
                "name = \"eastus2-fails-frontdoor\"",
                &format!("name = \"{}\"", "n".repeat(101)),
            ),
            "name",
        ),
        (
            "64 variants",
            format!("{single}{}", variants(64)),
            format!("{single}{}", variants(65)),
            "variants",
        ),
    ];
    for (label, at, over, field) in cases {
        if let Err(e) = Scenario::parse(&at) {
            panic!("{label}: refused at the bound: {e}");
        }
        let e = err(&over);
        assert!(e.contains(field), "{label}: {e}");
    }
}

/// `n` distinct valid variants.
fn variants(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "\n[[variants]]\nname = \"v{i}\"\nset = {{ \"slo\" = {} }}\n",
                0.9 + i as f64 * 1e-4
            )
        })
        .collect()
}

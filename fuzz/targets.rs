//! What each fuzz target does with its input, and what it asserts: shared by
//! the libFuzzer binaries (`fuzz/fuzz_targets/`) and by the test that replays
//! the committed corpora (`tests/tests/it/fuzzed.rs`), so the two never
//! drift apart. Each function panics on a violated property and returns
//! whether the input got past the parser (a valid scenario, grid or merge).

// (Each fuzz binary uses one of these.)
#![allow(dead_code)]

use regionsim::{bundled, sweep, Scenario, ScenarioError};

/// Every refusal names its field (or, for a syntax error, says something).
fn check_refusal(e: &ScenarioError) {
    match e {
        ScenarioError::Invalid(errs) => {
            assert!(!errs.is_empty(), "a refusal without a reason");
            for x in errs {
                assert!(
                    !x.path.is_empty() && !x.message.is_empty(),
                    "an error without a path: {x:?}"
                );
            }
        }
        other => assert!(!other.to_string().trim().is_empty(), "a parse error without a message"),
    }
}

/// Events run after building a valid input: its start (arrivals, first DNS
/// answers and probes). The targets fuzz what a file or a parameter reaches
/// (decoders, validation, path setters, building); the simulation itself is
/// exercised by the property tests. (Up to 50,000 events per input spent
/// most of a campaign's time there: 500 inputs/s instead of 1,500.)
const STEPS: u32 = 2_000;

/// Per-client and per-key tables are built at these sizes at most. A bundled
/// scenario's 100,000 keys and up to 80,000 clients made building those
/// tables 40 % of a campaign's time (a Zipf weight and alias entry per key, a
/// DNS answer per client), the same loop on every input. Sizes are
/// validation's limits, which the hostile-input tests check at, under and
/// over each bound; the fuzzer's time goes to the shapes of scenarios.
const BUILT_CLIENTS: u64 = 200;
const BUILT_KEYS: u32 = 1_000;

/// Builds `sc` (validation accepted it: it must build) and runs its first
/// `steps` events, with its client and key counts capped (see [`BUILT_KEYS`]).
fn build_and_step(mut sc: Scenario, steps: u32) {
    for p in &mut sc.populations {
        p.clients = p.clients.min(BUILT_CLIENTS);
    }
    if let Some(d) = &mut sc.data {
        d.keys = d.keys.min(BUILT_KEYS);
    }
    let mut sim = regionsim::Sim::new(sc).unwrap_or_else(|e| panic!("validated, then refused: {e}"));
    for _ in 0..steps {
        if !sim.step() {
            break;
        }
    }
}

/// A bundled scenario picked by `pick`.
fn bundled_text(pick: u8) -> &'static str {
    let all = bundled();
    all[pick as usize % all.len()].text
}

/// The bundled scenario picked by `pick`, parsed once per process (a sweep
/// starts from an already-valid base; parsing it anew on every input spent
/// most of the target's time there rather than on the parameters).
fn bundled_parsed(pick: u8) -> &'static Scenario {
    static PARSED: std::sync::OnceLock<Vec<Scenario>> = std::sync::OnceLock::new();
    let all = PARSED.get_or_init(|| {
        bundled()
            .iter()
            .map(|b| Scenario::parse(b.text).expect("a bundled scenario is valid"))
            .collect()
    });
    &all[pick as usize % all.len()]
}

/// Any bytes as a scenario file: decoders, validation, variants and, when
/// valid, the first events of the scenario and of each variant.
pub fn scenario_text(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    let sc = match Scenario::parse(text) {
        Ok(sc) => sc,
        Err(e) => {
            check_refusal(&e);
            return false;
        }
    };
    let expanded = sc.expand_variants(&[]).expect("a valid scenario's variants expand");
    for (_, s) in expanded {
        build_and_step(s, STEPS);
    }
    true
}

/// A bundled scenario (first byte) with the rest as a variant's `set` table:
/// the variant path setter and every validation limit; a valid variant builds.
pub fn scenario_overrides(data: &[u8]) -> bool {
    let Some((&pick, rest)) = data.split_first() else {
        return false;
    };
    let Ok(set) = std::str::from_utf8(rest) else {
        return false;
    };
    let text = format!("{}\n[[variants]]\nname = \"fuzzed\"\nset = {set}\n", bundled_text(pick));
    let sc = match Scenario::parse(&text) {
        Ok(sc) => sc,
        Err(e) => {
            check_refusal(&e);
            return false;
        }
    };
    let expanded = sc
        .expand_variants(&["fuzzed".to_string()])
        .expect("a valid scenario's variant expands");
    let Some((_, variant)) = expanded.into_iter().find(|(n, _)| n == "fuzzed") else {
        panic!("the variant is missing")
    };
    build_and_step(variant, STEPS);
    true
}

/// A bundled scenario (first byte) and up to three `--param` lines: the
/// sweep's parser and path setter; every point of a valid grid validates, its corners build.
pub fn sweep_params(data: &[u8]) -> bool {
    let Some((&pick, rest)) = data.split_first() else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return false;
    };
    let base = bundled_parsed(pick);
    let mut params: Vec<sweep::Param> = text
        .lines()
        .take(3)
        .filter_map(|l| sweep::parse_param(l).ok())
        .collect();
    if params.is_empty() {
        return false;
    }
    // Every value was parsed; a grid too large for a sweep must be refused
    // (cheaply, before any point is made). Otherwise the first two values of
    // each parameter are applied: at most 8 points, so an input costs about a
    // millisecond, not the seconds of a 10,000-point grid (a value the
    // fuzzer wants tried moves to the front by mutation).
    let total = params
        .iter()
        .try_fold(1usize, |n, p| n.checked_mul(p.values.len()))
        .unwrap_or(usize::MAX);
    if total > sweep::MAX_POINTS {
        match sweep::points(base, &params) {
            Err(e) => check_refusal(&e),
            Ok(_) => panic!("a grid of {total} points was accepted"),
        }
        return false;
    }
    for p in &mut params {
        p.values.truncate(2);
    }
    match sweep::points(base, &params) {
        Ok(points) => {
            // Every point was validated; the grid's two corners (each
            // parameter's first values, then its last) are built and started.
            let n = points.len();
            for (i, p) in points.into_iter().enumerate() {
                if i == 0 || i + 1 == n {
                    build_and_step(p.scenario, STEPS);
                }
            }
            true
        }
        Err(e) => {
            check_refusal(&e);
            false
        }
    }
}

/// Up to eight shard CSVs separated by 0x01: `merge`; a merge that succeeds
/// is complete and stable (merging its output alone gives it back).
pub fn sweep_merge(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else {
        return false;
    };
    let files: Vec<(String, String)> = text
        .split('\u{1}')
        .take(8)
        .enumerate()
        .map(|(i, t)| (format!("shard-{i}.csv"), t.to_string()))
        .collect();
    let Ok(merged) = sweep::merge_csv(&files) else {
        return false;
    };
    assert!(merged.lines().count() >= 2, "a merge with no rows: {merged:?}");
    let again = sweep::merge_csv(&[("merged.csv".to_string(), merged.clone())]);
    assert_eq!(again.as_ref(), Ok(&merged), "merging a merged file changes it");
    true
}

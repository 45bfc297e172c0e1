//! The developer scripts outside CI refuse bad arguments before building or
//! running anything: exit status 2 and a message that names what is wanted.

use std::path::Path;
use std::process::Command;

/// Runs `scripts/<script>` with `args` from the repository root: (status, stderr).
fn script(script: &str, args: &[&str]) -> (Option<i32>, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new("bash")
        .arg(root.join("scripts").join(script))
        .args(args)
        .output()
        .expect("bash runs");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn speed_floor_refuses_a_count_of_rounds_that_is_not_a_whole_number_above_0() {
    for bad in ["abc", "0", "-3", "2.5", ""] {
        let (code, err) = script("speed-floor.sh", &[bad]);
        assert_eq!(code, Some(2), "PAIRS={bad:?}: {err}");
        assert!(
            err.contains("PAIRS must be a whole number above 0"),
            "PAIRS={bad:?}: {err}"
        );
        assert!(err.contains(&format!("(got '{bad}')")), "PAIRS={bad:?}: {err}");
    }
}

#[test]
fn fuzz_refuses_a_count_of_inputs_that_is_not_a_whole_number_above_0() {
    for args in [
        &["--runs"][..],
        &["--runs", "abc"],
        &["--runs", "0"],
        &["--check", "--runs", "-1"],
    ] {
        let (code, err) = script("fuzz.sh", args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("--runs needs a count of inputs (a whole number above 0)"),
            "{args:?}: {err}"
        );
    }
}

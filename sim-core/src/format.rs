//! How numbers are written for people — percentages, availability, seconds,
//! clock times — in one place, so that the report's text, the review, the
//! comparison table, fault descriptions and the web app write the same
//! number the same way.
//!
//! ```
//! use regionsim::format;
//! assert_eq!(format::availability(0.999534), "99.953 %");
//! assert_eq!(format::share(0.4567), "45.7 %");
//! assert_eq!(format::share(0.99953), "99.953 %"); // near 1, the digits that matter
//! assert_eq!(format::strength(0.005), "0.5 %");
//! assert_eq!(format::seconds(88.79), "89 s");
//! assert_eq!(format::clock(3725.0), "1:02:05");
//! assert_eq!(format::or_never(None::<f64>.map(format::seconds)), "never");
//! ```

/// What a time that never came is written as (a fault never mitigated).
pub const NEVER: &str = "never";

/// What a value that does not apply is written as (no data tier, no requests).
pub const NONE: &str = "—";

/// A share from 0 to 1 as a percentage with `decimals` decimals: `"45.7 %"`.
pub fn percent(x: f64, decimals: usize) -> String {
    format!("{:.decimals$} %", x * 100.0)
}

/// An availability (a share close to 1) with three decimals, where SLOs
/// live: `"99.953 %"`.
pub fn availability(x: f64) -> String {
    percent(x, 3)
}

/// A share with one decimal, or three between 99.9 % and 100 % (where one
/// decimal would round an SLO miss away): `"45.7 %"`, `"99.953 %"`.
pub fn share(x: f64) -> String {
    if (0.999..1.0).contains(&x) {
        percent(x, 3)
    } else {
        percent(x, 1)
    }
}

/// A setting's share (a fault's strength) with at most two decimals and no
/// trailing zeros: `"50 %"`, `"0.5 %"`.
pub fn strength(x: f64) -> String {
    let p = format!("{:.2}", x * 100.0);
    let p = p.trim_end_matches('0').trim_end_matches('.');
    format!("{p} %")
}

/// Seconds, whole: `"89 s"`.
pub fn seconds(s: f64) -> String {
    format!("{s:.0} s")
}

/// Milliseconds, whole, without the unit (for table columns headed `ms`).
pub fn millis(ms: f64) -> String {
    format!("{ms:.0}")
}

/// A time into the run as a clock: `"05:00"`, or `"1:02:05"` from an hour on.
pub fn clock(secs: f64) -> String {
    let s = secs.max(0.0) as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// The text, or [`NEVER`].
pub fn or_never(text: Option<String>) -> String {
    text.unwrap_or_else(|| NEVER.to_string())
}

/// The text, or [`NONE`].
pub fn or_none(text: Option<String>) -> String {
    text.unwrap_or_else(|| NONE.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_rounds_as_documented() {
        assert_eq!(percent(0.12345, 2), "12.35 %");
        assert_eq!(availability(1.0), "100.000 %");
        assert_eq!(share(0.9995), "99.950 %");
        assert_eq!(share(0.95), "95.0 %");
        assert_eq!(share(1.0), "100.0 %");
        assert_eq!(strength(0.5), "50 %");
        assert_eq!(strength(0.123), "12.3 %");
        assert_eq!(seconds(0.4), "0 s");
        assert_eq!(millis(108.5), "108");
        assert_eq!(clock(299.9), "04:59");
        assert_eq!(clock(-3.0), "00:00");
        assert_eq!(or_none(None), "—");
        assert_eq!(or_never(Some("3 s".into())), "3 s");
    }
}

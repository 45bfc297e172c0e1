//! Simulated time: [`SimTime`] (an instant) and [`SimDuration`] (a span), both
//! integer microseconds. No floating-point time ever enters the event queue.
//!
//! Durations are written in scenario files as human strings (`"30s"`, `"5m"`,
//! `"1h 30m"`, `"250ms"`) and serialised back the same way.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// Microseconds per second.
pub const MICROS_PER_SEC: u64 = 1_000_000;

/// An instant of simulated time, in microseconds since the run started.
///
/// ```
/// use regionsim::{SimDuration, SimTime};
/// let t = SimTime::from_mins(2) + SimDuration::from_millis(250);
/// assert_eq!(t, SimTime::from_micros(120_250_000));
/// assert_eq!(format!("{t:?}"), "SimTime(2m 250ms)");
/// assert_eq!(t.to_string(), "02:00");
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SimTime(pub u64);

/// A span of simulated time, in microseconds.
///
/// ```
/// use regionsim::SimDuration;
/// let d = SimDuration::from_secs(90);
/// assert_eq!(format!("{d:?}"), "SimDuration(1m 30s)");
/// assert_eq!(d.to_string(), "1m 30s");
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(pub u64);

impl fmt::Debug for SimTime {
    /// The time since the start as a duration: `SimTime(2m 250ms)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SimTime({})", SimDuration(self.0))
    }
}

impl fmt::Debug for SimDuration {
    /// `SimDuration(1m 30s)`, not raw microseconds.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SimDuration({self})")
    }
}

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0);
    /// `us` microseconds after the start.
    pub const fn from_micros(us: u64) -> Self {
        SimTime(us)
    }
    /// `ms` milliseconds after the start.
    pub const fn from_millis(ms: u64) -> Self {
        SimTime(ms * 1_000)
    }
    /// `s` seconds after the start.
    pub const fn from_secs(s: u64) -> Self {
        SimTime(s * MICROS_PER_SEC)
    }
    /// `m` minutes after the start.
    pub const fn from_mins(m: u64) -> Self {
        SimTime(m * 60 * MICROS_PER_SEC)
    }
    /// Microseconds since the start.
    pub fn as_micros(self) -> u64 {
        self.0
    }
    /// Seconds since the start, as a float (for reports only, never for scheduling).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MICROS_PER_SEC as f64
    }
    /// The span from `earlier` to `self`, zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);
    /// A span of whole microseconds.
    pub const fn from_micros(us: u64) -> Self {
        SimDuration(us)
    }
    /// A span of whole milliseconds.
    pub const fn from_millis(ms: u64) -> Self {
        SimDuration(ms * 1_000)
    }
    /// A span of whole seconds.
    pub const fn from_secs(s: u64) -> Self {
        SimDuration(s * MICROS_PER_SEC)
    }
    /// A span of whole minutes.
    pub const fn from_mins(m: u64) -> Self {
        SimDuration(m * 60 * MICROS_PER_SEC)
    }
    /// A span of whole hours.
    pub const fn from_hours(h: u64) -> Self {
        SimDuration(h * 3_600 * MICROS_PER_SEC)
    }
    /// A span from fractional seconds, rounded to the nearest microsecond
    /// (negative and NaN inputs give zero).
    pub fn from_secs_f64(s: f64) -> Self {
        if s.is_nan() || s <= 0.0 {
            SimDuration(0)
        } else {
            SimDuration((s * MICROS_PER_SEC as f64 + 0.5) as u64)
        }
    }
    /// Whole microseconds.
    pub fn as_micros(self) -> u64 {
        self.0
    }
    /// Seconds as a float (for reports and rates, never for scheduling).
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MICROS_PER_SEC as f64
    }
    /// Milliseconds as a float.
    pub fn as_millis_f64(self) -> f64 {
        self.0 as f64 / 1_000.0
    }
    /// `self * k`, saturating.
    pub fn times(self, k: u64) -> Self {
        SimDuration(self.0.saturating_mul(k))
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}
impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, d: SimDuration) {
        self.0 = self.0.saturating_add(d.0);
    }
}
impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(d.0))
    }
}
impl Sub for SimDuration {
    type Output = SimDuration;
    fn sub(self, d: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_sub(d.0))
    }
}

impl fmt::Display for SimDuration {
    /// Formats as a scenario-file string: `"30s"`, `"1h 30m"`, `"250ms"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        let d = std::time::Duration::from_micros(self.0);
        write!(f, "{}", humantime::format_duration(d))
    }
}

impl fmt::Display for SimTime {
    /// Formats as `mm:ss` (or `h:mm:ss`) from the start of the run.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0 / MICROS_PER_SEC;
        if s >= 3600 {
            write!(f, "{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
        } else {
            write!(f, "{:02}:{:02}", s / 60, s % 60)
        }
    }
}

impl std::str::FromStr for SimDuration {
    type Err = String;
    /// Parses `"30s"`, `"5m"`, `"1h 30m"`, `"250ms"`, `"0"`: the scenario
    /// format's durations; the error says what is wrong and what is expected.
    fn from_str(text: &str) -> Result<SimDuration, String> {
        parse_duration(text)
    }
}

/// Parses `"30s"`, `"5m"`, `"1h 30m"`, `"250ms"`, `"0"`.
pub fn parse_duration(text: &str) -> Result<SimDuration, String> {
    let t = text.trim();
    if t == "0" {
        return Ok(SimDuration::ZERO);
    }
    if let Some(unit) = repeated_unit(t) {
        return Err(format!(
            "{t:?} gives the unit {unit:?} twice; write each unit once, like \"1h 30m\" or \"90m\""
        ));
    }
    match humantime::parse_duration(t) {
        Ok(d) => {
            let us = d.as_micros();
            u64::try_from(us)
                .map(SimDuration)
                .map_err(|_| format!("duration {t:?} is too long"))
        }
        Err(e) => Err(format!(
            "{t:?} is not a duration ({e}); write it like \"30s\", \"5m\", \"1h 30m\" or \"250ms\""
        )),
    }
}

/// A unit written twice in a duration (`"5m5m"`: humantime adds them up, which
/// is more likely a typo than a wish), in its canonical spelling.
fn repeated_unit(text: &str) -> Option<&'static str> {
    let canonical = |u: &str| -> &'static str {
        match u {
            "nanos" | "nsec" | "ns" => "ns",
            "usec" | "us" | "µs" => "us",
            "msec" | "ms" => "ms",
            "seconds" | "second" | "sec" | "secs" | "s" => "s",
            "minutes" | "minute" | "min" | "mins" | "m" => "m",
            "hours" | "hour" | "hr" | "hrs" | "h" => "h",
            "days" | "day" | "d" => "d",
            "weeks" | "week" | "w" => "w",
            "months" | "month" | "M" => "M",
            "years" | "year" | "y" => "y",
            _ => "?",
        }
    };
    let mut seen: Vec<&'static str> = Vec::new();
    for unit in text
        .split(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '.')
        .filter(|u| !u.is_empty())
    {
        let c = canonical(unit);
        if c != "?" && seen.contains(&c) {
            return Some(c);
        }
        seen.push(c);
    }
    None
}

impl Serialize for SimDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for SimDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = SimDuration;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration string like \"30s\", \"5m\" or \"250ms\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SimDuration, E> {
                parse_duration(v).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<SimDuration, E> {
                if v == 0 {
                    Ok(SimDuration::ZERO)
                } else {
                    Err(E::custom(format!(
                        "bare number {v}: write a unit, like \"{v}s\" or \"{v}ms\""
                    )))
                }
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<SimDuration, E> {
                if v == 0 {
                    Ok(SimDuration::ZERO)
                } else {
                    Err(E::custom(format!(
                        "bare number {v}: write a unit, like \"{v}s\" or \"{v}ms\""
                    )))
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_round_trip() {
        for (s, us) in [
            ("30s", 30_000_000),
            ("5m", 300_000_000),
            ("250ms", 250_000),
            ("1h 30m", 5_400_000_000),
            ("0", 0),
        ] {
            let d = parse_duration(s).unwrap();
            assert_eq!(d.as_micros(), us, "{s}");
            assert_eq!(parse_duration(&d.to_string()).unwrap(), d);
        }
    }

    #[test]
    fn rejects_garbage_with_a_hint() {
        let e = parse_duration("thirty").unwrap_err();
        assert!(e.contains("30s"), "{e}");
    }

    #[test]
    fn a_unit_written_twice_is_refused() {
        for bad in ["5m5m", "5 min 3m", "1h 2s 3 sec"] {
            let e = parse_duration(bad).unwrap_err();
            assert!(e.contains("twice"), "{bad}: {e}");
        }
        for good in ["1h 30m 15s 250ms", "90 minutes", "1m30s", "2.5s"] {
            parse_duration(good).unwrap_or_else(|e| panic!("{good}: {e}"));
        }
    }

    #[test]
    fn time_display_is_clock_like() {
        assert_eq!(SimTime(61 * MICROS_PER_SEC).to_string(), "01:01");
        assert_eq!(SimTime(3723 * MICROS_PER_SEC).to_string(), "1:02:03");
    }
}

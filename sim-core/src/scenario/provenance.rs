//! Where the router settings a run uses come from: documented by Microsoft,
//! seen in its samples, assumed by this tool, or chosen by the scenario.
//! The report carries this list ([`RouterSettings`]), so a figure never
//! reads as a fact when it rests on an assumption.

use super::defaults::*;
use super::{FrontDoorDefaults, FrontDoorTier, MonitorRule, Routing, Scenario};
use serde::{Deserialize, Serialize};
use std::fmt::Display;

/// What a setting's value rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Basis {
    /// A documented default or behaviour (AZURE_FACTS marks it `[DOC]`).
    Documented,
    /// A value seen in Microsoft's samples or portal, not a documented default.
    Sampled,
    /// Not documented: this tool's assumption (see the note).
    Assumed,
    /// Set by the scenario to a value other than the default.
    Scenario,
}

impl Basis {
    /// Its name as in reports (`documented`, `sampled`, `assumed`, `scenario`).
    pub fn name(self) -> &'static str {
        match self {
            Basis::Documented => "documented",
            Basis::Sampled => "sampled",
            Basis::Assumed => "assumed",
            Basis::Scenario => "scenario",
        }
    }
}

/// One router setting of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RouterSetting {
    /// Its scenario path, e.g. `routing.probe_interval`.
    pub name: String,
    /// The value the run used, as written in a scenario file.
    pub value: String,
    /// What it rests on.
    pub basis: Basis,
    /// Its source (AZURE_FACTS section) or what is assumed.
    pub note: String,
}

/// The router a run used and where each of its settings comes from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RouterSettings {
    /// Routing kind (`direct`, `dns`, `anycast_l7`, `anycast_l4`).
    pub kind: String,
    /// Front Door's tier (`standard`, `premium`, `classic`): its defaults apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// The settings that decide how fast traffic leaves a failed region.
    pub settings: Vec<RouterSetting>,
}

impl RouterSettings {
    /// The settings that rest on an assumption.
    pub fn assumed(&self) -> impl Iterator<Item = &RouterSetting> {
        self.settings.iter().filter(|s| s.basis == Basis::Assumed)
    }
}

struct List(Vec<RouterSetting>);

impl List {
    /// A setting whose default has basis `basis`: the scenario's own value
    /// when it differs from `default`.
    fn add<T: PartialEq + Display>(&mut self, name: &str, value: T, default: T, basis: Basis, note: &str) {
        let basis = if value == default { basis } else { Basis::Scenario };
        self.0.push(RouterSetting {
            name: format!("routing.{name}"),
            value: value.to_string(),
            basis,
            note: note.to_string(),
        });
    }

    /// A setting that is an assumption whatever its value (an undocumented rule).
    fn assumed(&mut self, name: &str, value: impl Display, note: String) {
        self.0.push(RouterSetting {
            name: format!("routing.{name}"),
            value: value.to_string(),
            basis: Basis::Assumed,
            note,
        });
    }
}

/// The router settings of `sc` and their basis.
pub fn router_settings(sc: &Scenario) -> RouterSettings {
    let mut l = List(Vec::new());
    let mut tier = None;
    use Basis::*;
    match &sc.routing {
        Routing::Direct(_) => {}
        Routing::Dns(t) => {
            l.add(
                "ttl",
                t.ttl,
                dns_ttl(),
                Sampled,
                "§2: no service default; the portal shows 60 s, samples 30–300 s",
            );
            l.add(
                "probe_interval",
                t.probe_interval,
                tm_probe_interval(),
                Documented,
                "§2: 30 s normal, 10 s fast",
            );
            l.add(
                "probe_timeout",
                t.probe_timeout,
                tm_probe_timeout(),
                Documented,
                "§2: 10 s at a 30 s interval",
            );
            l.add(
                "tolerated_failures",
                t.tolerated_failures,
                tm_tolerated(),
                Documented,
                "§2: default 3",
            );
            let n = t.monitoring_locations.len();
            l.0.push(RouterSetting {
                name: "routing.monitoring_locations".into(),
                value: format!("{n} metros"),
                basis: if t.monitoring_locations == tm_locations() { Assumed } else { Scenario },
                note: "§2: probes come from many agent locations (an older FAQ lists about 24 addresses); which, and how many, is not documented".into(),
            });
            l.assumed(
                "degraded_when",
                t.degraded_when,
                format!(
                    "{}; §2 documents per-location judging but not how locations combine{}",
                    t.degraded_when.describe(n),
                    if t.degraded_when == MonitorRule::Majority {
                        " (default)"
                    } else {
                        ""
                    }
                ),
            );
            l.add(
                "lookup_time",
                t.lookup_time,
                dns_lookup_time(),
                Assumed,
                "a recursive resolver's answer; not in the facts sheet",
            );
        }
        Routing::AnycastL7(f) => {
            let t = f.effective_tier(sc.design.as_ref());
            tier = Some(t.name().to_string());
            let def = FrontDoorDefaults::of(t);
            // Classic's defaults are its API's (documented); Standard and
            // Premium's are what the portal and samples set (sampled).
            let by_tier = |classic: &'static str, standard: &'static str| {
                if t == FrontDoorTier::Classic {
                    (Documented, classic)
                } else {
                    (Sampled, standard)
                }
            };
            let (interval_basis, interval_note) = by_tier(
                "§1.3: classic API default 30 s",
                "§1.3: Standard/Premium portal and samples 100 s (the API says 240 s)",
            );
            l.add(
                "probe_interval",
                f.probe_interval,
                def.probe_interval,
                interval_basis,
                interval_note,
            );
            l.add("sample_size", f.sample_size, def.sample_size, Documented, "§1.3: 4");
            let (ok_basis, ok_note) = by_tier(
                "§1.3: classic API default 2 of 4",
                "§1.3: 3 of 4 is common for Standard/Premium",
            );
            l.add(
                "successful_samples",
                f.successful_samples,
                def.successful_samples,
                ok_basis,
                ok_note,
            );
            l.add(
                "probe_timeout",
                f.probe_timeout,
                afd_origin_timeout(),
                Assumed,
                "no probe timeout is documented: the origin response timeout (§1.4) is used",
            );
            let (lat_basis, lat_note) = by_tier(
                "§1.3: classic additional latency default 0 ms",
                "§1.2/§1.3: 50 ms common portal value",
            );
            l.add(
                "latency_sensitivity",
                f.latency_sensitivity,
                def.latency_sensitivity,
                lat_basis,
                lat_note,
            );
            l.assumed(
                "latency_average",
                format!("mean of last {}", f.sample_size),
                "§1.2: each POP measures and keeps each origin's probe latency; how it averages is not documented: the mean over the health window's length".to_string(),
            );
            l.add(
                "probe_handshake_round_trips",
                f.probe_handshake_round_trips,
                handshake_rtts(),
                Assumed,
                "§1.2: every probe opens a fresh connection and its latency includes the setup; 3 round trips (TCP + TLS, §1.1's lower bound) assumes HTTPS probes",
            );
            l.add(
                "origin_response_timeout",
                f.origin_response_timeout,
                afd_origin_timeout(),
                Documented,
                "§1.4: 30 s, range 16–240 s",
            );
        }
        Routing::AnycastL4(c) => {
            l.add(
                "global_probe_interval",
                c.global_probe_interval,
                l4_global_interval(),
                Documented,
                "§3: the global LB polls each regional LB every 5 s",
            );
            l.add(
                "regional_probe_interval",
                c.regional_probe_interval,
                l4_regional_interval(),
                Documented,
                "§3: 15 s default, 5 s minimum",
            );
            l.add(
                "probe_threshold",
                c.probe_threshold,
                l4_threshold(),
                Documented,
                "§3: 2 consecutive failures",
            );
        }
    }
    RouterSettings {
        kind: sc.routing.kind_name().to_string(),
        tier,
        settings: l.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{bundled_by_name, DnsRouting};
    use crate::time::SimDuration;

    fn tm(edit: impl FnOnce(&mut DnsRouting)) -> Scenario {
        let text = bundled_by_name("eastus2-fails-trafficmanager").expect("bundled").text;
        let mut sc = Scenario::parse(text).expect("valid");
        match &mut sc.routing {
            Routing::Dns(t) => edit(t),
            other => panic!("{other:?}"),
        }
        sc
    }

    fn setting(s: &RouterSettings, name: &str) -> RouterSetting {
        s.settings.iter().find(|x| x.name == name).cloned().expect("listed")
    }

    #[test]
    fn the_combining_rule_is_always_an_assumption() {
        for (rule, value) in [
            (MonitorRule::Majority, "majority"),
            (MonitorRule::Any, "any"),
            (MonitorRule::AtLeast(3), "3"),
        ] {
            let s = router_settings(&tm(|t| t.degraded_when = rule));
            let r = setting(&s, "routing.degraded_when");
            assert_eq!((r.value.as_str(), r.basis), (value, Basis::Assumed));
        }
    }

    #[test]
    fn a_changed_value_is_the_scenarios() {
        let s = router_settings(&tm(|t| t.tolerated_failures = 1));
        let r = setting(&s, "routing.tolerated_failures");
        assert_eq!((r.value.as_str(), r.basis), ("1", Basis::Scenario));
        let s = router_settings(&tm(|t| t.probe_interval = SimDuration::from_secs(30)));
        assert_eq!(setting(&s, "routing.probe_interval").basis, Basis::Documented);
    }

    #[test]
    fn rules_are_written_as_names_or_counts() {
        let read = |v: serde_json::Value| serde_json::from_value::<MonitorRule>(v).map_err(|e| e.to_string());
        assert_eq!(read("any".into()), Ok(MonitorRule::Any));
        assert_eq!(read("all".into()), Ok(MonitorRule::All));
        assert_eq!(read(5.into()), Ok(MonitorRule::AtLeast(5)));
        assert!(read("most".into()).is_err_and(|e| e.contains("\"majority\"")));
        assert!(read(0.into()).is_err());
        assert_eq!(serde_json::to_value(MonitorRule::AtLeast(2)).ok(), Some(2.into()));
        assert_eq!(
            serde_json::to_value(MonitorRule::Majority).ok(),
            Some("majority".into())
        );
        // Thresholds: of 8 locations, a majority is 5; of 1, every rule is 1.
        assert_eq!(MonitorRule::Majority.threshold(8), 5);
        assert_eq!(MonitorRule::Majority.threshold(7), 4);
        for r in [
            MonitorRule::Any,
            MonitorRule::Majority,
            MonitorRule::All,
            MonitorRule::AtLeast(1),
        ] {
            assert_eq!(r.threshold(1), 1);
        }
    }

    const FD: &str = r#"
        name = "tiers"
        duration = "1m"
        [routing]
        kind = "anycast_l7"
        TIER
        origins = [{ region = "eastus2" }]
        [[regions]]
        name = "eastus2"
        instances = { initial = 1 }
        service_time = { kind = "constant", value = "10ms" }
        [[populations]]
        name = "p"
        location = "new_york"
        rate = { kind = "constant", rps = 1 }
        DESIGN
    "#;

    fn fd(tier: &str, design: &str) -> Result<Scenario, String> {
        Scenario::parse(&FD.replace("TIER", tier).replace("DESIGN", design)).map_err(|e| e.to_string())
    }

    fn front_door(sc: &Scenario) -> &crate::scenario::FrontDoorRouting {
        match &sc.routing {
            Routing::AnycastL7(f) => f,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn front_door_defaults_follow_the_tier_and_never_mix() {
        // Standard (stated, by the design, or by default) and Premium: the
        // sampled 100 s, 3 of 4, 50 ms (facts §1.3).
        for (tier, design) in [
            ("", ""),
            ("tier = \"standard\"", ""),
            ("tier = \"premium\"", ""),
            ("", "[design]\ngateway_tier = \"premium\""),
        ] {
            let sc = fd(tier, design).expect("valid");
            let f = front_door(&sc);
            assert_eq!(
                (
                    f.probe_interval,
                    f.sample_size,
                    f.successful_samples,
                    f.latency_sensitivity
                ),
                (SimDuration::from_secs(100), 4, 3, SimDuration::from_millis(50)),
                "{tier} {design}"
            );
            let s = router_settings(&sc);
            assert_eq!(setting(&s, "routing.probe_interval").basis, Basis::Sampled);
            assert_ne!(s.tier.as_deref(), Some("classic"));
        }
        // Classic: its documented API defaults, every one of them.
        let sc = fd("tier = \"classic\"", "").expect("valid");
        let f = front_door(&sc);
        assert_eq!(
            (
                f.probe_interval,
                f.sample_size,
                f.successful_samples,
                f.latency_sensitivity
            ),
            (SimDuration::from_secs(30), 4, 2, SimDuration::ZERO)
        );
        let s = router_settings(&sc);
        assert_eq!(s.tier.as_deref(), Some("classic"));
        for name in ["probe_interval", "successful_samples", "latency_sensitivity"] {
            assert_eq!(
                setting(&s, &format!("routing.{name}")).basis,
                Basis::Documented,
                "{name}"
            );
        }
        // A value the scenario states is the scenario's on either tier.
        let sc = fd("tier = \"classic\"\nprobe_interval = \"100s\"", "").expect("valid");
        assert_eq!(
            setting(&router_settings(&sc), "routing.probe_interval").basis,
            Basis::Scenario
        );
        let sc = fd("probe_interval = \"30s\"", "").expect("valid");
        let s = router_settings(&sc);
        assert_eq!(s.tier.as_deref(), Some("standard"));
        assert_eq!(setting(&s, "routing.probe_interval").basis, Basis::Scenario);
    }

    #[test]
    fn a_tier_that_disagrees_with_the_design_is_refused() {
        let e = fd("tier = \"classic\"", "[design]\ngateway_tier = \"premium\"").expect_err("conflict");
        assert!(e.contains("routing.tier") && e.contains("gateway_tier"), "{e}");
        let e = fd("tier = \"gold\"", "").expect_err("unknown tier");
        assert!(e.contains("classic"), "{e}");
        assert!(fd("tier = \"premium\"", "[design]\ngateway_tier = \"premium\"").is_ok());
    }
}

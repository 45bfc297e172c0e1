//! Ready-made variant sets built from one scenario: routing kinds, probe
//! intervals, headroom against autoscale, data consistency.

use super::Variant;
use crate::scenario::{Routing, RoutingKind, Scenario};
use crate::time::SimDuration;

/// Ready-made comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Preset {
    /// Front Door (anycast L7) against Traffic Manager (DNS), defaults for both.
    FrontDoorVsTrafficManager,
    /// The router's probe interval: fast against slow (30 s vs 100 s for Front
    /// Door, 10 s vs 30 s for Traffic Manager, 5 s vs 15 s for the L4 balancer).
    ProbeInterval,
    /// Every region pre-sized to carry all traffic at 70 % utilisation
    /// ("overprovisioned", AZURE_FACTS §8), against the scenario's own sizing
    /// with autoscale.
    HeadroomVsAutoscale,
    /// The data tier's consistency: strong, session, eventual (single write
    /// region), and multi-region writes with session (AZURE_FACTS §5).
    Consistency,
}

impl Preset {
    /// Every preset, for pickers.
    pub const ALL: [Preset; 4] = [
        Preset::FrontDoorVsTrafficManager,
        Preset::ProbeInterval,
        Preset::HeadroomVsAutoscale,
        Preset::Consistency,
    ];

    /// A stable identifier (`routing`, `probe_interval`, `headroom`).
    pub fn id(self) -> &'static str {
        match self {
            Preset::FrontDoorVsTrafficManager => "routing",
            Preset::ProbeInterval => "probe_interval",
            Preset::HeadroomVsAutoscale => "headroom",
            Preset::Consistency => "consistency",
        }
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            Preset::FrontDoorVsTrafficManager => "Front Door vs Traffic Manager",
            Preset::ProbeInterval => "Fast vs slow health probes",
            Preset::HeadroomVsAutoscale => "Headroom vs autoscale",
            Preset::Consistency => "Data consistency: strong, session, eventual, multi-write",
        }
    }

    /// The preset with this [`Preset::id`].
    pub fn from_id(id: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The variants of `base` this preset compares.
    pub fn variants(self, base: &Scenario) -> Vec<Variant> {
        // A preset compares designs of the scenario itself, not of its variants.
        let mut own = base.clone();
        own.variants.clear();
        let base = &own;
        let regions: Vec<String> = base.regions.iter().map(|r| r.name.clone()).collect();
        let with_routing = |kind: RoutingKind| {
            let mut s = base.clone();
            if s.routing.kind() != kind {
                if let Some(r) = Routing::with_defaults(kind, &regions) {
                    s.routing = r;
                }
            }
            s
        };
        match self {
            Preset::FrontDoorVsTrafficManager => vec![
                Variant {
                    name: "Front Door".into(),
                    scenario: with_routing(RoutingKind::AnycastL7),
                },
                Variant {
                    name: "Traffic Manager".into(),
                    scenario: with_routing(RoutingKind::Dns),
                },
            ],
            Preset::ProbeInterval => {
                let (fast, slow) = match &base.routing {
                    Routing::Dns(_) => (10, 30),
                    Routing::AnycastL4(_) => (5, 15),
                    _ => (30, 100),
                };
                let mk = |secs: u64| {
                    let mut s = if matches!(base.routing, Routing::Direct(_)) {
                        with_routing(RoutingKind::AnycastL7)
                    } else {
                        base.clone()
                    };
                    let d = SimDuration::from_secs(secs);
                    match &mut s.routing {
                        Routing::Dns(x) => {
                            x.probe_interval = d;
                            x.probe_timeout =
                                x.probe_timeout
                                    .min(SimDuration::from_secs(if secs == 10 { 9 } else { 10 }));
                        }
                        Routing::AnycastL7(x) => x.probe_interval = d,
                        Routing::AnycastL4(x) => x.regional_probe_interval = d,
                        Routing::Direct(_) => {}
                    }
                    Variant {
                        name: format!("probe every {secs} s"),
                        scenario: s,
                    }
                };
                vec![mk(fast), mk(slow)]
            }
            Preset::HeadroomVsAutoscale => {
                let mut head = base.clone();
                let total_rps: f64 = base.populations.iter().map(|p| p.rate.peak_rps()).sum();
                for r in &mut head.regions {
                    let per_instance = r.workers_per_instance as f64 / r.service_time.mean().as_secs_f64().max(1e-9);
                    let need = (total_rps / (per_instance * 0.7)).ceil() as u32;
                    let cap = r
                        .instances
                        .max
                        .unwrap_or(r.sku.max_instances())
                        .min(r.sku.max_instances());
                    r.instances.initial = need.clamp(1, cap);
                    r.instances.min = None;
                    r.instances.max = Some(cap.max(r.instances.initial));
                    r.autoscale = None;
                }
                vec![
                    Variant {
                        name: "headroom (N+1, no autoscale)".into(),
                        scenario: head,
                    },
                    Variant {
                        name: "as configured (autoscale)".into(),
                        scenario: base.clone(),
                    },
                ]
            }
            Preset::Consistency => {
                use crate::scenario::{Consistency, DataTier, WriteMode};
                let Some(data) = &base.data else { return Vec::new() };
                [
                    ("strong", WriteMode::Single, Consistency::Strong),
                    ("session", WriteMode::Single, Consistency::Session),
                    ("eventual", WriteMode::Single, Consistency::Eventual),
                    ("multi-write session", WriteMode::Multi, Consistency::Session),
                ]
                .into_iter()
                .map(|(name, mode, level)| {
                    let mut s = base.clone();
                    s.data = Some(DataTier {
                        write_mode: mode,
                        consistency: level,
                        ..data.clone()
                    });
                    Variant {
                        name: name.into(),
                        scenario: s,
                    }
                })
                .collect()
            }
        }
    }
}

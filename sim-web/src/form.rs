//! The scenario form: the key parameters as the user typed them (strings, so
//! nothing typed is ever lost), turned into a scenario by [`Form::apply`],
//! which reports every problem against the field that caused it.

use regionsim::scenario::{Autoscale, Fault, FaultKind, HealthDepth, MonitorRule, RateProfile, Routing, RoutingKind};
use regionsim::{Scenario, ScenarioError, SimDuration};
use std::collections::BTreeMap;

/// One region's editable settings.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionForm {
    /// Region name (not editable here).
    pub name: String,
    /// Initial instances.
    pub initial: String,
    /// Autoscale ceiling.
    pub max: String,
    /// Autoscale on.
    pub autoscale: bool,
}

/// One population's editable settings.
#[derive(Clone, Debug, PartialEq)]
pub struct PopulationForm {
    /// Name (not editable here).
    pub name: String,
    /// Requests per second (constant profiles only; None otherwise).
    pub rps: Option<String>,
}

/// The form's fields, as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub seed: String,
    pub duration: String,
    pub routing: String,
    pub probe_interval: String,
    pub sample_size: String,
    pub successful_samples: String,
    pub tolerated_failures: String,
    pub ttl: String,
    /// Traffic Manager: how monitoring locations combine (`any`, `majority`, `all`, or k).
    pub degraded_when: String,
    pub health_depth: String,
    /// Data tier (empty strings without one).
    pub consistency: String,
    pub write_mode: String,
    pub failover: String,
    /// Design facts for the review (`""`: not stated).
    pub gateway_tier: String,
    pub waf: String,
    pub origin_lock: String,
    pub regions: Vec<RegionForm>,
    pub populations: Vec<PopulationForm>,
    pub fault_kind: String,
    pub fault_target: String,
    pub fault_start: String,
    pub fault_duration: String,
    /// Strength: the failing share (brown-out, gray failure) or the share of
    /// instances lost (capacity loss), in percent.
    pub fault_share: String,
    /// Brown-out: added latency.
    pub fault_latency: String,
    /// Gray failure: `yes` when a deep health check sees it.
    pub fault_deep: String,
}

/// Messages per field id (`"ttl"`, `"region0.max"`, `"general"`).
pub type FieldErrors = BTreeMap<String, Vec<String>>;

fn d(x: SimDuration) -> String {
    x.to_string()
}

impl Form {
    /// The form showing `sc`.
    pub fn from_scenario(sc: &Scenario) -> Form {
        let mut f = Form {
            seed: sc.seed.to_string(),
            duration: d(sc.duration),
            routing: sc.routing.kind_name().to_string(),
            probe_interval: String::new(),
            sample_size: String::new(),
            successful_samples: String::new(),
            tolerated_failures: String::new(),
            ttl: String::new(),
            degraded_when: String::new(),
            health_depth: enum_name(&sc.health.depth),
            consistency: sc.data.as_ref().map(|d| enum_name(&d.consistency)).unwrap_or_default(),
            write_mode: sc.data.as_ref().map(|d| enum_name(&d.write_mode)).unwrap_or_default(),
            failover: sc.data.as_ref().map(|d| enum_name(&d.failover)).unwrap_or_default(),
            gateway_tier: sc
                .design
                .as_ref()
                .and_then(|d| d.gateway_tier)
                .map(|x| enum_name(&x))
                .unwrap_or_default(),
            waf: sc
                .design
                .as_ref()
                .and_then(|d| d.waf)
                .map(|x| enum_name(&x))
                .unwrap_or_default(),
            origin_lock: sc
                .design
                .as_ref()
                .and_then(|d| d.origin_lock)
                .map(|x| enum_name(&x))
                .unwrap_or_default(),
            regions: sc
                .regions
                .iter()
                .map(|r| RegionForm {
                    name: r.name.clone(),
                    initial: r.instances.initial.to_string(),
                    max: r.instances.max.unwrap_or(r.sku.max_instances()).to_string(),
                    autoscale: r.autoscale.is_some(),
                })
                .collect(),
            populations: sc
                .populations
                .iter()
                .map(|p| PopulationForm {
                    name: p.name.clone(),
                    rps: match p.rate {
                        RateProfile::Constant { rps } => Some(format!("{rps}")),
                        _ => None,
                    },
                })
                .collect(),
            fault_kind: "none".into(),
            fault_target: sc.regions.first().map(|r| r.name.clone()).unwrap_or_default(),
            fault_start: "10m".into(),
            fault_duration: "30m".into(),
            fault_share: String::new(),
            fault_latency: String::new(),
            fault_deep: String::new(),
        };
        f.fill_routing(&sc.routing);
        if let Some(flt) = sc.faults.first() {
            f.fault_kind = flt.kind_name().into();
            f.fault_target = flt.target().into();
            f.fault_start = d(flt.start());
            f.fault_duration = d(flt.duration());
            f.fill_fault_strength(flt);
        }
        f
    }

    fn fill_routing(&mut self, r: &Routing) {
        match r {
            Routing::Direct(_) => {}
            Routing::Dns(x) => {
                self.probe_interval = d(x.probe_interval);
                self.tolerated_failures = x.tolerated_failures.to_string();
                self.ttl = d(x.ttl);
                self.degraded_when = x.degraded_when.to_string();
            }
            Routing::AnycastL7(x) => {
                self.probe_interval = d(x.probe_interval);
                self.sample_size = x.sample_size.to_string();
                self.successful_samples = x.successful_samples.to_string();
            }
            Routing::AnycastL4(x) => self.probe_interval = d(x.regional_probe_interval),
            // A router the form has no fields for: its settings stay the file's.
            _ => {}
        }
    }

    /// Shows the strength of `f` in the strength fields (kinds without one
    /// leave them as they are).
    fn fill_fault_strength(&mut self, f: &Fault) {
        match f {
            Fault::BrownOut {
                error_rate,
                added_latency,
                ..
            } => {
                self.fault_share = share_text(*error_rate);
                self.fault_latency = d(*added_latency);
            }
            Fault::CapacityLoss { fraction, .. } => self.fault_share = share_text(*fraction),
            Fault::GrayFailure {
                error_rate,
                deep_check_detects,
                ..
            } => {
                self.fault_share = share_text(*error_rate);
                self.fault_deep = if *deep_check_detects { "yes" } else { "no" }.into();
            }
            _ => {}
        }
    }

    /// Switches the fault kind, filling its strength with the scenario's own
    /// fault of that kind, else the kind's defaults.
    pub fn set_fault_kind(&mut self, kind: &str, base: &Scenario) {
        self.fault_kind = kind.to_string();
        let fault = match base.faults.first() {
            Some(f) if f.kind_name() == kind => Some(f.clone()),
            _ => kind
                .parse::<FaultKind>()
                .ok()
                .and_then(|k| Fault::with_defaults(k, &self.fault_target, SimDuration::ZERO, SimDuration::ZERO)),
        };
        if let Some(f) = fault {
            self.fill_fault_strength(&f);
        }
    }

    /// Sets the strength of `f` from the strength fields. A field showing
    /// what `f` already has leaves it exactly as it is.
    fn apply_fault_strength(&self, f: &mut Fault, add: &mut impl FnMut(&str, String)) {
        let mut share = |x: &mut f64, what: &str| {
            if self.fault_share.trim() == share_text(*x) {
                return;
            }
            match self.fault_share.trim().trim_end_matches('%').trim().parse::<f64>() {
                Ok(v) if (0.0..=100.0).contains(&v) => *x = v / 100.0,
                _ => add(
                    "fault.share",
                    format!(
                        "{:?} is not a share of {what}: give a percentage from 0 to 100",
                        self.fault_share
                    ),
                ),
            }
        };
        match f {
            Fault::BrownOut {
                error_rate,
                added_latency,
                ..
            } => {
                share(error_rate, "requests");
                if self.fault_latency.trim() != d(*added_latency) {
                    match self.fault_latency.parse::<SimDuration>() {
                        Ok(v) => *added_latency = v,
                        Err(e) => add("fault.latency", e),
                    }
                }
            }
            Fault::CapacityLoss { fraction, .. } => share(fraction, "instances"),
            Fault::GrayFailure {
                error_rate,
                deep_check_detects,
                ..
            } => {
                share(error_rate, "requests");
                *deep_check_detects = self.fault_deep != "no";
            }
            _ => {}
        }
    }

    /// Switches the routing kind, filling its fields with the defaults.
    pub fn set_routing_kind(&mut self, kind: &str, base: &Scenario) {
        self.routing = kind.to_string();
        let names: Vec<String> = base.regions.iter().map(|r| r.name.clone()).collect();
        if base.routing.kind_name() == kind {
            self.fill_routing(&base.routing);
        } else if let Some(r) = kind
            .parse::<RoutingKind>()
            .ok()
            .and_then(|k| Routing::with_defaults(k, &names))
        {
            self.fill_routing(&r);
        }
    }

    /// The current text of field `key` (as used by [`Form::set`]).
    pub fn get(&self, key: &str) -> String {
        let indexed = |prefix: &str| {
            key.strip_prefix(prefix)
                .and_then(|r| r.split('.').next())
                .and_then(|i| i.parse::<usize>().ok())
        };
        match key {
            "seed" => self.seed.clone(),
            "duration" => self.duration.clone(),
            "probe_interval" => self.probe_interval.clone(),
            "sample_size" => self.sample_size.clone(),
            "successful_samples" => self.successful_samples.clone(),
            "tolerated_failures" => self.tolerated_failures.clone(),
            "ttl" => self.ttl.clone(),
            "degraded_when" => self.degraded_when.clone(),
            "health_depth" => self.health_depth.clone(),
            "consistency" => self.consistency.clone(),
            "write_mode" => self.write_mode.clone(),
            "failover" => self.failover.clone(),
            "design.gateway_tier" => self.gateway_tier.clone(),
            "design.waf" => self.waf.clone(),
            "design.origin_lock" => self.origin_lock.clone(),
            "fault.kind" => self.fault_kind.clone(),
            "fault.target" => self.fault_target.clone(),
            "fault.start" => self.fault_start.clone(),
            "fault.duration" => self.fault_duration.clone(),
            "fault.share" => self.fault_share.clone(),
            "fault.latency" => self.fault_latency.clone(),
            "fault.deep" => self.fault_deep.clone(),
            _ => {
                if let Some(r) = indexed("region").and_then(|i| self.regions.get(i)) {
                    if key.ends_with(".initial") {
                        return r.initial.clone();
                    }
                    if key.ends_with(".max") {
                        return r.max.clone();
                    }
                    return r.autoscale.to_string();
                }
                if let Some(p) = indexed("pop").and_then(|i| self.populations.get(i)) {
                    return p.rps.clone().unwrap_or_default();
                }
                String::new()
            }
        }
    }

    /// Stores what the user typed into field `key` (`"ttl"`, `"region1.max"`,
    /// `"region0.autoscale"` with `"true"`/`"false"`, `"pop2.rps"`, …).
    /// Routing kind changes go through [`Form::set_routing_kind`].
    pub fn set(&mut self, key: &str, value: String) {
        let indexed = |prefix: &str| {
            key.strip_prefix(prefix)
                .and_then(|r| r.split('.').next())
                .and_then(|i| i.parse::<usize>().ok())
        };
        match key {
            "seed" => self.seed = value,
            "duration" => self.duration = value,
            "probe_interval" => self.probe_interval = value,
            "sample_size" => self.sample_size = value,
            "successful_samples" => self.successful_samples = value,
            "tolerated_failures" => self.tolerated_failures = value,
            "ttl" => self.ttl = value,
            "degraded_when" => self.degraded_when = value,
            "health_depth" => self.health_depth = value,
            "consistency" => self.consistency = value,
            "write_mode" => self.write_mode = value,
            "failover" => self.failover = value,
            "design.gateway_tier" => self.gateway_tier = value,
            "design.waf" => self.waf = value,
            "design.origin_lock" => self.origin_lock = value,
            "fault.kind" => self.fault_kind = value,
            "fault.target" => self.fault_target = value,
            "fault.start" => self.fault_start = value,
            "fault.duration" => self.fault_duration = value,
            "fault.share" => self.fault_share = value,
            "fault.latency" => self.fault_latency = value,
            "fault.deep" => self.fault_deep = value,
            _ => {
                if let Some(r) = indexed("region").and_then(|i| self.regions.get_mut(i)) {
                    if key.ends_with(".initial") {
                        r.initial = value;
                    } else if key.ends_with(".max") {
                        r.max = value;
                    } else if key.ends_with(".autoscale") {
                        r.autoscale = value == "true";
                    }
                } else if let Some(p) = indexed("pop").and_then(|i| self.populations.get_mut(i)) {
                    p.rps = Some(value);
                }
            }
        }
    }

    /// Builds the scenario: `base` with this form's values. On failure, every
    /// problem is reported against its field.
    pub fn apply(&self, base: &Scenario) -> Result<Scenario, FieldErrors> {
        let mut errs = FieldErrors::new();
        let mut add = |k: &str, m: String| errs.entry(k.to_string()).or_default().push(m);
        let mut sc = base.clone();
        match self.seed.trim().parse::<u64>() {
            Ok(s) if s <= i64::MAX as u64 => sc.seed = s,
            _ => add(
                "seed",
                format!(
                    "{:?} is not a seed: use a whole number from 0 to {}",
                    self.seed,
                    i64::MAX
                ),
            ),
        }
        match self.duration.parse::<SimDuration>() {
            Ok(x) => sc.duration = x,
            Err(e) => add("duration", e),
        }
        let dur = |k: &str, v: &str, add: &mut dyn FnMut(&str, String)| match v.parse::<SimDuration>() {
            Ok(x) => Some(x),
            Err(e) => {
                add(k, e);
                None
            }
        };
        let num = |k: &str, v: &str, add: &mut dyn FnMut(&str, String)| match v.trim().parse::<u32>() {
            Ok(x) => Some(x),
            Err(_) => {
                add(k, format!("{v:?} is not a whole number"));
                None
            }
        };
        // Routing: keep the base's settings when the kind is unchanged.
        let names: Vec<String> = base.regions.iter().map(|r| r.name.clone()).collect();
        let mut routing = if base.routing.kind_name() == self.routing {
            base.routing.clone()
        } else {
            match self.routing.parse::<RoutingKind>() {
                Ok(k) => Routing::with_defaults(k, &names).unwrap_or_else(|| base.routing.clone()),
                Err(e) => {
                    add("routing", e);
                    base.routing.clone()
                }
            }
        };
        match &mut routing {
            Routing::Direct(_) => {}
            Routing::Dns(x) => {
                if let Some(v) = dur("probe_interval", &self.probe_interval, &mut add) {
                    x.probe_interval = v;
                    // Keep the timeout inside what the interval allows (§2).
                    x.probe_timeout = x.probe_timeout.min(if v == SimDuration::from_secs(10) {
                        SimDuration::from_secs(9)
                    } else {
                        SimDuration::from_secs(10)
                    });
                }
                if let Some(v) = num("tolerated_failures", &self.tolerated_failures, &mut add) {
                    x.tolerated_failures = v;
                }
                if let Some(v) = dur("ttl", &self.ttl, &mut add) {
                    x.ttl = v;
                }
                match serde_json::from_value::<MonitorRule>(rule_value(&self.degraded_when)) {
                    Ok(v) => x.degraded_when = v,
                    Err(e) => add("degraded_when", e.to_string()),
                }
            }
            Routing::AnycastL7(x) => {
                if let Some(v) = dur("probe_interval", &self.probe_interval, &mut add) {
                    x.probe_interval = v;
                }
                if let Some(v) = num("sample_size", &self.sample_size, &mut add) {
                    x.sample_size = v;
                }
                if let Some(v) = num("successful_samples", &self.successful_samples, &mut add) {
                    x.successful_samples = v;
                }
            }
            Routing::AnycastL4(x) => {
                if let Some(v) = dur("probe_interval", &self.probe_interval, &mut add) {
                    x.regional_probe_interval = v;
                }
            }
            _ => {}
        }
        sc.routing = routing;
        sc.health.depth = if self.health_depth == "deep" {
            HealthDepth::Deep
        } else {
            HealthDepth::Shallow
        };
        if let Some(d) = &mut sc.data {
            let choices = [
                ("consistency", &self.consistency),
                ("write_mode", &self.write_mode),
                ("failover", &self.failover),
            ];
            for (key, text) in choices {
                let quoted = serde_json::Value::String(text.clone());
                let ok = match key {
                    "consistency" => serde_json::from_value(quoted).map(|v| d.consistency = v).is_ok(),
                    "write_mode" => serde_json::from_value(quoted).map(|v| d.write_mode = v).is_ok(),
                    _ => serde_json::from_value(quoted).map(|v| d.failover = v).is_ok(),
                };
                if !ok {
                    add(key, format!("{text:?} is not a {key} choice"));
                }
            }
        }
        // Design facts: "" leaves a fact unstated.
        let chosen = [&self.gateway_tier, &self.waf, &self.origin_lock];
        if sc.design.is_some() || chosen.iter().any(|t| !t.is_empty()) {
            let d = sc.design.get_or_insert_with(Default::default);
            for (key, text) in [
                ("design.gateway_tier", &self.gateway_tier),
                ("design.waf", &self.waf),
                ("design.origin_lock", &self.origin_lock),
            ] {
                let quoted = serde_json::Value::String(text.clone());
                let ok = match (key, text.is_empty()) {
                    ("design.gateway_tier", true) => {
                        d.gateway_tier = None;
                        true
                    }
                    ("design.waf", true) => {
                        d.waf = None;
                        true
                    }
                    (_, true) => {
                        d.origin_lock = None;
                        true
                    }
                    ("design.gateway_tier", false) => {
                        serde_json::from_value(quoted).map(|v| d.gateway_tier = Some(v)).is_ok()
                    }
                    ("design.waf", false) => serde_json::from_value(quoted).map(|v| d.waf = Some(v)).is_ok(),
                    _ => serde_json::from_value(quoted).map(|v| d.origin_lock = Some(v)).is_ok(),
                };
                if !ok {
                    add(key, format!("{text:?} is not a choice for {key}"));
                }
            }
        }
        for (i, rf) in self.regions.iter().enumerate() {
            let Some(r) = sc.regions.get_mut(i) else {
                continue;
            };
            if let Some(v) = num(&format!("region{i}.initial"), &rf.initial, &mut add) {
                r.instances.initial = v;
                if r.instances.min.is_some_and(|m| m > v) {
                    r.instances.min = Some(v);
                }
            }
            if let Some(v) = num(&format!("region{i}.max"), &rf.max, &mut add) {
                r.instances.max = Some(v);
            }
            match (rf.autoscale, r.autoscale.is_some()) {
                (true, false) => r.autoscale = Some(Autoscale::default()),
                (false, true) => r.autoscale = None,
                _ => {}
            }
        }
        for (i, pf) in self.populations.iter().enumerate() {
            let (Some(text), Some(p)) = (&pf.rps, sc.populations.get_mut(i)) else {
                continue;
            };
            match text.trim().parse::<f64>() {
                Ok(v) => p.rate = RateProfile::Constant { rps: v },
                Err(_) => add(
                    &format!("pop{i}.rps"),
                    format!("{text:?} is not a number of requests per second"),
                ),
            }
        }
        // The first fault is the form's; any others stay as they are.
        if self.fault_kind == "none" {
            if !sc.faults.is_empty() {
                sc.faults.remove(0);
            }
        } else {
            let start = dur("fault.start", &self.fault_start, &mut add);
            let length = dur("fault.duration", &self.fault_duration, &mut add);
            if let (Some(s), Some(l)) = (start, length) {
                let same_kind = base
                    .faults
                    .first()
                    .is_some_and(|f| f.kind_name() == self.fault_kind && f.target() == self.fault_target);
                let fault = if same_kind {
                    let mut f = base.faults[0].clone();
                    f.set_times(s, l);
                    Some(f)
                } else {
                    self.fault_kind
                        .parse::<FaultKind>()
                        .ok()
                        .and_then(|k| Fault::with_defaults(k, &self.fault_target, s, l))
                };
                let fault = fault.map(|mut f| {
                    self.apply_fault_strength(&mut f, &mut add);
                    f
                });
                match fault {
                    Some(f) if sc.faults.is_empty() => sc.faults.push(f),
                    Some(f) => sc.faults[0] = f,
                    None => add("fault.kind", format!("unknown fault kind {:?}", self.fault_kind)),
                }
            }
        }
        // The file's variants are overrides of the scenario as written: when the
        // form's changes make one of them invalid, the variants are dropped
        // rather than block the run.
        if let Err(ScenarioError::Invalid(list)) = sc.validate() {
            if !list.is_empty() && list.iter().all(|e| e.path.starts_with("variants")) {
                sc.variants.clear();
            }
        }
        // Validate what did parse too, so every problem shows at once; a field
        // that did not parse keeps only its own message.
        match sc.validate() {
            Ok(()) => {}
            Err(ScenarioError::Invalid(list)) => {
                let unparsed: Vec<String> = errs.keys().cloned().collect();
                for e in list {
                    let field = field_of(&e.path);
                    if !unparsed.contains(&field) {
                        // Beside its field the message needs no path; an error
                        // no field shows keeps it.
                        let text = if field == "general" {
                            e.to_string()
                        } else {
                            e.message.clone()
                        };
                        errs.entry(field).or_default().push(text);
                    }
                }
            }
            Err(e) => errs.entry("general".to_string()).or_default().push(e.to_string()),
        }
        if errs.is_empty() {
            Ok(sc)
        } else {
            Err(errs)
        }
    }
}

/// A share 0–1 as the percentage the form shows ("50", "12.5").
fn share_text(x: f64) -> String {
    format!("{}", x * 100.0)
}

/// The scenario-file name of a unit enum value (`Consistency::BoundedStaleness` → `bounded_staleness`).
fn enum_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|x| x.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A typed combining rule as a scenario value: a count stays a number.
fn rule_value(typed: &str) -> serde_json::Value {
    let t = typed.trim();
    match t.parse::<u32>() {
        Ok(k) => serde_json::Value::from(k),
        Err(_) => serde_json::Value::from(t),
    }
}

/// The form field a validation path belongs to (`"general"` if none).
pub fn field_of(path: &str) -> String {
    let idx = |prefix: &str| -> Option<usize> {
        let rest = path.strip_prefix(prefix)?;
        rest.split(']').next()?.parse().ok()
    };
    let direct = match path {
        "seed" | "duration" => Some(path.to_string()),
        "routing.probe_interval" | "routing.regional_probe_interval" | "routing.probe_timeout" => {
            Some("probe_interval".into())
        }
        "routing.sample_size" => Some("sample_size".into()),
        "routing.successful_samples" => Some("successful_samples".into()),
        "routing.tolerated_failures" => Some("tolerated_failures".into()),
        "routing.ttl" => Some("ttl".into()),
        "routing.degraded_when" => Some("degraded_when".into()),
        "data.consistency" => Some("consistency".into()),
        "populations" => Some("pop0.rps".into()),
        _ => None,
    };
    if let Some(f) = direct {
        return f;
    }
    if let Some(i) = idx("regions[") {
        return if path.ends_with(".max") {
            format!("region{i}.max")
        } else {
            format!("region{i}.initial")
        };
    }
    if let Some(i) = idx("populations[") {
        return format!("pop{i}.rps");
    }
    if idx("faults[") == Some(0) {
        return if path.ends_with(".error_rate") || path.ends_with(".fraction") {
            "fault.share".into()
        } else if path.ends_with(".added_latency") {
            "fault.latency".into()
        } else if path.ends_with(".start") {
            "fault.start".into()
        } else if path.ends_with(".duration") {
            "fault.duration".into()
        } else {
            "fault.target".into()
        };
    }
    "general".into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use regionsim::{bundled_by_name, HEADLINE};

    fn headline() -> Scenario {
        Scenario::parse(bundled_by_name(HEADLINE).unwrap().text).unwrap()
    }

    #[test]
    fn an_untouched_form_gives_back_the_scenario() {
        let sc = headline();
        assert_eq!(Form::from_scenario(&sc).apply(&sc).unwrap(), sc);
    }

    #[test]
    fn bad_values_are_reported_on_their_field_and_the_text_is_kept() {
        let sc = headline();
        let mut f = Form::from_scenario(&sc);
        f.probe_interval = "0s".into();
        f.regions[0].max = "99".into();
        f.populations[1].rps = Some("lots".into());
        f.fault_start = "soon".into();
        let errs = f.apply(&sc).unwrap_err();
        assert!(
            errs.contains_key("pop1.rps") && errs.contains_key("fault.start"),
            "{errs:?}"
        );
        assert!(
            errs.contains_key("probe_interval"),
            "validation errors show alongside parse errors: {errs:?}"
        );
        // Fix the parse errors: now validation speaks, per field.
        f.populations[1].rps = Some("150".into());
        f.fault_start = "10m".into();
        let errs = f.apply(&sc).unwrap_err();
        assert!(errs["probe_interval"][0].contains("1s"), "{errs:?}");
        assert!(errs["region0.max"][0].contains("cap"), "{errs:?}");
        assert_eq!(f.probe_interval, "0s", "what was typed is still there");
    }

    #[test]
    fn switching_routing_and_fault_builds_valid_scenarios() {
        let sc = headline();
        for kind in ["direct", "dns", "anycast_l4", "anycast_l7"] {
            let mut f = Form::from_scenario(&sc);
            f.set_routing_kind(kind, &sc);
            for fk in FaultKind::ALL.iter().filter(|k| k.acts_on_stamp()).map(|k| k.name()) {
                f.set_fault_kind(fk, &sc);
                let s = f.apply(&sc).unwrap_or_else(|e| panic!("{kind}/{fk}: {e:?}"));
                assert_eq!(s.routing.kind_name(), kind);
                assert_eq!(s.faults[0].kind_name(), fk);
            }
        }
    }

    #[test]
    fn fault_strengths_apply_and_are_checked_beside_their_fields() {
        let sc = headline();
        let mut f = Form::from_scenario(&sc);
        f.set_fault_kind("brown_out", &sc);
        assert_eq!((f.fault_share.as_str(), f.fault_latency.as_str()), ("50", "500ms"));
        f.set("fault.share", "12.5".into());
        f.set("fault.latency", "2s".into());
        let s = f.apply(&sc).unwrap();
        match &s.faults[0] {
            Fault::BrownOut {
                error_rate,
                added_latency,
                ..
            } => assert_eq!((*error_rate, *added_latency), (0.125, SimDuration::from_secs(2))),
            other => panic!("{other:?}"),
        }
        f.set_fault_kind("capacity_loss", &sc);
        f.set("fault.share", "75 %".into());
        match &f.apply(&sc).unwrap().faults[0] {
            Fault::CapacityLoss { fraction, .. } => assert_eq!(*fraction, 0.75),
            other => panic!("{other:?}"),
        }
        f.set_fault_kind("gray_failure", &sc);
        f.set("fault.deep", "no".into());
        match &f.apply(&sc).unwrap().faults[0] {
            Fault::GrayFailure {
                error_rate,
                deep_check_detects,
                ..
            } => assert_eq!((*error_rate, *deep_check_detects), (0.5, false)),
            other => panic!("{other:?}"),
        }
        // Bad strengths: reported against their fields, what was typed kept.
        f.set_fault_kind("brown_out", &sc);
        f.set("fault.share", "150".into());
        f.set("fault.latency", "soon".into());
        let errs = f.apply(&sc).unwrap_err();
        assert!(errs["fault.share"][0].contains("0 to 100"), "{errs:?}");
        assert!(errs["fault.latency"][0].contains("soon"), "{errs:?}");
        assert_eq!(f.fault_share, "150");
    }

    #[test]
    fn a_scenario_s_own_fault_strength_round_trips_exactly() {
        let mut sc = headline();
        sc.faults[0] = Fault::BrownOut {
            region: "eastus2".into(),
            start: SimDuration::from_secs(600),
            duration: SimDuration::from_secs(600),
            error_rate: 0.07,
            added_latency: SimDuration::from_micros(1_234_567),
        };
        let f = Form::from_scenario(&sc);
        assert_eq!(f.fault_share, share_text(0.07));
        assert_eq!(f.apply(&sc).unwrap(), sc, "untouched fields change nothing");
        // Switching away and back restores the scenario's own strength.
        let mut f = f;
        f.set_fault_kind("capacity_loss", &sc);
        f.set_fault_kind("brown_out", &sc);
        assert_eq!(f.apply(&sc).unwrap(), sc);
    }

    #[test]
    fn design_choices_apply_and_an_empty_choice_leaves_the_fact_unstated() {
        let sc = headline();
        let mut f = Form::from_scenario(&sc);
        assert_eq!(
            (f.gateway_tier.as_str(), f.waf.as_str(), f.origin_lock.as_str()),
            ("standard", "custom_rules", "service_tag")
        );
        f.set("design.origin_lock", "private_link".into());
        f.set("design.gateway_tier", "premium".into());
        f.set("design.waf", "".into());
        let d = f.apply(&sc).unwrap().design.unwrap();
        assert_eq!(d.origin_lock, Some(regionsim::scenario::OriginLock::PrivateLink));
        assert_eq!(d.gateway_tier, Some(regionsim::scenario::GatewayTier::Premium));
        assert_eq!(d.waf, None);
        assert_eq!(d.hostname.as_deref(), Some("api.contoso.com"), "the rest is kept");
        f.set("design.waf", "firewall".into());
        let errs = f.apply(&sc).unwrap_err();
        assert!(errs["design.waf"][0].contains("firewall"), "{errs:?}");
        // A scenario without a [design] table keeps none when nothing is chosen.
        let mut plain = sc.clone();
        plain.design = None;
        assert_eq!(Form::from_scenario(&plain).apply(&plain).unwrap().design, None);
    }

    #[test]
    fn data_tier_choices_apply_and_strong_multi_write_is_refused_on_the_field() {
        let sc = headline();
        let mut f = Form::from_scenario(&sc);
        assert_eq!((f.consistency.as_str(), f.write_mode.as_str()), ("session", "single"));
        f.set("consistency", "strong".into());
        let s = f.apply(&sc).unwrap();
        assert_eq!(s.data.unwrap().consistency, regionsim::scenario::Consistency::Strong);
        f.set("write_mode", "multi".into());
        let errs = f.apply(&sc).unwrap_err();
        assert!(errs["consistency"][0].contains("strong"), "{errs:?}");
    }

    #[test]
    fn traffic_manager_rule_is_read_and_checked() {
        let sc = headline();
        let mut f = Form::from_scenario(&sc);
        f.set_routing_kind("dns", &sc);
        assert_eq!(f.get("degraded_when"), "majority");
        f.set("degraded_when", " 3 ".into());
        match f.apply(&sc).map(|s| s.routing) {
            Ok(Routing::Dns(x)) => assert_eq!(x.degraded_when, MonitorRule::AtLeast(3)),
            other => panic!("{other:?}"),
        }
        f.set("degraded_when", "most".into());
        let errs = f.apply(&sc).unwrap_err();
        assert!(errs["degraded_when"][0].contains("majority"), "{errs:?}");
        f.set("degraded_when", "99".into());
        let errs = f.apply(&sc).unwrap_err();
        assert!(errs["degraded_when"][0].contains("at most 8"), "{errs:?}");
    }

    #[test]
    fn fault_none_removes_it() {
        let sc = headline();
        let mut f = Form::from_scenario(&sc);
        f.fault_kind = "none".into();
        assert!(f.apply(&sc).unwrap().faults.is_empty());
    }

    #[test]
    fn set_and_get_address_every_field() {
        let sc = headline();
        let mut f = Form::from_scenario(&sc);
        for key in [
            "seed",
            "duration",
            "probe_interval",
            "ttl",
            "degraded_when",
            "fault.start",
            "region1.max",
            "region0.initial",
            "pop3.rps",
        ] {
            f.set(key, "x1".into());
            assert_eq!(f.get(key), "x1", "{key}");
        }
        f.set("region1.autoscale", "false".into());
        assert!(!f.regions[1].autoscale);
    }

    #[test]
    fn paths_map_to_fields() {
        assert_eq!(field_of("regions[1].instances.max"), "region1.max");
        assert_eq!(field_of("regions[0].instances"), "region0.initial");
        assert_eq!(field_of("populations[2].rate.rps"), "pop2.rps");
        assert_eq!(field_of("faults[0].region"), "fault.target");
        assert_eq!(field_of("routing.origins[0].weight"), "general");
    }
}

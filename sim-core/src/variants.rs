//! Variants: named overrides of any scenario field, written in the scenario
//! file as `[[variants]]` with a `set` table of dotted paths:
//!
//! ```toml
//! [[variants]]
//! name = "slow probes"
//! set = { "routing.probe_interval" = "100s", "regions.centralus.instances.initial" = 12 }
//! ```
//!
//! A path walks the scenario as written: table keys, then array elements by
//! index or by their `name` / `region` / `pop` (so `regions.centralus` is the
//! region named centralus). A whole table can be replaced too
//! (`"routing" = { kind = "dns", endpoints = [...] }`). Every variant runs on
//! the base scenario's seed, so variants share their arrivals.

use crate::scenario::{FieldError, Scenario, ScenarioError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One named variant.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct VariantSpec {
    /// Name shown in tables.
    pub name: String,
    /// What it changes and why.
    #[serde(default)]
    pub description: String,
    /// Dotted path → new value.
    pub set: BTreeMap<String, Value>,
}

fn element_name(v: &Value) -> Option<&str> {
    ["name", "region", "pop"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_str))
}

/// Sets `path` in a scenario document to `value`, or explains what exists there.
pub fn set_path(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!("{path:?} is not a dotted path like \"routing.probe_interval\""));
    }
    let mut cur = doc;
    for (i, part) in parts.iter().enumerate() {
        let here = parts[..i].join(".");
        let at = if here.is_empty() {
            "the top level".to_string()
        } else {
            format!("`{here}`")
        };
        let last = i + 1 == parts.len();
        cur = match cur {
            Value::Object(map) => {
                if !map.contains_key(*part) {
                    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                    return Err(format!("no field `{part}` at {at}; fields there: {}", keys.join(", ")));
                }
                let slot = map.get_mut(*part).ok_or("unreachable")?;
                if last {
                    *slot = value;
                    return Ok(());
                }
                slot
            }
            Value::Array(items) => {
                let idx = match part.parse::<usize>() {
                    Ok(n) if n < items.len() => n,
                    _ => match items.iter().position(|it| element_name(it) == Some(*part)) {
                        Some(n) => n,
                        None => {
                            let names: Vec<String> = items
                                .iter()
                                .enumerate()
                                .map(|(n, it)| element_name(it).map(str::to_string).unwrap_or_else(|| n.to_string()))
                                .collect();
                            return Err(format!(
                                "no element `{part}` in {at}; use an index or one of: {}",
                                names.join(", ")
                            ));
                        }
                    },
                };
                let slot = &mut items[idx];
                if last {
                    *slot = value;
                    return Ok(());
                }
                slot
            }
            _ => return Err(format!("{at} is a value, not a table: `{part}` cannot be inside it")),
        };
    }
    Ok(())
}

/// Where a set of overrides comes from: it names the paths of their errors.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// The scenario's `[[variants]]` entry `.0`: `variants[0].set.routing.ttl`.
    Variant(usize),
    /// A sweep's grid point, its `path=value` list: `point routing.ttl="20s": routing.ttl`.
    Point(&'a str),
}

impl Source<'_> {
    /// The path of an error at `path` in the overrides (`set`) or, with
    /// `set = false`, at `path` in the scenario they made.
    fn path(self, path: &str, set: bool) -> String {
        match (self, set) {
            (Source::Variant(i), true) => format!("variants[{i}].set.{path}"),
            (Source::Variant(i), false) => format!("variants[{i}]: {path}"),
            (Source::Point(p), _) => format!("point {p}: {path}"),
        }
    }
}

/// The scenario `base` with `set` applied (validated), without its variants.
pub fn apply(base: &Scenario, source: Source, set: &BTreeMap<String, Value>) -> Result<Scenario, ScenarioError> {
    apply_to(document(base)?, source, set)
}

/// `base` as the document [`apply_to`] edits: without its variants.
pub(crate) fn document(base: &Scenario) -> Result<Value, ScenarioError> {
    let mut doc = serde_json::to_value(base).map_err(|e| ScenarioError::Parse {
        format: "JSON",
        message: e.to_string(),
    })?;
    if let Some(m) = doc.as_object_mut() {
        m.insert("variants".into(), Value::Array(Vec::new()));
    }
    Ok(doc)
}

/// [`apply`] on a scenario already made a [`document`] (a sweep makes it
/// once for all its points).
pub(crate) fn apply_to(
    mut doc: Value,
    source: Source,
    set: &BTreeMap<String, Value>,
) -> Result<Scenario, ScenarioError> {
    let mut errs = Vec::new();
    for (path, v) in set {
        if let Err(message) = set_path(&mut doc, path, v.clone()) {
            errs.push(FieldError {
                path: source.path(path, true),
                message,
            });
        }
    }
    if !errs.is_empty() {
        return Err(ScenarioError::Invalid(errs));
    }
    // A value of the wrong shape names the scenario field it lands in.
    let prefix = match source {
        Source::Variant(i) => format!("variants[{i}].set → "),
        Source::Point(p) => format!("point {p}: "),
    };
    let sc = crate::scenario::decode_value(doc, &prefix)?;
    match sc.validate() {
        Ok(()) => Ok(sc),
        Err(ScenarioError::Invalid(list)) => Err(ScenarioError::Invalid(
            list.into_iter()
                .map(|e| FieldError {
                    path: source.path(&e.path, false),
                    message: e.message,
                })
                .collect(),
        )),
        Err(e) => Err(e),
    }
}

impl Scenario {
    /// The base scenario (named `base`) and each of its variants, in file order;
    /// `only` restricts the variants to those names (the base always runs).
    pub fn expand_variants(&self, only: &[String]) -> Result<Vec<(String, Scenario)>, ScenarioError> {
        let mut base = self.clone();
        base.variants.clear();
        let mut out = vec![("base".to_string(), base.clone())];
        for name in only {
            if !self.variants.iter().any(|v| &v.name == name) {
                let names: Vec<&str> = self.variants.iter().map(|v| v.name.as_str()).collect();
                return Err(ScenarioError::Invalid(vec![FieldError {
                    path: "variants".into(),
                    message: format!("no variant {name:?}; the scenario has: {}", names.join(", ")),
                }]));
            }
        }
        for (i, v) in self.variants.iter().enumerate() {
            if only.is_empty() || only.contains(&v.name) {
                out.push((v.name.clone(), apply(&base, Source::Variant(i), &v.set)?));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{bundled_by_name, HEADLINE};

    fn headline() -> Scenario {
        Scenario::parse(bundled_by_name(HEADLINE).unwrap().text).unwrap()
    }

    #[test]
    fn paths_reach_named_elements_and_whole_tables() {
        let base = headline();
        let set: BTreeMap<String, Value> = [
            ("routing.probe_interval".to_string(), Value::from("100s")),
            ("regions.centralus.instances.initial".to_string(), Value::from(12)),
            ("populations.0.rate.rps".to_string(), Value::from(500.0)),
        ]
        .into();
        let sc = apply(&base, Source::Variant(0), &set).unwrap();
        assert_eq!(sc.regions[1].instances.initial, 12);
        assert_eq!(sc.seed, base.seed);
        match &sc.routing {
            crate::scenario::Routing::AnycastL7(f) => assert_eq!(f.probe_interval, crate::SimDuration::from_secs(100)),
            _ => panic!("routing kind changed"),
        }
    }

    #[test]
    fn bad_paths_name_what_exists() {
        let base = headline();
        let e = apply(
            &base,
            Source::Variant(0),
            &[("routing.probe_intervall".to_string(), Value::from("1s"))].into(),
        )
        .unwrap_err();
        let t = e.to_string();
        assert!(
            t.contains("variants[0].set.routing.probe_intervall") && t.contains("probe_interval"),
            "{t}"
        );
        let e = apply(
            &base,
            Source::Variant(0),
            &[("regions.mars.instances.initial".to_string(), Value::from(1))].into(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("eastus2, centralus"), "{e}");
        let e = apply(
            &base,
            Source::Point("routing.probe_interval=\"0s\""),
            &[("routing.probe_interval".to_string(), Value::from("0s"))].into(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("point routing.probe_interval=\"0s\": routing.probe_interval"),
            "{e}"
        );
    }
}

//! `[[rtt]]`: overrides name known places.

use super::*;

pub(super) fn check(v: &mut V, sc: &Scenario) {
    for (i, o) in sc.rtt.iter().enumerate() {
        for (field, name) in [("a", &o.a), ("b", &o.b)] {
            if geo::place(name).is_none() {
                v.err(format!("rtt[{i}].{field}"), format!("unknown place {name:?}"));
            }
        }
    }
}

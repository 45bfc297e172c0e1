//! `[design]`: the facts the review reads (gateway, certificates, WAF, logging).

use super::*;

pub(super) fn check(v: &mut V, sc: &Scenario) {
    if let Some(d) = &sc.design {
        for (field, name) in [("hostname", &d.hostname), ("current_target", &d.current_target)] {
            if let Some(h) = name {
                if let Err(why) = hostname_ok(h) {
                    v.err(format!("design.{field}"), format!("{h:?} is not a DNS name: {why}"));
                }
            }
        }
        if let Some(l) = &d.logging {
            if let Some(g) = &l.global_region {
                v.known_region("design.logging.global_region", g);
            } else if !l.per_region {
                v.err(
                    "design.logging",
                    "no workspace: set per_region = true, global_region = \"<region>\", or both",
                );
            }
        }
    }
}

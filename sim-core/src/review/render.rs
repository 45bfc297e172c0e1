//! The review as text for a terminal and as Markdown for design documents.

use super::*;

impl Review {
    /// Readable text for a terminal.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let (ok, risk, missing) = self.tally();
        let _ = writeln!(
            o,
            "Design review: {} (seed {}, {})\n{ok} ok, {risk} risk, {missing} missing\n",
            self.scenario, self.seed, self.routing
        );
        for a in &self.answers {
            let _ = writeln!(o, "{}. {} [{}]", a.number, a.topic, a.verdict.name().to_uppercase());
            let _ = writeln!(o, "   {}", a.summary);
            for d in &a.details {
                let _ = writeln!(o, "   - {d}");
            }
            if !a.evidence.is_empty() {
                let _ = writeln!(o, "   evidence:");
                for e in &a.evidence {
                    let _ = writeln!(o, "     {}: {}", e.label, e.value);
                }
            }
            for f in &a.fixes {
                let _ = writeln!(o, "   fix: {f}");
            }
            o.push('\n');
        }
        if let Some(c) = &self.cost {
            let _ = writeln!(
                o,
                "Monthly cost (example prices): {:.0} {} = compute {:.0} + router {:.0} + database {:.0} + egress {:.0}",
                c.total, c.currency, c.compute, c.gateway, c.database, c.egress
            );
        }
        o
    }

    /// Markdown for design documents.
    pub fn to_markdown(&self) -> String {
        let mut o = String::new();
        let (ok, risk, missing) = self.tally();
        let _ = writeln!(o, "# Design review: {}\n", md(&self.scenario));
        let _ = writeln!(
            o,
            "Routing `{}`, seed {}. **{ok} ok, {risk} risk, {missing} missing.**\n",
            self.routing, self.seed
        );
        let _ = writeln!(o, "| # | Question | Verdict |\n|---|---|---|");
        for a in &self.answers {
            let _ = writeln!(o, "| {} | {} | {} |", a.number, md(&a.topic), a.verdict.name());
        }
        o.push('\n');
        for a in &self.answers {
            let _ = writeln!(o, "## {}. {} — {}\n", a.number, md(&a.topic), a.verdict.name());
            let _ = writeln!(o, "> {}\n", md(&a.question));
            let _ = writeln!(o, "{}\n", md(&a.summary));
            let numbered = a.details.iter().any(|d| d.starts_with("Step "));
            for (i, d) in a.details.iter().enumerate() {
                if numbered {
                    let _ = writeln!(o, "{}. {}", i + 1, md(d.split_once(": ").map_or(d.as_str(), |x| x.1)));
                } else {
                    let _ = writeln!(o, "- {}", md(d));
                }
            }
            if !a.details.is_empty() {
                o.push('\n');
            }
            if !a.evidence.is_empty() {
                let _ = writeln!(o, "| Evidence | Value |\n|---|---|");
                for e in &a.evidence {
                    let _ = writeln!(o, "| {} | {} |", md(&e.label), md(&e.value));
                }
                o.push('\n');
            }
            if !a.fixes.is_empty() {
                let _ = writeln!(o, "**What to change**\n");
                for f in &a.fixes {
                    let _ = writeln!(o, "- {}", md(f));
                }
                o.push('\n');
            }
        }
        if let Some(c) = &self.cost {
            let _ = writeln!(
                o,
                "## Monthly cost (example prices)\n\n| Compute | Router | Database | Egress | Total |\n|---|---|---|---|---|\n| {:.0} | {:.0} | {:.0} | {:.0} | **{:.0} {}** |",
                c.compute, c.gateway, c.database, c.egress, c.total, c.currency
            );
        }
        o
    }
}

/// Text made safe for one Markdown table cell or line: `|` escaped, line
/// breaks and other control characters as spaces.
pub(super) fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

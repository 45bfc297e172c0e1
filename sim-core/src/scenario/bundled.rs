//! The scenarios shipped in `scenarios/`, embedded at build time (by
//! `build.rs`) so every front end offers exactly the files in the directory.

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// The headline case and the CLI's default.
pub const HEADLINE: &str = "eastus2-fails-frontdoor";

/// A scenario file shipped with the simulator.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct BundledScenario {
    /// File stem, e.g. `eastus2-fails-frontdoor`.
    pub name: &'static str,
    /// The file's text.
    pub text: &'static str,
}

impl BundledScenario {
    /// The question the scenario answers: its leading comment lines.
    pub fn question(&self) -> String {
        self.text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_start_matches('#').trim())
            .collect::<Vec<_>>()
            .join(" ")
            .trim()
            .to_string()
    }
}

/// Every bundled scenario, sorted by name.
pub fn bundled() -> Vec<BundledScenario> {
    FILES
        .iter()
        .map(|(name, text)| BundledScenario { name, text })
        .collect()
}

/// A bundled scenario by file stem.
pub fn bundled_by_name(name: &str) -> Option<BundledScenario> {
    bundled().into_iter().find(|b| b.name == name)
}

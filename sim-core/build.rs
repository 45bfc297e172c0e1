//! Embeds every file in the package's `scenarios/` (the repository's
//! `scenarios/` links to it) into the library, so the CLI's `list`, the web
//! app's picker and a packaged crate's `bundled()` always match the
//! directory. A missing or empty directory stops the build: a library whose
//! `bundled()` is silently empty breaks its own examples.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = PathBuf::from(manifest).join("scenarios");
    println!("cargo:rerun-if-changed={}", dir.display());
    let entries = match std::fs::read_dir(&dir) {
        Ok(rd) => rd,
        Err(e) => panic!(
            "the bundled scenarios are missing: cannot read {} ({e}). They ship inside the package; \
             restore the folder (in the repository, scenarios/ links to sim-core/scenarios)",
            dir.display()
        ),
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    assert!(
        !files.is_empty(),
        "no bundled scenario: {} holds no .toml file (the headline, eastus2-fails-frontdoor.toml, must be there)",
        dir.display()
    );
    let mut out = String::from(
        "/// Every file in scenarios/, as (file stem, contents).\npub(crate) const FILES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let abs = f.canonicalize().unwrap_or_else(|_| f.clone());
        writeln!(out, "    ({stem:?}, include_str!({:?})),", abs.display().to_string()).expect("write to String");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled.rs");
    std::fs::write(dest, out).expect("write bundled.rs");
}

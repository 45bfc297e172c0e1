//! Every "§1.3"-style reference the product shows or cites (defaults in the
//! code, scenario comments, review answers, the docs) names a section of the
//! facts page, `docs/facts.md`, which the web app links them to.

use std::collections::BTreeSet;
use std::path::Path;

/// The section numbers the facts page has ("1.3", "9").
fn sections(facts: &str) -> BTreeSet<String> {
    facts
        .lines()
        .filter(|l| l.starts_with('#'))
        .filter_map(|l| l.trim_start_matches('#').trim().strip_prefix('§'))
        .filter_map(|r| r.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The "§N.N" references in `text`, except other documents' ("RFC 9110 §10.2.3").
fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('§') {
        let before = &text[..i];
        if before.trim_end().rsplit(' ').nth(1).is_some_and(|w| w.ends_with("RFC")) {
            continue;
        }
        let rest = &text[i + '§'.len_utf8()..];
        let num: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        let num = num.trim_end_matches('.').to_string();
        if !num.is_empty() {
            out.push(num);
        }
    }
    out
}

fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

#[test]
fn every_cited_section_is_on_the_facts_page() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let facts = std::fs::read_to_string(root.join("docs/facts.md")).expect("docs/facts.md");
    let have = sections(&facts);
    assert!(
        have.len() >= 35 && have.contains("1.3") && have.contains("10"),
        "{have:?}"
    );
    let mut paths = Vec::new();
    for d in ["sim-core/src", "sim-web/src", "sim-cli/src"] {
        files(&root.join(d), "rs", &mut paths);
    }
    files(&root.join("scenarios"), "toml", &mut paths);
    files(&root.join("docs"), "md", &mut paths);
    paths.push(root.join("README.md"));
    let mut cited = 0;
    let mut missing = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap_or_default();
        for r in references(&text) {
            cited += 1;
            if !have.contains(&r) {
                missing.push(format!("{}: §{r}", p.display()));
            }
        }
    }
    assert!(
        cited > 300,
        "only {cited} references found: is the scan looking in the right places?"
    );
    assert!(missing.is_empty(), "cited but not on the facts page: {missing:#?}");
}

#[test]
fn references_are_read_as_written() {
    assert_eq!(
        references("probes (§1.3/§9), see §5.2. RFC 9110 §10.2.3"),
        ["1.3", "9", "5.2"]
    );
    assert!(sections("## §1 A\n### §1.3 B\n# Facts\n").contains("1.3"));
}

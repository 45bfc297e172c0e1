//! Decoding a scenario's text (TOML or JSON) into a [`Scenario`], before
//! validation: syntax errors with their line and column, and shape errors (a
//! wrong type, an unknown field or enum value, a bad duration) with the
//! field's path — every one found, not only the first.
//!
//! The first shape error comes from the format's own deserializer, so it
//! keeps its line and column. To find the next ones, the document is read
//! as a tree, the offending field is taken out, and the tree is decoded
//! again, up to [`MAX_ERRORS`] times (a field that cannot be left out ends
//! the search: its "missing field" would only repeat the first error).

use super::{FieldError, Scenario, ScenarioError};
use serde_json::Value;
use serde_path_to_error::{Path, Segment};

/// The most shape errors listed for one document.
const MAX_ERRORS: usize = 20;
/// The longest line of a parser's excerpt that is echoed back, in characters
/// (a bad 50 MB one-line file must not fill the terminal).
const MAX_EXCERPT_LINE: usize = 600;
/// The longest message, in characters.
const MAX_MESSAGE: usize = 4_000;

/// Decodes TOML text (a byte-order mark is ignored).
pub(super) fn toml(text: &str) -> Result<Scenario, ScenarioError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = match serde_path_to_error::deserialize::<_, Scenario>(toml::Deserializer::new(text)) {
        Ok(sc) => return Ok(sc),
        Err(e) => e,
    };
    // A syntax error: nothing more can be read.
    let tree: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(e) => return Err(parse_error("TOML", &e.to_string())),
    };
    let tree = serde_json::to_value(tree).unwrap_or(Value::Null);
    let first = FieldError {
        path: path_text(first.path()),
        message: cap(first.inner().to_string().trim_end()),
    };
    Err(ScenarioError::Invalid(more_errors(first, tree, "")))
}

/// Decodes JSON text (a byte-order mark is ignored; the document is one
/// object).
pub(super) fn json(text: &str) -> Result<Scenario, ScenarioError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('[') {
        return Err(parse_error(
            "JSON",
            "the document is an array: a scenario is one JSON object, {\"name\": …, \"regions\": […], …}",
        ));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let first = match serde_path_to_error::deserialize::<_, Scenario>(&mut de) {
        Ok(sc) => {
            // Anything after the object is a syntax error.
            return de.end().map(|_| sc).map_err(|e| parse_error("JSON", &e.to_string()));
        }
        Err(e) => e,
    };
    let tree: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Err(parse_error("JSON", &e.to_string())),
    };
    let first = FieldError {
        path: path_text(first.path()),
        message: cap(&first.inner().to_string()),
    };
    Err(ScenarioError::Invalid(more_errors(first, tree, "")))
}

/// Decodes a document tree (a variant applied to its base scenario);
/// `label` prefixes each error's path.
pub(crate) fn value(tree: Value, label: &str) -> Result<Scenario, ScenarioError> {
    match serde_path_to_error::deserialize::<_, Scenario>(&tree) {
        Ok(sc) => Ok(sc),
        Err(e) => {
            let first = FieldError {
                path: format!("{label}{}", path_text(e.path())),
                message: cap(&e.inner().to_string()),
            };
            Err(ScenarioError::Invalid(more_errors(first, tree, label)))
        }
    }
}

/// Every shape error of `tree` (up to [`MAX_ERRORS`]), `first` among them
/// with its richer message (the format's own, with line and column). Each
/// item of the document's lists is decoded on its own, so that an error in
/// one does not hide those in the others, then the rest of the document.
fn more_errors(first: FieldError, tree: Value, label: &str) -> Vec<FieldError> {
    use super::{Fault, PopulationSpec, RegionSpec, RttOverride};
    use crate::variants::VariantSpec;
    type Check = fn(Value, &str) -> Vec<FieldError>;
    let lists: [(&str, Check); 5] = [
        ("regions", errors_of::<RegionSpec>),
        ("populations", errors_of::<PopulationSpec>),
        ("faults", errors_of::<Fault>),
        ("rtt", errors_of::<RttOverride>),
        ("variants", errors_of::<VariantSpec>),
    ];
    let mut errs = Vec::new();
    let mut rest = tree;
    for (key, check) in lists {
        if let Some(Value::Array(items)) = rest.get_mut(key) {
            for (i, item) in std::mem::take(items).into_iter().enumerate() {
                errs.extend(check(item, &format!("{label}{key}[{i}]")));
            }
        }
    }
    errs.extend(errors_of::<Scenario>(rest, label));
    match errs.iter_mut().find(|e| e.path == first.path) {
        Some(e) => e.message = first.message,
        None => errs.insert(0, first),
    }
    errs.truncate(MAX_ERRORS);
    errs
}

/// The shape errors of `tree` read as a `T`, found one by one by taking
/// each offending field out; paths start with `prefix`.
fn errors_of<T: serde::de::DeserializeOwned>(mut tree: Value, prefix: &str) -> Vec<FieldError> {
    let mut errs: Vec<FieldError> = Vec::new();
    while errs.len() < MAX_ERRORS {
        let e = match serde_path_to_error::deserialize::<_, T>(tree.clone()) {
            Ok(_) => break,
            Err(e) => e,
        };
        let message = cap(&e.inner().to_string());
        // Once a field was taken out, a missing field is (likely) that one.
        if !errs.is_empty() && message.starts_with("missing field") {
            break;
        }
        let at = path_text(e.path());
        let path = join(prefix, &at);
        if errs.iter().any(|x| x.path == path) {
            break;
        }
        errs.push(FieldError { path, message });
        if !remove(&mut tree, &at) {
            break;
        }
    }
    errs
}

/// `prefix` then `path` (`.` for the whole of it).
fn join(prefix: &str, path: &str) -> String {
    match (prefix, path) {
        ("", p) => p.to_string(),
        (pre, ".") => pre.to_string(),
        (pre, p) if pre.ends_with(' ') || p.starts_with('[') => format!("{pre}{p}"),
        (pre, p) => format!("{pre}.{p}"),
    }
}

/// A path as the rest of the project writes it: `populations[2].clients`
/// (`.` for the document itself).
fn path_text(path: &Path) -> String {
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Enum { variant } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(variant);
            }
            Segment::Unknown => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push('?');
            }
        }
    }
    if out.is_empty() {
        ".".into()
    } else {
        out
    }
}

/// Takes the field at `path` (as [`path_text`] writes it) out of `tree`;
/// false if there is no such field or it is the document itself.
fn remove(tree: &mut Value, path: &str) -> bool {
    let mut steps: Vec<Result<&str, usize>> = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            steps.push(Ok(name));
        }
        while let Some(end) = rest.find(']') {
            // `[N]` only: a key that itself holds brackets (`"a]]b"`) is not
            // a path this function can follow.
            let index = rest.get(1..end).filter(|_| rest.starts_with('['));
            let Some(Ok(i)) = index.map(str::parse::<usize>) else {
                return false;
            };
            steps.push(Err(i));
            rest = &rest[end + 1..];
        }
    }
    let Some((last, parents)) = steps.split_last() else {
        return false;
    };
    let mut node = tree;
    for step in parents {
        node = match (step, node) {
            (Ok(k), Value::Object(m)) => match m.get_mut(*k) {
                Some(n) => n,
                None => return false,
            },
            (Err(i), Value::Array(a)) => match a.get_mut(*i) {
                Some(n) => n,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, node) {
        (Ok(k), Value::Object(m)) => m.remove(*k).is_some(),
        // An item of a list cannot be left out (the next would take its
        // index): the search ends there.
        _ => false,
    }
}

/// A syntax error, its excerpt capped.
fn parse_error(format: &'static str, message: &str) -> ScenarioError {
    ScenarioError::Parse {
        format,
        message: cap(message.trim_end()),
    }
}

/// Caps each line of a parser's message (its excerpt of the document) and
/// the message as a whole.
fn cap(message: &str) -> String {
    let mut out = String::new();
    for (i, line) in message.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let n = line.chars().count();
        if n > MAX_EXCERPT_LINE {
            out.extend(line.chars().take(MAX_EXCERPT_LINE));
            out.push_str(&format!(" … ({} more characters)", n - MAX_EXCERPT_LINE));
        } else {
            out.push_str(line);
        }
        if out.len() > MAX_MESSAGE {
            out.push_str("\n…");
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_and_removed_alike() {
        let mut v: Value = serde_json::json!({"a": [{"b": 1, "c": 2}], "d": 3});
        assert!(remove(&mut v, "a[0].b"));
        assert_eq!(v, serde_json::json!({"a": [{"c": 2}], "d": 3}));
        assert!(remove(&mut v, "d"));
        assert!(!remove(&mut v, "a[0]"), "a list's item stays");
        assert!(!remove(&mut v, "x.y"));
        assert!(!remove(&mut v, "."));
        // Keys holding brackets (found by fuzzing: this panicked on `]]`).
        assert!(!remove(&mut v, "[0000700]]00"));
        assert!(!remove(&mut v, "a]x[1]"));
        assert!(!remove(&mut v, "a[]"));
    }

    #[test]
    fn long_excerpts_are_capped() {
        let line = "x".repeat(1_000_000);
        let m = cap(&format!("error\n{line}\nend"));
        assert!(m.len() < 1_000, "{}", m.len());
        assert!(m.contains("999400 more characters") && m.ends_with("end"));
    }
}

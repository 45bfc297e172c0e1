//! How a "§1.3" citation is read, shared by the app (`facts.rs`) and the
//! build script that renders the facts page (`build.rs`, which includes this
//! file by path): plain functions, no dependencies.

/// The section number a "§" at the start of `rest` cites: "1.3" of
/// "1.3, …", without a sentence's trailing dot ("" when none follows).
pub fn cited(rest: &str) -> &str {
    let end = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map_or(rest.len(), |(i, _)| i);
    rest[..end].trim_end_matches('.')
}

/// The element id of section `num` on the facts page ("1.3" → "s1-3").
pub fn anchor(num: &str) -> String {
    format!("s{}", num.replace('.', "-"))
}

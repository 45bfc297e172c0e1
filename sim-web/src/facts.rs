//! The facts page: `docs/facts.md` (rendered to HTML at build time by
//! `build.rs`), shown by the app when its address ends in `#facts` or
//! `#facts/1.3`, and the "§1.3" links into it found in hints, the router's
//! settings and the design review. A link opens the page in a new tab, so
//! nothing on the simulator's tab is lost.

use yew::prelude::*;

/// The facts page's HTML (our own document, trusted).
pub const HTML: &str = include_str!(concat!(env!("OUT_DIR"), "/facts.html"));

pub use crate::sections::anchor;

/// Whether the facts page has section `num`.
pub fn has(num: &str) -> bool {
    !num.is_empty() && HTML.contains(&format!("id=\"{}\"", anchor(num)))
}

/// The section a fragment asks for: `facts` → `Some("")` (the top),
/// `facts/1.3` → `Some("1.3")`; None for any other fragment.
pub fn requested(fragment: &str) -> Option<String> {
    let f = fragment.trim_start_matches('#');
    if f == "facts" {
        return Some(String::new());
    }
    f.strip_prefix("facts/").map(str::to_string)
}

/// The link to section `num`.
pub fn href(num: &str) -> String {
    format!("#facts/{num}")
}

/// Splits `text` into plain text and "§1.3" references the facts page has
/// (others, such as "RFC 9110 §10.2.3", stay text).
pub fn split(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    while let Some(off) = text[i..].find('§') {
        let at = i + off;
        let after = at + '§'.len_utf8();
        let num = crate::sections::cited(&text[after..]);
        let end = after + num.len();
        if has(num) {
            if plain_from < at {
                out.push((&text[plain_from..at], false));
            }
            out.push((&text[at..end], true));
            plain_from = end;
        }
        i = end.max(after);
    }
    if plain_from < text.len() {
        out.push((&text[plain_from..], false));
    }
    out
}

/// `text` with each "§1.3" it cites made a link to the facts page.
pub fn linkify(text: &str) -> Html {
    html! { <>{ for split(text).into_iter().map(|(part, is_ref)| if is_ref {
        let num = part.trim_start_matches('§');
        html! { <a class="fact-ref" href={href(num)} target="_blank" rel="noopener"
            title={format!("What §{num} says, and its sources (opens a new tab)")}>{ part }</a> }
    } else {
        html! { { part } }
    }) }</> }
}

/// The page itself, with a way back to the simulator.
pub fn page() -> Html {
    html! {
        <main class="facts-page" id="facts">
            <p class="facts-back"><a href="./">{"← regionsim"}</a></p>
            { Html::from_html_unchecked(AttrValue::Static(HTML)) }
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_link_only_to_sections_the_page_has() {
        let parts = split("probes every 30 s (§1.3/§9); RFC 9110 §10.2.3 and §5.2.");
        let refs: Vec<&str> = parts.iter().filter(|p| p.1).map(|p| p.0).collect();
        assert_eq!(refs, ["§1.3", "§9", "§5.2"]);
        // Nothing is lost or repeated.
        let joined: String = parts.iter().map(|p| p.0).collect();
        assert_eq!(joined, "probes every 30 s (§1.3/§9); RFC 9110 §10.2.3 and §5.2.");
        assert_eq!(split("no refs"), [("no refs", false)]);
        assert_eq!(split("§"), [("§", false)]);
        // (Built, so the scan for cited sections does not find it.)
        let unknown = format!("{}99.9 x", '§');
        assert_eq!(split(&unknown), [(unknown.as_str(), false)]);
    }

    #[test]
    fn every_section_has_an_anchor() {
        for n in ["1", "1.1", "1.9", "2", "3", "4.5", "5.6", "6.3", "7.3", "8", "9", "10"] {
            assert!(has(n), "§{n}");
        }
        assert_eq!(requested("#facts/1.3").as_deref(), Some("1.3"));
        assert_eq!(requested("facts").as_deref(), Some(""));
        assert_eq!(requested("bundled=x"), None);
    }
}

//! Renders the facts page (`docs/facts.md`) to HTML at build time, so the app
//! can show it offline without a Markdown parser in the wasm. Each "§1.3 …"
//! heading gets the id `s1-3`, the anchor the app's "§1.3" links point to.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

#[path = "src/sections.rs"]
mod sections;

fn main() {
    let src = "../docs/facts.md";
    println!("cargo:rerun-if-changed={src}");
    let text = std::fs::read_to_string(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let mut events: Vec<Event> = Parser::new_ext(&text, Options::ENABLE_TABLES).collect();
    // A heading's first text "§1.3 Title" names its anchor.
    for i in 0..events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i] {
            if id.is_some() {
                continue;
            }
            if let Some(Event::Text(t)) = events.get(i + 1) {
                if let Some(num) = t.strip_prefix('§').and_then(|r| r.split_whitespace().next()) {
                    let anchor = sections::anchor(num);
                    if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                        *id = Some(CowStr::from(anchor));
                    }
                }
            }
        }
    }
    // A "§6.2" in the text links to that section (headings stay as they are).
    let mut linked = Vec::with_capacity(events.len());
    let mut in_heading = false;
    for ev in events {
        match ev {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                linked.push(ev);
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                linked.push(ev);
            }
            Event::Text(t) if !in_heading && t.contains('§') => link_sections(&t, &mut linked),
            e => linked.push(e),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, linked.into_iter());
    // Links to the outside open in a new tab (the app's own state stays).
    let out = out.replace("<a href=\"http", "<a target=\"_blank\" rel=\"noopener\" href=\"http");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("facts.html");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}

/// Pushes `text` with each "§N.N" made a link to that section of the page.
fn link_sections(text: &str, out: &mut Vec<Event<'_>>) {
    let mut rest = text;
    while let Some(at) = rest.find('§') {
        let after = &rest[at + '§'.len_utf8()..];
        let num = sections::cited(after);
        if num.is_empty() {
            out.push(Event::Text(CowStr::from(rest[..at + '§'.len_utf8()].to_string())));
            rest = after;
            continue;
        }
        out.push(Event::Text(CowStr::from(rest[..at].to_string())));
        out.push(Event::Html(CowStr::from(format!(
            "<a class=\"fact-ref\" href=\"#facts/{num}\">§{num}</a>"
        ))));
        rest = &after[num.len()..];
    }
    out.push(Event::Text(CowStr::from(rest.to_string())));
}

//! Renders the facts page (`docs/facts.md`) to HTML at build time, so the app
//! can show it offline without a Markdown parser in the wasm. Each "§1.3 …"
//! heading gets the id `s1-3`, the anchor the app's "§1.3" links point to.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

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
                    let anchor = format!("s{}", num.replace('.', "-"));
                    if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                        *id = Some(CowStr::from(anchor));
                    }
                }
            }
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    // Links to the outside open in a new tab (the app's own state stays).
    let out = out.replace("<a href=\"http", "<a target=\"_blank\" rel=\"noopener\" href=\"http");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("facts.html");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}

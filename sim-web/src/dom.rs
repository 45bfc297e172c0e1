//! Small browser helpers: downloads, the URL fragment, clipboard.

use wasm_bindgen::JsCast;

/// Offers `data` as a file download.
pub fn download_text(name: &str, mime: &str, data: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(data));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "cannot create the file".to_string())?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "cannot create a download link".to_string())?;
    let r = download_url(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    r
}

/// Clicks a temporary link to download `url` as `name`.
pub fn download_url(name: &str, url: &str) -> Result<(), String> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| "no anchor")?
        .dyn_into()
        .map_err(|_| "no anchor")?;
    a.set_href(url);
    a.set_download(name);
    a.click();
    Ok(())
}

/// The URL fragment without `#`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
        .trim_start_matches('#')
        .to_string()
}

/// Replaces the URL fragment without adding a history entry; returns the full URL.
pub fn set_fragment(f: &str) -> String {
    let Some(w) = web_sys::window() else {
        return String::new();
    };
    let loc = w.location();
    let base = format!(
        "{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    );
    let url = format!("{base}#{f}");
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    url
}

/// Copies text to the clipboard (best effort).
pub fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Milliseconds since the page started (for timing a job).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Gives the element with `id` the keyboard focus without scrolling to it.
pub fn focus_without_scrolling(id: &str) {
    let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let opts = web_sys::FocusOptions::new();
    opts.set_prevent_scroll(true);
    let _ = el.focus_with_options(&opts);
}

/// Scrolls the element with `id` to the top of the view (the page's top
/// when there is none).
pub fn scroll_to(id: &str) {
    let Some(w) = web_sys::window() else { return };
    match w.document().and_then(|d| d.get_element_by_id(id)) {
        Some(el) => el.scroll_into_view(),
        None => w.scroll_to_with_x_and_y(0.0, 0.0),
    }
}

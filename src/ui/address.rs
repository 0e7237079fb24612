//! The lab's address in the browser: what links, scripts and figures name.

/// The whole address of the lab for `query` (what the address bar shows).
pub fn full_link(query: &str) -> String {
    format!("{}?{query}", page_address())
}

/// The lab's address without its query (`https://host/folder/`).
pub fn page_address() -> String {
    let location = web_sys::window().map(|w| w.location());
    let origin = location.as_ref().and_then(|l| l.origin().ok()).unwrap_or_default();
    let path = location.and_then(|l| l.pathname().ok()).unwrap_or_else(|| "/".into());
    format!("{origin}{path}")
}

/// Keeps the address bar (and the browser's saved copy) equal to the lab, so
/// a copied link, or a reload, replays it. Returns a storage problem, if any.
/// An embedded lab (`save` false) keeps only its address: it is a course
/// page's exhibit, not the visitor's own lab.
pub fn write_url(query: &str, save: bool) -> Option<String> {
    let window = web_sys::window()?;
    let path = window.location().pathname().unwrap_or_else(|_| "/".into());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}?{query}")));
    }
    if !save {
        return None;
    }
    match super::initial::storage().map(|s| s.set_item(super::initial::STORAGE_KEY, query)) {
        Some(Ok(())) => None,
        Some(Err(_)) => Some(
            "This browser could not save the lab (its storage is full or blocked); the link still holds everything."
                .into(),
        ),
        None => Some("This browser keeps no saved data for this page; the link still holds everything.".into()),
    }
}

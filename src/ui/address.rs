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

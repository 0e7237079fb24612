//! The bundled data sets a worker trains on or writes into a script
//! (wasm32 only): each file is fetched from the page's folder the first time
//! it is needed and kept.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

use super::port::{post, scope};
use super::protocol::{About, Event};
use crate::experiment::ExperimentSpec;

thread_local! {
    /// Bundled data files already fetched, by file name.
    static FILES: RefCell<HashMap<&'static str, Rc<str>>> = RefCell::new(HashMap::new());
}

/// Fetches a bundled data file (relative to the page's folder).
async fn fetch_text(file: &str) -> Result<String, String> {
    let url = format!("./data/{file}");
    let response: Response = JsFuture::from(scope().fetch_with_str(&url))
        .await
        .map_err(|_| format!("could not download {file}: check your connection and try again"))?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("could not download {file} (HTTP {})", response.status()));
    }
    let text = response.text().map_err(|_| format!("could not read {file}"))?;
    JsFuture::from(text).await.ok().and_then(|t| t.as_string()).ok_or_else(|| format!("could not read {file}"))
}

/// Calls `done` with the text of bundled data file `file` (fetched and
/// cached the first time; `None` for generated data), or with why it could
/// not be had. At once when no fetch is needed.
pub(super) fn with_file(file: Option<&'static str>, done: impl FnOnce(Result<Option<Rc<str>>, String>) + 'static) {
    let Some(file) = file else { return done(Ok(None)) };
    if let Some(text) = FILES.with_borrow(|files| files.get(file).cloned()) {
        return done(Ok(Some(text)));
    }
    wasm_bindgen_futures::spawn_local(async move {
        done(fetch_text(file).await.map(|text| {
            let text: Rc<str> = text.into();
            FILES.with_borrow_mut(|files| files.insert(file, text.clone()));
            Some(text)
        }))
    });
}

/// Calls `f` with the experiment and its bundled data text, or with `None`
/// for generated data (`with_file`).
pub(super) fn with_data(spec: ExperimentSpec, f: impl FnOnce(ExperimentSpec, Option<&str>) + 'static) {
    with_file(spec.data.kind.bundled_file(), move |text| match text {
        Ok(text) => f(spec, text.as_deref()),
        Err(message) => post(&Event::Error { about: About::Worker, message }),
    });
}

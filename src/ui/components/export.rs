//! What leaves the lab as a file: the lab's run as the CSV or JSON lines
//! `hyperlab run` prints for the same link (`experiment::export`).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::engine::train::{RunState, Scores};
use crate::experiment::ExperimentSpec;
use crate::experiment::export::run_file;
use crate::lab::ScriptExport;
use crate::ui::state::History;
use crate::worker::protocol::ScriptKind;

/// Hands `text` to the browser as a file download called `name`. Returns
/// what went wrong, if anything (the page says it).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str| format!("could not download {name}: {what}");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| fail("no Blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("no object URL"))?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| fail("no document"))?;
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| fail("no link"))?.dyn_into().map_err(|_| fail("no link"))?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

#[derive(Properties, PartialEq)]
pub struct DownloadRunProps {
    pub spec: ExperimentSpec,
    pub history: History,
    /// How the run ended (`None` while it may go on).
    pub ended: Option<RunState>,
    pub test: Option<Scores>,
    /// The PyTorch script: being written, or why it failed.
    pub script: ScriptExport,
    pub onscript: Callback<()>,
}

/// "Download CSV" and "JSON": the run's records so far, with how it ended;
/// "PyTorch script": the experiment, to run again in PyTorch.
#[function_component]
pub fn DownloadRun(p: &DownloadRunProps) -> Html {
    let error = use_state(|| None::<String>);
    let button = |json: bool| {
        let (spec, history, ended, test, error) = (p.spec.clone(), p.history.clone(), p.ended, p.test, error.clone());
        Callback::from(move |_: MouseEvent| {
            let text =
                run_file(history.iter(), ended.unwrap_or(RunState::Training), test.as_ref(), spec.metrics(), json);
            let (name, mime) =
                if json { ("hyperlab-run.jsonl", "application/x-ndjson") } else { ("hyperlab-run.csv", "text/csv") };
            error.set(download(name, mime, &text).err());
        })
    };
    let empty = p.history.is_empty();
    let writing = p.script.writing(ScriptKind::Pytorch);
    html! {
        <div class="downloads" role="group" aria-label="Download the run's records">
            <button id="download-csv" disabled={empty} onclick={button(false)}
                title="Every epoch's record, as `hyperlab run` prints it for this link">{ "Download CSV" }</button>
            <button id="download-json" disabled={empty} onclick={button(true)}
                title="The same as JSON lines (`hyperlab run --json`)">{ "JSON" }</button>
            <button id="download-pytorch" disabled={writing} onclick={p.onscript.reform(|_| ())}
                title="A Python file that trains this experiment in PyTorch — the same data, initial weights and \
                       batches — and prints the same CSV (`hyperlab export pytorch`)">
                { if writing { "Writing…" } else { "PyTorch script" } }
            </button>
            if let Some(e) = (*error).clone() { <p class="error" role="alert">{ e }</p> }
            if let Some(e) = p.script.failure(ScriptKind::Pytorch) { <p class="error" role="alert">{ e.to_string() }</p> }
        </div>
    }
}

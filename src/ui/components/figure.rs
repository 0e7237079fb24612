//! "Save figure: SVG · PNG" under a chart: the run's or the search's chart
//! drawn by `crate::figure` with plotters — as SVG text, or on a canvas that
//! is never shown by `plotters-canvas` at twice the size for the PNG. The
//! same SVG as `hyperlab plot` writes for the link.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::export::download;
use crate::engine::train::EpochRecord;
use crate::experiment::{ExperimentSpec, to_query};
use crate::figure::{self, Figure, RunChart, SearchChart};
use crate::ui::state::{History, SearchState};

/// The PNG's pixels per figure pixel: sharp on a projector and in print.
pub const PNG_SCALE: u32 = 2;

/// Draws `fig` on a canvas that is never shown and downloads it as a PNG.
fn download_png(fig: &Figure, name: &str) -> Result<(), String> {
    let fail = |what: &str| format!("could not draw {name}: {what}");
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| fail("no document"))?;
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").map_err(|_| fail("no canvas"))?.dyn_into().map_err(|_| fail("no canvas"))?;
    canvas.set_width(figure::WIDTH * PNG_SCALE);
    canvas.set_height(figure::HEIGHT * PNG_SCALE);
    {
        use plotters::prelude::IntoDrawingArea;
        let backend =
            plotters_canvas::CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(|| fail("no 2-D context"))?;
        let root = backend.into_drawing_area();
        fig.draw(&root, f64::from(PNG_SCALE))?;
        root.present().map_err(|e| fail(&e.to_string()))?;
    }
    let url = canvas.to_data_url_with_type("image/png").map_err(|_| fail("no PNG"))?;
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| fail("no link"))?.dyn_into().map_err(|_| fail("no link"))?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Saves `fig` as `hyperlab-{stem}.svg` or `.png`.
fn save(fig: &Figure, stem: &str, png: bool) -> Result<(), String> {
    let name = format!("hyperlab-{stem}.{}", if png { "png" } else { "svg" });
    if png { download_png(fig, &name) } else { fig.svg().and_then(|svg| download(&name, "image/svg+xml", &svg)) }
}

/// The two buttons (`#{id}-svg`, `#{id}-png`) and what went wrong, if anything.
fn buttons(id: &str, disabled: bool, onsave: impl Fn(bool) -> Callback<MouseEvent>, error: &Option<String>) -> Html {
    html! {
        <div class="figure-buttons" role="group" aria-label="Save this chart as a figure">
            <span class="hint">{ "Save figure:" }</span>
            <button id={format!("{id}-svg")} class="small" {disabled} onclick={onsave(false)}
                title="The chart as SVG, with its title, axes, legend and link (`hyperlab plot`)">{ "SVG" }</button>
            <button id={format!("{id}-png")} class="small" {disabled} onclick={onsave(true)}
                title="The chart as a PNG at twice the size">{ "PNG" }</button>
            if let Some(e) = error.clone() { <p class="error" role="alert">{ e }</p> }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct FigureButtonsProps {
    /// The buttons' id prefix: `loss` gives `#loss-svg` and `#loss-png`.
    pub id: AttrValue,
    pub chart: RunChart,
    pub spec: ExperimentSpec,
    pub history: History,
}

/// A run's chart, saved; disabled until the run has a record.
#[function_component]
pub fn FigureButtons(p: &FigureButtonsProps) -> Html {
    let error = use_state(|| None::<String>);
    let onsave = |png: bool| {
        let (chart, spec, history, error) = (p.chart, p.spec.clone(), p.history.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let records: Vec<EpochRecord> = history.iter().copied().collect();
            let link = crate::ui::address::full_link(&to_query(&spec));
            error.set(save(&figure::run(chart, &spec, &records, &link), chart.key(), png).err());
        })
    };
    buttons(&p.id, p.history.is_empty(), onsave, &error)
}

#[derive(Properties, PartialEq)]
pub struct SearchFigureButtonsProps {
    pub id: AttrValue,
    pub chart: SearchChart,
    pub search: std::rc::Rc<SearchState>,
}

/// A finished search's chart, saved; disabled while it runs.
#[function_component]
pub fn SearchFigureButtons(p: &SearchFigureButtonsProps) -> Html {
    let error = use_state(|| None::<String>);
    let onsave = |png: bool| {
        let (chart, search, error) = (p.chart, p.search.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let page = crate::ui::address::page_address();
            let result = match search.figure(chart, &page) {
                Some(fig) => save(&fig, &format!("search-{}", chart.key(&search.space)), png),
                None => Err("the search has not finished".to_string()),
            };
            error.set(result.err());
        })
    };
    let done = p.search.phase == crate::ui::state::SearchPhase::Done;
    buttons(&p.id, !done, onsave, &error)
}

#[derive(Properties, PartialEq)]
pub struct SaveFigureProps {
    /// The buttons' id prefix: `regimes` gives `#regimes-svg` and `#regimes-png`.
    pub id: AttrValue,
    /// The file name's part: `hyperlab-{stem}.svg`.
    pub stem: AttrValue,
    pub disabled: bool,
    /// The figure, drawn when a button is pressed (`None`: nothing to draw).
    pub figure: Callback<(), Option<Figure>>,
}

/// Any chart's figure, saved: the figure is built only when asked for.
#[function_component]
pub fn SaveFigure(p: &SaveFigureProps) -> Html {
    let error = use_state(|| None::<String>);
    let onsave = |png: bool| {
        let (figure, stem, error) = (p.figure.clone(), p.stem.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let result = match figure.emit(()) {
                Some(fig) => save(&fig, &stem, png),
                None => Err("nothing to draw yet".to_string()),
            };
            error.set(result.err());
        })
    };
    buttons(&p.id, p.disabled, onsave, &error)
}

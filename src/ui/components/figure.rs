//! "Save figure: SVG · PNG" under a chart: the run's or the search's chart
//! drawn by `crate::figure` with plotters as SVG text — the same SVG as
//! `hyperlab plot` writes for the link —, and for the PNG that SVG drawn by
//! the browser on a canvas that is never shown, at twice the size. One
//! plotters backend in the page: the PNG is the SVG's picture, pixel for
//! pixel what the browser shows of the SVG file.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::export::download;
use crate::engine::train::EpochRecord;
use crate::experiment::{ExperimentSpec, to_query};
use crate::figure::{self, Figure, RunChart, SearchChart};
use crate::ui::state::{History, SearchState};

/// The PNG's pixels per figure pixel: sharp on a projector and in print.
pub const PNG_SCALE: u32 = 2;

/// Draws `svg` (a figure) on a canvas that is never shown, at
/// [`PNG_SCALE`] times its size, and downloads it as a PNG.
async fn download_png(svg: String, name: &str) -> Result<(), String> {
    let fail = |what: &str| format!("could not draw {name}: {what}");
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| fail("no document"))?;
    // A `data:` address: the page's policy allows those for images (not `blob:`).
    let url = format!("data:image/svg+xml;charset=utf-8,{}", js_sys::encode_uri_component(&svg));
    let image = web_sys::HtmlImageElement::new().map_err(|_| fail("no image"))?;
    image.set_src(&url);
    JsFuture::from(image.decode()).await.map_err(|_| fail("the browser could not read the SVG"))?;
    let canvas: web_sys::HtmlCanvasElement =
        document.create_element("canvas").map_err(|_| fail("no canvas"))?.dyn_into().map_err(|_| fail("no canvas"))?;
    let (width, height) = (figure::WIDTH * PNG_SCALE, figure::HEIGHT * PNG_SCALE);
    canvas.set_width(width);
    canvas.set_height(height);
    let context = crate::ui::charts::context_2d(&canvas).ok_or_else(|| fail("no 2-D context"))?;
    context
        .draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, f64::from(width), f64::from(height))
        .map_err(|_| fail("the SVG could not be drawn"))?;
    let png = canvas.to_data_url_with_type("image/png").map_err(|_| fail("no PNG"))?;
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| fail("no link"))?.dyn_into().map_err(|_| fail("no link"))?;
    a.set_href(&png);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Saves `fig` as `hyperlab-{stem}.svg` or `.png`; what went wrong goes to
/// `error` (at once for the SVG, once drawn for the PNG).
fn save(fig: &Figure, stem: &str, png: bool, error: UseStateHandle<Option<String>>) {
    let name = format!("hyperlab-{stem}.{}", if png { "png" } else { "svg" });
    match fig.svg() {
        Ok(svg) if png => {
            wasm_bindgen_futures::spawn_local(async move { error.set(download_png(svg, &name).await.err()) })
        }
        Ok(svg) => error.set(download(&name, "image/svg+xml", &svg).err()),
        Err(e) => error.set(Some(e)),
    }
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
            save(&figure::run(chart, &spec, &records, &link), chart.key(), png, error.clone());
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
            match search.figure(chart, &page) {
                Some(fig) => save(&fig, &format!("search-{}", chart.key(&search.space)), png, error.clone()),
                None => error.set(Some("the search has not finished".to_string())),
            }
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
        Callback::from(move |_: MouseEvent| match figure.emit(()) {
            Some(fig) => save(&fig, &stem, png, error.clone()),
            None => error.set(Some("nothing to draw yet".to_string())),
        })
    };
    buttons(&p.id, p.disabled, onsave, &error)
}

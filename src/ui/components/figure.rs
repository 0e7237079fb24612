//! "Save figure: SVG · PNG" under a chart: the run's or the search's chart
//! as a `crate::figure::Figure`, drawn by the study worker with plotters as
//! SVG text — the same SVG as `hyperlab plot` writes for the link —, and for
//! the PNG that SVG drawn by the browser on a canvas that is never shown, at
//! twice the size: the PNG is the SVG's picture, pixel for pixel what the
//! browser shows of the SVG file. plotters is in the study worker's module,
//! not the page's (docs/PERFORMANCE.md, "Figures drawn by the study worker").

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::export::download;
use crate::engine::train::EpochRecord;
use crate::experiment::{ExperimentSpec, to_query};
use crate::figure::{self, Figure, RunChart, SearchChart};
use crate::ui::controller::Controller;
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

/// A figure's buttons' state: what went wrong, and whether one is being
/// drawn (the study worker draws it; its first figure waits for it to load).
#[derive(Clone)]
struct Saving {
    error: UseStateHandle<Option<String>>,
    busy: UseStateHandle<bool>,
    controller: Option<Controller>,
}

#[hook]
fn use_saving() -> Saving {
    Saving { error: use_state(|| None), busy: use_state(|| false), controller: use_context::<Controller>() }
}

impl Saving {
    /// Saves `fig` as `hyperlab-{stem}.svg` or `.png` once the study worker
    /// has drawn it; what went wrong goes to `error`.
    fn save(&self, fig: Figure, stem: &str, png: bool) {
        let name = format!("hyperlab-{stem}.{}", if png { "png" } else { "svg" });
        let Saving { error, busy, controller } = self.clone();
        error.set(None);
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let svg = match controller {
                Some(c) => c.figure_svg(fig).await,
                None => Err("the page has no worker to draw it".to_string()),
            };
            let done = match svg {
                Ok(svg) if png => download_png(svg, &name).await,
                Ok(svg) => download(&name, "image/svg+xml", &svg),
                Err(e) => Err(format!("could not draw {name}: {e}")),
            };
            error.set(done.err());
            busy.set(false);
        });
    }

    /// The two buttons (`#{id}-svg`, `#{id}-png`), "drawing…" while one is
    /// drawn, and what went wrong, if anything.
    fn buttons(&self, id: &str, disabled: bool, onsave: impl Fn(bool) -> Callback<MouseEvent>) -> Html {
        let disabled = disabled || *self.busy;
        // The study worker draws the figure: its download starts when the
        // buttons, pressable, are pointed at or focused, before the press.
        let warm = self.controller.clone().filter(|_| !disabled).map(|c| Callback::from(move |_: ()| c.start_study()));
        let (onpointerenter, onfocusin) = match warm {
            Some(w) => (Some(w.reform(|_: PointerEvent| ())), Some(w.reform(|_: FocusEvent| ()))),
            None => (None, None),
        };
        html! {
            <div class="figure-buttons" role="group" aria-label="Save this chart as a figure" aria-busy={self.busy.to_string()}
                {onpointerenter} {onfocusin}>
                <span class="hint">{ "Save figure:" }</span>
                <button id={format!("{id}-svg")} class="small" {disabled} onclick={onsave(false)}
                    title="The chart as SVG, with its title, axes, legend and link (`hyperlab plot`)">{ "SVG" }</button>
                <button id={format!("{id}-png")} class="small" {disabled} onclick={onsave(true)}
                    title="The chart as a PNG at twice the size">{ "PNG" }</button>
                if *self.busy { <span class="hint" role="status">{ "drawing…" }</span> }
                if let Some(e) = (*self.error).clone() { <p class="error" role="alert">{ e }</p> }
            </div>
        }
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
    let saving = use_saving();
    let onsave = |png: bool| {
        let (chart, spec, history, saving) = (p.chart, p.spec.clone(), p.history.clone(), saving.clone());
        Callback::from(move |_: MouseEvent| {
            let records: Vec<EpochRecord> = history.iter().copied().collect();
            let link = crate::ui::address::full_link(&to_query(&spec));
            saving.save(figure::run(chart, &spec, &records, &link), chart.key(), png);
        })
    };
    saving.buttons(&p.id, p.history.is_empty(), onsave)
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
    let saving = use_saving();
    let onsave = |png: bool| {
        let (chart, search, saving) = (p.chart, p.search.clone(), saving.clone());
        Callback::from(move |_: MouseEvent| {
            let page = crate::ui::address::page_address();
            match search.figure(chart, &page) {
                Some(fig) => saving.save(fig, &format!("search-{}", chart.key(&search.space)), png),
                None => saving.error.set(Some("the search has not finished".to_string())),
            }
        })
    };
    let done = p.search.phase == crate::ui::state::SearchPhase::Done;
    saving.buttons(&p.id, !done, onsave)
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
    let saving = use_saving();
    let onsave = |png: bool| {
        let (figure, stem, saving) = (p.figure.clone(), p.stem.clone(), saving.clone());
        Callback::from(move |_: MouseEvent| match figure.emit(()) {
            Some(fig) => saving.save(fig, &stem, png),
            None => saving.error.set(Some("nothing to draw yet".to_string())),
        })
    };
    saving.buttons(&p.id, p.disabled, onsave)
}

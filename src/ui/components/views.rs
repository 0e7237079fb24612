//! Canvas components: each redraws when its data or the window size changes.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::engine::data::Split;
use crate::ui::charts;
use crate::ui::state::History;

/// A counter that changes whenever the window is resized (or the device
/// pixel ratio changes with it), so canvases can redraw at the new size.
#[hook]
fn use_resize_tick() -> u32 {
    let tick = use_state(|| 0u32);
    {
        let tick = tick.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let closure = Closure::<dyn Fn()>::new(move || tick.set(tick.wrapping_add(1)));
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("resize", closure.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback("resize", closure.as_ref().unchecked_ref());
                }
            }
        });
    }
    *tick
}

fn report(result: Result<(), String>, what: &str) {
    if let Err(e) = result {
        web_sys::console::warn_1(&format!("hyperlab: could not draw the {what}: {e}").into());
    }
}

#[derive(Properties, PartialEq)]
pub struct LossChartProps {
    pub history: History,
    pub n_epochs: usize,
}

#[function_component]
pub fn LossChart(p: &LossChartProps) -> Html {
    let canvas = use_node_ref();
    let tick = use_resize_tick();
    {
        let canvas = canvas.clone();
        use_effect_with((p.history.clone(), p.n_epochs, tick), move |(history, n_epochs, _)| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                report(charts::loss::draw(&c, history.iter(), *n_epochs), "loss chart");
            }
        });
    }
    html! {
        <canvas id="loss-chart" ref={canvas} role="img"
            aria-label="Training and validation loss per epoch"></canvas>
    }
}

#[derive(Properties, PartialEq)]
pub struct BoundaryProps {
    pub split: Rc<Split>,
    pub boundary: Option<Rc<[u8]>>,
}

#[function_component]
pub fn BoundaryView(p: &BoundaryProps) -> Html {
    let canvas = use_node_ref();
    let tick = use_resize_tick();
    {
        let canvas = canvas.clone();
        use_effect_with((p.split.clone(), p.boundary.clone(), tick), move |(split, boundary, _)| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                report(charts::boundary::draw(&c, boundary.as_deref(), &split.train, &split.val), "decision boundary");
            }
        });
    }
    html! {
        <canvas id="boundary" ref={canvas} role="img"
            aria-label="The two-spirals data (filled: training, hollow: validation) over the network's predicted class"></canvas>
    }
}

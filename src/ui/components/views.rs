//! Canvas components: each redraws when its data or the window size changes.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use super::figure::SaveFigure;
use super::hover::{Row, readout, use_chart_hover};
use crate::engine::data::{Split, Task};
use crate::engine::train::EpochRecord;
use crate::experiment::ExperimentSpec;
use crate::plot::{format_lr, format_value, nearest};
use crate::ui::charts;
use crate::ui::state::History;
use crate::worker::protocol::{BOUNDARY_RES, View};

/// A counter that changes whenever the window is resized (or the device
/// pixel ratio changes with it), so canvases can redraw at the new size.
#[hook]
pub fn use_resize_tick() -> u32 {
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

/// Runs `draw` in a task of its own (a zero-delay timer) and returns the
/// effect's cleanup, which cancels it if newer data comes first. Several
/// canvases updating together then never make one long main-thread task, and
/// updates faster than the browser can draw coalesce.
pub fn deferred(draw: impl FnOnce() + 'static) -> impl FnOnce() {
    let window = web_sys::window();
    let closure = Closure::once(draw);
    let handle = window.as_ref().and_then(|w| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(closure.as_ref().unchecked_ref(), 0).ok()
    });
    move || {
        if let (Some(w), Some(h)) = (window, handle) {
            w.clear_timeout_with_handle(h);
        }
        drop(closure);
    }
}

/// Runs `draw` in a task after the page's next frame (a zero-delay timer set
/// in an animation frame) and returns a cleanup that cancels it. The frame
/// brings the page's style and layout up to date after the render that
/// changed the data, so a chart's text no longer makes the browser compute
/// them inside the chart's task.
pub fn after_frame(draw: impl FnOnce() + 'static) -> impl FnOnce() {
    type Cancel = Box<dyn FnOnce()>;
    let window = web_sys::window();
    let later: Rc<std::cell::RefCell<Option<Cancel>>> = Rc::default();
    let set = later.clone();
    let frame = Closure::once(move || {
        *set.borrow_mut() = Some(Box::new(deferred(draw)));
    });
    let handle = window.as_ref().and_then(|w| w.request_animation_frame(frame.as_ref().unchecked_ref()).ok());
    move || {
        if let (Some(w), Some(h)) = (window, handle) {
            let _ = w.cancel_animation_frame(h);
        }
        drop(frame);
        if let Some(cancel) = later.borrow_mut().take() {
            cancel();
        }
    }
}

/// Runs `first` in a task after this one and `second` with its result in
/// the task after that, unless the returned cleanup runs before: work too
/// long for one task (a large file's data set made, then named) split in
/// two, and dropped when what it was for has changed.
pub fn in_two_tasks<T: 'static>(
    first: impl FnOnce() -> T + 'static,
    second: impl FnOnce(T) + 'static,
) -> impl FnOnce() {
    let cancelled = Rc::new(std::cell::Cell::new(false));
    let flag = cancelled.clone();
    wasm_bindgen_futures::spawn_local(async move {
        next_task().await;
        if flag.get() {
            return;
        }
        let made = first();
        next_task().await;
        if !flag.get() {
            second(made);
        }
    });
    move || cancelled.set(true)
}

/// Resolves in a later task (a zero-delay timeout): work too long for one
/// task yields there, so the page paints and answers input in between.
pub async fn next_task() {
    after(0).await;
}

#[derive(Properties, PartialEq)]
pub struct LaterProps {
    pub children: Html,
    /// How many tasks after its first render: the page's start shows its
    /// parts in this order, one task each, whatever order Yew runs the
    /// effects of siblings in.
    #[prop_or(1)]
    pub tasks: u32,
}

/// Its children, `tasks` tasks after the one that first rendered it: the
/// page's start renders a little, paints, then the next part, instead of
/// one long task for everything. Each wait is a zero-delay timer, so a
/// `Later` of 2 shows after every `Later` of 1 mounted with it. Until it
/// shows them it holds back [`when_settled`].
#[function_component]
pub fn Later(props: &LaterProps) -> Html {
    let waited = use_state(|| 0u32);
    let shown = *waited >= props.tasks;
    use_effect_with(shown, |&shown| {
        let held = (!shown).then(Held::new);
        move || drop(held)
    });
    {
        let (waited, tasks) = (waited.clone(), props.tasks);
        use_effect_with(*waited, move |&n| {
            let next = (n < tasks).then(|| deferred(move || waited.set(n + 1)));
            move || {
                if let Some(cancel) = next {
                    cancel();
                }
            }
        });
    }
    if shown { props.children.clone() } else { Html::default() }
}

/// The `Later`s mounted that have not shown their children yet, and what
/// waits for them all ([`when_settled`]).
#[derive(Default)]
struct Settling {
    waiting: u32,
    queue: Vec<Box<dyn FnOnce()>>,
}

thread_local! {
    static SETTLING: std::cell::RefCell<Settling> = std::cell::RefCell::default();
}

/// A `Later` that has not shown its children yet: counted while it lives.
struct Held;

impl Held {
    fn new() -> Self {
        SETTLING.with_borrow_mut(|s| s.waiting += 1);
        Held
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let settled = SETTLING.with_borrow_mut(|s| {
            s.waiting = s.waiting.saturating_sub(1);
            if s.waiting == 0 { std::mem::take(&mut s.queue) } else { Vec::new() }
        });
        settled.into_iter().for_each(|f| f());
    }
}

/// Runs `f` now if every `Later` mounted has shown its children, or else
/// as soon as the last of them has: a panel's scroll into view made
/// while the page's start still holds parts of the lab back would leave
/// the panel out of sight once those parts push it down.
pub fn when_settled(f: impl FnOnce() + 'static) {
    let f: Box<dyn FnOnce()> = Box::new(f);
    let now = SETTLING.with_borrow_mut(|s| {
        if s.waiting == 0 {
            Some(f)
        } else {
            s.queue.push(f);
            None
        }
    });
    if let Some(f) = now {
        f();
    }
}

/// Resolves in a task at least `ms` milliseconds from now.
pub async fn after(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let set =
            web_sys::window().and_then(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).ok());
        if set.is_none() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Logs a drawing failure (the page goes on without that picture) and
/// passes on what a successful drawing returned.
fn report<T>(result: Result<T, String>, what: &str) -> Option<T> {
    result.map_err(|e| web_sys::console::warn_1(&format!("hyperlab: could not draw the {what}: {e}").into())).ok()
}

/// A chart's canvas, drawn by `draw` with `deps` whenever they change and
/// whenever the window is resized (presentation mode resizes it too), in a
/// task of its own after the next frame ([`after_frame`]); a failure is
/// logged as the `what` that could not be drawn. Returns the canvas's node
/// ref.
#[hook]
pub fn use_canvas<D>(
    what: &'static str,
    deps: D,
    draw: impl FnOnce(&HtmlCanvasElement, &D) -> Result<(), String> + 'static,
) -> NodeRef
where
    D: PartialEq + Clone + 'static,
{
    let canvas = use_node_ref();
    let tick = use_resize_tick();
    {
        let canvas = canvas.clone();
        use_effect_with((deps, tick), move |(deps, _)| {
            let deps = deps.clone();
            after_frame(move || {
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    report(draw(&c, &deps), what);
                }
            })
        });
    }
    canvas
}

#[derive(Properties, PartialEq)]
pub struct LossChartProps {
    pub history: History,
    pub n_epochs: usize,
    /// The y-axis title, naming the loss.
    pub loss_label: AttrValue,
    /// The canvas's id: the main chart's by default, none for the small copies.
    #[prop_or(Some(AttrValue::Static("loss-chart")))]
    pub id: Option<AttrValue>,
    /// A y-axis shared with other charts (the four regimes'), if any.
    #[prop_or_default]
    pub shared: Option<charts::loss::SharedY>,
}

#[function_component]
pub fn LossChart(p: &LossChartProps) -> Html {
    let hover = use_chart_hover();
    let frame = hover.frame.clone();
    let canvas = use_canvas(
        "loss chart",
        (p.history.clone(), p.n_epochs, p.loss_label.clone(), p.shared),
        move |c, (history, n_epochs, label, shared)| {
            let drawn = charts::loss::draw(c, history.iter(), *n_epochs, label, *shared);
            *frame.borrow_mut() = drawn.as_ref().ok().copied();
            drawn.map(drop)
        },
    );
    let readout = hover.at.zip(*hover.frame.borrow()).and_then(|(at, frame)| {
        let rec = record_near(&p.history, at.x)?;
        let rows = vec![
            Row { colour: Some(charts::BLUE), text: format!("training {}", format_value(rec.train.loss)) },
            Row { colour: Some(charts::ORANGE), text: format!("validation {}", format_value(rec.val.loss)) },
            Row { colour: None, text: format!("learning rate {}", format_lr(rec.lr)) },
        ];
        Some(readout(&frame, rec.epoch as f64, format!("epoch {}", rec.epoch), rows))
    });
    html! {
        <div class="chart-wrap">
            <canvas id={p.id.clone()} ref={canvas} role="img" onpointermove={hover.onmove} onpointerleave={hover.onleave}
                tabindex="0" onkeydown={hover.onkey} onfocus={hover.onfocus} onblur={hover.onblur}
                aria-label="Training and validation loss per epoch; arrow keys read the values"></canvas>
            { readout.unwrap_or_default() }
        </div>
    }
}

/// The record of the epoch nearest to `x`.
pub fn record_near(history: &History, x: f64) -> Option<&EpochRecord> {
    let i = nearest(history.iter().map(|r| r.epoch as f64), x)?;
    history.iter().nth(i)
}

#[derive(Properties, PartialEq)]
pub struct LrChartProps {
    pub history: History,
    /// The planned learning rate of every epoch.
    pub planned: Rc<Vec<f64>>,
}

#[function_component]
pub fn LrChart(p: &LrChartProps) -> Html {
    let hover = use_chart_hover();
    let frame = hover.frame.clone();
    // At most 4 × 2 048 points of the plan reach each draw, made when the plan changes.
    let outline = use_memo(p.planned.clone(), |planned| crate::plot::Outline::of(planned, 2048));
    let canvas = use_canvas("learning-rate chart", (p.history.clone(), outline), move |c, (history, outline)| {
        let drawn = charts::lr::draw(c, outline, history.iter());
        *frame.borrow_mut() = drawn.as_ref().ok().copied();
        drawn.map(drop)
    });
    let readout = hover.at.zip(*hover.frame.borrow()).and_then(|(at, frame)| {
        let epoch = (at.x.round() as usize).clamp(1, p.planned.len().max(1));
        let planned = *p.planned.get(epoch - 1)?;
        let mut rows = vec![Row { colour: Some((150, 150, 150)), text: format!("planned {}", format_lr(planned)) }];
        if let Some(rec) = p.history.iter().find(|r| r.epoch == epoch) {
            rows.push(Row { colour: Some(charts::BLUE), text: format!("used {}", format_lr(rec.lr)) });
        }
        Some(readout(&frame, epoch as f64, format!("epoch {epoch}"), rows))
    });
    html! {
        <div class="chart-wrap">
            <canvas id="lr-chart" ref={canvas} role="img" onpointermove={hover.onmove} onpointerleave={hover.onleave}
                tabindex="0" onkeydown={hover.onkey} onfocus={hover.onfocus} onblur={hover.onblur}
                aria-label="The learning rate per epoch: planned by the schedule, and used; arrow keys read the values"></canvas>
            { readout.unwrap_or_default() }
        </div>
    }
}

/// The data of `spec` when it has a picture: generated data is cheap to make
/// (no training), so the page derives it to draw it; the real data sets have
/// no picture (the worker loads them). Keyed on what determines the data
/// only: a learning-rate change does not regenerate it.
#[hook]
pub fn use_data_split(spec: &ExperimentSpec) -> Rc<Option<Split>> {
    use_memo((spec.seed, spec.data.clone(), spec.val_ratio, spec.test_ratio), |(seed, data, val_ratio, test_ratio)| {
        let spec = ExperimentSpec {
            seed: *seed,
            data: data.clone(),
            val_ratio: *val_ratio,
            test_ratio: *test_ratio,
            ..ExperimentSpec::default()
        };
        if data.kind.bundled_file().is_some() || data.n_inputs() > 2 { None } else { spec.split().ok() }
    })
}

#[derive(Properties, PartialEq)]
pub struct DataViewProps {
    /// The data, when it has a picture (generated sets); `None` for the real data sets.
    pub split: Rc<Option<Split>>,
    pub view: Option<Rc<View>>,
    pub spec: ExperimentSpec,
    /// The canvas's id: the main view's by default, none for the small copies.
    #[prop_or(Some(AttrValue::Static("boundary")))]
    pub id: Option<AttrValue>,
    /// Points being drawn: shown instead of the data, and the pointer draws
    /// (`ondraw` gets each press, drag and release on the plane).
    #[prop_or_default]
    pub drawing: Option<Rc<Vec<crate::experiment::drawn::DrawnPoint>>>,
    #[prop_or_default]
    pub ondraw: Callback<(Stroke, [f32; 2])>,
}

/// A pointer on the data view while drawing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stroke {
    Down,
    Move,
    Up,
}

/// The data and what the network makes of it.
#[function_component]
pub fn DataView(p: &DataViewProps) -> Html {
    let (canvas, map) = (use_node_ref(), use_node_ref());
    let tick = use_resize_tick();
    let drawn = use_mut_ref(|| None);
    // Found once with the data (`OwnData::plane`): nothing to remember here.
    let plane = p.spec.data.plane();
    {
        let (canvas, map, drawn) = (canvas.clone(), map.clone(), drawn.clone());
        use_effect_with(
            (p.split.clone(), p.view.clone(), tick, p.drawing.clone()),
            move |(split, view, _, drawing)| {
                let (split, view, drawing) = (split.clone(), view.clone(), drawing.clone());
                deferred(move || {
                    if let (Some(points), Some(c)) = (drawing, canvas.cast::<HtmlCanvasElement>()) {
                        // The sketch replaces the data until the drawing ends; then the data is drawn again.
                        *drawn.borrow_mut() = None;
                        report(charts::boundary::draw_sketch(&c, &points), "drawing");
                        return;
                    }
                    if let (Some(m), Some(s)) = (map.cast::<HtmlCanvasElement>(), split.as_ref()) {
                        report(
                            charts::boundary::draw_map(&m, view.as_deref(), s.train.task.n_classes()),
                            "decision map",
                        );
                    }
                    if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                        let front =
                            charts::boundary::draw_front(&c, view.as_deref(), &split, plane, &mut drawn.borrow_mut());
                        report(front, "data view");
                    }
                })
            },
        );
    }
    let figure = use_callback((p.split.clone(), p.view.clone(), p.spec.clone()), |(), (split, view, spec)| {
        data_figure(split.as_ref().as_ref(), view.as_deref(), spec)
    });
    // The main view's figure (not a kept run's or a regime's small copy): the data alone until trained.
    let save = match &p.id {
        Some(_) => {
            let disabled = p.split.is_none() && p.view.is_none();
            html! { <SaveFigure id="data-view" stem="data-view" {disabled} {figure} /> }
        }
        None => html! {},
    };
    if p.split.is_none() && p.drawing.is_none() && p.spec.data.task() == Task::Regression {
        return html! {
            <>
                <FitChart view={p.view.clone()} spec={p.spec.clone()} small={p.id.is_none()} />
                { save }
            </>
        };
    }
    if p.split.is_none() && p.drawing.is_none() {
        let classes = p.spec.data.task().n_classes();
        let counts = match p.view.as_deref() {
            Some(View::Confusion { counts }) => Some(counts.clone()),
            _ => None,
        };
        return html! {
            <div class="no-picture">
                <p>{ format!("{}: {} examples with {} features each, {} classes — too many dimensions to draw.",
                    p.spec.data.label(), p.spec.data.n_total(), p.spec.data.n_inputs(), classes) }</p>
                <p>{ "The confusion matrix shows how the validation examples of each class are classified: \
                    the diagonal is right, everything else is a mistake." }</p>
                <ConfusionTable counts={counts} names={(0..classes).map(|c| p.spec.data.class_name(c)).collect::<Vec<_>>()} />
                { save }
            </div>
        };
    }
    // While drawing, the pointer's place on the plane (the drawing's: the standard square).
    let pointer = |stroke: Stroke| {
        let (ondraw, on) = (p.ondraw.clone(), p.drawing.is_some());
        Callback::from(move |e: PointerEvent| {
            if !on || (stroke == Stroke::Move && e.buttons() == 0) {
                return;
            }
            let Some(el) = e.target_dyn_into::<web_sys::Element>() else { return };
            if stroke == Stroke::Down {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            e.prevent_default();
            let (w, h) = (f64::from(el.client_width().max(1)), f64::from(el.client_height().max(1)));
            let (u, v) = (f64::from(e.offset_x()) / w, f64::from(e.offset_y()) / h);
            ondraw.emit((stroke, charts::boundary::plane_point(crate::engine::data::Plane::STANDARD, u, v)));
        })
    };
    let label = match p.spec.data.task() {
        Task::Regression if p.spec.data.n_inputs() == 1 => {
            "The data (filled: training, hollow: validation) and the network's fitted curve (orange)"
        }
        Task::Regression => "The data coloured by target value, over the network's prediction",
        _ => "The data (filled: training, hollow: validation) over the network's predicted class",
    };
    html! {
        <>
        <div class="data-view">
            <canvas class="data-map" ref={map} aria-hidden="true" style={map_style()}></canvas>
            <canvas id={p.id.clone()} class={classes!("data-points", p.drawing.is_some().then_some("drawing"))} ref={canvas}
                role="img" aria-label={label} onpointerdown={pointer(Stroke::Down)} onpointermove={pointer(Stroke::Move)}
                onpointerup={pointer(Stroke::Up)}></canvas>
        </div>
        { save }
        </>
    }
}

/// The data view's figure: the picture of 2-D (or 1-D) data, else the
/// confusion matrix or the fit once trained.
fn data_figure(split: Option<&Split>, view: Option<&View>, spec: &ExperimentSpec) -> Option<crate::figure::Figure> {
    let link = crate::ui::address::full_link(&crate::experiment::to_query(spec));
    match (split, view) {
        (Some(split), view) => crate::figure::data_view(split, view, spec, &link),
        (None, Some(View::Confusion { counts })) => Some(crate::figure::confusion(counts, spec, &link)),
        (None, Some(View::Fit { target, predicted })) => Some(crate::figure::fit(target, predicted, spec, &link)),
        _ => None,
    }
}

/// The map's grid values sit at the cell centres of an image spanning the
/// extent edge to edge: res values over res − 1 cells, so the image is
/// res/(res − 1) of the box, shifted half a cell.
fn map_style() -> String {
    let (r, r1) = (BOUNDARY_RES, BOUNDARY_RES - 1);
    format!(
        "width: calc(100% * {r} / {r1}); height: calc(100% * {r} / {r1}); left: calc(-50% / {r1}); top: calc(-50% / {r1})"
    )
}

#[derive(Properties, PartialEq)]
pub struct ConfusionProps {
    pub counts: Option<Vec<Vec<usize>>>,
    /// Every class's name (`DataSpec::class_name`: its number where it has none).
    pub names: Vec<String>,
}

#[derive(Properties, PartialEq)]
pub struct FitProps {
    pub view: Option<Rc<View>>,
    pub spec: ExperimentSpec,
    /// A small copy (a kept run's card): the chart alone, no id.
    #[prop_or_default]
    pub small: bool,
}

/// A regression with too many inputs to draw: prediction against target.
#[function_component]
pub fn FitChart(p: &FitProps) -> Html {
    let canvas = use_canvas("fit chart", p.view.clone(), |c, view| match view.as_deref() {
        Some(View::Fit { target, predicted }) => charts::fit::draw(c, target, predicted),
        _ => charts::fit::draw(c, &[], &[]),
    });
    let label = "Validation predictions against their targets";
    if p.small {
        return html! { <canvas class="fit-chart" ref={canvas} role="img" aria-label={label}></canvas> };
    }
    html! {
        <div class="no-picture fit">
            <p>{ format!("{}: {} examples with {} inputs each — too many dimensions to draw. \
                Each dot is a validation example: its target across, the network's prediction up; \
                a perfect fit puts every dot on the diagonal.", p.spec.data.label(), p.spec.data.n_total(), p.spec.data.n_inputs()) }</p>
            <canvas id="fit-chart" class="fit-chart" ref={canvas} role="img" aria-label={label}></canvas>
        </div>
    }
}

/// A confusion matrix as a table: rows are true classes, columns predictions;
/// each cell is shaded by its share of the row.
#[function_component]
pub fn ConfusionTable(p: &ConfusionProps) -> Html {
    let k = p.names.len();
    let counts = p.counts.clone().unwrap_or_else(|| vec![vec![0; k]; k]);
    let name = |c: usize| p.names.get(c).cloned().unwrap_or_default();
    html! {
        <table id="confusion" class="confusion">
            <caption>{ if p.counts.is_some() { "Validation set: true class (rows) × predicted class (columns)" } else { "Train to fill the confusion matrix" } }</caption>
            <thead><tr><th scope="col"><span class="visually-hidden">{ "true class" }</span></th>{ for (0..k).map(|c| html! { <th scope="col">{ name(c) }</th> }) }</tr></thead>
            <tbody>
                { for counts.iter().enumerate().map(|(t, row)| {
                    let total = row.iter().sum::<usize>().max(1) as f64;
                    html! {
                        <tr><th scope="row">{ name(t) }</th>
                        { for row.iter().enumerate().map(|(c, &n)| {
                            let share = n as f64 / total;
                            let (r, g, b) = if c == t { (16, 100, 170) } else { (213, 94, 0) };
                            let style = format!("background: rgba({r},{g},{b},{:.2})", 0.75 * share);
                            html! { <td style={style} class={if c == t { "diag" } else { "" }}>{ n }</td> }
                        }) }
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

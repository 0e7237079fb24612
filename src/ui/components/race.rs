//! The optimizer race on a 2-D loss surface: the same optimizer code as the
//! network training, drawn step by step.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::engine::surface::{PathOutcome, Surface};
use crate::plot::format_lr;
use crate::ui::charts;
use crate::ui::components::figure::SaveFigure;
use crate::ui::components::views::use_canvas;
use crate::worker::protocol::Race;

/// The animation's step, of the race's steps.
#[derive(Clone, Copy, Debug, PartialEq)]
struct RaceStep(usize);

enum StepAction {
    /// On by `by` steps, up to `last`.
    Advance {
        by: usize,
        last: usize,
    },
    Set(usize),
}

impl Reducible for RaceStep {
    type Action = StepAction;

    fn reduce(self: Rc<Self>, action: StepAction) -> Rc<Self> {
        let next = match action {
            StepAction::Advance { by, last } => (self.0 + by).min(last),
            StepAction::Set(s) => s,
        };
        if next == self.0 { self } else { Rc::new(RaceStep(next)) }
    }
}

/// Steps the animation moves per frame: any race plays in about three seconds.
fn stride(steps: usize) -> usize {
    steps.div_ceil(100).max(1)
}

#[derive(Properties, PartialEq)]
pub struct RacePanelProps {
    pub surface: Surface,
    /// `None` while the worker computes it.
    pub race: Option<Rc<Race>>,
    pub onsurface: Callback<Surface>,
    pub onclose: Callback<()>,
    /// What "your settings" are: the lab's optimizer and schedule.
    pub yours: AttrValue,
    /// Scrolls itself into view when it appears (not when a lesson step
    /// opened it: the step's text keeps the view).
    pub into_view: bool,
}

/// What became of a path, in words. The saddle has no minimum: a path
/// either leaves it downhill or stays near its ridge.
fn outcome_text(surface: Surface, path: &crate::worker::protocol::RacePath) -> &'static str {
    if surface == Surface::Saddle && path.outcome != PathOutcome::NonFinite {
        return if path.end_value < -1.0 { "left the saddle, downhill" } else { "still near the saddle" };
    }
    match path.outcome {
        PathOutcome::Converged => "reached a minimum",
        PathOutcome::Progressing => "getting there",
        PathOutcome::TooSlow => "still far",
        PathOutcome::Diverged => "ended higher than it started",
        PathOutcome::NonFinite => "blew up",
    }
}

#[function_component]
pub fn RacePanel(p: &RacePanelProps) -> Html {
    let in_view = crate::ui::components::use_in_view(p.into_view);
    let step = use_reducer(|| RaceStep(0));
    // Until the worker answers, the link's steps are not known here: 1 keeps the slider sane.
    let steps = p.race.as_ref().map_or(1, |r| r.steps.max(1));
    let playing = use_state(|| true);
    // A new race starts from the beginning, playing.
    {
        let (step, playing) = (step.dispatcher(), playing.clone());
        use_effect_with(p.race.clone(), move |_| {
            step.dispatch(StepAction::Set(0));
            playing.set(true);
        });
    }
    // Stop at the end.
    {
        let playing = playing.clone();
        use_effect_with((step.0, steps), move |&(s, steps)| {
            if s >= steps {
                playing.set(false);
            }
        });
    }
    // Playing: advance two steps every 30 ms. The closure lives until cleanup.
    {
        let step = step.dispatcher();
        use_effect_with((*playing, p.race.is_some(), steps), move |&(is_playing, ready, steps)| {
            let window = web_sys::window();
            let by = stride(steps);
            let tick = Closure::<dyn Fn()>::new(move || step.dispatch(StepAction::Advance { by, last: steps }));
            let handle = match (&window, is_playing && ready) {
                (Some(w), true) => {
                    w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 30).ok()
                }
                _ => None,
            };
            move || {
                if let (Some(w), Some(h)) = (window, handle) {
                    w.clear_interval_with_handle(h);
                }
                drop(tick);
            }
        });
    }
    let canvas = use_canvas("race", (p.race.clone(), step.0), |c, (race, step)| match race {
        Some(r) => charts::race::draw(c, r, *step),
        None => Ok(()),
    });
    let figure = use_callback(p.race.clone(), |(), race| {
        race.as_deref().map(|r| crate::figure::race(r, &crate::ui::address::page_address()))
    });
    let surface_ref = crate::ui::components::use_select_value(p.surface.key().to_string());
    let on_surface = {
        let onsurface = p.onsurface.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = Surface::from_key(&e.target_unchecked_into::<HtmlSelectElement>().value()) {
                onsurface.emit(s);
            }
        })
    };
    let on_scrub = {
        let (step, playing) = (step.dispatcher(), playing.clone());
        Callback::from(move |e: InputEvent| {
            if let Ok(v) = e.target_unchecked_into::<HtmlInputElement>().value().parse::<usize>() {
                playing.set(false);
                step.dispatch(StepAction::Set(v.min(steps)));
            }
        })
    };
    let on_play = {
        let (dispatch, at_end, playing) = (step.dispatcher(), step.0 >= steps, playing.clone());
        Callback::from(move |_: MouseEvent| {
            if at_end {
                dispatch.dispatch(StepAction::Set(0));
            }
            playing.set(!*playing);
        })
    };
    html! {
        <section class="panel race" id="race" ref={in_view} aria-label="Optimizer race on a loss surface">
            <div class="regimes-head">
                <h2>{ "Optimizer race" }</h2>
                <p class="hint">{ "Six optimizers and your settings (the lab's optimizer, learning rate and schedule) from the same start on a 2-D \
                    loss surface — the same code that trains the networks. \
                    Colour: the loss (log scale, dark low); crosses: the minima." }</p>
                <button id="close-race" onclick={p.onclose.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
            <div class="race-body">
                <div class="race-plot">
                    <canvas id="race-chart" ref={canvas} role="img" aria-label="Optimizer paths on the loss surface"></canvas>
                    <div class="race-controls">
                        <button id="race-play" onclick={on_play}>{ if *playing { "Pause" } else { "Play" } }</button>
                        <input id="race-step" type="range" min="0" max={steps.to_string()} value={step.0.min(steps).to_string()}
                            aria-label="Step" oninput={on_scrub} />
                        <span class="race-step">{ format!("step {} / {steps}", step.0.min(steps)) }</span>
                    </div>
                    <SaveFigure id="race" stem="race" disabled={p.race.is_none()} {figure} />
                </div>
                <div class="race-side">
                    <label class="field">
                        <span>{ "Surface" }</span>
                        <select id="surface" ref={surface_ref} onchange={on_surface}>
                            { for Surface::ALL.iter().map(|s| html! {
                                <option value={s.key()} selected={*s == p.surface}>{ s.label() }</option>
                            }) }
                        </select>
                    </label>
                    <ul class="racers">
                        { for p.race.iter().flat_map(|r| r.paths.iter().map(|path| {
                            let (cr, cg, cb) = crate::ui::palette::optimizer(&path.name);
                            html! {
                                <li class="racer" data-outcome={format!("{:?}", path.outcome)} data-name={path.name.clone()}
                                    data-end-value={path.end_value.to_string()}>
                                    <span class="dot" style={format!("background: rgb({cr},{cg},{cb})")}></span>
                                    <strong>{ path.name.clone() }</strong>
                                    if path.name == crate::worker::protocol::YOURS { { format!(" ({})", p.yours) } }
                                    { format!(" · lr {} · ", format_lr(path.lr)) }
                                    { outcome_text(p.surface, path) }
                                </li>
                            }
                        })) }
                    </ul>
                </div>
            </div>
        </section>
    }
}

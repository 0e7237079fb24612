//! Drawing the data by hand: the data view with a tool bar — a class to
//! draw (a click adds a point, a drag paints several), an eraser, clear —
//! starting from the data shown (2-D classification) or from nothing. The
//! drawing becomes the experiment's data (`data=drawn&pts=…`, so the link
//! carries it) whenever it can train: each class up to the highest with
//! three points.

use std::rc::Rc;

use yew::prelude::*;

use super::views::{DataView, DataViewProps, Stroke};
use crate::engine::data::{Split, Task};
use crate::experiment::drawn::{self, DRAWN_CLASSES, DrawnPoint, MAX_DRAWN};
use crate::experiment::{DataKind, ExperimentSpec};
use crate::ui::charts::boundary::class_colour;
use crate::worker::protocol::View;

/// Closest two painted points of a drag, on the plane (its side is 2.6).
const PAINT_SPACING: f32 = 0.08;
/// How near the eraser must come to a point.
const ERASE_RADIUS: f32 = 0.1;

/// What the pointer does.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tool {
    Class(u8),
    /// A regression point: x is the input, y its target.
    Value,
    Erase,
}

#[derive(Properties, PartialEq)]
pub struct DrawableProps {
    pub split: Rc<Option<Split>>,
    pub view: Option<Rc<View>>,
    pub spec: ExperimentSpec,
    pub onspec: Callback<ExperimentSpec>,
}

/// The points of the data shown, as a drawing to start from: a 2-D
/// classification set of at most four classes, every point while they are
/// few, else an even share of them.
fn start_from(spec: &ExperimentSpec, split: &Option<Split>) -> Vec<DrawnPoint> {
    if spec.data.kind == DataKind::Drawn {
        return spec.data.drawn.clone();
    }
    let Some(split) = split else { return Vec::new() };
    let parts = [&split.train, &split.val, &split.test];
    let all: Vec<DrawnPoint> = match (split.train.task, split.train.n_features) {
        (Task::Classification { n_classes }, 2) if n_classes <= DRAWN_CLASSES => parts
            .into_iter()
            .flat_map(|d| (0..d.len()).map(move |i| DrawnPoint::at([d.features(i)[0], d.features(i)[1]], d.y[i] as u8)))
            .collect(),
        // A curve: each point's input across and its target up.
        (Task::Regression, 1) => parts
            .into_iter()
            .flat_map(|d| (0..d.len()).map(move |i| DrawnPoint::at([d.x[i], d.y[i]], drawn::REGRESSION)))
            .collect(),
        _ => return Vec::new(),
    };
    let every = all.len().div_ceil(MAX_DRAWN / 2).max(1);
    all.into_iter().step_by(every).collect()
}

/// "12 points: 7 of class 0, 5 of class 1".
fn tally(points: &[DrawnPoint]) -> String {
    if drawn::is_regression(points) {
        return format!("{} points: x an input, y its target (a regression)", points.len());
    }
    let n = drawn::n_classes(points);
    let per: Vec<String> = (0..n)
        .map(|c| format!("{} of class {c}", points.iter().filter(|p| usize::from(p.class) == c).count()))
        .collect();
    format!("{} points: {}", points.len(), per.join(", "))
}

/// The data view, and the tools to draw on it.
#[function_component]
pub fn DrawableDataView(p: &DrawableProps) -> Html {
    let points = use_state(|| None::<Rc<Vec<DrawnPoint>>>);
    let tool = use_state(|| Tool::Class(0));
    let last = use_mut_ref(|| None::<[f32; 2]>);
    // A batch size cut to a small drawing's training set, and the one asked
    // for: it grows back as the drawing does, unless the user changed it.
    let cut = use_mut_ref(|| None::<(usize, usize)>);
    // The drawing is the experiment's data whenever it can train; said otherwise.
    let commit = {
        let (spec, onspec, cut) = (p.spec.clone(), p.onspec.clone(), cut.clone());
        move |pts: &[DrawnPoint]| {
            let mut base = spec.clone();
            if let Some((asked, given)) = *cut.borrow() {
                if base.batch_size == given {
                    base.batch_size = asked;
                }
            }
            let next = base.with_drawn(pts.to_vec());
            if next.validate().is_ok() && next != spec {
                *cut.borrow_mut() = (next.batch_size < base.batch_size).then_some((base.batch_size, next.batch_size));
                onspec.emit(next);
            }
        }
    };
    let ondraw = {
        let (points, tool, last, commit) = (points.clone(), *tool, last.clone(), commit.clone());
        Callback::from(move |(stroke, at): (Stroke, [f32; 2])| {
            let Some(now) = (*points).clone() else { return };
            let mut next = (*now).clone();
            match (tool, stroke) {
                (_, Stroke::Up) => {
                    *last.borrow_mut() = None;
                    commit(&next);
                    return;
                }
                (Tool::Class(_) | Tool::Value, stroke) => {
                    let class = if let Tool::Class(c) = tool { c } else { drawn::REGRESSION };
                    let far = last.borrow().is_none_or(|l| (l[0] - at[0]).hypot(l[1] - at[1]) >= PAINT_SPACING);
                    // A drawing is all classes or all values.
                    let same =
                        next.first().is_none_or(|p| (p.class == drawn::REGRESSION) == (class == drawn::REGRESSION));
                    if !same || (stroke == Stroke::Move && !far) {
                        return;
                    }
                    next.push(DrawnPoint::at(at, class));
                    *last.borrow_mut() = Some(at);
                }
                (Tool::Erase, _) => {
                    next.retain(|q| {
                        let [x, y] = q.position();
                        (x - at[0]).hypot(y - at[1]) > ERASE_RADIUS
                    });
                }
            }
            next.truncate(MAX_DRAWN);
            if next != *now {
                points.set(Some(Rc::new(next)));
            }
        })
    };
    let start = {
        let (points, spec, split) = (points.clone(), p.spec.clone(), p.split.clone());
        Callback::from(move |_: MouseEvent| points.set(Some(Rc::new(start_from(&spec, &split)))))
    };
    let clear = {
        let points = points.clone();
        Callback::from(move |_: MouseEvent| points.set(Some(Rc::new(Vec::new()))))
    };
    let done = {
        let points = points.clone();
        Callback::from(move |_: MouseEvent| points.set(None))
    };
    let view = DataViewProps {
        split: p.split.clone(),
        view: p.view.clone(),
        spec: p.spec.clone(),
        id: Some(AttrValue::Static("boundary")),
        drawing: (*points).clone(),
        ondraw,
    };
    let Some(pts) = (*points).clone() else {
        return html! {
            <>
                <DataView ..view />
                <p class="draw-bar">
                    <button id="draw-start" title="Draw your own points on the plane: click to add one, drag to paint several"
                        onclick={start}>{ if p.spec.data.kind == DataKind::Drawn { "Edit the drawing" } else { "Draw points" } }</button>
                </p>
            </>
        };
    };
    let regression = drawn::is_regression(&pts);
    let classes = if regression { 0 } else { (drawn::n_classes(&pts) + 1).min(DRAWN_CLASSES) };
    let problem = drawn::check(&pts).err();
    let is_data = p.spec.data.kind == DataKind::Drawn && p.spec.data.drawn == *pts;
    html! {
        <>
            <DataView ..view />
            <div class="draw-bar" role="toolbar" aria-label="Drawing tools">
                { for (0..classes as u8).map(|c| {
                    // The drawing's colours; a class not drawn yet, as it will be.
                    let (r, g, b) = class_colour(usize::from(c), drawn::n_classes(&pts).max(usize::from(c) + 1));
                    let t = tool.clone();
                    html! {
                        <button id={format!("draw-class-{c}")} class="chip" aria-pressed={(*tool == Tool::Class(c)).to_string()}
                            onclick={Callback::from(move |_: MouseEvent| t.set(Tool::Class(c)))}>
                            <span class="dot" style={format!("background: rgb({r},{g},{b})")}></span>{ format!("class {c}") }
                        </button>
                    }
                }) }
                if pts.is_empty() || regression {
                    <button id="draw-value" class="chip" aria-pressed={(*tool == Tool::Value).to_string()}
                        title="A regression: each point's x is an input, its height the target"
                        onclick={{ let t = tool.clone(); Callback::from(move |_: MouseEvent| t.set(Tool::Value)) }}>
                        { "value (regression)" }
                    </button>
                }
                <button id="draw-erase" class="chip" aria-pressed={(*tool == Tool::Erase).to_string()}
                    onclick={{ let t = tool.clone(); Callback::from(move |_: MouseEvent| t.set(Tool::Erase)) }}>{ "Erase" }</button>
                <button id="draw-clear" class="chip" onclick={clear}>{ "Clear" }</button>
                <button id="draw-done" class="chip" onclick={done}>{ "Done" }</button>
            </div>
            <p class="hint" id="draw-status" role="status">
                { tally(&pts) }{ ". " }
                { match (&problem, is_data) {
                    (Some(why), _) => format!("Not yet data: {why}."),
                    (None, true) => "This is the experiment's data (its link carries the points): train it.".into(),
                    (None, false) => "Add or erase a point to make the drawing the experiment's data.".into(),
                } }
                { " Click to add a point of the chosen class (or a value), drag to paint several." }
            </p>
        </>
    }
}

//! "The network": its parameters as the run trains them — and beside them
//! the hyperparameters, which stay as set.

use std::rc::Rc;

use yew::prelude::*;

use super::figure::SaveFigure;
use super::views::use_canvas;
use crate::experiment::ExperimentSpec;
use crate::plot::format_value;
use crate::ui::charts::network::{NODE, Node, draw, height, min_width};
use crate::worker::picture::NetworkPicture;

#[derive(Properties, PartialEq)]
pub struct NetworkViewProps {
    /// The latest picture of the lab's run, once it has trained.
    pub picture: Option<Rc<NetworkPicture>>,
    pub spec: ExperimentSpec,
    /// Epochs trained so far.
    pub epoch: usize,
}

/// The input units' names: the 2-D features, a bundled set's columns, or
/// `input 1 … n`.
fn input_names(spec: &ExperimentSpec, n: usize) -> Vec<String> {
    let features: Vec<&str> = if spec.data.n_inputs() != 2 {
        Vec::new()
    } else if spec.features_2d.is_empty() && spec.data.own.is_none() {
        vec!["x₁", "x₂"]
    } else if spec.features_2d.is_empty() {
        // The user's columns, by name.
        Vec::new()
    } else {
        spec.features_2d.iter().map(|&f| super::settings::feature_label(f)).collect()
    };
    let named = n == spec.data.n_inputs();
    (0..n)
        .map(|i| match features.get(i) {
            Some(f) => f.to_string(),
            None => named.then(|| spec.data.input_name(i)).flatten().unwrap_or_else(|| format!("input {}", i + 1)),
        })
        .collect()
}

#[function_component]
pub fn NetworkView(p: &NetworkViewProps) -> Html {
    let nodes = use_mut_ref(Vec::<Node>::new);
    let hovered = use_state(|| None::<Node>);
    let names = input_names(&p.spec, p.picture.as_ref().map_or(0, |pic| pic.sizes[0]));
    let canvas = {
        let nodes = nodes.clone();
        use_canvas("network view", (p.picture.clone(), names.clone()), move |c, (picture, names)| {
            let Some(picture) = picture else { return Ok(()) };
            *nodes.borrow_mut() = draw(c, picture, names)?;
            Ok(())
        })
    };
    let onmove = {
        let (nodes, hovered) = (nodes.clone(), hovered.clone());
        Callback::from(move |e: PointerEvent| {
            let (x, y) = (e.offset_x() as f64, e.offset_y() as f64);
            let hit = nodes
                .borrow()
                .iter()
                .find(|n| (n.x..=n.x + NODE).contains(&x) && (n.y..=n.y + NODE).contains(&y))
                .copied();
            if hit != *hovered {
                hovered.set(hit);
            }
        })
    };
    let onleave = {
        let hovered = hovered.clone();
        Callback::from(move |_: PointerEvent| hovered.set(None))
    };
    // From the keyboard: the arrows walk the units (up/down within a layer,
    // left/right between layers), Escape lets go.
    let onkey = {
        let (nodes, hovered) = (nodes.clone(), hovered.clone());
        Callback::from(move |e: KeyboardEvent| {
            let next = step_node(&nodes.borrow(), *hovered, &e.key());
            if let Some(next) = next {
                e.prevent_default();
                if next != *hovered {
                    hovered.set(next);
                }
            }
        })
    };
    let onblur = {
        let hovered = hovered.clone();
        Callback::from(move |_: FocusEvent| hovered.set(None))
    };
    let model = p.spec.model();
    let n_params = model.n_params();
    let picture = p.picture.as_deref();
    let box_ = picture.zip(*hovered).map(|(pic, node)| unit_box(pic, node, &names));
    let style = picture.map_or("height: 0px".to_string(), |pic| {
        format!("height: {}px; min-width: {}px", height(pic), min_width(pic, &names))
    });
    let sum: f64 = picture.map_or(0.0, |pic| pic.weights.iter().flatten().map(|&w| w as f64).sum());
    let figure = use_callback((p.picture.clone(), p.spec.clone(), p.epoch), |(), (picture, spec, epoch)| {
        let link = crate::ui::address::full_link(&crate::experiment::to_query(spec));
        picture.as_deref().map(|pic| crate::figure::network(pic, spec, *epoch, &link))
    });
    html! {
        <section class="panel network" id="network" aria-label="The network: its parameters"
            data-epoch={p.epoch.to_string()} data-weight-sum={sum.to_string()}
            data-first-weight={picture.and_then(|pic| pic.weights.first()?.first().copied()).map(|w| (w as f64).to_string())}>
            <h2>{ "The network" }</h2>
            <div class="chart-wrap network-scroll">
                <canvas id="network-view" ref={canvas} {style} onpointermove={onmove} onpointerleave={onleave}
                    tabindex={picture.is_some().then_some("0")} onkeydown={onkey} {onblur}
                    role="img" aria-label="The network's units and weights: blue positive, orange negative, thicker larger. \
                        Arrow keys read the units' numbers."></canvas>
                if let Some(b) = box_ { { b } }
            </div>
            <SaveFigure id="network" stem="network" disabled={picture.is_none()} {figure} />
            if picture.is_none() {
                <p class="hint">{ "Train or step: the weights appear here and move as the network learns." }</p>
            }
            <div class="param-vs-hyper" id="params-vs-hypers">
                <div>
                    <h3>{ "Parameters" }</h3>
                    <p><strong id="n-params">{ n_params }</strong>{ " weights and biases, learned: training changes them every step" }
                        { if p.epoch > 0 { format!(" (epoch {})", p.epoch) } else { " (not trained yet)".to_string() } }</p>
                </div>
                <div>
                    <h3>{ "Hyperparameters" }</h3>
                    <p>{ hyper_summary(&p.spec) }{ " — set by you, fixed while it trains (the learning rate can be changed live)" }</p>
                </div>
            </div>
            <p class="hint">{ "Each square is a unit: for 2-D data, what it computes over the plane (blue positive, orange \
                negative); over pixels, a first-layer unit's weights as an image; otherwise, a hidden unit's \
                activations over training examples as a histogram; lines are weights, thicker for larger; the dot is the unit's bias; +N counts the units of a wide layer \
                not drawn. Point at a unit (or focus the picture and use the arrow keys) for its numbers." }</p>
        </section>
    }
}

/// The course's hyperparameters of this experiment, in a line.
fn hyper_summary(spec: &ExperimentSpec) -> String {
    let hidden: Vec<String> = spec.hidden.iter().map(|u| u.to_string()).collect();
    let acts: Vec<&str> = spec.activations.iter().map(|a| a.key()).collect();
    let mut parts = vec![
        format!("learning rate {}", crate::plot::format_lr(spec.lr)),
        format!("batch {}", spec.batch_size),
        spec.optimizer.name().to_string(),
        format!("layers {}", if hidden.is_empty() { "none".into() } else { hidden.join("-") }),
        acts.join("-"),
    ];
    let mut optimizer = spec.optimizer.clone();
    if let Some(wd) = optimizer.field("weight_decay").map(|f| f.get()).filter(|&w| w > 0.0) {
        parts.push(format!("weight decay {wd}"));
    }
    if spec.dropout > 0.0 {
        parts.push(format!("dropout {}", spec.dropout));
    }
    parts.join(", ")
}

/// The read-out of one unit: its layer, bias, largest incoming weights and
/// largest outgoing ones (the edges' values from both ends).
fn unit_box(p: &NetworkPicture, node: Node, names: &[String]) -> Html {
    let n = p.sizes.len();
    let title = match node.layer {
        0 => format!("input {}", names.get(node.unit).cloned().unwrap_or_default()),
        l if l + 1 == n => format!("output {}", node.unit + 1),
        l => format!("layer {l}, unit {}", node.unit + 1),
    };
    let mut rows = Vec::new();
    if node.layer > 0 {
        let l = node.layer - 1;
        rows.push(format!("bias {}", format_value(p.biases[l][node.unit] as f64)));
        let mut incoming: Vec<(usize, f32)> = (0..p.shown[l]).map(|i| (i, p.weight(l, node.unit, i))).collect();
        crate::engine::sort::sort_by(&mut incoming, |a, b| b.1.abs().total_cmp(&a.1.abs()));
        for (i, w) in incoming.into_iter().take(6) {
            let from = if l == 0 { names.get(i).cloned().unwrap_or_default() } else { format!("unit {}", i + 1) };
            rows.push(format!("from {from}: {}", format_value(w as f64)));
        }
    }
    if node.layer + 1 < n {
        let l = node.layer;
        let mut outgoing: Vec<(usize, f32)> = (0..p.shown[l + 1]).map(|o| (o, p.weight(l, o, node.unit))).collect();
        crate::engine::sort::sort_by(&mut outgoing, |a, b| b.1.abs().total_cmp(&a.1.abs()));
        for (o, w) in outgoing.into_iter().take(3) {
            let to = if l + 2 == n { format!("output {}", o + 1) } else { format!("layer {} unit {}", l + 1, o + 1) };
            rows.push(format!("to {to}: {}", format_value(w as f64)));
        }
    }
    let style = format!("left: {:.0}px; top: {:.0}px", node.x + NODE + 6.0, node.y);
    html! {
        <div class="hover-box" {style} role="status" aria-live="polite">
            <strong>{ title }</strong>
            { for rows.into_iter().map(|r| html! { <div>{ r }</div> }) }
        </div>
    }
}

/// The unit an arrow key moves to from `at` (the first unit when none is
/// selected); `Some(None)` for Escape, `None` for other keys.
fn step_node(nodes: &[Node], at: Option<Node>, key: &str) -> Option<Option<Node>> {
    let first = nodes.first().copied();
    let Some(at) = at else {
        return matches!(key, "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight").then_some(first);
    };
    let in_layer = |layer: usize| nodes.iter().filter(move |n| n.layer == layer);
    let moved = match key {
        "Escape" => return Some(None),
        "ArrowDown" => in_layer(at.layer).find(|n| n.unit > at.unit),
        "ArrowUp" => nodes.iter().rev().find(|n| n.layer == at.layer && n.unit < at.unit),
        "ArrowRight" | "ArrowLeft" => {
            let layer = match (key, at.layer) {
                ("ArrowRight", l) => l + 1,
                (_, 0) => return Some(Some(at)),
                (_, l) => l - 1,
            };
            // The unit of that layer drawn nearest in height.
            in_layer(layer).min_by(|a, b| (a.y - at.y).abs().total_cmp(&(b.y - at.y).abs()))
        }
        _ => return None,
    };
    Some(Some(moved.copied().unwrap_or(at)))
}

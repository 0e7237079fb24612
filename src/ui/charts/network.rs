//! The network view: inputs → hidden layers → outputs, each drawn unit a
//! square (for 2-D data, what it computes over the plane; for pixel inputs,
//! its weights as an image), edges coloured by the weight's sign and
//! weighted by its size, a dot for each bias.

use web_sys::HtmlCanvasElement;

use super::line::begin;
use super::{BLUE, ORANGE, diverging, paint_rgba};
use crate::worker::picture::{HIST_BINS, NetworkPicture, PICTURE_UNITS, UNIT_RES};

/// Side of a unit's square, and the room between two, in CSS pixels.
pub const NODE: f64 = 30.0;
const GAP: f64 = 8.0;
/// Room for the column titles above and the "more" notes below.
const TOP: f64 = 22.0;
const BOTTOM: f64 = 20.0;

/// Where a drawn unit is: for hover.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Node {
    pub layer: usize,
    pub unit: usize,
    pub x: f64,
    pub y: f64,
}

/// Whether layer `l`'s inputs are drawn as one block (too many to list).
fn block(p: &NetworkPicture, l: usize) -> bool {
    l == 0 && p.shown[0] > PICTURE_UNITS
}

/// Rows of squares in layer `l`'s column.
fn rows(p: &NetworkPicture, l: usize) -> usize {
    if block(p, l) { 1 } else { p.shown[l] }
}

/// The height the canvas needs, in CSS pixels.
pub fn height(p: &NetworkPicture) -> f64 {
    let most = (0..p.sizes.len()).map(|l| rows(p, l)).max().unwrap_or(1) as f64;
    let block_side = if block(p, 0) { 3.0 * NODE } else { 0.0 };
    TOP + BOTTOM + (most * (NODE + GAP) - GAP).max(block_side)
}

/// Least room between two columns' left edges.
const MIN_STEP: f64 = NODE + 34.0;
/// Room left of the inputs for their names: at least the least, at most the most.
const LEFT: f64 = 46.0;
const MOST_LEFT: f64 = 130.0;

/// The room the input names need, from their length (about 6.6 px a
/// character at 12 px; the drawing measures them and shortens any longer).
fn left_for(inputs: &[String]) -> f64 {
    let longest = inputs.iter().map(|n| n.chars().count()).max().unwrap_or(0) as f64;
    (longest * 6.6 + 10.0).clamp(LEFT, MOST_LEFT)
}

/// The width the canvas needs at least, in CSS pixels: wider pictures scroll.
pub fn min_width(p: &NetworkPicture, inputs: &[String]) -> f64 {
    // The last column's squares and bias dots; a block of pixel inputs is three squares wide.
    let block_extra = if block(p, 0) { 2.0 * NODE } else { 0.0 };
    left_for(inputs) + (p.sizes.len().saturating_sub(1)) as f64 * MIN_STEP + NODE + 12.0 + block_extra
}

/// `name`, shortened with an ellipsis to fit `room` pixels in the current font.
fn fitted(ctx: &web_sys::CanvasRenderingContext2d, name: &str, room: f64) -> String {
    let width = |t: &str| ctx.measure_text(t).map_or(t.len() as f64 * 7.0, |m| m.width());
    if width(name) <= room {
        return name.to_string();
    }
    let mut chars: Vec<char> = name.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let short = format!("{}…", chars.iter().collect::<String>().trim_end());
        if width(&short) <= room {
            return short;
        }
    }
    String::new()
}

/// A square image of `res × res` values in [−1, 1], as RGBA.
fn image(values: impl Iterator<Item = f32>) -> Vec<u8> {
    values.flat_map(diverging).collect()
}

/// Draws the picture; `inputs` names the input units. Returns where each unit is.
pub fn draw(canvas: &HtmlCanvasElement, p: &NetworkPicture, inputs: &[String]) -> Result<Vec<Node>, String> {
    let s = begin(canvas)?;
    let ctx = &s.ctx;
    let n = p.sizes.len();
    if n < 2 {
        return Ok(Vec::new());
    }
    let left = left_for(inputs);
    let step = ((s.width - left - NODE - 12.0) / (n - 1) as f64).max(MIN_STEP);
    let area = s.height - TOP - BOTTOM;
    let x_of = |l: usize| left + l as f64 * step;
    let y_of = |l: usize, r: usize| {
        let used = rows(p, l) as f64 * (NODE + GAP) - GAP;
        TOP + (area - used) / 2.0 + r as f64 * (NODE + GAP)
    };
    let block_side = 3.0 * NODE;
    // Edges first, each layer scaled by its own largest weight.
    for l in 0..n - 1 {
        let w_max = p.weights[l].iter().fold(1e-12f32, |m, w| m.max(w.abs()));
        for o in 0..p.shown[l + 1] {
            let (x1, y1) = (x_of(l + 1), y_of(l + 1, o) + NODE / 2.0);
            for i in 0..p.shown[l] {
                let w = p.weight(l, o, i);
                let t = (w.abs() / w_max) as f64;
                if t < 0.02 {
                    continue;
                }
                let (x0, y0) = if block(p, l) {
                    (x_of(l) + block_side, y_of(l, 0) + NODE / 2.0)
                } else {
                    (x_of(l) + NODE, y_of(l, i) + NODE / 2.0)
                };
                let (r, g, b) = if w >= 0.0 { BLUE } else { ORANGE };
                ctx.set_stroke_style_str(&format!("rgba({r},{g},{b},{:.3})", 0.12 + 0.6 * t));
                ctx.set_line_width(0.4 + 3.2 * t);
                ctx.begin_path();
                ctx.move_to(x0, y0);
                ctx.line_to(x1, y1);
                ctx.stroke();
            }
        }
    }
    // The units.
    let mut nodes = Vec::new();
    let mut unit = 0;
    // Counts the hidden units drawn, for their histograms.
    let mut hidden_unit = 0;
    let b_max: Vec<f32> = p.biases.iter().map(|b| b.iter().fold(1e-12f32, |m, v| m.max(v.abs()))).collect();
    ctx.set_font(&super::font(12.0));
    for l in 0..n {
        let x = x_of(l);
        if block(p, l) {
            // Pixel inputs: one square standing for all of them.
            let y = y_of(l, 0) + NODE / 2.0 - block_side / 2.0;
            ctx.set_fill_style_str("#eef1f5");
            ctx.fill_rect(x, y, block_side, block_side);
            ctx.set_fill_style_str("#5b6472");
            let _ = ctx.fill_text(&format!("{} inputs", p.sizes[0]), x + 4.0, y + block_side / 2.0 + 4.0);
            unit += p.shown[0];
            continue;
        }
        for r in 0..p.shown[l] {
            let y = y_of(l, r);
            let pixels = if let Some(map) = p.map(unit) {
                Some((image(map.iter().map(|&b| (b as f32 - 128.0) / 127.5)), UNIT_RES))
            } else if l == 1 && block(p, 0) && is_square(p.shown[0]) {
                // A first-layer unit over pixel inputs: its weights as the picture.
                let side = (p.shown[0] as f64).sqrt() as usize;
                let row = &p.weights[0][r * p.shown[0]..(r + 1) * p.shown[0]];
                let w_max = row.iter().fold(1e-12f32, |m, w| m.max(w.abs()));
                Some((image(row.iter().map(|w| w / w_max)), side))
            } else {
                None
            };
            let hidden = l > 0 && l + 1 < n;
            let hist = if hidden { p.hist(hidden_unit) } else { None };
            if hidden {
                hidden_unit += 1;
            }
            match (pixels, hist) {
                (Some((rgba, res)), _) => paint_rgba(ctx, &rgba, res as u32, (x, y, NODE, NODE))?,
                (None, Some(counts)) => {
                    // Its activations over training examples: negative bins orange, positive blue.
                    ctx.set_fill_style_str("#ffffff");
                    ctx.fill_rect(x, y, NODE, NODE);
                    let w = (NODE - 4.0) / HIST_BINS as f64;
                    for (b, &c) in counts.iter().enumerate() {
                        let h = (NODE - 4.0) * c as f64 / 255.0;
                        let (r, g, bl) = if b < HIST_BINS / 2 { ORANGE } else { BLUE };
                        ctx.set_fill_style_str(&format!("rgb({r},{g},{bl})"));
                        ctx.fill_rect(x + 2.0 + b as f64 * w, y + NODE - 2.0 - h, (w - 0.5).max(0.5), h);
                    }
                }
                (None, None) => {
                    ctx.set_fill_style_str("#eef1f5");
                    ctx.fill_rect(x, y, NODE, NODE);
                }
            }
            ctx.set_stroke_style_str("#8a93a0");
            ctx.set_line_width(1.0);
            ctx.stroke_rect(x, y, NODE, NODE);
            if l > 0 {
                // The bias: a dot at the corner, its size and colour from the value.
                let b = p.biases[l - 1][r];
                let t = (b.abs() / b_max[l - 1]) as f64;
                let (cr, cg, cb) = if b >= 0.0 { BLUE } else { ORANGE };
                ctx.set_fill_style_str(&format!("rgb({cr},{cg},{cb})"));
                ctx.begin_path();
                let _ = ctx.arc(x + NODE, y + NODE, 1.5 + 3.5 * t, 0.0, std::f64::consts::TAU);
                ctx.fill();
            } else if let Some(name) = inputs.get(r) {
                ctx.set_fill_style_str("#1d2430");
                ctx.set_text_align("right");
                let _ = ctx.fill_text(&fitted(ctx, name, left - 8.0), x - 5.0, y + NODE / 2.0 + 4.0);
                ctx.set_text_align("start");
            }
            nodes.push(Node { layer: l, unit: r, x, y });
            unit += 1;
        }
    }
    // Column titles, and what is not drawn.
    ctx.set_fill_style_str("#5b6472");
    ctx.set_text_align("center");
    for l in 0..n {
        let centre = x_of(l) + if block(p, l) { block_side / 2.0 } else { NODE / 2.0 };
        let title = match l {
            0 => "inputs".to_string(),
            l if l + 1 == n => "output".to_string(),
            l => format!("layer {l}"),
        };
        let _ = ctx.fill_text(&title, centre, 13.0);
        if p.sizes[l] > p.shown[l] {
            let _ = ctx.fill_text(&format!("+{}", p.sizes[l] - p.shown[l]), centre, s.height - 5.0);
        }
    }
    ctx.set_text_align("start");
    Ok(nodes)
}

fn is_square(n: usize) -> bool {
    let side = (n as f64).sqrt() as usize;
    side * side == n
}

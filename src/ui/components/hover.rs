//! Hover read-outs: the exact values under the pointer on a line chart, in a
//! box beside a vertical guide. Works with a mouse, a pen or a finger — and
//! with the keyboard: a focused chart shows its last values, the arrow keys
//! move the guide (an epoch, or a hundredth of the width where epochs are
//! narrower; with Shift, a tenth), Home and End jump to the ends, Escape
//! hides it.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::ui::charts::line::Frame;

/// The plot area of a chart's last drawing, shared between the drawing
/// effect (which writes it) and the pointer handlers (which read it).
pub type FrameCell = Rc<RefCell<Option<Frame>>>;

/// The x value under the pointer while it is over the plot area.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hover {
    pub x: f64,
}

/// Pointer handlers for a chart canvas and where the pointer is.
pub struct ChartHover {
    pub frame: FrameCell,
    pub at: Option<Hover>,
    pub onmove: Callback<PointerEvent>,
    pub onleave: Callback<PointerEvent>,
    /// For the chart's `onkeydown`, `onfocus` and `onblur` (give it `tabindex="0"`).
    pub onkey: Callback<KeyboardEvent>,
    pub onfocus: Callback<FocusEvent>,
    pub onblur: Callback<FocusEvent>,
}

#[hook]
pub fn use_chart_hover() -> ChartHover {
    let frame: FrameCell = use_mut_ref(|| None);
    let at = use_state(|| None::<Hover>);
    let onmove = {
        let (frame, at) = (frame.clone(), at.clone());
        Callback::from(move |e: PointerEvent| {
            let next = frame.borrow().and_then(|f| {
                let x = e.offset_x() as f64;
                (f.left..=f.left + f.width).contains(&x).then(|| Hover { x: f.x_at(x) })
            });
            if *at != next {
                at.set(next);
            }
        })
    };
    let onleave = {
        let at = at.clone();
        Callback::from(move |_: PointerEvent| at.set(None))
    };
    let onkey = {
        let (frame, at) = (frame.clone(), at.clone());
        Callback::from(move |e: KeyboardEvent| {
            let Some(f) = *frame.borrow() else { return };
            let (first, last) = (f.x_at(f.left), f.x_at(f.left + f.width));
            let x = at.map_or(last, |h| h.x);
            // Where epochs are wider than a hundredth of the width, one epoch per press (they start at 1).
            let unit = (f.px(x + 1.0) - f.px(x)).abs();
            let by_epoch = unit.is_finite() && unit >= f.width / 100.0 && unit < f.width / 4.0 && !e.shift_key();
            let step = if e.shift_key() { f.width / 10.0 } else { f.width / 100.0 };
            let next = match (e.key().as_str(), by_epoch) {
                ("ArrowLeft" | "ArrowDown", true) => x.round() - 1.0,
                ("ArrowRight" | "ArrowUp", true) => x.round() + 1.0,
                ("ArrowLeft" | "ArrowDown", false) => f.x_at(f.px(x) - step),
                ("ArrowRight" | "ArrowUp", false) => f.x_at(f.px(x) + step),
                ("Home", true) => first.ceil().max(1.0),
                ("Home", false) => first,
                ("End", _) => last,
                ("Escape", _) => return at.set(None),
                _ => return,
            };
            e.prevent_default();
            let (lo, hi) = if first <= last { (first, last) } else { (last, first) };
            at.set(Some(Hover { x: next.clamp(lo, hi) }));
        })
    };
    let onfocus = {
        let (frame, at) = (frame.clone(), at.clone());
        Callback::from(move |_: FocusEvent| {
            if let Some(f) = *frame.borrow() {
                at.set(Some(Hover { x: f.x_at(f.left + f.width) }));
            }
        })
    };
    let onblur = {
        let at = at.clone();
        Callback::from(move |_: FocusEvent| at.set(None))
    };
    ChartHover { frame, at: *at, onmove, onleave, onkey, onfocus, onblur }
}

/// One line of a read-out: an optional colour swatch and its text.
pub struct Row {
    pub colour: Option<(u8, u8, u8)>,
    pub text: String,
}

/// The guide line at `x` and a box with `title` and `rows`, on the side of
/// the guide with more room.
pub fn readout(frame: &Frame, x: f64, title: String, rows: Vec<Row>) -> Html {
    let left = frame.px(x);
    let guide = format!("left: {left:.1}px; top: {:.1}px; height: {:.1}px", frame.top, frame.height);
    let side = if left > frame.left + frame.width / 2.0 {
        format!("left: {:.1}px; top: {:.1}px; transform: translateX(-100%)", left - 8.0, frame.top + 4.0)
    } else {
        format!("left: {:.1}px; top: {:.1}px", left + 8.0, frame.top + 4.0)
    };
    html! {
        <>
            <div class="hover-guide" style={guide}></div>
            <div class="hover-box" style={side} role="status" aria-live="polite">
                <strong>{ title }</strong>
                { for rows.into_iter().map(|r| html! {
                    <div>
                        if let Some((red, g, b)) = r.colour {
                            <span class="dot" style={format!("background: rgb({red},{g},{b})")}></span>
                        }
                        { r.text }
                    </div>
                }) }
            </div>
        </>
    }
}

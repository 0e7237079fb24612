//! Line charts drawn straight on a 2-D canvas: axes with round ticks (linear
//! or log, from [`crate::plot::Scale`]), grid, lines, legend and a hint.
//!
//! Why not plotters: its canvas backend measures every text label by adding
//! a `<span>` to the page and reading its `offsetHeight`, which forces a
//! layout of the whole page per label. With eight charts updating together
//! (the four regimes) that was most of the main thread's time. The canvas's
//! own `measureText` costs nothing of the kind.
//!
//! Everything here is in CSS pixels: [`begin`] scales the context by the
//! device pixel ratio once.

use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::context_2d;
use crate::plot::Scale;

const TEXT: &str = "#4a5260";

thread_local! {
    static SCALE: std::cell::Cell<f64> = const { std::cell::Cell::new(1.0) };
}

/// Scales every chart's type and line widths (presentation mode: 1.5).
pub fn set_scale(scale: f64) {
    SCALE.with(|s| s.set(scale.clamp(0.5, 3.0)));
}

/// The scale of type and line widths now (1, or 1.5 in presentation mode).
pub fn scale() -> f64 {
    SCALE.with(std::cell::Cell::get)
}
const GRID: &str = "#ececec";
const AXIS: &str = "#c8c8c8";

/// The plot area of a drawn chart and its scales: maps data to CSS pixels
/// and back (for hover read-outs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
    pub x: Scale,
    pub y: Scale,
}

impl Frame {
    pub fn px(&self, x: f64) -> f64 {
        self.left + self.x.unit(x) * self.width
    }

    pub fn py(&self, y: f64) -> f64 {
        self.top + (1.0 - self.y.unit(y)) * self.height
    }

    /// The x value under the CSS pixel column `css_x`.
    pub fn x_at(&self, css_x: f64) -> f64 {
        self.x.value((css_x - self.left) / self.width)
    }
}

/// What the axes show.
pub struct Axes<'a> {
    pub x: Scale,
    pub y: Scale,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    /// At most about this many ticks on each axis.
    pub x_ticks: usize,
    pub y_ticks: usize,
    /// Label size in CSS pixels.
    pub font_px: f64,
    /// Names for a categorical x axis: category `i` sits at `i + 0.5`.
    pub x_categories: Option<&'a [String]>,
}

impl<'a> Axes<'a> {
    /// Two numeric axes with the usual ticks (6 across, 5 up) and 12 px labels.
    pub fn new(x: Scale, y: Scale, x_desc: &'a str, y_desc: &'a str) -> Self {
        Axes { x, y, x_desc, y_desc, x_ticks: 6, y_ticks: 5, font_px: 12.0, x_categories: None }
    }
}

/// How a line is drawn.
#[derive(Clone, Copy)]
pub struct Pen {
    pub colour: (u8, u8, u8),
    pub alpha: f64,
    pub width: f64,
}

impl Pen {
    pub fn new(colour: (u8, u8, u8), width: f64) -> Self {
        Pen { colour, alpha: 1.0, width }
    }

    fn css(&self) -> String {
        let (r, g, b) = self.colour;
        format!("rgba({r},{g},{b},{})", self.alpha)
    }
}

/// A canvas ready to draw on: sized to its box times the device pixel ratio,
/// scaled so one unit is one CSS pixel, and cleared to white.
pub struct Surface {
    pub ctx: CanvasRenderingContext2d,
    pub width: f64,
    pub height: f64,
    /// The font size last set (CSS pixels times the chart scale).
    font_px: std::cell::Cell<f64>,
    /// Canvas pixels per CSS pixel.
    ratio: f64,
}

thread_local! {
    /// Text widths by font size and text. The charts redraw the same tick
    /// labels and legends many times a second, and a canvas measures each
    /// anew: `measureText` was a sixth of the main thread's busy time while
    /// the four regimes trained (docs/PERFORMANCE.md).
    static WIDTHS: std::cell::RefCell<std::collections::HashMap<u64, std::collections::HashMap<String, f64>>> =
        Default::default();
}

/// Widths remembered at most per font size; past it that size's memory starts again.
const MAX_WIDTHS: usize = 4096;

pub fn begin(canvas: &HtmlCanvasElement) -> Result<Surface, String> {
    begin_at_most(canvas, f64::INFINITY)
}

/// [`begin`] with at most `ratio` canvas pixels per CSS pixel.
pub fn begin_at_most(canvas: &HtmlCanvasElement, ratio: f64) -> Result<Surface, String> {
    let dpr = super::fit_to_pixels(canvas, ratio);
    let ctx = context_2d(canvas).ok_or("no 2-D canvas")?;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).map_err(|e| format!("{e:?}"))?;
    let (width, height) = (canvas.width() as f64 / dpr, canvas.height() as f64 / dpr);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, width, height);
    Ok(Surface { ctx, width, height, font_px: std::cell::Cell::new(f64::NAN), ratio: dpr })
}

impl Surface {
    /// Sets a font of `px` CSS pixels times the chart scale.
    fn font(&self, px: f64) {
        self.font_px.set(px * scale());
        self.ctx.set_font(&super::font(px * scale()));
    }

    /// The width of `text` in the font last set, measured once per font size.
    fn text_width(&self, text: &str) -> f64 {
        let font = self.font_px.get().to_bits();
        if let Some(w) = WIDTHS.with_borrow(|m| m.get(&font).and_then(|widths| widths.get(text).copied())) {
            return w;
        }
        let w = self.ctx.measure_text(text).map_or(text.len() as f64 * 7.0, |m| m.width());
        WIDTHS.with_borrow_mut(|m| {
            let widths = m.entry(font).or_default();
            if widths.len() >= MAX_WIDTHS {
                widths.clear();
            }
            widths.insert(text.to_string(), w);
        });
        w
    }

    /// Draws the grid, tick labels and axis titles; returns the plot area.
    pub fn axes(&self, axes: &Axes) -> Result<Frame, String> {
        let ctx = &self.ctx;
        self.font(axes.font_px);
        let f = axes.font_px * scale();
        let y_ticks = axes.y.ticks(axes.y_ticks);
        let y_labels: Vec<String> = y_ticks.iter().map(|&v| axes.y.label(v, &y_ticks)).collect();
        let label_w = y_labels.iter().map(|l| self.text_width(l)).fold(0.0, f64::max);
        let left = 6.0 + f * 1.4 + label_w + 6.0;
        let bottom = 6.0 + f + 4.0 + if axes.x_desc.is_empty() { 0.0 } else { f * 1.3 };
        let (top, right) = (8.0 + f * 0.5, 16.0);
        let frame = Frame {
            left,
            top,
            width: (self.width - left - right).max(10.0),
            height: (self.height - top - bottom).max(10.0),
            x: axes.x,
            y: axes.y,
        };
        ctx.set_line_width(1.0);
        ctx.set_fill_style_str(TEXT);
        // Horizontal grid lines and y labels.
        ctx.set_text_align("right");
        ctx.set_text_baseline("middle");
        for (v, label) in y_ticks.iter().zip(&y_labels) {
            let y = frame.py(*v).round() + 0.5;
            self.hline(&frame, y, GRID);
            ctx.fill_text(label, left - 6.0, y).map_err(|e| format!("{e:?}"))?;
        }
        // Vertical grid lines and x labels.
        let (x_ticks, x_labels): (Vec<f64>, Vec<String>) = match axes.x_categories {
            Some(names) => names.iter().enumerate().map(|(i, n)| (i as f64 + 0.5, n.clone())).unzip(),
            None => {
                let ticks = axes.x.ticks(axes.x_ticks);
                let labels = ticks.iter().map(|&v| axes.x.label(v, &ticks)).collect();
                (ticks, labels)
            }
        };
        ctx.set_text_align("center");
        ctx.set_text_baseline("top");
        for (&v, label) in x_ticks.iter().zip(&x_labels) {
            let x = frame.px(v).round() + 0.5;
            ctx.set_stroke_style_str(GRID);
            ctx.begin_path();
            ctx.move_to(x, frame.top);
            ctx.line_to(x, frame.top + frame.height);
            ctx.stroke();
            // A label wider than the room at the edge (the last epoch of a long plan) stays on the canvas.
            let half = self.text_width(label) / 2.0;
            let at = x.min(self.width - half - 2.0).max(half + 2.0);
            ctx.fill_text(label, at, frame.top + frame.height + 5.0).map_err(|e| format!("{e:?}"))?;
        }
        // The axes themselves.
        ctx.set_stroke_style_str(AXIS);
        ctx.stroke_rect(frame.left + 0.5, frame.top + 0.5, frame.width, frame.height);
        // Titles.
        if !axes.x_desc.is_empty() {
            ctx.set_text_baseline("bottom");
            ctx.fill_text(axes.x_desc, frame.left + frame.width / 2.0, self.height - 3.0)
                .map_err(|e| format!("{e:?}"))?;
        }
        if !axes.y_desc.is_empty() {
            ctx.save();
            ctx.translate(4.0, frame.top + frame.height / 2.0).map_err(|e| format!("{e:?}"))?;
            ctx.rotate(-std::f64::consts::FRAC_PI_2).map_err(|e| format!("{e:?}"))?;
            ctx.set_text_baseline("top");
            ctx.fill_text(axes.y_desc, 0.0, 0.0).map_err(|e| format!("{e:?}"))?;
            ctx.restore();
        }
        Ok(frame)
    }

    fn hline(&self, frame: &Frame, y: f64, colour: &str) {
        self.ctx.set_stroke_style_str(colour);
        self.ctx.begin_path();
        self.ctx.move_to(frame.left, y);
        self.ctx.line_to(frame.left + frame.width, y);
        self.ctx.stroke();
    }

    /// A filled dot of `radius` CSS pixels at each point.
    pub fn dots(&self, frame: &Frame, points: impl IntoIterator<Item = (f64, f64)>, colour: (u8, u8, u8), radius: f64) {
        let (r, g, b) = colour;
        self.ctx.set_fill_style_str(&format!("rgba({r},{g},{b},0.75)"));
        for (x, y) in points {
            let (cx, cy) = (frame.px(x), frame.py(y));
            if cx.is_finite() && cy.is_finite() {
                self.ctx.begin_path();
                let _ = self.ctx.arc(cx, cy, radius * scale(), 0.0, std::f64::consts::TAU);
                self.ctx.fill();
            }
        }
    }

    /// A polyline through `points`, clipped to the plot area; a non-finite
    /// point breaks the line. Of many points to a canvas pixel column only
    /// those that draw the same line are drawn (`plot::thin_polyline`).
    pub fn line(&self, frame: &Frame, points: impl IntoIterator<Item = (f64, f64)>, pen: Pen) {
        let ctx = &self.ctx;
        ctx.save();
        ctx.begin_path();
        ctx.rect(frame.left, frame.top, frame.width, frame.height);
        ctx.clip();
        ctx.set_stroke_style_str(&pen.css());
        ctx.set_line_width(pen.width * scale());
        ctx.set_line_join("round");
        ctx.begin_path();
        let mut pen_down = false;
        // Thinned with y still the data's (`py` is monotonic): only the kept
        // points pay for `py`, a logarithm on a log axis. A 100 000-epoch
        // plan's learning rates took 26 ms a draw mapped all at once.
        let columns = points.into_iter().map(|(x, y)| (frame.px(x), y));
        for (cx, y) in crate::plot::thin_polyline(columns, frame.left, frame.left + frame.width, self.ratio) {
            // Far-off values are held just outside the area: the clip hides them, the slope stays right.
            let cy = frame.py(y).clamp(frame.top - 1e4, frame.top + frame.height + 1e4);
            if !(cx.is_finite() && cy.is_finite()) {
                pen_down = false;
            } else if pen_down {
                ctx.line_to(cx, cy);
            } else {
                ctx.move_to(cx, cy);
                pen_down = true;
            }
        }
        ctx.stroke();
        ctx.restore();
    }

    /// A vertical line across the plot area at `x`.
    pub fn vline(&self, frame: &Frame, x: f64, pen: Pen) {
        let cx = frame.px(x);
        if !(frame.left..=frame.left + frame.width).contains(&cx) {
            return;
        }
        self.ctx.set_stroke_style_str(&pen.css());
        self.ctx.set_line_width(pen.width * scale());
        self.ctx.begin_path();
        self.ctx.move_to(cx, frame.top);
        self.ctx.line_to(cx, frame.top + frame.height);
        self.ctx.stroke();
    }

    /// A legend box in the upper right corner of the plot area: one entry per
    /// row, or all in one row when the area is too short for that.
    pub fn legend(&self, frame: &Frame, entries: &[(&str, Pen)], font_px: f64) -> Result<(), String> {
        if entries.is_empty() {
            return Ok(());
        }
        let ctx = &self.ctx;
        self.font(font_px);
        let row = font_px * scale() * 1.5;
        let swatch = 30.0;
        let widths: Vec<f64> = entries.iter().map(|(t, _)| self.text_width(t) + swatch).collect();
        let stacked = row * entries.len() as f64 + 8.0 <= frame.height * 0.6;
        let (w, h) = if stacked {
            (widths.iter().copied().fold(0.0, f64::max) + 6.0, row * entries.len() as f64 + 8.0)
        } else {
            (widths.iter().sum::<f64>() + 6.0 * entries.len() as f64, row + 8.0)
        };
        let (x, y) = (frame.left + frame.width - w - 6.0, frame.top + 6.0);
        ctx.set_fill_style_str("rgba(255,255,255,0.88)");
        ctx.fill_rect(x, y, w, h);
        ctx.set_stroke_style_str(AXIS);
        ctx.set_line_width(1.0);
        ctx.stroke_rect(x + 0.5, y + 0.5, w, h);
        ctx.set_text_align("left");
        ctx.set_text_baseline("middle");
        let mut cx = x;
        for (i, ((text, pen), width)) in entries.iter().zip(&widths).enumerate() {
            let cy = if stacked { y + 4.0 + row * (i as f64 + 0.5) } else { y + 4.0 + row * 0.5 };
            let left = if stacked { x } else { cx };
            ctx.set_stroke_style_str(&pen.css());
            ctx.set_line_width(pen.width * scale());
            ctx.begin_path();
            ctx.move_to(left + 8.0, cy);
            ctx.line_to(left + 24.0, cy);
            ctx.stroke();
            ctx.set_fill_style_str(TEXT);
            ctx.fill_text(text, left + swatch, cy).map_err(|e| format!("{e:?}"))?;
            cx += width + 6.0;
        }
        Ok(())
    }

    /// A grey sentence in the middle of the plot area (an empty chart's hint).
    /// A line of text in the middle of the plot, wrapped at words so it stays
    /// inside however narrow the plot is.
    pub fn hint(&self, frame: &Frame, text: &str, font_px: f64) -> Result<(), String> {
        self.font(font_px);
        self.ctx.set_fill_style_str("#6e7682");
        self.ctx.set_text_align("center");
        self.ctx.set_text_baseline("middle");
        let room = (frame.width - 16.0).max(40.0);
        let width = |s: &str| self.text_width(s);
        let mut lines: Vec<String> = Vec::new();
        for word in text.split_whitespace() {
            match lines.last_mut() {
                Some(line) if width(&format!("{line} {word}")) <= room => {
                    line.push(' ');
                    line.push_str(word);
                }
                _ => lines.push(word.to_string()),
            }
        }
        let step = font_px * scale() * 1.3;
        let top = frame.top + frame.height / 2.0 - step * (lines.len() as f64 - 1.0) / 2.0;
        for (i, line) in lines.iter().enumerate() {
            self.ctx
                .fill_text(line, frame.left + frame.width / 2.0, top + step * i as f64)
                .map_err(|e| format!("{e:?}"))?;
        }
        Ok(())
    }
}

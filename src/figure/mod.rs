//! Figures that leave the lab: a chart's series drawn with plotters, as SVG
//! (the command line and the page; the page's PNG is that SVG drawn by the
//! browser at twice the size, `ui::components::figure`). The live
//! charts stay on the page's own canvas code, which draws a frame in well
//! under a millisecond; plotters lays text out and builds its elements anew
//! on every draw, which costs nothing that matters for a one-off figure.
//!
//! The layout is fixed in pixels (title, plotting area, legend, the link in
//! small type), so the plotting area, and with it every plotted point, is
//! the same in a browser and in a terminal, whatever their fonts measure:
//! the page's SVG and `hyperlab plot`'s carry the same polylines.
//!
//! A figure is lines and points ([`Series`]) over coloured rectangles
//! ([`Cell`]: a decision map, a heat map, a confusion matrix, bars). The
//! charts of a run are built in [`runs`], a search's in [`searches`], the
//! pictures (the data, the network, the optimizer race) in [`pictures`].

mod pictures;
mod runs;
mod searches;

pub use pictures::*;
pub use runs::*;
pub use searches::*;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

/// The figure's size in CSS pixels (the page's PNG is twice this).
pub const WIDTH: u32 = 900;
pub const HEIGHT: u32 = 560;

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Mark {
    Line,
    /// A plan, a quartile, the lab's own path in the race.
    Dashed,
    /// Not joined: a search's trials, the data.
    Points,
    /// Hollow points: the validation data.
    Rings,
}

/// One series of a figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Its legend entry; empty: none.
    pub name: String,
    pub color: (u8, u8, u8),
    pub mark: Mark,
    /// A line's width or a point's radius, in figure pixels.
    pub width: f64,
    pub points: Vec<(f64, f64)>,
}

impl Series {
    pub fn line(name: impl Into<String>, color: (u8, u8, u8), points: Vec<(f64, f64)>) -> Series {
        Series { name: name.into(), color, mark: Mark::Line, width: 2.0, points }
    }

    pub fn dashed(name: impl Into<String>, color: (u8, u8, u8), points: Vec<(f64, f64)>) -> Series {
        Series { mark: Mark::Dashed, ..Series::line(name, color, points) }
    }

    pub fn dots(name: impl Into<String>, color: (u8, u8, u8), points: Vec<(f64, f64)>) -> Series {
        Series { mark: Mark::Points, width: 3.0, ..Series::line(name, color, points) }
    }

    pub fn rings(name: impl Into<String>, color: (u8, u8, u8), points: Vec<(f64, f64)>) -> Series {
        Series { mark: Mark::Rings, ..Series::dots(name, color, points) }
    }

    /// The same series with another line width (point radius).
    pub fn width(self, width: f64) -> Series {
        Series { width, ..self }
    }
}

/// A filled rectangle in the data's coordinates with an optional label at
/// its centre (a heat map's value, a count, an axis's value). Unlabelled
/// cells (a map) lie under the series, labelled ones over them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub fill: (u8, u8, u8),
    pub label: String,
}

/// A chart as it leaves the lab (on the page, sent to the study worker to
/// be drawn: `worker::protocol::Command::Figure`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub log_x: bool,
    pub log_y: bool,
    /// Named places along x (at 0, 1, …: a hyperparameter's choices, a
    /// network's layers); empty for a numeric axis.
    pub x_categories: Vec<String>,
    /// Named places up y (at 0, 1, …: a confusion matrix's classes).
    pub y_categories: Vec<String>,
    /// The y axis's range when fixed (a share, 0 to 1); `None`: the data's.
    pub y_range: Option<(f64, f64)>,
    /// Rectangles: under the series, or over them when labelled.
    pub cells: Vec<Cell>,
    pub series: Vec<Series>,
    /// The link the figure came from, printed in small type at its foot.
    pub link: String,
}

const FONT: &str = "sans-serif";
/// plotters draws a font of size `s` at `s / 1.24` pixels.
const PT: f64 = 1.24;
const INK: RGBColor = RGBColor(40, 44, 52);
const MUTED: RGBColor = RGBColor(110, 116, 128);

/// Whether a colour is light enough for dark text on it.
fn light((r, g, b): (u8, u8, u8)) -> bool {
    u32::from(r) + u32::from(g) + u32::from(b) > 380
}

impl Figure {
    /// A figure of numeric axes with nothing on them yet.
    pub fn new(title: impl Into<String>, x_label: impl Into<String>, y_label: impl Into<String>, link: &str) -> Figure {
        Figure {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            log_x: false,
            log_y: false,
            x_categories: Vec::new(),
            y_categories: Vec::new(),
            y_range: None,
            cells: Vec::new(),
            series: Vec::new(),
            link: link.to_string(),
        }
    }

    /// The figure as an SVG document.
    pub fn svg(&self) -> Result<String, String> {
        let mut text = String::new();
        {
            let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(|e| e.to_string())?;
        }
        Ok(text)
    }

    /// The ranges the axes show: every finite point and cell corner (positive
    /// ones on a log axis), a little room around them; a named axis spans its
    /// names.
    fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let finite = |v: f64, log: bool| v.is_finite() && (!log || v > 0.0);
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        let corners = self.cells.iter().flat_map(|c| [(c.x.0, c.y.0), (c.x.1, c.y.1)]);
        for (x, y) in self.series.iter().flat_map(|s| s.points.iter().copied()).chain(corners) {
            if finite(x, self.log_x) && finite(y, self.log_y) {
                xs.push(x);
                ys.push(y);
            }
        }
        // Cells fill the plot edge to edge; points get a margin.
        let tight = !self.cells.is_empty();
        let span = |v: &[f64], log: bool| {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if !lo.is_finite() {
                return if log { (0.1, 1.0) } else { (0.0, 1.0) };
            }
            if log {
                let (lo, hi) = if hi > lo { (lo, hi) } else { (lo / 2.0, hi * 2.0) };
                if tight { (lo, hi) } else { (lo / 1.15, hi * 1.15) }
            } else {
                let pad = if hi > lo { (hi - lo) * 0.04 } else { lo.abs().max(1.0) * 0.5 };
                if tight && hi > lo { (lo, hi) } else { (lo - pad, hi + pad) }
            }
        };
        let named = |names: &[String], range: (f64, f64)| {
            if names.is_empty() { range } else { (-0.5, names.len() as f64 - 0.5) }
        };
        let y = self.y_range.unwrap_or_else(|| span(&ys, self.log_y));
        (named(&self.x_categories, span(&xs, self.log_x)), named(&self.y_categories, y))
    }

    /// Draws the figure on `root`, [`WIDTH`] × [`HEIGHT`] pixels.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let px = |v: f64| v.round() as i32;
        let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.fill(&WHITE).map_err(e)?;
        // A long title in smaller type, so it fits the width (its place, and the plot's, stay).
        let size = match self.title.chars().count() {
            0..=78 => 20.0,
            79..=96 => 16.5,
            _ => 14.0,
        };
        let title = TextStyle::from((FONT, f64::from(px(size)) * PT).into_font())
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Top));
        root.draw(&Text::new(self.title.clone(), (px(24.0), px(16.0)), title)).map_err(e)?;
        let small = TextStyle::from((FONT, f64::from(px(11.0)) * PT).into_font())
            .color(&MUTED)
            .pos(Pos::new(HPos::Left, VPos::Bottom));
        let link: String = if self.link.chars().count() > 150 {
            self.link.chars().take(149).chain(['…']).collect()
        } else {
            self.link.clone()
        };
        root.draw(&Text::new(link, (px(24.0), px(HEIGHT as f64 - 10.0)), small)).map_err(e)?;
        // The legend: rows under the title, outside the plotting area, so it
        // hides no point; each entry's place is fixed (from its length), not
        // measured, so it is the same wherever the figure is drawn.
        let (mut at, mut row) = (24.0, 0.0);
        for s in self.series.iter().filter(|s| !s.name.is_empty()) {
            let width = 24.0 + 7.5 * s.name.chars().count() as f64 + 22.0;
            if at > 24.0 && at + width > f64::from(WIDTH) - 24.0 {
                (at, row) = (24.0, row + 1.0);
            }
            let color = RGBColor(s.color.0, s.color.1, s.color.2);
            let y = px(56.0 + 20.0 * row);
            if s.mark == Mark::Points {
                root.draw(&Circle::new((px(at + 9.0), y), px(3.5), color.filled())).map_err(e)?;
            } else if s.mark == Mark::Rings {
                root.draw(&Circle::new((px(at + 9.0), y), px(3.5), color.stroke_width(px(1.5).max(1) as u32)))
                    .map_err(e)?;
            } else {
                let style = color.stroke_width(px(2.0).max(1) as u32);
                root.draw(&PathElement::new(vec![(px(at), y), (px(at + 18.0), y)], style)).map_err(e)?;
            }
            let name = TextStyle::from((FONT, f64::from(px(13.0)) * PT).into_font())
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(s.name.clone(), (px(at + 24.0), y), name)).map_err(e)?;
            at += width;
        }
        let plot = root.margin(px(76.0 + 20.0 * row), px(36.0), px(16.0), px(24.0));
        let ((x0, x1), (y0, y1)) = self.ranges();
        // Epochs and trials are whole: no tick between two of them.
        let whole = self.x_label.starts_with("epoch") || self.x_label.starts_with("trial");
        let named = |names: &[String], v: f64| {
            let k = v.round();
            if (v - k).abs() < 1e-6 && k >= 0.0 {
                names.get(k as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let x_format = |v: &f64| {
            if !self.x_categories.is_empty() {
                named(&self.x_categories, *v)
            } else if whole && v.fract() != 0.0 {
                String::new()
            } else {
                short(*v)
            }
        };
        let y_format = |v: &f64| if self.y_categories.is_empty() { short(*v) } else { named(&self.y_categories, *v) };
        let label = (FONT, f64::from(px(14.0)) * PT).into_font().color(&INK);
        let tick = (FONT, f64::from(px(12.0)) * PT).into_font().color(&MUTED);
        let cell_text = |fill| {
            TextStyle::from((FONT, f64::from(px(12.0)) * PT).into_font())
                .color(if light(fill) { &INK } else { &WHITE })
                .pos(Pos::new(HPos::Center, VPos::Center))
        };
        let mut builder = ChartBuilder::on(&plot);
        builder.x_label_area_size(px(46.0)).y_label_area_size(px(72.0));
        let ticks = |names: &[String], numeric: usize| if names.is_empty() { numeric } else { names.len() + 1 };
        macro_rules! chart {
            ($x:expr, $y:expr) => {{
                let mut chart = builder.build_cartesian_2d($x, $y).map_err(e)?;
                chart
                    .configure_mesh()
                    .light_line_style(RGBColor(246, 247, 249))
                    .bold_line_style(RGBColor(214, 218, 226))
                    .axis_style(RGBColor(150, 156, 166))
                    .x_desc(self.x_label.as_str())
                    .y_desc(self.y_label.as_str())
                    .axis_desc_style(label.clone())
                    .label_style(tick.clone())
                    .x_labels(ticks(&self.x_categories, 10))
                    .y_labels(ticks(&self.y_categories, 10))
                    .x_label_formatter(&x_format)
                    .y_label_formatter(&y_format)
                    .draw()
                    .map_err(e)?;
                let shown = |x: f64, y: f64| {
                    x.is_finite() && y.is_finite() && (!self.log_x || x > 0.0) && (!self.log_y || y > 0.0)
                };
                // A label at the cell's centre: the middle of a log axis's span is its geometric mean.
                let mid = |(a, b): (f64, f64), log: bool| if log { (a * b).sqrt() } else { (a + b) / 2.0 };
                // Labelled cells (tiles with their value, an axis's values) over the series, the rest under.
                let cells = |labelled: bool| {
                    self.cells
                        .iter()
                        .filter(move |c| c.label.is_empty() != labelled && shown(c.x.0, c.y.0) && shown(c.x.1, c.y.1))
                };
                macro_rules! paint {
                    ($labelled:expr) => {{
                        chart
                            .draw_series(cells($labelled).map(|c| {
                                let fill = RGBColor(c.fill.0, c.fill.1, c.fill.2);
                                Rectangle::new([(c.x.0, c.y.0), (c.x.1, c.y.1)], fill.filled())
                            }))
                            .map_err(e)?;
                        chart
                            .draw_series(cells($labelled).map(|c| {
                                let at = (mid(c.x, self.log_x), mid(c.y, self.log_y));
                                Text::new(c.label.clone(), at, cell_text(c.fill))
                            }))
                            .map_err(e)?;
                    }};
                }
                paint!(false);
                for s in &self.series {
                    let color = RGBColor(s.color.0, s.color.1, s.color.2);
                    let width = s.width.round().max(1.0) as u32;
                    let style = color.stroke_width(width);
                    let points: Vec<(f64, f64)> = s.points.iter().copied().filter(|&(x, y)| shown(x, y)).collect();
                    match s.mark {
                        Mark::Points => {
                            let r = s.width.round().max(1.0) as i32;
                            chart.draw_series(points.iter().map(|&p| Circle::new(p, r, color.filled()))).map_err(e)?;
                        }
                        Mark::Rings => {
                            let r = s.width.round().max(1.0) as i32;
                            let ring = ShapeStyle {
                                color: color.to_rgba(),
                                filled: false,
                                stroke_width: px(1.5).max(1) as u32,
                            };
                            chart.draw_series(points.iter().map(|&p| Circle::new(p, r, ring))).map_err(e)?;
                        }
                        Mark::Dashed => {
                            let series = DashedLineSeries::new(points, px(6.0) as u32, px(4.0) as u32, style);
                            chart.draw_series(series).map_err(e)?;
                        }
                        Mark::Line => {
                            chart.draw_series(LineSeries::new(points, style)).map_err(e)?;
                        }
                    }
                }
                paint!(true);
            }};
        }
        match (self.log_x, self.log_y) {
            (false, false) => chart!(x0..x1, y0..y1),
            (false, true) => chart!(x0..x1, (y0..y1).log_scale()),
            (true, false) => chart!((x0..x1).log_scale(), y0..y1),
            (true, true) => chart!((x0..x1).log_scale(), (y0..y1).log_scale()),
        }
        Ok(())
    }
}

/// A tick label: few digits, no trailing zeros (`20`, `0.05`, `1e-4`).
fn short(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-3..1e5).contains(&a) {
        return format!("{v:.0e}");
    }
    let text = format!("{v:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.to_string()
}

/// Whether values spanning `lo..hi` read better on a log axis (over 30×).
fn wide(values: impl Iterator<Item = f64>) -> bool {
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for v in values.filter(|v| v.is_finite() && *v > 0.0) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    lo.is_finite() && hi / lo > 30.0
}

/// A figure whose x axis is the epochs.
fn over_epochs(title: String, y_label: String, log_y: bool, series: Vec<Series>, link: &str) -> Figure {
    Figure { log_y, series, ..Figure::new(title, "epoch", y_label, link) }
}

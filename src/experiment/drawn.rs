//! Points drawn by hand on the data view (`data=drawn`): each a place on
//! the view's square and a class — or, for a regression, an input x and
//! its target y — on a grid of 4 096 steps a side, so a drawing of a few
//! hundred points travels in its link (`pts=`, 4 bytes a point in URL-safe
//! base64).

use serde::{Deserialize, Serialize};

use crate::engine::data::{Dataset, Plane, Task};

/// Most points a drawing holds.
pub const MAX_DRAWN: usize = 500;
/// Classes a drawing can have.
pub const DRAWN_CLASSES: usize = 4;
/// Points each class needs before a drawing trains (one for training, one
/// held out, one more either way).
pub const MIN_PER_CLASS: usize = 3;
/// The class byte of a regression point: (x, y) is an input and its target.
pub const REGRESSION: u8 = 255;
/// Points a regression drawing needs before it trains.
pub const MIN_REGRESSION: usize = 5;
/// The last step of the grid, per axis.
const STEPS: u16 = 4095;

/// A drawn point: its place on the grid over the standard view's square
/// (`Plane::STANDARD`), and its class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawnPoint {
    pub x: u16,
    pub y: u16,
    pub class: u8,
}

fn step(v: f32) -> u16 {
    let half = Plane::STANDARD.half;
    (((v.clamp(-half, half) + half) / (2.0 * half)) * f32::from(STEPS)).round() as u16
}

fn place(s: u16) -> f32 {
    let half = Plane::STANDARD.half;
    -half + f32::from(s.min(STEPS)) * (2.0 * half / f32::from(STEPS))
}

impl DrawnPoint {
    /// The grid point nearest `p` (held inside the view's square), of `class`.
    pub fn at(p: [f32; 2], class: u8) -> DrawnPoint {
        DrawnPoint { x: step(p[0]), y: step(p[1]), class }
    }

    /// Where it lies on the plane.
    pub fn position(self) -> [f32; 2] {
        [place(self.x), place(self.y)]
    }
}

/// The points as a link writes them: each as x and y in 12 bits and its
/// class in 8, in URL-safe base64 without padding.
pub fn encode(points: &[DrawnPoint]) -> String {
    let bytes: Vec<u8> = points
        .iter()
        .flat_map(|p| [(p.x >> 4) as u8, ((p.x & 15) << 4 | p.y >> 8) as u8, p.y as u8, p.class])
        .collect();
    crate::base64::base64url(&bytes)
}

/// The points a link's `pts=` holds, or why it holds none: checked for its
/// alphabet and length before anything is allocated by it (the reader caps
/// the text too).
pub fn decode(text: &str) -> Result<Vec<DrawnPoint>, String> {
    let not_base64 = || "not drawn points (URL-safe base64 expected)".to_string();
    if !text.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_') {
        return Err(not_base64());
    }
    let n_bytes = text.len() * 6 / 8;
    if text.len() % 4 == 1 || n_bytes % 4 != 0 {
        return Err("not drawn points (4 bytes a point)".into());
    }
    if n_bytes / 4 > MAX_DRAWN {
        return Err(format!("more than {MAX_DRAWN} points"));
    }
    let bytes = crate::base64::unbase64url(text).ok_or_else(not_base64)?;
    Ok(bytes
        .chunks_exact(4)
        .map(|b| DrawnPoint {
            x: u16::from(b[0]) << 4 | u16::from(b[1] >> 4),
            y: u16::from(b[1] & 15) << 8 | u16::from(b[2]),
            class: b[3],
        })
        .collect())
}

/// Whether the drawing is a regression: its points are inputs and targets.
pub fn is_regression(points: &[DrawnPoint]) -> bool {
    points.first().is_some_and(|p| p.class == REGRESSION)
}

/// Classes of a drawing: one past its highest, and at least two.
pub fn n_classes(points: &[DrawnPoint]) -> usize {
    points.iter().filter(|p| p.class != REGRESSION).map(|p| usize::from(p.class) + 1).max().unwrap_or(0).max(2)
}

/// Whether the drawing can be an experiment's data: at most [`MAX_DRAWN`]
/// points of at most [`DRAWN_CLASSES`] classes, each class up to the
/// highest with [`MIN_PER_CLASS`] points. Says what is missing.
pub fn check(points: &[DrawnPoint]) -> Result<(), String> {
    if points.len() > MAX_DRAWN {
        return Err(format!("{} points: a drawing holds at most {MAX_DRAWN}", points.len()));
    }
    if is_regression(points) {
        if points.iter().any(|p| p.class != REGRESSION) {
            return Err("a drawing is a regression or a classification, not both".into());
        }
        if points.len() < MIN_REGRESSION {
            return Err(format!("{} points: draw at least {MIN_REGRESSION}", points.len()));
        }
        return Ok(());
    }
    if let Some(p) = points.iter().find(|p| usize::from(p.class) >= DRAWN_CLASSES) {
        return Err(format!("class {}: a drawing has at most {DRAWN_CLASSES} classes", p.class));
    }
    for class in 0..n_classes(points) {
        let n = points.iter().filter(|p| usize::from(p.class) == class).count();
        if n < MIN_PER_CLASS {
            return Err(format!("class {class} has {n} points: draw at least {MIN_PER_CLASS} of each class"));
        }
    }
    Ok(())
}

/// The drawing as a data set: two inputs and the classes as drawn, or for
/// a regression one input (x) and its target (y).
pub fn dataset(points: &[DrawnPoint]) -> Dataset {
    if is_regression(points) {
        return Dataset {
            n_features: 1,
            x: points.iter().map(|p| p.position()[0]).collect(),
            y: points.iter().map(|p| p.position()[1]).collect(),
            task: Task::Regression,
        };
    }
    Dataset {
        n_features: 2,
        x: points.iter().flat_map(|p| p.position()).collect(),
        y: points.iter().map(|p| f32::from(p.class)).collect(),
        task: Task::Classification { n_classes: n_classes(points) },
    }
}

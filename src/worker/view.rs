//! The network's [`View`] computed from a trainer: the map, curve, surface,
//! confusion matrix or fit the page draws beside the data, piece by piece
//! ([`ViewJob`]) so the training worker answers commands between pieces, or
//! at once ([`View::of`], the command line's figures).

use super::protocol::{BOUNDARY_RES, CURVE_POINTS, View, quantise};
use crate::engine::data::Task;
use crate::engine::train::{Evaluator, Trainer};
use crate::experiment::ExperimentSpec;

impl View {
    /// The view of a trainer's current network for this experiment.
    pub fn of(trainer: &mut Trainer, spec: &ExperimentSpec) -> View {
        let mut job = ViewJob::new(trainer, spec);
        loop {
            if let Some(view) = job.advance(trainer, &mut || false) {
                return view;
            }
        }
    }
}

/// A [`View`] computed piece by piece, so the worker answers commands
/// between pieces: a large network's 4096-point map takes seconds. The
/// network must not train until the view is done.
#[derive(Clone, Debug)]
pub struct ViewJob {
    /// Points (or validation examples) done.
    done: usize,
    partial: Partial,
    /// Where the grid (or the curve) lies: [`DataSpec::plane`](crate::experiment::DataSpec::plane).
    plane: crate::engine::data::Plane,
}

#[derive(Clone, Debug)]
enum Partial {
    Probability(Vec<u8>),
    ClassMap(Vec<u8>, Vec<u8>),
    Curve(Vec<f32>),
    Surface { grid: Vec<u8>, lo: f32, hi: f32 },
    Confusion(Evaluator),
    Fit(Vec<f32>),
}

impl ViewJob {
    pub fn new(trainer: &Trainer, spec: &ExperimentSpec) -> ViewJob {
        let partial = match (spec.data.task(), spec.data.n_inputs()) {
            (Task::Classification { n_classes: 2 }, 2) => Partial::Probability(Vec::new()),
            (Task::Classification { .. }, 2) => Partial::ClassMap(Vec::new(), Vec::new()),
            (Task::Regression, 1) => Partial::Curve(Vec::new()),
            (Task::Regression, n) if n > 2 => Partial::Fit(Vec::new()),
            (Task::Regression, _) => {
                let (lo, hi) = target_range(trainer);
                Partial::Surface { grid: Vec::new(), lo, hi }
            }
            (Task::Classification { .. }, _) => Partial::Confusion(Evaluator::new(&trainer.data().val)),
        };
        ViewJob { done: 0, partial, plane: spec.data.plane() }
    }

    /// Computes pieces of about [`PIECE_WORK`](crate::engine::train::PIECE_WORK)
    /// until the view is done (returned) or `stop` says so (`None`; call again).
    pub fn advance(&mut self, trainer: &mut Trainer, stop: &mut dyn FnMut() -> bool) -> Option<View> {
        let (res, plane) = (BOUNDARY_RES, self.plane);
        let block = (crate::engine::train::PIECE_WORK / trainer.example_work()).max(1);
        let sigmoid = |z: f32| crate::engine::scalar::Real::sigmoid(z);
        loop {
            let (from, to) = (self.done, self.done + block);
            let points = plane.grid(res).skip(from).take(block);
            let finished = match &mut self.partial {
                Partial::Probability(grid) => {
                    grid.extend(points.map(|p| quantise(sigmoid(trainer.predict(&p)[0]))));
                    grid.len() == res * res
                }
                Partial::ClassMap(classes, confidence) => {
                    for p in points {
                        let (best, p_best) = softmax_argmax(trainer.predict(&p));
                        classes.push(best as u8);
                        confidence.push(quantise(p_best));
                    }
                    classes.len() == res * res
                }
                Partial::Curve(y) => {
                    let xs = plane.xs(CURVE_POINTS).skip(from).take(to.min(CURVE_POINTS).saturating_sub(from));
                    y.extend(xs.map(|x| trainer.predict(&[x])[0]));
                    y.len() == CURVE_POINTS
                }
                Partial::Surface { grid, lo, hi } => {
                    let (lo, hi) = (*lo, *hi);
                    grid.extend(points.map(|p| quantise((trainer.predict(&p)[0] - lo) / (hi - lo).max(1e-6))));
                    grid.len() == res * res
                }
                Partial::Confusion(eval) => {
                    trainer.feed_val(eval);
                    eval.done() >= trainer.data().val.len()
                }
                Partial::Fit(predicted) => {
                    let n = trainer.data().val.len();
                    predicted.extend((from..to.min(n)).map(|i| trainer.predict_val(i)[0]));
                    predicted.len() == n
                }
            };
            self.done = to;
            if finished {
                let partial = std::mem::replace(&mut self.partial, Partial::Curve(Vec::new()));
                return Some(match partial {
                    Partial::Probability(grid) => View::Probability { grid },
                    Partial::ClassMap(classes, confidence) => View::ClassMap { classes, confidence },
                    Partial::Curve(y) => View::Curve { y },
                    Partial::Surface { grid, lo, hi } => View::Surface { grid, lo, hi },
                    Partial::Confusion(eval) => {
                        View::Confusion { counts: eval.finish().confusion.map(|c| c.counts).unwrap_or_default() }
                    }
                    Partial::Fit(predicted) => View::Fit { target: trainer.data().val.y.clone(), predicted },
                });
            }
            if stop() {
                return None;
            }
        }
    }
}

/// The most probable class under a softmax, and its probability.
fn softmax_argmax(z: &[f32]) -> (usize, f32) {
    let (mut best, mut max) = (0, f32::NEG_INFINITY);
    for (i, &v) in z.iter().enumerate() {
        if v > max {
            (best, max) = (i, v);
        }
    }
    let total: f32 = z.iter().map(|&v| crate::engine::scalar::Real::exp(v - max)).sum();
    (best, 1.0 / total)
}

/// The colour scale of a regression surface: the training targets' robust range.
fn target_range(trainer: &Trainer) -> (f32, f32) {
    crate::plot::robust_range(trainer.data().train.y.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_data_gets_its_view() {
        let cases = [
            ("data=spiral", "probability"),
            ("data=blobs", "class_map"),
            ("data=sine", "curve"),
            ("data=plane", "surface"),
            ("data=iris", "confusion"),
            ("data=sparse", "fit"),
        ];
        for (query, kind) in cases {
            let (spec, _) = crate::experiment::from_query(&format!("{query}&ep=2"));
            let mut trainer = spec.trainer().unwrap();
            trainer.run_to_end();
            let view = View::of(&mut trainer, &spec);
            let json = serde_json::to_value(&view).unwrap();
            // Externally tagged: the variant's name is the one key.
            assert_eq!(
                json.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()),
                Some(vec![kind.to_string()]),
                "{query}"
            );
            match view {
                View::Probability { grid } | View::Surface { grid, .. } => assert_eq!(grid.len(), BOUNDARY_RES.pow(2)),
                View::ClassMap { classes, confidence } => {
                    assert_eq!(classes.len(), BOUNDARY_RES.pow(2));
                    assert!(classes.iter().all(|&c| c < 3));
                    // With three classes the winner has probability ≥ 1/3.
                    assert!(confidence.iter().all(|&q| q >= 84));
                }
                View::Curve { y } => assert!(y.len() == CURVE_POINTS && y.iter().all(|v| v.is_finite())),
                View::Confusion { counts } => {
                    assert_eq!(counts.len(), 3);
                    assert_eq!(counts.iter().flatten().sum::<usize>(), trainer.data().val.len());
                }
                View::Fit { target, predicted } => {
                    assert_eq!(target, trainer.data().val.y);
                    assert_eq!(predicted.len(), target.len());
                    // The network's own outputs, example by example.
                    let last = target.len() - 1;
                    let x = trainer.data().val.features(last).to_vec();
                    assert_eq!(predicted[last], trainer.predict(&x)[0]);
                }
            }
        }
    }

    /// A view built piece by piece (the worker answers commands between
    /// pieces) is the view built at once, for every kind of view.
    #[test]
    fn views_cut_into_pieces_equal_whole_ones() {
        for query in [
            "data=spiral&hidden=256-256",
            "data=blobs&classes=5&hidden=200-200",
            "data=sine&hidden=256-256",
            "data=plane&hidden=256-256",
            "data=digits&hidden=256-256",
            "data=sparse&n=2000&hidden=256-256",
        ] {
            let (spec, _) = crate::experiment::from_query(&format!("{query}&ep=1"));
            let mut trainer = spec.trainer().unwrap();
            trainer.run_to_end();
            let whole = View::of(&mut trainer, &spec);
            let mut job = ViewJob::new(&trainer, &spec);
            let mut calls = 1;
            let cut = loop {
                if let Some(v) = job.advance(&mut trainer, &mut || true) {
                    break v;
                }
                calls += 1;
            };
            assert_eq!(cut, whole, "{query}");
            assert!(calls > 1, "{query}: a large network's view comes in pieces");
        }
    }
}

//! Metrics, as scikit-learn defines them, computed from one pass of the
//! model over a data set.

use serde::{Deserialize, Serialize};

use crate::engine::data::{Dataset, Task};
use crate::engine::model::{Head, Mlp, Workspace};
use crate::engine::scalar::Real;

/// A number that can be reported per epoch for a data set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// The training loss of the model's head (without regularisation terms).
    Loss,
    /// Share of examples classified right. Misleads on imbalanced data: 95%
    /// is what always answering the majority class scores on a 95/5 set.
    Accuracy,
    /// Mean recall over the classes (`balanced_accuracy_score`).
    BalancedAccuracy,
    /// Macro-averaged precision (`precision_score(average='macro', zero_division=0)`).
    Precision,
    /// Macro-averaged recall.
    Recall,
    /// Macro-averaged F1: the mean over classes of 2PR/(P+R).
    F1,
    /// Area under the ROC curve, binary tasks only (`roc_auc_score`).
    RocAuc,
    /// Mean squared error.
    Mse,
    /// Root mean squared error, in the target's units.
    Rmse,
    /// Mean absolute error.
    Mae,
    /// Coefficient of determination, 1 − SS_res / SS_tot.
    R2,
}

impl Metric {
    pub const ALL: [Metric; 11] = [
        Metric::Loss,
        Metric::Accuracy,
        Metric::BalancedAccuracy,
        Metric::Precision,
        Metric::Recall,
        Metric::F1,
        Metric::RocAuc,
        Metric::Mse,
        Metric::Rmse,
        Metric::Mae,
        Metric::R2,
    ];

    /// The name used in CSV headers, URLs and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Metric::Loss => "loss",
            Metric::Accuracy => "accuracy",
            Metric::BalancedAccuracy => "balanced_accuracy",
            Metric::Precision => "precision",
            Metric::Recall => "recall",
            Metric::F1 => "f1",
            Metric::RocAuc => "roc_auc",
            Metric::Mse => "mse",
            Metric::Rmse => "rmse",
            Metric::Mae => "mae",
            Metric::R2 => "r2",
        }
    }

    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Whether a larger value is better (for early stopping and searches).
    pub fn higher_is_better(self) -> bool {
        !matches!(self, Metric::Loss | Metric::Mse | Metric::Rmse | Metric::Mae)
    }

    /// The metrics reported for a task, loss first.
    pub fn for_task(task: Task) -> &'static [Metric] {
        match task {
            Task::Classification { n_classes: 2 } => &[
                Metric::Loss,
                Metric::Accuracy,
                Metric::BalancedAccuracy,
                Metric::Precision,
                Metric::Recall,
                Metric::F1,
                Metric::RocAuc,
            ],
            Task::Classification { .. } => &[
                Metric::Loss,
                Metric::Accuracy,
                Metric::BalancedAccuracy,
                Metric::Precision,
                Metric::Recall,
                Metric::F1,
            ],
            Task::Regression => &[Metric::Loss, Metric::Mse, Metric::Rmse, Metric::Mae, Metric::R2],
        }
    }
}

/// Every metric that applies to a data set, after one pass of the model
/// (`None`: the metric does not apply to the task). Every field is written
/// in every encoding, so the worker's binary messages can carry it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub loss: f64,
    pub accuracy: Option<f64>,
    pub balanced_accuracy: Option<f64>,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    pub roc_auc: Option<f64>,
    pub mse: Option<f64>,
    pub rmse: Option<f64>,
    pub mae: Option<f64>,
    pub r2: Option<f64>,
}

impl Scores {
    pub fn get(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::Loss => Some(self.loss),
            Metric::Accuracy => self.accuracy,
            Metric::BalancedAccuracy => self.balanced_accuracy,
            Metric::Precision => self.precision,
            Metric::Recall => self.recall,
            Metric::F1 => self.f1,
            Metric::RocAuc => self.roc_auc,
            Metric::Mse => self.mse,
            Metric::Rmse => self.rmse,
            Metric::Mae => self.mae,
            Metric::R2 => self.r2,
        }
    }
}

/// `matrix[true_class][predicted_class]` counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    pub counts: Vec<Vec<usize>>,
}

/// The scores of a data set, and its confusion matrix for classification.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub scores: Scores,
    pub confusion: Option<ConfusionMatrix>,
}

/// Runs the model over `data` (no dropout) and computes every metric that applies.
pub fn evaluate<F: Real>(model: &Mlp<F>, data: &Dataset, ws: &mut Workspace<F>) -> Evaluation {
    let mut e = Evaluator::new(data);
    e.feed(model, data, ws, data.len());
    e.finish()
}

/// The examples an evaluation runs through the network at once (at least;
/// more if the trainer's mini-batch buffers have room for more).
pub const EVAL_ROWS: usize = 64;

/// An evaluation that can stop after any example and resume: the sums are
/// the same, in the same order, as one [`evaluate`] pass, so the scores are
/// bit for bit the same however the pass is cut (the worker cuts it so a
/// command never waits for a whole pass of a large network).
#[derive(Clone, Debug)]
pub struct Evaluator {
    /// Examples evaluated so far.
    next: usize,
    loss: f64,
    sums: Sums,
    /// Dead and saturated hidden units, when asked for ([`Evaluator::with_units`]).
    units: Option<super::diagnostics::UnitCounts>,
}

#[derive(Clone, Debug)]
enum Sums {
    Classes { counts: Vec<Vec<usize>>, positive_scores: Vec<(f64, bool)> },
    Regression { se: f64, ae: f64, ss_tot: f64, mean_y: f64 },
}

impl Evaluator {
    pub fn new(data: &Dataset) -> Self {
        let n = data.len();
        let sums = match data.task {
            Task::Classification { n_classes } => Sums::Classes {
                counts: vec![vec![0usize; n_classes]; n_classes],
                positive_scores: Vec::with_capacity(if n_classes == 2 { n } else { 0 }),
            },
            Task::Regression => Sums::Regression {
                se: 0.0,
                ae: 0.0,
                ss_tot: 0.0,
                mean_y: data.y.iter().map(|&y| y as f64).sum::<f64>() / n.max(1) as f64,
            },
        };
        Evaluator { next: 0, loss: 0.0, sums, units: None }
    }

    /// Also counts the dead and saturated hidden units of `config` over the
    /// examples fed (see [`super::diagnostics`]).
    pub fn with_units(mut self, config: &crate::engine::model::MlpConfig) -> Self {
        self.units = Some(super::diagnostics::UnitCounts::new(config));
        self
    }

    /// The share of dead or saturated units of each hidden layer, if counted.
    pub fn unit_shares(&self) -> Option<Vec<f64>> {
        self.units.as_ref().map(|u| u.shares())
    }

    /// Examples evaluated so far.
    pub fn done(&self) -> usize {
        self.next
    }

    /// Evaluates examples up to `end` (exclusive) of `data`, [`EVAL_ROWS`]
    /// (or the mini-batch's room, if larger) at a time.
    pub fn feed<F: Real>(&mut self, model: &Mlp<F>, data: &Dataset, ws: &mut Workspace<F>, end: usize) {
        let head = model.config.head;
        let end = end.min(data.len());
        let mut first = self.next;
        while first < end {
            let rows = (end - first).min(ws.batch_rows().max(EVAL_ROWS));
            model.forward_rows(data, first, rows, ws);
            for r in 0..rows {
                self.add(head, data.y[first + r], ws.row_outputs(r));
                if let Some(units) = &mut self.units {
                    units.observe(&model.config, |l| ws.row_layer(l, r));
                }
            }
            first += rows;
        }
        self.next = self.next.max(end);
    }

    /// Adds one example's loss and prediction, from its outputs `z` and target `y`.
    fn add<F: Real>(&mut self, head: Head, y: f32, z: &[F]) {
        self.loss += head.loss(z, y).to_f64();
        match &mut self.sums {
            Sums::Classes { counts, positive_scores } => {
                let n_classes = counts.len();
                let predicted = predicted_class(head, z);
                counts[y as usize][predicted.min(n_classes - 1)] += 1;
                if n_classes == 2 {
                    positive_scores.push((positive_score(head, z), y == 1.0));
                }
            }
            Sums::Regression { se, ae, ss_tot, mean_y } => {
                let (pred, y) = (z[0].to_f64(), y as f64);
                *se += (pred - y) * (pred - y);
                *ae += (pred - y).abs();
                *ss_tot += (y - *mean_y) * (y - *mean_y);
            }
        }
    }

    /// The scores of the examples fed (a whole data set, for a whole pass).
    pub fn finish(self) -> Evaluation {
        let n = self.next;
        if n == 0 {
            return Evaluation { scores: Scores { loss: f64::NAN, ..Scores::default() }, confusion: None };
        }
        match self.sums {
            Sums::Classes { counts, mut positive_scores } => {
                let mut scores = classification_scores(&counts);
                scores.loss = self.loss / n as f64;
                if counts.len() == 2 {
                    scores.roc_auc = roc_auc(&mut positive_scores);
                }
                Evaluation { scores, confusion: Some(ConfusionMatrix { counts }) }
            }
            Sums::Regression { se, ae, ss_tot, .. } => {
                let mse = se / n as f64;
                let scores = Scores {
                    loss: self.loss / n as f64,
                    mse: Some(mse),
                    rmse: Some(libm::sqrt(mse)),
                    mae: Some(ae / n as f64),
                    r2: (ss_tot > 0.0).then(|| 1.0 - se / ss_tot),
                    ..Scores::default()
                };
                Evaluation { scores, confusion: None }
            }
        }
    }
}

/// The class a head's outputs predict.
pub fn predicted_class<F: Real>(head: Head, z: &[F]) -> usize {
    match head {
        Head::SigmoidBce => usize::from(z[0] >= F::ZERO),
        _ => {
            let mut best = 0;
            for (i, &v) in z.iter().enumerate() {
                if v > z[best] {
                    best = i;
                }
            }
            best
        }
    }
}

/// A score that grows with the probability of class 1 (for ROC AUC).
fn positive_score<F: Real>(head: Head, z: &[F]) -> f64 {
    match head {
        Head::SigmoidBce => z[0].to_f64(),
        // The log-odds of class 1 against class 0 orders like its probability.
        _ => z[1.min(z.len() - 1)].to_f64() - z[0].to_f64(),
    }
}

/// Accuracy, balanced accuracy and macro precision/recall/F1 from a confusion matrix.
pub fn classification_scores(counts: &[Vec<usize>]) -> Scores {
    let k = counts.len();
    let total: usize = counts.iter().flatten().sum();
    let correct: usize = (0..k).map(|c| counts[c][c]).sum();
    let (mut p_sum, mut r_sum, mut f_sum, mut present, mut recall_present) = (0.0, 0.0, 0.0, 0usize, 0.0);
    for (c, row) in counts.iter().enumerate() {
        let tp = row[c] as f64;
        let actual: usize = row.iter().sum();
        let predicted: usize = (0..k).map(|t| counts[t][c]).sum();
        let precision = if predicted > 0 { tp / predicted as f64 } else { 0.0 };
        let recall = if actual > 0 { tp / actual as f64 } else { 0.0 };
        let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
        p_sum += precision;
        r_sum += recall;
        f_sum += f1;
        if actual > 0 {
            present += 1;
            recall_present += recall;
        }
    }
    let kf = k.max(1) as f64;
    Scores {
        loss: f64::NAN,
        accuracy: (total > 0).then(|| correct as f64 / total as f64),
        balanced_accuracy: (present > 0).then(|| recall_present / present as f64),
        precision: Some(p_sum / kf),
        recall: Some(r_sum / kf),
        f1: Some(f_sum / kf),
        ..Scores::default()
    }
}

/// The probability that a random positive scores above a random negative
/// (ties count one half): the area under the ROC curve, of (score, is
/// positive) pairs, which it sorts by score. `None` when only one class is
/// present. The sort need not be stable: a tie's examples share one mean
/// rank and only their count of positives is summed, so their order within
/// the tie never shows.
pub fn roc_auc(pairs: &mut [(f64, bool)]) -> Option<f64> {
    let n_pos = pairs.iter().filter(|p| p.1).count();
    let n_neg = pairs.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    // Sum of the positives' ranks, tied scores sharing their mean rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < pairs.len() {
        let mut j = i;
        while j + 1 < pairs.len() && pairs[j + 1].0 == pairs[i].0 {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += mean_rank * pairs[i..=j].iter().filter(|p| p.1).count() as f64;
        i = j + 1;
    }
    let u = rank_sum - (n_pos * (n_pos + 1)) as f64 / 2.0;
    Some(u / (n_pos * n_neg) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`roc_auc`] of scores and their labels side by side.
    fn auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
        roc_auc(&mut scores.iter().copied().zip(positive.iter().copied()).collect::<Vec<_>>())
    }

    #[test]
    fn classification_scores_match_scikit_learn() {
        // y_true = [0,0,0,1,1,2], y_pred = [0,1,0,1,2,2]:
        // accuracy 4/6; precision per class (1, 1/2, 1/2) → macro 2/3;
        // recall (2/3, 1/2, 1) → macro 13/18 = balanced accuracy;
        // f1 (0.8, 0.5, 2/3) → macro 0.6555…
        let counts = vec![vec![2, 1, 0], vec![0, 1, 1], vec![0, 0, 1]];
        let s = classification_scores(&counts);
        assert!((s.accuracy.unwrap() - 4.0 / 6.0).abs() < 1e-15);
        assert!((s.precision.unwrap() - 2.0 / 3.0).abs() < 1e-15);
        assert!((s.recall.unwrap() - 13.0 / 18.0).abs() < 1e-15);
        assert!((s.balanced_accuracy.unwrap() - 13.0 / 18.0).abs() < 1e-15);
        assert!((s.f1.unwrap() - (0.8 + 0.5 + 2.0 / 3.0) / 3.0).abs() < 1e-15);
    }

    #[test]
    fn accuracy_misleads_on_imbalanced_data_and_balanced_accuracy_does_not() {
        // 95 negatives, 5 positives, always predicting "negative".
        let counts = vec![vec![95, 0], vec![5, 0]];
        let s = classification_scores(&counts);
        assert_eq!(s.accuracy, Some(0.95));
        assert_eq!(s.balanced_accuracy, Some(0.5));
        assert!(s.f1.unwrap() < 0.5);
    }

    #[test]
    fn roc_auc_is_the_share_of_positive_negative_pairs_ranked_right() {
        // Scores from a handful of values, so most have ties; negative zero
        // beside zero. The definition: each (positive, negative) pair counts
        // 1 when the positive scores higher, ½ on a tie.
        let mut rng = crate::engine::rng::Rng::new(3, 0);
        for n in [2, 5, 40, 301] {
            let values = [-1.5, -0.0, 0.0, 0.25, 0.25, 2.0];
            let scores: Vec<f64> = (0..n).map(|_| values[(rng.uniform() * 6.0) as usize % 6]).collect();
            let positive: Vec<bool> = (0..n).map(|i| i == 0 || (i > 1 && rng.uniform() < 0.4)).collect();
            let mut pairs = 0.0;
            let (mut n_pos, mut n_neg) = (0.0, 0.0);
            for (i, &p) in positive.iter().enumerate() {
                if !p {
                    n_neg += 1.0;
                    continue;
                }
                n_pos += 1.0;
                for (j, _) in positive.iter().enumerate().filter(|&(_, &q)| !q) {
                    pairs += if scores[i] > scores[j] {
                        1.0
                    } else if scores[i] == scores[j] {
                        0.5
                    } else {
                        0.0
                    };
                }
            }
            let got = auc(&scores, &positive).expect("both classes");
            assert!(
                (got - pairs / (n_pos * n_neg)).abs() < 1e-12,
                "n = {n}: {got} against {}",
                pairs / (n_pos * n_neg)
            );
        }
    }

    #[test]
    fn roc_auc_matches_scikit_learn_with_ties() {
        // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75
        assert_eq!(auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]), Some(0.75));
        // roc_auc_score([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]) = 0.875
        assert_eq!(auc(&[0.5, 0.5, 0.2, 0.9], &[false, true, false, true]), Some(0.875));
        assert_eq!(auc(&[0.5, 0.7], &[true, true]), None);
    }
}

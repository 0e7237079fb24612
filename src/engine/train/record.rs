//! What a run leaves behind and where it stands: a record per epoch (with
//! its CSV form, the command line's and the downloads' columns) and the
//! run's state.

use serde::{Deserialize, Serialize};

use super::{Metric, Scores};

/// The metrics after one epoch, measured on the whole train and validation sets.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// 1-based: the record after the first epoch has `epoch == 1`.
    pub epoch: usize,
    /// The learning rate used during this epoch.
    pub lr: f64,
    pub train: Scores,
    pub val: Scores,
}

impl EpochRecord {
    /// `epoch,lr,train_loss,val_loss,train_accuracy,val_accuracy,…` for these metrics.
    pub fn csv_header(metrics: &[Metric]) -> String {
        let mut h = String::from("epoch,lr");
        for m in metrics {
            h.push_str(&format!(",train_{0},val_{0}", m.key()));
        }
        h
    }

    pub fn csv_row(&self, metrics: &[Metric]) -> String {
        let mut row = format!("{},{}", self.epoch, self.lr);
        for &m in metrics {
            for scores in [&self.train, &self.val] {
                match scores.get(m) {
                    Some(v) if v.is_finite() => row.push_str(&format!(",{v}")),
                    _ => row.push(','),
                }
            }
        }
        row
    }
}

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// More epochs to go.
    Training,
    /// All planned epochs ran.
    Finished,
    /// Early stopping ended the run; `best_epoch` had the best validation metric.
    Stopped { best_epoch: usize },
    /// The loss became non-finite or exceeded [`DIVERGENCE_LOSS`](super::DIVERGENCE_LOSS) in `epoch`;
    /// that epoch's record is not kept, every earlier one is.
    Diverged { epoch: usize },
}

impl RunState {
    pub fn is_over(self) -> bool {
        self != RunState::Training
    }

    /// The state's name (`training`, `finished`, `stopped`, `diverged`).
    pub fn key(self) -> &'static str {
        match self {
            RunState::Training => "training",
            RunState::Finished => "finished",
            RunState::Stopped { .. } => "stopped",
            RunState::Diverged { .. } => "diverged",
        }
    }
}

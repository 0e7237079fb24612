//! One trial: its experiment (the base with the tuned keys set, through the
//! key table), and its training and scoring.

use super::SHAPE_KEYS;
use crate::engine::data::{Split, k_fold, split_stratified};
use crate::engine::search::{Config, Space};
use crate::engine::train::Metric;
use crate::experiment::ExperimentSpec;
use crate::experiment::keys;
use crate::experiment::query::{Notice, NoticeKind};

/// The experiment of one trial: the base with each tuned key set to the
/// configuration's value. Settings that do not apply to the chosen
/// optimizer or schedule are dropped; any other problem fails the trial.
/// With `budget` (successive halving), the trial trains that many epochs.
pub fn trial_spec(
    base: &ExperimentSpec,
    space: &Space,
    config: &Config,
    budget: Option<usize>,
) -> Result<ExperimentSpec, String> {
    let (mut spec, notices) = keys::decode_on(trial_pairs(base, space, config)?, base.data.own.as_ref());
    // The codec's fallback is not what happens to a trial: it fails.
    if let Some(Notice { key, message, .. }) = notices.into_iter().find(|n| n.kind != NoticeKind::DoesNotApply) {
        return Err(format!("{key}: {message}"));
    }
    if let Some(epochs) = budget {
        spec.n_epochs = epochs.max(1);
    }
    Ok(spec)
}

/// A trial's experiment as the pairs of a link: the base's keys with the
/// tuned ones replaced by the configuration's values.
pub(super) fn trial_pairs(
    base: &ExperimentSpec,
    space: &Space,
    config: &Config,
) -> Result<Vec<(String, String)>, String> {
    let mut tuned: Vec<&str> = space.params.iter().map(|p| p.key.as_str()).collect();
    let value = |key: &str| space.params.iter().position(|p| p.key == key).map(|i| space.format(i, config[i]));
    // `layers` and `units` reshape the base's hidden layers: that many
    // layers (the base's count by default) of that many units each (the
    // base's first layer's by default).
    let shape = match (value("layers"), value("units")) {
        (None, None) => None,
        (layers, units) => {
            let layers = layers.map_or(Ok(base.hidden.len().max(1)), |v| v.parse::<usize>());
            let units = units.map_or(Ok(base.hidden.first().copied().unwrap_or(8)), |v| v.parse::<usize>());
            let (layers, units) =
                (layers.map_err(|e| format!("layers: {e}"))?, units.map_err(|e| format!("units: {e}"))?);
            // Checked before the layers are written out: a count from a link is a stranger's.
            if layers > crate::experiment::limits::MAX_HIDDEN_LAYERS {
                return Err(format!("layers: at most {}, got {layers}", crate::experiment::limits::MAX_HIDDEN_LAYERS));
            }
            tuned.push("hidden");
            let hidden = if layers == 0 { "none".to_string() } else { vec![units.to_string(); layers].join("-") };
            Some(("hidden".to_string(), hidden))
        }
    };
    let mut pairs: Vec<(String, String)> =
        keys::encode(base).into_iter().filter(|(k, _)| !tuned.contains(k)).map(|(k, v)| (k.to_string(), v)).collect();
    // One activation per layer no longer matches a new layer count: keep the first for all.
    if shape.is_some() {
        for (k, v) in &mut pairs {
            if k == "act" {
                *v = v.split('-').next().unwrap_or_default().to_string();
            }
        }
    }
    let values = space
        .params
        .iter()
        .zip(config)
        .enumerate()
        .filter(|(_, (p, _))| !SHAPE_KEYS.contains(&p.key.as_str()))
        .map(|(i, (p, v))| (p.key.clone(), space.format(i, *v)));
    pairs.extend(values);
    pairs.extend(shape);
    Ok(pairs)
}

/// A scored trial: the metric's value (mean over folds), its spread over
/// folds (0 for hold-out), and the epochs trained.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Evaluated {
    pub value: f64,
    pub spread: f64,
    pub epochs: usize,
    /// The learning curve: the metric on validation data after each epoch
    /// (of the first fold under cross-validation).
    pub curve: Vec<f64>,
}

/// Why a trial has no score.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    pub message: String,
    pub epochs: usize,
}

/// The splits a trial trains on: the experiment's own (hold-out
/// validation), or with `folds` ≥ 2 stratified k-fold cross-validation over
/// its training and validation data (the test data stay out of every fold).
pub fn fold_splits(spec: &ExperimentSpec, folds: usize, bundled: Option<&str>) -> Result<Vec<Split>, String> {
    if folds < 2 {
        return Ok(vec![spec.split_with(bundled).map_err(|e| e.to_string())?]);
    }
    let data = spec.data.generate(spec.seed, bundled)?;
    let outer = split_stratified(&data, 0.0, spec.test_ratio, spec.seed);
    Ok(k_fold(&outer.train, folds, spec.seed)
        .into_iter()
        .map(|(train, val)| Split {
            train: outer.train.select(&train),
            val: outer.train.select(&val),
            test: outer.test.clone(),
        })
        .collect())
}

/// Trains `spec` and scores it by `metric` on validation data: once on the
/// hold-out split, or once per fold. A diverged run fails the trial.
pub fn evaluate(
    spec: &ExperimentSpec,
    metric: Metric,
    folds: usize,
    bundled: Option<&str>,
) -> Result<Evaluated, Failure> {
    let fail = |message: String, epochs| Failure { message, epochs };
    let splits = fold_splits(spec, folds, bundled).map_err(|m| fail(m, 0))?;
    let mut values = Vec::with_capacity(splits.len());
    let mut epochs = 0;
    let mut curve = Vec::new();
    for split in splits {
        let mut trainer = spec.trainer_on(split).map_err(|e| fail(e.to_string(), epochs))?;
        let state = trainer.run_to_end();
        epochs += trainer.records().len();
        if let crate::engine::train::RunState::Diverged { epoch } = state {
            return Err(fail(format!("diverged at epoch {epoch}"), epochs));
        }
        if curve.is_empty() {
            curve = trainer.records().iter().map(|r| r.val.get(metric).unwrap_or(f64::NAN)).collect();
        }
        let value = trainer.evaluate_val().scores.get(metric).filter(|v| v.is_finite());
        values.push(value.ok_or_else(|| fail(format!("{} could not be computed", metric.key()), epochs))?);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let spread = libm::sqrt(values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n);
    Ok(Evaluated { value: mean, spread, epochs, curve })
}

/// The final check of a search's best configuration: trained on its
/// training split, scored once on the test split no trial has seen (`NaN`
/// when the metric cannot be computed there).
pub fn test_score(spec: &ExperimentSpec, metric: Metric, bundled: Option<&str>) -> Result<f64, String> {
    let mut trainer = spec.trainer_with(bundled).map_err(|e| e.to_string())?;
    trainer.run_to_end();
    Ok(trainer.evaluate_test().scores.get(metric).unwrap_or(f64::NAN))
}

/// The study's objective for a metric value: larger is better.
pub fn objective(metric: Metric, value: f64) -> f64 {
    if metric.higher_is_better() { value } else { -value }
}

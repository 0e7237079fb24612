//! The network view's data: the parameters of the units the page draws and,
//! for 2-D data, what each of them computes over the plane — the parameters
//! a student watches move while the hyperparameters stay fixed.

use serde::{Deserialize, Serialize};

use crate::engine::data::Plane;
use crate::engine::train::Trainer;

/// Units drawn per hidden or output layer (the first ones of a wider layer).
pub const PICTURE_UNITS: usize = 16;
/// Inputs drawn with all their weights when there are at most this many
/// (the digits' 64 pixels become an 8 × 8 image per first-layer unit).
pub const PICTURE_INPUTS: usize = 64;
/// Cells per side of each unit's map over the plane.
pub const UNIT_RES: usize = 16;
/// Bins of each hidden unit's histogram (data without a plane to map).
pub const HIST_BINS: usize = 12;
/// Training examples a histogram is made of (evenly spread over the set).
pub const HIST_EXAMPLES: usize = 256;
/// The most multiply-adds the unit maps may cost (`UNIT_RES²` forward
/// passes): larger networks are drawn without them.
pub const PICTURE_WORK: usize = 1 << 22;

/// A picture of the network's parameters.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkPicture {
    /// Units of every layer: the inputs (after the feature transforms), the
    /// hidden layers, the outputs.
    pub sizes: Vec<usize>,
    /// Units drawn of each layer.
    pub shown: Vec<usize>,
    /// Per weight layer `l`: `shown[l + 1]` rows (one per output unit) of
    /// `shown[l]` weights.
    pub weights: Vec<Vec<f32>>,
    /// Per weight layer: the biases of the drawn units.
    pub biases: Vec<Vec<f32>>,
    /// For 2-D data (and a network small enough): each drawn unit's value —
    /// input feature, hidden activation, output before its head — on a
    /// `UNIT_RES × UNIT_RES` grid over the data's square (top row first),
    /// layer by layer, as bytes: 0 is −scale, 255 is +scale. Empty otherwise.
    pub maps: Vec<u8>,
    /// Per drawn unit with a map: the largest |value| on its grid.
    pub scales: Vec<f32>,
    /// For other data (and a network small enough): each drawn hidden unit's
    /// activations over up to `HIST_EXAMPLES` training examples, as
    /// `HIST_BINS` counts over `[−scale, scale]` (`hist_scales`), the
    /// largest count 255. Empty otherwise.
    pub hists: Vec<u8>,
    pub hist_scales: Vec<f32>,
}

impl NetworkPicture {
    /// The picture of `trainer`'s network now; `plane`: the raw data has two
    /// inputs, so each unit can be mapped over the plane the data view shows.
    pub fn of(trainer: &mut Trainer, plane: Option<Plane>) -> NetworkPicture {
        let model = trainer.model();
        let sizes = model.config.sizes.clone();
        let last = sizes.len() - 1;
        let shown: Vec<usize> = sizes
            .iter()
            .enumerate()
            .map(|(l, &n)| if l == 0 && n <= PICTURE_INPUTS { n } else { n.min(PICTURE_UNITS) })
            .collect();
        let mut weights = Vec::with_capacity(last);
        let mut biases = Vec::with_capacity(last);
        let mut start = 0;
        for l in 0..last {
            let (n_in, n_out) = (sizes[l], sizes[l + 1]);
            let mut w = Vec::with_capacity(shown[l + 1] * shown[l]);
            for o in 0..shown[l + 1] {
                w.extend((0..shown[l]).map(|i| model.params[start + i * n_out + o]));
            }
            weights.push(w);
            biases.push(model.params[start + n_in * n_out..][..shown[l + 1]].to_vec());
            start += n_in * n_out + n_out;
        }
        let mut picture = NetworkPicture { sizes, shown, weights, biases, ..NetworkPicture::default() };
        let work = UNIT_RES * UNIT_RES * model.params.len();
        match plane {
            Some(plane) if work <= PICTURE_WORK => picture.map_units(trainer, plane),
            None if work <= PICTURE_WORK => picture.histogram_units(trainer),
            _ => {}
        }
        picture
    }

    /// Fills `maps` and `scales`: one forward pass per grid point.
    fn map_units(&mut self, trainer: &mut Trainer, plane: Plane) {
        let cells = UNIT_RES * UNIT_RES;
        let n_units: usize = self.shown.iter().sum();
        let mut values = vec![0.0f32; n_units * cells];
        for (k, p) in plane.grid(UNIT_RES).enumerate() {
            trainer.predict(&p);
            let mut unit = 0;
            for (l, &n) in self.shown.iter().enumerate() {
                for &v in &trainer.layer_values(l)[..n] {
                    values[unit * cells + k] = v;
                    unit += 1;
                }
            }
        }
        self.scales = values.chunks(cells).map(|c| c.iter().fold(0.0f32, |m, v| m.max(v.abs()))).collect();
        self.maps = values
            .chunks(cells)
            .zip(&self.scales)
            .flat_map(|(c, &s)| {
                let s = if s > 0.0 { s } else { 1.0 };
                c.iter().map(move |&v| ((v / s).clamp(-1.0, 1.0) * 127.5 + 128.0).floor().clamp(0.0, 255.0) as u8)
            })
            .collect();
    }

    /// Fills `hists`: the hidden units' activations over training examples.
    fn histogram_units(&mut self, trainer: &mut Trainer) {
        let n = trainer.data().train.len();
        let hidden = 1..self.shown.len().saturating_sub(1);
        let n_units: usize = self.shown[hidden.clone()].iter().sum();
        if n == 0 || n_units == 0 {
            return;
        }
        let examples = n.min(HIST_EXAMPLES);
        let mut values = vec![0.0f32; n_units * examples];
        for k in 0..examples {
            trainer.forward_train(k * n / examples);
            let mut unit = 0;
            for l in hidden.clone() {
                for &v in &trainer.layer_values(l)[..self.shown[l]] {
                    values[unit * examples + k] = v;
                    unit += 1;
                }
            }
        }
        self.hist_scales = values.chunks(examples).map(|c| c.iter().fold(0.0f32, |m, v| m.max(v.abs()))).collect();
        for (c, &s) in values.chunks(examples).zip(&self.hist_scales) {
            let s = if s > 0.0 { s } else { 1.0 };
            let mut counts = [0u32; HIST_BINS];
            for &v in c {
                let t = ((v / s).clamp(-1.0, 1.0) + 1.0) / 2.0;
                counts[((t * HIST_BINS as f32) as usize).min(HIST_BINS - 1)] += 1;
            }
            let most = counts.iter().copied().max().unwrap_or(1).max(1);
            self.hists.extend(counts.iter().map(|&k| (k * 255 / most) as u8));
        }
    }

    /// The histogram of drawn hidden unit `unit` (counted over the hidden
    /// layers only), if made.
    pub fn hist(&self, unit: usize) -> Option<&[u8]> {
        self.hists.get(unit * HIST_BINS..(unit + 1) * HIST_BINS)
    }

    /// The map of drawn unit `unit` (counted over the layers), if mapped.
    pub fn map(&self, unit: usize) -> Option<&[u8]> {
        let cells = UNIT_RES * UNIT_RES;
        self.maps.get(unit * cells..(unit + 1) * cells)
    }

    /// The weight from drawn input `i` to drawn unit `o` of weight layer `l`.
    pub fn weight(&self, l: usize, o: usize, i: usize) -> f32 {
        self.weights[l][o * self.shown[l] + i]
    }
}

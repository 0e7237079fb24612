//! Grid search: every point of the grid, in an order shuffled by the seed.

use super::Study;
use crate::engine::rng::Rng;
use crate::engine::search::space::{Config, Space};

/// Grids larger than this are sampled (distinct points at random) rather than listed.
const MAX_LISTED_GRID: u64 = 1 << 20;

/// The order grid search visits the points in (indices into the grid): all
/// of them, shuffled by the seed; empty for a grid too large to list.
pub(super) fn visiting_order(space: &Space, rng: &mut Rng) -> Vec<u64> {
    if space.grid_size() > MAX_LISTED_GRID {
        return Vec::new();
    }
    let mut order: Vec<u64> = (0..space.grid_size()).collect();
    rng.shuffle(&mut order);
    order
}

impl Study {
    pub(super) fn next_grid_point(&mut self) -> Config {
        let i = self.trials.len();
        if let Some(&index) = self.grid_order.get(i) {
            return self.space.grid_point(index);
        }
        // A grid too large to list: distinct points drawn at random.
        let size = self.space.grid_size();
        loop {
            let index = self.rng.next_u64() % size;
            let config = self.space.grid_point(index);
            if !self.trials.iter().any(|t| t.config == config) {
                return config;
            }
        }
    }
}

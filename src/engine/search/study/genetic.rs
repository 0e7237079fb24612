//! The genetic algorithm: generations bred by tournament selection,
//! uniform crossover and mutation, the best carried over.

use super::{Study, Trial, TrialState};
use crate::engine::search::space::{Config, Domain, Space, Value};

/// The genetic algorithm's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Genetic {
    /// Individuals per generation.
    pub population: usize,
    /// Contestants per tournament selection.
    pub tournament: usize,
    /// Probability that two parents are crossed (uniformly, per gene) rather
    /// than the first copied.
    pub crossover: f64,
    /// Probability that each gene of a child mutates.
    pub mutation: f64,
    /// The best individuals carried into the next generation unchanged
    /// (not re-trained: their scores are known).
    pub elite: usize,
}

impl Default for Genetic {
    fn default() -> Self {
        Genetic { population: 10, tournament: 3, crossover: 0.9, mutation: 0.2, elite: 2 }
    }
}
/// The genetic algorithm's state between asks.
#[derive(Clone, Debug, Default)]
pub(super) struct Evolution {
    /// The scored population of the current generation: (config, fitness).
    population: Vec<(Config, f64)>,
    /// Children bred for the current generation, not yet asked for.
    queue: Vec<Config>,
    pub(super) generation: usize,
}

impl Study {
    /// The next child to evaluate, breeding a generation when the previous
    /// one is complete; `None` while trials of this generation still run.
    pub(super) fn next_child(&mut self, g: &Genetic) -> Option<Config> {
        let pop = g.population.max(2);
        if self.trials.is_empty() {
            self.evolution.queue = (0..pop).map(|_| self.space.sample(&mut self.rng)).collect();
            self.evolution.queue.reverse();
        }
        if let Some(c) = self.evolution.queue.pop() {
            return Some(c);
        }
        let generation = self.evolution.generation;
        let current: Vec<&Trial> = self.trials.iter().filter(|t| t.generation == generation).collect();
        if current.iter().any(|t| t.state == TrialState::Running) {
            return None;
        }
        // The generation is complete: the population is its children plus the elites carried over.
        let mut population: Vec<(Config, f64)> =
            current.iter().map(|t| (t.config.clone(), t.score.unwrap_or(f64::NEG_INFINITY))).collect();
        let mut elites = self.evolution.population.clone();
        crate::engine::sort::sort_by(&mut elites, |a, b| b.1.total_cmp(&a.1));
        population.extend(elites.into_iter().take(g.elite));
        crate::engine::sort::sort_by(&mut population, |a, b| b.1.total_cmp(&a.1));
        population.truncate(pop);
        self.evolution.population = population;
        self.evolution.generation += 1;
        let n_children = pop.saturating_sub(g.elite.min(pop - 1)).max(1);
        let mut children = Vec::with_capacity(n_children);
        for _ in 0..n_children {
            let a = self.tournament(g.tournament);
            let b = self.tournament(g.tournament);
            let mut child = if self.rng.uniform() < g.crossover { self.crossover(&a, &b) } else { a };
            self.mutate(&mut child, g.mutation);
            children.push(child);
        }
        children.reverse();
        self.evolution.queue = children;
        self.evolution.queue.pop()
    }

    fn tournament(&mut self, size: usize) -> Config {
        let pop = &self.evolution.population;
        let mut best: Option<&(Config, f64)> = None;
        for _ in 0..size.max(1) {
            let c = &pop[self.rng.below(pop.len())];
            if best.is_none_or(|b| c.1 > b.1) {
                best = Some(c);
            }
        }
        best.map(|b| b.0.clone()).unwrap_or_default()
    }

    /// Uniform crossover: each gene from either parent with equal chance.
    fn crossover(&mut self, a: &Config, b: &Config) -> Config {
        a.iter().zip(b).map(|(x, y)| if self.rng.uniform() < 0.5 { *x } else { *y }).collect()
    }

    /// Each gene mutates with probability `rate`: a number moves by a normal
    /// step of 0.15 of its (log-)range; a choice becomes another choice.
    fn mutate(&mut self, config: &mut Config, rate: f64) {
        for (i, p) in self.space.params.iter().enumerate() {
            if self.rng.uniform() >= rate {
                continue;
            }
            config[i] = match (&p.domain, config[i]) {
                (Domain::Choice(c), Value::Choice(k)) if c.len() > 1 => {
                    Value::Choice((k + 1 + self.rng.below(c.len() - 1)) % c.len())
                }
                (Domain::Choice(_), v) => v,
                _ => {
                    let single = Space { params: vec![p.clone()] };
                    let u = single.encode(&config[i..=i])[0] + 0.15 * self.rng.normal();
                    single.decode(&[u.clamp(0.0, 1.0)])[0]
                }
            };
        }
    }
}

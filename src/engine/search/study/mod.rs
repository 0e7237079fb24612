//! A study: one search method behind one ask/tell interface (as Optuna's
//! samplers). The caller asks for a configuration, evaluates it however it
//! likes (in a pool of workers, in any order), and tells the score back.
//! Scores are maximized; a failed trial (a diverged run) scores worst.
//!
//! Every random choice comes from the study's seed, so the same seed and the
//! same told scores give the same trials.
//!
//! This file holds what every method shares (the trials, asking, telling,
//! learning [`LAG`] behind); each method's own state and choices are in its
//! file: [`grid`], [`genetic`], [`bayes`], [`tpe`], [`halving`].

mod bayes;
mod genetic;
mod grid;
mod halving;
mod tpe;

pub use bayes::{Bayes, GP_POINTS, SurrogateMap, SurrogateView};
pub use genetic::Genetic;
pub use halving::Halving;
pub use tpe::Tpe;

use super::gp::{Gp, Hyper};
use super::space::{Config, Space};
use crate::engine::rng::{Rng, stream};

/// A search method (`search` in the URL: `grid`, `random`, `genetic`, `bayes`, `tpe`, `halving`, `hyperband`).
#[derive(Clone, Debug, PartialEq)]
pub enum Method {
    /// Every point of the grid, in an order shuffled by the seed, so a grid
    /// stopped early is still a fair sample of it.
    Grid,
    Random,
    Genetic(Genetic),
    Bayes(Bayes),
    Tpe(Tpe),
    Halving(Halving),
}

impl Method {
    pub fn key(&self) -> &'static str {
        match self {
            Method::Grid => "grid",
            Method::Random => "random",
            Method::Genetic(_) => "genetic",
            Method::Bayes(_) => "bayes",
            Method::Tpe(_) => "tpe",
            Method::Halving(h) if h.hyperband => "hyperband",
            Method::Halving(_) => "halving",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Method::Grid => "grid search",
            Method::Random => "random search",
            Method::Genetic(_) => "genetic algorithm",
            Method::Bayes(_) => "Bayesian optimization",
            Method::Tpe(_) => "tree-structured Parzen estimator",
            Method::Halving(h) => match (h.hyperband, &*h.inner) {
                (false, Method::Bayes(_)) => "successive halving over Bayesian optimization",
                (false, Method::Tpe(_)) => "successive halving over TPE",
                (false, _) => "successive halving over random search",
                (true, Method::Bayes(_)) => "Hyperband over Bayesian optimization",
                (true, Method::Tpe(_)) => "Hyperband over TPE",
                (true, _) => "Hyperband over random search",
            },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TrialState {
    Running,
    Done,
    /// Could not be scored (e.g. the run diverged): ranks below every score.
    Failed,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
    pub id: usize,
    pub config: Config,
    pub state: TrialState,
    pub score: Option<f64>,
    /// The genetic algorithm's generation (0 for the other methods).
    pub generation: usize,
    /// Successive halving: the rung (0 first) and the epochs this trial
    /// trains; `None` for the other methods (the experiment's own epochs).
    pub rung: usize,
    pub budget: Option<usize>,
    /// Hyperband: the bracket (the rung its configuration started on).
    pub bracket: usize,
}

/// What `ask` gives.
#[derive(Clone, Debug, PartialEq)]
pub enum Ask {
    Trial {
        id: usize,
        config: Config,
    },
    /// Nothing to start until running trials are told (a generation must be
    /// complete before the next is bred).
    Wait,
    /// The budget is spent (or the grid exhausted).
    Done,
}

/// One search under way: its method, budget, random stream and trials.
#[derive(Clone, Debug)]
pub struct Study {
    space: Space,
    method: Method,
    n_trials: usize,
    rng: Rng,
    trials: Vec<Trial>,
    /// The grid's visiting order (indices into the grid).
    grid_order: Vec<u64>,
    evolution: genetic::Evolution,
    /// The surrogate's hyperparameters, refitted as trials come in.
    hyper: Option<Hyper>,
    fitted_at: usize,
    /// The surrogate the last Bayesian ask chose by, and how many trials it
    /// had learned from: the page's view of the surrogate reuses it until a
    /// result comes in ([`Study::surrogate_view`]).
    last_fit: Option<(usize, Gp)>,
    /// Results told but not yet learned from (see [`LAG`]).
    told: std::collections::BTreeMap<usize, Option<f64>>,
}

/// How far ahead of its results a method that learns as it goes
/// (Bayesian optimization, TPE, successive halving and Hyperband) may ask:
/// trial `i` is chosen knowing exactly the results of trials `0..=i − LAG`
/// (waiting for them if need be) and none later, whatever order results
/// arrive in. So the same seed gives the same trials on any machine, with
/// one worker or many, and on the command line — and up to `LAG` trials
/// train at once.
pub const LAG: usize = 4;

impl Study {
    pub fn new(space: Space, method: Method, n_trials: usize, seed: u64) -> Result<Study, String> {
        space.check()?;
        let mut rng = Rng::new(seed, stream::SEARCH);
        let grid_order = if method == Method::Grid { grid::visiting_order(&space, &mut rng) } else { Vec::new() };
        // Compared in u64: on wasm32 a grid of 2³² points or more would truncate to a small count, or 0.
        let n_trials = if method == Method::Grid && space.grid_size() < n_trials as u64 {
            space.grid_size() as usize
        } else {
            n_trials
        };
        Ok(Study {
            space,
            method,
            n_trials,
            rng,
            trials: Vec::new(),
            grid_order,
            evolution: genetic::Evolution::default(),
            hyper: None,
            fitted_at: 0,
            last_fit: None,
            told: std::collections::BTreeMap::new(),
        })
    }

    /// Whether this study's choices depend on results (so it learns them in
    /// trial order, [`LAG`] behind).
    fn learns(&self) -> bool {
        matches!(self.method, Method::Bayes(_) | Method::Tpe(_) | Method::Halving(_))
    }

    /// Learns the told results of trials up to `next − LAG`, or all of them
    /// once every trial is asked. Returns whether every result trial `next`
    /// must know is in.
    fn learn(&mut self, next: usize) -> bool {
        let all = !self.learns() || self.trials.len() >= self.n_trials;
        let ready: Vec<usize> = self.told.keys().copied().take_while(|&id| all || id + LAG <= next).collect();
        for id in ready {
            if let Some(score) = self.told.remove(&id) {
                self.record(id, score);
            }
        }
        all || self.trials.iter().take((next + 1).saturating_sub(LAG)).all(|t| t.state != TrialState::Running)
    }

    pub fn space(&self) -> &Space {
        &self.space
    }

    pub fn method(&self) -> &Method {
        &self.method
    }

    pub fn trials(&self) -> &[Trial] {
        &self.trials
    }

    /// Trials this study will run at most.
    pub fn budget(&self) -> usize {
        self.n_trials
    }

    /// The best scored trial so far (with successive halving: on the
    /// highest rung any trial has reached, the one trained longest).
    pub fn best(&self) -> Option<&Trial> {
        let top = self.trials.iter().filter(|t| t.score.is_some()).map(|t| t.rung).max()?;
        // The first of equals: the earliest trial to reach the best score.
        self.trials.iter().filter(|t| t.score.is_some() && t.rung == top).fold(None, |best: Option<&Trial>, t| {
            match best {
                Some(b) if b.score.unwrap() >= t.score.unwrap() => Some(b),
                _ => Some(t),
            }
        })
    }

    pub fn is_done(&self) -> bool {
        self.trials.len() >= self.n_trials && self.trials.iter().all(|t| t.state != TrialState::Running)
    }

    /// Adds finished trials from elsewhere (another study on the same
    /// space, or a saved search) as if this study had run them.
    pub fn seed_trials(&mut self, trials: &[Trial]) {
        for t in trials.iter().filter(|t| t.state != TrialState::Running) {
            let id = self.trials.len();
            self.trials.push(Trial { id, generation: 0, rung: 0, budget: None, bracket: 0, ..t.clone() });
        }
    }

    /// The next configuration to evaluate.
    pub fn ask(&mut self) -> Ask {
        if self.trials.len() >= self.n_trials {
            return Ask::Done;
        }
        if !self.learn(self.trials.len()) {
            return Ask::Wait;
        }
        let (mut rung, mut budget, mut bracket) = (0, None, 0);
        let (config, generation) = match self.method.clone() {
            Method::Grid => (self.next_grid_point(), 0),
            Method::Random => (self.space.sample(&mut self.rng), 0),
            Method::Genetic(g) => match self.next_child(&g) {
                Some(c) => (c, self.evolution.generation),
                None => return Ask::Wait,
            },
            Method::Bayes(b) => (self.next_bayes(&b), 0),
            Method::Tpe(t) => (self.next_tpe(&t), 0),
            Method::Halving(h) => {
                let rungs = h.rungs();
                let config = match self.promotion(&h) {
                    Some((config, k, b)) => {
                        (rung, bracket) = (k, b);
                        config
                    }
                    None => {
                        bracket = self.next_bracket(&h);
                        rung = bracket;
                        self.new_config(&h)
                    }
                };
                budget = Some(rungs[rung.min(rungs.len() - 1)]);
                (config, 0)
            }
        };
        let id = self.trials.len();
        self.trials.push(Trial {
            id,
            config: config.clone(),
            state: TrialState::Running,
            score: None,
            generation,
            rung,
            budget,
            bracket,
        });
        Ask::Trial { id, config }
    }

    /// Records trial `id`'s score (`None`: it failed). Unknown ids and
    /// second tells are ignored. A method that learns as it goes takes it
    /// into account from trial `id + LAG` on.
    pub fn tell(&mut self, id: usize, score: Option<f64>) {
        if self.trials.get(id).is_none_or(|t| t.state != TrialState::Running) {
            return;
        }
        self.told.insert(id, score);
        self.learn(self.trials.len());
    }

    fn record(&mut self, id: usize, score: Option<f64>) {
        let Some(t) = self.trials.get_mut(id) else { return };
        if t.state != TrialState::Running {
            return;
        }
        let score = score.filter(|s| s.is_finite());
        t.state = if score.is_some() { TrialState::Done } else { TrialState::Failed };
        t.score = score;
    }
}

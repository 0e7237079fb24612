//! A study: one search method behind one ask/tell interface (as Optuna's
//! samplers). The caller asks for a configuration, evaluates it however it
//! likes (in a pool of workers, in any order), and tells the score back.
//! Scores are maximized; a failed trial (a diverged run) scores worst.
//!
//! Every random choice comes from the study's seed, so the same seed and the
//! same told scores give the same trials.

use super::gp::{Gp, Hyper, expected_improvement};
use super::space::{Config, Domain, Space, Value};
use crate::engine::rng::{Rng, stream};

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

/// Bayesian optimization's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Bayes {
    /// Random trials before the surrogate takes over.
    pub n_init: usize,
    /// Candidates scored by expected improvement per step.
    pub candidates: usize,
    /// Exploration margin of the expected improvement (in standardized units).
    pub xi: f64,
}

impl Default for Bayes {
    fn default() -> Self {
        Bayes { n_init: 6, candidates: 400, xi: 0.01 }
    }
}

/// The tree-structured Parzen estimator's settings (Bergstra et al., 2011;
/// as Optuna's default `TPESampler`, one parameter at a time): the scored
/// trials are split into the best `gamma` and the rest; each parameter's
/// value is the one, among `candidates` drawn from a density fitted to the
/// best, most likely under it relative to a density fitted to the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct Tpe {
    /// Random trials before the densities take over.
    pub n_init: usize,
    /// The share of scored trials counted as good.
    pub gamma: f64,
    /// Values drawn from the good density per parameter and step.
    pub candidates: usize,
}

impl Default for Tpe {
    fn default() -> Self {
        Tpe { n_init: 8, gamma: 0.25, candidates: 24 }
    }
}

/// Asynchronous successive halving (ASHA; Li et al., 2020, as Optuna's
/// `SuccessiveHalvingPruner` and Ray Tune's `ASHAScheduler`): configurations
/// start on a small budget of epochs; whenever one is in the best `1/eta` of
/// its rung, it is promoted to the next, `eta` times the budget, up to the
/// experiment's epochs. New configurations come from the inner method
/// (random or Bayesian, learning from the first rung).
///
/// With `hyperband`, asynchronous Hyperband (Li et al., 2018; 2020 §3.2):
/// one bracket per rung, bracket `s` starting its configurations on rung
/// `s` — from the most aggressive early stopping to none — so a problem
/// where early scores mislead still has brackets that train long. New
/// configurations go to the brackets in Hyperband's proportions.
#[derive(Clone, Debug, PartialEq)]
pub struct Halving {
    pub inner: Box<Method>,
    pub min_epochs: usize,
    pub max_epochs: usize,
    pub eta: usize,
    pub hyperband: bool,
}

impl Halving {
    /// The epochs of each rung: `min_epochs · etaᵏ`, the last capped at `max_epochs`.
    pub fn rungs(&self) -> Vec<usize> {
        let (eta, max) = (self.eta.max(2), self.max_epochs.max(1));
        let mut out = vec![self.min_epochs.clamp(1, max)];
        while *out.last().unwrap_or(&max) < max {
            let next = out.last().copied().unwrap_or(max).saturating_mul(eta).min(max);
            out.push(next);
        }
        out
    }

    /// Hyperband's share of new configurations per bracket: bracket `s` of
    /// `n` (starting on rung `s`) gets `⌈n / (n − s) · ηⁿ⁻¹⁻ˢ⌉`; without
    /// Hyperband, one bracket.
    pub fn bracket_weights(&self) -> Vec<f64> {
        let n = if self.hyperband { self.rungs().len() } else { 1 };
        (0..n).map(|s| (n as f64 / (n - s) as f64 * (self.eta.max(2) as f64).powi((n - 1 - s) as i32)).ceil()).collect()
    }
}

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

/// The genetic algorithm's state between asks.
#[derive(Clone, Debug, Default)]
struct Evolution {
    /// The scored population of the current generation: (config, fitness).
    population: Vec<(Config, f64)>,
    /// Children bred for the current generation, not yet asked for.
    queue: Vec<Config>,
    generation: usize,
}

#[derive(Clone, Debug)]
pub struct Study {
    space: Space,
    method: Method,
    n_trials: usize,
    rng: Rng,
    trials: Vec<Trial>,
    /// The grid's visiting order (indices into the grid).
    grid_order: Vec<u64>,
    evolution: Evolution,
    /// The surrogate's hyperparameters, refitted as trials come in.
    hyper: Option<Hyper>,
    fitted_at: usize,
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

/// The surrogate's mean and standard deviation over two parameters (see
/// [`Study::surrogate_map`]), in the study's larger-is-better units.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SurrogateMap {
    /// The parameters on the x and y axes (indices into the space).
    pub params: (usize, usize),
    /// Points per axis.
    pub n: usize,
    pub mean: Vec<f64>,
    pub sd: Vec<f64>,
}

/// Bayesian optimization's surrogate as the page draws it: one fit, and
/// the best trial's point (unit cube) that slices and maps go through.
pub struct SurrogateView<'a> {
    space: &'a Space,
    gp: Gp,
    at: Vec<f64>,
}

impl SurrogateView<'_> {
    /// The unit-cube column of numeric parameter `p` (`None` for a choice).
    fn column(&self, p: usize) -> Option<usize> {
        let param = self.space.params.get(p)?;
        (!matches!(param.domain, Domain::Choice(_)))
            .then(|| self.space.params[..p].iter().map(|q| q.domain.width()).sum())
    }

    /// Along numeric parameter `param`, the others at the best trial's
    /// values: `n` points of (value, mean, standard deviation) in the
    /// study's units (larger is better). `None` for a choice.
    pub fn slice(&self, param: usize, n: usize) -> Option<Vec<(f64, f64, f64)>> {
        let col = self.column(param)?;
        let domain = &self.space.params[param].domain;
        let mut x = self.at.clone();
        let n = n.max(2);
        Some(
            (0..n)
                .map(|k| {
                    let u = k as f64 / (n - 1) as f64;
                    x[col] = u;
                    let (mean, std) = self.gp.predict(&x);
                    let value = match domain.at_unit(u) {
                        Value::Real(v) => v,
                        Value::Int(i) => i as f64,
                        Value::Choice(i) => i as f64,
                    };
                    (value, mean, std)
                })
                .collect(),
        )
    }

    /// Over two numeric parameters `a` (x) and `b` (y), the others at the
    /// best trial's values: `n × n` points evenly spaced in each
    /// parameter's unit scale (log where its range is), row by row from
    /// `b`'s lowest. `None` for a choice or the same parameter twice.
    pub fn map(&self, a: usize, b: usize, n: usize) -> Option<SurrogateMap> {
        let (ca, cb) = (self.column(a)?, self.column(b)?);
        if a == b {
            return None;
        }
        let mut x = self.at.clone();
        let n = n.max(2);
        let (mut mean, mut sd) = (Vec::with_capacity(n * n), Vec::with_capacity(n * n));
        for j in 0..n {
            for i in 0..n {
                x[ca] = i as f64 / (n - 1) as f64;
                x[cb] = j as f64 / (n - 1) as f64;
                let (m, s) = self.gp.predict(&x);
                mean.push(m);
                sd.push(s);
            }
        }
        Some(SurrogateMap { params: (a, b), n, mean, sd })
    }
}

/// Most trials the surrogate's hyperparameters are fitted on.
const FIT_POINTS: usize = 48;

/// Most trials the surrogate is conditioned on. Past it, the best half and an
/// even spread of the rest (as for its hyperparameters): every ask factorizes
/// the kernel matrix twice (cubic in these points) and predicts its
/// candidates (quadratic), so a 2000-trial search asks as fast as a
/// 200-trial one.
pub const GP_POINTS: usize = 200;

/// At most `limit` of the observations: the best half of them and an even
/// spread of the others, in their original order.
fn fit_subset(x: &[Vec<f64>], y: &[f64], limit: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    if x.len() <= limit {
        return (x.to_vec(), y.to_vec());
    }
    let mut order: Vec<usize> = (0..y.len()).collect();
    order.sort_by(|&a, &b| y[b].total_cmp(&y[a]));
    let half = limit / 2;
    let mut keep: Vec<usize> = order[..half].to_vec();
    let rest = &order[half..];
    keep.extend((0..half).map(|k| rest[k * rest.len() / half]));
    keep.sort_unstable();
    (keep.iter().map(|&i| x[i].clone()).collect(), keep.iter().map(|&i| y[i]).collect())
}

/// Grids larger than this are sampled (distinct points at random) rather than listed.
const MAX_LISTED_GRID: u64 = 1 << 20;

impl Study {
    pub fn new(space: Space, method: Method, n_trials: usize, seed: u64) -> Result<Study, String> {
        space.check()?;
        let mut rng = Rng::new(seed, stream::SEARCH);
        let mut grid_order = Vec::new();
        if method == Method::Grid && space.grid_size() <= MAX_LISTED_GRID {
            grid_order = (0..space.grid_size()).collect();
            rng.shuffle(&mut grid_order);
        }
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
            evolution: Evolution::default(),
            hyper: None,
            fitted_at: 0,
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

    /// A new configuration for successive halving, from its inner method.
    fn new_config(&mut self, h: &Halving) -> Config {
        match &*h.inner {
            Method::Bayes(b) => self.next_bayes(b),
            Method::Tpe(t) => self.next_tpe(t),
            _ => self.space.sample(&mut self.rng),
        }
    }

    /// The bracket a new configuration joins: the one furthest below its
    /// share of the configurations so far (the first of equals).
    fn next_bracket(&self, h: &Halving) -> usize {
        let weights = h.bracket_weights();
        let started = |s: usize| self.trials.iter().filter(|t| t.bracket == s && t.rung == s).count() as f64;
        (0..weights.len()).min_by(|&a, &b| (started(a) / weights[a]).total_cmp(&(started(b) / weights[b]))).unwrap_or(0)
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

    fn next_grid_point(&mut self) -> Config {
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

    // --- Successive halving -------------------------------------------------

    /// A configuration to promote, with its new rung and its bracket: from
    /// the highest rung down, one of the best `1/eta` of that rung's scored
    /// trials of its bracket not yet on the next rung.
    fn promotion(&self, h: &Halving) -> Option<(Config, usize, usize)> {
        let n_rungs = h.rungs().len();
        for k in (0..n_rungs.saturating_sub(1)).rev() {
            // Each bracket promotes among its own: brackets 0..=k have trials on rung k.
            for b in 0..=k {
                let mut scored: Vec<&Trial> =
                    self.trials.iter().filter(|t| t.rung == k && t.bracket == b && t.score.is_some()).collect();
                scored.sort_by(|x, y| y.score.unwrap().total_cmp(&x.score.unwrap()));
                let n_top = scored.len() / h.eta.max(2);
                for t in &scored[..n_top] {
                    if !self.trials.iter().any(|u| u.rung == k + 1 && u.bracket == b && u.config == t.config) {
                        return Some((t.config.clone(), k + 1, b));
                    }
                }
            }
        }
        None
    }

    // --- Genetic algorithm -------------------------------------------------

    /// The next child to evaluate, breeding a generation when the previous
    /// one is complete; `None` while trials of this generation still run.
    fn next_child(&mut self, g: &Genetic) -> Option<Config> {
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
        elites.sort_by(|a, b| b.1.total_cmp(&a.1));
        population.extend(elites.into_iter().take(g.elite));
        population.sort_by(|a, b| b.1.total_cmp(&a.1));
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

    // --- Bayesian optimization --------------------------------------------

    /// The points and targets the surrogate learns from: scored trials as
    /// they are, failed ones at the worst score seen; and the points of the
    /// trials still running (not yet learned from).
    fn observations(&self) -> (Vec<Vec<f64>>, Vec<f64>, Vec<Vec<f64>>) {
        // Under successive halving only the first rung's trials, all on one budget, inform the surrogate.
        let first = || self.trials.iter().filter(|t| t.rung == 0);
        let worst = first().filter_map(|t| t.score).fold(f64::INFINITY, f64::min);
        let finished = || first().filter(|t| t.state != TrialState::Running);
        let x = finished().map(|t| self.space.encode(&t.config)).collect();
        let y = finished().map(|t| t.score.unwrap_or(worst)).collect();
        let pending =
            first().filter(|t| t.state == TrialState::Running).map(|t| self.space.encode(&t.config)).collect();
        (x, y, pending)
    }

    /// Refits the surrogate's hyperparameters when due — every trial at
    /// first, every fifth later (each fit costs a few dozen factorizations) —
    /// and returns the surrogate.
    fn fit_surrogate(&mut self) -> Option<Gp> {
        let (x, y, _) = self.observations();
        if x.len() < 2 {
            return None;
        }
        let n = x.len();
        if self.hyper.is_none() || n < 30 || n >= self.fitted_at + 5 {
            // The hyperparameters are fitted on at most FIT_POINTS trials (the
            // best half, and an even spread of the rest): each likelihood costs
            // a factorization, cubic in the points used.
            let start = self.hyper.clone().unwrap_or_else(|| Hyper::initial(self.space.width()));
            let (fx, fy) = fit_subset(&x, &y, FIT_POINTS);
            self.hyper = Some(Gp::fit_hyper(&fx, &fy, &start, 2));
            self.fitted_at = n;
        }
        self.surrogate()
    }

    /// The surrogate on the trials learned from, with the hyperparameters
    /// last fitted. It changes nothing: looking at it (the page draws it)
    /// does not change the search.
    pub fn surrogate(&self) -> Option<Gp> {
        let scored = self.trials.iter().filter(|t| t.score.is_some() && t.rung == 0).count();
        if scored < 2 {
            return None;
        }
        let (x, y, pending) = self.observations();
        let (x, y) = fit_subset(&x, &y, GP_POINTS);
        let initial;
        let hyper = match &self.hyper {
            Some(h) => h,
            None => {
                initial = Hyper::initial(self.space.width());
                &initial
            }
        };
        let gp = Gp::fit(&x, &y, hyper)?;
        if pending.is_empty() {
            return Some(gp);
        }
        // Running trials as the model believes they will score (the "kriging
        // believer"): the mean stays, the uncertainty there shrinks, so
        // parallel asks spread out.
        let believed: Vec<f64> = pending.iter().map(|p| gp.predict(p).0).collect();
        Gp::fit(&[x, pending].concat(), &[y, believed].concat(), hyper)
    }

    /// The surrogate, fitted once, ready to be looked at along and across
    /// hyperparameters around the best trial (`None` before it exists).
    pub fn surrogate_view(&self) -> Option<SurrogateView<'_>> {
        let gp = self.surrogate()?;
        let best = self.trials.iter().filter(|t| t.rung == 0 && t.score.is_some());
        let best = best.max_by(|x, y| x.score.unwrap().total_cmp(&y.score.unwrap()))?;
        Some(SurrogateView { space: &self.space, gp, at: self.space.encode(&best.config) })
    }

    /// [`SurrogateView::map`] of a fresh view.
    pub fn surrogate_map(&self, a: usize, b: usize, n: usize) -> Option<SurrogateMap> {
        self.surrogate_view()?.map(a, b, n)
    }

    /// [`SurrogateView::slice`] of a fresh view.
    pub fn surrogate_slice(&self, param: usize, n: usize) -> Option<Vec<(f64, f64, f64)>> {
        self.surrogate_view()?.slice(param, n)
    }

    fn next_bayes(&mut self, b: &Bayes) -> Config {
        let scored = self.trials.iter().filter(|t| t.score.is_some() && t.rung == 0).count();
        if scored < b.n_init.max(2) {
            return self.space.sample(&mut self.rng);
        }
        let Some(gp) = self.fit_surrogate() else { return self.space.sample(&mut self.rng) };
        let best = self.trials.iter().filter(|t| t.rung == 0).filter_map(|t| t.score).fold(f64::NEG_INFINITY, f64::max);
        let (_, y, _) = self.observations();
        let spread = {
            let m = y.iter().sum::<f64>() / y.len() as f64;
            libm::sqrt(y.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / y.len() as f64).max(1e-12)
        };
        // Candidates: uniform in the cube, and steps around the five best trials.
        let mut ranked: Vec<&Trial> = self.trials.iter().filter(|t| t.score.is_some() && t.rung == 0).collect();
        ranked.sort_by(|a, b| b.score.unwrap().total_cmp(&a.score.unwrap()));
        let tops: Vec<Vec<f64>> = ranked.iter().take(5).map(|t| self.space.encode(&t.config)).collect();
        let mut candidates: Vec<Config> = Vec::with_capacity(b.candidates);
        for k in 0..b.candidates.max(1) {
            let config = if k % 4 == 3 && !tops.is_empty() {
                let base = &tops[self.rng.below(tops.len())];
                let scale = [0.02, 0.05, 0.15][self.rng.below(3)];
                let u: Vec<f64> = base.iter().map(|v| v + scale * self.rng.normal()).collect();
                self.space.decode(&u)
            } else {
                self.space.sample(&mut self.rng)
            };
            candidates.push(config);
        }
        let mut best_candidate: Option<(f64, Config)> = None;
        for c in candidates {
            if self.trials.iter().any(|t| t.config == c) {
                continue;
            }
            let (m, s) = gp.predict(&self.space.encode(&c));
            let ei = expected_improvement(m, s, best, b.xi * spread);
            if best_candidate.as_ref().is_none_or(|(e, _)| ei > *e) {
                best_candidate = Some((ei, c));
            }
        }
        best_candidate.map_or_else(|| self.space.sample(&mut self.rng), |(_, c)| c)
    }

    // --- Tree-structured Parzen estimator ------------------------------------

    /// The next configuration by TPE: each parameter on its own, the
    /// candidate value with the largest ratio of good to bad density.
    /// TPE's split of the trials learned from (first rung): the best
    /// `gamma` of them and the rest (failed ones among the rest); `None`
    /// before `n_init` are in.
    fn tpe_split(&self, t: &Tpe) -> Option<(Vec<Config>, Vec<Config>)> {
        let mut ranked: Vec<(f64, &Config)> = self
            .trials
            .iter()
            .filter(|u| u.rung == 0 && u.state != TrialState::Running)
            .map(|u| (u.score.unwrap_or(f64::NEG_INFINITY), &u.config))
            .collect();
        if ranked.len() < t.n_init.max(2) {
            return None;
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        let n_good = ((t.gamma * ranked.len() as f64).ceil() as usize).clamp(1, 25);
        let configs = |r: &[(f64, &Config)]| r.iter().map(|x| x.1.clone()).collect();
        Some((configs(&ranked[..n_good]), configs(&ranked[n_good..])))
    }

    /// TPE's two densities along numeric parameter `param`, at `n` points
    /// evenly spaced on its unit scale: (value, density of the best trials,
    /// density of the rest). `None` for a choice, another method, or before
    /// the densities take over.
    pub fn tpe_densities(&self, param: usize, n: usize) -> Option<Vec<(f64, f64, f64)>> {
        let t = match &self.method {
            Method::Tpe(t) => t,
            Method::Halving(h) => match &*h.inner {
                Method::Tpe(t) => t,
                _ => return None,
            },
            _ => return None,
        };
        let domain = &self.space.params.get(param)?.domain;
        if matches!(domain, Domain::Choice(_)) {
            return None;
        }
        let (good, bad) = self.tpe_split(t)?;
        let unit = |cs: &[Config]| cs.iter().map(|c| self.space.encode_param(param, c[param])).collect::<Vec<_>>();
        let (l, g) = (Parzen::fit(&unit(&good)), Parzen::fit(&unit(&bad)));
        let n = n.max(2);
        Some(
            (0..n)
                .map(|k| {
                    let u = k as f64 / (n - 1) as f64;
                    (domain.value_at(u), libm::exp(l.log_density(u)), libm::exp(g.log_density(u)))
                })
                .collect(),
        )
    }

    fn next_tpe(&mut self, t: &Tpe) -> Config {
        // Scored trials of the first rung, best first; failed ones count as the worst.
        let Some((good, bad)) = self.tpe_split(t) else { return self.space.sample(&mut self.rng) };
        let mut config = Vec::with_capacity(self.space.params.len());
        for (i, p) in self.space.params.iter().enumerate() {
            let value = match &p.domain {
                Domain::Choice(c) => {
                    let l = Categorical::fit(c.len(), good.iter().map(|g| g[i]));
                    let g = Categorical::fit(c.len(), bad.iter().map(|b| b[i]));
                    let mut best = (f64::NEG_INFINITY, 0);
                    for _ in 0..t.candidates.max(1) {
                        let k = l.sample(&mut self.rng);
                        let ratio = libm::log(l.p[k] / g.p[k]);
                        if ratio > best.0 {
                            best = (ratio, k);
                        }
                    }
                    Value::Choice(best.1)
                }
                d => {
                    let unit = |cs: &[Config]| cs.iter().map(|c| self.space.encode_param(i, c[i])).collect::<Vec<_>>();
                    let l = Parzen::fit(&unit(&good));
                    let g = Parzen::fit(&unit(&bad));
                    let mut best = (f64::NEG_INFINITY, 0.5);
                    for _ in 0..t.candidates.max(1) {
                        let u = l.sample(&mut self.rng);
                        let ratio = l.log_density(u) - g.log_density(u);
                        if ratio > best.0 {
                            best = (ratio, u);
                        }
                    }
                    d.at_unit(best.1)
                }
            };
            config.push(value);
        }
        // Each parameter alone may land on a point already tried: then a fresh sample.
        if self.trials.iter().any(|u| u.config == config) { self.space.sample(&mut self.rng) } else { config }
    }
}

/// A Parzen estimator on `[0, 1]`: the uniform prior and a Gaussian at each
/// observation, its width the larger gap to its neighbours (Bergstra et
/// al.'s rule), each truncated to the interval.
struct Parzen {
    means: Vec<f64>,
    sigmas: Vec<f64>,
}

impl Parzen {
    fn fit(points: &[f64]) -> Parzen {
        let mut means: Vec<f64> = points.iter().map(|p| p.clamp(0.0, 1.0)).collect();
        means.sort_by(f64::total_cmp);
        let n = means.len();
        let floor = 1.0 / (n.min(100) as f64 + 1.0);
        let sigmas = (0..n)
            .map(|k| {
                let left = if k == 0 { means[k] } else { means[k] - means[k - 1] };
                let right = if k + 1 == n { 1.0 - means[k] } else { means[k + 1] - means[k] };
                left.max(right).clamp(floor, 1.0)
            })
            .collect();
        Parzen { means, sigmas }
    }

    /// The mixture's density at `u`: the prior and every kernel weighted equally.
    fn log_density(&self, u: f64) -> f64 {
        let normal = |x: f64| libm::exp(-0.5 * x * x) / libm::sqrt(std::f64::consts::TAU);
        let cdf = |x: f64| 0.5 * (1.0 + libm::erf(x / std::f64::consts::SQRT_2));
        let kernels: f64 = self
            .means
            .iter()
            .zip(&self.sigmas)
            .map(|(&m, &s)| normal((u - m) / s) / s / (cdf((1.0 - m) / s) - cdf(-m / s)).max(1e-12))
            .sum();
        libm::log((1.0 + kernels) / (self.means.len() as f64 + 1.0))
    }

    /// A draw from the mixture (a kernel's draw outside `[0, 1]` is drawn again).
    fn sample(&self, rng: &mut Rng) -> f64 {
        let k = rng.below(self.means.len() + 1);
        if k == self.means.len() {
            return rng.uniform();
        }
        for _ in 0..32 {
            let u = self.means[k] + self.sigmas[k] * rng.normal();
            if (0.0..=1.0).contains(&u) {
                return u;
            }
        }
        self.means[k]
    }
}

/// A categorical estimator: each choice's share of the observations, with
/// one prior observation spread evenly over the choices.
struct Categorical {
    p: Vec<f64>,
}

impl Categorical {
    fn fit(n: usize, values: impl Iterator<Item = Value>) -> Categorical {
        let mut counts = vec![1.0 / n as f64; n];
        for v in values {
            if let Value::Choice(k) = v {
                if k < n {
                    counts[k] += 1.0;
                }
            }
        }
        let total: f64 = counts.iter().sum();
        Categorical { p: counts.into_iter().map(|c| c / total).collect() }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let mut r = rng.uniform();
        for (k, &p) in self.p.iter().enumerate() {
            if r < p {
                return k;
            }
            r -= p;
        }
        self.p.len() - 1
    }
}

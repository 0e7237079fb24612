//! Comparing search methods on equal budgets: the best score so far after
//! each trial, summarized over repeated seeds (median and quartiles), as in
//! Bergstra & Bengio (2012), whose observation — random search beats grid
//! search when only a few hyperparameters matter — the tests reproduce.

use super::space::{Config, Space};
use super::study::{Ask, Method, Study, Trial};

/// The best score after each trial (in the order trials were asked);
/// `-∞` until one is scored.
pub fn best_so_far(trials: &[Trial]) -> Vec<f64> {
    let mut best = f64::NEG_INFINITY;
    trials
        .iter()
        .map(|t| {
            if let Some(s) = t.score {
                best = best.max(s);
            }
            best
        })
        .collect()
}

/// Median and quartiles of each column of `curves` (all the same length).
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub median: Vec<f64>,
    pub q25: Vec<f64>,
    pub q75: Vec<f64>,
}

pub fn summarize(curves: &[Vec<f64>]) -> Summary {
    let len = curves.iter().map(Vec::len).min().unwrap_or(0);
    let mut out =
        Summary { median: Vec::with_capacity(len), q25: Vec::with_capacity(len), q75: Vec::with_capacity(len) };
    for i in 0..len {
        let mut col: Vec<f64> = curves.iter().map(|c| c[i]).collect();
        crate::engine::sort::sort_by(&mut col, f64::total_cmp);
        let at = |q: f64| {
            let x = q * (col.len() - 1) as f64;
            let (lo, hi) = (x.floor() as usize, x.ceil() as usize);
            let (a, b) = (col[lo], col[hi]);
            if a == b { a } else { a + (b - a) * (x - lo as f64) }
        };
        out.median.push(at(0.5));
        out.q25.push(at(0.25));
        out.q75.push(at(0.75));
    }
    out
}

/// An equal-budget comparison as one ask/tell job: every method runs its
/// own study for every seed, each study one trial at a time (so it sees
/// every result before its next ask, as [`repeat`] does), while different
/// studies' trials may run at once — in a pool of workers, in any order.
/// The curves do not depend on that order.
#[derive(Clone, Debug)]
pub struct EqualBudget {
    /// Method-major: method `m`, seed `s` at `m * repeats + s`.
    studies: Vec<Study>,
    repeats: usize,
    /// Each study's trial in flight.
    running: Vec<Option<usize>>,
    /// Studies that have nothing more to give.
    ended: Vec<bool>,
    /// The epochs each study's told trials trained, in its trials' order.
    epochs: Vec<Vec<usize>>,
    /// The trials handed out: (study, its trial id), indexed by job trial id.
    handed: Vec<(usize, usize)>,
    cursor: usize,
}

/// A trial of an [`EqualBudget`] job: its id in the job, the method's
/// index, its configuration and (successive halving) its epochs.
#[derive(Clone, Debug, PartialEq)]
pub struct JobTrial {
    pub id: usize,
    pub method: usize,
    pub config: Config,
    pub budget: Option<usize>,
}

impl EqualBudget {
    pub fn new(
        space: &Space,
        methods: &[Method],
        n_trials: usize,
        seeds: std::ops::Range<u64>,
    ) -> Result<Self, String> {
        let repeats = seeds.clone().count();
        let mut studies = Vec::with_capacity(methods.len() * repeats);
        for method in methods {
            for seed in seeds.clone() {
                studies.push(Study::new(space.clone(), method.clone(), n_trials, seed)?);
            }
        }
        let n = studies.len();
        Ok(EqualBudget {
            studies,
            repeats,
            running: vec![None; n],
            ended: vec![false; n],
            epochs: vec![Vec::new(); n],
            handed: Vec::new(),
            cursor: 0,
        })
    }

    /// The next trial of a study with none in flight (taking the studies in
    /// turn); `None` when every study is busy or done.
    pub fn ask(&mut self) -> Option<JobTrial> {
        let n = self.studies.len();
        for k in 0..n {
            let i = (self.cursor + k) % n;
            if self.running[i].is_some() || self.ended[i] {
                continue;
            }
            match self.studies[i].ask() {
                Ask::Trial { id, config } => {
                    self.running[i] = Some(id);
                    self.cursor = (i + 1) % n;
                    self.handed.push((i, id));
                    let budget = self.studies[i].trials()[id].budget;
                    return Some(JobTrial { id: self.handed.len() - 1, method: i / self.repeats, config, budget });
                }
                // With nothing in flight a study that waits would wait forever: it has ended.
                Ask::Wait | Ask::Done => self.ended[i] = true,
            }
        }
        None
    }

    /// Trial `id`'s score (`None`: failed) and the epochs it trained.
    pub fn tell(&mut self, id: usize, score: Option<f64>, epochs: usize) {
        let Some(&(i, trial)) = self.handed.get(id) else { return };
        if self.running[i] != Some(trial) {
            return;
        }
        self.running[i] = None;
        self.studies[i].tell(trial, score);
        self.epochs[i].push(epochs);
    }

    /// Trials told, and the budget of all studies together.
    pub fn progress(&self) -> (usize, usize) {
        let told = self.epochs.iter().map(Vec::len).sum();
        (told, self.studies.iter().map(Study::budget).sum())
    }

    pub fn is_done(&self) -> bool {
        self.running.iter().all(Option::is_none)
            && self.studies.iter().zip(&self.ended).all(|(s, &ended)| ended || s.is_done())
    }

    /// Method `m`'s curves, one per seed: the best score after each trial,
    /// and the epochs spent up to it.
    pub fn curves(&self, m: usize) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
        let range = m * self.repeats..(m + 1) * self.repeats;
        let best = self.studies[range.clone()].iter().map(|s| best_so_far(s.trials())).collect();
        let spent = self.epochs[range]
            .iter()
            .map(|e| {
                let mut total = 0.0;
                e.iter()
                    .map(|&n| {
                        total += n as f64;
                        total
                    })
                    .collect()
            })
            .collect();
        (best, spent)
    }
}

/// Runs `method` to its budget for each seed in `seeds`, one trial at a
/// time, scoring with `objective` (`None`: failed); returns each seed's
/// best-so-far curve.
pub fn repeat(
    space: &Space,
    method: &Method,
    n_trials: usize,
    seeds: impl IntoIterator<Item = u64>,
    mut objective: impl FnMut(&Config) -> Option<f64>,
) -> Result<Vec<Vec<f64>>, String> {
    let mut curves = Vec::new();
    for seed in seeds {
        let mut study = Study::new(space.clone(), method.clone(), n_trials, seed)?;
        while let Ask::Trial { id, config } = study.ask() {
            let score = objective(&config);
            study.tell(id, score);
        }
        curves.push(best_so_far(study.trials()));
    }
    Ok(curves)
}

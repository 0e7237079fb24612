//! A search as one object to ask and tell — the loop the command line runs
//! trial after trial and the page's coordinator (the study worker) runs for
//! a pool of workers. One copy of "ask the study, write the trial's
//! experiment, score it, tell the study", so the same link gives the same
//! trials in the page and on the command line by construction.
//!
//! [`Session`] runs a search (`search=`), [`Comparison`] an equal-budget
//! comparison of methods (`compare=`). Both are pure: who trains the trials,
//! where and in what order, is the caller's.

use std::collections::HashMap;

use super::search::{
    MethodCurve, SearchSpec, comparison_job, evaluate, method_curves, objective, prepare_with, trial_spec,
};
use super::{ExperimentSpec, OwnData, SpecError, to_query};
use crate::engine::search::comparison::EqualBudget;
use crate::engine::search::{Ask, Study, Trial};
use crate::engine::train::Metric;

/// A trial to train: its id, where it sits in the method's scheme, its
/// values (URL text, in the space's order) and its experiment.
#[derive(Clone, Debug, PartialEq)]
pub struct Asked {
    pub id: usize,
    /// The genetic algorithm's generation (0 for the other methods).
    pub generation: usize,
    /// Successive halving's rung (0 for the other methods).
    pub rung: usize,
    /// Hyperband's bracket (0 for the other methods).
    pub bracket: usize,
    pub values: Vec<String>,
    pub spec: ExperimentSpec,
}

/// What a session says when asked.
#[derive(Clone, Debug, PartialEq)]
pub enum Next {
    /// Train and score this trial, then tell the session.
    Trial(Box<Asked>),
    /// A trial whose values make no valid experiment: it has failed
    /// already (the session knows); ask again.
    Refused { id: usize, values: Vec<String>, message: String },
    /// Nothing to start until running trials are told (a method that learns
    /// as it goes waits for the results it must know).
    Wait,
    /// The budget is spent.
    Done,
}

/// A search: its base experiment, its settings, the metric trials are
/// scored by, and the study that chooses them.
pub struct Session {
    pub base: ExperimentSpec,
    pub search: SearchSpec,
    pub metric: Metric,
    study: Study,
}

impl Session {
    /// The search a lab link describes (`prepare`), ready to ask.
    pub fn new(query: &str, own: Option<&OwnData>) -> Result<Session, SpecError> {
        let (base, search) = prepare_with(query, own)?;
        Session::of(base, search)
    }

    /// A prepared search around `base`.
    pub fn of(base: ExperimentSpec, search: SearchSpec) -> Result<Session, SpecError> {
        let metric = search.metric_for(&base);
        let study = Study::new(search.space.clone(), search.method.clone(), search.n_trials, search.seed)
            .map_err(|message| SpecError { field: "space", message })?;
        Ok(Session { base, search, metric, study })
    }

    pub fn ask(&mut self) -> Next {
        let (id, config) = match self.study.ask() {
            Ask::Trial { id, config } => (id, config),
            Ask::Wait => return Next::Wait,
            Ask::Done => return Next::Done,
        };
        let space = &self.search.space;
        let values: Vec<String> = (0..config.len()).map(|i| space.format(i, config[i])).collect();
        let t = &self.study.trials()[id];
        let (generation, rung, bracket, budget) = (t.generation, t.rung, t.bracket, t.budget);
        match trial_spec(&self.base, space, &config, budget) {
            Ok(spec) => Next::Trial(Box::new(Asked { id, generation, rung, bracket, values, spec })),
            Err(message) => {
                self.study.tell(id, None);
                Next::Refused { id, values, message }
            }
        }
    }

    /// Trial `id`'s score as the study maximizes it (`objective`), or `None`
    /// when it failed.
    pub fn tell(&mut self, id: usize, score: Option<f64>) {
        self.study.tell(id, score);
    }

    pub fn study(&self) -> &Study {
        &self.study
    }

    /// The best trial, and its experiment (trained with every epoch, also
    /// under successive halving).
    pub fn best(&self) -> Option<(&Trial, Result<ExperimentSpec, String>)> {
        let best = self.study.best()?;
        Some((best, trial_spec(&self.base, &self.search.space, &best.config, None)))
    }
}

/// An equal-budget comparison of the link's `compare=` methods, each for
/// `repeats` seeds. A configuration met again (the grid's points come back
/// every seed) is answered from what it scored the first time, not trained
/// again.
pub struct Comparison {
    pub base: ExperimentSpec,
    pub search: SearchSpec,
    pub metric: Metric,
    job: EqualBudget,
    /// Score (as the study maximizes it) and epochs, by trial experiment's query.
    trained: HashMap<String, (Option<f64>, usize)>,
    /// The query of each trial handed out and not yet told.
    handed: HashMap<usize, String>,
}

impl Comparison {
    /// The comparison a lab link describes; it needs two or more methods.
    pub fn new(query: &str, own: Option<&OwnData>) -> Result<Comparison, SpecError> {
        let (base, search) = prepare_with(query, own)?;
        Comparison::of(base, search)
    }

    /// A prepared comparison around `base`.
    pub fn of(base: ExperimentSpec, search: SearchSpec) -> Result<Comparison, SpecError> {
        if search.compare.len() < 2 {
            return Err(SpecError { field: "compare", message: "nothing to compare: give two or more methods".into() });
        }
        let metric = search.metric_for(&base);
        let job = comparison_job(&search).map_err(|message| SpecError { field: "space", message })?;
        Ok(Comparison { base, search, metric, job, trained: HashMap::new(), handed: HashMap::new() })
    }

    /// The next trial to train; trials already trained under another seed
    /// are told at once from their first score.
    pub fn ask(&mut self) -> Next {
        while let Some(t) = self.job.ask() {
            match trial_spec(&self.base, &self.search.space, &t.config, t.budget) {
                Ok(spec) => {
                    let key = to_query(&spec);
                    if let Some(&(score, epochs)) = self.trained.get(&key) {
                        self.job.tell(t.id, score, epochs);
                        continue;
                    }
                    self.handed.insert(t.id, key);
                    let space = &self.search.space;
                    let values = (0..t.config.len()).map(|i| space.format(i, t.config[i])).collect();
                    return Next::Trial(Box::new(Asked { id: t.id, generation: 0, rung: 0, bracket: 0, values, spec }));
                }
                Err(_) => self.job.tell(t.id, None, 0),
            }
        }
        if self.job.is_done() { Next::Done } else { Next::Wait }
    }

    /// Trial `id`'s score as the study maximizes it (`None`: failed) and the
    /// epochs it trained.
    pub fn tell(&mut self, id: usize, score: Option<f64>, epochs: usize) {
        if let Some(key) = self.handed.remove(&id) {
            self.trained.insert(key, (score, epochs));
        }
        self.job.tell(id, score, epochs);
    }

    /// Trials told, of all methods' and seeds' together.
    pub fn progress(&self) -> (usize, usize) {
        self.job.progress()
    }

    pub fn is_done(&self) -> bool {
        self.job.is_done()
    }

    /// Each method's curve, in the metric's units (once done).
    pub fn curves(&self) -> Vec<MethodCurve> {
        method_curves(&self.job, &self.search, self.metric)
    }

    /// Runs the comparison here, one trial after another (the command line).
    pub fn run(mut self, bundled: Option<&str>) -> Vec<MethodCurve> {
        while let Next::Trial(t) = self.ask() {
            let (score, epochs) = match evaluate(&t.spec, self.metric, self.search.folds, bundled) {
                Ok(e) => (Some(objective(self.metric, e.value)), e.epochs),
                Err(f) => (None, f.epochs),
            };
            self.tell(t.id, score, epochs);
        }
        self.curves()
    }
}

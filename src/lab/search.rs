//! A search and an equal-budget comparison as the page sees them, and what
//! this browser keeps of a finished search.

use std::rc::Rc;

use crate::engine::train::Metric;
use crate::experiment::ExperimentSpec;

/// An equal-budget comparison as the page sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub id: u32,
    pub metric: Option<Metric>,
    /// `None` while it runs.
    pub curves: Option<Vec<crate::experiment::search::MethodCurve>>,
    pub error: Option<String>,
    /// Trials told so far, of all methods' and seeds' together.
    pub done: usize,
    pub total: usize,
    pub cancelled: bool,
    /// When it started (ms, the page's clock): the ETA.
    pub started_ms: f64,
}

impl Comparison {
    pub fn running(&self) -> bool {
        self.curves.is_none() && self.error.is_none() && !self.cancelled
    }
}

/// A search started from the page, as the page sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchState {
    pub id: u32,
    /// What is tuned (for the slices: each parameter's scale).
    pub space: crate::engine::search::Space,
    /// The tuned keys, in the space's order.
    pub keys: Vec<String>,
    pub metric: Option<Metric>,
    pub budget: usize,
    pub grid_size: u64,
    pub trials: Vec<TrialRow>,
    pub phase: SearchPhase,
    /// When it started and when each trial ended (ms, the page's clock): the ETA.
    pub started_ms: f64,
    /// The final check: the best trial's score on the untouched test split.
    pub test: Option<(usize, Result<f64, String>)>,
    /// Bayesian optimization's latest surrogate slices (larger-is-better units).
    pub surrogate: Vec<crate::worker::protocol::SurrogateSlice>,
    /// The genetic algorithm's population size (`None` for other methods).
    pub population: Option<usize>,
    /// Bayesian optimization's latest surrogate over two parameters.
    pub surrogate_map: Option<Rc<crate::engine::search::study::SurrogateMap>>,
    /// TPE's latest densities along each numeric parameter: (value, best, rest).
    pub densities: Vec<crate::worker::protocol::SurrogateSlice>,
    /// The experiment and search it ran, as a link's query (what it is kept under).
    pub source: String,
    /// The user's data the source names, if it does (a link does not carry them).
    pub own: Option<crate::experiment::OwnData>,
    /// Shown again from this browser's storage, not run in this visit.
    pub restored: bool,
}

/// A finished search as this browser keeps it (`SearchState::to_saved`), so
/// a reload of the same link shows its results again instead of losing them.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedSearch {
    pub source: String,
    pub cancelled: bool,
    pub metric: Option<Metric>,
    pub budget: usize,
    pub population: Option<usize>,
    pub test: Option<(usize, Result<f64, String>)>,
    pub trials: Vec<SavedTrial>,
}

/// One trial of a [`SavedSearch`]: its experiment as a link's query; its
/// score, spread, epochs and learning curve, or why it has none.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedTrial {
    pub id: usize,
    pub generation: usize,
    pub rung: usize,
    pub bracket: usize,
    pub values: Vec<String>,
    pub spec: Option<String>,
    pub scored: Option<(f64, f64, usize, Vec<f64>)>,
    pub failed: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SearchPhase {
    Starting,
    Running,
    /// The study has no more trials to give (the budget is spent).
    Exhausted,
    Done,
    Cancelled,
    Failed(String),
}

impl SearchPhase {
    /// Whether the search is under way: starting, running, or finishing its last trials.
    pub fn running(&self) -> bool {
        matches!(self, SearchPhase::Starting | SearchPhase::Running | SearchPhase::Exhausted)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrialRow {
    pub id: usize,
    /// The genetic algorithm's generation (0 for the other methods).
    pub generation: usize,
    /// Successive halving's rung (0 for the other methods).
    pub rung: usize,
    /// Hyperband's bracket (0 for the other methods).
    pub bracket: usize,
    /// Its values as the link writes them, shared (as its experiment).
    pub values: Rc<[String]>,
    /// Its experiment, shared: the reducer copies the search on every batch
    /// of events, and copying every trial's experiment and values made a
    /// 2 000-trial search's updates take up to a tenth of a second each.
    pub spec: Option<Rc<ExperimentSpec>>,
    pub outcome: TrialOutcome,
    pub ended_ms: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TrialOutcome {
    Running,
    Scored {
        value: f64,
        spread: f64,
        epochs: usize,
        curve: Rc<[f64]>,
    },
    /// Why it has no score, and the epochs it trained.
    Failed {
        message: String,
        epochs: usize,
    },
    Cancelled,
}

impl SearchState {
    pub fn running(&self) -> usize {
        self.trials.iter().filter(|t| t.outcome == TrialOutcome::Running).count()
    }

    /// Finished trials (scored or failed).
    pub fn finished(&self) -> usize {
        self.trials
            .iter()
            .filter(|t| matches!(t.outcome, TrialOutcome::Scored { .. } | TrialOutcome::Failed { .. }))
            .count()
    }

    /// The best scored trial by the metric.
    pub fn best(&self) -> Option<&TrialRow> {
        let higher = self.metric.is_none_or(Metric::higher_is_better);
        self.trials
            .iter()
            .filter_map(|t| match t.outcome {
                TrialOutcome::Scored { value, .. } => Some((t, if higher { value } else { -value })),
                _ => None,
            })
            // The first of equals, as the study reports it.
            .fold(None, |best: Option<(&TrialRow, f64)>, (t, v)| match best {
                Some((b, bv)) if bv >= v => Some((b, bv)),
                _ => Some((t, v)),
            })
            .map(|(t, _)| t)
    }

    /// The trials as `hyperlab search` prints them for the same link: a row
    /// per finished trial in id order, then the best trial, its test score
    /// and the links — once the search has ended and its test score is in.
    /// What the finished search's figures say of it ("random search, 20
    /// trials, two moons", its metric) and their link, after `page`.
    pub fn figure_about(&self, page: &str) -> Option<(crate::figure::SearchAbout, String)> {
        use crate::experiment::search;
        if !matches!(self.phase, SearchPhase::Done) {
            return None;
        }
        let (base, spec) = search::prepare_with(&self.source, self.own.as_ref()).ok()?;
        let finished = self
            .trials
            .iter()
            .filter(|t| matches!(t.outcome, TrialOutcome::Scored { .. } | TrialOutcome::Failed { .. }));
        let finished = finished.count();
        let about =
            crate::figure::SearchAbout::new(spec.method.label(), finished, base.data.label(), spec.metric_for(&base));
        Some((about, search::search_link(page, &base, &spec)))
    }

    /// One of the finished search's charts as a figure (`crate::figure`),
    /// its link after `page`: what `hyperlab plot` draws for the link.
    pub fn figure(&self, chart: crate::figure::SearchChart, page: &str) -> Option<crate::figure::Figure> {
        let (about, link) = self.figure_about(page)?;
        let trials = self
            .trials
            .iter()
            .filter_map(|t| match &t.outcome {
                TrialOutcome::Scored { value, .. } => Some((t.id, &t.values[..], Some(*value))),
                TrialOutcome::Failed { .. } => Some((t.id, &t.values[..], None)),
                TrialOutcome::Running | TrialOutcome::Cancelled => None,
            })
            .collect();
        let results = crate::figure::SearchResults { space: &self.space, about, trials };
        Some(crate::figure::search(chart, &results, &link))
    }

    pub fn trials_csv(&self) -> Option<String> {
        use crate::engine::search::Method;
        use crate::experiment::{export, search, to_query};
        if !matches!(self.phase, SearchPhase::Done) {
            return None;
        }
        let (base, spec) = search::prepare_with(&self.source, self.own.as_ref()).ok()?;
        let metric = spec.metric_for(&base);
        let mut rows: Vec<&TrialRow> = self.trials.iter().collect();
        crate::engine::sort::sort_by_key(&mut rows, |t| t.id);
        let mut lines = vec![export::trials_header(&self.keys, metric)];
        for t in rows {
            lines.push(match &t.outcome {
                TrialOutcome::Scored { value, spread, epochs, .. } => {
                    export::trial_scored(t.id, &t.values, *value, *spread, *epochs)
                }
                TrialOutcome::Failed { message, epochs } => export::trial_failed(t.id, &t.values, message, *epochs),
                TrialOutcome::Running | TrialOutcome::Cancelled => continue,
            });
        }
        let best = self.best()?;
        let TrialOutcome::Scored { value, .. } = best.outcome else { return None };
        let (Some((id, Ok(test))), Some(trained)) = (self.test.clone(), best.spec.as_deref().cloned()) else {
            return None;
        };
        if id != best.id {
            return None;
        }
        let shown: Vec<String> = self.keys.iter().zip(best.values.iter()).map(|(k, v)| format!("{k}={v}")).collect();
        // Successive halving's trial trained a rung's epochs; the best is shown with them all.
        let full = match spec.method {
            Method::Halving(_) => ExperimentSpec { n_epochs: base.n_epochs, ..trained },
            _ => trained,
        };
        let search = format!("{}&{}", to_query(&base), search::search_to_query(&spec));
        lines.extend(export::search_closing((best.id, &shown, value), metric, test, &to_query(&full), &search));
        Some(lines.iter().map(|l| format!("{l}\n")).collect())
    }

    /// What this browser keeps of a finished (or cancelled) search.
    pub fn to_saved(&self) -> Option<SavedSearch> {
        let cancelled = match self.phase {
            SearchPhase::Done => false,
            SearchPhase::Cancelled => true,
            _ => return None,
        };
        let trials = self
            .trials
            .iter()
            .map(|t| {
                let (scored, failed) = match &t.outcome {
                    TrialOutcome::Scored { value, spread, epochs, curve } => {
                        (Some((*value, *spread, *epochs, curve.to_vec())), None)
                    }
                    TrialOutcome::Failed { message, .. } => (None, Some(message.clone())),
                    TrialOutcome::Running | TrialOutcome::Cancelled => (None, None),
                };
                SavedTrial {
                    id: t.id,
                    generation: t.generation,
                    rung: t.rung,
                    bracket: t.bracket,
                    values: t.values.to_vec(),
                    spec: t.spec.as_deref().map(crate::experiment::to_query),
                    scored,
                    failed,
                }
            })
            .collect();
        Some(SavedSearch {
            source: self.source.clone(),
            cancelled,
            metric: self.metric,
            budget: self.budget,
            population: self.population,
            test: self.test.clone(),
            trials,
        })
    }

    /// A kept search, shown again (`None` if its link no longer parses);
    /// `own` are the user's data its link names, if it names some.
    pub fn from_saved(saved: SavedSearch, id: u32, own: Option<&crate::experiment::OwnData>) -> Option<SearchState> {
        let space = crate::experiment::search::search_from_query(&saved.source).0?.space;
        let trials = saved
            .trials
            .into_iter()
            .map(|t| TrialRow {
                id: t.id,
                generation: t.generation,
                rung: t.rung,
                bracket: t.bracket,
                values: t.values.into(),
                spec: t.spec.map(|q| Rc::new(crate::experiment::from_query_on(&q, own).0)),
                outcome: match (t.scored, t.failed) {
                    (Some((value, spread, epochs, curve)), _) => {
                        TrialOutcome::Scored { value, spread, epochs, curve: curve.into() }
                    }
                    // What a browser kept has no epochs for a failed trial.
                    (None, Some(message)) => TrialOutcome::Failed { message, epochs: 0 },
                    (None, None) => TrialOutcome::Cancelled,
                },
                ended_ms: None,
            })
            .collect();
        Some(SearchState {
            id,
            keys: space.params.iter().map(|p| p.key.clone()).collect(),
            grid_size: space.grid_size(),
            space,
            metric: saved.metric,
            budget: saved.budget,
            trials,
            phase: if saved.cancelled { SearchPhase::Cancelled } else { SearchPhase::Done },
            started_ms: 0.0,
            test: saved.test,
            surrogate: Vec::new(),
            population: saved.population,
            surrogate_map: None,
            densities: Vec::new(),
            source: saved.source,
            own: own.cloned(),
            restored: true,
        })
    }

    pub(super) fn settle(&mut self) {
        if self.phase == SearchPhase::Exhausted && self.running() == 0 {
            self.phase = SearchPhase::Done;
        }
    }
}

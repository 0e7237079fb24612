//! The page's state and the one reducer that changes it.

use std::rc::Rc;

use yew::Reducible;

use crate::engine::surface::Surface;
use crate::engine::train::lr_finder::LrFinderResult;
use crate::engine::train::{EpochRecord, Metric, RunState};
use crate::experiment::ExperimentSpec;
use crate::experiment::regimes::{Regime, regime_specs};
use crate::worker::protocol::{About, Event, Pace, Race, RunId, View};

/// Training speeds offered in the page: (label, pace).
pub const PACES: [(&str, Pace); 4] = [
    ("10 epochs/s", Pace::EpochsPerSecond(10.0)),
    ("30 epochs/s", Pace::EpochsPerSecond(30.0)),
    ("100 epochs/s", Pace::EpochsPerSecond(100.0)),
    ("Maximum", Pace::Max),
];
pub const DEFAULT_PACE: usize = 2;

/// Epoch budgets offered in the page.
pub const EPOCH_CHOICES: [usize; 7] = [50, 100, 200, 500, 1000, 2000, 5000];

#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// The worker is still loading.
    Loading,
    /// No run yet: the data and an untrained network are shown.
    Ready,
    Running,
    Paused,
    Finished,
    /// Early stopping ended the run.
    Stopped {
        best_epoch: usize,
    },
    Diverged {
        epoch: usize,
    },
    /// The worker reported an error; the message is shown.
    Failed(String),
}

impl Status {
    pub fn label(&self) -> String {
        match self {
            Status::Loading => "Loading the trainer…".into(),
            Status::Ready => "Ready: press Train".into(),
            Status::Running => "Training".into(),
            Status::Paused => "Paused".into(),
            Status::Finished => "Finished".into(),
            Status::Stopped { best_epoch } => {
                format!("Stopped early: the validation score has not improved since epoch {best_epoch}")
            }
            Status::Diverged { epoch } => format!(
                "Diverged at epoch {epoch}: the loss blew up. The learning rate is far too high — try a smaller one."
            ),
            Status::Failed(msg) => format!("Error: {msg}"),
        }
    }

    /// A run exists in the worker (it can be paused, resumed or stepped).
    pub fn has_run(&self) -> bool {
        matches!(self, Status::Running | Status::Paused)
    }
}

/// Epoch records in immutable chunks, as they arrived: appending never
/// copies what came before.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    chunks: Vec<Rc<[EpochRecord]>>,
    len: usize,
}

impl History {
    pub fn push(&mut self, chunk: Vec<EpochRecord>) {
        if !chunk.is_empty() {
            self.len += chunk.len();
            self.chunks.push(chunk.into());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &EpochRecord> + Clone {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    pub fn first(&self) -> Option<&EpochRecord> {
        self.chunks.first().and_then(|c| c.first())
    }

    pub fn last(&self) -> Option<&EpochRecord> {
        self.chunks.last().and_then(|c| c.last())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LabState {
    pub spec: ExperimentSpec,
    pub pace_idx: usize,
    pub status: Status,
    /// Numbers the lab's run (`RunId::Main`); bumped by every reset.
    pub run_id: u32,
    pub history: History,
    /// The latest picture of the network from the worker, if any.
    pub view: Option<Rc<View>>,
    /// Whether the worker's last progress event said it was paused: the
    /// acknowledgement of a Pause (Running/Paused in `status` is the user's
    /// intent, shown at once).
    pub worker_paused: bool,
    /// How far the epoch under way has got, when epochs take long (a large
    /// network): shown beside the epoch count.
    pub partial: Option<f64>,
    /// The last failure of the training worker (a panic, out of memory): the
    /// page says what happened; a fresh worker has taken over.
    pub worker_error: Option<String>,
    /// What the page's query string asked for that could not be used.
    pub notices: Vec<String>,
    /// The four-regime comparison, when it has been started.
    pub regimes: Option<Rc<Regimes>>,
    /// The LR range test: asked for (`Some(None)`), or its result.
    pub lr_finder: Option<Option<Rc<LrFinderResult>>>,
    /// The optimizer race: its surface, and its result once computed.
    pub race: Option<(Surface, Option<Rc<Race>>)>,
    /// Runs kept for comparison, in the order they were added.
    pub compared: Vec<ComparedRun>,
    /// What the comparison chart overlays, and whether its axis is logarithmic.
    pub compare_metric: Quantity,
    pub compare_log_y: bool,
    /// Runs from the link waiting for the worker to retrain them.
    pub replay_pending: bool,
    /// A problem saving the lab in the browser, shown until the next save works.
    pub storage_error: Option<String>,
    /// The search lab: its settings (the search keys of the link) while its
    /// panel is open, and its latest search.
    pub search_query: Option<String>,
    pub search: Option<Rc<SearchState>>,
    /// An equal-budget comparison of search methods, once asked for.
    pub comparison: Option<Rc<Comparison>>,
}

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

#[derive(Clone, Debug, PartialEq)]
pub struct TrialRow {
    pub id: usize,
    /// The genetic algorithm's generation (0 for the other methods).
    pub generation: usize,
    /// Successive halving's rung (0 for the other methods).
    pub rung: usize,
    /// Hyperband's bracket (0 for the other methods).
    pub bracket: usize,
    pub values: Vec<String>,
    pub spec: Option<ExperimentSpec>,
    pub outcome: TrialOutcome,
    pub ended_ms: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TrialOutcome {
    Running,
    Scored { value: f64, spread: f64, epochs: usize, curve: Rc<[f64]> },
    Failed(String),
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
            .filter(|t| matches!(t.outcome, TrialOutcome::Scored { .. } | TrialOutcome::Failed(_)))
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
                    TrialOutcome::Failed(m) => (None, Some(m.clone())),
                    TrialOutcome::Running | TrialOutcome::Cancelled => (None, None),
                };
                SavedTrial {
                    id: t.id,
                    generation: t.generation,
                    rung: t.rung,
                    bracket: t.bracket,
                    values: t.values.clone(),
                    spec: t.spec.as_ref().map(crate::experiment::to_query),
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

    /// A kept search, shown again (`None` if its link no longer parses).
    pub fn from_saved(saved: SavedSearch, id: u32) -> Option<SearchState> {
        let space = crate::experiment::search::search_from_query(&saved.source).0?.space;
        let trials = saved
            .trials
            .into_iter()
            .map(|t| TrialRow {
                id: t.id,
                generation: t.generation,
                rung: t.rung,
                bracket: t.bracket,
                values: t.values,
                spec: t.spec.map(|q| crate::experiment::from_query(&q).0),
                outcome: match (t.scored, t.failed) {
                    (Some((value, spread, epochs, curve)), _) => {
                        TrialOutcome::Scored { value, spread, epochs, curve: curve.into() }
                    }
                    (None, Some(m)) => TrialOutcome::Failed(m),
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
            restored: true,
        })
    }

    fn settle(&mut self) {
        if self.phase == SearchPhase::Exhausted && self.running() == 0 {
            self.phase = SearchPhase::Done;
        }
    }
}

/// What the comparison chart can overlay per epoch: a metric (training and
/// validation) or the learning rate the epoch used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    Metric(Metric),
    Lr,
}

impl Quantity {
    pub fn key(self) -> &'static str {
        match self {
            Quantity::Metric(m) => m.key(),
            Quantity::Lr => "lr",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        if key == "lr" { Some(Quantity::Lr) } else { Metric::from_key(key).map(Quantity::Metric) }
    }

    /// The axis title and menu entry.
    pub fn label(self) -> String {
        match self {
            Quantity::Metric(m) => m.key().replace('_', " "),
            Quantity::Lr => "learning rate".into(),
        }
    }
}

/// A finished (or stopped) run kept to compare with others.
#[derive(Clone, Debug, PartialEq)]
pub struct ComparedRun {
    /// Stable identity, also the colour's index.
    pub key: u32,
    pub label: String,
    pub visible: bool,
    pub spec: ExperimentSpec,
    pub history: History,
    /// What the network computed at the end (for the small multiples).
    pub view: Option<Rc<View>>,
    /// No more epochs will come: kept after training, or retrained to its end.
    pub ended: bool,
}

/// Names the kept runs: [`run_label`] each, and where two would read the
/// same, the other fields in which they differ. Computed from the specs
/// alone, so a reloaded link names its runs as before.
pub fn relabel(runs: &mut [ComparedRun]) {
    const DETAILS: [(&str, &str); 8] = [
        ("bs", "batch"),
        ("ep", "epochs"),
        ("hidden", "hidden"),
        ("act", "act"),
        ("wd", "wd"),
        ("mom", "momentum"),
        ("seed", "seed"),
        ("data", "data"),
    ];
    let field = |spec: &ExperimentSpec, key: &str| -> String {
        let q = crate::experiment::to_query(spec);
        let value =
            q.split('&').find_map(|p| p.strip_prefix(key).and_then(|r| r.strip_prefix('=')).map(str::to_string));
        value.unwrap_or_else(|| "default".into())
    };
    let base: Vec<String> = runs.iter().map(|r| run_label(&r.spec)).collect();
    let labels: Vec<String> = (0..runs.len())
        .map(|i| {
            let twins: Vec<usize> = (0..runs.len()).filter(|&j| base[j] == base[i]).collect();
            if twins.len() < 2 {
                return base[i].clone();
            }
            let mut label = base[i].clone();
            for (key, name) in DETAILS {
                let mine = field(&runs[i].spec, key);
                if twins.iter().any(|&j| field(&runs[j].spec, key) != mine) {
                    label.push_str(&format!(" · {name} {mine}"));
                }
            }
            label
        })
        .collect();
    for (run, label) in runs.iter_mut().zip(labels) {
        run.label = label;
    }
}

/// A short name for a run: what usually differs between compared runs.
pub fn run_label(spec: &ExperimentSpec) -> String {
    use crate::experiment::query::schedule_key;
    let mut parts = vec![format!("lr {}", crate::plot::format_lr(spec.lr))];
    parts.push(spec.optimizer.name().to_string());
    if schedule_key(&spec.schedule) != "constant" {
        parts.push(spec.schedule.label().to_string());
    }
    if !spec.lr_changes.is_empty() {
        parts.push("hand-set lr".into());
    }
    parts.push(spec.data.kind.label().to_string());
    parts.join(" · ")
}

/// One run of the four-regime comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct RegimeRun {
    pub spec: ExperimentSpec,
    pub history: History,
    pub view: Option<Rc<View>>,
    pub state: RunState,
    pub initial_loss: f64,
}

impl RegimeRun {
    /// The course's label, once the run has ended.
    pub fn regime(&self) -> Option<Regime> {
        let records: Vec<EpochRecord> = self.history.iter().copied().collect();
        self.state.is_over().then(|| Regime::of(self.initial_loss, &records, self.state))
    }
}

/// The four runs (very high, high, good, low), with consecutive run ids.
#[derive(Clone, Debug, PartialEq)]
pub struct Regimes {
    /// The group's number (`RunId::Regime { group, .. }`).
    pub group: u32,
    pub runs: Vec<RegimeRun>,
}

impl Default for LabState {
    fn default() -> Self {
        Self {
            spec: ExperimentSpec::default(),
            pace_idx: DEFAULT_PACE,
            status: Status::Loading,
            run_id: 1,
            history: History::default(),
            view: None,
            worker_paused: false,
            partial: None,
            worker_error: None,
            notices: Vec::new(),
            regimes: None,
            lr_finder: None,
            race: None,
            compared: Vec::new(),
            compare_metric: Quantity::Metric(Metric::Loss),
            compare_log_y: false,
            replay_pending: false,
            storage_error: None,
            search_query: None,
            search: None,
            comparison: None,
        }
    }
}

impl LabState {
    /// The key the next kept run gets: one past the largest in use.
    pub fn next_compared_key(&self) -> u32 {
        self.compared.iter().map(|r| r.key + 1).max().unwrap_or(0)
    }

    pub fn pace(&self) -> Pace {
        PACES[self.pace_idx].1
    }

    /// The run a Train or Step press acts on: the current one if it can
    /// continue, otherwise a fresh one.
    pub fn run_for_start(&self) -> (u32, bool) {
        if self.status.has_run() {
            (self.run_id, false)
        } else if self.status == Status::Ready && self.history.is_empty() {
            (self.run_id, true)
        } else {
            (self.run_id.wrapping_add(1), true)
        }
    }
}

pub enum Action {
    Worker(Event),
    /// The training worker failed with this message; a fresh one is loading.
    WorkerCrashed(String),
    /// Show the optimizer race of this spec's surface, start and steps (not a
    /// new experiment: the run goes on).
    SetRace(crate::experiment::RaceSpec),
    DismissWorkerError,
    /// The user started (a new run `run_id`) or resumed training.
    Started {
        run_id: u32,
    },
    /// The user paused training.
    Paused,
    /// The user asked for one epoch (of run `run_id`).
    Stepped {
        run_id: u32,
    },
    /// Drop the run (if any) and show a fresh experiment.
    Reset,
    /// Change the experiment; resets any run.
    SetSpec(Box<ExperimentSpec>),
    SetPace(usize),
    /// The four-regime runs were started as this group.
    StartRegimes {
        group: u32,
    },
    CloseRegimes,
    /// The LR range test was asked for.
    LrFindStarted,
    CloseLrFinder,
    /// A race on this surface was asked for.
    RaceStarted(Surface),
    CloseRace,
    /// Keep the current run (its spec and records) for comparison.
    AddToComparison,
    RemoveCompared(u32),
    /// Open the search panel with these settings (search keys of a link), or close it.
    SetSearchQuery(Option<String>),
    /// A search was sent to the worker.
    SearchStarting {
        id: u32,
        space: crate::engine::search::Space,
        population: Option<usize>,
        /// The experiment and search, as a link's query.
        source: String,
    },
    /// An equal-budget comparison was sent to the worker.
    CompareStarting {
        id: u32,
    },
    /// The user cancelled the comparison.
    CompareCancelled,
    /// The user cancelled the search: running trials are dropped, finished ones kept.
    SearchCancelled,
    /// A copy of a kept run with one change, about to be trained as run `RunId::Kept(key)`.
    AddVariant {
        key: u32,
        spec: Box<ExperimentSpec>,
    },
    ToggleCompared(u32),
    SetCompareMetric(Quantity),
    ToggleCompareLogY,
    /// The link's runs were sent to the worker.
    ReplayStarted,
    /// Forget the kept runs (and what the browser saved).
    ClearCompared,
    StorageError(Option<String>),
}

impl Reducible for LabState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Worker(Event::Batch { events }) => {
                return events.into_iter().fold(self, |state, e| state.reduce(Action::Worker(e)));
            }
            Action::Worker(Event::Ready) => {
                if next.status == Status::Loading {
                    next.status = Status::Ready;
                }
            }
            Action::Worker(Event::Progress { run_id: RunId::Kept(key), records, view, state, .. }) => {
                match next.compared.iter_mut().find(|r| r.key == key) {
                    Some(run) => {
                        run.history.push(records);
                        if let Some(view) = view {
                            run.view = Some(Rc::new(view));
                        }
                        run.ended = state.is_over();
                    }
                    None => return self,
                }
            }
            Action::Worker(Event::Progress {
                run_id: RunId::Regime { group, index },
                records,
                view,
                state,
                initial_loss,
                ..
            }) => {
                let Some(regimes) = next.regimes.as_mut().filter(|r| r.group == group) else { return self };
                let Some(r) = Rc::make_mut(regimes).runs.get_mut(index as usize) else { return self };
                r.history.push(records);
                if let Some(view) = view {
                    r.view = Some(Rc::new(view));
                }
                r.state = state;
                if initial_loss.is_finite() {
                    r.initial_loss = initial_loss;
                }
            }
            Action::Worker(Event::Progress {
                run_id: RunId::Main(n), records, view, state, paused, partial, ..
            }) => {
                if n != next.run_id {
                    return self;
                }
                next.history.push(records);
                if let Some(view) = view {
                    next.view = Some(Rc::new(view));
                }
                next.worker_paused = paused;
                next.partial = partial;
                match state {
                    // Running or Paused: the user's latest command decides.
                    RunState::Training => {}
                    RunState::Finished => next.status = Status::Finished,
                    RunState::Stopped { best_epoch } => next.status = Status::Stopped { best_epoch },
                    RunState::Diverged { epoch } => next.status = Status::Diverged { epoch },
                }
            }
            Action::Worker(Event::LrChanged { run_id, change }) => {
                if run_id != RunId::Main(next.run_id) {
                    return self;
                }
                // Recorded in the experiment (and so in the URL), without a reset.
                next.spec.lr_changes.retain(|c| c.epoch < change.epoch);
                next.spec.lr_changes.push(change);
            }
            Action::Worker(Event::Raced { race, .. }) => match &next.race {
                Some((surface, _)) if *surface == race.surface => next.race = Some((*surface, Some(Rc::new(race)))),
                _ => return self,
            },
            Action::Worker(Event::LrFound { result, .. }) => {
                if next.lr_finder.is_none() {
                    return self;
                }
                next.lr_finder = Some(Some(Rc::new(result)));
            }
            Action::Worker(Event::CompareProgress { search_id, done, total }) => {
                let Some(c) = next.comparison.as_mut().filter(|c| c.id == search_id && c.running()) else {
                    return self;
                };
                let c = Rc::make_mut(c);
                (c.done, c.total) = (done, total);
            }
            Action::Worker(Event::SearchStarted { search_id, metric, budget, .. })
                if next.comparison.as_ref().is_some_and(|c| c.id == search_id) =>
            {
                if let Some(c) = next.comparison.as_mut() {
                    let c = Rc::make_mut(c);
                    (c.metric, c.total) = (Some(metric), budget);
                }
            }
            Action::Worker(Event::Compared { search_id, metric, curves }) => {
                let Some(c) = next.comparison.as_mut().filter(|c| c.id == search_id) else { return self };
                let c = Rc::make_mut(c);
                (c.metric, c.curves, c.done) = (Some(metric), Some(curves), c.total);
            }
            Action::Worker(Event::Error { about: About::Comparison(id), message }) => {
                let Some(c) = next.comparison.as_mut().filter(|c| c.id == id && c.curves.is_none()) else {
                    return self;
                };
                Rc::make_mut(c).error = Some(message);
            }
            Action::Worker(Event::Error { about: About::Search(id), message }) => {
                let Some(search) = next.search.as_mut().filter(|s| s.id == id) else { return self };
                Rc::make_mut(search).phase = SearchPhase::Failed(message);
            }
            Action::Worker(Event::SearchStarted { search_id, keys, metric, budget, grid_size }) => {
                let Some(search) = next.search.as_mut().filter(|s| s.id == search_id) else { return self };
                let s = Rc::make_mut(search);
                (s.keys, s.metric, s.budget, s.grid_size, s.phase) =
                    (keys, Some(metric), budget, grid_size, SearchPhase::Running);
            }
            Action::Worker(Event::SearchAsked { search_id, trial, done }) => {
                let Some(search) = next.search.as_mut().filter(|s| s.id == search_id) else { return self };
                let s = Rc::make_mut(search);
                if s.phase == SearchPhase::Cancelled {
                    // An answer to an ask sent before the cancel: nobody will train it.
                    return self;
                }
                if let Some(t) = trial {
                    s.trials.push(TrialRow {
                        id: t.trial_id,
                        generation: t.generation,
                        rung: t.rung,
                        bracket: t.bracket,
                        values: t.values,
                        spec: Some(*t.spec),
                        outcome: TrialOutcome::Running,
                        ended_ms: None,
                    });
                } else if done && s.phase == SearchPhase::Running {
                    s.phase = SearchPhase::Exhausted;
                    s.settle();
                } else {
                    return self;
                }
            }
            Action::Worker(Event::TrialDone { search_id, trial_id, result }) => {
                let Some(search) = next.search.as_mut().filter(|s| s.id == search_id) else { return self };
                let s = Rc::make_mut(search);
                let outcome = match result {
                    Ok(e) => TrialOutcome::Scored {
                        value: e.value,
                        spread: e.spread,
                        epochs: e.epochs,
                        curve: e.curve.into(),
                    },
                    Err(f) => TrialOutcome::Failed(f.message),
                };
                match s.trials.iter_mut().find(|t| t.id == trial_id) {
                    Some(t) if t.outcome == TrialOutcome::Running => {
                        t.outcome = outcome;
                        t.ended_ms = Some(now_ms());
                    }
                    Some(_) => return self,
                    // Refused by the study before it reached a worker (an invalid combination).
                    None => s.trials.push(TrialRow {
                        id: trial_id,
                        generation: 0,
                        rung: 0,
                        bracket: 0,
                        values: Vec::new(),
                        spec: None,
                        outcome,
                        ended_ms: Some(now_ms()),
                    }),
                }
                s.settle();
            }
            Action::Worker(Event::Surrogate { search_id, slices, map, densities }) => {
                let Some(search) = next.search.as_mut().filter(|s| s.id == search_id) else { return self };
                let s = Rc::make_mut(search);
                (s.surrogate, s.surrogate_map, s.densities) = (slices, map.map(Rc::new), densities);
            }
            Action::Worker(Event::TestScored { search_id, trial_id, result }) => {
                let Some(search) = next.search.as_mut().filter(|s| s.id == search_id) else { return self };
                Rc::make_mut(search).test = Some((trial_id, result));
            }
            Action::Worker(Event::Error { about: About::Worker, message }) => next.status = Status::Failed(message),
            Action::Worker(Event::Error { about: About::Run(run_id), message }) => match run_id {
                RunId::Main(n) if n == next.run_id => next.status = Status::Failed(message),
                // A kept run that cannot be retrained keeps what it has.
                RunId::Kept(key) => match next.compared.iter_mut().find(|r| r.key == key) {
                    Some(run) => run.ended = true,
                    None => return self,
                },
                _ => return self,
            },
            // The bridge turns a crash into WorkerCrashed (after replacing the worker).
            Action::Worker(Event::Crashed { message }) | Action::WorkerCrashed(message) => {
                // Everything the failed worker was doing is gone; what the page holds stays.
                reset(&mut next);
                next.status = Status::Loading;
                stop_kept_runs(&mut next);
                next.replay_pending = false;
                next.regimes = None;
                if matches!(next.lr_finder, Some(None)) {
                    next.lr_finder = None;
                }
                if matches!(next.race, Some((_, None))) {
                    next.race = None;
                }
                let lost = format!("the training worker stopped ({message})");
                if let Some(search) = next.search.as_mut().filter(|s| {
                    matches!(s.phase, SearchPhase::Starting | SearchPhase::Running | SearchPhase::Exhausted)
                }) {
                    let s = Rc::make_mut(search);
                    for t in s.trials.iter_mut().filter(|t| t.outcome == TrialOutcome::Running) {
                        t.outcome = TrialOutcome::Cancelled;
                    }
                    s.phase = SearchPhase::Failed(lost.clone());
                }
                if let Some(c) = next.comparison.as_mut().filter(|c| c.running()) {
                    Rc::make_mut(c).error = Some(lost);
                }
                next.worker_error = Some(message);
            }
            Action::DismissWorkerError => next.worker_error = None,
            Action::SetRace(race) => {
                if race == next.spec.race {
                    return self;
                }
                next.spec.race = race;
            }
            Action::Started { run_id } => {
                if run_id != next.run_id {
                    reset(&mut next);
                    next.run_id = run_id;
                    stop_kept_runs(&mut next);
                }
                next.status = Status::Running;
                next.worker_paused = false;
            }
            Action::Paused => {
                if next.status == Status::Running {
                    next.status = Status::Paused;
                }
            }
            Action::Stepped { run_id } => {
                if run_id != next.run_id {
                    reset(&mut next);
                    next.run_id = run_id;
                }
                next.status = Status::Paused;
            }
            Action::Reset => reset(&mut next),
            Action::SetSpec(spec) => {
                if *spec == next.spec {
                    return self;
                }
                next.spec = *spec;
                reset(&mut next);
            }
            Action::SetPace(idx) => next.pace_idx = idx.min(PACES.len() - 1),
            Action::StartRegimes { group } => {
                // The worker dropped the main run to train the four.
                reset(&mut next);
                stop_kept_runs(&mut next);
                let runs = regime_specs(&next.spec)
                    .into_iter()
                    .map(|spec| RegimeRun {
                        spec,
                        history: History::default(),
                        view: None,
                        state: RunState::Training,
                        initial_loss: f64::NAN,
                    })
                    .collect();
                next.regimes = Some(Rc::new(Regimes { group, runs }));
            }
            Action::CloseRegimes => next.regimes = None,
            Action::LrFindStarted => next.lr_finder = Some(None),
            Action::RaceStarted(surface) => next.race = Some((surface, None)),
            Action::AddToComparison => {
                if next.history.is_empty() {
                    return self;
                }
                let key = next.next_compared_key();
                next.compared.push(ComparedRun {
                    key,
                    label: String::new(),
                    visible: true,
                    spec: next.spec.clone(),
                    history: next.history.clone(),
                    view: next.view.clone(),
                    ended: true,
                });
                relabel(&mut next.compared);
            }
            Action::AddVariant { key, spec } => {
                next.compared.push(ComparedRun {
                    key,
                    label: String::new(),
                    visible: true,
                    spec: *spec,
                    history: History::default(),
                    view: None,
                    ended: false,
                });
                relabel(&mut next.compared);
            }
            Action::RemoveCompared(key) => {
                next.compared.retain(|r| r.key != key);
                relabel(&mut next.compared);
            }
            Action::ToggleCompared(key) => {
                for r in next.compared.iter_mut().filter(|r| r.key == key) {
                    r.visible = !r.visible;
                }
            }
            Action::SetCompareMetric(m) => next.compare_metric = m,
            Action::SetSearchQuery(q) => next.search_query = q,
            Action::CompareStarting { id } => {
                next.comparison = Some(Rc::new(Comparison {
                    id,
                    metric: None,
                    curves: None,
                    error: None,
                    done: 0,
                    total: 0,
                    cancelled: false,
                    started_ms: now_ms(),
                }));
            }
            Action::CompareCancelled => {
                let Some(c) = next.comparison.as_mut().filter(|c| c.running()) else { return self };
                Rc::make_mut(c).cancelled = true;
            }
            Action::SearchStarting { id, space, population, source } => {
                next.search = Some(Rc::new(SearchState {
                    id,
                    space,
                    keys: Vec::new(),
                    metric: None,
                    budget: 0,
                    grid_size: 0,
                    trials: Vec::new(),
                    phase: SearchPhase::Starting,
                    started_ms: now_ms(),
                    test: None,
                    surrogate: Vec::new(),
                    population,
                    surrogate_map: None,
                    densities: Vec::new(),
                    source,
                    restored: false,
                }));
            }
            Action::SearchCancelled => {
                let Some(search) = next.search.as_mut() else { return self };
                let s = Rc::make_mut(search);
                for t in s.trials.iter_mut().filter(|t| t.outcome == TrialOutcome::Running) {
                    t.outcome = TrialOutcome::Cancelled;
                }
                s.phase = SearchPhase::Cancelled;
            }
            Action::ReplayStarted => next.replay_pending = false,
            Action::ClearCompared => next.compared.clear(),
            Action::StorageError(e) => {
                if e == next.storage_error {
                    return self;
                }
                next.storage_error = e;
            }
            Action::ToggleCompareLogY => next.compare_log_y = !next.compare_log_y,
            Action::CloseRace => next.race = None,
            Action::CloseLrFinder => next.lr_finder = None,
        }
        Rc::new(next)
    }
}

/// The page's clock in ms.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// A new run in the worker drops kept runs still being retrained: they keep
/// the epochs they have.
fn stop_kept_runs(s: &mut LabState) {
    for r in &mut s.compared {
        r.ended = true;
    }
}

fn reset(s: &mut LabState) {
    s.run_id = s.run_id.wrapping_add(1);
    s.history = History::default();
    s.view = None;
    s.worker_paused = false;
    s.partial = None;
    if s.status != Status::Loading {
        s.status = Status::Ready;
    }
}

//! The page's state and the one reducer that changes it — pure Rust, so it
//! is tested natively (`tests/lab.rs`). The Yew app (`ui`) holds a
//! `LabState`, dispatches `Action`s and draws what it holds; the reducer
//! reads no clock (the time an action happens is passed in) and talks to no
//! one.

pub mod beat;
mod reduce;
mod search;

pub use reduce::Action;

/// The run a Train or Step press acts on (its `RunId::Main` number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunToStart {
    /// The run in the worker, paused or training: resume it.
    Continue(u32),
    /// No run to continue: start this one.
    Fresh(u32),
}

impl RunToStart {
    pub fn run_id(self) -> u32 {
        match self {
            RunToStart::Continue(id) | RunToStart::Fresh(id) => id,
        }
    }
}
pub use search::{Comparison, SavedSearch, SavedTrial, SearchPhase, SearchState, TrialOutcome, TrialRow};

use std::rc::Rc;

use crate::engine::surface::Surface;
pub use crate::engine::train::Inside;
use crate::engine::train::lr_finder::LrFinderResult;
use crate::engine::train::{EpochRecord, LayerStats, Metric, RunState};
use crate::experiment::ExperimentSpec;
use crate::experiment::regimes::Regime;
use crate::lessons::{Facts, Place, Progress, RunFacts, SearchFacts};
use crate::worker::protocol::{NetworkPicture, Pace, Race, View};

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

    /// How the lab's run ended, if it has.
    pub fn run_state(&self) -> Option<RunState> {
        match *self {
            Status::Finished => Some(RunState::Finished),
            Status::Stopped { best_epoch } => Some(RunState::Stopped { best_epoch }),
            Status::Diverged { epoch } => Some(RunState::Diverged { epoch }),
            _ => None,
        }
    }
}

/// Epoch records in immutable chunks, as they arrived: appending never
/// copies what came before.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    chunks: Vec<Rc<[EpochRecord]>>,
    /// The per-layer diagnostics of each chunk's records (empty where the
    /// run did not measure them).
    diagnostics: Vec<Rc<[Vec<LayerStats>]>>,
    len: usize,
}

impl History {
    pub fn push(&mut self, chunk: Vec<EpochRecord>) {
        self.push_with(chunk, Vec::new());
    }

    /// Records with their diagnostics, one per record (diagnostics that do
    /// not match the records are left out).
    pub fn push_with(&mut self, chunk: Vec<EpochRecord>, diagnostics: Vec<Vec<LayerStats>>) {
        if !chunk.is_empty() {
            self.len += chunk.len();
            let diagnostics = if diagnostics.len() == chunk.len() { diagnostics } else { Vec::new() };
            self.chunks.push(chunk.into());
            self.diagnostics.push(diagnostics.into());
        }
    }

    /// The records that have diagnostics, with them.
    pub fn with_diagnostics(&self) -> impl Iterator<Item = (&EpochRecord, &[LayerStats])> + Clone {
        self.chunks.iter().zip(&self.diagnostics).flat_map(|(c, d)| c.iter().zip(d.iter().map(Vec::as_slice)))
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Records held.
    pub fn len(&self) -> usize {
        self.len
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

/// The script the page asked the worker to write (a PyTorch script, an
/// Optuna study).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ScriptExport {
    #[default]
    Idle,
    Writing(crate::worker::protocol::ScriptKind),
    /// It could not be written or downloaded: why.
    Failed(crate::worker::protocol::ScriptKind, String),
}

impl ScriptExport {
    /// Whether a script of `kind` is being written.
    pub fn writing(&self, kind: crate::worker::protocol::ScriptKind) -> bool {
        *self == ScriptExport::Writing(kind)
    }

    /// Why the last script of `kind` could not be had, if it could not.
    pub fn failure(&self, kind: crate::worker::protocol::ScriptKind) -> Option<&str> {
        match self {
            ScriptExport::Failed(k, e) if *k == kind => Some(e),
            _ => None,
        }
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
    /// The untrained network's training loss of the lab's run (NaN until the
    /// worker says): the regime label's starting point.
    pub initial_loss: f64,
    /// The lab's run's scores on the test split, once it ended (with one).
    pub test: Option<crate::engine::train::Scores>,
    /// The latest picture of the network from the worker, if any.
    pub view: Option<Rc<View>>,
    /// The latest picture of its parameters (the network view).
    pub network: Option<Rc<NetworkPicture>>,
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
    /// A change of the settings reset a run: said until the next one starts.
    pub run_reset: bool,
    /// The four-regime comparison, when it has been started.
    pub regimes: Option<Rc<Regimes>>,
    /// The LR range test: asked for (`Some(None)`), or its result.
    pub lr_finder: Option<Option<Rc<LrFinderResult>>>,
    /// The PyTorch script asked of the worker.
    pub script: ScriptExport,
    /// The optimizer race: its surface, and its result once computed.
    pub race: Option<(Surface, Option<Rc<Race>>)>,
    /// Runs kept for comparison, in the order they were added.
    pub kept: Vec<KeptRun>,
    /// What the comparison chart overlays, and whether its axis is logarithmic.
    pub kept_metric: Quantity,
    pub kept_log_y: bool,
    /// Runs from the link waiting for the worker to retrain them.
    pub replay_pending: bool,
    /// Tools the link opens once the worker is ready (and the runs above
    /// are retrained).
    pub tools_pending: Vec<crate::experiment::Tool>,
    /// A problem saving the lab in the browser, shown until the next save works.
    pub storage_error: Option<String>,
    /// The search lab: its settings (the search keys of the link) while its
    /// panel is open, and its latest search.
    pub search_query: Option<String>,
    pub search: Option<Rc<SearchState>>,
    /// An equal-budget comparison of search methods, once asked for.
    pub comparison: Option<Rc<Comparison>>,
    /// The lesson step open beside the lab, if any.
    pub lesson: Option<Rc<LessonState>>,
    /// The list of lessons is shown.
    pub lesson_index: bool,
    /// The open lesson step keeps the view: the tools its setup (or a link
    /// to it) opened stay below its text instead of scrolling to
    /// themselves, and the step has a button to each. A tool asked for from
    /// the toolbar clears it (`Action::ToolAsked`): that one comes into view.
    pub step_holds_view: bool,
    /// What the student has done in the lessons (kept in the browser).
    pub progress: Rc<Progress>,
    /// The experiment keys whose controls the page shows, when a link
    /// (`only=`) keeps just those; `None`: all of them.
    pub only: Option<Rc<[String]>>,
    /// The link's search starts once the worker is ready (`autorun=1`).
    pub autorun_pending: bool,
    /// The user's data the link names, until it is found in this browser's
    /// storage or loaded (the link is not rewritten and nothing trains
    /// meanwhile), or the user takes the lab's data instead.
    pub wanted: Option<Wanted>,
}

/// A link's data file, not at hand yet.
#[derive(Clone, Debug, PartialEq)]
pub struct Wanted {
    pub file: crate::experiment::OwnRef,
    /// The link, decoded again once the data are here.
    pub source: String,
    /// This browser's storage was asked and has not got it: the user is asked.
    pub asked: bool,
    /// Why the last file loaded was not the link's.
    pub problem: Option<String>,
    /// The search this browser kept, shown once the data are here if it is
    /// the link's (its results need them).
    pub saved_search: Option<Rc<SavedSearch>>,
}

/// A lesson step open beside the lab: where, and the experiment it set up
/// (what `changed` tasks compare with).
#[derive(Clone, Debug, PartialEq)]
pub struct LessonState {
    pub place: Place,
    pub setup: ExperimentSpec,
}

impl LessonState {
    pub fn new(place: Place) -> LessonState {
        LessonState { place, setup: crate::experiment::from_query(&place.step().setup).0 }
    }
}

/// What the comparison chart can overlay per epoch: a metric (training and
/// validation), the learning rate the epoch used, or a diagnostic of the
/// network's layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    Metric(Metric),
    Lr,
    Inside(Inside),
}

impl Quantity {
    pub fn key(self) -> &'static str {
        match self {
            Quantity::Metric(m) => m.key(),
            Quantity::Lr => "lr",
            Quantity::Inside(q) => q.key(),
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        if key == "lr" {
            return Some(Quantity::Lr);
        }
        Inside::ALL
            .into_iter()
            .find(|q| q.key() == key)
            .map(Quantity::Inside)
            .or_else(|| Metric::from_key(key).map(Quantity::Metric))
    }

    /// The axis title and menu entry.
    pub fn label(self) -> String {
        match self {
            Quantity::Metric(m) => m.key().replace('_', " "),
            Quantity::Lr => "learning rate".into(),
            Quantity::Inside(q) => q.label().into(),
        }
    }
}

/// A finished (or stopped) run kept to compare with others.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptRun {
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
    /// How it ended (or `Training` while it may go on), and the untrained
    /// network's loss: its regime label.
    pub state: RunState,
    pub initial_loss: f64,
}

/// One field of a kept run's spec, as text.
type Detail = fn(&ExperimentSpec) -> String;

/// An optimizer's hyperparameter as a link writes it ("–" where the optimizer has none).
fn optimizer_value(spec: &ExperimentSpec, field: &str) -> String {
    spec.optimizer.clone().field(field).map_or("–".into(), |f| crate::experiment::keys::format_num(f.get()))
}

/// Names the kept runs: [`run_label`] each, and where two would read the
/// same, the other fields in which they differ. Computed from the specs
/// alone, so a reloaded link names its runs as before.
pub fn relabel(runs: &mut [KeptRun]) {
    let names = labels(&runs.iter().map(|r| &r.spec).collect::<Vec<_>>());
    for (run, label) in runs.iter_mut().zip(names) {
        run.label = label;
    }
}

/// The names of runs kept together ([`relabel`]'s, also the command line's).
pub fn labels(specs: &[&ExperimentSpec]) -> Vec<String> {
    // What a name adds where two runs would read the same: the value itself,
    // default or not ("batch 10", never "batch default").
    let details: [(&str, Detail); 8] = [
        ("batch", |s| s.batch_size.to_string()),
        ("epochs", |s| s.n_epochs.to_string()),
        ("hidden", |s| {
            if s.hidden.is_empty() {
                "none".into()
            } else {
                s.hidden.iter().map(|u| u.to_string()).collect::<Vec<_>>().join("-")
            }
        }),
        ("act", |s| s.activations.iter().map(|a| a.key()).collect::<Vec<_>>().join("-")),
        ("wd", |s| optimizer_value(s, "weight_decay")),
        ("momentum", |s| optimizer_value(s, "momentum")),
        ("seed", |s| s.seed.to_string()),
        ("data", |s| s.data.kind.key().to_string()),
    ];
    let base: Vec<String> = specs.iter().map(|s| run_label(s)).collect();
    (0..specs.len())
        .map(|i| {
            let twins: Vec<usize> = (0..specs.len()).filter(|&j| base[j] == base[i]).collect();
            if twins.len() < 2 {
                return base[i].clone();
            }
            let mut label = base[i].clone();
            for (name, field) in details {
                let mine = field(specs[i]);
                if twins.iter().any(|&j| field(specs[j]) != mine) {
                    label.push_str(&format!(" · {name} {mine}"));
                }
            }
            label
        })
        .collect()
}

/// A short name for a run: what usually differs between kept runs.
pub fn run_label(spec: &ExperimentSpec) -> String {
    let mut parts = vec![format!("lr {}", crate::plot::format_lr(spec.lr))];
    parts.push(spec.optimizer.name().to_string());
    if spec.schedule.key() != "constant" {
        parts.push(spec.schedule.label().to_string());
    }
    if !spec.lr_changes.is_empty() {
        parts.push("hand-set lr".into());
    }
    parts.push(spec.data.label().to_string());
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
            initial_loss: f64::NAN,
            test: None,
            view: None,
            network: None,
            worker_paused: false,
            partial: None,
            worker_error: None,
            notices: Vec::new(),
            run_reset: false,
            regimes: None,
            lr_finder: None,
            script: ScriptExport::Idle,
            race: None,
            kept: Vec::new(),
            kept_metric: Quantity::Metric(Metric::Loss),
            kept_log_y: false,
            replay_pending: false,
            tools_pending: Vec::new(),
            storage_error: None,
            search_query: None,
            search: None,
            comparison: None,
            lesson: None,
            lesson_index: false,
            step_holds_view: false,
            progress: Rc::default(),
            only: None,
            autorun_pending: false,
            wanted: None,
        }
    }
}

impl LabState {
    /// The key the next kept run gets: one past the largest in use.
    pub fn next_kept_key(&self) -> u32 {
        self.kept.iter().map(|r| r.key + 1).max().unwrap_or(0)
    }

    pub fn pace(&self) -> Pace {
        PACES[self.pace_idx].1
    }

    /// The run a Train or Step press acts on: the current one if it can
    /// continue, otherwise a fresh one.
    pub fn run_to_start(&self) -> RunToStart {
        if self.status.has_run() {
            RunToStart::Continue(self.run_id)
        } else if self.status == Status::Ready && self.history.is_empty() {
            RunToStart::Fresh(self.run_id)
        } else {
            RunToStart::Fresh(self.run_id.wrapping_add(1))
        }
    }
}

impl LabState {
    /// What the lab shows, for a lesson's checks.
    pub fn facts(&self) -> Facts<'_> {
        fn run<'a>(
            spec: &'a ExperimentSpec,
            history: &'a History,
            initial_loss: f64,
            ended: Option<RunState>,
        ) -> RunFacts<'a> {
            RunFacts {
                spec,
                epochs: history.len(),
                last: history.last().copied(),
                curve: Box::new(move || history.iter().copied().collect()),
                initial_loss,
                ended,
            }
        }
        let ended = self.status.run_state();
        let main = (!self.history.is_empty() || ended.is_some())
            .then(|| run(&self.spec, &self.history, self.initial_loss, ended));
        let kept =
            self.kept.iter().map(|r| run(&r.spec, &r.history, r.initial_loss, r.ended.then_some(r.state))).collect();
        Facts {
            spec: &self.spec,
            main,
            kept,
            regimes_labelled: self.regimes.as_ref().is_some_and(|r| r.runs.iter().all(|run| run.regime().is_some())),
            raced: self.race.as_ref().and_then(|(surface, race)| {
                let yours = race.as_ref()?.paths.iter().find(|p| p.name == crate::worker::protocol::YOURS);
                Some((*surface, yours.map(|p| p.end_value)))
            }),
            lr_found: self.lr_finder.as_ref().is_some_and(|r| r.is_some()),
            search: self.search.as_ref().map(|s| {
                let spec = crate::experiment::search::search_from_query(&s.source).0;
                SearchFacts {
                    method: spec.as_ref().map_or_else(String::new, |spec| spec.method.key().to_string()),
                    finished: s.finished(),
                    done: matches!(s.phase, SearchPhase::Exhausted | SearchPhase::Done),
                    best: s.best().and_then(|t| match t.outcome {
                        TrialOutcome::Scored { value, .. } => Some(value),
                        _ => None,
                    }),
                    keys: s.keys.clone(),
                    folds: spec.map_or(0, |spec| spec.folds),
                }
            }),
            compared: self
                .comparison
                .as_ref()
                .and_then(|c| c.curves.as_ref().map(|curves| curves.iter().map(|m| m.method.clone()).collect())),
            beaten: Box::new(|| beat::standing(self).is_some_and(|(_, s)| s.done(self.comparison.as_deref()))),
        }
    }
}

impl LabState {
    /// Marks the open step's tasks the lab now shows done (a task stays
    /// done once it was). Returns whether any was newly marked.
    pub fn mark_lesson(&mut self) -> bool {
        let Some(lesson) = self.lesson.clone() else { return false };
        let (id, step) = (&lesson.place.lesson.id, lesson.place.step);
        let tasks = &lesson.place.step().tasks;
        let open: Vec<usize> = (0..tasks.len()).filter(|&t| !self.progress.task_done(id, step, t)).collect();
        if open.is_empty() {
            return false;
        }
        let facts = self.facts();
        let done: Vec<usize> = open.into_iter().filter(|&t| tasks[t].check.holds(&facts, &lesson.setup)).collect();
        drop(facts);
        let progress = Rc::make_mut(&mut self.progress);
        let mut any = false;
        for t in done {
            any |= progress.mark_task(id, step, t);
        }
        any
    }
}

/// A new run in the worker drops kept runs still being retrained: they keep
/// the epochs they have.
pub(crate) fn stop_kept_runs(s: &mut LabState) {
    for r in &mut s.kept {
        r.ended = true;
    }
}

pub(crate) fn reset(s: &mut LabState) {
    s.run_id = s.run_id.wrapping_add(1);
    s.history = History::default();
    s.initial_loss = f64::NAN;
    s.test = None;
    s.view = None;
    s.network = None;
    s.worker_paused = false;
    s.partial = None;
    if s.status != Status::Loading {
        s.status = Status::Ready;
    }
}

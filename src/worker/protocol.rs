//! Messages between the page and the training worker, sent as bytes
//! ([`encode`], [`decode`]).
//!
//! **Invariant:** every message about a run carries its `RunId`, which says
//! what kind of run it is (the lab's, a regime, a kept run); the page
//! ignores events of any run but its current ones, so a late message from a
//! reset run can never land on a new chart.
//!
//! **Invariant:** every message arrives as it was sent, every `f64` bit for
//! bit — NaN and ±∞ included (a comparison whose first trials fail reports
//! −∞). JSON writes those as `null`, which cannot be read back; postcard
//! writes the eight bytes. `tests/protocol.rs` checks it for every variant.

use serde::{Deserialize, Serialize};

/// A message as bytes for `postMessage`.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(message).map_err(|e| format!("could not encode a message: {e}"))
}

/// A message from its bytes; the error says what was wrong with them.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("unreadable message ({} bytes): {e}", bytes.len()))
}

pub use super::picture::NetworkPicture;
use crate::engine::surface::{PathOutcome, Surface, lineup, trace};
use crate::engine::train::lr_finder::LrFinderResult;
use crate::engine::train::{EpochRecord, LayerStats, LrChange, Metric, RunState, Scores};
pub use crate::experiment::ScriptKind;
use crate::experiment::search::{Evaluated, Failure, MethodCurve};
use crate::experiment::{ExperimentSpec, OwnData};

/// Resolution of the decision-boundary grid the worker sends (cells per side).
pub const BOUNDARY_RES: usize = 64;
/// The generated sets' grid covers `[-BOUNDARY_EXTENT, BOUNDARY_EXTENT]²`,
/// the data's square plus a margin; the user's data, the square around them
/// (`DataSpec::plane`).
pub const BOUNDARY_EXTENT: f32 = crate::engine::data::Plane::STANDARD.half;
/// Target length of one chunk of training between checks for commands.
pub const CHUNK_MS: f64 = 30.0;

/// How fast the worker trains. Pacing changes when epochs run, never their numbers.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    /// As fast as the machine allows, in chunks of about [`CHUNK_MS`].
    Max,
    /// About this many epochs per second, so a person can watch.
    EpochsPerSecond(f64),
}

/// Quantises a probability to a byte for the boundary grid.
pub fn quantise(p: f32) -> u8 {
    (p.clamp(0.0, 1.0) * 255.0 + 0.5) as u8
}

/// What the network computes, in the form that suits the data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// 2-D binary classification: `BOUNDARY_RES²` probabilities of class 1
    /// on the grid (top row first), quantised to bytes.
    Probability { grid: Vec<u8> },
    /// 2-D multi-class: the predicted class and its probability (quantised)
    /// at each grid point.
    ClassMap { classes: Vec<u8>, confidence: Vec<u8> },
    /// 1-D regression: predictions at `CURVE_POINTS` evenly spaced x in
    /// `[-BOUNDARY_EXTENT, BOUNDARY_EXTENT]`.
    Curve { y: Vec<f32> },
    /// 2-D regression: predictions on the grid, quantised between `lo` and `hi`.
    Surface { grid: Vec<u8>, lo: f32, hi: f32 },
    /// Classification of more than two inputs: the validation set's
    /// confusion matrix, `counts[true][predicted]`.
    Confusion { counts: Vec<Vec<usize>> },
    /// Regression of more than two inputs: the validation set's targets and
    /// the network's predictions, example by example.
    Fit { target: Vec<f32>, predicted: Vec<f32> },
}

/// Points of a 1-D regression curve.
pub const CURVE_POINTS: usize = 129;

/// Resolution of the race's contour grid (cells per side).
pub const RACE_RES: usize = 96;

/// One optimizer's path in a race.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RacePath {
    pub name: String,
    pub lr: f64,
    /// `[x, y]` at the start and after each step, up to the first non-finite one.
    pub points: Vec<[f32; 2]>,
    pub outcome: PathOutcome,
    /// The surface's value after the last step (non-finite if it blew up).
    pub end_value: f64,
}

/// The name of the race's path of the lab's own experiment.
pub const YOURS: &str = "your settings";

/// A whole race: every path, and `ln(1 + f − min)` over the surface's domain
/// on a `RACE_RES²` grid (top row first), quantised, for the contour picture.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Race {
    pub surface: Surface,
    /// The steps raced (a path that blew up stops early).
    pub steps: usize,
    pub paths: Vec<RacePath>,
    pub grid: Vec<u8>,
}

impl Race {
    /// Races the lineup of `surface` for `steps` steps from `start` (the
    /// link's `x0`, `y0`, or the surface's own start) and, with `yours`, that
    /// experiment's optimizer, learning rate and schedule (a step counted as
    /// an epoch) as one more path, last: [`YOURS`].
    pub fn run(
        surface: Surface,
        start: [f64; 2],
        steps: usize,
        yours: Option<&crate::experiment::ExperimentSpec>,
    ) -> Race {
        let path_of = |name: String, lr: f64, path: Vec<[f64; 3]>| {
            let values: Vec<f64> = path.iter().map(|p| p[2]).collect();
            let points = path
                .iter()
                .take_while(|p| p.iter().all(|v| v.is_finite()))
                .map(|p| [p[0] as f32, p[1] as f32])
                .collect();
            RacePath {
                name,
                lr,
                points,
                outcome: PathOutcome::of(&values),
                end_value: values.last().copied().unwrap_or(f64::NAN),
            }
        };
        let mut paths: Vec<RacePath> = lineup(surface)
            .into_iter()
            .map(|r| path_of(r.name, r.lr, trace(surface, start, &r.optimizer, |_| r.lr, steps)))
            .collect();
        if let Some(spec) = yours {
            let spec = crate::experiment::ExperimentSpec {
                race: crate::experiment::RaceSpec { surface, start: Some(start), steps },
                ..spec.clone()
            };
            paths.push(path_of(YOURS.into(), spec.lr, spec.trace()));
        }
        let (x0, x1, y0, y1) = surface.domain();
        let n = RACE_RES;
        let raw: Vec<f64> = (0..n * n)
            .map(|k| {
                let (row, col) = (k / n, k % n);
                let x = x0 + (x1 - x0) * col as f64 / (n - 1) as f64;
                let y = y1 - (y1 - y0) * row as f64 / (n - 1) as f64;
                surface.value(x, y)
            })
            .collect();
        let min = raw.iter().copied().fold(f64::INFINITY, f64::min);
        let logs: Vec<f64> = raw.iter().map(|v| libm::log1p(v - min)).collect();
        let max = logs.iter().copied().fold(0.0f64, f64::max).max(1e-12);
        let grid = logs.iter().map(|v| quantise((v / max) as f32)).collect();
        Race { surface, steps, paths, grid }
    }
}

/// Which run a message is about. The page names every run it starts; the
/// worker hands the name back untouched, so the page tells its runs apart by
/// kind, never by ranges of numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunId {
    /// The lab's run, numbered anew at each reset: a late message of a run
    /// that was reset carries an old number.
    Main(u32),
    /// One of the four regimes (`index` 0 very high … 3 low) of the group the
    /// page started as `group`.
    Regime { group: u32, index: u32 },
    /// A kept run — retrained from a link, or a what-if variant — by its key.
    Kept(u32),
}

/// What an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum About {
    /// The worker itself (an unreadable command, a data file that would not
    /// load for a trial).
    Worker,
    Run(RunId),
    /// A search, by its id.
    Search(u32),
    /// An equal-budget comparison, by its id.
    Comparison(u32),
}

/// Page → worker, by receiver: the training worker's loop, the study
/// worker (a search's coordinator, and the exported scripts), a pool worker
/// training a trial.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    Train(TrainCommand),
    Coordinate(SearchCommand),
    Evaluate(EvaluateCommand),
    /// Write a script (`experiment::pytorch`, `experiment::optuna`) for the
    /// lab at `page` (its address) with this query; answered by
    /// `Event::Script` (the study worker).
    Script {
        kind: ScriptKind,
        page: String,
        query: String,
    },
    /// Draw a figure as SVG (plotters, which the page's module leaves
    /// out); answered by `Event::Figure` with the same `id` (the study
    /// worker). The `crate::figure::Figure` comes as its postcard bytes,
    /// decoded by the study worker alone: the training worker's module,
    /// which the first view downloads, carries no decoder of it (2 KB).
    Figure {
        id: u32,
        figure: Vec<u8>,
    },
}

/// To the training loop: the lab's runs, the race, the range test.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainCommand {
    /// Start a new run (replacing any other), running until paused or done.
    Start {
        run_id: RunId,
        spec: Box<ExperimentSpec>,
        pace: Pace,
    },
    /// Start several runs side by side (replacing any others): each round
    /// trains one epoch of each.
    StartGroup {
        runs: Vec<(RunId, ExperimentSpec)>,
        pace: Pace,
    },
    /// Race the optimizers on a 2-D surface from `start` for `steps` steps.
    Race {
        run_id: RunId,
        surface: Surface,
        start: [f64; 2],
        steps: usize,
        /// The lab's experiment, raced too (its optimizer, rate and schedule).
        yours: Option<Box<crate::experiment::ExperimentSpec>>,
    },
    /// Run the LR range test of this experiment (on a fresh network).
    LrFind {
        run_id: RunId,
        spec: Box<ExperimentSpec>,
    },
    /// Change how fast the current run trains (never what it computes).
    SetPace {
        pace: Pace,
    },
    Pause {
        run_id: RunId,
    },
    Resume {
        run_id: RunId,
    },
    /// Set the learning rate by hand from the next epoch on.
    SetLr {
        run_id: RunId,
        lr: f64,
    },
    /// Train exactly one epoch, then stay paused.
    Step {
        run_id: RunId,
    },
    /// Drop the current run.
    Stop,
    /// Train a throwaway copy of this experiment (generated data only) for a
    /// few tens of milliseconds and drop it, unless a run has started: the
    /// browser then has the training code compiled to its fastest form
    /// before the user's first run needs it.
    Warm {
        spec: Box<ExperimentSpec>,
    },
}

/// To the search's coordinator, which holds the study; the page asks and tells.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchCommand {
    /// Start a search (replacing any other): `query` is a lab link with its
    /// search keys; `own`, the user's data when the link names it. The
    /// worker keeps the study; the page asks and tells.
    Start { search_id: u32, query: String, own: Option<OwnData> },
    /// The search's next trial (answered by `Event::SearchAsked`).
    Ask { search_id: u32 },
    /// A trial's score (`None`: it failed), as the study maximizes it, and
    /// the epochs it trained.
    Tell { search_id: u32, trial_id: usize, score: Option<f64>, epochs: usize },
    /// Draw the surrogate over these two hyperparameters (indices into the
    /// space) from now on; answered at once by `Surrogate`.
    Focus { search_id: u32, params: (usize, usize) },
    /// Drop the search.
    Stop,
    /// Compare the link's `compare=` methods on equal budgets: a job for the
    /// pool like a search (answered by `Event::SearchStarted` with every
    /// study's trials as the budget, then `Event::SearchAsked` for each `Ask`), its
    /// progress as `ComparisonProgress`, its end as `ComparisonDone`.
    Compare { search_id: u32, query: String, own: Option<OwnData> },
}

/// To a worker that trains and scores: a pool worker's trial, or the final
/// check of the best trial.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluateCommand {
    /// The final check of the best trial on the test split.
    Test { search_id: u32, trial_id: usize, spec: Box<ExperimentSpec>, metric: Metric },
    /// Train and score one trial (a pool worker's job). With the user's
    /// data (`data=own`) the spec comes without it (`data.own` empty): the
    /// worker takes the job's [`Data`](Self::Data).
    Trial { search_id: u32, trial_id: usize, spec: Box<ExperimentSpec>, metric: Metric, folds: usize },
    /// The user's data the job's trials train on, sent to each pool worker
    /// once, before its first trial: not with every trial (a 10 MB file is
    /// megabytes of numbers to copy, send and read again per trial).
    Data { search_id: u32, own: Box<crate::experiment::OwnData> },
}

/// The surrogate along one hyperparameter: its index in the space, and
/// (value, mean, standard deviation) points.
pub type SurrogateSlice = (usize, Vec<(f64, f64, f64)>);

/// A trial handed out by the study: its values (URL text, in the space's
/// order) and its experiment — without the user's data, if it is theirs
/// (`data.own` empty: the page holds the job's, and sends it to each pool
/// worker once).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AskedTrial {
    pub trial_id: usize,
    /// The genetic algorithm's generation (0 for the other methods).
    pub generation: usize,
    /// Successive halving's rung (0 for the other methods).
    pub rung: usize,
    /// Hyperband's bracket (0 for the other methods).
    pub bracket: usize,
    pub values: Vec<String>,
    pub spec: Box<ExperimentSpec>,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The worker has loaded and takes commands.
    Ready,
    /// New epoch records since the last progress event, with a picture of
    /// what the network computes now (`None`: the last one still holds).
    /// `initial_loss` is the untrained network's training loss (for the
    /// regime labels; NaN until it is known). `partial` is how far the epoch
    /// under way has got, in `[0, 1)`, for a network whose epochs take long.
    Progress {
        run_id: RunId,
        records: Vec<EpochRecord>,
        /// The per-layer diagnostics of each record.
        diagnostics: Vec<Vec<LayerStats>>,
        /// The parameters for the network view (the lab's own run, a few
        /// times a second at most).
        network: Option<Box<NetworkPicture>>,
        view: Option<View>,
        state: RunState,
        paused: bool,
        initial_loss: f64,
        partial: Option<f64>,
    },
    /// The race's paths and the surface's contour grid.
    Raced { run_id: RunId, race: Race },
    /// The LR range test's curve and suggestions.
    LrFound { run_id: RunId, result: LrFinderResult },
    /// The script asked for by `Command::Script`, or why it could not
    /// be written (the field named).
    Script { kind: ScriptKind, text: Result<String, String> },
    /// The SVG text of `Command::Figure`'s figure `id`, or why it could not
    /// be drawn.
    Figure { id: u32, svg: Result<String, String> },
    /// A hand-set learning rate took effect: from `change.epoch` on.
    LrChanged { run_id: RunId, change: LrChange },
    /// A command could not be carried out (e.g. an invalid spec).
    Error { about: About, message: String },
    /// The worker failed (a panic, or an error it could not catch, such as
    /// running out of memory): its state is lost and it takes no more
    /// commands. The page says so and starts a fresh worker.
    Crashed { message: String },
    /// A search has started: the tuned keys, the metric, the budget and the
    /// grid's size (the combinatorial explosion).
    SearchStarted { search_id: u32, keys: Vec<String>, metric: Metric, budget: usize, grid_size: u64 },
    /// The study's answer to `SearchAsk`: a trial, or `None` with `done`
    /// false (wait for running trials) or true (the budget is spent).
    SearchAsked { search_id: u32, trial: Option<AskedTrial>, done: bool },
    /// Bayesian optimization's surrogate along up to two numeric
    /// hyperparameters (index into the space, then (value, mean, standard
    /// deviation) in the study's larger-is-better units).
    /// With two numeric hyperparameters or more, `map` is its mean and
    /// standard deviation over the first two.
    /// For TPE, `densities` along each numeric hyperparameter: (value,
    /// density of the best trials, density of the rest).
    Surrogate {
        search_id: u32,
        slices: Vec<SurrogateSlice>,
        map: Option<crate::engine::search::study::SurrogateMap>,
        densities: Vec<SurrogateSlice>,
    },
    /// An equal-budget comparison's curves, one per method.
    ComparisonDone { search_id: u32, metric: Metric, curves: Vec<MethodCurve> },
    /// How many of a comparison's trials are told, of how many.
    ComparisonProgress { search_id: u32, done: usize, total: usize },
    /// The lab's run ended with a test split: its scores there, once (what
    /// `hyperlab run` prints last, and a download of the run carries).
    Tested { run_id: RunId, scores: Scores },
    /// The best trial's score on the test split (`Err`: why there is none).
    TestScored { search_id: u32, trial_id: usize, result: Result<f64, String> },
    /// A pool worker's result for a trial.
    TrialDone { search_id: u32, trial_id: usize, result: Result<Evaluated, Failure> },
    /// Several events of one moment (the progress of runs in lockstep), so
    /// the page updates once for all of them.
    Batch { events: Vec<Event> },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_events_round_trip() {
        let cmd = Command::Train(TrainCommand::Start {
            run_id: RunId::Main(3),
            spec: Box::default(),
            pace: Pace::EpochsPerSecond(50.0),
        });
        assert_eq!(decode::<Command>(&encode(&cmd).unwrap()).unwrap(), cmd);
        let ev = Event::Progress {
            run_id: RunId::Regime { group: 3, index: 2 },
            records: vec![],
            diagnostics: vec![vec![LayerStats { dead: 0.5, ..LayerStats::default() }]],
            network: Some(Box::new(NetworkPicture {
                sizes: vec![2, 1],
                shown: vec![2, 1],
                ..NetworkPicture::default()
            })),
            view: Some(View::Probability { grid: vec![quantise(0.5); 4] }),
            state: RunState::Diverged { epoch: 7 },
            paused: false,
            initial_loss: 0.69,
            partial: None,
        };
        assert_eq!(decode::<Event>(&encode(&ev).unwrap()).unwrap(), ev);
        let batch = Event::Batch {
            events: vec![ev.clone(), Event::Error { about: About::Run(RunId::Kept(4)), message: "x".into() }],
        };
        assert_eq!(decode::<Event>(&encode(&batch).unwrap()).unwrap(), batch);
        // Damaged bytes are an error, never a panic.
        let bytes = encode(&batch).unwrap();
        assert!(decode::<Event>(&bytes[..bytes.len() / 2]).is_err());
        assert!(decode::<Event>(&[255; 16]).is_err());
    }

    #[test]
    fn quantise_maps_the_unit_interval_onto_bytes() {
        assert_eq!(quantise(0.0), 0);
        assert_eq!(quantise(1.0), 255);
        assert_eq!(quantise(0.5), 128);
        assert_eq!(quantise(f32::NAN), 0);
        assert_eq!(quantise(7.0), 255);
    }

    #[test]
    fn a_race_has_every_racer_and_a_contour_grid() {
        let race = Race::run(Surface::Himmelblau, Surface::Himmelblau.start(), 150, None);
        assert_eq!(race.paths.len(), lineup(Surface::Himmelblau).len());
        assert_eq!(race.paths.len(), 6, "SGD, momentum, Adagrad, Adadelta, RMSprop, Adam");
        assert_eq!(race.grid.len(), RACE_RES * RACE_RES);
        assert!(race.grid.contains(&0) && race.grid.contains(&255));
        for p in &race.paths {
            assert_eq!(p.points.len(), 151, "{}", p.name);
            assert_eq!(p.points[0], [-0.3, -0.8]);
        }
        // From the link's start, for the link's steps.
        let race = Race::run(Surface::QuadraticBowl, [2.5, -1.5], 40, None);
        assert!(race.paths.iter().all(|p| p.points[0] == [2.5, -1.5] && p.points.len() <= 41));
        let bytes = encode(&Event::Raced { run_id: RunId::Main(1), race: race.clone() }).unwrap();
        // Sent once per race: about 15 KB; guard against it ballooning.
        assert!(bytes.len() < 50_000, "{} bytes", bytes.len());
    }

    #[test]
    fn the_labs_experiment_races_too_with_its_schedule() {
        use crate::experiment::from_query;
        let spec = from_query("lr=0.1&sched=cyclic").0;
        let race = Race::run(Surface::Saddle, [1.0, 0.001], 100, Some(&spec));
        let yours = race.paths.last().expect("a path");
        assert_eq!(yours.name, YOURS);
        assert_eq!(race.paths.len(), lineup(Surface::Saddle).len() + 1);
        // The same path as the command line's `trace` of that experiment on that race.
        let traced = from_query("lr=0.1&sched=cyclic&surf=saddle&x0=1&y0=0.001&rsteps=100").0.trace();
        assert_eq!(yours.end_value, traced.last().unwrap()[2]);
        assert_eq!(yours.points.len(), traced.len());
    }
}

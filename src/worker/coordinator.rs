//! The study worker's loop (wasm32 only; the `study` bin). It holds a
//! search's study, or a comparison's studies, off the main thread and apart
//! from the training worker: it answers the page's asks and takes its tells,
//! while the pool workers train the trials. It also writes the exported
//! scripts (PyTorch, Optuna), which read the lab's link, and draws the
//! exported figures (plotters' SVG). The page starts it when the search lab
//! opens or a script or figure is asked for, so the first view downloads
//! none of this code (docs/PERFORMANCE.md, "The study worker").
//!
//! A panic ends it like the training worker: the page fails the search it
//! coordinated and starts a fresh one when next needed.

use std::cell::RefCell;

use super::data::with_file;
use super::port::post;
use super::protocol::{About, AskedTrial, Command, Event, ScriptKind, SearchCommand};
use crate::experiment::session::{Asked, Comparison, Next, Session};

/// Installs the message handler and announces readiness.
pub fn start() {
    super::port::listen(handle, || {
        JOB.with_borrow_mut(|j| panic!("a fault injected by a test, with a job: {}", j.is_some()))
    });
}

fn handle(cmd: Command) {
    match cmd {
        Command::Coordinate(c) => coordinate(c),
        Command::Script { kind, page, query } => script(kind, page, query),
        Command::Figure { id, figure } => {
            let svg = super::protocol::decode::<crate::figure::Figure>(&figure).and_then(|f| f.svg());
            post(&Event::Figure { id, svg })
        }
        // The training and pool workers' commands: a page that sent them here has a bug.
        Command::Train(_) | Command::Evaluate(_) => {
            post(&Event::Error { about: About::Worker, message: "the study worker was sent a training command".into() })
        }
    }
}

/// Writes the script of `kind` for the lab at `page` with `query`, once its
/// bundled data (if any) is at hand; posts it, or why it could not be written.
fn script(kind: ScriptKind, page: String, query: String) {
    let (spec, _) = crate::experiment::from_query(&query);
    with_file(spec.data.kind.bundled_file(), move |data| {
        let text = data.and_then(|data| {
            let data = data.as_deref();
            match kind {
                ScriptKind::Pytorch => {
                    let link = crate::experiment::page_link(&page, &spec);
                    crate::experiment::pytorch::script_for(&spec, data, &link)
                }
                ScriptKind::Optuna => crate::experiment::optuna::study(&page, &query, data),
            }
            .map_err(|e| e.to_string())
        });
        post(&Event::Script { kind, text })
    });
}

/// The search this worker coordinates (asked and told by the page).
struct SearchRun {
    id: u32,
    session: Session,
    /// The two hyperparameters the page draws the surrogate over (`None`:
    /// the first two numeric ones).
    focus: Option<(usize, usize)>,
    /// What the study knew when its surrogate was last posted (trials asked,
    /// trials learned from, focus): it is posted again only when that changes,
    /// not on every answer to an ask.
    posted_for: Option<Knowledge>,
}

/// What a study knew: trials asked, trials learned from, the focus drawn.
type Knowledge = (usize, usize, Option<(usize, usize)>);

impl SearchRun {
    /// Answers an ask: a trial, a trial refused at once, or wait / done.
    fn ask(&mut self) -> Event {
        let search_id = self.id;
        match self.session.ask() {
            Next::Trial(t) => Event::SearchAsked { search_id, trial: Some(asked(*t)), done: false },
            // An invalid combination fails at once; the page asks again.
            Next::Refused { id, message, .. } => Event::TrialDone {
                search_id,
                trial_id: id,
                result: Err(crate::experiment::search::Failure { message, epochs: 0 }),
            },
            Next::Wait => Event::SearchAsked { search_id, trial: None, done: false },
            Next::Done => Event::SearchAsked { search_id, trial: None, done: true },
        }
    }

    /// Posts the model a method learns, if it has one: Bayesian
    /// optimization's surrogate along each of the two hyperparameters in
    /// focus and over both; TPE's densities along each numeric one.
    fn post_surrogate(&mut self) {
        use crate::engine::search::{Domain, Method, TrialState};
        let study = self.session.study();
        let trials = study.trials();
        let knows = (trials.len(), trials.iter().filter(|t| t.state != TrialState::Running).count(), self.focus);
        if self.posted_for == Some(knows) {
            return;
        }
        self.posted_for = Some(knows);
        let (bayesian, tpe) = match study.method() {
            Method::Bayes(_) => (true, false),
            Method::Tpe(_) => (false, true),
            Method::Halving(h) => (matches!(*h.inner, Method::Bayes(_)), matches!(*h.inner, Method::Tpe(_))),
            _ => (false, false),
        };
        if tpe {
            let densities: Vec<_> =
                (0..study.space().params.len()).filter_map(|i| study.tpe_densities(i, 64).map(|d| (i, d))).collect();
            if !densities.is_empty() {
                post(&Event::Surrogate { search_id: self.id, slices: Vec::new(), map: None, densities });
            }
        }
        if !bayesian {
            return;
        }
        let space = study.space();
        let numeric: Vec<usize> =
            (0..space.params.len()).filter(|&i| !matches!(space.params[i].domain, Domain::Choice(_))).collect();
        let pair: Vec<usize> = match self.focus {
            Some((a, b)) if numeric.contains(&a) && numeric.contains(&b) && a != b => vec![a, b],
            _ => numeric.into_iter().take(2).collect(),
        };
        // One fit for the slices and the map.
        let Some(view) = study.surrogate_view() else { return };
        let slices: Vec<_> = pair.iter().filter_map(|&i| view.slice(i, 48).map(|s| (i, s))).collect();
        let map = match pair.as_slice() {
            [a, b] => view.map(*a, *b, 20),
            _ => None,
        };
        if !slices.is_empty() {
            post(&Event::Surrogate { search_id: self.id, slices, map, densities: Vec::new() });
        }
    }
}

/// A session's trial as the protocol carries it: without the user's data
/// (the page has it, and the pool workers get it once per job).
fn asked(t: Asked) -> AskedTrial {
    let mut spec = t.spec;
    spec.data.own = None;
    AskedTrial {
        trial_id: t.id,
        generation: t.generation,
        rung: t.rung,
        bracket: t.bracket,
        values: t.values,
        spec: Box::new(spec),
    }
}

/// The equal-budget comparison this worker coordinates.
struct CompareRun {
    id: u32,
    comparison: Comparison,
    finished: bool,
}

impl CompareRun {
    /// Tells the comparison a result; when it is complete, posts its curves.
    fn tell(&mut self, trial_id: usize, score: Option<f64>, epochs: usize) {
        self.comparison.tell(trial_id, score, epochs);
        self.report();
    }

    /// Its progress, and its curves once complete.
    fn report(&mut self) {
        let (done, total) = self.comparison.progress();
        post(&Event::ComparisonProgress { search_id: self.id, done, total });
        if self.comparison.is_done() && !self.finished {
            self.finished = true;
            let (metric, curves) = (self.comparison.metric, self.comparison.curves());
            post(&Event::ComparisonDone { search_id: self.id, metric, curves });
        }
    }

    /// The next trial to train (trials trained before under another seed are answered at once).
    fn ask(&mut self) -> Event {
        let search_id = self.id;
        let event = match self.comparison.ask() {
            Next::Trial(t) => Event::SearchAsked { search_id, trial: Some(asked(*t)), done: false },
            Next::Done => Event::SearchAsked { search_id, trial: None, done: true },
            Next::Wait | Next::Refused { .. } => Event::SearchAsked { search_id, trial: None, done: false },
        };
        self.report();
        event
    }
}

/// What the pool works on: one search or one comparison at a time.
enum Job {
    Search(Box<SearchRun>),
    Compare(Box<CompareRun>),
}

thread_local! {
    /// The pool's job this worker coordinates, if any.
    static JOB: RefCell<Option<Job>> = const { RefCell::new(None) };
}

/// How a search or comparison starts: its tuned keys, metric, budget and grid size.
fn started(
    search_id: u32,
    search: &crate::experiment::search::SearchSpec,
    metric: crate::engine::train::Metric,
    budget: usize,
) -> Event {
    let keys = search.space.params.iter().map(|p| p.key.clone()).collect();
    Event::SearchStarted { search_id, keys, metric, budget, grid_size: search.space.grid_size() }
}

/// The coordinator's commands: the session lives here, off the main thread
/// (a Bayesian step fits a Gaussian process); pool workers train the trials.
fn coordinate(cmd: SearchCommand) {
    match cmd {
        SearchCommand::Start { search_id, query, own } => match Session::new(&query, own.as_ref()) {
            Ok(session) => {
                let event = started(search_id, &session.search, session.metric, session.study().budget());
                let run = SearchRun { id: search_id, session, focus: None, posted_for: None };
                JOB.with_borrow_mut(|s| *s = Some(Job::Search(Box::new(run))));
                post(&event);
            }
            Err(e) => post(&Event::Error { about: About::Search(search_id), message: e.to_string() }),
        },
        SearchCommand::Ask { search_id } => JOB.with_borrow_mut(|s| match s.as_mut() {
            Some(Job::Search(run)) if run.id == search_id => {
                post(&run.ask());
                // While a Bayesian study runs, the page draws its surrogate.
                run.post_surrogate();
            }
            Some(Job::Compare(run)) if run.id == search_id => post(&run.ask()),
            _ => {}
        }),
        SearchCommand::Focus { search_id, params } => JOB.with_borrow_mut(|s| {
            if let Some(Job::Search(run)) = s.as_mut().filter(|j| matches!(j, Job::Search(r) if r.id == search_id)) {
                run.focus = Some(params);
                run.post_surrogate();
            }
        }),
        SearchCommand::Tell { search_id, trial_id, score, epochs } => JOB.with_borrow_mut(|s| match s.as_mut() {
            Some(Job::Search(run)) if run.id == search_id => run.session.tell(trial_id, score),
            Some(Job::Compare(run)) if run.id == search_id => run.tell(trial_id, score, epochs),
            _ => {}
        }),
        SearchCommand::Stop => JOB.with_borrow_mut(|s| *s = None),
        SearchCommand::Compare { search_id, query, own } => match Comparison::new(&query, own.as_ref()) {
            Ok(comparison) => {
                let event = started(search_id, &comparison.search, comparison.metric, comparison.progress().1);
                let run = CompareRun { id: search_id, comparison, finished: false };
                JOB.with_borrow_mut(|s| *s = Some(Job::Compare(Box::new(run))));
                post(&event);
            }
            Err(e) => post(&Event::Error { about: About::Comparison(search_id), message: e.to_string() }),
        },
    }
}

//! What a task checks, from what the student actually ran. A check is a
//! subject and conditions, written in a lesson file after the task's `|`:
//!
//! - `run …` — the lab's own run; `kept …` — some kept run; `any …` — either;
//!   `kept 3 …` — at least three kept runs of different experiments (the
//!   seed aside);
//! - conditions on a run: `epochs>=30` (epochs trained), `ended` (finished,
//!   stopped or diverged), `regime=diverged` (the course's label of its loss
//!   curve, once it ended: `diverged`, `oscillating`, `converged`,
//!   `too_slow`), `lrlive` (its learning rate was changed while it trained),
//!   `lr<0.01` / `lr>=1` (its learning rate at the start), a metric of its
//!   last epoch (`val.accuracy>=0.9`, `train.loss<0.3`, `val.f1<=0.5`: any
//!   metric key), and any URL key (`opt=adam`, `bs=32`: the run's experiment
//!   has that value; `opt=rmsprop/adam`: one of those);
//! - `changed lr` — the experiment now differs from the step's in that key
//!   (`changed wd,l1,drop`: in one of them);
//! - `regimes` — the four regimes have all been labelled;
//! - `race surf=saddle sched=cyclic end<-1` — the optimizer race has run (on
//!   that surface, with the lab's experiment having those values), and the
//!   path of the lab's own settings ended below −1;
//! - `lrfind` — the learning-rate range test has its result;
//! - `search search=grid trials>=80 ended` — the search lab's latest search
//!   used that method, has that many trials finished, and ended;
//!   `tunes=lr,units` — it tuned (at least) those keys; `best>=0.95` — its
//!   best trial's score; `folds>=5` — it cross-validated on that many folds;
//! - `compare grid,random` — an equal-budget comparison of those methods
//!   (at least) has finished;
//! - `beat` — "beat the search" has run to its end: every training done and
//!   the searches given the same budget.

use crate::engine::surface::Surface;
use crate::engine::train::{EpochRecord, Metric, RunState};
use crate::experiment::ExperimentSpec;
use crate::experiment::keys;
use crate::experiment::regimes::Regime;

/// A task's check.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub subject: Subject,
    pub conds: Vec<Cond>,
}

/// What the check looks at.
#[derive(Clone, Debug, PartialEq)]
pub enum Subject {
    Run,
    /// At least this many kept runs (1: some kept run).
    Kept(usize),
    /// The lab's run or a kept one.
    Any,
    /// The experiment differs from the step's in one of these URL keys.
    Changed(Vec<String>),
    Regimes,
    Race,
    LrFind,
    /// The search lab's latest search.
    Search,
    /// An equal-budget comparison of (at least) these search methods, finished.
    Compare(Vec<String>),
    /// "Beat the search", run to its end.
    Beat,
}

/// A condition on a run.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    Epochs(usize),
    Ended,
    Regime(Regime),
    LrLive,
    /// The learning rate at the start, compared.
    Lr(Op, f64),
    /// A metric of the last epoch, on the training (`false`) or validation set.
    Metric {
        val: bool,
        metric: Metric,
        op: Op,
        value: f64,
    },
    /// The experiment has this value for this URL key.
    Key(String, String),
    /// Where the race's path of the lab's settings ended (the surface's value).
    End(Op, f64),
    /// A search's method (`search=grid`).
    Method(String),
    /// A search's finished trials, at least.
    Trials(usize),
    /// A search's best score, compared.
    Best(Op, f64),
    /// The keys a search tuned (at least these).
    Tunes(Vec<String>),
    /// A search's cross-validation folds, at least.
    Folds(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Lt,
    Le,
    Ge,
    Gt,
}

impl Op {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Ge => a >= b,
            Op::Gt => a > b,
        }
    }
}

/// What the lab shows, as a check sees it (`LabState::facts` makes it).
pub struct Facts<'a> {
    /// The experiment in the lab now.
    pub spec: &'a ExperimentSpec,
    /// The lab's own run, once it has an epoch or has ended.
    pub main: Option<RunFacts<'a>>,
    pub kept: Vec<RunFacts<'a>>,
    /// The four regimes ran and each has its label.
    pub regimes_labelled: bool,
    /// The surface of a finished optimizer race, and where the path of the
    /// lab's own settings ended on it (the surface's value).
    pub raced: Option<(Surface, Option<f64>)>,
    /// The range test has its result.
    pub lr_found: bool,
    pub search: Option<SearchFacts>,
    /// The methods of a finished equal-budget comparison.
    pub compared: Option<Vec<String>>,
    /// "Beat the search" ran to its end (asked only by a `beat` task: it
    /// reads the search settings and every kept run).
    pub beaten: Box<dyn Fn() -> bool + 'a>,
}

/// The latest search as a check sees it.
pub struct SearchFacts {
    /// Its method's URL key (`grid`, `random`, `genetic`, `bayes`, …).
    pub method: String,
    /// Trials scored or failed.
    pub finished: usize,
    /// It has ended (its budget spent or its grid exhausted), not cancelled.
    pub done: bool,
    /// Its best trial's score (the search's metric), once one is scored.
    pub best: Option<f64>,
    /// The keys it tunes.
    pub keys: Vec<String>,
    /// Cross-validation folds (0: hold-out).
    pub folds: usize,
}

/// A run as a check sees it. The lab checks after every progress post, so
/// the whole curve is copied out only when a check needs it (a regime label).
pub struct RunFacts<'a> {
    pub spec: &'a ExperimentSpec,
    /// Epochs trained, and the last one's record.
    pub epochs: usize,
    pub last: Option<EpochRecord>,
    /// Every epoch's record, in order.
    pub curve: Box<dyn Fn() -> Vec<EpochRecord> + 'a>,
    pub initial_loss: f64,
    /// `None` while it may still train.
    pub ended: Option<RunState>,
}

impl Check {
    /// Reads a check (`run regime=converged opt=adam`).
    pub fn parse(text: &str) -> Result<Check, String> {
        let mut words = text.split_whitespace();
        let first = words.next().ok_or("a task needs a check after `|`")?;
        let mut rest: Vec<&str> = words.collect();
        let subject = match first {
            "run" => Subject::Run,
            "any" => Subject::Any,
            "kept" => match rest.first().and_then(|w| w.parse::<usize>().ok()) {
                Some(n) => {
                    rest.remove(0);
                    Subject::Kept(n.max(1))
                }
                None => Subject::Kept(1),
            },
            "changed" => {
                let list = rest.first().ok_or("`changed` needs a URL key")?;
                let names: Vec<String> = list.split(',').map(String::from).collect();
                if let Some(bad) = names.iter().find(|k| keys::get(k).is_none()) {
                    return Err(format!("`{bad}` is not a URL key"));
                }
                rest.remove(0);
                Subject::Changed(names)
            }
            "regimes" => Subject::Regimes,
            "race" => Subject::Race,
            "lrfind" => Subject::LrFind,
            "search" => Subject::Search,
            "beat" => Subject::Beat,
            "compare" => {
                let list = rest.first().ok_or("`compare` needs the methods compared")?;
                let methods: Vec<String> = list.split(',').map(String::from).collect();
                if let Some(bad) = methods.iter().find(|m| crate::experiment::search::method_from_key(m).is_none()) {
                    return Err(format!("`{bad}` is not a search method"));
                }
                rest.remove(0);
                Subject::Compare(methods)
            }
            other => return Err(format!("`{other}` is not a check's subject")),
        };
        let conds = rest.into_iter().map(Cond::parse).collect::<Result<Vec<_>, _>>()?;
        Ok(Check { subject, conds })
    }

    /// Whether the lab shows what the task asks; `setup` is the step's experiment.
    pub fn holds(&self, facts: &Facts, setup: &ExperimentSpec) -> bool {
        let all = |run: &RunFacts| self.conds.iter().all(|c| c.holds(run));
        let main = || facts.main.as_ref().is_some_and(all);
        match &self.subject {
            Subject::Run => main(),
            Subject::Any => main() || facts.kept.iter().any(all),
            Subject::Kept(n) => {
                let mut distinct: Vec<String> = Vec::new();
                for run in facts.kept.iter().filter(|r| all(r)) {
                    // Runs that differ only in their seed are one experiment, tried again.
                    let key = crate::experiment::to_query(&ExperimentSpec { seed: 0, ..run.spec.clone() });
                    if !distinct.contains(&key) {
                        distinct.push(key);
                    }
                }
                distinct.len() >= *n
            }
            Subject::Changed(names) => names.iter().any(|key| differs(key, facts.spec, setup)),
            Subject::Regimes => facts.regimes_labelled,
            Subject::Race => facts.raced.is_some_and(|(surface, end)| {
                self.conds.iter().all(|c| match c {
                    Cond::Key(k, v) if k == "surf" => {
                        keys::set(&ExperimentSpec::default(), "surf", v).is_ok_and(|s| s.race.surface == surface)
                    }
                    Cond::Key(k, v) => has_value(facts.spec, k, v),
                    Cond::End(op, value) => end.is_some_and(|e| op.holds(e, *value)),
                    _ => true,
                })
            }),
            Subject::LrFind => facts.lr_found,
            Subject::Search => facts.search.as_ref().is_some_and(|search| {
                self.conds.iter().all(|c| match c {
                    Cond::Method(m) => search.method == *m,
                    Cond::Trials(n) => search.finished >= *n,
                    Cond::Best(op, value) => search.best.is_some_and(|b| op.holds(b, *value)),
                    Cond::Tunes(keys) => keys.iter().all(|k| search.keys.contains(k)),
                    Cond::Folds(n) => search.folds >= *n,
                    Cond::Ended => search.done,
                    Cond::Key(k, v) => has_value(facts.spec, k, v),
                    _ => true,
                })
            }),
            Subject::Compare(methods) => {
                facts.compared.as_ref().is_some_and(|done| methods.iter().all(|m| done.contains(m)))
            }
            Subject::Beat => (facts.beaten)(),
        }
    }
}

impl Cond {
    fn parse(word: &str) -> Result<Cond, String> {
        match word {
            "ended" => return Ok(Cond::Ended),
            "lrlive" => return Ok(Cond::LrLive),
            _ => {}
        }
        let ops = [(">=", Op::Ge), ("<=", Op::Le), (">", Op::Gt), ("<", Op::Lt)];
        if let Some((at, len, op)) = ops.iter().find_map(|&(s, op)| word.find(s).map(|i| (i, s.len(), op))) {
            let (name, value) = (&word[..at], &word[at + len..]);
            let number: f64 = value.parse().map_err(|_| format!("`{value}` in `{word}` is not a number"))?;
            return match name.split_once('.') {
                _ if name == "epochs" && op == Op::Ge => Ok(Cond::Epochs(number as usize)),
                _ if name == "lr" => Ok(Cond::Lr(op, number)),
                _ if name == "end" => Ok(Cond::End(op, number)),
                _ if name == "trials" && op == Op::Ge => Ok(Cond::Trials(number as usize)),
                _ if name == "folds" && op == Op::Ge => Ok(Cond::Folds(number as usize)),
                _ if name == "best" => Ok(Cond::Best(op, number)),
                Some((set @ ("train" | "val"), metric)) => {
                    let metric = Metric::from_key(metric).ok_or(format!("`{metric}` is not a metric"))?;
                    Ok(Cond::Metric { val: set == "val", metric, op, value: number })
                }
                _ => {
                    Err(format!("`{word}`: compare epochs>=, trials>=, folds>=, lr, end, best, or train./val. metrics"))
                }
            };
        }
        let (key, value) = word.split_once('=').ok_or(format!("`{word}` is not a condition"))?;
        if key == "search" {
            crate::experiment::search::method_from_key(value).ok_or(format!("`{value}` is not a search method"))?;
            return Ok(Cond::Method(value.into()));
        }
        if key == "tunes" {
            let keys: Vec<String> = value.split(',').map(String::from).collect();
            let tunable = |k: &str| crate::experiment::search::tunable_of(k).is_some() || keys::get(k).is_some();
            if let Some(bad) = keys.iter().find(|k| !tunable(k)) {
                return Err(format!("`{bad}` is not a key a search tunes"));
            }
            return Ok(Cond::Tunes(keys));
        }
        if key == "regime" {
            let regime = [Regime::Diverged, Regime::Oscillating, Regime::Converged, Regime::TooSlow]
                .into_iter()
                .find(|r| r.key() == value)
                .ok_or(format!("`{value}` is not a regime"))?;
            return Ok(Cond::Regime(regime));
        }
        keys::get(key).ok_or(format!("`{key}` in `{word}` is not a URL key"))?;
        Ok(Cond::Key(key.into(), value.into()))
    }

    fn holds(&self, run: &RunFacts) -> bool {
        match self {
            Cond::Epochs(n) => run.epochs >= *n,
            Cond::Ended => run.ended.is_some(),
            Cond::Regime(regime) => {
                run.ended.is_some_and(|state| Regime::of(run.initial_loss, &(run.curve)(), state) == *regime)
            }
            Cond::LrLive => !run.spec.lr_changes.is_empty(),
            Cond::Lr(op, value) => op.holds(run.spec.lr, *value),
            Cond::Metric { val, metric, op, value } => run.last.is_some_and(|r| {
                let scores = if *val { &r.val } else { &r.train };
                scores.get(*metric).is_some_and(|v| op.holds(v, *value))
            }),
            Cond::Key(key, value) => has_value(run.spec, key, value),
            // A race's or a search's, not a run's.
            Cond::End(..) | Cond::Method(_) | Cond::Trials(_) | Cond::Best(..) | Cond::Tunes(_) | Cond::Folds(_) => {
                false
            }
        }
    }
}

/// Whether `spec` has `value` for URL key `key`: setting it would not change
/// how the key is written. `value` may list alternatives (`rmsprop/adam`). (Comparing whole experiments would not do: setting
/// `sched=step` again puts the schedule's parameters back to their defaults.)
fn has_value(spec: &ExperimentSpec, key: &str, value: &str) -> bool {
    let Some(k) = keys::get(key) else { return false };
    let default = ExperimentSpec::default();
    value
        .split('/')
        .any(|value| keys::set(spec, key, value).is_ok_and(|s| k.encode(&s, &default) == k.encode(spec, &default)))
}

/// Whether two experiments differ in a URL key.
fn differs(key: &str, a: &ExperimentSpec, b: &ExperimentSpec) -> bool {
    let Some(k) = keys::get(key) else { return false };
    let default = ExperimentSpec::default();
    match (k.encode(a, &default), k.encode(b, &default)) {
        (x, y) if x != y => true,
        // Both at their default, or written alike: the same only if the key means the same there
        // (an optimizer's hyperparameter is written relative to the optimizer chosen).
        _ => k.applies(a) != k.applies(b),
    }
}

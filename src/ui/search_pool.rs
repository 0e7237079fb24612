//! The search's pool of workers. The study (or a comparison's studies) lives
//! in the study worker (the coordinator: it answers `SearchAsk` and takes
//! `SearchTell`); trials are trained by a pool of training workers, one per
//! core. The page only routes messages: a free worker gets the next trial, a
//! finished trial is told to the study, and the freed worker asks for the next.

use std::cell::RefCell;
use std::rc::Rc;

use yew::Callback;

use super::bridge::{Role, WorkerBridge};
use crate::engine::train::Metric;
use crate::experiment::search::objective;
use crate::worker::protocol::{About, Command, EvaluateCommand, Event, SearchCommand};

/// Sends a command to the coordinator (the study worker).
pub type Coordinator = Rc<dyn Fn(Command)>;

#[derive(Default)]
pub struct Pool {
    coordinator: Option<Coordinator>,
    /// Where the pool's events go (kept to give a replacement worker).
    on_event: Option<Callback<Event>>,
    /// Bumped when the workers are dropped, so a replacement spawned for a
    /// crash before that never revives them.
    generation: u32,
    workers: Vec<WorkerBridge>,
    ready: Vec<bool>,
    /// The trials each worker has been sent and not yet returned (it trains
    /// them in order; the second waits in its queue, so no worker idles while
    /// a result travels to the study and the next trial back).
    busy: Vec<Vec<usize>>,
    search_id: u32,
    /// The job, as its errors are about it: a search or a comparison.
    job: Option<About>,
    metric: Option<Metric>,
    folds: usize,
    /// Asks sent to the coordinator and not yet answered.
    asking: usize,
    /// Trials handed out by the study and not yet sent to a worker (none
    /// had room when they came).
    waiting: Vec<(usize, Box<crate::experiment::ExperimentSpec>)>,
    /// A job runs: started, neither cancelled nor ended.
    active: bool,
    exhausted: bool,
    /// The user's data the job trains on, if theirs: each worker gets it once
    /// per job, before its first trial (trials come without it).
    own: Option<crate::experiment::OwnData>,
    /// The job whose data each worker has (`None`: none yet).
    has_data: Vec<Option<u32>>,
    /// Hands the page's queued events over at once (the batcher's flush).
    flush: Option<Callback<()>>,
}

pub type SharedPool = Rc<RefCell<Pool>>;

/// Trials sent to one worker at a time.
const QUEUE: usize = 2;

/// Workers for a search: one per logical core the browser reports (1–8).
pub fn pool_size() -> usize {
    let cores = web_sys::window().map_or(2.0, |w| w.navigator().hardware_concurrency());
    (cores as usize).clamp(1, 8)
}

impl Pool {
    /// Starts job `search_id` (a search or a comparison): spawns the pool's
    /// workers if needed (their events go to `on_event` after `route`), and
    /// sends `start` (`SearchStart` or `SearchCompare`) to the coordinator.
    pub fn start(
        pool: &SharedPool,
        coordinator: Coordinator,
        on_event: Callback<Event>,
        job: About,
        start: Command,
        folds: usize,
        own: Option<crate::experiment::OwnData>,
    ) -> Result<(), String> {
        let search_id = match job {
            About::Search(id) | About::Comparison(id) => id,
            _ => return Err("not a search or a comparison".into()),
        };
        Pool::warm(pool, coordinator.clone(), on_event)?;
        let mut p = pool.borrow_mut();
        p.search_id = search_id;
        p.job = Some(job);
        p.folds = folds;
        p.own = own;
        p.metric = None;
        p.asking = 0;
        p.waiting.clear();
        p.active = true;
        p.exhausted = false;
        p.busy.iter_mut().for_each(Vec::clear);
        drop(p);
        coordinator(start);
        Ok(())
    }

    /// What hands the page's queued events over at once (the batcher's flush).
    pub fn set_flush(pool: &SharedPool, flush: Callback<()>) {
        pool.borrow_mut().flush = Some(flush);
    }

    /// Ends the job if it has just ended (the study has no more trials and
    /// none is out) and hands the page its queued events at once, so the end
    /// shows without waiting for the next batch (up to 150 ms: the last
    /// trials' rows and "Done" came a batch late in half the benchmark's
    /// searches).
    pub fn show_end(pool: &SharedPool) {
        let flush = {
            let mut p = pool.borrow_mut();
            let ended =
                p.active && p.exhausted && p.asking == 0 && p.waiting.is_empty() && p.busy.iter().all(Vec::is_empty);
            p.active &= !ended;
            p.flush.clone().filter(|_| ended)
        };
        if let Some(flush) = flush {
            flush.emit(());
        }
    }

    /// Spawns the pool's workers if there are none, so they have loaded by
    /// the time a search starts (the page calls this when the search lab opens).
    pub fn warm(pool: &SharedPool, coordinator: Coordinator, on_event: Callback<Event>) -> Result<(), String> {
        let mut p = pool.borrow_mut();
        p.coordinator = Some(coordinator);
        p.on_event = Some(on_event.clone());
        if !p.workers.is_empty() {
            return Ok(());
        }
        for k in 0..pool_size() {
            p.workers.push(Pool::spawn_worker(pool, k, on_event.clone())?);
            p.ready.push(false);
            p.busy.push(Vec::new());
            p.has_data.push(None);
        }
        Ok(())
    }

    /// Pool worker `k`: its events are routed, then what the page should
    /// see goes to `on_event`.
    fn spawn_worker(pool: &SharedPool, k: usize, on_event: Callback<Event>) -> Result<WorkerBridge, String> {
        let pool = pool.clone();
        WorkerBridge::spawn(
            Role::Training,
            Callback::from(move |ev: Event| {
                for ev in Pool::from_worker(&pool, k, ev) {
                    on_event.emit(ev);
                }
                Pool::show_end(&pool);
            }),
        )
    }

    /// Puts a fresh worker in place `k` (after a crash), unless the pool
    /// has been dropped since.
    fn replace_later(pool: &SharedPool, k: usize) {
        let (pool, generation) = (pool.clone(), pool.borrow().generation);
        // After the failed worker's handler has returned: its closures are running now.
        wasm_bindgen_futures::spawn_local(async move {
            let Some(on_event) = pool.borrow().on_event.clone() else { return };
            if pool.borrow().generation != generation || k >= pool.borrow().workers.len() {
                return;
            }
            match Pool::spawn_worker(&pool, k, on_event.clone()) {
                Ok(bridge) => {
                    let mut p = pool.borrow_mut();
                    p.workers[k] = bridge;
                    p.ready[k] = false;
                    p.has_data[k] = None;
                }
                Err(message) => {
                    on_event.emit(Event::Error { about: pool.borrow().job.unwrap_or(About::Worker), message })
                }
            }
        });
    }

    /// Stops the search: the pool's workers are terminated (running trials
    /// are lost, finished ones kept) and the coordinator drops the study.
    pub fn cancel(pool: &SharedPool) {
        let mut p = pool.borrow_mut();
        p.active = false;
        p.generation = p.generation.wrapping_add(1);
        p.waiting.clear();
        p.workers.clear();
        p.ready.clear();
        p.busy.clear();
        p.has_data.clear();
        if let Some(c) = p.coordinator.clone() {
            c(Command::Coordinate(SearchCommand::Stop));
        }
    }

    /// Sends as many asks as there are free places in ready workers' queues.
    fn ask_for_idle(&mut self) {
        let Some(coordinator) = self.coordinator.clone() else { return };
        if !self.active {
            return;
        }
        self.dispatch();
        if self.exhausted {
            return;
        }
        let free: usize =
            self.ready.iter().zip(&self.busy).filter(|(r, _)| **r).map(|(_, b)| QUEUE.saturating_sub(b.len())).sum();
        while self.asking + self.waiting.len() < free {
            self.asking += 1;
            coordinator(Command::Coordinate(SearchCommand::Ask { search_id: self.search_id }));
        }
    }

    /// Sends waiting trials to ready workers with room in their queues,
    /// the shortest queue first.
    fn dispatch(&mut self) {
        let Some(metric) = self.metric else { return };
        while !self.waiting.is_empty() {
            let free = (0..self.workers.len())
                .filter(|&k| self.ready[k] && self.busy[k].len() < QUEUE)
                .min_by_key(|&k| self.busy[k].len());
            let Some(k) = free else { return };
            let (trial_id, spec) = self.waiting.remove(0);
            self.busy[k].push(trial_id);
            if let Some(own) = self.own.as_ref().filter(|_| self.has_data[k] != Some(self.search_id)) {
                let data = EvaluateCommand::Data { search_id: self.search_id, own: Box::new(own.clone()) };
                self.workers[k].send(&Command::Evaluate(data));
                self.has_data[k] = Some(self.search_id);
            }
            let cmd = Command::Evaluate(EvaluateCommand::Trial {
                search_id: self.search_id,
                trial_id,
                spec,
                metric,
                folds: self.folds,
            });
            self.workers[k].send(&cmd);
        }
    }

    /// Routes an event from the coordinator (the study worker).
    pub fn from_coordinator(pool: &SharedPool, ev: &Event) {
        let mut p = pool.borrow_mut();
        match ev {
            Event::SearchStarted { search_id, metric, .. } if *search_id == p.search_id && p.active => {
                p.metric = Some(*metric);
                p.ask_for_idle();
            }
            Event::SearchAsked { search_id, trial, done } if *search_id == p.search_id && p.active => {
                p.asking = p.asking.saturating_sub(1);
                match trial {
                    // To a worker with room; if none has (the one asked for failed meanwhile), it
                    // waits for one: a trial handed out must be trained, or the study waits forever.
                    Some(t) => {
                        p.waiting.push((t.trial_id, t.spec.clone()));
                        p.dispatch();
                    }
                    None => p.exhausted = *done,
                }
            }
            // A trial the study refused before training: ask again.
            Event::TrialDone { search_id, .. } if *search_id == p.search_id && p.active => {
                p.asking = p.asking.saturating_sub(1);
                p.ask_for_idle();
            }
            _ => {}
        }
    }

    /// Routes an event from pool worker `k`: readiness, or a finished trial
    /// (told to the study; the worker then asks for the next). Returns what
    /// the page should see: the finished trial, a worker's error as the
    /// search's, or — when the worker failed — each of its trials failed
    /// (a fresh worker takes its place).
    fn from_worker(pool: &SharedPool, k: usize, ev: Event) -> Vec<Event> {
        let Some(coordinator) = pool.borrow().coordinator.clone() else { return Vec::new() };
        let mut p = pool.borrow_mut();
        if k >= p.workers.len() {
            return Vec::new();
        }
        let forward = match &ev {
            Event::Ready => {
                p.ready[k] = true;
                Vec::new()
            }
            Event::Crashed { message } => {
                p.ready[k] = false;
                let lost = std::mem::take(&mut p.busy[k]);
                let search_id = p.search_id;
                let failed: Vec<Event> = lost
                    .into_iter()
                    .filter(|_| p.active)
                    .map(|trial_id| {
                        coordinator(Command::Coordinate(SearchCommand::Tell {
                            search_id,
                            trial_id,
                            score: None,
                            epochs: 0,
                        }));
                        let message = format!("the worker training it stopped: {message}");
                        let failure = crate::experiment::search::Failure { message, epochs: 0 };
                        Event::TrialDone { search_id, trial_id, result: Err(failure) }
                    })
                    .collect();
                drop(p);
                Pool::replace_later(pool, k);
                let mut p = pool.borrow_mut();
                p.ask_for_idle();
                return failed;
            }
            Event::TrialDone { search_id, trial_id, result } if *search_id == p.search_id => {
                p.busy[k].retain(|id| id != trial_id);
                let (score, epochs) = match (result, p.metric) {
                    (Ok(e), Some(m)) => (Some(objective(m, e.value)), e.epochs),
                    (Ok(e), None) => (None, e.epochs),
                    (Err(f), _) => (None, f.epochs),
                };
                coordinator(Command::Coordinate(SearchCommand::Tell {
                    search_id: *search_id,
                    trial_id: *trial_id,
                    score,
                    epochs,
                }));
                vec![ev]
            }
            Event::Error { message, .. } => {
                vec![Event::Error { about: p.job.unwrap_or(About::Worker), message: message.clone() }]
            }
            _ => Vec::new(),
        };
        p.ask_for_idle();
        forward
    }
}

//! Training-throughput benchmarks (W1, W2 and sweeps), shared by the native
//! `hyperlab bench` and the wasm run in Chromium (`scripts/bench.sh`).
//!
//! The clock is passed in, so this module runs on any target; only the
//! training passes are timed (no per-epoch evaluation), each workload from a
//! fresh trainer, and the median of several runs is reported.

use crate::engine::data::bundled::parse_csv;
use crate::engine::data::{Dataset, SpiralConfig, Split, Task, two_spirals};
use crate::engine::model::{Activation, Head, Init, MlpConfig};
use crate::engine::optim::{AdamConfig, OptimizerConfig, SgdConfig};
use crate::engine::train::{Trainer, TrainerConfig};

/// One benchmark: a network, its optimizer and data, and how many epochs.
#[derive(Clone, Debug)]
pub struct Workload {
    pub name: String,
    pub config: TrainerConfig,
    pub data: Dataset,
}

/// What a workload measured.
#[derive(Clone, Debug)]
pub struct Measurement {
    pub name: String,
    /// Training examples processed per run.
    pub examples: usize,
    pub median_ms: f64,
    pub examples_per_s: f64,
    /// Floating-point operations per training example (forward and backward).
    pub flop_per_example: usize,
    pub gflop_per_s: f64,
    pub memory_bytes: usize,
}

fn empty(task: Task, n_features: usize) -> Dataset {
    Dataset { n_features, x: Vec::new(), y: Vec::new(), task }
}

fn mlp(sizes: Vec<usize>, act: Activation, head: Head) -> MlpConfig {
    let hidden = sizes.len() - 2;
    MlpConfig { sizes, activations: vec![act; hidden], head, init: Init::GlorotUniform, dropout: 0.0 }
}

/// W1: 1000 spiral points, 2→`width`→`width`→1 tanh/sigmoid, BCE, SGD lr
/// 0.03, batch `batch`, 100 epochs (100 000 examples at the defaults).
pub fn w1(width: usize, batch: usize) -> Workload {
    let data = two_spirals(&SpiralConfig { n_per_class: 500, noise: 0.04 }, 1);
    let model = mlp(vec![2, width, width, 1], Activation::Tanh, Head::SigmoidBce);
    let config = TrainerConfig::new(model, OptimizerConfig::Sgd(SgdConfig::default()), 0.03, batch, 100, 1);
    Workload { name: format!("W1 spiral 2→{width}→{width}→1, batch {batch}"), config, data }
}

/// W2: the 1797 8×8 digits, 64→64→10 ReLU/softmax, Adam lr 1e-3, batch 32,
/// 20 epochs (35 940 examples).
pub fn w2(digits_csv: &str) -> Result<Workload, String> {
    let data = parse_csv(digits_csv)?;
    let model = mlp(vec![64, 64, 10], Activation::Relu, Head::SoftmaxCe);
    let config = TrainerConfig::new(model, OptimizerConfig::Adam(AdamConfig::default()), 1e-3, 32, 20, 1);
    Ok(Workload { name: "W2 digits 64→64→10, Adam, batch 32".into(), config, data })
}

/// FLOPs per training example: a multiply-add per weight forward, one for
/// its gradient, one per weight for the input gradient of every layer but the first.
pub fn flop_per_example(sizes: &[usize]) -> usize {
    let layers: Vec<usize> = sizes.windows(2).map(|w| w[0] * w[1]).collect();
    4 * layers.iter().sum::<usize>() + 2 * layers.iter().skip(1).sum::<usize>()
}

impl Workload {
    fn trainer(&self) -> Trainer {
        let split = Split {
            train: self.data.clone(),
            val: empty(self.data.task, self.data.n_features),
            test: empty(self.data.task, self.data.n_features),
        };
        Trainer::new(self.config.clone(), split)
    }

    /// Runs the workload `runs` times (after untimed warm-up runs) and
    /// reports the median. `now_ms` is the clock.
    pub fn measure(&self, runs: usize, now_ms: &dyn Fn() -> f64) -> Measurement {
        let run = |timed: bool| {
            let mut trainer = self.trainer();
            let start = now_ms();
            for _ in 0..self.config.n_epochs {
                trainer.train_pass();
            }
            let ms = now_ms() - start;
            let _ = timed;
            (ms, trainer.memory_bytes(), trainer.model().params[0])
        };
        // Warm up for at least a second: V8 runs a wasm function first as
        // baseline code and swaps in its optimized compile, made in the
        // background, only later. One warm-up run left W1's timed runs partly
        // on baseline code (2.1–2.9 M examples/s, against 3.4 M for the same
        // passes timed later in the same page, or after this warm-up).
        let warm_up = now_ms();
        run(false);
        while now_ms() - warm_up < 1000.0 {
            run(false);
        }
        let mut times = Vec::with_capacity(runs);
        let mut memory = 0;
        for _ in 0..runs.max(1) {
            let (ms, bytes, _) = run(true);
            times.push(ms);
            memory = bytes;
        }
        times.sort_by(f64::total_cmp);
        let median_ms = times[times.len() / 2];
        let examples = self.data.len() * self.config.n_epochs;
        let flop = flop_per_example(&self.config.model.sizes);
        let examples_per_s = examples as f64 / (median_ms / 1000.0);
        Measurement {
            name: self.name.clone(),
            examples,
            median_ms,
            examples_per_s,
            flop_per_example: flop,
            gflop_per_s: examples_per_s * flop as f64 / 1e9,
            memory_bytes: memory,
        }
    }
}

/// The whole suite: W1, W2, then W1 across widths and batch sizes.
pub fn suite(digits_csv: &str, quick: bool) -> Result<Vec<Workload>, String> {
    let mut all = vec![w1(16, 10), w2(digits_csv)?];
    if !quick {
        for width in [32, 64, 128, 256] {
            let mut w = w1(width, 10);
            // Fewer epochs for the wide nets: the rate, not the total, is compared.
            w.config.n_epochs = (100 * 16 / width).max(5);
            all.push(w);
        }
        for batch in [1, 32, 100] {
            all.push(w1(16, batch));
        }
    }
    Ok(all)
}

/// A Markdown table of measurements.
pub fn table(results: &[Measurement]) -> String {
    let mut out = String::from(
        "| workload | examples | median ms | examples/s | FLOP/example | GFLOP/s | memory |\n|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for m in results {
        out.push_str(&format!(
            "| {} | {} | {:.1} | {:.0} k | {} | {:.2} | {:.0} KB |\n",
            m.name,
            m.examples,
            m.median_ms,
            m.examples_per_s / 1e3,
            m.flop_per_example,
            m.gflop_per_s,
            m.memory_bytes as f64 / 1024.0
        ));
    }
    out
}

/// What the per-layer diagnostics cost W1 and W2, as a Markdown table: the
/// training pass alone (what W1/W2 time) and a whole epoch as the lab runs it
/// (the pass and the training-set evaluation), each with the diagnostics off
/// and on. Off and on alternate run by run so a noisy machine hits both
/// alike; the figures are medians of `runs`.
pub fn diagnostics_table(digits_csv: &str, runs: usize, now_ms: &dyn Fn() -> f64) -> Result<String, String> {
    let mut out = String::from(
        "The per-layer diagnostics, off → on (median ms of the whole workload):\n\
         | workload | training pass | change | epoch with evaluation | change |\n|---|---|---:|---|---:|\n",
    );
    for w in [w1(16, 10), w2(digits_csv)?] {
        let time = |diagnostics: bool, whole_epoch: bool| {
            let mut trainer = w.trainer();
            if diagnostics {
                trainer.enable_diagnostics();
            }
            // The untrained network's evaluation is not part of an epoch.
            trainer.initial_scores();
            let start = now_ms();
            for _ in 0..w.config.n_epochs {
                if whole_epoch {
                    trainer.step_epoch();
                } else {
                    trainer.train_pass();
                }
            }
            now_ms() - start
        };
        let mut ms = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
        for round in 0..=runs.max(1) {
            let t = [time(false, false), time(true, false), time(false, true), time(true, true)];
            // Round 0 warms up.
            if round > 0 {
                for (all, t) in ms.iter_mut().zip(t) {
                    all.push(t);
                }
            }
        }
        let [pass_off, pass_on, epoch_off, epoch_on] = ms.map(|mut t| {
            t.sort_by(f64::total_cmp);
            t[t.len() / 2]
        });
        let change = |off: f64, on: f64| 100.0 * (on - off) / off;
        out.push_str(&format!(
            "| {} | {pass_off:.1} → {pass_on:.1} | {:+.1} % | {epoch_off:.1} → {epoch_on:.1} | {:+.1} % |\n",
            w.name,
            change(pass_off, pass_on),
            change(epoch_off, epoch_on)
        ));
    }
    Ok(out)
}

/// Times Bayesian optimization's `ask` once `n_trials` are scored, on a
/// 4-parameter space (log, integer, real, three choices): the mean and the
/// largest of `asks` consecutive steps, in ms. One step fits the Gaussian
/// process (refitting its hyperparameters every fifth step) and scores the
/// candidates by expected improvement.
pub fn gp_step(n_trials: usize, asks: usize, now_ms: &dyn Fn() -> f64) -> (f64, f64) {
    search_step(crate::engine::search::Method::Bayes(Default::default()), n_trials, asks, false, now_ms)
}

/// As [`gp_step`], with the surrogate's view the page draws (two slices and
/// a 20 × 20 map): the study worker's whole work per Bayesian trial.
pub fn gp_step_with_view(n_trials: usize, asks: usize, now_ms: &dyn Fn() -> f64) -> (f64, f64) {
    search_step(crate::engine::search::Method::Bayes(Default::default()), n_trials, asks, true, now_ms)
}

/// As [`gp_step`], for the tree-structured Parzen estimator.
pub fn tpe_step(n_trials: usize, asks: usize, now_ms: &dyn Fn() -> f64) -> (f64, f64) {
    search_step(crate::engine::search::Method::Tpe(Default::default()), n_trials, asks, false, now_ms)
}

/// The search steps' table: Bayesian optimization's ask, its ask with the
/// surrogate's view, and TPE's ask, mean / largest of 10, at each of
/// [`SEARCH_SIZES`] scored trials.
pub fn search_table(now_ms: &dyn Fn() -> f64) -> String {
    let mut out = String::from(
        "One ask of a search, mean / largest of 10 (ms):\n\
         | trials | Bayesian ask | Bayesian ask + surrogate view | TPE ask |\n|---|---|---|---|\n",
    );
    for n in SEARCH_SIZES {
        let (gm, gw) = gp_step(n, 10, now_ms);
        let (vm, vw) = gp_step_with_view(n, 10, now_ms);
        let (tm, tw) = tpe_step(n, 10, now_ms);
        out.push_str(&format!("| {n} | {gm:.1} / {gw:.1} | {vm:.1} / {vw:.1} | {tm:.2} / {tw:.2} |\n"));
    }
    out.push_str(&format!(
        "\nThe end-to-end benchmark's 100-trial random search, its trainings one after another on one thread: {:.0} ms\n",
        search_trials(3, now_ms)
    ));
    out
}

/// The end-to-end benchmark's search (`tests/e2e/lab.test.mjs`: 100 random
/// trials on the spiral, 2→16→16→1, 50 epochs, lr log [0.001, 1], batch
/// size log-int [4, 64]), every trial trained and scored one after another
/// on this thread, the study asked and told between them: what the pool's
/// workers compute, without the page and its messages. Median of `runs`
/// (ms), after one untimed run.
pub fn search_trials(runs: usize, now_ms: &dyn Fn() -> f64) -> f64 {
    use crate::experiment::search::{evaluate, objective};
    use crate::experiment::session::{Next, Session};
    const QUERY: &str = "data=spiral&hidden=16-16&ep=50&search=random&trials=100&space=lr:log:0.001:1,bs:logint:4:64";
    let run = || {
        let mut session = Session::new(QUERY, None).expect("a valid search");
        let (metric, folds) = (session.metric, session.search.folds);
        let start = now_ms();
        while let Next::Trial(t) = session.ask() {
            let score = evaluate(&t.spec, metric, folds, None).ok().map(|e| objective(metric, e.value));
            session.tell(t.id, score);
        }
        now_ms() - start
    };
    run();
    let mut times: Vec<f64> = (0..runs.max(1)).map(|_| run()).collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The trial counts the search steps are timed at: the last is the largest
/// budget a link may ask for (`MAX_TRIALS`).
pub const SEARCH_SIZES: [usize; 6] = [50, 100, 200, 500, 1000, 2000];

/// Times `method`'s `ask` (and with `with_view`, the surrogate's view) once
/// `n_trials` random trials are scored.
fn search_step(
    method: crate::engine::search::Method,
    n_trials: usize,
    asks: usize,
    with_view: bool,
    now_ms: &dyn Fn() -> f64,
) -> (f64, f64) {
    use crate::engine::search::{Ask, Domain, Method, Param, Space, Study};
    let space = Space {
        params: vec![
            Param { key: "lr".into(), domain: Domain::LogUniform { lo: 1e-4, hi: 1.0 }, levels: 4 },
            Param { key: "bs".into(), domain: Domain::Int { lo: 1, hi: 128, log: true }, levels: 4 },
            Param { key: "drop".into(), domain: Domain::Uniform { lo: 0.0, hi: 0.5 }, levels: 4 },
            Param {
                key: "opt".into(),
                domain: Domain::Choice(vec!["sgd".into(), "adam".into(), "rmsprop".into()]),
                levels: 3,
            },
        ],
    };
    let objective = |u: &[f64]| -(u[0] - 0.6) * (u[0] - 0.6) - 0.3 * (u[1] - 0.4) * (u[1] - 0.4) + 0.1 * u[4];
    let mut study = Study::new(space.clone(), Method::Random, n_trials, 1).expect("a valid space");
    while let Ask::Trial { id, config } = study.ask() {
        study.tell(id, Some(objective(&space.encode(&config))));
    }
    // Continue the same trials with the method: replay them into its study.
    let mut bayes = Study::new(space.clone(), method, n_trials + asks, 1).expect("valid");
    bayes.seed_trials(study.trials());
    let (mut total, mut worst) = (0.0, 0.0f64);
    for _ in 0..asks {
        let t0 = now_ms();
        let Ask::Trial { id, config } = bayes.ask() else { break };
        if with_view {
            // What the coordinator posts after an ask: the surrogate's slices and map.
            if let Some(view) = bayes.surrogate_view() {
                std::hint::black_box((view.slice(0, 48), view.slice(1, 48), view.map(0, 1, 20)));
            }
        }
        let dt = now_ms() - t0;
        total += dt;
        worst = worst.max(dt);
        bayes.tell(id, Some(objective(&space.encode(&config))));
    }
    (total / asks.max(1) as f64, worst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flop_counts_match_the_perf_notes() {
        assert_eq!(flop_per_example(&[2, 16, 16, 1]), 1760);
        assert_eq!(flop_per_example(&[64, 64, 10]), 20224);
    }

    #[test]
    fn workloads_are_the_issues() {
        let w = w1(16, 10);
        assert_eq!(w.data.len() * w.config.n_epochs, 100_000);
        let fake_clock = std::cell::Cell::new(0.0);
        let m = w1(4, 10).measure(1, &|| {
            fake_clock.set(fake_clock.get() + 1.0);
            fake_clock.get()
        });
        assert_eq!(m.examples, 100_000);
        assert!(m.memory_bytes > 8 * 1000);
    }
}

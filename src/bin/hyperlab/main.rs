//! `hyperlab`: the command line over the same engine as the page.
//!
//! ```text
//! hyperlab run [QUERY_OR_URL] [--json] [--KEY VALUE …]   train; one CSV row (or JSON line) per epoch
//! hyperlab schedule [QUERY_OR_URL]                       the planned learning rate of every epoch
//! hyperlab regimes [QUERY_OR_URL]                        the four learning-rate regimes, labelled
//! hyperlab trace [QUERY_OR_URL]                          the optimizer race's path on its surface
//! hyperlab lrfind [QUERY_OR_URL]                         the learning-rate range test
//! hyperlab search [QUERY_OR_URL]                         a hyperparameter search, or a method comparison
//! hyperlab export pytorch [QUERY_OR_URL] [--out FILE]    the run as a PyTorch script
//! hyperlab export optuna [QUERY_OR_URL] [--out FILE]     the search as an Optuna study
//! hyperlab plot [QUERY_OR_URL] [--chart C] [--out FILE]  a run's chart as an SVG figure
//! hyperlab bench [--runs N] [--quick]                    training throughput and search steps
//! ```
//! Every command takes a query string or a whole lab URL, and any URL key as
//! a flag; the same link gives the page's numbers. Bad arguments exit with
//! status 2 and a message naming the argument; a reader that goes away
//! (`| head`) ends a command quietly.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use hyperlab::engine::train::diagnostics as diag;
use hyperlab::engine::train::{EpochRecord, LayerStats, RunState};
use hyperlab::experiment::keys::{self, SEARCH_KEYS};
use hyperlab::experiment::{ExperimentSpec, export};

const USAGE: &str = "\
usage: hyperlab run [QUERY_OR_URL] [--json] [--diagnostics] [--KEY VALUE ...]
       hyperlab schedule [QUERY_OR_URL] [--KEY VALUE ...]
       hyperlab regimes [QUERY_OR_URL] [--KEY VALUE ...]
       hyperlab trace [QUERY_OR_URL] [--KEY VALUE ...]
       hyperlab lrfind [QUERY_OR_URL] [--KEY VALUE ...]
       hyperlab search [QUERY_OR_URL] [--KEY VALUE ...]
       hyperlab weights [QUERY_OR_URL] [--epoch N] [--KEY VALUE ...]
       hyperlab export pytorch [QUERY_OR_URL] [--out FILE] [--KEY VALUE ...]
       hyperlab export optuna [QUERY_OR_URL] [--out FILE] [--KEY VALUE ...]
       hyperlab plot [QUERY_OR_URL] [--chart CHART] [--out FILE] [--KEY VALUE ...]
       hyperlab inspect FILE [--target COLUMN]
       hyperlab bench [--runs N] [--quick]

Trains a small MLP and prints one CSV row per epoch: epoch, lr, then every
loss and metric of the experiment's task, for training and validation:
  epoch,lr,train_loss,val_loss,train_accuracy,val_accuracy,...
With no experiment given, runs the page's default experiment. A query string
(e.g. 'opt=adam&lr=0.001') or a whole lab URL gives the same numbers as the
page. Any key of the URL format works as a flag (--lr 0.3, --b1 0.95); these
longer names work too:
{FLAGS}
See docs/url-format.md for every key.

--diagnostics adds per-layer columns, layer 1 the first hidden layer and the
last the output layer: weight_norm_L (‖W‖), grad_norm_L (‖∂loss/∂W‖ of the
epoch's last mini-batch), update_ratio_L (‖ΔW‖/‖W‖ of its last update) and,
for hidden layers, dead_L (the share of dead ReLU units, or of saturated
tanh/sigmoid outputs, on the training set).
A run that diverges ends with '# diverged at epoch N' and exit status 1.
`weights` prints the parameters after epoch N (0: the initial ones) as JSON.
`schedule` prints the planned learning rate of every epoch: epoch,lr.
`search` runs a hyperparameter search (search=grid|random|genetic|bayes|tpe|halving|hyperband,
trials=N, space=lr:log:0.0001:1,bs:logint:1:128,opt:choice:sgd|adam, …) and
prints one CSV row per trial: trial, each hyperparameter, score, spread,
status, epochs; then the best configuration, its test score and its URL.
`export pytorch` writes one Python file (to standard output, or FILE) that
replays the run in PyTorch: HyperLab's data, initial weights and batch
order; PyTorch's layers, loss, optimizer and scheduler. It prints the CSV
`run` prints. `export optuna` writes a search (search=…) as an Optuna study:
the same space, budget and method (its sampler and pruner), trials trained
by that PyTorch loop, on as many processes as share its storage.
`plot` trains the run and writes one chart as an SVG figure (title, axes,
legend and the link): --chart loss (the default), lr or a metric such as
accuracy; regimes (the four learning-rate regimes); kept, kept:lr or
kept:METRIC (a link's kept runs, runs=…); for a search link, best (the
default) or slice:KEY; for a comparison (compare=…), its curves.

Your own data: --data-file FILE.csv --target COLUMN (a name or a number
from 1) trains run, plot, regimes, lrfind, weights, schedule, search and
export pytorch on a CSV file (comma, semicolon or tab; header optional; at most
20 MB, 200000 rows, 1000 columns) read exactly as the page reads it;
--ignore A,B leaves columns out, --missing drop drops the rows that miss a
value (refuse, the default, names the first), --task classification or
regression overrides the guess (text or few whole numbers: classes).
A link on your data from the page (data=own&file=HASH&target=…) needs the
file: --data-file FILE alone makes the link's data from it, checked by its
content hash; a link that carries its data (csv=) needs no file.
`inspect` prints what the lab reads in a file.";

/// The usage, with the long flags of the key table (`--epochs (ep)`), a few to a line.
fn usage() -> String {
    let flags: Vec<String> = keys::KEYS.iter().filter_map(|k| Some(format!("--{} ({})", k.flag?, k.name))).collect();
    let lines: Vec<String> = flags.chunks(4).map(|c| format!("  {}", c.join("  "))).collect();
    USAGE.replace("{FLAGS}", &lines.join("\n"))
}

/// Standard output could not be written: its reader went away (`hyperlab
/// search … | head -3`: end quietly, as Unix tools do) or another error.
struct Unwritable(std::io::Error);

/// What a command ends with: its exit status, or output it could not write.
type Outcome = Result<ExitCode, Unwritable>;

/// Writes one line; `?` ends the command when standard output is gone.
macro_rules! say {
    ($out:expr) => { writeln!($out).map_err(Unwritable) };
    ($out:expr, $($arg:tt)*) => { writeln!($out, $($arg)*).map_err(Unwritable) };
}

/// The files a command writes: scripts and figures (`export`, `plot`).
mod files;
mod own;

/// The exit of a command that could not write its output: quiet for a
/// closed pipe (status 141, as a process ended by SIGPIPE), a message otherwise.
fn unwritable(Unwritable(e): Unwritable) -> ExitCode {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return ExitCode::from(141);
    }
    eprintln!("hyperlab: could not write the output: {e}");
    ExitCode::from(1)
}

/// A bad argument: the message naming it, and where the usage is (status 2).
fn usage_error(message: &str) -> ExitCode {
    eprintln!("hyperlab: {message}\n(`hyperlab help` lists the commands and their arguments)");
    ExitCode::from(2)
}

/// No command, or an unknown one: the whole usage (status 2).
fn command_error(message: &str) -> ExitCode {
    eprintln!("hyperlab: {message}\n\n{}", usage());
    ExitCode::from(2)
}

struct RunArgs {
    query: String,
    json: bool,
    /// Per-layer diagnostics columns (`--diagnostics`).
    diagnostics: bool,
}

/// Turns the arguments after `run` into one query string.
fn parse_run_args(args: &[String]) -> Result<RunArgs, String> {
    let mut parts = Vec::new();
    let mut json = false;
    let mut diagnostics = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--json" {
            json = true;
        } else if arg == "--diagnostics" {
            diagnostics = true;
        } else if let Some(flag) = arg.strip_prefix("--") {
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            let key = keys::KEYS
                .iter()
                .find(|k| k.flag == Some(name) || (k.name == name && k.name != "v"))
                .map(|k| k.name)
                .or_else(|| SEARCH_KEYS.iter().copied().find(|k| *k == name))
                .ok_or_else(|| format!("unknown argument `--{name}`"))?;
            let value = match inline {
                Some(v) => v,
                None => it.next().cloned().ok_or_else(|| format!("argument `--{name}` needs a value"))?,
            };
            parts.push(format!("{key}={value}"));
        } else if arg.contains('=') {
            // A query string or URL: its pairs come first so flags override them.
            let q = arg.split_once('?').map_or(arg.as_str(), |(_, q)| q);
            parts.insert(0, q.to_string());
        } else {
            return Err(format!("unexpected argument `{arg}`: expected a query string like 'lr=0.1' or a flag"));
        }
    }
    Ok(RunArgs { query: parts.join("&"), json, diagnostics })
}

/// How to name a URL key in a message: its long flag if it has one.
fn flag_for_key(key: &str) -> String {
    match keys::get(key) {
        Some(k) => match k.flag {
            Some(flag) => format!("`--{flag}` (`{key}`)"),
            None => format!("`--{key}`"),
        },
        None if SEARCH_KEYS.contains(&key) => format!("`--{key}`"),
        None => format!("`{key}`"),
    }
}

/// The experiment the arguments describe, or the exit for a bad one (status 2,
/// naming the argument).
fn spec_from_args(args: &[String]) -> Result<(ExperimentSpec, RunArgs), ExitCode> {
    let (file, args) = own::take(args).map_err(|e| usage_error(&e))?;
    let run_args = parse_run_args(&args).map_err(|e| usage_error(&e))?;
    let spec = experiment(&file, &run_args.query)?;
    spec.validate().map_err(|e| spec_error(&e))?;
    Ok((spec, run_args))
}

/// The experiment of `query`, on the user's file when one is given: the
/// data the link names (checked by its hash), or in place of the link's data.
fn experiment(file: &own::DataFile, query: &str) -> Result<ExperimentSpec, ExitCode> {
    let (named, _) = hyperlab::experiment::own_ref_from_query(query);
    let own = file.load(named.as_ref()).map_err(|e| usage_error(&e))?;
    let (spec, notices) = hyperlab::experiment::from_query_on(query, own.as_ref());
    if let Some(n) = notices.first() {
        return Err(usage_error(&format!("invalid argument {}: {}", flag_for_key(&n.key), n.message)));
    }
    Ok(match own {
        Some(own) if named.is_none() => spec.with_own_data(own),
        _ => spec,
    })
}

fn run(args: &[String]) -> Outcome {
    let (spec, RunArgs { json, diagnostics, .. }) = match spec_from_args(args) {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let mut trainer = match spec.trainer() {
        Ok(t) => t,
        Err(e) => return Ok(spec_error(&e)),
    };
    if diagnostics {
        trainer.enable_diagnostics();
    }
    let n_layers = spec.model().n_layers();
    let metrics = spec.metrics();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if !json {
        let extra = if diagnostics { format!(",{}", diag::csv_header(n_layers)) } else { String::new() };
        say!(out, "{}{extra}", export::csv_header(metrics))?;
    }
    let mut printed = 0;
    let state = loop {
        let state = trainer.step_epoch();
        for (i, r) in trainer.records().iter().enumerate().skip(printed) {
            let layers = trainer.diagnostics().get(i).filter(|_| diagnostics);
            let line = match (json, layers) {
                (true, Some(layers)) => json_record_with(r, layers),
                (true, None) => export::json_record(r),
                (false, Some(layers)) => format!("{},{}", r.csv_row(metrics), diag::csv_row(layers)),
                (false, None) => r.csv_row(metrics),
            };
            say!(out, "{line}")?;
        }
        printed = trainer.records().len();
        if state.is_over() {
            break state;
        }
    };
    let test = (spec.test_ratio > 0.0).then(|| trainer.evaluate_test().scores);
    // The same closing lines as a download from the page (`experiment::export`).
    let closing = if json {
        vec![export::json_closing(state, test.as_ref())]
    } else {
        export::csv_closing(state, printed, test.as_ref(), metrics)
    };
    for line in closing {
        say!(out, "{line}")?;
    }
    out.flush().map_err(Unwritable)?;
    if let RunState::Diverged { epoch } = state {
        eprintln!("hyperlab: diverged at epoch {epoch} (the loss became non-finite or exploded)");
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// A record with its diagnostics: `"layers": [{"weight_norm": …, …}, …]`.
fn json_record_with(r: &EpochRecord, layers: &[LayerStats]) -> String {
    use hyperlab::experiment::json::{Object, array};
    let layers = layers.iter().map(|s| {
        Object::new()
            .number("weight_norm", s.weight_norm)
            .number("grad_norm", s.grad_norm)
            .number("update_ratio", s.update_ratio)
            .number("dead", s.dead)
            .write()
    });
    export::json_record_object(r).raw("layers", array(layers)).write()
}

/// The exit for a spec the engine refused: status 2, naming the argument.
fn spec_error(e: &hyperlab::experiment::SpecError) -> ExitCode {
    usage_error(&format!("invalid argument {}: {}", flag_for_key(e.field), e.message))
}

/// `hyperlab schedule [QUERY_OR_URL] [--KEY VALUE ...]`: the planned
/// learning rate of every epoch, `epoch,lr` (1-based epochs, as `run` prints).
fn schedule(args: &[String]) -> Outcome {
    let (spec, _) = match spec_from_args(args) {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    say!(out, "epoch,lr")?;
    for (e, lr) in spec.planned_lrs().iter().enumerate() {
        say!(out, "{},{lr}", e + 1)?;
    }
    if spec.schedule.needs_val_loss() {
        say!(out, "# reduce-on-plateau follows the validation loss: `hyperlab run` prints the rates used")?;
    }
    out.flush().map_err(Unwritable)?;
    Ok(ExitCode::SUCCESS)
}

/// `hyperlab regimes [QUERY_OR_URL] [--KEY VALUE ...]`: the experiment at a
/// very high, high, good and low learning rate, each labelled from its curve.
fn regimes(args: &[String]) -> Outcome {
    let (spec, _) = match spec_from_args(args) {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let runs = match hyperlab::experiment::regimes::train_regimes(&spec) {
        Ok(r) => r,
        Err(e) => return Ok(spec_error(&e)),
    };
    let mut out = std::io::stdout().lock();
    say!(out, "lr,regime,final_train_loss,epochs,description")?;
    for r in runs {
        let last = r.records.last().map_or(f64::NAN, |r| r.train.loss);
        say!(out, "{},{},{last},{},{}", r.spec.lr, r.regime.key(), r.records.len(), r.regime.description())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `hyperlab trace [QUERY_OR_URL] [--KEY VALUE ...]`: the optimizer's path on
/// the race surface, `step,x,y,loss` (step 0 is the start).
fn trace(args: &[String]) -> Outcome {
    let (spec, _) = match spec_from_args(args) {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    say!(out, "step,x,y,loss")?;
    for (k, [x, y, f]) in spec.trace().into_iter().enumerate() {
        say!(out, "{k},{x},{y},{f}")?;
    }
    out.flush().map_err(Unwritable)?;
    Ok(ExitCode::SUCCESS)
}

/// `hyperlab lrfind [QUERY_OR_URL] [--KEY VALUE ...]`: the LR range test,
/// `step,lr,loss,smoothed_loss`, then the suggestion and its rule.
fn lrfind(args: &[String]) -> Outcome {
    use hyperlab::engine::train::lr_finder::LrFinderConfig;
    let (spec, _) = match spec_from_args(args) {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let result = match spec.lr_range_test(&LrFinderConfig::default(), None) {
        Ok(r) => r,
        Err(e) => return Ok(spec_error(&e)),
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    say!(out, "step,lr,loss,smoothed_loss")?;
    for (k, ((lr, loss), s)) in result.lrs.iter().zip(&result.losses).zip(&result.smoothed).enumerate() {
        say!(out, "{k},{lr},{loss},{s}")?;
    }
    if result.suggestions.is_empty() {
        say!(out, "# no suggestion: the loss never fell")?;
    }
    for s in &result.suggestions {
        say!(out, "# suggested lr {} (rule: {})", s.lr, s.rule)?;
    }
    out.flush().map_err(Unwritable)?;
    Ok(ExitCode::SUCCESS)
}

/// `hyperlab search`: runs a search to its end, one trial at a time, and
/// prints its trials as CSV (each as it ends), then the best configuration
/// with its test score and URL.
/// One trial of a search as the command line ran it: its values (as a link
/// writes them) and its score, spread and epochs, or why it failed.
struct TrialRun {
    id: usize,
    values: Vec<String>,
    outcome: Result<(f64, f64, usize), (String, usize)>,
}

/// Trains a search's trials one after another (every result known before
/// the next ask), handing each to `on_row` as it ends.
fn run_trials(
    session: &mut hyperlab::experiment::session::Session,
    bundled: Option<&str>,
    on_row: &mut dyn FnMut(TrialRun) -> Result<(), Unwritable>,
) -> Result<(), Unwritable> {
    use hyperlab::experiment::search::{evaluate, objective};
    use hyperlab::experiment::session::Next;
    let (metric, folds) = (session.metric, session.search.folds);
    loop {
        let row = match session.ask() {
            Next::Trial(t) => match evaluate(&t.spec, metric, folds, bundled) {
                Ok(e) => {
                    session.tell(t.id, Some(objective(metric, e.value)));
                    TrialRun { id: t.id, values: t.values, outcome: Ok((e.value, e.spread, e.epochs)) }
                }
                Err(f) => {
                    session.tell(t.id, None);
                    TrialRun { id: t.id, values: t.values, outcome: Err((f.message, f.epochs)) }
                }
            },
            Next::Refused { id, values, message } => TrialRun { id, values, outcome: Err((message, 0)) },
            Next::Wait | Next::Done => return Ok(()),
        };
        on_row(row)?;
    }
}

fn search(args: &[String]) -> Outcome {
    use hyperlab::experiment::search::{objective, prepare_on, search_to_query, test_score};
    use hyperlab::experiment::session::{Comparison, Session};
    let (file, args) = match own::take(args) {
        Ok(t) => t,
        Err(e) => return Ok(usage_error(&e)),
    };
    let query = match parse_run_args(&args) {
        Ok(a) => a.query,
        Err(e) => return Ok(usage_error(&e)),
    };
    let base = match experiment(&file, &query) {
        Ok(spec) => spec,
        Err(exit) => return Ok(exit),
    };
    let (base, search) = match prepare_on(base, &query) {
        Ok(p) => p,
        Err(e) => return Ok(spec_error(&e)),
    };
    let bundled = base.data.kind.bundled_file().and_then(|_| hyperlab::experiment::bundled_csv(base.data.kind));
    if !search.compare.is_empty() {
        return match Comparison::of(base, search) {
            Ok(comparison) => compare_methods(comparison, bundled),
            Err(e) => Ok(spec_error(&e)),
        };
    }
    let mut session = match Session::of(base, search) {
        Ok(s) => s,
        Err(e) => return Ok(spec_error(&e)),
    };
    let metric = session.metric;
    let mut out = std::io::stdout().lock();
    let keys: Vec<String> = session.search.space.params.iter().map(|p| p.key.clone()).collect();
    say!(out, "{}", export::trials_header(&keys, metric))?;
    run_trials(&mut session, bundled, &mut |row| {
        let line = match &row.outcome {
            Ok((value, spread, epochs)) => export::trial_scored(row.id, &row.values, *value, *spread, *epochs),
            Err((message, epochs)) => export::trial_failed(row.id, &row.values, message, *epochs),
        };
        say!(out, "{line}")
    })?;
    let Some((best, spec)) = session.best() else {
        say!(out, "# no trial could be scored")?;
        return Ok(ExitCode::from(1));
    };
    let spec = match spec {
        Ok(spec) => spec,
        Err(e) => return Ok(usage_error(&e)),
    };
    let test = match test_score(&spec, metric, bundled) {
        Ok(v) => v,
        Err(e) => return Ok(usage_error(&e)),
    };
    let shown: Vec<String> = keys
        .iter()
        .zip(&best.config)
        .enumerate()
        .map(|(i, (k, v))| format!("{k}={}", session.search.space.format(i, *v)))
        .collect();
    let value = objective(metric, best.score.unwrap_or(f64::NAN));
    let experiment = hyperlab::experiment::to_query(&spec);
    let search = format!("{}&{}", hyperlab::experiment::to_query(&session.base), search_to_query(&session.search));
    for line in export::search_closing((best.id, &shown, value), metric, test, &experiment, &search) {
        say!(out, "{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `hyperlab search … compare=grid,random`: every method on the same space
/// and budget for `repeats` seeds; prints the best validation score after
/// each trial, median and quartiles over the seeds, and the epochs spent up
/// to it (median): method,trial,median,q25,q75,epochs_median.
fn compare_methods(comparison: hyperlab::experiment::session::Comparison, bundled: Option<&str>) -> Outcome {
    let metric = comparison.metric;
    let curves = comparison.run(bundled);
    let mut out = std::io::stdout().lock();
    write!(out, "{}", export::comparison_csv(&curves, metric)).map_err(Unwritable)?;
    Ok(ExitCode::SUCCESS)
}

/// `hyperlab weights [QUERY_OR_URL] [--epoch N] [--KEY VALUE ...]`: the
/// parameters after epoch N (0: the initial weights; by default the last),
/// as JSON: each layer's weights (one row per output unit) and biases.
fn weights(args: &[String]) -> Outcome {
    let mut rest = Vec::new();
    let mut epoch = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = match arg.strip_prefix("--epoch") {
            Some("") => it.next().cloned(),
            Some(v) if v.starts_with('=') => Some(v[1..].to_string()),
            _ => {
                rest.push(arg.clone());
                continue;
            }
        };
        match value.and_then(|v| v.parse::<usize>().ok()) {
            Some(n) => epoch = Some(n),
            None => {
                return Ok(usage_error("argument `--epoch` needs a whole number of epochs (0: the initial weights)"));
            }
        }
    }
    let (spec, _) = match spec_from_args(&rest) {
        Ok(s) => s,
        Err(exit) => return Ok(exit),
    };
    let epoch = epoch.unwrap_or(spec.n_epochs);
    if epoch > spec.n_epochs {
        return Ok(usage_error(&format!(
            "argument `--epoch`: {epoch} is past the run's {} epochs (`--epochs`)",
            spec.n_epochs
        )));
    }
    let mut trainer = match spec.trainer() {
        Ok(t) => t,
        Err(e) => return Ok(spec_error(&e)),
    };
    while trainer.records().len() < epoch && !trainer.state().is_over() {
        trainer.step_epoch();
    }
    let reached = trainer.records().len();
    if reached < epoch {
        eprintln!(
            "hyperlab: the run ended ({}) after epoch {reached}; these are its weights then",
            trainer.state().key()
        );
    }
    let model = trainer.model();
    let sizes = &model.config.sizes;
    let mut start = 0;
    let layers: Vec<serde_json::Value> = sizes
        .windows(2)
        .enumerate()
        .map(|(l, w)| {
            let (n_in, n_out) = (w[0], w[1]);
            let rows: Vec<Vec<f64>> =
                (0..n_out).map(|o| (0..n_in).map(|i| model.weight(l, o, i) as f64).collect()).collect();
            let biases: Vec<f64> =
                model.params[start + n_in * n_out..start + n_in * n_out + n_out].iter().map(|&b| b as f64).collect();
            start += n_in * n_out + n_out;
            serde_json::json!({ "weights": rows, "biases": biases })
        })
        .collect();
    let activations: Vec<&str> = model.config.activations.iter().map(|a| a.key()).collect();
    let doc = serde_json::json!({
        "epoch": reached, "state": trainer.state().key(), "sizes": sizes, "activations": activations,
        "n_params": model.params.len(), "layers": layers,
    });
    let mut out = std::io::stdout().lock();
    say!(out, "{doc}")?;
    Ok(ExitCode::SUCCESS)
}

/// `hyperlab bench [--runs N] [--quick]`: training throughput, natively.
fn bench(args: &[String]) -> Outcome {
    let mut runs = 5;
    let mut quick = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--runs" => match it.next().and_then(|v| v.parse::<usize>().ok()).filter(|&n| n > 0) {
                Some(n) => runs = n,
                None => return Ok(usage_error("argument `--runs` needs a positive whole number")),
            },
            other => return Ok(usage_error(&format!("unknown argument `{other}` for bench"))),
        }
    }
    let digits = hyperlab::experiment::bundled_csv(hyperlab::experiment::DataKind::Digits).expect("built in natively");
    let workloads = match hyperlab::bench::suite(digits, quick) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("hyperlab: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let start = std::time::Instant::now();
    let now_ms = || start.elapsed().as_secs_f64() * 1000.0;
    let mut out = std::io::stdout().lock();
    let results: Vec<_> = workloads.iter().map(|w| w.measure(runs, &now_ms)).collect();
    say!(out, "native ({}), median of {runs} runs\n", std::env::consts::ARCH)?;
    write!(out, "{}", hyperlab::bench::table(&results)).map_err(Unwritable)?;
    // The digits parsed for the suite above, so this table cannot fail on them.
    let diagnostics = hyperlab::bench::diagnostics_table(digits, runs, &now_ms).unwrap_or_else(|e| e);
    write!(out, "\n{diagnostics}").map_err(Unwritable)?;
    write!(out, "\n{}", hyperlab::bench::search_table(&now_ms)).map_err(Unwritable)?;
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("schedule") => schedule(&args[1..]),
        Some("regimes") => regimes(&args[1..]),
        Some("trace") => trace(&args[1..]),
        Some("lrfind") => lrfind(&args[1..]),
        Some("search") => search(&args[1..]),
        Some("weights") => weights(&args[1..]),
        Some("export") => files::export_script(&args[1..]),
        Some("plot") => files::plot(&args[1..]),
        Some("inspect") => own::inspect(&args[1..]),
        Some("-h" | "--help" | "help") => say!(std::io::stdout(), "{}", usage()).map(|()| ExitCode::SUCCESS),
        Some(other) => Ok(command_error(&format!("unknown command `{other}`"))),
        None => Ok(command_error("missing command")),
    };
    outcome.unwrap_or_else(unwritable)
}

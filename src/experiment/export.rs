//! A run's records as the files that leave the lab: the CSV and the JSON
//! lines `hyperlab run` prints, byte for byte, so a download from the page
//! equals the command line's output for the same link.

use super::json::Object;
use crate::engine::train::{EpochRecord, Metric, RunState, Scores};

/// The CSV header: `epoch,lr,train_loss,val_loss,…` for the task's metrics.
pub fn csv_header(metrics: &[Metric]) -> String {
    EpochRecord::csv_header(metrics)
}

/// The comment lines that close a CSV: how the run ended (when not simply
/// finished), after `epochs` records, and the test split's scores.
pub fn csv_closing(state: RunState, epochs: usize, test: Option<&Scores>, metrics: &[Metric]) -> Vec<String> {
    let mut lines = Vec::new();
    match state {
        RunState::Diverged { epoch } => lines.push(format!("# diverged at epoch {epoch}")),
        RunState::Stopped { best_epoch } => {
            lines.push(format!("# stopped early at epoch {epochs}: no improvement since epoch {best_epoch}"))
        }
        RunState::Training | RunState::Finished => {}
    }
    if let Some(t) = test {
        let parts: Vec<String> = metrics.iter().filter_map(|&m| t.get(m).map(|v| format!("{}={v}", m.key()))).collect();
        lines.push(format!("# test: {}", parts.join(",")));
    }
    lines
}

/// The scores of a task's metrics as a JSON object (an inapplicable metric
/// left out, a non-finite value `null`).
pub fn json_scores(s: &Scores) -> String {
    Metric::ALL
        .iter()
        .filter_map(|&m| Some((m, s.get(m)?)))
        .fold(Object::new(), |o, (m, v)| o.number(m.key(), v))
        .write()
}

/// One epoch's record as a JSON object (its line's members).
pub fn json_record_object(r: &EpochRecord) -> Object {
    Object::new()
        .int("epoch", r.epoch)
        .number("lr", r.lr)
        .raw("train", json_scores(&r.train))
        .raw("val", json_scores(&r.val))
}

/// One epoch's record as a JSON line.
pub fn json_record(r: &EpochRecord) -> String {
    json_record_object(r).write()
}

/// The JSON object that closes the records: how the run ended, and the
/// test split's scores.
fn json_closing_object(state: RunState, test: Option<&Scores>) -> Object {
    let kind = Object::new().text("kind", state.key());
    let kind = match state {
        RunState::Stopped { best_epoch } => kind.int("best_epoch", best_epoch),
        RunState::Diverged { epoch } => kind.int("epoch", epoch),
        RunState::Training | RunState::Finished => kind,
    };
    let end = Object::new().raw("state", kind.write());
    match test {
        Some(t) => end.raw("test", json_scores(t)),
        None => end,
    }
}

/// The JSON line that closes the records: how the run ended, and the test
/// split's scores.
pub fn json_closing(state: RunState, test: Option<&Scores>) -> String {
    json_closing_object(state, test).write()
}

/// A whole run as `hyperlab run` prints it: CSV (header, a row per epoch,
/// the closing comments), or JSON lines (`json`). Each line ends in `\n`.
pub fn run_file<'a>(
    records: impl IntoIterator<Item = &'a EpochRecord>,
    state: RunState,
    test: Option<&Scores>,
    metrics: &[Metric],
    json: bool,
) -> String {
    let mut lines = Vec::new();
    if !json {
        lines.push(csv_header(metrics));
    }
    let mut epochs = 0;
    for r in records {
        lines.push(if json { json_record(r) } else { r.csv_row(metrics) });
        epochs += 1;
    }
    if json {
        lines.push(json_closing(state, test));
    } else {
        lines.extend(csv_closing(state, epochs, test, metrics));
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// The header of a search's trials: `trial,<tuned keys>,<metric>,spread,status,epochs`.
pub fn trials_header(keys: &[String], metric: Metric) -> String {
    format!("trial,{},{},spread,status,epochs", keys.join(","), metric.key())
}

/// A scored trial's row.
pub fn trial_scored(id: usize, values: &[String], value: f64, spread: f64, epochs: usize) -> String {
    format!("{id},{},{value},{spread},done,{epochs}", values.join(","))
}

/// A failed trial's row (a comma in the reason becomes a semicolon).
pub fn trial_failed(id: usize, values: &[String], message: &str, epochs: usize) -> String {
    format!("{id},{},,,failed: {},{epochs}", values.join(","), message.replace(',', ";"))
}

/// The comment lines that close a search's trials: the best trial (its
/// tuned values as `key=value`), its score on the test split, its
/// experiment's link and the search's.
pub fn search_closing(
    best: (usize, &[String], f64),
    metric: Metric,
    test: f64,
    experiment: &str,
    search: &str,
) -> Vec<String> {
    let (id, shown, value) = best;
    vec![
        format!("# best: trial {id} ({}) — validation {} {value}", shown.join(" "), metric.key()),
        format!("# test {}: {test} (the best configuration, retrained, on the held-out test split)", metric.key()),
        format!("# experiment: ?{experiment}"),
        format!("# search: ?{search}"),
    ]
}

/// An equal-budget comparison as `hyperlab search … compare=…` prints it:
/// per method and trial, the best score so far (median and quartiles over
/// seeds, in the metric's own order) and the epochs spent.
pub fn comparison_csv(curves: &[crate::experiment::search::MethodCurve], metric: Metric) -> String {
    let mut lines = vec![format!("method,trial,{0}_median,{0}_q25,{0}_q75,epochs_median", metric.key())];
    for c in curves {
        // q25/q75 are the objective's quartiles: for a lower-is-better metric, its upper and lower.
        let (lo, hi) = if metric.higher_is_better() { (&c.q25, &c.q75) } else { (&c.q75, &c.q25) };
        for i in 0..c.median.len() {
            lines.push(format!("{},{},{},{},{},{}", c.method, i + 1, c.median[i], lo[i], hi[i], c.epochs[i]));
        }
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// One kept run for [`kept_csv`] and [`kept_json`]: its name on the page,
/// its experiment's link, its records and how it ended.
pub struct KeptRecords<'a> {
    pub label: &'a str,
    pub query: String,
    /// The metrics of its task (its columns).
    pub metrics: &'a [Metric],
    pub records: Vec<&'a EpochRecord>,
    pub state: RunState,
}

/// A CSV field, quoted where it holds a comma, a quote or a line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

/// The kept runs in one CSV: `run,link,` then `hyperlab run`'s columns, a
/// row per epoch of each run (so the rows of run `k`, less the first two
/// columns, are what `hyperlab run <its link>` prints); how a run ended, when
/// not simply finished, in a closing comment. `None` when the runs' metrics
/// differ (different tasks): their columns do not line up — JSON then.
pub fn kept_csv(runs: &[KeptRecords]) -> Option<String> {
    let metrics = runs.first()?.metrics;
    if runs.iter().any(|r| r.metrics != metrics) {
        return None;
    }
    let mut lines = vec![format!("run,link,{}", csv_header(metrics))];
    for r in runs {
        let (label, link) = (field(r.label), field(&r.query));
        lines.extend(r.records.iter().map(|rec| format!("{label},{link},{}", rec.csv_row(metrics))));
    }
    for r in runs {
        for closing in csv_closing(r.state, r.records.len(), None, metrics) {
            lines.push(format!("# {}: {}", r.label, closing.trim_start_matches("# ")));
        }
    }
    Some(lines.iter().map(|l| format!("{l}\n")).collect())
}

/// The kept runs as JSON lines: each of `hyperlab run --json`'s lines for a
/// run, with its name and link added (`"run"`, `"link"`).
pub fn kept_json(runs: &[KeptRecords]) -> String {
    let mut out = String::new();
    for r in runs {
        let tag = |o: Object| format!("{}\n", o.text("run", r.label).text("link", &r.query).write());
        for rec in &r.records {
            out.push_str(&tag(json_record_object(rec)));
        }
        out.push_str(&tag(json_closing_object(r.state, None)));
    }
    out
}

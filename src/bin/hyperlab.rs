//! `hyperlab`: the command line over the same engine as the page.
//!
//! ```text
//! hyperlab run                      the page's default experiment
//! hyperlab run 'lr=0.3&seed=7'      an experiment as a query string or URL
//! hyperlab run --lr 0.3 --seed 7    the same with flags
//! ```
//! Prints one CSV row per epoch. Bad arguments exit with status 2 and a
//! message naming the argument.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use hyperlab::engine::train::{EpochRecord, RunState};
use hyperlab::experiment::{ExperimentSpec, from_query};

const USAGE: &str = "\
usage: hyperlab run [QUERY_OR_URL] [--lr X] [--seed N] [--epochs N] [--batch-size N]
                    [--hidden 8-8] [--activation tanh|sigmoid|relu|linear]
                    [--points N] [--noise X] [--val-ratio X]

Trains a small MLP on the two-spirals data set and prints one CSV row per epoch:
  epoch,lr,train_loss,val_loss,train_accuracy,val_accuracy
With no experiment given, runs the page's default experiment. A query string
(e.g. 'lr=0.3&seed=7') or a whole lab URL gives the same numbers as the page.";

/// Flag names and the query keys they stand for.
const FLAGS: [(&str, &str); 9] = [
    ("--lr", "lr"),
    ("--seed", "seed"),
    ("--epochs", "ep"),
    ("--batch-size", "bs"),
    ("--hidden", "hidden"),
    ("--activation", "act"),
    ("--points", "n"),
    ("--noise", "noise"),
    ("--val-ratio", "val"),
];

fn usage_error(message: &str) -> ExitCode {
    eprintln!("hyperlab: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

/// Turns the arguments after `run` into one query string.
fn args_to_query(args: &[String]) -> Result<String, String> {
    let mut parts = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if let Some(flag) = arg.strip_prefix("--") {
            let (name, inline) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            let Some((_, key)) = FLAGS.iter().find(|(f, _)| &f[2..] == name) else {
                return Err(format!("unknown argument `--{name}`"));
            };
            let value = match inline {
                Some(v) => v,
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("argument `--{name}` needs a value"))?,
            };
            parts.push(format!("{key}={value}"));
        } else if parts.is_empty() || !arg.contains('=') {
            // A query string or URL: its pairs come first so flags override them.
            let q = arg.split_once('?').map_or(arg.as_str(), |(_, q)| q);
            if !q.contains('=') {
                return Err(format!(
                    "unexpected argument `{arg}`: expected a query string like 'lr=0.1' or a flag"
                ));
            }
            parts.insert(0, q.to_string());
        } else {
            return Err(format!("unexpected argument `{arg}`"));
        }
    }
    Ok(parts.join("&"))
}

fn flag_for_key(key: &str) -> String {
    FLAGS
        .iter()
        .find(|(_, k)| *k == key)
        .map_or_else(|| format!("`{key}`"), |(f, k)| format!("`{f}` (`{k}`)"))
}

fn run(args: &[String]) -> ExitCode {
    let query = match args_to_query(args) {
        Ok(q) => q,
        Err(e) => return usage_error(&e),
    };
    let (spec, notices): (ExperimentSpec, _) = from_query(&query);
    if let Some(n) = notices.first() {
        return usage_error(&format!(
            "invalid argument {}: {}",
            flag_for_key(&n.key),
            n.message
        ));
    }
    let mut trainer = match spec.trainer() {
        Ok(t) => t,
        Err(e) => {
            return usage_error(&format!(
                "invalid argument {}: {}",
                flag_for_key(e.field),
                e.message
            ));
        }
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut write = |line: &str| writeln!(out, "{line}");
    let mut ok = write(EpochRecord::CSV_HEADER).is_ok();
    let mut printed = 0;
    while ok {
        let state = trainer.step_epoch();
        for r in &trainer.records()[printed..] {
            ok &= write(&r.csv_row()).is_ok();
        }
        printed = trainer.records().len();
        match state {
            RunState::Training => {}
            RunState::Finished => break,
            RunState::Diverged { epoch } => {
                let _ = write(&format!("# diverged at epoch {epoch}"));
                let _ = out.flush();
                eprintln!(
                    "hyperlab: diverged at epoch {epoch} (loss not finite or above the bound)"
                );
                return ExitCode::from(1);
            }
        }
    }
    if ok && out.flush().is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command `{other}`")),
        None => usage_error("missing command"),
    }
}

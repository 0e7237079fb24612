//! The user's own data on the command line: `--data-file FILE --target
//! COLUMN` (with `--ignore`, `--missing drop|refuse` and `--task
//! classification|regression`) trains on a CSV file read exactly as the
//! page reads it (`hyperlab::engine::data::table`); `hyperlab inspect FILE`
//! prints what the lab understood of it.

use std::process::ExitCode;

use hyperlab::engine::data::table::{self, MissingRows, ReadOptions, Selection, Table, TaskChoice, Values};
use hyperlab::experiment::{OwnData, OwnRef};

use super::{Outcome, usage_error};

/// The own-data arguments, taken out of a command's arguments.
#[derive(Default)]
pub(super) struct DataFile {
    path: Option<String>,
    target: Option<String>,
    ignore: Vec<String>,
    missing: Option<String>,
    task: Option<String>,
}

const FLAGS: [&str; 5] = ["--data-file", "--target", "--ignore", "--missing", "--task"];

/// Splits `args` into the own-data arguments and the rest.
pub(super) fn take(args: &[String]) -> Result<(DataFile, Vec<String>), String> {
    let mut file = DataFile::default();
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if FLAGS.contains(&n) => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        if !FLAGS.contains(&name) {
            rest.push(arg.clone());
            continue;
        }
        let value = inline.or_else(|| it.next().cloned()).ok_or_else(|| format!("argument `{name}` needs a value"))?;
        match name {
            "--data-file" => file.path = Some(value),
            "--target" => file.target = Some(value),
            "--ignore" => file.ignore.extend(value.split(',').map(str::to_string)),
            "--missing" => file.missing = Some(value),
            _ => file.task = Some(value),
        }
    }
    Ok((file, rest))
}

/// Reads a file as the page does: refused by size first, then read.
fn read(path: &str) -> Result<Table, String> {
    let fail = |e: String| format!("argument `--data-file`: `{path}`: {e}");
    let size = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?.len();
    table::TableReader::check_size(size).map_err(|e| fail(e.to_string()))?;
    let bytes = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    table::read_table(&bytes, ReadOptions::default()).map_err(|e| fail(e.to_string()))
}

impl DataFile {
    /// Whether any own-data argument was given.
    pub(super) fn given(&self) -> bool {
        self.path.is_some()
            || self.target.is_some()
            || !self.ignore.is_empty()
            || self.missing.is_some()
            || self.task.is_some()
    }

    /// The file's data, as the experiment's: `None` when no file was given.
    /// A link that names the user's data (`named`) needs the file, and the
    /// file must give exactly that data (its content hash); its target and
    /// columns left out are the link's unless the flags say otherwise.
    pub(super) fn load(&self, named: Option<&OwnRef>) -> Result<Option<OwnData>, String> {
        let Some(path) = &self.path else {
            // A link that carries its data needs no file.
            if let Some(r) = named.filter(|r| r.csv.is_none()) {
                return Err(format!(
                    "argument `--data-file`: this link trains on a data file (`{}`, data {}): give it with `--data-file`",
                    r.name, r.hash
                ));
            }
            let given = [("--target", self.target.is_some()), ("--ignore", !self.ignore.is_empty())]
                .into_iter()
                .chain([("--missing", self.missing.is_some()), ("--task", self.task.is_some())]);
            return match given.into_iter().find(|g| g.1) {
                Some((flag, _)) => Err(format!("argument `{flag}` needs `--data-file`")),
                None => Ok(None),
            };
        };
        let t = read(path)?;
        let fail = |e: String| format!("argument `--data-file`: `{path}`: {e}");
        let flags = self.target.is_some() || !self.ignore.is_empty() || self.missing.is_some() || self.task.is_some();
        let own = match named {
            Some(r) if !flags => r.make(&t).map_err(fail)?,
            _ => {
                let name = match named {
                    Some(r) => r.name.clone(),
                    None => std::path::Path::new(path)
                        .file_name()
                        .map_or(path.clone(), |n| n.to_string_lossy().into_owned()),
                };
                let own = OwnData::from_table(&name, &t, &self.selection(&t)?).map_err(|e| {
                    let hint = if e.message.contains("missing value") { " (`--missing drop`)" } else { "" };
                    fail(format!("{e}{hint}"))
                })?;
                if let Some(r) = named.filter(|r| r.hash != own.file.hash) {
                    return Err(fail(format!(
                        "these columns give other data than the link's: content hash {}, the link's file is {}",
                        own.file.hash, r.hash
                    )));
                }
                own
            }
        };
        Ok(Some(own))
    }

    /// The columns and choices the flags name in `t`.
    fn selection(&self, t: &Table) -> Result<Selection, String> {
        let target = match &self.target {
            Some(name) => t
                .column(name)
                .ok_or_else(|| format!("argument `--target`: no column `{name}` (the columns: {})", names(t)))?,
            None => {
                return Err(format!("argument `--target`: which column is the target? (the columns: {})", names(t)));
            }
        };
        let mut ignored = Vec::new();
        for name in &self.ignore {
            ignored.push(t.column(name).ok_or_else(|| format!("argument `--ignore`: no column `{name}`"))?);
        }
        let missing = match self.missing.as_deref() {
            None | Some("refuse") => MissingRows::Refuse,
            Some("drop") => MissingRows::Drop,
            Some(v) => return Err(format!("argument `--missing`: `{v}`: expected drop or refuse")),
        };
        let task = self.task.as_deref().map_or(Some(TaskChoice::Auto), TaskChoice::from_key).ok_or_else(|| {
            format!(
                "argument `--task`: `{}`: expected classification or regression",
                self.task.as_deref().unwrap_or("")
            )
        })?;
        Ok(Selection { target, ignored, missing, task })
    }
}

fn names(t: &Table) -> String {
    t.columns.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ")
}

/// `hyperlab inspect FILE [--target COLUMN]`: what the lab reads in a CSV
/// file — its delimiter, header, rows and each column's type and missing
/// values — and, with a target, the task and classes it would train on.
pub(super) fn inspect(args: &[String]) -> Outcome {
    let (file, rest) = match take(args) {
        Ok(t) => t,
        Err(e) => return Ok(usage_error(&e)),
    };
    let path = match (file.path.clone(), rest.as_slice()) {
        (Some(p), []) => p,
        (None, [p]) => p.clone(),
        _ => return Ok(usage_error("`inspect` needs one file: `hyperlab inspect FILE [--target COLUMN]`")),
    };
    let t = match read(&path) {
        Ok(t) => t,
        Err(e) => return Ok(usage_error(&e)),
    };
    let delimiter = match t.delimiter {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    };
    println!(
        "{path}: {} rows, {} columns, {delimiter}-separated, {}",
        t.n_rows,
        t.columns.len(),
        if t.header { "with a header" } else { "no header" }
    );
    for (i, c) in t.columns.iter().enumerate() {
        let kind = match &c.values {
            Values::Numbers(_) => "numbers".to_string(),
            Values::Text { levels, .. } => format!("text, {} distinct", levels.len()),
        };
        let missing = if c.missing > 0 {
            format!(", {} missing (first at line {})", c.missing, c.first_missing.unwrap_or(0))
        } else {
            String::new()
        };
        println!("  {}. {}: {kind}{missing}", i + 1, c.name);
    }
    if file.target.is_some() {
        let data = DataFile { path: Some(path), ..file };
        match data.load(None) {
            Ok(Some(own)) => {
                let task = match own.data.task {
                    hyperlab::engine::data::Task::Regression => "regression".to_string(),
                    hyperlab::engine::data::Task::Classification { n_classes } => {
                        format!("classification, {n_classes} classes: {}", own.classes.join(", "))
                    }
                };
                println!(
                    "target: {task}; {} examples of {} features; data {}",
                    own.data.len(),
                    own.data.n_features,
                    own.file.hash
                );
            }
            Ok(None) => {}
            Err(e) => return Ok(usage_error(&e)),
        }
    }
    Ok(ExitCode::SUCCESS)
}

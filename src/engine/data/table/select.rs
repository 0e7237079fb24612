//! A table made a data set: the target chosen, columns left out, rows that
//! miss a value dropped or refused, classification or regression decided;
//! and the data's content hash.

use super::{MANY, MAX_CLASSES, MAX_LEVELS, MIN_ROWS, Table, TableError, Values, error};
use crate::engine::data::{Dataset, Task};

/// What to do with rows that miss a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingRows {
    Drop,
    Refuse,
}

/// Classification or regression: decided from the target, or chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TaskChoice {
    #[default]
    Auto,
    Classification,
    Regression,
}

impl TaskChoice {
    /// Its name in a link and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            TaskChoice::Auto => "auto",
            TaskChoice::Classification => "classification",
            TaskChoice::Regression => "regression",
        }
    }

    pub fn from_key(key: &str) -> Option<TaskChoice> {
        [TaskChoice::Auto, TaskChoice::Classification, TaskChoice::Regression].into_iter().find(|t| t.key() == key)
    }
}

/// How a table becomes a data set.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    /// The target's column (from 0).
    pub target: usize,
    /// Columns left out (text columns must be).
    pub ignored: Vec<usize>,
    pub missing: MissingRows,
    pub task: TaskChoice,
}

/// The data set made of a table, and what was understood.
#[derive(Clone, Debug, PartialEq)]
pub struct TableData {
    pub data: Dataset,
    /// The feature columns' names, in order.
    pub features: Vec<String>,
    /// The classes' names (classification), in class order.
    pub classes: Vec<String>,
    /// Rows dropped for a missing value.
    pub dropped: usize,
}

/// Most distinct whole numbers a numeric target may have to be read as classes.
const AUTO_CLASSES: usize = 20;

impl Table {
    /// The column named `name`, or numbered `name` (from 1).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .or_else(|| name.parse::<usize>().ok().filter(|&i| i >= 1 && i <= self.columns.len()).map(|i| i - 1))
    }

    /// Whether a target column would be read as classes (`Auto`).
    pub fn looks_like_classes(&self, target: usize) -> bool {
        match self.columns.get(target).map(|c| &c.values) {
            Some(Values::Text { .. }) => true,
            Some(Values::Numbers(v)) => {
                let present = v.iter().copied().filter(|x| !x.is_nan());
                present.clone().all(|x| x.fract() == 0.0)
                    && (2..=AUTO_CLASSES).contains(&distinct_values(present, AUTO_CLASSES).len())
            }
            None => false,
        }
    }

    /// The data set: the chosen target, every other column not ignored as
    /// a feature (numbers, as `f32`).
    pub fn dataset(&self, s: &Selection) -> Result<TableData, TableError> {
        let target = self.columns.get(s.target).ok_or_else(|| error(None, None, "no such target column"))?;
        let feature_cols: Vec<usize> =
            (0..self.columns.len()).filter(|&c| c != s.target && !s.ignored.contains(&c)).collect();
        if feature_cols.is_empty() {
            return Err(error(None, None, "no feature column: keep at least one column besides the target"));
        }
        for &c in &feature_cols {
            if let Some((line, text)) = &self.columns[c].first_text {
                return Err(error(
                    Some(*line),
                    Some(c + 1),
                    format!(
                        "column `{}` holds text (`{text}`): the lab trains on numbers; leave the column out or write it as numbers",
                        self.columns[c].name
                    ),
                ));
            }
        }
        let classify = match s.task {
            TaskChoice::Auto => self.looks_like_classes(s.target),
            TaskChoice::Classification => true,
            TaskChoice::Regression => {
                if let Some((line, text)) = &target.first_text {
                    return Err(error(
                        Some(*line),
                        Some(s.target + 1),
                        format!("the target `{}` holds text (`{text}`): a regression needs numbers", target.name),
                    ));
                }
                false
            }
        };
        let missing_at = |r: usize, c: usize| match &self.columns[c].values {
            Values::Numbers(v) => v[r].is_nan(),
            Values::Text { codes, .. } => codes[r] == u32::MAX,
        };
        let mut rows = Vec::with_capacity(self.n_rows);
        for r in 0..self.n_rows {
            let gap = feature_cols.iter().chain([&s.target]).find(|&&c| missing_at(r, c));
            match (gap, s.missing) {
                (Some(&c), MissingRows::Refuse) => {
                    return Err(error(
                        Some(self.lines[r]),
                        Some(c + 1),
                        format!(
                            "a missing value in `{}`: fill it, or drop the rows that miss one",
                            self.columns[c].name
                        ),
                    ));
                }
                (Some(_), MissingRows::Drop) => {}
                (None, _) => rows.push(r),
            }
        }
        let dropped = self.n_rows - rows.len();
        if rows.len() < MIN_ROWS {
            return Err(error(
                None,
                None,
                format!("{} complete rows: the lab needs at least {MIN_ROWS} examples", rows.len()),
            ));
        }
        // The classes: text levels or distinct numbers, sorted (numbers as numbers).
        let (y, classes, task) = if classify {
            let (labels, names): (Vec<usize>, Vec<String>) = match &target.values {
                Values::Text { levels, codes } => {
                    if rows.iter().any(|&r| codes[r] == MANY) {
                        return Err(error(
                            None,
                            Some(s.target + 1),
                            format!(
                                "the target `{}` has over {MAX_LEVELS} distinct values: at most {MAX_CLASSES} classes",
                                target.name
                            ),
                        ));
                    }
                    // The codes present, then put in their texts' order (sorting
                    // every row's code took 14–27 ms for 190 000 rows in the page).
                    let mut seen = vec![false; levels.len()];
                    let mut order: Vec<u32> = Vec::new();
                    for &r in &rows {
                        if let Some(seen) = seen.get_mut(codes[r] as usize).filter(|s| !**s) {
                            *seen = true;
                            order.push(codes[r]);
                        }
                    }
                    crate::engine::sort::sort_by(&mut order, |a, b| levels[*a as usize].cmp(&levels[*b as usize]));
                    let names: Vec<String> = order.iter().map(|&k| levels[k as usize].clone()).collect();
                    let labels = rows.iter().map(|&r| order.iter().position(|&k| k == codes[r]).unwrap_or(0)).collect();
                    (labels, names)
                }
                Values::Numbers(v) => {
                    let mut distinct = distinct_values(rows.iter().map(|&r| v[r]), MAX_CLASSES);
                    if distinct.len() > MAX_CLASSES {
                        // Too many for classes: all of them counted, for the message.
                        distinct = rows.iter().map(|&r| v[r]).collect();
                        crate::engine::sort::sort_by(&mut distinct, f64::total_cmp);
                        distinct.dedup();
                        return Err(error(
                            None,
                            Some(s.target + 1),
                            format!(
                                "the target `{}` has {} distinct values: at most {MAX_CLASSES} classes (or choose regression)",
                                target.name,
                                distinct.len()
                            ),
                        ));
                    }
                    let names = distinct.iter().map(|d| format!("{d}")).collect();
                    let labels = rows.iter().map(|&r| distinct.iter().position(|&d| d == v[r]).unwrap_or(0)).collect();
                    (labels, names)
                }
            };
            if names.len() < 2 {
                return Err(error(
                    None,
                    Some(s.target + 1),
                    format!("the target `{}` has one class only", target.name),
                ));
            }
            if names.len() > MAX_CLASSES {
                return Err(error(
                    None,
                    Some(s.target + 1),
                    format!("the target `{}` has {} classes: at most {MAX_CLASSES}", target.name, names.len()),
                ));
            }
            let n = names.len();
            (labels.into_iter().map(|l| l as f32).collect(), names, Task::Classification { n_classes: n })
        } else {
            let Values::Numbers(v) = &target.values else {
                return Err(error(None, Some(s.target + 1), "a regression needs a numeric target"));
            };
            (rows.iter().map(|&r| v[r] as f32).collect(), Vec::new(), Task::Regression)
        };
        let mut x = Vec::with_capacity(rows.len() * feature_cols.len());
        for &r in &rows {
            for &c in &feature_cols {
                if let Values::Numbers(v) = &self.columns[c].values {
                    x.push(v[r] as f32);
                }
            }
        }
        let data = Dataset { n_features: feature_cols.len(), x, y, task };
        let features = feature_cols.iter().map(|&c| self.columns[c].name.clone()).collect();
        Ok(TableData { data, features, classes, dropped })
    }
}

/// The distinct values (`==`: −0 and 0 are one, kept as −0) in `total_cmp`
/// order, as sorting them all and removing repeats gives them, collected
/// without sorting every value; it stops past `most` distinct ones.
fn distinct_values(values: impl Iterator<Item = f64>, most: usize) -> Vec<f64> {
    let mut distinct: Vec<f64> = Vec::new();
    for x in values {
        if let Some(d) = distinct.iter_mut().find(|d| **d == x) {
            if x.total_cmp(d).is_lt() {
                *d = x;
            }
        } else if distinct.len() > most {
            break;
        } else {
            distinct.push(x);
        }
    }
    crate::engine::sort::sort_by(&mut distinct, f64::total_cmp);
    distinct
}

/// A data set's content hash: 16 hex digits of FNV-1a over its shape, task,
/// features and targets (bit patterns), naming it in links and storage.
pub fn content_hash(data: &Dataset) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat(&(data.n_features as u64).to_le_bytes());
    eat(&(data.task.n_classes() as u64).to_le_bytes());
    for v in data.x.iter().chain(&data.y) {
        eat(&v.to_bits().to_le_bytes());
    }
    format!("{h:016x}")
}

//! A user's CSV file read into a table, then into a data set: the
//! delimiter (comma, semicolon or tab) detected, quoted fields (a quote
//! doubled inside one), an optional header, a byte-order mark, each
//! column's type (numbers or text), missing values found. Read in pieces
//! ([`TableReader::push`]) so the page reads a large file without a long
//! task and refuses one too large early; every error names its line and
//! column, and nothing in a file can make the reader panic or allocate
//! past the limits.

use std::collections::HashMap;

use super::{Dataset, Task};

/// The largest file the lab reads: above, it is refused before it is read.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
/// The most rows (examples) and columns, and the most cells in all: what a
/// browser trains in reasonable time (an epoch of 200 000 examples through
/// a small network takes about a second).
pub const MAX_ROWS: usize = 200_000;
pub const MAX_COLUMNS: usize = 1_000;
pub const MAX_CELLS: usize = 4_000_000;
/// The longest field: a longer one is no number or class name.
pub const MAX_FIELD: usize = 200;
/// The most classes of a classification target.
pub const MAX_CLASSES: usize = 100;
/// The fewest examples the lab trains on.
pub const MIN_ROWS: usize = 10;

/// What went wrong, and where: `line` (from 1) and `column` (from 1) in the
/// file, when the problem has a place.
#[derive(Clone, Debug, PartialEq)]
pub struct TableError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for TableError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            (Some(l), None) => write!(f, "line {l}: {}", self.message),
            _ => write!(f, "{}", self.message),
        }
    }
}

fn error(line: Option<usize>, column: Option<usize>, message: impl Into<String>) -> TableError {
    TableError { line, column, message: message.into() }
}

/// How to read the file; `None`: detect.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ReadOptions {
    pub delimiter: Option<u8>,
    pub header: Option<bool>,
}

/// A column's values: numbers (`NaN` where missing) or text (each row's
/// index into `levels`, `u32::MAX` where missing).
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    Numbers(Vec<f64>),
    Text { levels: Vec<String>, codes: Vec<u32> },
}

/// A column of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The header's name, or `column N`.
    pub name: String,
    pub values: Values,
    /// Missing fields, and the line of the first.
    pub missing: usize,
    pub first_missing: Option<usize>,
    /// For a text column: the line and text of its first field that is no number.
    pub first_text: Option<(usize, String)>,
}

impl Column {
    pub fn is_numeric(&self) -> bool {
        matches!(self.values, Values::Numbers(_))
    }
}

/// A file read: its columns, the delimiter and whether it had a header.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub delimiter: u8,
    pub header: bool,
    pub columns: Vec<Column>,
    pub n_rows: usize,
    /// Each row's line in the file.
    pub lines: Vec<usize>,
}

/// The spellings of a missing value (besides an empty field), in any case.
const MISSING: [&str; 4] = ["na", "n/a", "null", "?"];

fn is_missing(field: &str) -> bool {
    field.is_empty() || MISSING.iter().any(|m| field.eq_ignore_ascii_case(m))
}

/// A field as a number: `1.5`, `-2e3`, and with a semicolon delimiter a
/// decimal comma (`1,5`). `NaN` and infinities are no numbers here.
fn number(field: &str, delimiter: u8) -> Option<f64> {
    // Rust reads "inf", "NaN", "infinity": a table means text or a mistake by them.
    if field.bytes().any(|b| b.is_ascii_alphabetic() && !matches!(b, b'e' | b'E')) {
        return None;
    }
    field.parse::<f64>().ok().or_else(|| {
        (delimiter == b';' && field.matches(',').count() == 1)
            .then(|| field.replacen(',', ".", 1).parse::<f64>().ok())
            .flatten()
    })
}

/// `NaN`, `inf`, `-Infinity`: what a program writes for no finite number.
fn non_finite_word(field: &str) -> bool {
    let f = field.trim_start_matches(['+', '-']).to_ascii_lowercase();
    matches!(f.as_str(), "nan" | "inf" | "infinity")
}

/// Reads a CSV file piece by piece.
pub struct TableReader {
    options: ReadOptions,
    bytes_seen: usize,
    started: bool,
    /// The first line, kept until its end settles the delimiter, and
    /// whether a quote is open in it.
    head: Vec<u8>,
    head_quoted: bool,
    delimiter: Option<u8>,
    /// The line being read (from 1), and where the current record began.
    line: usize,
    record_line: usize,
    /// Inside a quoted field: the line and column it opened at.
    quote: Option<(usize, usize)>,
    field: Vec<u8>,
    /// A quoted field has just closed: a quote next is a doubled one, else
    /// only spaces, the delimiter or the line's end may follow.
    closed: bool,
    record: Vec<String>,
    /// The first two records, until the header question is settled.
    first: Vec<(usize, Vec<String>)>,
    builder: Option<Builder>,
}

/// The table as it grows, once its shape is known.
struct Builder {
    delimiter: u8,
    header: bool,
    names: Vec<String>,
    columns: Vec<ColumnBuilder>,
    lines: Vec<usize>,
}

/// A text column as it grows: its distinct values, their index, each row's.
type TextColumn = (Vec<String>, HashMap<String, u32>, Vec<u32>);

struct ColumnBuilder {
    numbers: Vec<f64>,
    /// Set when a field is no number: from then on, text.
    text: Option<TextColumn>,
    /// Each field as written, while still numbers (to turn into text).
    raw: Vec<String>,
    missing: usize,
    first_missing: Option<usize>,
    first_text: Option<(usize, String)>,
}

impl ColumnBuilder {
    fn new() -> ColumnBuilder {
        ColumnBuilder {
            numbers: Vec::new(),
            text: None,
            raw: Vec::new(),
            missing: 0,
            first_missing: None,
            first_text: None,
        }
    }

    fn push(&mut self, field: &str, line: usize, column: usize, delimiter: u8) -> Result<(), TableError> {
        let missing = is_missing(field);
        if missing {
            self.missing += 1;
            self.first_missing.get_or_insert(line);
        }
        if self.text.is_none() && non_finite_word(field) {
            return Err(error(
                Some(line),
                Some(column),
                format!("`{field}` is not a number the lab can train on: leave the field empty to mark it missing"),
            ));
        }
        let value = if missing { None } else { number(field, delimiter) };
        if value.is_some_and(|v| v.abs() > f64::from(f32::MAX)) {
            return Err(error(Some(line), Some(column), format!("`{field}` is too large for the lab's numbers")));
        }
        match (&mut self.text, value) {
            (None, Some(v)) => {
                self.numbers.push(v);
                self.raw.push(field.to_string());
            }
            (None, None) if missing => {
                self.numbers.push(f64::NAN);
                self.raw.push(String::new());
            }
            (None, None) => {
                // The first text: the column becomes text, its numbers written as they were.
                self.first_text = Some((line, field.chars().take(40).collect()));
                let mut levels = Vec::new();
                let mut index = HashMap::new();
                let mut codes = Vec::with_capacity(self.raw.len() + 1);
                for r in std::mem::take(&mut self.raw) {
                    codes.push(if r.is_empty() { u32::MAX } else { intern(&mut levels, &mut index, r) });
                }
                codes.push(intern(&mut levels, &mut index, field.to_string()));
                self.numbers = Vec::new();
                self.text = Some((levels, index, codes));
            }
            (Some((levels, index, codes)), _) => {
                codes.push(if missing { u32::MAX } else { intern(levels, index, field.to_string()) });
            }
        }
        Ok(())
    }

    fn finish(self, name: String) -> Column {
        let values = match self.text {
            Some((levels, _, codes)) => Values::Text { levels, codes },
            None => Values::Numbers(self.numbers),
        };
        Column { name, values, missing: self.missing, first_missing: self.first_missing, first_text: self.first_text }
    }
}

fn intern(levels: &mut Vec<String>, index: &mut HashMap<String, u32>, s: String) -> u32 {
    if let Some(&k) = index.get(&s) {
        return k;
    }
    let k = levels.len() as u32;
    index.insert(s.clone(), k);
    levels.push(s);
    k
}

impl Default for TableReader {
    fn default() -> Self {
        TableReader::new(ReadOptions::default())
    }
}

impl TableReader {
    pub fn new(options: ReadOptions) -> TableReader {
        TableReader {
            options,
            bytes_seen: 0,
            started: false,
            head: Vec::new(),
            head_quoted: false,
            delimiter: options.delimiter,
            line: 1,
            record_line: 1,
            quote: None,
            field: Vec::new(),
            closed: false,
            record: Vec::new(),
            first: Vec::new(),
            builder: None,
        }
    }

    /// Refuses a file of `size` bytes before reading it, if it is too large.
    pub fn check_size(size: u64) -> Result<(), TableError> {
        if size > MAX_BYTES as u64 {
            return Err(error(
                None,
                None,
                format!(
                    "the file has {:.1} MB; the lab reads files up to {} MB ({MAX_ROWS} rows, {MAX_COLUMNS} columns)",
                    size as f64 / 1e6,
                    MAX_BYTES / (1024 * 1024),
                ),
            ));
        }
        Ok(())
    }

    /// Reads the next piece of the file.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), TableError> {
        self.bytes_seen = self.bytes_seen.saturating_add(bytes.len());
        TableReader::check_size(self.bytes_seen as u64)?;
        let mut bytes = bytes;
        if !self.started && !bytes.is_empty() {
            self.started = true;
            // A byte-order mark is no data. (A piece that splits the mark is not a case: pieces are large.)
            if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
                bytes = rest;
            }
            if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
                return Err(error(Some(1), None, "the file is UTF-16 text: save it as UTF-8 (\"CSV UTF-8\")"));
            }
        }
        for &b in bytes {
            if b == 0 {
                return Err(error(
                    Some(self.line),
                    None,
                    "the file is not text (it holds a zero byte): choose a CSV file",
                ));
            }
            if self.delimiter.is_some() {
                self.byte(b)?;
                continue;
            }
            // The first line is kept whole: its delimiter is the candidate it holds most of, outside quotes.
            if self.head.len() >= MAX_FIELD * MAX_COLUMNS {
                return Err(error(Some(1), None, "the first line is too long to be a table's"));
            }
            self.head.push(b);
            match b {
                b'"' => self.head_quoted = !self.head_quoted,
                b'\n' if !self.head_quoted => self.settle_delimiter()?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Settles the delimiter from the first line and reads it.
    fn settle_delimiter(&mut self) -> Result<(), TableError> {
        let mut quoted = false;
        let mut counts = [0usize; 3];
        for &b in &self.head {
            match b {
                b'"' => quoted = !quoted,
                b',' if !quoted => counts[0] += 1,
                b';' if !quoted => counts[1] += 1,
                b'\t' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
        // A semicolon whenever there is one: files that use it write decimal commas.
        let [commas, semicolons, tabs] = counts;
        self.delimiter = Some(if semicolons > 0 {
            b';'
        } else if tabs > 0 && tabs >= commas {
            b'\t'
        } else {
            b','
        });
        for b in std::mem::take(&mut self.head) {
            self.byte(b)?;
        }
        Ok(())
    }

    fn byte(&mut self, b: u8) -> Result<(), TableError> {
        if self.quote.is_some() {
            if b == b'"' {
                // A closing quote, or the first of a doubled one (the next byte says).
                self.quote = None;
                self.closed = true;
                return Ok(());
            }
            if b == b'\n' {
                self.line += 1;
            }
            return self.keep(b);
        }
        if self.closed && b == b'"' {
            // `""` inside a quoted field: one quote, and still inside.
            self.closed = false;
            self.quote = Some((self.line, self.record.len() + 1));
            return self.keep(b'"');
        }
        match b {
            b'\n' => {
                self.end_field()?;
                self.end_record()?;
                self.line += 1;
                self.record_line = self.line;
            }
            b'\r' => {}
            _ if Some(b) == self.delimiter => self.end_field()?,
            b' ' if self.closed => {}
            b'"' if self.field.iter().all(|c| *c == b' ') && !self.closed => {
                self.field.clear();
                self.quote = Some((self.line, self.record.len() + 1));
            }
            _ if self.closed => {
                return Err(error(
                    Some(self.line),
                    Some(self.record.len() + 1),
                    "text after a closing quote: a quote inside a quoted field is written twice (\"\")",
                ));
            }
            _ => self.keep(b)?,
        }
        Ok(())
    }

    fn keep(&mut self, b: u8) -> Result<(), TableError> {
        if self.field.len() >= MAX_FIELD {
            return Err(error(
                Some(self.line),
                Some(self.record.len() + 1),
                format!("a field longer than {MAX_FIELD} characters: this does not look like a table of numbers"),
            ));
        }
        self.field.push(b);
        Ok(())
    }

    fn end_field(&mut self) -> Result<(), TableError> {
        let field = std::mem::take(&mut self.field);
        self.closed = false;
        let text = String::from_utf8(field).map_err(|_| {
            error(
                Some(self.line),
                Some(self.record.len() + 1),
                "this is not UTF-8 text: save the file as \"CSV UTF-8\"",
            )
        })?;
        if self.record.len() >= MAX_COLUMNS {
            return Err(error(
                Some(self.record_line),
                None,
                format!("more than {MAX_COLUMNS} columns: the lab trains on at most {MAX_COLUMNS} features"),
            ));
        }
        self.record.push(text.trim().to_string());
        Ok(())
    }

    fn end_record(&mut self) -> Result<(), TableError> {
        let record = std::mem::take(&mut self.record);
        if record.len() == 1 && record[0].is_empty() {
            return Ok(()); // a blank line
        }
        let line = self.record_line;
        if self.builder.is_none() {
            self.first.push((line, record));
            if self.first.len() == 2 {
                self.settle()?;
            }
            return Ok(());
        }
        self.row(line, record)
    }

    /// Decides the header from the first two records and starts the table.
    fn settle(&mut self) -> Result<(), TableError> {
        let delimiter = self.delimiter.unwrap_or(b',');
        let first = std::mem::take(&mut self.first);
        let header = self.options.header.unwrap_or_else(|| {
            let text = |f: &String| !is_missing(f) && number(f, delimiter).is_none();
            match first.as_slice() {
                [(_, a), (_, b)] => {
                    a.iter().all(text) || a.iter().zip(b).any(|(x, y)| text(x) && !text(y) && !is_missing(y))
                }
                [(_, a)] => a.iter().all(text),
                _ => false,
            }
        });
        let Some((_, names_or_row)) = first.first() else { return Ok(()) };
        let width = names_or_row.len();
        let names = if header {
            names_or_row
                .iter()
                .enumerate()
                .map(|(i, n)| if n.is_empty() { format!("column {}", i + 1) } else { n.clone() })
                .collect()
        } else {
            (1..=width).map(|i| format!("column {i}")).collect()
        };
        self.builder = Some(Builder {
            delimiter,
            header,
            names,
            columns: (0..width).map(|_| ColumnBuilder::new()).collect(),
            lines: Vec::new(),
        });
        let rows = if header { &first[1..] } else { &first[..] };
        for (line, record) in rows.iter().cloned() {
            self.row(line, record)?;
        }
        Ok(())
    }

    fn row(&mut self, line: usize, record: Vec<String>) -> Result<(), TableError> {
        let Some(b) = self.builder.as_mut() else { return Ok(()) };
        if record.len() != b.columns.len() {
            let what = if b.header { "the header has" } else { "the first row has" };
            return Err(error(
                Some(line),
                None,
                format!(
                    "{} field{}; {what} {}",
                    record.len(),
                    if record.len() == 1 { "" } else { "s" },
                    b.columns.len()
                ),
            ));
        }
        if b.lines.len() >= MAX_ROWS {
            return Err(error(
                Some(line),
                None,
                format!("more than {MAX_ROWS} rows: the lab trains on at most {MAX_ROWS} examples"),
            ));
        }
        if (b.lines.len() + 1).saturating_mul(b.columns.len()) > MAX_CELLS {
            return Err(error(
                Some(line),
                None,
                format!("more than {MAX_CELLS} values: fewer rows or fewer columns, please"),
            ));
        }
        for (c, field) in record.iter().enumerate() {
            b.columns[c].push(field, line, c + 1, b.delimiter)?;
        }
        b.lines.push(line);
        Ok(())
    }

    /// The table, once the whole file has been pushed.
    pub fn finish(mut self) -> Result<Table, TableError> {
        if self.delimiter.is_none() {
            if self.head_quoted {
                return Err(error(Some(1), None, "a quote opened on this line is never closed"));
            }
            self.settle_delimiter()?;
        }
        if let Some((line, column)) = self.quote {
            return Err(error(Some(line), Some(column), "a quote opened here is never closed"));
        }
        if !self.field.is_empty() || !self.record.is_empty() || self.closed {
            self.end_field()?;
            self.end_record()?;
        }
        if self.builder.is_none() {
            if self.first.is_empty() {
                return Err(error(None, None, "the file is empty"));
            }
            self.settle()?;
        }
        let Some(b) = self.builder else { return Err(error(None, None, "the file is empty")) };
        if b.lines.is_empty() {
            return Err(error(None, None, "the file has a header but no rows"));
        }
        if b.columns.len() < 2 {
            let d = match b.delimiter {
                b';' => "semicolons",
                b'\t' => "tabs",
                _ => "commas",
            };
            return Err(error(
                Some(1),
                None,
                format!(
                    "one column: a table needs features and a target, separated by commas, semicolons or tabs (read with {d})"
                ),
            ));
        }
        let n_rows = b.lines.len();
        let columns = b.columns.into_iter().zip(b.names).map(|(c, n)| c.finish(n)).collect();
        Ok(Table { delimiter: b.delimiter, header: b.header, columns, n_rows, lines: b.lines })
    }
}

/// Reads a whole file at once.
pub fn read_table(bytes: &[u8], options: ReadOptions) -> Result<Table, TableError> {
    TableReader::check_size(bytes.len() as u64)?;
    let mut reader = TableReader::new(options);
    reader.push(bytes)?;
    reader.finish()
}

/// What to do with rows that miss a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingRows {
    Drop,
    Refuse,
}

/// Classification or regression: decided from the target, or chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskChoice {
    Auto,
    Classification,
    Regression,
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
                let mut distinct: Vec<f64> = Vec::new();
                for &x in v.iter().filter(|x| !x.is_nan()) {
                    if x.fract() != 0.0 {
                        return false;
                    }
                    if !distinct.contains(&x) {
                        if distinct.len() == AUTO_CLASSES {
                            return false;
                        }
                        distinct.push(x);
                    }
                }
                distinct.len() >= 2
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
                    let mut order: Vec<u32> = rows.iter().map(|&r| codes[r]).collect();
                    order.sort_by(|a, b| levels[*a as usize].cmp(&levels[*b as usize]));
                    order.dedup();
                    let names: Vec<String> = order.iter().map(|&k| levels[k as usize].clone()).collect();
                    let labels = rows.iter().map(|&r| order.iter().position(|&k| k == codes[r]).unwrap_or(0)).collect();
                    (labels, names)
                }
                Values::Numbers(v) => {
                    let mut distinct: Vec<f64> = rows.iter().map(|&r| v[r]).collect();
                    distinct.sort_by(f64::total_cmp);
                    distinct.dedup();
                    if distinct.len() > MAX_CLASSES {
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

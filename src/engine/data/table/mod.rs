//! A user's CSV file read into a table, then into a data set: the
//! delimiter (comma, semicolon or tab) detected, quoted fields (a quote
//! doubled inside one), an optional header, a byte-order mark, each
//! column's type (numbers or text), missing values found. Read in pieces
//! ([`TableReader::push`]) so the page reads a large file without a long
//! task and refuses one too large early; every error names its line and
//! column, and nothing in a file can make the reader panic or allocate
//! past the limits. `select.rs` makes the data set of a chosen target.

mod select;

pub use select::{MissingRows, Selection, TableData, TaskChoice, content_hash};
use std::collections::HashMap;

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
/// The most distinct values a text column keeps: past them (a column of
/// names or ids, no class) its further values are [`MANY`], so a hostile
/// file's memory stays bounded.
pub const MAX_LEVELS: usize = 200;
/// A text value past [`MAX_LEVELS`] distinct ones; `u32::MAX` is missing.
pub const MANY: u32 = u32::MAX - 1;
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
/// index into `levels`, `u32::MAX` where missing, [`MANY`] past the
/// distinct values kept).
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
    missing: usize,
    first_missing: Option<usize>,
    first_text: Option<(usize, String)>,
}

impl ColumnBuilder {
    fn new() -> ColumnBuilder {
        ColumnBuilder { numbers: Vec::new(), text: None, missing: 0, first_missing: None, first_text: None }
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
            (None, Some(v)) => self.numbers.push(v),
            (None, None) if missing => self.numbers.push(f64::NAN),
            (None, None) => {
                // The first text: the column becomes text, its numbers written out (`1`, `2.5`).
                self.first_text = Some((line, field.chars().take(40).collect()));
                let mut levels = Vec::new();
                let mut index = HashMap::new();
                let mut codes = Vec::with_capacity(self.numbers.len() + 1);
                for &v in &self.numbers {
                    codes.push(if v.is_nan() { u32::MAX } else { intern(&mut levels, &mut index, format!("{v}")) });
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
    if levels.len() >= MAX_LEVELS {
        return MANY;
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

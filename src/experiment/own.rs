//! The user's own data: what a link says of them ([`OwnRef`]), the data
//! themselves as the experiment holds them ([`OwnData`]), what the browser
//! keeps of them, and the small CSV text a link carries when asked.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::data::table::{
    MissingRows, ReadOptions, Selection, Table, TableData, TableError, TaskChoice, content_hash, read_table,
};
use crate::engine::data::{Dataset, Plane, Task};

/// What a link on the user's data says where the data are not at hand
/// (the page then asks for the file; the command line for `--data-file`).
pub const FILE_NOT_LOADED: &str = "this link uses a data file that is not loaded here";

/// How a link names the user's data: by its content hash, with what makes
/// it again from the file (the target and the columns left out by name, the
/// task if it was chosen) — and, when the user asked, the data themselves
/// as a small CSV text (`csv=`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnRef {
    /// [`crate::engine::data::table::content_hash`] of the data.
    pub hash: String,
    /// The file's name, for titles and for the one who must find it (`my data.csv`).
    pub name: String,
    /// The target column's name.
    pub target: String,
    /// The columns left out, by name.
    pub ignore: Vec<String>,
    pub task: TaskChoice,
    /// The data as CSV text, when they travel in the link ([`OwnData::embedded`]).
    pub csv: Option<String>,
}

/// The user's own data: a CSV file read by the lab (`engine::data::table`),
/// named by its content hash.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(from = "OwnDataWire", into = "OwnDataWire")]
pub struct OwnData {
    /// What a link says of it.
    pub file: OwnRef,
    /// The feature columns' names, and the classes' (classification).
    pub features: Vec<String>,
    pub classes: Vec<String>,
    pub data: Arc<Dataset>,
    /// The square around the data's first two inputs (`Plane::around`),
    /// found once when they are made: what the data view shows and where
    /// the 2-D features read them.
    pub plane: Plane,
}

/// Two runs on the same data have the same hash: what is compared.
impl PartialEq for OwnData {
    fn eq(&self, other: &OwnData) -> bool {
        self.file == other.file && self.features == other.features
    }
}

#[derive(Clone, Serialize, Deserialize)]
struct OwnDataWire {
    file: OwnRef,
    features: Vec<String>,
    classes: Vec<String>,
    n_features: usize,
    x: Vec<f32>,
    y: Vec<f32>,
    task: Task,
}

impl From<OwnDataWire> for OwnData {
    fn from(w: OwnDataWire) -> OwnData {
        let data = Dataset { n_features: w.n_features, x: w.x, y: w.y, task: w.task };
        OwnData::new(w.file, w.features, w.classes, data)
    }
}

impl From<OwnData> for OwnDataWire {
    fn from(o: OwnData) -> OwnDataWire {
        let d = Arc::unwrap_or_clone(o.data);
        OwnDataWire {
            file: o.file,
            features: o.features,
            classes: o.classes,
            n_features: d.n_features,
            x: d.x,
            y: d.y,
            task: d.task,
        }
    }
}

impl OwnData {
    fn new(file: OwnRef, features: Vec<String>, classes: Vec<String>, data: Dataset) -> OwnData {
        OwnData { file, features, classes, plane: Plane::around(&data), data: Arc::new(data) }
    }

    /// The data set the file `name`, read as `table`, gives for `selection`
    /// — what the page's preview and the command line's flags make — or why
    /// not (with its line and column).
    pub fn from_table(name: &str, table: &Table, selection: &Selection) -> Result<OwnData, TableError> {
        Ok(OwnData::from_made(name, table, selection, table.dataset(selection)?))
    }

    /// The second half of [`OwnData::from_table`]: the data `made` from
    /// `table` for `selection`, named by their content hash (the page makes
    /// and names a large file's data in two tasks).
    pub fn from_made(name: &str, table: &Table, selection: &Selection, made: TableData) -> OwnData {
        let column = |i: usize| table.columns.get(i).map_or_else(String::new, |c| c.name.clone());
        let file = OwnRef {
            hash: content_hash(&made.data),
            name: name.to_string(),
            target: column(selection.target),
            ignore: selection.ignored.iter().map(|&i| column(i)).collect(),
            task: selection.task,
            csv: None,
        };
        OwnData::new(file, made.features, made.classes, made.data)
    }
}

impl OwnData {
    /// The bytes the browser keeps it as (postcard).
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Data read back from the browser's storage — input from outside, so
    /// its shape is checked against the reader's limits and its content
    /// against its hash before anything uses it.
    pub fn from_bytes(bytes: &[u8]) -> Result<OwnData, String> {
        use crate::engine::data::table::{MAX_CELLS, MAX_CLASSES, MAX_COLUMNS, MAX_ROWS};
        let w: OwnDataWire = postcard::from_bytes(bytes).map_err(|e| format!("unreadable ({e})"))?;
        let rows = w.y.len();
        let classes = w.task.n_classes();
        let fits = (1..=MAX_COLUMNS).contains(&w.n_features)
            && (1..=MAX_ROWS).contains(&rows)
            && w.x.len() == rows * w.n_features
            && w.x.len() <= MAX_CELLS
            && w.features.len() == w.n_features
            && classes <= MAX_CLASSES
            && (classes == 0 || w.classes.len() == classes)
            && w.y.iter().all(|&y| {
                if classes == 0 { y.is_finite() } else { y >= 0.0 && y.fract() == 0.0 && (y as usize) < classes }
            })
            && w.x.iter().all(|v| v.is_finite());
        if !fits {
            return Err("its shape is not one the lab reads".into());
        }
        let own = OwnData::from(w);
        let d = &own.data;
        if content_hash(d) != own.file.hash {
            return Err("its content does not match its hash".into());
        }
        Ok(own)
    }
}

impl OwnRef {
    /// The data this names, made again from the file read as `table`: the
    /// same columns chosen by name, rows missing a value dropped (a run that
    /// refused them had none). Refused when a column is not in the file, or
    /// the data made differ from the link's (another file, or an edited one).
    pub fn make(&self, table: &Table) -> Result<OwnData, String> {
        let selection = self.selection_in(table)?;
        self.accept(OwnData::from_table(&self.name, table, &selection).map_err(|e| e.to_string())?)
    }

    /// The choices this names, found in the file read as `table` (the
    /// first step of [`OwnRef::make`]; the page takes the steps in
    /// separate tasks).
    pub fn selection_in(&self, table: &Table) -> Result<Selection, String> {
        let column = |name: &str| {
            table.columns.iter().position(|c| c.name == name).ok_or_else(|| format!("this file has no column `{name}`"))
        };
        let target = column(&self.target)?;
        let ignored = self.ignore.iter().map(|n| column(n)).collect::<Result<Vec<_>, _>>()?;
        Ok(Selection { target, ignored, missing: MissingRows::Drop, task: self.task })
    }

    /// `own`, made from a file for [`OwnRef::selection_in`], if it is the
    /// data this names (the same content hash); the last step of
    /// [`OwnRef::make`].
    pub fn accept(&self, own: OwnData) -> Result<OwnData, String> {
        if own.file.hash != self.hash {
            return Err(format!(
                "this file's data are not the link's: its content hash is {}, the link's file is {}",
                own.file.hash, self.hash
            ));
        }
        Ok(own)
    }
}

/// The most CSV text a link carries (`csv=`): a few hundred examples of a
/// few features.
pub const MAX_EMBEDDED: usize = 64 * 1024;

/// A CSV field, quoted when it must be.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) || text.trim() != text || text.is_empty() {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The shortest decimal that reads back (through the reader's f64) to
/// exactly `v`.
fn number(v: f32) -> String {
    let short = v.to_string();
    if short.parse::<f64>().is_ok_and(|d| d as f32 == v) { short } else { f64::from(v).to_string() }
}

impl OwnData {
    /// The same data, carried by their link: a CSV text of the features and
    /// the target (each value the shortest decimal that reads back to the
    /// same bits; classes by name), read again by the same reader and
    /// checked by the same hash when the link is opened. Refused past
    /// [`MAX_EMBEDDED`] characters.
    pub fn embedded(&self) -> Result<OwnData, String> {
        let d = &self.data;
        let mut text = String::new();
        let header: Vec<String> = self.features.iter().chain([&self.file.target]).map(|n| field(n)).collect();
        text.push_str(&header.join(","));
        text.push('\n');
        for i in 0..d.len() {
            for v in d.features(i) {
                text.push_str(&number(*v));
                text.push(',');
            }
            match d.task {
                Task::Classification { .. } => text.push_str(&field(&self.classes[d.y[i] as usize])),
                Task::Regression => text.push_str(&number(d.y[i])),
            }
            text.push('\n');
            if text.len() > MAX_EMBEDDED {
                break;
            }
        }
        if text.len() > MAX_EMBEDDED {
            return Err(format!(
                "{} examples of {} features are too many to travel in a link (at most {} KB of text): \
                 the link names the file instead",
                d.len(),
                d.n_features,
                MAX_EMBEDDED / 1024
            ));
        }
        let file = OwnRef { ignore: Vec::new(), csv: Some(text), ..self.file.clone() };
        Ok(OwnData { file, ..self.clone() })
    }

    /// The same data, named by their link but not carried.
    pub fn named(&self) -> OwnData {
        OwnData { file: OwnRef { csv: None, ..self.file.clone() }, ..self.clone() }
    }
}

impl OwnRef {
    /// The data the link carries (`csv=`), read and checked like a file
    /// given for it; `None` when it carries none.
    pub fn carried(&self) -> Option<Result<OwnData, String>> {
        let text = self.csv.as_ref()?;
        let made = read_table(text.as_bytes(), ReadOptions::default())
            .map_err(|e| e.to_string())
            .and_then(|table| self.make(&table));
        Some(made.map(|own| OwnData { file: self.clone(), ..own }))
    }
}

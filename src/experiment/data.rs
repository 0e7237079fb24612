//! The data sets an experiment names (`data=`), their generators' settings,
//! and the bundled files.

use serde::{Deserialize, Serialize};

use super::drawn::{self, DrawnPoint};
use super::own::OwnData;
use crate::engine::data::bundled::parse_csv;
pub use crate::engine::data::generators::Curve;
use crate::engine::data::{Dataset, GenConfig, Plane, SpiralConfig, Task, two_spirals};

/// Which data set, and its generator's settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataSpec {
    pub kind: DataKind,
    /// Points per class (classification) or points (regression); generated sets only.
    pub n_per_class: usize,
    /// Noise, relative to the data's unit scale; generated sets only.
    pub noise: f64,
    /// Share of class 1 among all points (binary generated sets): 0.5 is balanced.
    pub minority: f64,
    /// Classes of the Gaussian blobs.
    pub classes: usize,
    /// Share of regression targets replaced by outliers.
    pub outliers: f64,
    /// The curve of the boundary set.
    pub curve: Curve,
    /// The user's own data (`kind` is then [`DataKind::Own`]).
    pub own: Option<OwnData>,
    /// Points drawn by hand (`kind` is then [`DataKind::Drawn`]).
    pub drawn: Vec<DrawnPoint>,
}

/// The data sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// Two interleaved spirals (binary).
    Spiral,
    /// A disc inside a ring (binary).
    Circle,
    /// The four quadrants of XOR (binary).
    Xor,
    /// Two interleaved half moons (binary).
    Moons,
    /// Gaussian blobs, one per class (multi-class).
    Blobs,
    /// `0.8·sin(πx)` (1-D regression).
    Sine,
    /// A tilted plane over the square (2-D regression).
    Plane,
    /// Ten inputs, five of them rarely non-zero (regression).
    Sparse,
    /// Fisher's Iris: 150 flowers, 4 measurements, 3 species.
    Iris,
    /// Wine recognition: 178 wines, 13 chemical measurements, 3 cultivars.
    Wine,
    /// Breast Cancer Wisconsin (diagnostic): 569 samples, 30 features, 2 classes.
    BreastCancer,
    /// Handwritten digits: 1797 images of 8×8 pixels, 10 classes.
    Digits,
    /// A boundary you define: the plane divided by a curve (binary).
    Boundary,
    /// The user's own data ([`DataSpec::own`]), named by a link's `file=`.
    Own,
    /// Points drawn by hand on the data view ([`DataSpec::drawn`], a link's `pts=`).
    Drawn,
}

impl DataKind {
    pub const ALL: [DataKind; 13] = [
        DataKind::Spiral,
        DataKind::Circle,
        DataKind::Xor,
        DataKind::Moons,
        DataKind::Boundary,
        DataKind::Blobs,
        DataKind::Sine,
        DataKind::Plane,
        DataKind::Sparse,
        DataKind::Iris,
        DataKind::Wine,
        DataKind::BreastCancer,
        DataKind::Digits,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DataKind::Spiral => "spiral",
            DataKind::Circle => "circle",
            DataKind::Xor => "xor",
            DataKind::Moons => "moons",
            DataKind::Blobs => "blobs",
            DataKind::Sine => "sine",
            DataKind::Plane => "plane",
            DataKind::Sparse => "sparse",
            DataKind::Iris => "iris",
            DataKind::Wine => "wine",
            DataKind::BreastCancer => "breast_cancer",
            DataKind::Digits => "digits",
            DataKind::Boundary => "boundary",
            DataKind::Own => "own",
            DataKind::Drawn => "drawn",
        }
    }

    /// The data set a link's `data=` names (`own` is the codec's: it needs the file).
    pub fn from_key(key: &str) -> Option<DataKind> {
        DataKind::ALL.into_iter().chain([DataKind::Drawn]).find(|d| d.key() == key)
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            DataKind::Spiral => "two spirals",
            DataKind::Circle => "circle",
            DataKind::Xor => "XOR",
            DataKind::Moons => "two moons",
            DataKind::Blobs => "Gaussian blobs",
            DataKind::Sine => "sine (regression)",
            DataKind::Plane => "plane (regression)",
            DataKind::Sparse => "sparse features (regression)",
            DataKind::Iris => "Iris",
            DataKind::Wine => "Wine",
            DataKind::BreastCancer => "Breast Cancer Wisconsin",
            DataKind::Digits => "handwritten digits (8×8)",
            DataKind::Boundary => "a boundary you define",
            DataKind::Own => "your data",
            DataKind::Drawn => "your drawing",
        }
    }

    /// The file under `static/data/` of a bundled real data set.
    pub fn bundled_file(self) -> Option<&'static str> {
        match self {
            DataKind::Iris => Some("iris.csv"),
            DataKind::Wine => Some("wine.csv"),
            DataKind::BreastCancer => Some("breast_cancer.csv"),
            DataKind::Digits => Some("digits.csv"),
            _ => None,
        }
    }

    /// Raw inputs per example.
    pub fn n_inputs(self) -> usize {
        match self {
            DataKind::Sine => 1,
            DataKind::Sparse => 10,
            DataKind::Iris => 4,
            DataKind::Wine => 13,
            DataKind::BreastCancer => 30,
            DataKind::Digits => 64,
            _ => 2,
        }
    }

    /// The name of raw input `i` of a bundled set, as scikit-learn names its
    /// columns (digits: the pixel's row and column, from 1), or of the
    /// sparse set (`dense 1` … `dense 5`, `rare 1` … `rare 5`).
    pub fn input_name(self, i: usize) -> Option<String> {
        const IRIS: [&str; 4] = ["sepal length", "sepal width", "petal length", "petal width"];
        const WINE: [&str; 13] = [
            "alcohol",
            "malic acid",
            "ash",
            "alcalinity of ash",
            "magnesium",
            "total phenols",
            "flavanoids",
            "nonflavanoid phenols",
            "proanthocyanins",
            "colour intensity",
            "hue",
            "OD280/OD315 of diluted wines",
            "proline",
        ];
        const CANCER: [&str; 10] = [
            "radius",
            "texture",
            "perimeter",
            "area",
            "smoothness",
            "compactness",
            "concavity",
            "concave points",
            "symmetry",
            "fractal dimension",
        ];
        match self {
            DataKind::Iris => IRIS.get(i).map(|s| s.to_string()),
            DataKind::Wine => WINE.get(i).map(|s| s.to_string()),
            DataKind::BreastCancer if i < 30 => {
                let name = CANCER[i % 10];
                Some(match i / 10 {
                    0 => format!("mean {name}"),
                    1 => format!("{name} error"),
                    _ => format!("worst {name}"),
                })
            }
            DataKind::Digits if i < 64 => Some(format!("pixel row {}, col {}", i / 8 + 1, i % 8 + 1)),
            DataKind::Sparse if i < 5 => Some(format!("dense {}", i + 1)),
            DataKind::Sparse if i < 10 => Some(format!("rare {}", i - 4)),
            _ => None,
        }
    }

    /// The name of class `c`, where the data set names its classes (the
    /// bundled files' headers: `tests/datasets.rs` checks them); `None`
    /// where a number is its name.
    pub fn class_name(self, c: usize) -> Option<&'static str> {
        match self {
            DataKind::Iris => ["setosa", "versicolor", "virginica"].get(c).copied(),
            DataKind::BreastCancer => ["malignant", "benign"].get(c).copied(),
            _ => None,
        }
    }

    /// Examples in a bundled set (None for generated ones).
    pub fn bundled_size(self) -> Option<usize> {
        match self {
            DataKind::Iris => Some(150),
            DataKind::Wine => Some(178),
            DataKind::BreastCancer => Some(569),
            DataKind::Digits => Some(1797),
            _ => None,
        }
    }

    pub fn is_binary_generated(self) -> bool {
        matches!(self, DataKind::Spiral | DataKind::Circle | DataKind::Xor | DataKind::Moons | DataKind::Boundary)
    }
}

impl Default for DataSpec {
    fn default() -> Self {
        let s = SpiralConfig::default();
        Self {
            kind: DataKind::Spiral,
            n_per_class: s.n_per_class,
            noise: s.noise,
            minority: 0.5,
            classes: 3,
            outliers: 0.0,
            curve: Curve::default(),
            own: None,
            drawn: Vec::new(),
        }
    }
}

impl DataSpec {
    /// The user's data, as an experiment's data.
    pub fn own(own: OwnData) -> DataSpec {
        DataSpec { kind: DataKind::Own, own: Some(own), ..DataSpec::default() }
    }

    /// A name for people: the data set's, or the user's file's.
    pub fn label(&self) -> &str {
        match &self.own {
            Some(o) => &o.file.name,
            None => self.kind.label(),
        }
    }

    /// Raw inputs per example.
    pub fn n_inputs(&self) -> usize {
        if self.kind == DataKind::Drawn && drawn::is_regression(&self.drawn) {
            return 1;
        }
        self.own.as_ref().map_or(self.kind.n_inputs(), |o| o.data.n_features)
    }

    /// The name of raw input `i`, when the data names it.
    pub fn input_name(&self, i: usize) -> Option<String> {
        match &self.own {
            Some(o) => o.features.get(i).cloned(),
            None => self.kind.input_name(i),
        }
    }

    /// The name of class `c`: the user's, a bundled set's, or its number.
    pub fn class_name(&self, c: usize) -> String {
        match &self.own {
            Some(o) => o.classes.get(c).cloned(),
            None => self.kind.class_name(c).map(str::to_string),
        }
        .unwrap_or_else(|| c.to_string())
    }

    /// Generated by the lab (its size, noise and balance are settings), not
    /// a real data set (bundled or the user's).
    pub fn is_generated(&self) -> bool {
        !matches!(self.kind, DataKind::Own | DataKind::Drawn) && self.kind.bundled_file().is_none()
    }

    /// A real data set (bundled or the user's file): standardised by default.
    pub fn is_real(&self) -> bool {
        self.kind == DataKind::Own || self.kind.bundled_file().is_some()
    }

    /// The part of the input plane the data view shows: the generated sets'
    /// square, or the square around the user's data.
    pub fn plane(&self) -> Plane {
        match &self.own {
            Some(o) if o.data.n_features <= 2 => o.plane,
            _ => Plane::STANDARD,
        }
    }

    /// Examples of a real data set (bundled or the user's); `None` for generated ones.
    pub fn real_size(&self) -> Option<usize> {
        if self.kind == DataKind::Drawn {
            return Some(self.drawn.len());
        }
        self.own.as_ref().map(|o| o.data.len()).or(self.kind.bundled_size())
    }

    pub fn task(&self) -> Task {
        if let Some(o) = &self.own {
            return o.data.task;
        }
        match self.kind {
            DataKind::Sine | DataKind::Plane | DataKind::Sparse => Task::Regression,
            DataKind::Blobs => Task::Classification { n_classes: self.classes },
            DataKind::Iris | DataKind::Wine => Task::Classification { n_classes: 3 },
            DataKind::Digits => Task::Classification { n_classes: 10 },
            DataKind::Drawn if drawn::is_regression(&self.drawn) => Task::Regression,
            DataKind::Drawn => Task::Classification { n_classes: drawn::n_classes(&self.drawn) },
            _ => Task::Classification { n_classes: 2 },
        }
    }

    /// Examples in the whole data set.
    pub fn n_total(&self) -> usize {
        self.real_size().unwrap_or(match self.task() {
            Task::Regression => self.n_per_class,
            Task::Classification { n_classes } => n_classes * self.n_per_class,
        })
    }

    /// Generates the data (generated kinds), or parses `bundled_csv` (bundled kinds).
    pub fn generate(&self, seed: u64, text: Option<&str>) -> Result<Dataset, String> {
        use crate::engine::data::generators as g;
        let cfg = GenConfig {
            n: self.n_per_class,
            noise: self.noise,
            minority: self.minority,
            classes: self.classes,
            outliers: self.outliers,
        };
        Ok(match self.kind {
            DataKind::Own => match &self.own {
                Some(o) => (*o.data).clone(),
                None => return Err("your data file is not loaded".into()),
            },
            DataKind::Spiral if self.minority == 0.5 => {
                two_spirals(&SpiralConfig { n_per_class: self.n_per_class, noise: self.noise }, seed)
            }
            DataKind::Spiral => imbalance(
                two_spirals(&SpiralConfig { n_per_class: 2 * self.n_per_class, noise: self.noise }, seed),
                &cfg,
            ),
            DataKind::Circle => g::circle(&cfg, seed),
            DataKind::Xor => g::xor(&cfg, seed),
            DataKind::Moons => g::moons(&cfg, seed),
            DataKind::Boundary => g::boundary(&cfg, self.curve, seed),
            DataKind::Drawn => drawn::dataset(&self.drawn),
            DataKind::Blobs => g::blobs(&cfg, seed),
            DataKind::Sine => g::sine(&cfg, seed),
            DataKind::Plane => g::plane(&cfg, seed),
            DataKind::Sparse => g::sparse(&cfg, seed),
            kind => {
                let file = kind.bundled_file().unwrap_or("?");
                let text = text.or(bundled_csv(kind)).ok_or_else(|| format!("the data file {file} is not loaded"))?;
                parse_csv(text).map_err(|e| format!("{file}: {e}"))?
            }
        })
    }
}

/// The spiral with `minority`: keep the first points of each arm (the
/// generator made twice as many as needed), so the arms stay whole spirals.
fn imbalance(data: Dataset, cfg: &GenConfig) -> Dataset {
    let total = 2 * cfg.n;
    let n1 = ((total as f64 * cfg.minority).round() as usize).clamp(2, total - 2);
    let keep = [total - n1, n1];
    let per_arm = data.len() / 2;
    let idx: Vec<usize> = (0..2).flat_map(|c| (0..keep[c]).map(move |i| c * per_arm + i * per_arm / keep[c])).collect();
    data.select(&idx)
}

/// The bundled data files, built into native programs (the page fetches them).
#[cfg(not(target_arch = "wasm32"))]
pub fn bundled_csv(kind: DataKind) -> Option<&'static str> {
    match kind {
        DataKind::Iris => Some(include_str!("../../static/data/iris.csv")),
        DataKind::Wine => Some(include_str!("../../static/data/wine.csv")),
        DataKind::BreastCancer => Some(include_str!("../../static/data/breast_cancer.csv")),
        DataKind::Digits => Some(include_str!("../../static/data/digits.csv")),
        _ => None,
    }
}

/// In the browser the bundled files are fetched, not built in.
#[cfg(target_arch = "wasm32")]
pub fn bundled_csv(_kind: DataKind) -> Option<&'static str> {
    None
}

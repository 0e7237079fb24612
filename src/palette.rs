//! The lab's colours by role, and the names shown with them, in one place:
//! a colour means one thing across the page.
//!
//! - Blue is training (and class 1, a positive weight or value); orange is
//!   validation (and class 0, a negative one). Nothing else uses them.
//! - Green marks the best (the best trial, the best so far).
//! - Everything that is one of several things — kept runs, optimizers in
//!   the race, search methods in a comparison — takes a colour from
//!   [`SERIES`], which holds neither blue nor orange nor green's role and
//!   no light yellow (it vanishes on white). An optimizer and a search
//!   method keep their colour wherever they appear.

pub type Rgb = (u8, u8, u8);

pub const TRAINING: Rgb = (16, 100, 170);
pub const VALIDATION: Rgb = (230, 120, 20);
/// The best trial, the best score so far.
pub const BEST: Rgb = (0, 150, 90);
/// Each trial of a search (a neutral slate).
pub const TRIAL: Rgb = (84, 96, 120);
/// Secondary lines (a generation's median).
pub const MUTED: Rgb = (130, 136, 146);
/// What a model believes: a surrogate's prediction and its band, TPE's
/// density of the good trials.
pub const BELIEF: Rgb = (117, 112, 179);

/// Colours for one of several things (kept runs): distinct under the
/// common forms of colour blindness (from Okabe–Ito and Tol's muted
/// scheme), dark enough to read on white, and none of the roles above.
pub const SERIES: [Rgb; 8] = [
    (204, 121, 167), // reddish purple
    (86, 180, 233),  // sky blue
    (51, 34, 136),   // indigo
    (166, 118, 29),  // ochre
    (136, 34, 85),   // wine
    (90, 90, 90),    // grey
    (117, 112, 179), // violet
    (0, 0, 0),       // black
];

pub fn series(i: usize) -> Rgb {
    SERIES[i % SERIES.len()]
}

/// Each optimizer's colour, by the name the page shows (the race, its legend).
const OPTIMIZERS: [(&str, Rgb); 8] = [
    ("SGD", (0, 0, 0)),
    ("momentum", (86, 180, 233)),
    ("Nesterov", (117, 112, 179)),
    ("Adagrad", (166, 118, 29)),
    ("Adadelta", (136, 34, 85)),
    ("RMSprop", (204, 121, 167)),
    ("Adam", (51, 34, 136)),
    ("AdamW", (90, 90, 90)),
];

/// An optimizer's colour, by its name (`SGD`, `momentum`, `Adam`, …; a name
/// the lab does not list gets grey).
pub fn optimizer(name: &str) -> Rgb {
    OPTIMIZERS.iter().find(|(o, _)| o.eq_ignore_ascii_case(name)).map_or((90, 90, 90), |(_, c)| *c)
}

/// The search methods: URL key, the name the page's buttons say, colour.
const METHODS: [(&str, &str, Rgb); 8] = [
    ("you", "you (by hand)", (213, 94, 0)),
    ("grid", "grid", (166, 118, 29)),
    ("random", "random", (86, 180, 233)),
    ("genetic", "genetic", (136, 34, 85)),
    ("bayes", "Bayesian", (51, 34, 136)),
    ("tpe", "TPE", (204, 121, 167)),
    ("halving", "successive halving", (117, 112, 179)),
    ("hyperband", "Hyperband", (0, 0, 0)),
];

/// A search method's name as the page's buttons say it, from its URL key.
pub fn method_name(key: &str) -> &str {
    METHODS.iter().find(|(k, ..)| *k == key).map_or(key, |(_, name, _)| name)
}

/// A search method's colour, from its URL key.
pub fn method(key: &str) -> Rgb {
    METHODS.iter().find(|(k, ..)| *k == key).map_or((90, 90, 90), |(.., c)| *c)
}

/// The range test's suggestions, first and second: told apart on the chart
/// and in the list.
pub const SUGGESTIONS: [Rgb; 2] = [(51, 34, 136), (166, 118, 29)];

/// `rgb(r,g,b)` for CSS and the canvas.
pub fn css((r, g, b): Rgb) -> String {
    format!("rgb({r},{g},{b})")
}

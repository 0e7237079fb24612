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
/// Text and the network's units.
pub const INK: Rgb = (40, 44, 52);
/// Secondary lines (a generation's median).
pub const MUTED: Rgb = (130, 136, 146);
/// What a model believes: a surrogate's prediction and its band (TPE's
/// density of the good trials is drawn in [`BEST`]'s green).
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

/// Colours of classes 0, 1, 2, …: blue–orange for two classes (as the rest of
/// the lab), then the Okabe–Ito palette, distinct under colour blindness.
pub fn class(class: usize, n_classes: usize) -> Rgb {
    const OKABE_ITO: [Rgb; 8] = [
        (230, 159, 0),
        (86, 180, 233),
        (0, 158, 115),
        (204, 121, 167),
        (0, 114, 178),
        (213, 94, 0),
        (240, 228, 66),
        (90, 90, 90),
    ];
    if n_classes <= 2 { if class == 0 { VALIDATION } else { TRAINING } } else { OKABE_ITO[class % OKABE_ITO.len()] }
}

/// The colour of weight layer `l` of `n`: viridis from the first hidden
/// layer (dark) to the output layer (light), so depth reads as lightness.
pub fn layer(l: usize, n: usize) -> Rgb {
    let t = if n <= 1 { 0.0 } else { 0.85 * l as f64 / (n - 1) as f64 };
    let [r, g, b] = viridis(t);
    (r, g, b)
}

/// The name of weight layer `l` (0-based) of `n`.
pub fn layer_name(l: usize, n: usize) -> String {
    if l + 1 == n { "output".into() } else { format!("layer {}", l + 1) }
}

/// Viridis for values in `[0, 1]`: perceptually uniform, readable in grey and
/// under colour blindness, and never white, so points show on it.
pub fn viridis(t: f64) -> [u8; 3] {
    const STOPS: [[f64; 3]; 5] =
        [[68.0, 1.0, 84.0], [59.0, 82.0, 139.0], [33.0, 145.0, 140.0], [94.0, 201.0, 98.0], [253.0, 231.0, 37.0]];
    let x = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let c = |k: usize| (STOPS[i][k] + (STOPS[i + 1][k] - STOPS[i][k]) * f).round() as u8;
    [c(0), c(1), c(2)]
}

/// A colour mixed toward white: `weight` 0 is white, 1 the colour.
pub fn tint((r, g, b): Rgb, weight: f64) -> [u8; 3] {
    let mix = |c: u8| (255.0 + (c as f64 - 255.0) * weight).round() as u8;
    [mix(r), mix(g), mix(b)]
}

/// `rgb(r,g,b)` for CSS and the canvas.
pub fn css((r, g, b): Rgb) -> String {
    format!("rgb({r},{g},{b})")
}

// Hostile links, made from every documented key (docs/url-format.md) and
// pushed through everything a link reaches before anyone trains: decoding,
// validation, the schedule's plan, the race, the sizes of the data and the
// network, and a search's preparation and first asks. Used natively
// (tests/hostile_links.rs, with a training mini-batch too) and in wasm in
// Chromium (tests/wasm.rs), where `usize` is 32 bits: the two must agree to
// the bit, which `arithmetic`'s digest checks.

use hyperlab::engine::rng::Rng;
use hyperlab::engine::search::{Ask, Method, Study};
use hyperlab::experiment::search::{SEARCH_KEYS, SHAPE_KEYS, prepare, search_from_query, trial_spec};
use hyperlab::experiment::{ExperimentSpec, lab_from_query, limits, to_query};

/// The schedules the links name, in a fixed order (as [`KEYS`]).
const SCHEDULES: [&str; 15] = [
    "constant",
    "time",
    "step",
    "multistep",
    "exp_course",
    "exp",
    "inverse_time",
    "poly",
    "cosine",
    "restarts",
    "cyclic",
    "cyclic2",
    "cyclic_exp",
    "onecycle",
    "plateau",
];

/// The keys the links are made of: the link format's as of 2026-11-30, in a
/// fixed order, so that a key added to the table does not change the links
/// generated (and the pinned digest). `tests/url_format.rs` checks each is
/// still a key.
pub const KEYS: [&str; 74] = [
    "v", "seed", "data", "n", "noise", "minority", "classes", "outliers", "val", "test", "feat", "poly", "std",
    "hidden", "act", "init", "drop", "loss", "huber", "opt", "mom", "damp", "nesterov", "wd", "lrd", "acc0", "eps",
    "rho", "alpha", "centered", "b1", "b2", "amsgrad", "lr", "bs", "ep", "l1", "clip", "es", "esm", "esd", "sched",
    "decay", "start", "every", "rate", "ms", "gamma", "steps", "stair", "total", "power", "tmax", "lrmin", "t0",
    "tmult", "up", "down", "pct", "div", "fdiv", "anneal", "factor", "pat", "thr", "cool", "wu", "wus", "lrc", "surf",
    "x0", "y0", "rsteps", "runs",
];

/// Values that break naive code: numbers at every edge, non-numbers,
/// broken escapes, long and empty text.
const HOSTILE: [&str; 44] = [
    "",
    "-",
    "0",
    "-0",
    "1",
    "-1",
    "2",
    "3.5",
    "0.5",
    "1e9",
    "1e10",
    "4294967295",
    "4294967296",
    "65536",
    "1000000",
    "1000001",
    "18446744073709551616",
    "99999999999999999999999",
    "1e308",
    "-1e308",
    "1e-320",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "0x10",
    "1_000",
    "%",
    "%zz",
    "%ff%fe",
    "%00",
    "+",
    "é",
    "\u{0}",
    "none",
    "raw",
    "true",
    "1:2:3",
    "100:0.1,50:0.2",
    "0:0",
    "~",
    "%26v%3D1",
    "2147483648",
];

/// Plausible values, so that links also get past the first check.
fn plausible(key: &str, rng: &mut Rng) -> String {
    let pick = |rng: &mut Rng, options: &[&str]| options[rng.below(options.len())].to_string();
    match key {
        "data" => pick(
            rng,
            &["spiral", "circle", "xor", "moons", "blobs", "sine", "plane", "sparse", "iris", "wine", "digits"],
        ),
        "opt" => pick(rng, &["sgd", "adagrad", "adadelta", "rmsprop", "adam", "adamw"]),
        "sched" => pick(rng, &SCHEDULES),
        "act" => pick(rng, &["relu", "tanh", "sigmoid", "relu-tanh", "gelu-elu-linear", "leaky_relu"]),
        "init" => pick(rng, &["glorot_uniform", "he_normal", "uniform:10", "uniform:0", "zeros", "lecun_normal"]),
        "hidden" => pick(rng, &["8-8", "256-256-256-256-256-256-256-256", "1", "none", "300", "4-4-4-4-4-4-4-4-4"]),
        "feat" => pick(rng, &["x1-x2-x1sq-x2sq-x1x2-sin1-sin2-cos1-cos2", "x1x2", "raw", "sin1"]),
        "loss" => pick(rng, &["mse", "mae", "huber"]),
        "esm" | "smetric" => pick(rng, &["loss", "accuracy", "roc_auc", "r2", "f1"]),
        "surf" => pick(rng, &["bowl", "ravine", "rosenbrock", "beale", "saddle", "himmelblau"]),
        "anneal" => pick(rng, &["cos", "linear"]),
        "ms" => pick(rng, &["150-300", "1-2-3", "300-150", "0-1000000"]),
        "lrc" => pick(rng, &["120:0.01,300:1e-3", "1:100", "5:0", "100000:1"]),
        "search" | "inner" => pick(rng, &["grid", "random", "genetic", "bayes", "tpe", "halving", "hyperband"]),
        "compare" => pick(rng, &["grid,random", "grid,random,genetic,bayes,tpe,halving,hyperband", "bayes"]),
        "space" => space(rng),
        "runs" => runs(rng),
        "seed" | "sseed" => rng.next_u64().to_string(),
        // libm, not std: the same numbers natively and in wasm.
        "lr" | "lrmin" | "wd" | "l1" | "decay" => format!("{:e}", libm::pow(10.0, rng.uniform_in(-8.0, 3.0))),
        "ep" | "es" | "wu" | "t0" | "tmult" | "up" | "down" | "total" | "tmax" | "every" | "steps" | "start"
        | "pat" | "cool" | "trials" | "rsteps" | "n" | "bs" | "pop" | "minep" => {
            (rng.below(4) as u64 * 10u64.pow(rng.below(7) as u32) + rng.below(3) as u64).to_string()
        }
        _ => format!("{}", rng.uniform_in(-0.5, 1.5)),
    }
}

/// A search space of one to six items, with extreme bounds and grid levels,
/// over any key (valid or not), sometimes broken.
fn space(rng: &mut Rng) -> String {
    let keys: Vec<&str> = KEYS.iter().chain(SHAPE_KEYS.iter()).copied().collect();
    let bounds = ["0", "1", "-1", "1e-9", "1e9", "1000000000", "-1000000000", "0.5", "256", "8", "100000", "1e308"];
    let items: Vec<String> = (0..1 + rng.below(6))
        .map(|_| {
            let key = keys[rng.below(keys.len())];
            let (lo, hi) = (bounds[rng.below(bounds.len())], bounds[rng.below(bounds.len())]);
            let levels = ["", ":1", ":4", ":50", ":51", ":0", ":x"][rng.below(7)];
            match rng.below(7) {
                0 => format!("{key}:real:{lo}:{hi}{levels}"),
                1 => format!("{key}:log:{lo}:{hi}{levels}"),
                2 => format!("{key}:int:{lo}:{hi}{levels}"),
                3 => format!("{key}:logint:{lo}:{hi}{levels}"),
                4 => format!(
                    "{key}:choice:{}",
                    (0..1 + rng.below(5)).map(|_| bounds[rng.below(bounds.len())]).collect::<Vec<_>>().join("|")
                ),
                5 => format!("{key}:choice:sgd|adam|relu|8-8|"),
                _ => format!("{key}:{lo}"),
            }
        })
        .collect();
    items.join(",")
}

/// Compared runs: up to 14 sub-links, percent-encoded, joined by `~`.
fn runs(rng: &mut Rng) -> String {
    (0..rng.below(15))
        .map(|_| {
            let sub = pairs(rng, 0);
            sub.replace('%', "%25").replace('&', "%26").replace('=', "%3D").replace('~', "%7E")
        })
        .collect::<Vec<_>>()
        .join("~")
}

/// `key=value` pairs: documented keys (experiment and search), unknown
/// ones, repeats; values plausible or hostile.
fn pairs(rng: &mut Rng, depth: usize) -> String {
    let n = match rng.below(20) {
        0 => 250, // past the cap on pairs
        1 => 0,
        _ => 1 + rng.below(12),
    };
    let mut out: Vec<String> = Vec::with_capacity(n);
    for _ in 0..n {
        let key = match rng.below(10) {
            0 => SEARCH_KEYS[rng.below(SEARCH_KEYS.len())].to_string(),
            1 if !out.is_empty() => out[rng.below(out.len())].split('=').next().unwrap_or("").to_string(),
            2 if rng.below(4) == 0 => ["zzz", "", "%", "v", "a".repeat(300).as_str()][rng.below(5)].to_string(),
            _ => KEYS[rng.below(KEYS.len())].to_string(),
        };
        if key == "runs" && depth == 0 {
            continue;
        }
        let value = match rng.below(10) {
            0..=3 => plausible(&key, rng),
            4 => "9".repeat(100 + rng.below(200)),
            5 => (0..2 + rng.below(100)).map(|i| (i % 300).to_string()).collect::<Vec<_>>().join("-"),
            _ => HOSTILE[rng.below(HOSTILE.len())].to_string(),
        };
        out.push(format!("{key}={value}"));
    }
    out.join("&")
}

/// A search link that mostly gets past preparation: legal but extreme
/// ranges over the keys a search tunes, any method and its settings.
pub fn search_link(rng: &mut Rng) -> String {
    let pick = |rng: &mut Rng, options: &[&str]| options[rng.below(options.len())].to_string();
    let items = [
        "lr:log:1e-9:100",
        "lr:log:0.0001:1:50",
        "bs:logint:1:100000",
        "bs:int:1:1",
        "ep:int:1:100000:3",
        "opt:choice:sgd|adam|rmsprop|adagrad|adadelta|adamw",
        "mom:real:0:0.999",
        "wd:log:1e-12:1e6",
        "drop:real:0:0.9:50",
        "layers:int:0:8",
        "units:logint:1:256:50",
        "act:choice:relu|tanh|sigmoid|gelu",
        "hidden:choice:1|256-256|8-8-8-8-8-8-8-8",
        "sched:choice:constant|restarts|onecycle|cyclic|step",
        "n:int:10:5000",
        "noise:real:0:1",
        "val:real:0.05:0.9",
        "classes:int:2:8",
        "clip:log:1e-6:1e6",
        "t0:int:1:1000000",
        "tmult:int:1:1000000",
        "pct:real:0.0001:0.9999",
        "l1:log:1e-9:10",
        "feat:choice:raw|x1-x2-x1sq-x2sq-x1x2|sin1-cos2",
        "std:choice:0|1",
        "rsteps:int:1:10000",
    ];
    let mut space: Vec<String> = Vec::new();
    for _ in 0..1 + rng.below(5) {
        let item = items[rng.below(items.len())];
        if !space.iter().any(|s| s.split(':').next() == item.split(':').next()) {
            space.push(item.to_string());
        }
    }
    let mut q = vec![
        format!("search={}", plausible("search", rng)),
        format!("trials={}", pick(rng, &["1", "3", "20", "2000", "0", "2001"])),
        format!("space={}", space.join(",")),
        format!("data={}", pick(rng, &["spiral", "moons", "blobs", "sine", "plane", "sparse", "iris", "digits"])),
        format!("ep={}", pick(rng, &["1", "5", "40", "100000"])),
        format!("sseed={}", rng.next_u64()),
    ];
    for (key, values) in [
        ("folds", &["0", "2", "10", "1", "11"][..]),
        ("sched", &["restarts", "onecycle", "cyclic", "step"][..]),
        ("pop", &["2", "200", "1", "201"][..]),
        ("elite", &["0", "199", "1"][..]),
        ("eta", &["2", "10", "11"][..]),
        ("minep", &["1", "100000", "0"][..]),
        ("inner", &["bayes", "tpe", "random"][..]),
        ("compare", &["grid,random", "grid,random,genetic,bayes,tpe,halving,hyperband"][..]),
        ("repeats", &["1", "20", "21"][..]),
        ("beat", &["2", "12", "13"][..]),
        ("smetric", &["loss", "accuracy", "r2", "roc_auc"][..]),
        ("n", &["10", "5000"][..]),
        ("hidden", &["256-256-256-256-256-256-256-256", "1"][..]),
    ] {
        if rng.below(8) == 0 {
            q.push(format!("{key}={}", pick(rng, values)));
        }
    }
    q.join("&")
}

/// One hostile link (a query, a `?query`, or a whole URL with a fragment).
pub fn link(rng: &mut Rng) -> String {
    let mut q = pairs(rng, 1);
    match rng.below(6) {
        // A search with a hostile space: refused or run.
        0 => q = format!("search={}&{q}&space={}", plausible("search", rng), space(rng)),
        // A search that mostly gets past preparation, to the study's asks.
        1 | 2 => q = search_link(rng),
        _ => {}
    }
    match rng.below(4) {
        0 => format!("?{q}"),
        1 => format!("https://lab.example/x/?{q}#frag&lr=5"),
        _ => q,
    }
}

/// The links of issue 10 and others found by hand: each broke or misled the lab once.
pub const KNOWN: [&str; 14] = [
    "?v=1&search=random&space=layers:int:1000000000:1000000000,lr:log:0.001:1",
    "?v=1&sched=restarts&t0=65536&tmult=65536&ep=100000",
    "?v=1&sched=restarts&t0=1&tmult=1&ep=100000",
    "?v=1&sched=onecycle&total=10&pct=0.1",
    "?v=1&sched=onecycle&pct=0.002",
    "?v=1&n=10&val=0.85&lr=0.3&seed=9",
    "?v=1&search=grid&trials=20&space=k0:real:0:1:32,k1:real:0:1:32,k2:real:0:1:32,k3:real:0:1:32,k4:real:0:1:32,k5:real:0:1:32,k6:real:0:1:32",
    "?v=1&search=grid&trials=20&space=lr:log:0.001:1:32,drop:real:0:0.5:32,wd:log:0.00001:0.01:32,l1:log:0.00001:0.01:32,mom:real:0:0.9:32,noise:real:0:1:32,val:real:0.1:0.5:32",
    "?v=1&search=random&space=units:logint:1:1000000000",
    "?v=1&sched=cyclic&up=1000000&down=1000000&ep=100000",
    "?v=1&sched=cosine&lrmin=1e12",
    "?v=1&sched=step&every=2.5",
    "?v=1&surf=rosenbrock&x0=1000&y0=-1000&rsteps=10000&lr=100&opt=sgd",
    "?v=1&search=bayes&trials=2000&space=lr:log:0.0001:1,bs:logint:1:128&folds=10",
];

/// What one link came to.
#[derive(Default)]
pub struct Outcome {
    /// FNV-1a over every number computed (the same natively and in wasm).
    pub digest: u64,
    pub specs: usize,
    pub notices: usize,
    /// A search that passed preparation, and the trials asked of it.
    pub searches: usize,
    pub asks: usize,
}

fn fnv(h: u64, w: u64) -> u64 {
    (h ^ w).wrapping_mul(0x0000_0100_0000_01b3)
}

fn fnv_str(h: u64, s: &str) -> u64 {
    s.bytes().fold(h, |h, b| fnv(h, u64::from(b)))
}

/// Checks what every accepted spec must be — valid, with a finite plan of
/// learning rates within the lab's range, a race, bounded sizes — and
/// digests it.
pub fn check_spec(spec: &ExperimentSpec, mut h: u64, what: &str) -> u64 {
    spec.validate().unwrap_or_else(|e| panic!("{what}: an accepted spec is invalid: {e}"));
    let lrs = spec.planned_lrs();
    assert_eq!(lrs.len(), spec.n_epochs, "{what}");
    for (e, lr) in lrs.iter().enumerate() {
        assert!(lr.is_finite() && (0.0..=limits::MAX_LR).contains(lr), "{what}: epoch {e} plans rate {lr}");
    }
    h = lrs.iter().fold(h, |h, lr| fnv(h, lr.to_bits()));
    let path = spec.trace();
    assert_eq!(path.len(), spec.race.steps + 1, "{what}");
    h = path.iter().flatten().fold(h, |h, v| fnv(h, v.to_bits()));
    let (n_train, inputs) = (spec.n_train(), spec.n_model_inputs());
    assert!((1..=limits::MAX_POINTS_PER_CLASS * limits::MAX_CLASSES).contains(&n_train), "{what}: {n_train}");
    assert!((1..=limits::MAX_FEATURES).contains(&inputs), "{what}: {inputs} inputs");
    assert!((1..=n_train).contains(&spec.batch_size), "{what}");
    let params = spec.model().n_params();
    assert!(params <= 1 << 20, "{what}: {params} parameters");
    for v in [n_train, inputs, params, spec.data.n_total()] {
        h = fnv(h, v as u64);
    }
    fnv_str(h, &to_query(spec))
}

/// Everything but training: decode, validate, plan, race, sizes, and a
/// search's preparation and first asks (told hostile scores).
pub fn arithmetic(link: &str) -> Outcome {
    let mut out = Outcome { digest: 0xcbf2_9ce4_8422_2325, ..Outcome::default() };
    let (spec, runs, notices) = lab_from_query(link);
    out.notices = notices.len();
    for (i, s) in std::iter::once(&spec).chain(&runs).enumerate() {
        out.digest = check_spec(s, out.digest, &format!("{link} (spec {i})"));
        out.specs += 1;
    }
    let (search, search_notices) = search_from_query(link);
    out.notices += search_notices.len();
    if search.is_none() {
        return out;
    }
    let Ok((base, search)) = prepare(link) else { return out };
    out.searches += 1;
    out.digest = check_spec(&base, out.digest, &format!("{link} (search base)"));
    let grid = search.space.grid_size();
    out.digest = fnv(out.digest, grid);
    let mut study = Study::new(search.space.clone(), search.method.clone(), search.n_trials, search.seed)
        .unwrap_or_else(|e| panic!("{link}: a prepared search has no study: {e}"));
    // In 64 bits: 32-bit wasm truncated a grid of 2³² points or more.
    let expected =
        if search.method == Method::Grid { (search.n_trials as u64).min(grid) } else { search.n_trials as u64 };
    assert_eq!(study.budget() as u64, expected, "{link}");
    out.digest = fnv(out.digest, study.budget() as u64);
    let scores = [0.5, f64::NAN, f64::NEG_INFINITY, 1e300, -0.0, 0.25, f64::INFINITY, 0.75];
    // Told hostile scores, and every third trial failed.
    for (k, score) in scores.into_iter().enumerate() {
        let Ask::Trial { id, config } = study.ask() else { break };
        out.asks += 1;
        let budget = study.trials()[id].budget;
        match trial_spec(&base, &search.space, &config, budget) {
            Ok(trial) => out.digest = check_spec(&trial, out.digest, &format!("{link} (trial {id})")),
            Err(e) => out.digest = fnv_str(out.digest, &e),
        }
        study.tell(id, (k % 3 != 2).then_some(score));
    }
    out
}

/// The seed of the generated links (natively and in wasm).
pub const SEED: u64 = 20_261_130;
/// Links the wasm test runs (the first of the native run's).
pub const WASM_LINKS: usize = 1_200;

/// The known links and the first `n` generated ones through [`arithmetic`]:
/// the digest of everything computed, and the searches prepared.
pub fn digest_of_first(n: usize) -> (u64, usize) {
    let mut rng = Rng::new(SEED, 0);
    let links: Vec<String> = KNOWN.iter().map(|s| s.to_string()).chain((0..n).map(|_| link(&mut rng))).collect();
    links.iter().fold((0xcbf2_9ce4_8422_2325, 0), |(h, searches), l| {
        let out = arithmetic(l);
        (fnv(h, out.digest), searches + out.searches)
    })
}

/// [`digest_of_first`]`(WASM_LINKS)` as the native build computes it: the
/// wasm build must compute the same. If a change to the generator or to
/// what a link means changes it on purpose, update it from the native test's
/// message; a difference between native and wasm is never on purpose.
pub const PINNED_DIGEST: u64 = 0x5ab7_da15_3b7d_dbd5;

//! The URL format (docs/url-format.md): round trips over random specs, and
//! hostile inputs that must never crash the decoder.
#![cfg(not(target_arch = "wasm32"))]

use hyperlab::engine::data::{Feature2d, Task};
use hyperlab::engine::model::{Activation, Init, RegressionLoss};
use hyperlab::engine::optim::{AdadeltaConfig, AdagradConfig, AdamConfig, OptimizerConfig, RmsPropConfig, SgdConfig};
use hyperlab::engine::rng::Rng;
use hyperlab::engine::schedule::{Anneal, ScheduleConfig, Warmup};
use hyperlab::engine::train::LrChange;
use hyperlab::engine::train::{EarlyStopping, Metric};
use hyperlab::experiment::keys::KEYS;
use hyperlab::experiment::{DataKind, ExperimentSpec, from_query, to_query};

/// A uniformly random value with full f64 precision in `[lo, hi)`.
fn real(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    rng.uniform_in(lo, hi)
}

fn log_uniform(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    libm::exp(rng.uniform_in(libm::log(lo), libm::log(hi)))
}

/// A random valid spec exercising every field.
fn random_spec(rng: &mut Rng) -> ExperimentSpec {
    let mut spec = ExperimentSpec { seed: rng.next_u64(), ..ExperimentSpec::default() };
    spec.data.kind = DataKind::ALL[rng.below(DataKind::ALL.len())];
    spec.data.n_per_class = 10 + rng.below(300);
    spec.data.noise = real(rng, 0.0, 1.0);
    if spec.data.kind.is_binary_generated() && rng.below(2) == 0 {
        spec.data.minority = real(rng, 0.02, 0.5);
    }
    if spec.data.kind == DataKind::Blobs {
        spec.data.classes = 2 + rng.below(7);
    }
    if spec.data.task() == Task::Regression && rng.below(2) == 0 {
        spec.data.outliers = real(rng, 0.0, 0.5);
    }
    if spec.data.kind.n_inputs() == 2 && rng.below(2) == 0 {
        spec.features_2d = Feature2d::ALL.iter().copied().filter(|_| rng.below(2) == 0).collect();
    }
    spec.poly_degree = if spec.data.kind.n_inputs() <= 4 { 1 + rng.below(3) } else { 1 };
    spec.standardize = [None, Some(true), Some(false)][rng.below(3)];
    spec.val_ratio = real(rng, 0.05, 0.45);
    spec.test_ratio = if rng.below(2) == 0 { 0.0 } else { real(rng, 0.0, 0.4) };
    spec.hidden = (0..rng.below(4)).map(|_| 1 + rng.below(64)).collect();
    let pick = |rng: &mut Rng| Activation::ALL[rng.below(Activation::ALL.len())];
    spec.activations = if rng.below(2) == 0 || spec.hidden.is_empty() {
        vec![pick(rng)]
    } else {
        spec.hidden.iter().map(|_| pick(rng)).collect()
    };
    spec.init = match rng.below(7) {
        0 => Init::GlorotUniform,
        1 => Init::GlorotNormal,
        2 => Init::HeNormal,
        3 => Init::HeUniform,
        4 => Init::LecunNormal,
        5 => Init::Uniform { a: real(rng, 0.01, 2.0) },
        _ => Init::Zeros,
    };
    spec.dropout = if rng.below(2) == 0 { 0.0 } else { real(rng, 0.0, 0.9) };
    spec.regression_loss = match rng.below(3) {
        0 => RegressionLoss::Mse,
        1 => RegressionLoss::Mae,
        _ => RegressionLoss::Huber { delta: if rng.below(2) == 0 { 1.0 } else { real(rng, 0.1, 5.0) } },
    };
    spec.optimizer = match rng.below(6) {
        0 => {
            let momentum = if rng.below(2) == 0 { 0.0 } else { real(rng, 0.0, 0.99) };
            let nesterov = momentum > 0.0 && rng.below(2) == 0;
            OptimizerConfig::Sgd(SgdConfig {
                momentum,
                dampening: if nesterov { 0.0 } else { real(rng, 0.0, 0.5) },
                nesterov,
                weight_decay: real(rng, 0.0, 0.1),
            })
        }
        1 => OptimizerConfig::Adagrad(AdagradConfig {
            lr_decay: real(rng, 0.0, 0.1),
            weight_decay: real(rng, 0.0, 0.1),
            initial_accumulator_value: real(rng, 0.0, 1.0),
            eps: log_uniform(rng, 1e-12, 1e-4),
        }),
        2 => OptimizerConfig::Adadelta(AdadeltaConfig {
            rho: real(rng, 0.5, 0.999),
            eps: log_uniform(rng, 1e-9, 1e-3),
            weight_decay: real(rng, 0.0, 0.1),
        }),
        3 => OptimizerConfig::RmsProp(RmsPropConfig {
            alpha: real(rng, 0.5, 0.999),
            eps: log_uniform(rng, 1e-10, 1e-4),
            weight_decay: real(rng, 0.0, 0.1),
            momentum: real(rng, 0.0, 0.95),
            centered: rng.below(2) == 0,
        }),
        k => {
            let c = AdamConfig {
                beta1: real(rng, 0.5, 0.99),
                beta2: real(rng, 0.9, 0.9999),
                eps: log_uniform(rng, 1e-10, 1e-4),
                weight_decay: real(rng, 0.0, 0.1),
                amsgrad: rng.below(2) == 0,
            };
            if k == 4 { OptimizerConfig::Adam(c) } else { OptimizerConfig::AdamW(c) }
        }
    };
    spec.schedule = ScheduleConfig::from_key(ScheduleConfig::KEYS[rng.below(ScheduleConfig::KEYS.len())]).unwrap();
    if rng.below(2) == 0 {
        spec.schedule = match spec.schedule {
            ScheduleConfig::Step { .. } => {
                ScheduleConfig::Step { start: rng.below(5), every: 1 + rng.below(50), rate: real(rng, 0.1, 1.0) }
            }
            ScheduleConfig::MultiStep { .. } => {
                ScheduleConfig::MultiStep { milestones: vec![3, 40, 41], gamma: real(rng, 0.1, 1.0) }
            }
            ScheduleConfig::OneCycle { .. } => ScheduleConfig::OneCycle {
                total: 1 + rng.below(900),
                pct: real(rng, 0.05, 0.95),
                div: real(rng, 2.0, 50.0),
                final_div: real(rng, 2.0, 1e5),
                anneal: if rng.below(2) == 0 { Anneal::Cos } else { Anneal::Linear },
            },
            ScheduleConfig::Cyclic { mode, .. } => ScheduleConfig::Cyclic {
                min_lr: real(rng, 0.0, 0.01),
                up: 1 + rng.below(40),
                down: 1 + rng.below(40),
                mode,
            },
            other => other,
        };
    }
    spec.warmup = (rng.below(3) == 0).then(|| Warmup { epochs: 1 + rng.below(50), start: real(rng, 0.01, 1.0) });
    spec.lr_changes = (0..rng.below(3))
        .map(|i| LrChange { epoch: 10 * (i + 1) + rng.below(9), lr: log_uniform(rng, 1e-4, 1.0) })
        .collect();
    spec.race.surface = hyperlab::engine::surface::Surface::ALL[rng.below(6)];
    spec.race.start = (rng.below(2) == 0).then(|| [real(rng, -5.0, 5.0), real(rng, -5.0, 5.0)]);
    spec.race.steps = 1 + rng.below(1000);
    spec.lr = log_uniform(rng, 1e-5, 10.0);
    spec.batch_size = 1 + rng.below(spec.n_train());
    spec.n_epochs = 1 + rng.below(3000);
    spec.l1 = if rng.below(2) == 0 { 0.0 } else { log_uniform(rng, 1e-6, 1.0) };
    spec.clip_norm = (rng.below(2) == 0).then(|| log_uniform(rng, 1e-3, 100.0));
    spec.early_stopping = (rng.below(2) == 0).then(|| {
        let metrics = spec.metrics();
        EarlyStopping {
            metric: metrics[rng.below(metrics.len())],
            patience: 1 + rng.below(50),
            min_delta: if rng.below(2) == 0 { 0.0 } else { real(rng, 0.0, 0.01) },
        }
    });
    spec
}

#[test]
fn random_specs_round_trip_exactly() {
    let mut rng = Rng::new(2026, 0);
    for i in 0..2000 {
        let spec = random_spec(&mut rng);
        spec.validate().unwrap_or_else(|e| panic!("generator made an invalid spec #{i}: {e}\n{spec:?}"));
        let query = to_query(&spec);
        let (back, notices) = from_query(&query);
        assert!(notices.is_empty(), "#{i} {query}: {notices:?}");
        assert_eq!(back, spec, "#{i}: {query}");
        // The same through a whole URL with a fragment.
        let (from_url, _) = from_query(&format!("https://example.org/lab/?{query}#runs"));
        assert_eq!(from_url, spec);
        // Encoding is canonical.
        assert_eq!(to_query(&back), query);
    }
}

#[test]
fn every_key_the_encoder_writes_is_a_documented_key() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/url-format.md")).unwrap();
    let names = KEYS.iter().map(|k| k.name);
    for key in names.chain(hyperlab::experiment::search::SEARCH_KEYS).chain(["runs", "tool"]) {
        assert!(doc.contains(&format!("| `{key}` |")), "docs/url-format.md has no row for `{key}`");
    }
    let mut rng = Rng::new(7, 0);
    for _ in 0..500 {
        for pair in to_query(&random_spec(&mut rng)).split('&') {
            let key = pair.split('=').next().unwrap();
            assert!(KEYS.iter().any(|k| k.name == key), "encoder wrote undocumented key `{key}`");
        }
    }
}

/// Damaged links: every mutation of a real link decodes to a valid spec
/// without panicking, and a damaged pair is reported.
#[test]
fn mutated_links_never_crash_and_always_give_a_valid_spec() {
    let mut rng = Rng::new(99, 0);
    let junk =
        ["", "-", "NaN", "inf", "-inf", "1e999", "-0", "0x10", "%", "%ff", "ä", "\u{0}", "99999999999999999999999"];
    for _ in 0..1000 {
        let query = to_query(&random_spec(&mut rng));
        let mut pairs: Vec<String> = query.split('&').map(String::from).collect();
        let i = rng.below(pairs.len());
        match rng.below(4) {
            0 => {
                let key = pairs[i].split('=').next().unwrap().to_string();
                pairs[i] = format!("{key}={}", junk[rng.below(junk.len())]);
            }
            1 => {
                let cut = rng.below(pairs[i].len() + 1);
                pairs[i].truncate(cut);
            }
            2 => pairs.insert(i, format!("{}={}", junk[rng.below(junk.len())], junk[rng.below(junk.len())])),
            _ => pairs[i] = pairs[i].repeat(1 + rng.below(3)),
        }
        let damaged = pairs.join("&");
        let (spec, _) = from_query(&damaged);
        spec.validate().unwrap_or_else(|e| panic!("{damaged}: {e}"));
    }
    let huge = format!("v=1&lr={}", "1".repeat(100_000));
    let (spec, notices) = from_query(&huge);
    assert_eq!(spec.lr, ExperimentSpec::default().lr);
    assert_eq!(notices[0].key, "lr");
    let (_, notices) = from_query(&"a".repeat(100_000));
    assert_eq!(notices.len(), 1);
}

#[test]
fn negative_sizes_and_huge_numbers_are_named_and_reset() {
    for (query, key) in [("bs=-5", "bs"), ("hidden=-8", "hidden"), ("n=-1", "n"), ("ep=1e9", "ep"), ("lr=1e308", "lr")]
    {
        let (spec, notices) = from_query(query);
        assert_eq!(spec, ExperimentSpec::default(), "{query}");
        assert!(notices.iter().any(|n| n.key == key), "{query}: {notices:?}");
    }
    // A metric that the task does not report.
    let (spec, notices) = from_query("es=3&esm=r2");
    assert!(spec.early_stopping.is_none());
    assert!(notices.iter().any(|n| n.key == "esm"));
    let _ = Metric::ALL;
}

/// A training set too small for the default batch size (issue 10, defect 4):
/// the batch size alone is fitted, named once, and the rest of the link kept.
#[test]
fn a_bad_field_resets_that_field_alone_named_once() {
    let (spec, notices) = from_query("v=1&n=10&val=0.85&lr=0.3&seed=9");
    assert_eq!((spec.lr, spec.seed, spec.data.n_per_class), (0.3, 9, 10));
    spec.validate().unwrap();
    assert_eq!(spec.batch_size, spec.n_train());
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].key, "bs");
    assert!(notices[0].to_string().contains("using 2, the whole training set"), "{}", notices[0]);
    assert!(!notices[0].message.contains("using"), "the message alone says why, for the command line");
    // One bad schedule parameter resets that parameter, not its neighbours.
    let (spec, notices) = from_query("sched=restarts&t0=7&tmult=0&lrmin=0.001");
    assert_eq!(notices.iter().map(|n| n.key.as_str()).collect::<Vec<_>>(), ["tmult"]);
    assert_eq!(spec.schedule, ScheduleConfig::WarmRestarts { t0: 7, t_mult: 2, min_lr: 0.001 });
    // Schedule problems are named by their URL keys.
    let (_, notices) = from_query("sched=cosine&lrmin=-1");
    assert_eq!(notices[0].key, "lrmin");
    let (_, notices) = from_query("sched=step&every=2.5");
    assert_eq!(notices[0].key, "every");
    assert!(notices[0].message.contains("whole number"), "{:?}", notices[0]);
}

/// The documented choices of each key that names one are the code's own
/// lists: a data set, optimizer, schedule, activation, surface, metric or
/// search method added to the code without its name in the key's row fails.
#[test]
fn every_choice_the_code_knows_is_in_its_keys_row() {
    use hyperlab::engine::model::Activation;
    use hyperlab::engine::surface::Surface;
    use hyperlab::experiment::search::METHOD_KEYS;
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/url-format.md")).unwrap();
    let row = |key: &str| {
        doc.lines().find(|l| l.starts_with(&format!("| `{key}` |"))).unwrap_or_else(|| panic!("no row for `{key}`"))
    };
    let lists: [(&str, Vec<&str>); 7] = [
        ("data", DataKind::ALL.iter().map(|d| d.key()).collect()),
        ("opt", OptimizerConfig::KEYS.to_vec()),
        ("sched", ScheduleConfig::KEYS.to_vec()),
        ("act", Activation::ALL.iter().map(|a| a.key()).collect()),
        ("surf", Surface::ALL.iter().map(|s| s.key()).collect()),
        ("esm", Metric::ALL.iter().map(|m| m.key()).collect()),
        ("search", METHOD_KEYS.to_vec()),
    ];
    for (key, names) in lists {
        let row = row(key);
        for name in names {
            assert!(row.contains(&format!("`{name}`")), "the `{key}` row of docs/url-format.md does not name `{name}`");
        }
    }
}

/// `tool=` names the page's tools a link opens: read in a fixed order, each
/// once; a name that is not a tool is said; the experiment ignores the key.
#[test]
fn a_link_names_the_tools_it_opens() {
    use hyperlab::experiment::{Tool, tools_from_query, tools_to_query};
    let (tools, notices) = tools_from_query("v=1&lr=0.3&tool=race,regimes,race");
    assert_eq!(tools, vec![Tool::Regimes, Tool::Race]);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(tools_to_query(&tools).as_deref(), Some("tool=regimes,race"));
    assert_eq!(tools_to_query(&[]), None);
    let (tools, notices) = tools_from_query("?tool=lrfind,search");
    assert_eq!(tools, vec![Tool::LrFinder]);
    assert_eq!(notices.len(), 1);
    assert!(notices[0].to_string().contains("`search` is not a tool"), "{}", notices[0]);
    // The experiment is the same with or without it, and says nothing about it.
    let (with, notices) = from_query("v=1&lr=0.3&tool=regimes");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(with, from_query("v=1&lr=0.3").0);
    for t in Tool::ALL {
        assert_eq!(tools_from_query(&tools_to_query(&[t]).unwrap()).0, vec![t]);
    }
}
